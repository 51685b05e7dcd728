"""我的学习, the group dashboards, the member drill-down, the export and the organisation overview.

Thin views: every figure comes from services.progress.group_figures / member_figures, which the export
(services.progress.exports) calls too, so the screen and the spreadsheet always agree.
"""
from __future__ import annotations

import io
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from quizapp.exam_guard import refuse_during_exam, sitting_exam
from quizapp.extensions import db
from quizapp.models import Attempt, StudyGroup, User
from quizapp.models._types import utcnow
from quizapp.permissions import can_manage_group, get_group_or_404, get_member_or_404, role_required
from quizapp.services import audit
from quizapp.services.clock import local_day
from quizapp.services.progress import exports, member_figures, study_list
from quizapp.services.progress import group_figures as figures
from quizapp.services.progress.periods import PERIOD_CHOICES, QUICK_PERIODS, Period, PeriodError, named_period, parse_period
from quizapp.services.quizzes import engine
from quizapp.views.progress_charts import line_chart, percent_text, strip_level
from quizapp.views.quiz_present import present_answer

bp = Blueprint("progress", __name__, url_prefix="/progress")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORT_LABELS = {"name": "姓名", "attempts": "答题次数", "questions": "答题数", "accuracy": "正确率",
               "points": "积分", "last_day": "最近学习"}


@bp.app_template_filter("percent")
def percent_filter(value: float | None) -> str:
    return percent_text(value) if value is None else f"{value * 100:.1f}%"


@bp.app_template_filter("month_day")
def month_day_filter(value) -> str:
    return value.strftime("%m-%d") if value else "—"


@bp.app_template_filter("bar")
def bar_filter(value: float | None) -> Markup:
    """A horizontal bar for a share from 0 to 1 (a filter, not a macro: tables call it once per row)."""
    percent = round((value or 0) * 100, 1)
    return Markup(f'<div class="progress chart-bar" role="progressbar" aria-label="{percent:g}%" aria-valuenow="{percent:g}" aria-valuemin="0" '
                  f'aria-valuemax="100"><div class="progress-bar bg-party" style="width: {percent:g}%"></div></div>')


@bp.app_template_global()
def quick_periods() -> tuple[str, ...]:
    return QUICK_PERIODS


@bp.app_template_global()
def progress_panel(user) -> dict:
    """The home page's progress card: this week's points and rank; a secretary's groups this week."""
    now = utcnow()
    week = named_period("this_week", local_day(now))
    tally = figures.member_tallies([user.id], week).get(user.id, figures.Tally())
    led = list(user.led_groups)[:3] if user.is_secretary else []
    groups = [(group, figures.overview([group], week)[0].figures) for group in led]
    return {"week_points": tally.points, "rank": member_figures.rank_in_group(user, week), "groups": groups}


def _clock():
    now = utcnow()
    return local_day(now), now


def _period(today) -> Period | None:
    """The period the request asks for; None (after flashing why) when it is not acceptable."""
    try:
        return parse_period(request.args, today=today)
    except PeriodError as error:
        flash(f"时间范围有误：{error}", "danger")
        return None


def _without_period():
    arguments = {**request.view_args, **{key: value for key, value in request.args.items()
                                         if key not in ("period", "start", "end")}}
    return redirect(url_for(request.endpoint, **arguments))


@bp.route("/")
@login_required
def me():
    today, now = _clock()
    trend = member_figures.accuracy_trend(current_user.id, today)
    return render_template(
        "progress/me.html", snapshot=member_figures.snapshot(current_user, today=today, now=now),
        trend_chart=line_chart("每周正确率", [f"{row.week:%m/%d}" for row in trend],
                               {"正确率": [row.accuracy for row in trend]}),
        trend_rows=[[row.week.isoformat(), row.questions, row.correct, percent_filter(row.accuracy)] for row in trend],
        wrong_book_url=url_for("quiz.wrong_book") if "quiz.wrong_book" in current_app.view_functions else None,
        mastery=member_figures.mastery(current_user.id, now),
        study_days=member_figures.study_strip(current_user.id, today),
        ranks=[member_figures.rank_in_group(current_user, named_period(key, today))
               for key in ("this_week", "this_month")],
        today=today, strip_level=strip_level)


def visible_groups(user: User) -> list[StudyGroup]:
    if user.is_admin:
        return list(db.session.scalars(select(StudyGroup).where(StudyGroup.parent_id.is_(None))))
    return list(user.led_groups)


@bp.route("/groups")
@role_required("secretary")
def groups():
    tree = figures.visible_tree(visible_groups(current_user))
    if len(tree) == 1:
        return redirect(url_for("progress.group", group_id=tree[0][0].id))
    return render_template("progress/groups.html", tree=tree)


@bp.route("/groups/<int:group_id>")
@role_required("secretary")
def group(group_id: int):
    group = get_group_or_404(group_id, manage=True)
    today, _ = _clock()
    period = _period(today)
    if period is None:
        return _without_period()
    sort, descending = _member_order()
    group_ids = group.subtree_ids()
    report = figures.group_report(group_ids, period, today, sort=sort, descending=descending)
    trend = figures.weekly_trend(group_ids, period.end)
    return render_template(
        "progress/group.html", group=group, period=period, today=today, report=report, sort=sort, descending=descending,
        sort_labels=SORT_LABELS, period_query=urlencode(period.query_args()), choices=PERIOD_CHOICES,
        member_url=url_for("progress.member", user_id=0).removesuffix("0"),  # one url_for, not one per row
        several_groups=len(group_ids) > 1, trend=trend, trend_chart=_group_trend_chart(trend),
        weakest=None if sitting_exam() else study_list.weakest_questions(group_ids, period),  # keys: not mid-exam
        trend_rows=[[row.week.isoformat(), f"{row.studied}/{row.members}", percent_filter(row.participation),
                     percent_filter(row.accuracy)] for row in trend])


def _member_order() -> tuple[str, bool]:
    """(sort column, descending) of the member table, from the request; the page and its export share it."""
    sort = request.args.get("sort") if request.args.get("sort") in figures.SORT_KEYS else "points"
    return sort, request.args.get("dir", "desc") != "asc"


def _group_trend_chart(trend: list[figures.WeekRow]):
    return line_chart("近12周参学率与正确率", [f"{row.week:%m/%d}" for row in trend],
                      {"参学率": [row.participation for row in trend], "正确率": [row.accuracy for row in trend]})


@bp.route("/groups/<int:group_id>/export")
@role_required("secretary")
def export(group_id: int):
    group = get_group_or_404(group_id, manage=True)
    today, now = _clock()
    period = _period(today)
    if period is None:
        return redirect(url_for("progress.group", group_id=group.id))
    sort, descending = _member_order()
    data = exports.group_workbook(group, period, today=today, now=now, sort=sort, descending=descending)
    audit.record_committed(current_user.id, "export.group", audit.target("group", group.id),
                           {"group": group.name, "period": period.label}, now)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=exports.export_filename(group, period))


@bp.route("/members/<int:user_id>")
@login_required
def member(user_id: int):
    person = get_member_or_404(user_id)
    today, now = _clock()
    period = _period(today)
    if period is None:
        return _without_period()
    attempt = _chosen_attempt(person)
    # A competition's answers stay hidden until it ends, from secretaries too.
    show = attempt is not None and attempt.keys_visible(now)
    answers = [present_answer(answer) for answer in engine.load_paper(attempt)] if show else None
    return render_template(
        "progress/member.html", person=person, period=period, today=today, choices=PERIOD_CHOICES,
        tally=figures.member_tallies([person.id], period).get(person.id, figures.Tally()),
        attempts=member_figures.attempts_in(person, period), attempt=attempt, answers=answers,
        mastery=member_figures.mastery(person.id, now), categories=figures.category_accuracy([person.id], period),
        can_see_group=person.group is not None and can_manage_group(current_user, person.group))


def _chosen_attempt(person: User) -> Attempt | None:
    attempt_id = request.args.get("attempt", type=int)
    if attempt_id is None:
        return None
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != person.id or attempt.status != "finished":
        abort(404)
    refuse_during_exam()
    return attempt


@bp.route("/overview")
@role_required("secretary")
def overview():
    group_id = request.args.get("group_id", type=int)
    roots = [get_group_or_404(group_id, manage=True)] if group_id else visible_groups(current_user)
    today, _ = _clock()
    period = _period(today)
    if period is None:
        return _without_period()
    rows = figures.overview(roots, period)
    return render_template("progress/overview.html", rows=rows, ranking=figures.branch_ranking(rows),
                           period=period, today=today, choices=PERIOD_CHOICES, zoom=group_id,
                           period_query=urlencode(period.query_args()),
                           group_url=url_for("progress.group", group_id=0).removesuffix("0"))

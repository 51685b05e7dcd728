"""Competitions and leaderboards: lists, entering, live boards, the big screen, results, points boards.

The organisers' pages (create, edit, publish...) live in views/competition_manage.py on the same blueprint.
"""
from __future__ import annotations

import io
import random

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from question_bank.draft import QUESTION_TYPES
from quizapp.models import BRANCH_INDEXES, COMPETITION_STATES, Competition, StudyGroup, User
from quizapp.models._types import utcnow
from quizapp.permissions import get_group_or_404
from quizapp.services import ServiceError, audit
from quizapp.services.clock import local_day
from quizapp.services.competitions import leaderboard, lifecycle
from quizapp.services.competitions.results import duration, export_xlsx, max_score, question_rates, score_distribution
from quizapp.services.quality import regrades
from quizapp.templating import local_time

bp = Blueprint("competitions", __name__, url_prefix="/competitions")
BOARD_TOP = 20
SCREEN_TOP = 10
RESULTS_TOP = 50
MAX_TOP = 50


def get_competition_or_404(competition_id: int, manage: bool = False) -> Competition:
    """The competition if the user may see it: its organisers always, members in scope once announced."""
    competition = lifecycle.find(competition_id, now=utcnow()) or abort(404)
    managing = lifecycle.can_manage(current_user, competition)
    if manage and not managing:
        abort(403)
    if not managing and competition.announced_at is None:
        abort(404)
    if not managing and not lifecycle.in_scope(current_user, competition):
        abort(403)
    return competition


@bp.app_template_global()
def competition_panel(user) -> list[Competition]:
    """Upcoming and open competitions in the user's scope, for the home page."""
    return lifecycle.upcoming_and_open(user, utcnow()) if user.is_authenticated else []


@bp.app_template_global()
def competition_state(competition: Competition) -> str:
    return competition.state(utcnow())


@bp.route("/")
@login_required
def index():
    now = utcnow()
    lists = lifecycle.visible_competitions(current_user, now)
    shown = [c.id for group in lists.values() for c in group]
    managed = lifecycle.managed_competitions(current_user) if current_user.role in ("admin", "secretary") else []
    return render_template("competitions/index.html", lists=lists, managed=managed, now=now,
                           entries=lifecycle.entries_by_competition(current_user, shown))


@bp.route("/<int:competition_id>")
@login_required
def detail(competition_id: int):
    competition = get_competition_or_404(competition_id)
    now = utcnow()
    return render_template("competitions/detail.html", competition=competition, now=now, form=FlaskForm(),
                           state=competition.state(now), entry=lifecycle.entry_of(current_user, competition),
                           attempts=lifecycle.attempts_of(current_user, competition),
                           in_scope=lifecycle.in_scope(current_user, competition),
                           managing=lifecycle.can_manage(current_user, competition),
                           results_visible=lifecycle.results_visible_to(current_user, competition, now),
                           full_score=max_score(competition), type_labels=QUESTION_TYPES,
                           duration=duration)


@bp.route("/<int:competition_id>/enter", methods=["POST"])
@login_required
def enter(competition_id: int):
    competition = get_competition_or_404(competition_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        attempt = lifecycle.enter(current_user, competition, now=utcnow(), rng=random.Random())
    except ServiceError as error:
        flash(str(error), "danger")
        return redirect(url_for("competitions.detail", competition_id=competition.id))
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


def board_payload(competition: Competition, viewer: User | None, top: int) -> dict:
    """What a board shows now, for the page, the big screen (viewer None) and the JSON endpoint alike."""
    now = utcnow()
    state = competition.state(now)
    target = competition.starts_at if state in ("draft", "scheduled") else competition.ends_at
    payload = {"state": state, "state_label": competition.state_label(now),
               "remaining_s": max(0, int((target - now).total_seconds())) if state != "published" else 0,
               "hidden": lifecycle.board_hidden_for(viewer, competition),
               "participants": 0, "top": [], "around": [], "me": None, "branches": [],
               "updated_at": local_time(now, "%H:%M:%S")}
    if payload["hidden"]:
        payload["participants"] = lifecycle.participant_count(competition)
        return payload
    board, branches = leaderboard.boards(competition, user=viewer, top=top)
    payload.update(participants=board.participants, top=[_person(row) for row in board.top],
                   around=[_person(row) for row in board.around], me=_person(board.me) if board.me else None,
                   branches=[_branch(row) for row in branches])
    return payload


def _person(row: leaderboard.BoardRow) -> dict:
    return {"rank": row.rank, "user_id": row.user_id, "name": row.name, "group": row.group_name,
            "score": f"{row.score:g}", "time": duration(row.time_used_s)}


def _branch(row: leaderboard.BranchRow) -> dict:
    return {"rank": row.rank, "name": row.name, "participants": row.participants, "members": row.members,
            "average": f"{row.average:.1f}", "rate": f"{row.rate:.0%}", "index": f"{row.index:.2f}"}


@bp.route("/<int:competition_id>/board")
@login_required
def board(competition_id: int):
    competition = get_competition_or_404(competition_id)
    return render_template("competitions/board.html", competition=competition,
                           board=board_payload(competition, current_user, BOARD_TOP),
                           index_label=BRANCH_INDEXES[competition.branch_index])


@bp.route("/<int:competition_id>/board.json")
@login_required
def board_json(competition_id: int):
    competition = get_competition_or_404(competition_id)
    top = min(max(request.args.get("top", BOARD_TOP, type=int), 1), MAX_TOP)
    if request.args.get("screen"):
        if not lifecycle.can_manage(current_user, competition):
            abort(403)
        payload = board_payload(competition, None, min(top, SCREEN_TOP))
    else:
        payload = board_payload(competition, current_user, top)
    return jsonify(payload)


@bp.route("/<int:competition_id>/screen")
@login_required
def screen(competition_id: int):
    """大屏: full screen, large type, refreshing itself; what the hall sees (a hidden board stays hidden)."""
    competition = get_competition_or_404(competition_id, manage=True)
    return render_template("competitions/screen.html", competition=competition,
                           board=board_payload(competition, None, SCREEN_TOP),
                           index_label=BRANCH_INDEXES[competition.branch_index])


def _results_competition(competition_id: int) -> Competition:
    competition = get_competition_or_404(competition_id)
    now = utcnow()
    if not lifecycle.results_visible_to(current_user, competition, now):
        abort(403, "成绩尚未公布。" if now >= competition.ends_at else "竞赛结束后才能查看成绩。")
    return competition


@bp.route("/<int:competition_id>/results")
@login_required
def results(competition_id: int):
    competition = _results_competition(competition_id)
    entry = lifecycle.entry_of(current_user, competition)
    bins = score_distribution(competition)
    return render_template("competitions/results.html", competition=competition, bins=bins,
                           peak=max([b.count for b in bins] + [1]), form=FlaskForm(),
                           board=board_payload(competition, current_user, RESULTS_TOP),
                           rates=question_rates(competition), entry=entry,
                           managing=lifecycle.can_manage(current_user, competition),
                           places=len(competition.placing_points) or 3,
                           full_score=max_score(competition),
                           index_label=BRANCH_INDEXES[competition.branch_index],
                           regrades=regrades.regrades_of_competition(competition.id))


@bp.route("/<int:competition_id>/export.xlsx")
@login_required
def export(competition_id: int):
    competition = _results_competition(competition_id)
    if not lifecycle.can_manage(current_user, competition):
        abort(403)
    data = export_xlsx(competition, local_time)
    audit.record_committed(current_user.id, "export.competition", audit.target("competition", competition.id),
                           {"title": competition.title}, utcnow())
    return send_file(io.BytesIO(data), as_attachment=True, download_name=f"{competition.title}-成绩.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/<int:competition_id>/certificate/<int:user_id>")
@login_required
def certificate(competition_id: int, user_id: int):
    """A printable certificate for a participant placed in the first places of published results."""
    competition = get_competition_or_404(competition_id)
    if competition.results_published_at is None:
        abort(404)
    if user_id != current_user.id and not lifecycle.can_manage(current_user, competition):
        abort(403)
    places = len(competition.placing_points) or 3
    placed = {entry.user_id: (rank, entry) for rank, entry in leaderboard.placed_entries(competition, places)}
    if user_id not in placed:
        abort(404)
    rank, entry = placed[user_id]
    return render_template("competitions/certificate.html", competition=competition, rank=rank, entry=entry)


@bp.route("/points")
@login_required
def points():
    period = request.args.get("period", "week")
    if period not in leaderboard.POINTS_PERIODS:
        abort(404)
    group = _points_group(request.args.get("group_id", type=int), request.args.get("scope", "all"))
    rows, mine = leaderboard.points_board(period=period, today=local_day(utcnow()), user=current_user,
                                          group_ids=group.subtree_ids() if group else None)
    return render_template("competitions/points.html", rows=rows, mine=mine, period=period, group=group,
                           periods=leaderboard.POINTS_PERIODS, led_groups=current_user.led_groups)


def _points_group(group_id: int | None, scope: str) -> StudyGroup | None:
    """None for the whole organisation; the member's own group; or a group the user manages."""
    if group_id is not None:
        return get_group_or_404(group_id, manage=True)
    if scope == "group" and current_user.group is None:
        flash("您还没有加入党支部，下面是全体党员的排行。", "info")
    return current_user.group if scope == "group" else None


def remaining_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


bp.add_app_template_filter(remaining_text, "remaining")
bp.add_app_template_global(COMPETITION_STATES, "competition_state_labels")


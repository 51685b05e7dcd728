"""答题纠错: members report questions from result and feedback screens; admins work the queue."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.forms.reports import RegradeForm, ReportForm, ResolveForm
from quizapp.models import REGRADE_MODES, REPORT_REASONS, Question
from quizapp.models._types import utcnow
from quizapp.permissions import admin_required
from quizapp.services.competitions.awards import PointsPolicy
from quizapp.services.quality import item_stats, regrades, reports
from quizapp.services.quality.regrades import RegradeError
from quizapp.services.quality.reports import ReportError
from quizapp.services.quizzes import engine

bp = Blueprint("reports", __name__, url_prefix="/reports")
PER_PAGE = 20


@bp.app_context_processor
def report_choices() -> dict:
    """The reasons for the 纠错 form on every result and feedback screen."""
    return {"report_reasons": REPORT_REASONS}


def _back(value: str | None, attempt_id: int) -> str:
    """Where to return after reporting: a quiz page of the member's, never another site."""
    value = value or ""
    if value.startswith("/quiz/attempts/") and "//" not in value:
        return value
    return url_for("quiz.result", attempt_id=attempt_id)


@bp.route("/attempts/<int:attempt_id>/<int:position>", methods=["GET", "POST"])
@login_required
def report(attempt_id: int, position: int):
    """The 纠错 form for one answer's question, and its submission."""
    engine.attempt_of_member(current_user.id, attempt_id) or abort(404)  # someone else's does not exist
    if request.method == "POST":
        return _create(attempt_id, position)
    back = _back(request.args.get("back"), attempt_id)
    try:
        answer = reports.reportable_answer(current_user.id, attempt_id, position, utcnow())
    except ReportError as error:
        flash(str(error), "warning")
        return redirect(back)
    return render_template("reports/new.html", version=answer.version, attempt_id=attempt_id, position=position,
                           back=back)


def _create(attempt_id: int, position: int):
    form = ReportForm()
    if not form.validate_on_submit():
        flash("请选择纠错类型（答案有误、题干有歧义、选项有误、错别字或其他）。", "warning")
    else:
        try:
            reports.report_question(current_user.id, attempt_id, position, form.reason.data, form.text.data,
                                    now=utcnow())
        except ReportError as error:
            flash(str(error), "warning")
        else:
            flash("感谢纠错！管理员处理后，结果会显示在「我的纠错」。", "success")
    return redirect(_back(form.back.data, attempt_id))


@bp.route("/mine")
@login_required
def mine():
    return render_template("reports/mine.html", reports=reports.reports_of(current_user.id))


@bp.route("/queue")
@admin_required
def queue():
    items = reports.queue()
    figures = item_stats.current_figures([item.question.id for item in items])
    return render_template("reports/queue.html", items=items, figures_by_question=figures, form=ResolveForm())


@bp.route("/suspicious")
@admin_required
def suspicious():
    minimum = max(1, min(request.args.get("min", item_stats.SUSPICIOUS_MIN_ATTEMPTS, type=int), 100_000))
    number = max(1, request.args.get("page", 1, type=int))
    found = item_stats.suspicious_page(minimum, number, PER_PAGE)
    return render_template("reports/suspicious.html", found=found, minimum=minimum, number=number,
                           pages=max(1, -(-found.total // PER_PAGE)))


@bp.route("/questions/<int:question_id>/resolve", methods=["POST"])
@admin_required
def resolve(question_id: int):
    form = ResolveForm()
    if not form.validate_on_submit():
        flash("请选择处理方式。", "warning")
        return redirect(url_for("reports.queue"))
    try:
        count = reports.resolve(question_id, form.outcome.data, form.reply.data, acting_user=current_user, now=utcnow())
    except ReportError as error:
        flash(str(error), "warning")
        return redirect(url_for("reports.queue"))
    flash(f"已处理 {count} 条纠错。", "success")
    if form.outcome.data == "fixed" and regrades.key_changed(question_id):
        flash("答案已改变：请决定过去的作答如何评分。", "info")
        return redirect(url_for("reports.regrade", question_id=question_id))
    return redirect(url_for("reports.queue"))


@bp.route("/questions/<int:question_id>/regrade")
@admin_required
def regrade(question_id: int):
    """Choose how past answers are regraded; with ?mode= the preview of what it changes (GET writes nothing)."""
    question = db.session.get(Question, question_id) or abort(404)
    mode = request.args.get("mode", "")
    preview, problem = None, None
    if mode:
        try:
            preview = regrades.plan(question_id, mode)
        except RegradeError as error:
            problem = str(error)
    return render_template("reports/regrade.html", question=question, mode=mode, preview=preview, problem=problem,
                           modes=REGRADE_MODES, form=RegradeForm(mode=mode))


@bp.route("/questions/<int:question_id>/regrade", methods=["POST"])
@admin_required
def apply_regrade(question_id: int):
    db.session.get(Question, question_id) or abort(404)
    form = RegradeForm()
    if not form.validate_on_submit():
        flash("请选择重新评分的方式并写明原因。", "warning")
        return redirect(url_for("reports.regrade", question_id=question_id, mode=form.mode.data or ""))
    try:
        record = regrades.apply(question_id, form.mode.data, form.reason.data, acting_user=current_user, now=utcnow(),
                                policy=PointsPolicy.from_config(current_app.config))
    except RegradeError as error:
        flash(str(error), "warning")
        return redirect(url_for("reports.regrade", question_id=question_id, mode=form.mode.data))
    flash(f"已{record.mode_label}：{record.attempts_changed} 份答卷、{record.members_changed} 名党员的成绩已更新，"
          f"积分变动合计 {record.points_changed:+d}。", "success")
    return redirect(url_for("reports.queue"))

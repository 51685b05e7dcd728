"""Taking quizzes in every mode: start, one question per screen, autosave, submit, result, history, 错题本.

Plain form posts carry the whole flow (answer, next, submit) with JavaScript off; static/js/quiz.js
adds autosave through the JSON endpoint, a countdown and a confirmation dialog.
"""
from __future__ import annotations

import random

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from quizapp.database import commit_keeping_state
from quizapp.exam_guard import refuse_during_exam, refuse_feedback_during_exam
from quizapp.extensions import db
from quizapp.forms.quiz import ExamStartForm, PracticeStartForm
from quizapp.models import Attempt, Category
from quizapp.models._types import utcnow
from quizapp.services.clock import local_day
from quizapp.services.progress import member_figures, points
from quizapp.services.quizzes import engine, wrongbook
from quizapp.services.quizzes.engine import AttemptExpired
from quizapp.services.quizzes.papers import EXAM_PRESETS, QuizError, practice_rule
from quizapp.views.quiz_present import feedback_of, present_answer, present_question, source_link

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
HISTORY_PAGE_SIZE = 20
WRONG_BOOK_PAGE_SIZE = 20


@bp.app_template_global()
def quiz_panel(user) -> dict:
    """What the home page shows: modes to start, unfinished attempts, due reviews, points and streak."""
    now = utcnow()
    today = local_day(now)
    points_total, streak = member_figures.standing(user.id, today)
    return {"open_attempts": engine.open_attempts(user.id), "due_count": wrongbook.due_count(user.id, now),
            "daily_done": engine.daily_done_today(user.id, now), "streak": streak,
            "points_today": points.earned_on(user.id, today), "points_total": points_total}


@bp.after_request
def never_stored(response):
    """Quiz pages always come from the server: a copy from the browser's cache shows old answers."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@login_required
def index():
    return render_template("quiz/index.html", practice_form=_practice_form(), exam_form=ExamStartForm(),
                           panel=quiz_panel(current_user))


def _practice_form() -> PracticeStartForm:
    form = PracticeStartForm()
    form.set_categories(list(db.session.scalars(select(Category.path).order_by(Category.path))))
    return form


@bp.route("/daily", methods=["POST"])
@login_required
def start_daily():
    if not FlaskForm().validate_on_submit():
        abort(400)
    return _start("daily", lambda: engine.DAILY_RULE)


@bp.route("/practice", methods=["POST"])
@login_required
def start_practice():
    form = _practice_form()
    if not form.validate_on_submit():
        flash("；".join(error for errors in form.errors.values() for error in errors) or "请重新选择。", "danger")
        return redirect(url_for("quiz.index"))
    difficulty = int(form.difficulty.data) if form.difficulty.data else None
    return _start("practice", lambda: practice_rule(form.category.data or None, form.question_type.data or None,
                                                    difficulty, int(form.count.data)))


@bp.route("/exam", methods=["POST"])
@login_required
def start_exam():
    form = ExamStartForm()
    if not form.validate_on_submit():
        flash("请选择一种试卷。", "danger")
        return redirect(url_for("quiz.index"))
    return _start("exam", lambda: EXAM_PRESETS[form.preset.data])


@bp.route("/review", methods=["POST"])
@login_required
def start_review():
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        ids = wrongbook.review_question_ids(current_user.id, utcnow())
    except QuizError as error:
        flash(str(error), "info")
        return redirect(url_for("quiz.wrong_book"))
    return _start("review", lambda: engine.review_rule(ids), question_ids=ids)


def _start(mode: str, make_rule, **options):
    """Start (or resume) an attempt; make_rule may itself refuse with a QuizError."""
    try:
        attempt = engine.start_attempt(current_user, mode, make_rule(), now=utcnow(), rng=random.SystemRandom(),
                                        **options)
    except QuizError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("quiz.index"))
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> Attempt:
    """The member's own attempt; someone else's is as absent as a missing one (nothing leaks)."""
    return engine.attempt_of_member(current_user.id, attempt_id) or abort(404)


def _expired_redirect(attempt: Attempt):
    """Finalise an attempt past its deadline (server time) and send the member to the result."""
    if engine.expire_if_due(attempt, now=utcnow()):
        flash("答题时间已到，已按已保存的答案自动交卷。", "warning")
    if not attempt.is_open:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return None


@bp.route("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    position = request.args.get("q", type=int)
    found = engine.question_page(current_user.id, attempt_id, position)
    if found is None:  # not the member's attempt (404), or a position off the paper: the nearest one
        nearest = min(max(position or 1, 1), _own_attempt(attempt_id).question_count)
        found = engine.question_page(current_user.id, attempt_id, nearest) or abort(404)
    answer, card = found
    attempt = answer.attempt
    if (done := _expired_redirect(attempt)) is not None:
        return done
    refuse_feedback_during_exam(attempt)
    now = utcnow()
    final = present_answer(answer) if answer.is_final else None
    question = final["question"] if final else present_question(answer)
    commit_keeping_state()  # everything is loaded: render without holding the database
    return render_template("quiz/take.html", attempt=attempt, card=card, answer=answer, question=question,
                           feedback=final["feedback"] if final else None,
                           remaining_s=_remaining_s(attempt, now))


def _remaining_s(attempt: Attempt, now) -> int | None:
    """Seconds left, for the countdown of timed attempts (a time limit, or a competition's end)."""
    if not (attempt.rule.get("time_limit_s") or attempt.competition_id):
        return None
    return max(0, int((attempt.deadline - now).total_seconds()))


def _given_from_form(form) -> object:
    if "judge" in form:
        return form.get("judge")
    if "blank" in form:
        return form.getlist("blank")
    return form.getlist("choice")


@bp.route("/attempts/<int:attempt_id>/answer", methods=["POST"])
@login_required
def answer(attempt_id: int):
    """The plain-form path: save the shown question's answer, then go where the member asked.

    With immediate feedback only 确定 (action=check) saves; moving on leaves a question unanswered.
    An empty answer never replaces a saved one, except by 清除 (action=clear).
    """
    attempt = _own_attempt(attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    refuse_feedback_during_exam(attempt)
    position = request.form.get("position", type=int) or abort(400)
    action = request.form.get("action", "next")
    if action in ("check", "clear") or not attempt.immediate_feedback:
        try:
            given = None if action == "clear" else _given_from_form(request.form)
            engine.save_answer(attempt, position, given, now=utcnow(), clear=action == "clear")
        except AttemptExpired as error:
            flash(str(error), "warning")
            return redirect(url_for("quiz.result", attempt_id=attempt_id))
        except QuizError as error:
            db.session.rollback()
            flash(str(error), "danger")
            if not attempt.is_open:
                return redirect(url_for("quiz.result", attempt_id=attempt_id))
            return redirect(url_for("quiz.take", attempt_id=attempt_id, q=position))
    elif (done := _expired_redirect(attempt)) is not None:
        return done
    return _after_answer(attempt, position, action)


def _after_answer(attempt: Attempt, position: int, action: str):
    attempt_id = attempt.id  # read before finalising: after its commit it would cost a reload
    if action == "submit":
        if not all(answered for _position, answered in engine.answer_card(attempt)):
            return redirect(url_for("quiz.confirm_submit", attempt_id=attempt_id))
        engine.finalise_attempt(attempt, now=utcnow())
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    target = {"next": position + 1, "prev": position - 1, "check": position, "clear": position}.get(action)
    if action.startswith("goto-") and action[5:].isdigit():
        target = int(action[5:])
    if target is None or not 1 <= target <= attempt.question_count:
        target = position
    return redirect(url_for("quiz.take", attempt_id=attempt_id, q=target))


@bp.route("/attempts/<int:attempt_id>/answers/<int:position>", methods=["POST"])
@login_required
def save_json(attempt_id: int, position: int):
    """Autosave from quiz.js (CSRF token in the X-CSRFToken header). Never returns a key before it is final.
    An empty answer clears a saved one only with "clear": true (the member emptied it on this page)."""
    answer = engine.members_answer(current_user.id, attempt_id, position)
    attempt = answer.attempt if answer else _own_attempt(attempt_id)
    refuse_feedback_during_exam(attempt)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or "given" not in payload:
        return jsonify(error="请求格式不正确：缺少答案。"), 400
    try:
        saved = engine.save_answer(attempt, position, payload["given"], now=utcnow(), answer=answer,
                                    clear=payload.get("clear") is True)
    except AttemptExpired as error:
        return jsonify(error=str(error), finished=True, result_url=url_for("quiz.result", attempt_id=attempt_id)), 409
    except QuizError as error:
        db.session.rollback()
        finished = not attempt.is_open
        body = {"error": str(error), "finished": finished}
        if finished:
            body["result_url"] = url_for("quiz.result", attempt_id=attempt_id)
        return jsonify(body), 409 if finished else 400
    body = {"ok": True, "position": position, "answered": saved.is_answered}
    if saved.is_final:
        body["feedback"] = feedback_of(saved)
    return jsonify(body)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@login_required
def confirm_submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if (done := _expired_redirect(attempt)) is not None:
        return done
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        engine.finalise_attempt(attempt, now=utcnow())
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    unanswered = [position for position, answered in engine.answer_card(attempt) if not answered]
    return render_template("quiz/confirm.html", attempt=attempt, unanswered=unanswered, form=form)


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.is_open and _expired_redirect(attempt) is None:
        return redirect(url_for("quiz.take", attempt_id=attempt_id))
    refuse_during_exam(other_than=attempt.id)
    answers = engine.load_paper(attempt)
    reveal = attempt.keys_visible(utcnow())
    return render_template("quiz/result.html", attempt=attempt, reveal=reveal,
                           items=[present_answer(answer) for answer in answers] if reveal else [],
                           by_type=engine.results_by_type(attempt))


@bp.route("/history")
@login_required
def history():
    query = (select(Attempt).where(Attempt.user_id == current_user.id, Attempt.status == "finished")
             .order_by(Attempt.finished_at.desc(), Attempt.id.desc()))
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=HISTORY_PAGE_SIZE, error_out=False)
    return render_template("quiz/history.html", page=page)


@bp.route("/wrong-book")
@login_required
def wrong_book():
    refuse_during_exam()  # keys, 解析 and 原文摘录 of questions that may be on the paper
    cards = wrongbook.book(current_user.id)  # the most overdue first: the due ones lead
    until = wrongbook.due_until(utcnow())
    pages = max(1, -(-len(cards) // WRONG_BOOK_PAGE_SIZE))
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    shown = cards[(number - 1) * WRONG_BOOK_PAGE_SIZE:number * WRONG_BOOK_PAGE_SIZE]
    return render_template("quiz/wrong_book.html", due=[card for card in shown if card.due < until],
                           later=[card for card in shown if card.due >= until],
                           due_total=sum(card.due < until for card in cards), total=len(cards),
                           page=number, pages=pages, form=FlaskForm(), source_link=source_link,
                           to_leave=wrongbook.right_answers_to_leave)


@bp.route("/wrong-book/<int:card_id>/remove", methods=["POST"])
@login_required
def remove_card(card_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        card = wrongbook.remove(current_user.id, card_id, now=utcnow())
    except QuizError as error:
        flash(str(error), "danger")
    else:
        flash(f"已将「{card.question.stem[:20]}」移出错题本。", "success")
    return redirect(url_for("quiz.wrong_book", page=request.args.get("page", 1, type=int)))

"""The member's API: who am I, daily quiz, practice, mock exam, 错题本 and its review, answers, submit,
result, progress, competitions and entering them.

Every rule lives in the services the pages call (quizzes, papers, wrongbook, member_figures,
competitions, exam_lock); this module only reads the caller, calls them and shapes JSON. Keys, 解析 and
原文摘录 come only from quiz_present.feedback_of, called only for final answers whose keys the result
page would show (as on the pages). State-changing calls honour an Idempotency-Key (api/idempotency.py).
"""
from __future__ import annotations

import random

from flask_smorest import Blueprint

from quizapp.api import schemas
from quizapp.api.auth import api_user, authenticate_request
from quizapp.api.idempotency import idempotent
from quizapp.errors import ApiError
from quizapp.models import Attempt, AttemptAnswer
from quizapp.models._types import utcnow
from quizapp.services import ServiceError
from quizapp.services.clock import local_day
from quizapp.services.competitions import lifecycle
from quizapp.services.progress import member_figures
from quizapp.services.quizzes import engine, exam_lock, wrongbook
from quizapp.services.quizzes.engine import AttemptExpired
from quizapp.services.quizzes.papers import EXAM_PRESETS, QuizError, practice_rule
from quizapp.views.quiz_present import feedback_of, present_question

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="党员的学习答题接口")
bp.before_request(authenticate_request)


@bp.route("/me")
@bp.response(200, schemas.Me)
def me():
    """当前用户。"""
    user = api_user()
    return {"id": user.id, "username": user.username, "name": user.name, "role": user.role,
            "role_label": user.role_label, "group_id": user.group_id,
            "group_name": user.group.name if user.group else None}


def _start(mode: str, rule, **options) -> dict:
    try:
        attempt = engine.start_attempt(api_user(), mode, rule, now=utcnow(), rng=random.SystemRandom(), **options)
    except QuizError as error:
        raise ApiError(409, "quiz_unavailable", str(error)) from error
    return _paper(attempt)


@bp.route("/daily", methods=["POST"])
@idempotent(bp)
@bp.response(200, schemas.Attempt)
@bp.alt_response(409, schema=schemas.Error, description="今天的每日答题无法开始（如题库不足）")
def start_daily():
    """开始或继续今天的每日答题（同一天再次调用返回同一份试卷）。"""
    return _start("daily", engine.DAILY_RULE)


@bp.route("/practice", methods=["POST"])
@idempotent(bp)
@bp.arguments(schemas.PracticeRequest)
@bp.response(200, schemas.Attempt)
@bp.alt_response(409, schema=schemas.Error, description="该知识点没有可以练习的题目")
def start_practice(body: dict):
    """开始（或继续同一题目范围的）专项练习：每答一题即显示对错。"""
    try:
        rule = practice_rule(body["category"] or None, body["question_type"], body["difficulty"], body["count"])
    except QuizError as error:
        raise ApiError(409, "quiz_unavailable", str(error)) from error
    return _start("practice", rule)


@bp.route("/exams", methods=["POST"])
@idempotent(bp)
@bp.arguments(schemas.ExamRequest)
@bp.response(200, schemas.Attempt)
@bp.alt_response(409, schema=schemas.Error, description="题库不足，无法组卷")
def start_exam(body: dict):
    """开始（或继续）一场限时模拟考试：交卷后才显示答案。只能在线作答。"""
    return _start("exam", EXAM_PRESETS[body["preset"]])


@bp.route("/wrongbook")
@bp.response(200, schemas.WrongCard(many=True))
def wrong_book():
    """我的错题本：该复习的在前（不含答案，答案见各次答题的结果）。"""
    until = wrongbook.due_until(utcnow())
    return [{"id": card.id, "question_id": card.question_id, "type": card.question.type,
             "type_label": card.question.type_label, "stem": card.question.stem, "wrong_count": card.wrong_count,
             "due": card.due, "is_due": card.due < until} for card in wrongbook.book(api_user().id)]


@bp.route("/wrongbook/review", methods=["POST"])
@idempotent(bp)
@bp.response(200, schemas.Attempt)
@bp.alt_response(409, schema=schemas.Error, description="错题本里没有题目")
def start_review():
    """开始（或继续）错题重练：每答一题即显示对错。"""
    try:
        ids = wrongbook.review_question_ids(api_user().id, utcnow())
    except QuizError as error:
        raise ApiError(409, "wrongbook_empty", str(error)) from error
    return _start("review", engine.review_rule(ids), question_ids=ids)


@bp.route("/competitions/<int(max=2147483647):competition_id>/entry", methods=["POST"])
@idempotent(bp)
@bp.response(200, schemas.Attempt)
@bp.alt_response(403, schema=schemas.Error, description="不在这场竞赛的参赛范围内")
@bp.alt_response(404, schema=schemas.Error, description="没有这场竞赛")
@bp.alt_response(409, schema=schemas.Error, description="竞赛未开始、已结束或参赛次数已用完")
def enter_competition(competition_id: int):
    """参加（或继续）一场知识竞赛，规则与网页相同。只能在线作答。"""
    user, now = api_user(), utcnow()
    competition = lifecycle.find(competition_id, now=now)
    seen = lifecycle.seen_as(user, competition) if competition else "unannounced"
    if seen == "unannounced":
        raise ApiError(404, "competition_not_found", "没有找到这场竞赛。")
    if seen == "out_of_scope":
        raise ApiError(403, "competition_forbidden", "您不在这场竞赛的参赛范围内。")
    try:
        attempt = lifecycle.enter(user, competition, now=now, rng=random.Random())
    except ServiceError as error:
        raise ApiError(409, "entry_refused", str(error)) from error
    return _paper(attempt)


def _own_attempt(attempt_id: int) -> Attempt:
    """The member's own attempt; someone else's is as absent as a missing one (as on the pages)."""
    attempt = engine.attempt_of_member(api_user().id, attempt_id)
    if attempt is None:
        raise ApiError(404, "attempt_not_found", "没有找到这次答题。")
    return attempt


def _question(answer: AttemptAnswer, reveal: bool = True) -> dict:
    shown = present_question(answer)
    shown["options"] = [{"letter": letter, "text": text} for letter, text in shown["options"]]
    shown["answered"] = answer.is_answered
    shown["feedback"] = feedback_of(answer) if answer.is_final and reveal else None
    return shown


def summary(attempt: Attempt) -> dict:
    return {"id": attempt.id, "mode": attempt.mode, "mode_label": attempt.mode_label, "title": attempt.title,
            "status": attempt.status, "feedback": attempt.feedback, "started_at": attempt.started_at,
            "deadline": attempt.deadline, "question_count": attempt.question_count}


def _paper(attempt: Attempt) -> dict:
    """An open attempt shows only the answers already final (immediate feedback); a finished one shows
    its keys as the result does: once they are published, and not while the member sits an exam."""
    reveal = attempt.is_open or (attempt.keys_visible(utcnow()) and not _sitting_exam(attempt))
    return {**summary(attempt), "questions": [_question(answer, reveal) for answer in engine.load_paper(attempt)]}


@bp.route("/attempts/<int(max=2147483647):attempt_id>")
@bp.response(200, schemas.Attempt)
@bp.alt_response(404, schema=schemas.Error, description="没有这次答题（或不是自己的）")
def attempt(attempt_id: int):
    """一次答题的试卷和已保存的答案（未交卷时不含答案和解析）。"""
    found = _own_attempt(attempt_id)
    engine.expire_if_due(found, now=utcnow())
    _refuse_feedback_during_exam(found)
    return _paper(found)


@bp.route("/attempts/<int(max=2147483647):attempt_id>/answers/<int(max=2147483647):position>", methods=["PUT"])
@idempotent(bp)
@bp.arguments(schemas.AnswerRequest)
@bp.response(200, schemas.SavedAnswer)
@bp.alt_response(404, schema=schemas.Error, description="没有这次答题，或试卷没有这一题")
@bp.alt_response(409, schema=schemas.Error, description="已交卷或已超时，答案没有保存")
@bp.alt_response(422, schema=schemas.Error, description="答案不符合这道题的题型")
def save_answer(body: dict, attempt_id: int, position: int):
    """保存一题的答案（可反复保存，交卷前以最后一次为准；练习中每题只能确定一次）。"""
    answer = engine.members_answer(api_user().id, attempt_id, position)
    found = answer.attempt if answer else _own_attempt(attempt_id)
    if answer is None:
        raise ApiError(404, "question_not_found", f"这份试卷没有第 {position} 题。")
    _refuse_feedback_during_exam(found)
    try:
        saved = engine.save_answer(found, position, body["given"], now=utcnow(), answer=answer)
    except AttemptExpired as error:
        raise ApiError(409, "attempt_expired", str(error)) from error
    except QuizError as error:
        if not found.is_open:
            raise ApiError(409, "attempt_closed", str(error)) from error
        raise ApiError(422, "answer_refused", str(error)) from error
    return {"position": position, "answered": saved.is_answered,
            "feedback": feedback_of(saved) if saved.is_final else None}


@bp.route("/attempts/<int(max=2147483647):attempt_id>/submit", methods=["POST"])
@idempotent(bp)
@bp.response(200, schemas.Result)
@bp.alt_response(404, schema=schemas.Error, description="没有这次答题")
def submit(attempt_id: int):
    """交卷（已交卷时直接返回结果），返回成绩、答案、解析和原文摘录。"""
    found = _own_attempt(attempt_id)
    engine.finalise_attempt(found, now=utcnow())
    _refuse_during_exam(found)
    return _result(found)


@bp.route("/attempts/<int(max=2147483647):attempt_id>/result")
@bp.response(200, schemas.Result)
@bp.alt_response(404, schema=schemas.Error, description="没有这次答题")
@bp.alt_response(409, schema=schemas.Error, description="还没有交卷")
def result(attempt_id: int):
    """已交卷答题的成绩、答案、解析和原文摘录。"""
    found = _own_attempt(attempt_id)
    engine.expire_if_due(found, now=utcnow())
    if found.is_open:
        raise ApiError(409, "attempt_open", "这次答题还没有交卷，交卷后才能看到答案和解析。")
    _refuse_during_exam(found)
    return _result(found)


def _sitting_exam(attempt: Attempt) -> bool:
    return exam_lock.sitting_exam(attempt.user_id, utcnow(), other_than=attempt.id)


def _refuse_during_exam(attempt: Attempt) -> None:
    """As the result page: no answers of any attempt while the member sits an exam or a competition."""
    if _sitting_exam(attempt):
        raise ApiError(403, "exam_in_progress", exam_lock.MESSAGE)


def _refuse_feedback_during_exam(attempt: Attempt) -> None:
    """As the pages: an open 专项练习 or 错题重练 neither shows nor takes answers while an exam is open."""
    if exam_lock.withholds_feedback(attempt, utcnow()):
        raise ApiError(403, "exam_in_progress", exam_lock.MESSAGE)


def _result(attempt: Attempt) -> dict:
    reveal = attempt.keys_visible(utcnow())
    questions = [_question(answer) for answer in engine.load_paper(attempt)] if reveal else []
    return {**summary(attempt), "score": attempt.score, "max_score": attempt.max_score,
            "correct_count": attempt.correct_count, "finished_at": attempt.finished_at, "keys_visible": reveal,
            "by_type": [{"right": 0, "wrong": 0, "unanswered": 0, **row} for row in engine.results_by_type(attempt)],
            "questions": questions}


@bp.route("/progress")
@bp.response(200, schemas.Progress)
def progress():
    """我的学习概况：积分、连续学习天数、答题和正确数、待复习的错题。"""
    user, now = api_user(), utcnow()
    figures = member_figures.snapshot(user, today=local_day(now), now=now)
    return {"points_total": figures.total.points, "points_this_week": figures.week_points,
            "streak_days": figures.streak, "last_study_day": figures.last_day,
            "attempts": figures.total.attempts, "questions": figures.total.questions,
            "correct": figures.total.correct, "due_reviews": figures.due_reviews,
            "daily_done_today": engine.daily_done_today(user.id, now) is not None}


@bp.route("/competitions")
@bp.response(200, schemas.CompetitionItem(many=True))
def competition_list():
    """对我开放的竞赛：进行中和即将开始的（参赛：POST /competitions/{id}/entry）。"""
    now = utcnow()
    return [{"id": item.id, "title": item.title, "state": item.state(now), "state_label": item.state_label(now),
             "starts_at": item.starts_at, "ends_at": item.ends_at, "time_limit_s": item.time_limit_s,
             "attempts_allowed": item.attempts_allowed}
            for item in lifecycle.upcoming_and_open(api_user(), now)]

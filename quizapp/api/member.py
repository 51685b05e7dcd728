"""The member's API: who am I, daily quiz, practice, answers, submit, result, progress, competitions.

Every rule lives in the services the pages call (quizzes, papers, member_figures, competitions); this
module only reads tokens' users, calls them and shapes JSON. Keys, 解析 and 原文摘录 come only from
quiz_present.feedback_of, called only for final answers (as on the pages).
"""
from __future__ import annotations

import random

from flask_smorest import Blueprint

from quizapp.api import schemas
from quizapp.api.auth import api_user, authenticate_request
from quizapp.errors import ApiError
from quizapp.models import Attempt, AttemptAnswer
from quizapp.models._types import utcnow
from quizapp.services.clock import local_day
from quizapp.services.competitions import lifecycle
from quizapp.services.progress import member_figures
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.engine import AttemptExpired
from quizapp.services.quizzes.papers import QuizError, practice_rule
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


def _start(mode: str, rule) -> dict:
    try:
        attempt = engine.start_attempt(api_user(), mode, rule, now=utcnow(), rng=random.SystemRandom())
    except QuizError as error:
        raise ApiError(409, "quiz_unavailable", str(error)) from error
    return _paper(attempt)


@bp.route("/daily", methods=["POST"])
@bp.response(200, schemas.Attempt)
@bp.alt_response(409, schema=schemas.Error, description="今天的每日答题无法开始（如题库不足）")
def start_daily():
    """开始或继续今天的每日答题（同一天再次调用返回同一份试卷）。"""
    return _start("daily", engine.DAILY_RULE)


@bp.route("/practice", methods=["POST"])
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


def _own_attempt(attempt_id: int) -> Attempt:
    """The member's own attempt; someone else's is as absent as a missing one (as on the pages)."""
    attempt = engine.attempt_of_member(api_user().id, attempt_id)
    if attempt is None:
        raise ApiError(404, "attempt_not_found", "没有找到这次答题。")
    return attempt


def _question(answer: AttemptAnswer) -> dict:
    shown = present_question(answer)
    shown["options"] = [{"letter": letter, "text": text} for letter, text in shown["options"]]
    shown["answered"] = answer.is_answered
    shown["feedback"] = feedback_of(answer) if answer.is_final else None
    return shown


def _summary(attempt: Attempt) -> dict:
    return {"id": attempt.id, "mode": attempt.mode, "mode_label": attempt.mode_label, "title": attempt.title,
            "status": attempt.status, "feedback": attempt.feedback, "started_at": attempt.started_at,
            "deadline": attempt.deadline, "question_count": attempt.question_count}


def _paper(attempt: Attempt) -> dict:
    return {**_summary(attempt), "questions": [_question(answer) for answer in engine.load_paper(attempt)]}


@bp.route("/attempts/<int(max=2147483647):attempt_id>")
@bp.response(200, schemas.Attempt)
@bp.alt_response(404, schema=schemas.Error, description="没有这次答题（或不是自己的）")
def attempt(attempt_id: int):
    """一次答题的试卷和已保存的答案（未交卷时不含答案和解析）。"""
    found = _own_attempt(attempt_id)
    engine.expire_if_due(found, now=utcnow())
    return _paper(found)


@bp.route("/attempts/<int(max=2147483647):attempt_id>/answers/<int(max=2147483647):position>", methods=["PUT"])
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
@bp.response(200, schemas.Result)
@bp.alt_response(404, schema=schemas.Error, description="没有这次答题")
def submit(attempt_id: int):
    """交卷（已交卷时直接返回结果），返回成绩、答案、解析和原文摘录。"""
    found = _own_attempt(attempt_id)
    engine.finalise_attempt(found, now=utcnow())
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
    return _result(found)


def _result(attempt: Attempt) -> dict:
    reveal = attempt.keys_visible(utcnow())
    questions = [_question(answer) for answer in engine.load_paper(attempt)] if reveal else []
    return {**_summary(attempt), "score": attempt.score, "max_score": attempt.max_score,
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
    """对我开放的竞赛：进行中和即将开始的（只列出；参赛请在网页上进行）。"""
    now = utcnow()
    return [{"id": item.id, "title": item.title, "state": item.state(now), "state_label": item.state_label(now),
             "starts_at": item.starts_at, "ends_at": item.ends_at, "time_limit_s": item.time_limit_s,
             "attempts_allowed": item.attempts_allowed}
            for item in lifecycle.upcoming_and_open(api_user(), now)]

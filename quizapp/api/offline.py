"""Offline answering: daily papers handed out ahead of time without keys, and taken in when the member
is back online (services.quizzes.offline_papers holds every rule; this module shapes JSON).

Timed exams and competitions are online-only: they are never handed out here.
"""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from quizapp.api import schemas
from quizapp.api.auth import api_user, authenticate_request
from quizapp.api.idempotency import idempotent
from quizapp.api.member import summary
from quizapp.errors import ApiError
from quizapp.models._types import utcnow
from quizapp.services.quizzes import offline_papers
from quizapp.services.quizzes.papers import QuizError
from quizapp.views.quiz_present import present_question

bp = Blueprint("api_offline", __name__, url_prefix="/api/v1/daily", description="离线答题：提前领取每日答题试卷，联网后提交")
bp.before_request(authenticate_request)


def _question(item) -> dict:
    shown = present_question(item)
    return {"position": shown["position"], "type": shown["type"], "type_label": shown["type_label"],
            "stem": shown["stem"], "options": [{"letter": letter, "text": text} for letter, text in shown["options"]],
            "blanks": len(shown["blanks"])}


@bp.route("/offline-papers")
@bp.response(200, schemas.OfflinePapers)
@bp.alt_response(409, schema=schemas.Error, description="题库不足，无法组卷")
def offline_papers_list():
    """今天（若尚未完成）和之后两天的每日答题试卷，供离线作答；不含答案和解析。同一天内重复领取得到同样的试卷。"""
    try:
        papers = offline_papers.papers_for(api_user(), now=utcnow(), secret=current_app.config["SECRET_KEY"])
    except QuizError as error:
        raise ApiError(409, "quiz_unavailable", str(error)) from error
    return {"papers": [{"day": paper.day, "token": paper.token, "title": paper.title, "expires_at": paper.expires_at,
                        "questions": [_question(item) for item in paper.questions]} for paper in papers]}


REFUSALS = {offline_papers.PaperInvalid: (400, "paper_invalid"), offline_papers.PaperNotYours: (403, "paper_not_yours"),
            offline_papers.PaperNotYet: (409, "paper_not_yet")}


@bp.route("/offline-attempts", methods=["POST"])
@idempotent(bp)
@bp.arguments(schemas.OfflineAttemptRequest)
@bp.response(201, schemas.OfflineAttempt)
@bp.alt_response(200, schema=schemas.OfflineAttempt, description="这份试卷已经提交过：返回同一次答题")
@bp.alt_response(400, schema=schemas.Error, description="试卷凭证无法识别（paper_invalid）")
@bp.alt_response(403, schema=schemas.Error, description="试卷不是发给当前账号的（paper_not_yours）")
@bp.alt_response(409, schema=schemas.Error, description="试卷的日期未到（paper_not_yet），或试卷中的题目已删除（quiz_unavailable）")
def offline_attempt(body: dict):
    """提交离线领取的试卷，开始（或找回）它的答题：当天且当天尚未作答时为计分的每日答题，
    否则作为练习保存（scored 为 false，message 说明原因）。之后用 /attempts/{id}/answers 保存答案并交卷。"""
    try:
        taken = offline_papers.take(api_user(), body["token"], now=utcnow(), secret=current_app.config["SECRET_KEY"])
    except tuple(REFUSALS) as error:
        raise ApiError(*REFUSALS[type(error)], str(error)) from error
    except QuizError as error:
        raise ApiError(409, "quiz_unavailable", str(error)) from error
    return {"attempt": summary(taken.attempt), "scored": taken.scored, "late": taken.late,
            "message": taken.message}, 201 if taken.created else 200

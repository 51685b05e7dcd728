"""Before-request hook applying services.exam_lock: the pages that reveal answers answer 403 while the
member sits an exam or a competition (one query, and only on those pages)."""
from __future__ import annotations

from flask import Flask, abort, request
from flask_login import current_user

from quizapp.models._types import utcnow
from quizapp.services import exam_lock

# endpoint -> the query argument that makes it reveal answers (None: the page always does)
REVEALING = {
    "quiz.result": None,          # the review of an attempt: answers, 解析, 原文摘录
    "progress.member": "attempt",  # 我的学习's drill-down into one attempt's answers
    "sources.show": "highlight",  # the source page marking a question's passage
}


def hide_answers_during_exam():
    if request.endpoint not in REVEALING:
        return None
    argument = REVEALING[request.endpoint]
    if argument is not None and not request.args.get(argument):
        return None
    if current_user.is_authenticated and exam_lock.sitting_exam(current_user.id, utcnow()):
        abort(403, exam_lock.MESSAGE)
    return None


def register(app: Flask) -> None:
    app.before_request(hide_answers_during_exam)

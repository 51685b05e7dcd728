"""Applies services.quizzes.exam_lock in the views that reveal answers: each calls refuse_during_exam() once
it has found what was asked for (so a missing id is still a 404), and answers 403 while the member sits
an exam or a competition. One query, and only on those pages:

- quiz.result (the review of an attempt: answers, 解析, 原文摘录),
- progress.member with ?attempt= (我的学习's drill-down into one attempt's answers),
- sources.show with ?highlight= (the source page marking a question's passage),
- quiz.wrong_book (the 错题本: keys, 解析 and 原文摘录 of the member's wrong answers),
- the pages and saves of an open 专项练习 or 错题重练 (refuse_feedback_during_exam: each answer shows its key),
- progress.group's 薄弱题目 list (keys and 原文摘录), left out while its secretary sits one (sitting_exam).
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from quizapp.models import Attempt
from quizapp.models._types import utcnow
from quizapp.services.quizzes import exam_lock


def sitting_exam(other_than: int | None = None) -> bool:
    """Whether the current user sits an exam or a competition now (other_than: an attempt that does not
    count, the one whose page this is)."""
    return current_user.is_authenticated and exam_lock.sitting_exam(current_user.id, utcnow(), other_than=other_than)


def refuse_during_exam(other_than: int | None = None) -> None:
    """403 while the current user sits an exam or a competition."""
    if sitting_exam(other_than):
        abort(403, exam_lock.MESSAGE)


def refuse_feedback_during_exam(attempt: Attempt) -> None:
    """403 for an open attempt with immediate feedback while the member sits an exam or a competition."""
    if exam_lock.withholds_feedback(attempt, utcnow()):
        abort(403, exam_lock.MESSAGE)

"""While a member sits a 模拟考试 or a 知识竞赛, the app shows him or her no answers at all.

Any question of the bank may be on the paper, so the rule is the simple one (issue 17, item 4): during
such an attempt every page that shows answers, 解析 or a question's 原文 passage is closed to the member —
the review of earlier attempts, an attempt's answers in 我的学习, the 错题本, the source page's highlighting
by question id (`/sources/<id>?highlight=<question id>`, which the 错题本 and reviews link to), and the
attempts that show each key as the member answers (专项练习, 错题重练: not started, not shown, not
answered until the exam is submitted). Reading the 学习园地 itself stays
open: it is study material, the same for everyone, and finding a passage in it takes the reading that a
highlight would save. A timed attempt whose deadline has passed no longer counts (it is scored at its
deadline). The hook that applies it is quizapp.exam_guard.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, or_, select

from quizapp.extensions import db
from quizapp.models import Attempt

LOCKING_MODES = ("exam", "competition")
MESSAGE = "您正在参加模拟考试或知识竞赛，交卷后才能查看答案、解析和原文定位。"
PRACTICE_MESSAGE = "您正在参加模拟考试或知识竞赛，交卷后才能练习（练习每答一题就显示答案）。"

SITTING = (select(Attempt.id)
           .where(Attempt.user_id == bindparam("user_id"), Attempt.status == "open", Attempt.mode.in_(LOCKING_MODES),
                  or_(Attempt.deadline.is_(None), Attempt.deadline > bindparam("now")),
                  Attempt.id != bindparam("other_than"))
           .limit(1))


def sitting_exam(user_id: int, now: datetime, other_than: int | None = None) -> bool:
    """Whether the member has an exam or competition attempt open and not yet past its deadline
    (other_than: leave out this attempt — its own result page only sends the member back to it)."""
    return db.session.scalar(SITTING, {"user_id": user_id, "now": now, "other_than": other_than or 0}) is not None


def withholds_feedback(attempt: Attempt, now: datetime) -> bool:
    """Whether an open attempt that shows each key as the member answers (专项练习, 错题重练) is closed
    now, because the member sits an exam or a competition."""
    return attempt.is_open and attempt.immediate_feedback and sitting_exam(attempt.user_id, now, other_than=attempt.id)

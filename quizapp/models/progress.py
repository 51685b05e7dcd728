"""Summary rows of study progress, kept current when an attempt is finalised.

Every page reads a bounded number of these rows, whatever the length of the history: a member's
figures for a day, a week or a month are one StudyStat row each, so a group's week is one row per
member, never one row per answer. Group figures are sums over the rows of the group's current
members (participation needs distinct members, which per-group daily rows cannot give).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models._types import UTCDateTime
from quizapp.models.users import User

# A StudyStat row covers one local day, one week (starting Monday) or one calendar month.
SPANS = ("day", "week", "month")
# On SQLite the summary tables are stored in primary-key order (WITHOUT ROWID): a member's rows lie
# together and every read through the key is covering, however long the history.
CLUSTERED = {"sqlite_with_rowid": False}


class StudyStat(db.Model):
    """One member's study in one day, week or month (`start` is its first day)."""

    __tablename__ = "study_stat"
    __table_args__ = (
        CheckConstraint(f"span in {SPANS}", name="span"),
        # Group pages read one span and start for many members at once: a covering index, so that
        # they never touch the table, whose size grows with the history.
        Index("ix_study_stat_span_start_user", "span", "start", "user_id", "attempts", "questions", "correct",
              "points"),
        CLUSTERED,
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    span: Mapped[str] = mapped_column(String(5), primary_key=True)
    start: Mapped[date] = mapped_column(primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    questions: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)
    points: Mapped[int] = mapped_column(default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    time_used_s: Mapped[int] = mapped_column(default=0)


class CategoryStat(db.Model):
    """One member's answers in one category (知识点) in one day, week or month."""

    __tablename__ = "category_stat"
    __table_args__ = (
        CheckConstraint(f"span in {SPANS}", name="span"),
        Index("ix_category_stat_span_start_user", "span", "start", "user_id", "category_id", "questions", "correct"),
        CLUSTERED,
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    span: Mapped[str] = mapped_column(String(5), primary_key=True)
    start: Mapped[date] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), primary_key=True)
    questions: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)


class QuestionStat(db.Model):
    """A member's latest answer to one question, for mastery: one row per question ever answered."""

    __tablename__ = "question_stat"
    __table_args__ = (CLUSTERED,)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), primary_key=True)
    last_correct: Mapped[bool] = mapped_column(default=False)
    last_answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MemberTotal(db.Model):
    """A member's whole history in one row: totals, last study day and the current streak."""

    __tablename__ = "member_total"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    questions: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)
    points: Mapped[int] = mapped_column(default=0)
    last_day: Mapped[date | None]  # the last local day with a finished attempt
    streak: Mapped[int] = mapped_column(default=0)  # consecutive study days ending on last_day


# The organisation overview counts each group's active members and joins them to their summary rows;
# with this index it reads no user row (SQLite adds the id to every index).
Index("ix_user_group_active", User.group_id, User.active)

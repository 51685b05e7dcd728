"""Attempts at a paper, their answers, the points ledger and the wrong-answer book."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models._types import UTCDateTime, utcnow
from quizapp.models.questions import Question

MODES = {
    "daily": "每日答题",
    "practice": "专项练习",
    "exam": "模拟考试",
    "review": "错题重练",
    "competition": "知识竞赛",
}


class Attempt(db.Model):
    """One sitting of one paper by one member, in any mode (a competition is one more mode)."""

    __tablename__ = "attempt"
    __table_args__ = (
        CheckConstraint(f"mode in {tuple(MODES)}", name="mode"),
        CheckConstraint("status in ('open', 'finished')", name="status"),
        # One open attempt per user and quiz: open_slot names the quiz while the attempt is open
        # and is NULL once finished (NULLs never collide in a unique constraint).
        UniqueConstraint("user_id", "open_slot"),
        Index("ix_attempt_user_finished", "user_id", "finished_at"),
        Index("ix_attempt_user_study_day", "user_id", "study_day"),
        # finalise_expired walks the open attempts whose deadline has passed.
        Index("ix_attempt_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    mode: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100), default="")
    competition_id: Mapped[int | None] = mapped_column(index=True)
    rule: Mapped[dict] = mapped_column(JSON)  # the PaperRule as drawn, for the record
    seed: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="open")
    open_slot: Mapped[str | None] = mapped_column(String(50))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    study_day: Mapped[date | None]  # local day of finished_at, for streaks
    # With feedback "after_end" (competitions) the answers are shown only from this instant.
    reveal_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    correct_count: Mapped[int] = mapped_column(default=0)
    question_count: Mapped[int] = mapped_column(default=0)
    time_used_s: Mapped[int] = mapped_column(default=0)

    user = relationship("User")
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.position", cascade="all, delete-orphan"
    )

    @property
    def mode_label(self) -> str:
        return MODES[self.mode]

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def feedback(self) -> str:
        return self.rule.get("feedback", "after_submit")

    @property
    def immediate_feedback(self) -> bool:
        return self.feedback == "immediate"

    @property
    def answered_count(self) -> int:
        return sum(1 for answer in self.answers if answer.is_answered)

    def is_expired(self, now: datetime) -> bool:
        return self.is_open and self.deadline is not None and now >= self.deadline

    def keys_visible(self, now: datetime) -> bool:
        """Whether the result page may show the right answers now."""
        return not self.is_open and (self.reveal_at is None or now >= self.reveal_at)


class AttemptAnswer(db.Model):
    """One question of an attempt's paper and the member's answer to it (autosaved)."""

    __tablename__ = "attempt_answer"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    # The version asked: presentation and scoring read it, never the question's current content.
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    # option_order[i] is the original index of the option shown in place i.
    option_order: Mapped[list] = mapped_column(JSON, default=list)
    points: Mapped[float] = mapped_column(Float, default=1.0)
    given: Mapped[object | None] = mapped_column(JSON)  # in original option letters
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_correct: Mapped[bool | None]
    score: Mapped[float] = mapped_column(Float, default=0.0)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question = relationship("Question")
    version = relationship("QuestionVersion")

    @property
    def is_answered(self) -> bool:
        return self.given is not None

    @property
    def is_final(self) -> bool:
        """Final answers may show the key: after submission, or once answered with immediate feedback."""
        return not self.attempt.is_open or (self.attempt.immediate_feedback and self.is_answered)


class PointsEntry(db.Model):
    """学习积分 ledger: every change of a member's points, with its reason."""

    __tablename__ = "points_entry"
    __table_args__ = (Index("ix_points_entry_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    day: Mapped[date]  # local study day (Asia/Shanghai by default)
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(50))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempt.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A revocation (a negative row) names the entry it cancels; unique, so nothing is revoked twice.
    revokes_id: Mapped[int | None] = mapped_column(ForeignKey("points_entry.id"), unique=True)


class ReviewCard(db.Model):
    """A question in a member's wrong-answer book (错题本), scheduled with FSRS."""

    __tablename__ = "review_card"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_card_user_due", "user_id", "active", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    card: Mapped[dict] = mapped_column(JSON)  # fsrs.Card.to_dict()
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)  # False once mastered or removed by hand
    wrong_count: Mapped[int] = mapped_column(default=1)
    right_streak: Mapped[int] = mapped_column(default=0)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_reason: Mapped[str | None] = mapped_column(String(20))  # mastered / removed

    question = relationship("Question")


# A category-filtered draw seeks this index once per category of the subtree (services.quizzes.papers);
# ix_question_draw alone would walk past every question of other categories.
Index("ix_question_draw_category", Question.status, Question.type, Question.category_id, Question.draw_key,
      Question.id)

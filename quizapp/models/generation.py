"""Candidate questions the 每周一学 generator drafted from a source, awaiting an admin's review."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models._types import UTCDateTime, utcnow

CANDIDATE_STATES = {"pending": "待审核", "approved": "已采用", "rejected": "已舍弃"}


class Candidate(db.Model):
    """One generated question. Its key is stable across runs, so a rejected one is never offered again."""

    __tablename__ = "candidate"
    __table_args__ = (
        CheckConstraint("state in ('pending', 'approved', 'rejected')", name="state"),
        Index("ix_candidate_source_state", "source_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100), unique=True)
    draft: Mapped[dict] = mapped_column(JSON)  # a QuestionDraft as a plain dict, editable before approval
    state: Mapped[str] = mapped_column(String(10), default="pending")
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source = relationship("Source")
    question = relationship("Question")

    @property
    def state_label(self) -> str:
        return CANDIDATE_STATES[self.state]

"""Competitions (知识竞赛 / 比武): their settings, scope, entries and the summary rows boards read."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models._types import UTCDateTime, utcnow

COMPETITION_STATES = {
    "draft": "草稿",
    "scheduled": "未开始",
    "open": "进行中",
    "ended": "已结束",
    "published": "已公布成绩",
}
# How the branch board ranks groups; see services.competitions.leaderboard.branch_board for the formulas.
BRANCH_INDEXES = {
    "avg_x_rate": "平均分 × 参赛率",
    "average": "参赛者平均分",
    "rate": "参赛率（平均分其次）",
}
FEEDBACK_CHOICES = {"after_submit": "交卷后立即显示答案和解析", "after_end": "竞赛结束后才显示答案和解析"}


class Competition(db.Model):
    """One contest: a time window, a scope, and a paper (fixed questions or a PaperRule)."""

    __tablename__ = "competition"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="window"),
        CheckConstraint("attempts_allowed >= 1", name="attempts_allowed"),
        CheckConstraint(f"branch_index in {tuple(BRANCH_INDEXES)}", name="branch_index"),
        CheckConstraint(f"feedback in {tuple(FEEDBACK_CHOICES)}", name="feedback"),
        Index("ix_competition_window", "announced_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    whole_organisation: Mapped[bool] = mapped_column(default=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The paper: a PaperRule dict (sections, time limit, feedback...) and, for a fixed paper, the
    # question ids in order (then the rule's sections only carry the points per type).
    rule: Mapped[dict] = mapped_column(JSON)
    question_ids: Mapped[list | None] = mapped_column(JSON)
    time_limit_s: Mapped[int | None]
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    feedback: Mapped[str] = mapped_column(String(20), default="after_end")
    participation_points: Mapped[int] = mapped_column(default=0)
    placing_points: Mapped[list] = mapped_column(JSON, default=list)  # [1st, 2nd, 3rd, ...]
    branch_index: Mapped[str] = mapped_column(String(20), default="avg_x_rate")
    board_hidden: Mapped[bool] = mapped_column(default=False)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None while a draft
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # members recounted, open attempts closed
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("User")
    scope_groups = relationship("StudyGroup", secondary="competition_scope", order_by="StudyGroup.name")

    def state(self, now: datetime) -> str:
        """draft / scheduled / open / ended / published, derived from the times."""
        if self.announced_at is None:
            return "draft"
        if self.results_published_at is not None:
            return "published"
        if now < self.starts_at:
            return "scheduled"
        return "open" if now < self.ends_at else "ended"

    def state_label(self, now: datetime) -> str:
        return COMPETITION_STATES[self.state(now)]

    @property
    def is_fixed_paper(self) -> bool:
        return self.question_ids is not None

    def __repr__(self) -> str:
        return f"<Competition {self.title}>"


class CompetitionScope(db.Model):
    """A group chosen as the scope of a competition; every group below it is in scope too."""

    __tablename__ = "competition_scope"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id", ondelete="CASCADE"), primary_key=True)


class CompetitionEntry(db.Model):
    """One participant of one competition: created on entering, best attempt kept when one finishes."""

    __tablename__ = "competition_entry"
    __table_args__ = (
        UniqueConstraint("competition_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("study_group.id"), index=True)
    attempts_used: Mapped[int] = mapped_column(default=0)  # attempts started
    attempts_finished: Mapped[int] = mapped_column(default=0)
    # The best finished attempt; all NULL until the first attempt is finished.
    best_attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempt.id"))
    best_score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    time_used_s: Mapped[int | None]
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
    group = relationship("StudyGroup")


# The individual board walks this index in its own order: score desc, time asc, earlier submission.
Index("ix_competition_entry_board", CompetitionEntry.competition_id, CompetitionEntry.best_score.desc(),
      CompetitionEntry.time_used_s, CompetitionEntry.submitted_at, CompetitionEntry.user_id)


class CompetitionGroupStat(db.Model):
    """Per group of a competition: participants, their best scores summed, and the members in scope."""

    __tablename__ = "competition_group_stat"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id", ondelete="CASCADE"), primary_key=True)
    participants: Mapped[int] = mapped_column(default=0)
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    members_in_scope: Mapped[int] = mapped_column(default=0)

    group = relationship("StudyGroup")


class CompetitionScoreCount(db.Model):
    """How many participants have each best score: a rank is the sum of the counts above it plus
    the ties broken inside one score, so finding it never walks the whole board."""

    __tablename__ = "competition_score_count"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float, primary_key=True)
    entries: Mapped[int] = mapped_column(default=0)


class CompetitionQuestionStat(db.Model):
    """Per question of a competition: how often it was answered and answered right (every finished attempt)."""

    __tablename__ = "competition_question_stat"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    answered: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)

    question = relationship("Question")

"""The question-quality loop: members' 纠错 reports on questions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models._types import UTCDateTime, utcnow

REPORT_REASONS = {
    "wrong_key": "答案有误",
    "ambiguous": "题干有歧义",
    "wrong_options": "选项有误",
    "typo": "错别字",
    "other": "其他",
}
REPORT_OUTCOMES = {"open": "待处理", "fixed": "已修正", "retired": "已停用", "dismissed": "未采纳"}


class QuestionReport(db.Model):
    """答题纠错: a member says a question is wrong; an admin fixes, retires or dismisses it with a reply."""

    __tablename__ = "question_report"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),  # one report per member and question
        CheckConstraint(f"reason in {tuple(REPORT_REASONS)}", name="reason"),
        CheckConstraint(f"status in {tuple(REPORT_OUTCOMES)}", name="status"),
        Index("ix_question_report_status_question", "status", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))  # what the member saw
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempt.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    reply: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user = relationship("User", foreign_keys=[user_id])
    question = relationship("Question")
    version = relationship("QuestionVersion")

    @property
    def reason_label(self) -> str:
        return REPORT_REASONS[self.reason]

    @property
    def status_label(self) -> str:
        return REPORT_OUTCOMES[self.status]


class ItemStat(db.Model):
    """How one question version behaves, as running sums kept at finalise (services.quality.item_stats).

    x is an attempt's share of its maximum score; an answer is "correct" when fully right. The sums give
    the proportion correct and the point-biserial discrimination without reading any answer again;
    "strong" attempts are those with x >= item_stats.STRONG_SHARE.
    """

    __tablename__ = "item_stat"
    __table_args__ = (Index("ix_item_stat_question", "question_id", "question_version_id"),
                      Index("ix_item_stat_suspicious", "suspicious", "question_version_id"))

    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id", ondelete="CASCADE"),
                                                     primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    attempts: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)
    share_sum: Mapped[float] = mapped_column(Float, default=0.0)  # sum of x
    share_square_sum: Mapped[float] = mapped_column(Float, default=0.0)  # sum of x²
    correct_share_sum: Mapped[float] = mapped_column(Float, default=0.0)  # sum of x over correct answers
    strong_attempts: Mapped[int] = mapped_column(default=0)
    strong_correct: Mapped[int] = mapped_column(default=0)
    seconds_sum: Mapped[float] = mapped_column(Float, default=0.0)  # the attempt's time per question, summed
    # Whether the 可疑题目 rules flag the version now (services.quality.item_stats.refresh_flags, kept with the sums).
    suspicious: Mapped[bool] = mapped_column(default=False)


class ItemChoiceStat(db.Model):
    """How often each option (original letter; T/F for 判断) of a version was chosen, by all and by strong attempts."""

    __tablename__ = "item_choice_stat"

    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id", ondelete="CASCADE"),
                                                     primary_key=True)
    choice: Mapped[str] = mapped_column(String(5), primary_key=True)
    chosen: Mapped[int] = mapped_column(default=0)
    strong_chosen: Mapped[int] = mapped_column(default=0)


REGRADE_MODES = {"none": "不改变过去的成绩", "credit": "所有作答一律给分", "rekey": "按新答案重新评分"}


class Regrade(db.Model):
    """A decision on the past answers to a question version whose key was fixed: who, when, why, how,
    and what it changed (services.quality.regrades)."""

    __tablename__ = "regrade"
    __table_args__ = (CheckConstraint(f"mode in {tuple(REGRADE_MODES)}", name="mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    old_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    new_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    mode: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts_changed: Mapped[int] = mapped_column(default=0)
    members_changed: Mapped[int] = mapped_column(default=0)
    points_changed: Mapped[int] = mapped_column(default=0)  # the sum of the ledger corrections
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("User")

    @property
    def mode_label(self) -> str:
        return REGRADE_MODES[self.mode]


class RegradeCompetition(db.Model):
    """A competition whose results a regrade changed (its results page shows a note)."""

    __tablename__ = "regrade_competition"

    regrade_id: Mapped[int] = mapped_column(ForeignKey("regrade.id", ondelete="CASCADE"), primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True,
                                                index=True)

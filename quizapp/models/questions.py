"""The question bank in the database: categories, sources, questions and their versions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.draft import DIFFICULTIES, QUESTION_TYPES, STATUSES
from quizapp.extensions import db
from quizapp.models._types import UTCDateTime, utcnow


class Category(db.Model):
    """分类/知识点, a tree; `path` is the full name such as 党史/百年奋斗."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(500), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.name")

    def __repr__(self) -> str:
        return f"<Category {self.path}>"


class Source(db.Model):
    """A study text or article that questions are drawn from."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str | None] = mapped_column(String(200), unique=True)  # bundled file name, if any
    title: Mapped[str] = mapped_column(String(300))
    publication: Mapped[str] = mapped_column(String(100), default="")
    published_on: Mapped[date | None]
    section: Mapped[str] = mapped_column(String(100), default="")
    articles: Mapped[list] = mapped_column(JSON, default=list)  # article titles, rendered as headings
    # The whole text is read only where it is shown or drafted from: lists and quiz feedback need the rest.
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[Question]] = relationship(back_populates="source")

    def __repr__(self) -> str:
        return f"<Source {self.title}>"


class ImportBatch(db.Model):
    """One imported file: who brought it, when, what it held, and what became of its questions."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created: Mapped[int] = mapped_column(default=0)  # new questions (these carry the batch id)
    updated: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)  # duplicates left as they were
    invalid: Mapped[int] = mapped_column(default=0)  # rows with problems, skipped when asked to
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    removed: Mapped[int] = mapped_column(default=0)  # questions deleted on withdrawal (never used)
    retired: Mapped[int] = mapped_column(default=0)  # questions retired on withdrawal (used, kept for history)

    created_by = relationship("User", foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<ImportBatch {self.file_name}>"


def answer_text(kind: str, answer) -> str:
    """A key as an admin reads it: letters, 正确/错误, or the blanks' accepted answers."""
    if kind == "judge":
        return "正确" if answer else "错误"
    if kind == "fill":
        return "；".join("/".join(accepted) for accepted in answer)
    return "".join(answer)


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (
        CheckConstraint(f"type in {tuple(QUESTION_TYPES)}", name="type"),
        CheckConstraint(f"status in {tuple(STATUSES)}", name="status"),
        CheckConstraint(f"difficulty in {tuple(DIFFICULTIES)}", name="difficulty"),
        # Drawing a paper walks this index from a random point in (draw_key, id) order; see services.quizzes.papers.
        Index("ix_question_draw", "status", "type", "draw_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(10))
    stem: Mapped[str] = mapped_column(Text)
    normalised_stem: Mapped[str] = mapped_column(String(500), index=True)
    options: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[object] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[int] = mapped_column(default=2)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"), index=True)
    quote: Mapped[str] = mapped_column(Text, default="")
    # A uniform random number in [0, 1), fixed at creation, for drawing without a table scan.
    draw_key: Mapped[float] = mapped_column(Float, default=0.0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    category: Mapped[Category | None] = relationship()
    source: Mapped[Source | None] = relationship(back_populates="questions")

    @property
    def type_label(self) -> str:
        return QUESTION_TYPES[self.type]

    @property
    def difficulty_label(self) -> str:
        return DIFFICULTIES[self.difficulty]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def answer_text(self) -> str:
        return answer_text(self.type, self.answer)

    def __repr__(self) -> str:
        return f"<Question {self.key}>"


class QuestionVersion(db.Model):
    """What a question said at one time: an attempt answer points at the version it was asked in, so
    past results, reviews and boards show (and score against) what the member actually saw.

    The question row keeps the current content for drawing, searching and export; a new version is
    written by services.bank.questions.snapshot_versions whenever that content differs from the latest
    version and the latest version has been asked (an unasked version is corrected in place).
    """

    __tablename__ = "question_version"
    __table_args__ = (
        UniqueConstraint("question_id", "number"),
        CheckConstraint(f"type in {tuple(QUESTION_TYPES)}", name="type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, ... per question
    type: Mapped[str] = mapped_column(String(10))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[object] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()

    @property
    def type_label(self) -> str:
        return QUESTION_TYPES[self.type]

    @property
    def answer_text(self) -> str:
        return answer_text(self.type, self.answer)

    def __repr__(self) -> str:
        return f"<QuestionVersion {self.question_id}#{self.number}>"

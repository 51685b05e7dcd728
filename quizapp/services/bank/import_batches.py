"""Import batches: the list of imported files, and withdrawing one.

Withdrawing removes the batch's questions that no member ever met (no answer, review card,
competition figure or generated candidate points at them) and retires the others, which stay
for the history of the attempts that used them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, union, update
from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import (
    AttemptAnswer,
    Candidate,
    CompetitionQuestionStat,
    ImportBatch,
    Question,
    QuestionStat,
    ReviewCard,
    User,
)
from quizapp.services import ServiceError, audit

RECENT_BATCHES = 100


class ImportBatchError(ServiceError):
    pass


@dataclass(frozen=True)
class Withdrawal:
    removed: int
    retired: int

    def summary(self) -> str:
        return f"已撤回：删除 {self.removed} 道从未使用的题，停用 {self.retired} 道已被作答过的题（保留作答记录）。"


def recent_batches(limit: int = RECENT_BATCHES) -> list[ImportBatch]:
    """The latest imports, newest first, with who imported them."""
    query = (select(ImportBatch).options(selectinload(ImportBatch.created_by))
             .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def _used_ids(batch_id: int) -> set[int]:
    in_batch = select(Question.id).where(Question.import_batch_id == batch_id)
    used = union(*(select(column).where(column.in_(in_batch)) for column in (
        AttemptAnswer.question_id, ReviewCard.question_id, CompetitionQuestionStat.question_id,
        Candidate.question_id)))
    return set(db.session.scalars(used))


def withdraw_batch(batch_id: int, *, acting_user: User | None, now: datetime) -> Withdrawal:
    """Remove the batch's never-used questions and retire the used ones, in one transaction."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        raise ImportBatchError("这次导入不存在。")
    if batch.withdrawn_at is not None:
        raise ImportBatchError(f"「{batch.file_name}」的这次导入已经撤回过了。")
    ids = set(db.session.scalars(select(Question.id).where(Question.import_batch_id == batch_id)))
    used = _used_ids(batch_id)
    unused = ids - used
    if unused:
        db.session.execute(delete(QuestionStat).where(QuestionStat.question_id.in_(unused)))
        db.session.execute(delete(Question).where(Question.id.in_(unused)))
    if used:
        db.session.execute(update(Question).where(Question.id.in_(used)).values(status="retired", updated_at=now))
    batch.withdrawn_at, batch.removed, batch.retired = now, len(unused), len(used)
    batch.withdrawn_by_id = acting_user.id if acting_user else None
    audit.record(acting_user.id if acting_user else None, "question.batch_withdraw",
                 audit.target("import_batch", batch.id),
                 {"file": batch.file_name, "removed": batch.removed, "retired": batch.retired}, now)
    db.session.commit()
    return Withdrawal(len(unused), len(used))

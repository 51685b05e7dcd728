"""Idempotency keys of the JSON API: a retried request gets the first response again, without a second run.

claim() adds the key's row to the caller's transaction before the request's work, so the row commits
with that work (a concurrent retry with the same key waits on the unique key, then finds it); store()
then writes the response. A row that holds no response yet is a request still running, or one whose
process died: after STALE it is claimed anew. Rows older than KEEP are pruned (flask prune-idempotency-keys).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models.idempotency import IdempotencyRecord

KEEP = timedelta(days=7)
STALE = timedelta(minutes=2)


@dataclass(frozen=True)
class Stored:
    fingerprint: str
    status_code: int | None  # None: the first request is still running
    body: str | None


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def _row(user_id: int, key: str):
    return (IdempotencyRecord.user_id == user_id) & (IdempotencyRecord.key == key)


# Core statements built once (no ORM unit-of-work step): every keyed request runs CLAIM and STORE.
_table = IdempotencyRecord.__table__
CLAIM = insert(_table)
STORE = (update(_table).where(_table.c.user_id == bindparam("the_user"), _table.c.key == bindparam("the_key"))
         .values(status_code=bindparam("new_status"), body=bindparam("new_body")))


def claim(user_id: int, key: str, print_: str, *, now: datetime) -> Stored | None:
    """Claim the key for this request (None), or what an earlier request with it stored."""
    try:
        db.session.execute(CLAIM, {"user_id": user_id, "key": key, "fingerprint": print_, "created_at": now})
        return None
    except IntegrityError:
        db.session.rollback()
    found = db.session.scalar(select(IdempotencyRecord).where(_row(user_id, key)))
    if found is not None and (found.status_code is not None or found.created_at >= now - STALE):
        return Stored(found.fingerprint, found.status_code, found.body)
    db.session.execute(delete(IdempotencyRecord).where(_row(user_id, key)))  # pruned meanwhile, or stale
    return claim(user_id, key, print_, now=now)


def store(user_id: int, key: str, print_: str, status_code: int, body: str, *, now: datetime) -> None:
    """Keep the response of the request that claimed the key (its claim may have been rolled back)."""
    stored = db.session.execute(STORE, {"the_user": user_id, "the_key": key, "new_status": status_code, "new_body": body})
    if stored.rowcount == 0:
        db.session.execute(CLAIM, {"user_id": user_id, "key": key, "fingerprint": print_, "created_at": now,
                                   "status_code": status_code, "body": body})
    try:
        db.session.commit()
    except IntegrityError:  # a retry claimed it after a rollback of ours: it keeps its own
        db.session.rollback()


def release(user_id: int, key: str) -> None:
    """Forget a claim whose request failed, so that a retry runs again."""
    db.session.rollback()
    db.session.execute(delete(IdempotencyRecord).where(_row(user_id, key)))
    db.session.commit()


def prune(*, now: datetime) -> int:
    deleted = db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - KEEP)).rowcount
    db.session.commit()
    return deleted

"""Files handed out exactly once (initial password sheets): stored for their owner, deleted when fetched."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from quizapp.extensions import db
from quizapp.models import User
from quizapp.models.downloads import OneTimeDownload

LIFETIME = timedelta(hours=1)


@dataclass(frozen=True)
class Fetched:
    filename: str
    content: bytes


def offer(owner: User, filename: str, label: str, content: bytes, *, now: datetime) -> OneTimeDownload:
    """Store a file for `owner` in the caller's transaction (no commit), dropping expired ones."""
    db.session.execute(delete(OneTimeDownload).where(OneTimeDownload.expires_at <= now))
    download = OneTimeDownload(token=secrets.token_urlsafe(32), owner_id=owner.id, filename=filename, label=label,
                               content=content, created_at=now, expires_at=now + LIFETIME)
    db.session.add(download)
    return download


def pending(owner: User, *, now: datetime) -> list[OneTimeDownload]:
    """The owner's files not yet fetched and not expired, newest first."""
    query = (select(OneTimeDownload).where(OneTimeDownload.owner_id == owner.id, OneTimeDownload.expires_at > now)
             .order_by(OneTimeDownload.created_at.desc()))
    return list(db.session.scalars(query))


def take(owner: User, token: str, *, now: datetime) -> Fetched | None:
    """Remove and return the file; None if unknown, someone else's, expired or already fetched.

    One DELETE ... RETURNING, so that two simultaneous requests cannot both receive it.
    """
    statement = (delete(OneTimeDownload)
                 .where(OneTimeDownload.token == token, OneTimeDownload.owner_id == owner.id,
                        OneTimeDownload.expires_at > now)
                 .returning(OneTimeDownload.filename, OneTimeDownload.content))
    row = db.session.execute(statement).first()
    db.session.commit()
    return Fetched(row.filename, row.content) if row else None

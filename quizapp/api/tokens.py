"""Tokens of the JSON API, with plain inputs (the app's secret, `now`): no Flask imports.

An access token is short-lived and signed (itsdangerous) with the app's secret; it names the user,
the refresh token it was issued with and the user's session version when the model has one. A
refresh token is random, kept only as its SHA-256 hash, used once: refreshing revokes it and issues
a new pair. Presenting a refresh token that was already rotated revokes every token of that user
(someone holds a stolen copy).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from quizapp.extensions import db
from quizapp.models import User
from quizapp.models.api_tokens import ApiRefreshToken

ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=30)
SALT = "quizapp-api-access"


@dataclass
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int = int(ACCESS_TTL.total_seconds())
    refresh_expires_in: int = int(REFRESH_TTL.total_seconds())
    token_type: str = "Bearer"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _session_version(user: User):
    """The user's session version, once accounts have one (bumped when sessions must end)."""
    return getattr(user, "session_version", None)


def issue(user: User, *, secret: str, now: datetime) -> TokenPair:
    refresh = secrets.token_urlsafe(32)
    row = ApiRefreshToken(user_id=user.id, token_hash=_hash(refresh), created_at=now, expires_at=now + REFRESH_TTL)
    db.session.add(row)
    db.session.flush()
    payload = {"uid": user.id, "rid": row.id, "sv": _session_version(user)}
    access = URLSafeTimedSerializer(secret, salt=SALT).dumps(payload)
    db.session.commit()
    return TokenPair(access, refresh)


# One statement for the token's row and its user, built once (its cache key is memoised).
TOKEN_WITH_USER = (select(ApiRefreshToken).options(joinedload(ApiRefreshToken.user))
                   .where(ApiRefreshToken.id == bindparam("token_id")))


def user_of_access_token(token: str, *, secret: str, now: datetime) -> User | None:
    """The active user an access token stands for, or None (bad, expired, revoked or outdated)."""
    try:
        payload = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=int(ACCESS_TTL.total_seconds()))
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("rid"), int):
        return None
    row = db.session.scalars(TOKEN_WITH_USER, {"token_id": payload["rid"]}).first()
    if row is None or row.user_id != payload.get("uid") or not row.usable(now):
        return None
    return row.user if _session_version(row.user) == payload.get("sv") else None


def _find(refresh_token: str) -> ApiRefreshToken | None:
    return db.session.scalar(select(ApiRefreshToken).where(ApiRefreshToken.token_hash == _hash(refresh_token)))


def rotate(refresh_token: str, *, secret: str, now: datetime) -> TokenPair | None:
    """A new pair for a usable refresh token (which is revoked); None when it cannot be used."""
    row = _find(refresh_token)
    if row is None:
        return None
    if row.revoked_at is not None:
        revoke_all(row.user_id, now=now)
        return None
    if not row.usable(now):
        return None
    row.revoked_at = now
    return issue(row.user, secret=secret, now=now)


def revoke(refresh_token: str, *, now: datetime) -> bool:
    """Revoke one refresh token and the access tokens issued with it; False if it is unknown."""
    row = _find(refresh_token)
    if row is None:
        return False
    if row.revoked_at is None:
        row.revoked_at = now
    db.session.commit()
    return True


def revoke_all(user_id: int, *, now: datetime) -> None:
    db.session.execute(update(ApiRefreshToken).where(ApiRefreshToken.user_id == user_id,
                                                     ApiRefreshToken.revoked_at.is_(None)).values(revoked_at=now))
    db.session.commit()

"""Refresh tokens of the JSON API: random, stored only as a SHA-256 hash, expiring and revocable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models._types import UTCDateTime, utcnow


class ApiRefreshToken(db.Model):
    """One refresh token. Access tokens name the row they came from, so revoking it ends them too."""

    __tablename__ = "api_refresh_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at and self.user.is_active

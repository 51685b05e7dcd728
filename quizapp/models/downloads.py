"""Files offered for download exactly once, such as the sheet of initial passwords."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models._types import UTCDateTime


class OneTimeDownload(db.Model):
    """A file kept server-side for its owner until fetched once or expired (then deleted).

    Kept in the database, not the cookie session: the content is secret and may be large, and every
    worker process must see it.
    """

    __tablename__ = "one_time_download"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

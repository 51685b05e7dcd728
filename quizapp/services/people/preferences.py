"""A member's display preferences, kept with the account so that they follow the member to any device."""
from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import User


def set_elder_mode(user: User, on: bool) -> None:
    """Turn 长辈版 (larger text and controls) on or off; either choice also ends the first-login offer."""
    user.elder_mode = on
    db.session.commit()

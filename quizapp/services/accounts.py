"""Accounts: authentication, passwords, creating and deactivating users."""
from __future__ import annotations

import secrets

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import ROLES, User
from quizapp.models._types import utcnow
from quizapp.services import AccountError

MIN_PASSWORD_LENGTH = 8
# Letters and digits that cannot be mistaken for one another when read from a printed sheet.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 10) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def authenticate(username: str, password: str) -> User | None:
    """The user if the username and password match an active account, else None (no hint why)."""
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def check_new_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"新密码至少需要 {MIN_PASSWORD_LENGTH} 位。")
    if password.lower() == username.lower():
        raise AccountError("新密码不能与用户名相同。")
    if password.isdigit() or password.isalpha():
        raise AccountError("新密码需同时包含字母和数字。")


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise AccountError("当前密码不正确。")
    if current == new:
        raise AccountError("新密码不能与当前密码相同。")
    check_new_password(new, user.username)
    user.set_password(new)
    user.must_change_password = False
    db.session.commit()


def create_user(username: str, name: str, role: str = "member", group_id: int | None = None,
                password: str | None = None) -> tuple[User, str]:
    """Create a user; without a password one is generated and must be changed at first login."""
    username = username.strip()
    if role not in ROLES:
        raise AccountError(f"未知角色：{role}")
    if find_user(username):
        raise AccountError(f"用户名「{username}」已被使用。")
    initial = password or generate_password()
    user = User(username=username, name=name.strip(), role=role, group_id=group_id,
                must_change_password=password is None)
    user.set_password(initial)
    db.session.add(user)
    db.session.commit()
    return user, initial


def reset_password(user: User) -> str:
    """Give the user a new generated password, to be changed at next login."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    db.session.commit()
    return password


def set_active(user: User, active: bool, acting: User) -> None:
    if user.id == acting.id and not active:
        raise AccountError("不能停用自己的账号。")
    user.active = active
    db.session.commit()

"""Accounts: authentication, passwords, creating and deactivating users."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Select, bindparam, func, or_, select, update
from werkzeug.security import generate_password_hash

from quizapp.database import commit_keeping_state
from quizapp.extensions import db
from quizapp.models import ROLES, ApiRefreshToken, StudyGroup, User
from quizapp.models._types import utcnow
from quizapp.services import AccountError

MIN_PASSWORD_LENGTH = 8
USERNAME_MAX_LENGTH = 64
NAME_MAX_LENGTH = 64
# Generated passwords carry ~58 random bits, so a light scrypt cost (about 2 ms, 1 MiB) already puts
# them beyond brute force; the full cost of set_password (about 90 ms) is for passwords people choose.
# A 5000-row roster import then hashes in about 10 s instead of 8 minutes. Each is replaced at first login.
INITIAL_PASSWORD_METHOD = "scrypt:1024:8:1"
# Letters and digits that cannot be mistaken for one another when read from a printed sheet.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 10) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def hash_initial_password(password: str) -> str:
    return generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)


def username_problem(username: str) -> str:
    """Why `username` cannot be a login name ("" if it can); shared by forms and roster import."""
    if not username:
        return "用户名为空"
    if len(username) > USERNAME_MAX_LENGTH:
        return f"用户名超过 {USERNAME_MAX_LENGTH} 个字符"
    if any(char.isspace() for char in username):
        return "用户名不能包含空格"
    return ""


def name_problem(name: str) -> str:
    if not name:
        return "姓名为空"
    if len(name) > NAME_MAX_LENGTH:
        return f"姓名超过 {NAME_MAX_LENGTH} 个字符"
    return ""


def login_key(username: str) -> str:
    """The name login limits give the account a login form names: a hash of the normalised username, cut
    to the longest real one first, so that a request cannot make the limiter store a long key."""
    normalised = username.strip().lower()[:USERNAME_MAX_LENGTH]
    return hashlib.sha256(normalised.encode()).hexdigest()[:32]


USER_BY_USERNAME = select(User).where(func.lower(User.username) == bindparam("username"))  # ix_user_username_lower


def find_user(username: str) -> User | None:
    return db.session.scalar(USER_BY_USERNAME, {"username": username.strip().lower()})


def authenticate(username: str, password: str) -> User | None:
    """The user if the username and password match an active account, else None (no hint why)."""
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    commit_keeping_state()  # login_user reads the user next: no reload
    return user


def check_new_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"新密码至少需要 {MIN_PASSWORD_LENGTH} 位。")
    if password.lower() == username.lower():
        raise AccountError("新密码不能与用户名相同。")
    if password.isdigit() or password.isalpha():
        raise AccountError("新密码需同时包含字母和数字。")


def _end_sessions(user: User) -> None:
    """Invalidate every session and remember cookie issued to the user so far (see User.get_id), and
    the API's refresh tokens (its access tokens carry the session version and die with it)."""
    user.session_version += 1
    db.session.execute(update(ApiRefreshToken).where(ApiRefreshToken.user_id == user.id,
                                                     ApiRefreshToken.revoked_at.is_(None)).values(revoked_at=utcnow()))


def end_sessions(user: User) -> None:
    """Log the user out on every device (logout, 退出所有设备)."""
    _end_sessions(user)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and end every session; the caller logs the current device in again."""
    if not user.check_password(current):
        raise AccountError("当前密码不正确。")
    if current == new:
        raise AccountError("新密码不能与当前密码相同。")
    check_new_password(new, user.username)
    user.set_password(new)
    user.must_change_password = False
    _end_sessions(user)
    db.session.commit()


def create_user(username: str, name: str, role: str = "member", group_id: int | None = None,
                password: str | None = None) -> tuple[User, str]:
    """Create a user; without a password one is generated and must be changed at first login."""
    username, name = username.strip(), name.strip()
    if role not in ROLES:
        raise AccountError(f"未知角色：{role}")
    if problem := username_problem(username) or name_problem(name):
        raise AccountError(problem + "。")
    if find_user(username):
        raise AccountError(f"用户名「{username}」已被使用。")
    initial = password or generate_password()
    user = User(username=username, name=name, role=role, group_id=group_id,
                must_change_password=password is None)
    user.set_password(initial)
    if role == "secretary" and group_id is not None:
        user.led_groups = [db.session.get(StudyGroup, group_id)]  # as the roster import does
    db.session.add(user)
    db.session.commit()
    return user, initial


def reset_password(user: User) -> str:
    """Give the user a new generated password, to be changed at next login; ends the user's sessions."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    _end_sessions(user)
    db.session.commit()
    return password


def set_active(user: User, active: bool, acting: User) -> None:
    if user.id == acting.id and not active:
        raise AccountError("不能停用自己的账号。")
    user.active = active
    if not active:
        _end_sessions(user)
    db.session.commit()


def update_user(user: User, *, name: str, role: str, group_id: int | None, acting: User) -> None:
    """Change name, role and group; a user demoted to 党员 stops leading any group."""
    name = name.strip()
    if problem := name_problem(name):
        raise AccountError(problem + "。")
    if role not in ROLES:
        raise AccountError(f"未知角色：{role}")
    if user.id == acting.id and role != user.role:
        raise AccountError("不能修改自己的角色。")
    user.name, user.role, user.group_id = name, role, group_id
    if role == "member":
        user.led_groups = []
    db.session.commit()


def user_query(text: str = "", group: StudyGroup | None = None, role: str = "", active: bool | None = None) -> Select:
    """Users matching a search by name or username, in a group (or below it), role and state."""
    query = select(User).order_by(User.username)
    if text := text.strip():
        text = text.lower()
        query = query.where(or_(func.lower(User.name).contains(text, autoescape=True),
                                func.lower(User.username).contains(text, autoescape=True)))
    if group is not None:
        query = query.where(User.group_id.in_(group.subtree_ids()))
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    return query

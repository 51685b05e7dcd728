"""People and the organisation tree."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, bindparam, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db, login_manager
from quizapp.models._types import UTCDateTime, utcnow

ROLES = {"member": "党员", "secretary": "支部书记", "admin": "管理员"}
GROUP_KINDS = {"committee": "党委", "general_branch": "党总支", "branch": "党支部"}


class StudyGroup(db.Model):
    """A 党委, 党总支 or 党支部; the parent link forms the organisation tree."""

    __tablename__ = "study_group"
    __table_args__ = (CheckConstraint("kind in ('committee', 'general_branch', 'branch')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="branch")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("study_group.id"), index=True)
    invite_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[StudyGroup | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[StudyGroup]] = relationship(back_populates="parent", order_by="StudyGroup.name")
    members: Mapped[list[User]] = relationship(back_populates="group", order_by="User.username")
    secretaries: Mapped[list[User]] = relationship(
        secondary="group_secretary", back_populates="led_groups", order_by="User.username"
    )

    @property
    def kind_label(self) -> str:
        return GROUP_KINDS[self.kind]

    def ancestors(self) -> list[StudyGroup]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def subtree_ids(self) -> list[int]:
        """This group's id and every id below it, found level by level (one query per level)."""
        ids, frontier = [self.id], [self.id]
        while frontier:
            frontier = list(db.session.scalars(select(StudyGroup.id).where(StudyGroup.parent_id.in_(frontier))))
            ids.extend(frontier)
        return ids

    def __repr__(self) -> str:
        return f"<StudyGroup {self.name}>"


class GroupSecretary(db.Model):
    """A secretary leads one or more groups; leading a parent group covers the groups below it."""

    __tablename__ = "group_secretary"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id", ondelete="CASCADE"), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (CheckConstraint("role in ('member', 'secretary', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="member")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("study_group.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 长辈版 (larger text and controls): None until the member has chosen, so that the home page offers
    # the choice once; then True or False, kept with the account and followed on every device.
    elder_mode: Mapped[bool | None] = mapped_column(default=None)
    # Part of every session and remember cookie (get_id): raising it ends them all (services.people.accounts).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    group: Mapped[StudyGroup | None] = relationship(back_populates="members")
    led_groups: Mapped[list[StudyGroup]] = relationship(
        secondary="group_secretary", back_populates="secretaries", order_by="StudyGroup.name"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_secretary(self) -> bool:
        return self.role == "secretary"

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    def get_id(self) -> str:
        """Flask-Login's alternative id, "<id>:<session version>": cookies of an older version load nobody."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


# Usernames are matched case-insensitively (services.people.accounts.find_user): logging in seeks this index
# instead of reading every account.
Index("ix_user_username_lower", func.lower(User.username))

# Built once, so that its cache key is memoised: cheaper on every request than Session.get, which
# builds and keys a new statement each time.
USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user a session or remember cookie names, if it was issued for the current session version."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit() and len(user_id) < 12):
        return None
    user = db.session.scalars(USER_BY_ID, {"user_id": int(user_id)}).first()
    return user if user is not None and user.session_version == int(version) else None

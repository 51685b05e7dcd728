"""Study groups: the organisation tree, secretaries, invite codes."""
from __future__ import annotations

import secrets

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import GROUP_KINDS, StudyGroup, User
from quizapp.services import GroupError

INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))


def find_group(name: str) -> StudyGroup | None:
    return db.session.scalar(select(StudyGroup).where(StudyGroup.name == name.strip()))


def _check_parent(group: StudyGroup | None, parent: StudyGroup | None) -> None:
    if parent is None or group is None:
        return
    if parent.id == group.id or group in parent.ancestors():
        raise GroupError("上级组织不能是本组织或其下级组织。")


def save_group(name: str, kind: str, parent: StudyGroup | None, group: StudyGroup | None = None) -> StudyGroup:
    """Create a group (group=None) or update one; names are unique."""
    name = name.strip()
    if kind not in GROUP_KINDS:
        raise GroupError(f"未知的组织类型：{kind}")
    existing = find_group(name)
    if existing is not None and existing is not group:
        raise GroupError(f"组织名称「{name}」已存在。")
    _check_parent(group, parent)
    if group is None:
        group = StudyGroup(invite_code=new_invite_code())
        db.session.add(group)
    group.name, group.kind, group.parent = name, kind, parent
    db.session.commit()
    return group


def set_secretaries(group: StudyGroup, users: list[User]) -> None:
    for user in users:
        if user.role == "member":
            user.role = "secretary"
    group.secretaries = users
    db.session.commit()


def join_by_invite(user: User, code: str) -> StudyGroup:
    group = db.session.scalar(select(StudyGroup).where(StudyGroup.invite_code == code.strip().upper()))
    if group is None:
        raise GroupError("邀请码无效，请向支部书记确认。")
    if group.kind != "branch":
        raise GroupError("只能通过邀请码加入党支部。")
    user.group = group
    db.session.commit()
    return group


def regenerate_invite(group: StudyGroup) -> str:
    group.invite_code = new_invite_code()
    db.session.commit()
    return group.invite_code

"""Study groups: the organisation tree, secretaries, invite codes."""
from __future__ import annotations

import secrets

from sqlalchemy import func, select

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


def tree() -> list[tuple[StudyGroup, int]]:
    """Every group with its depth, parents before children, siblings by name (one query)."""
    everyone = db.session.scalars(select(StudyGroup).order_by(StudyGroup.name)).all()
    children: dict[int | None, list[StudyGroup]] = {}
    for group in everyone:
        children.setdefault(group.parent_id, []).append(group)
    ordered: list[tuple[StudyGroup, int]] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for group in children.get(parent_id, []):
            ordered.append((group, depth))
            visit(group.id, depth + 1)

    visit(None, 0)
    return ordered


def member_counts() -> dict[int, int]:
    """Active members per group id (groups without members are absent)."""
    query = (select(User.group_id, func.count())
             .where(User.active.is_(True), User.group_id.is_not(None)).group_by(User.group_id))
    rows = db.session.execute(query)
    return {group_id: count for group_id, count in rows}


def secretary_candidates(group: StudyGroup) -> list[User]:
    """Who may lead `group`: active non-admin users in it or below it, and its current secretaries."""
    below = select(User).where(User.group_id.in_(group.subtree_ids()), User.active.is_(True), User.role != "admin")
    candidates = {user.id: user for user in db.session.scalars(below)}
    candidates.update({user.id: user for user in group.secretaries})
    return sorted(candidates.values(), key=lambda user: user.username)


def top_groups(user: User) -> list[StudyGroup]:
    """The groups a user's 我的支部 page starts from: those he or she leads; every root for an admin."""
    if user.is_admin:
        roots = select(StudyGroup).where(StudyGroup.parent_id.is_(None)).order_by(StudyGroup.name)
        return list(db.session.scalars(roots))
    return list(user.led_groups) if user.is_secretary else []


def led_group_ids(user: User) -> set[int]:
    """Every group the user may manage: the groups he or she leads and all groups below them."""
    if not user.is_authenticated:
        return set()
    ids: set[int] = set()
    for group in user.led_groups:
        ids.update(group.subtree_ids())
    return ids

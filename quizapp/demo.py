"""The demo organisation that `flask seed-demo` creates, so a newcomer sees a living app."""
from __future__ import annotations

from sqlalchemy import select

from quizapp.models import StudyGroup, User

DEMO_PASSWORD = "demo1234"
COMMITTEE = "示范机关党委"
BRANCHES = {
    "第一党支部": ("secretary1", "王建国", ["张伟", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴婷", "徐明"]),
    "第二党支部": ("secretary2", "李红梅", ["孙丽", "马超", "朱琳", "胡军", "郭燕", "何平", "高峰", "林芳", "罗斌", "梁雪"]),
}
DEMO_LOGINS = [("admin", "管理员"), ("secretary1", "第一党支部书记"), ("member1", "第一党支部党员")]


def seed(session) -> bool:
    """Create the demo organisation unless it exists; return whether anything was created."""
    if session.scalar(select(StudyGroup).where(StudyGroup.name == COMMITTEE)) is not None:
        return False
    committee = StudyGroup(name=COMMITTEE, kind="committee", invite_code="DEMO0000")
    session.add(committee)
    _person(session, "admin", "系统管理员", "admin", None)
    number = 0
    for index, (branch_name, (secretary_login, secretary_name, members)) in enumerate(BRANCHES.items(), 1):
        branch = StudyGroup(name=branch_name, kind="branch", parent=committee, invite_code=f"DEMO000{index}")
        session.add(branch)
        secretary = _person(session, secretary_login, secretary_name, "secretary", branch)
        branch.secretaries.append(secretary)
        for name in members:
            number += 1
            _person(session, f"member{number}", name, "member", branch)
    session.commit()
    return True


def _person(session, username: str, name: str, role: str, group) -> User:
    user = User(username=username, name=name, role=role, group=group)
    user.set_password(DEMO_PASSWORD)
    session.add(user)
    return user

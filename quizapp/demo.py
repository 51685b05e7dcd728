"""The demo organisation that `flask seed-demo` creates, so a newcomer sees a living app."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

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


# --- quiz history (quiz engine) --------------------------------------------------------------------

HISTORY_DAYS = 21


@dataclass
class HistoryResult:
    attempts: int = 0
    days: int = 0
    skipped: str = ""  # why nothing was created, if nothing was


def seed_history(session, *, now: datetime, rng: random.Random, days: int | None = None) -> HistoryResult:
    """A few weeks of realistic quizzes for the demo members, through the engine's own services.

    Each member has a habit (how often he or she studies) and a level (how often right): daily quizzes
    on most days, some practice, a mock exam on some weekends. Skipped, with the reason, when the bank
    has no published questions yet or the members already have history.
    """
    from quizapp.models import Attempt, Question
    from quizapp.services.quizzes.papers import QuizError

    members = list(session.scalars(select(User).where(User.username.in_(_demo_usernames())).order_by(User.id)))
    if not members:
        return HistoryResult(skipped="还没有演示账号，未生成答题记录。")
    if session.scalar(select(Question.id).where(Question.status == "published").limit(1)) is None:
        return HistoryResult(skipped="题库中还没有已发布的题目，未生成答题记录（先运行 init-db 导入题库）。")
    if session.scalar(select(Attempt.id).where(Attempt.user_id.in_([m.id for m in members])).limit(1)):
        return HistoryResult(skipped="演示账号已有答题记录，未做更改。")
    result = HistoryResult(days=days or HISTORY_DAYS)
    for member in members:
        habit, level = rng.uniform(0.35, 0.95), rng.uniform(0.55, 0.95)
        for back in range(result.days, 0, -1):
            for mode, moment in _study_plan(now, back, habit, rng):
                try:
                    _take_quiz(member, mode, moment, level, rng)
                except QuizError:  # the bank cannot make this paper; the others still count
                    session.rollback()
                    continue
                result.attempts += 1
    if not result.attempts:
        result.skipped = "题库中的题目不足以组成试卷，未生成答题记录。"
    return result


def _demo_usernames() -> list[str]:
    count = sum(len(members) for _login, _name, members in BRANCHES.values())
    return [f"member{number}" for number in range(1, count + 1)] + [login for login, _n, _m in BRANCHES.values()]


def _study_plan(now: datetime, back: int, habit: float, rng: random.Random) -> list[tuple[str, datetime]]:
    """(mode, start) of one member's quizzes on the local day `back` days before today."""
    from quizapp.services.clock import day_bounds, local_day

    start_of_day = day_bounds(local_day(now) - timedelta(days=back))[0]
    plan = []
    if rng.random() < habit:
        plan.append(("daily", start_of_day + timedelta(hours=rng.uniform(7, 22))))
    if rng.random() < habit / 4:
        plan.append(("practice", start_of_day + timedelta(hours=rng.uniform(12, 21))))
    if start_of_day.weekday() == 5 and rng.random() < habit / 2:
        plan.append(("exam", start_of_day + timedelta(hours=rng.uniform(9, 11))))
    return plan


def _take_quiz(member: User, mode: str, moment: datetime, level: float, rng: random.Random) -> None:
    from quizapp.extensions import db
    from quizapp.models import Category
    from quizapp.services.quizzes import engine
    from quizapp.services.quizzes.papers import EXAM_PRESETS, practice_rule

    if mode == "practice":
        categories = list(db.session.scalars(select(Category.path).order_by(Category.path)))
        rule = practice_rule(rng.choice(categories) if categories else None, count=5)
    else:
        rule = engine.DAILY_RULE if mode == "daily" else EXAM_PRESETS["quick"]
    attempt = engine.start_attempt(member, mode, rule, now=moment, rng=rng)
    when = moment
    for answer in engine.load_paper(attempt):
        when += timedelta(seconds=rng.randint(8, 50))
        answer.given, answer.answered_at = _demo_answer(answer.question, rng.random() < level, rng), when
    engine.finalise_attempt(attempt, now=when + timedelta(seconds=5))


def _demo_answer(question, right: bool, rng: random.Random):
    """An answer in the stored shape (original letters), right or plausibly wrong."""
    if question.type == "judge":
        return bool(question.answer) == right
    if question.type == "fill":
        return [options[0] if right else "不记得了" for options in question.answer]
    if right:
        return list(question.answer)
    letters = "ABCDEFGH"[: len(question.options)]
    wrong = [letter for letter in letters if letter not in question.answer] or list(letters)
    if question.type == "multiple" and len(question.answer) > 1 and rng.random() < 0.5:
        return sorted(question.answer[:-1])  # 少选: half marks
    return [rng.choice(wrong)]

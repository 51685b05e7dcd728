"""Factories for the progress tests: a small hand-built organisation and finished attempts.

Attempts are built as rows (as finalise_attempt leaves them) and recorded with record_attempt, so
that every figure can be worked out by hand in the test.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, Category, GroupSecretary, PointsEntry, Question, StudyGroup, User
from quizapp.services.bank.versions import snapshot_versions
from quizapp.services.clock import local_day
from quizapp.services.progress import summaries

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(text: str) -> datetime:
    """An aware UTC instant from a Shanghai wall-clock time such as '2026-11-22 23:30'."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(timezone.utc)


@pytest.fixture
def finish():
    """finish(user, when, [(question, is_correct), ...], points=None) -> a recorded finished attempt."""

    def make(user: User, when: datetime, results: list[tuple[Question, bool]], points: int | None = None,
             mode: str = "daily", record: bool = True, commit: bool = True) -> Attempt:
        attempt = Attempt(user_id=user.id, mode=mode, rule={}, seed=1, status="finished",
                          started_at=when - timedelta(minutes=5), finished_at=when, study_day=local_day(when),
                          score=float(sum(ok for _, ok in results)), max_score=float(len(results)),
                          correct_count=sum(ok for _, ok in results), question_count=len(results), time_used_s=300)
        db.session.add(attempt)
        db.session.flush()
        for position, (question, ok) in enumerate(results):
            db.session.add(AttemptAnswer(attempt_id=attempt.id, position=position, question_id=question.id,
                                         question_version_id=snapshot_versions([question.id])[question.id],
                                         option_order=[0, 1, 2, 3], given=["A" if ok else "B"], is_correct=ok,
                                         score=float(ok)))
        amount = sum(ok for _, ok in results) if points is None else points
        if amount:
            db.session.add(PointsEntry(user_id=user.id, day=local_day(when), amount=amount, reason="daily_quiz",
                                       attempt_id=attempt.id))
        db.session.flush()
        db.session.refresh(attempt)
        if record:
            summaries.record_attempt(attempt)
        if commit:
            db.session.commit()
        return attempt

    return make


@dataclass
class Org:
    committee: StudyGroup
    branch_a: StudyGroup
    branch_b: StudyGroup
    secretary_a: User
    secretary_c: User
    admin: User
    a1: User
    a2: User
    a3: User
    a_gone: User  # inactive member of branch A
    b1: User
    b2: User
    history: list[Question]  # 党史: six published questions
    charter: list[Question]  # 党章: three published questions
    loose: Question  # published, no category
    draft: Question  # a draft in 党史


@pytest.fixture
def org(app, make_group, make_user, make_question) -> Org:
    committee = make_group(name="机关党委", kind="committee")
    branch_a = make_group(name="第一党支部", parent_id=committee.id)
    branch_b = make_group(name="第二党支部", parent_id=committee.id)
    history, charter = Category(name="党史", path="党史"), Category(name="党章", path="党章")
    db.session.add_all([history, charter])
    db.session.commit()
    people = {
        "secretary_a": make_user(name="书记甲", role="secretary", group_id=branch_a.id),
        "secretary_c": make_user(name="书记丙", role="secretary", group_id=None),
        "admin": make_user(name="管理员", role="admin"),
        "a1": make_user(name="甲一", group_id=branch_a.id),
        "a2": make_user(name="甲二", group_id=branch_a.id),
        "a3": make_user(name="甲三", group_id=branch_a.id),
        "a_gone": make_user(name="甲离", group_id=branch_a.id, active=False),
        "b1": make_user(name="乙一", group_id=branch_b.id),
        "b2": make_user(name="乙二", group_id=branch_b.id),
    }
    db.session.add_all([GroupSecretary(user_id=people["secretary_a"].id, group_id=branch_a.id),
                        GroupSecretary(user_id=people["secretary_c"].id, group_id=committee.id)])
    db.session.commit()
    return Org(committee, branch_a, branch_b, **people,
               history=[make_question(category_id=history.id) for _ in range(6)],
               charter=[make_question(category_id=charter.id) for _ in range(3)],
               loose=make_question(), draft=make_question(category_id=history.id, status="draft"))


@pytest.fixture
def studied(org, finish):
    """Who studied what. Week of Monday 2026-11-16 ("today" is Friday 2026-11-20), Shanghai time:

      a1   Mon 16th: 党史 right, 党史 wrong, 党章 right (2 points); Wed 18th: 党史 right, right, wrong,
           no-category right (3 points); Mon 23rd 00:30 (next week): 党史 wrong.
      a2   Sun 22nd 23:30: 党章 wrong, wrong, right; 党史 right (2 points).
      a3   last week only, Tue 10th: 党史 wrong, wrong, right (1 point).
      secretary_a (a member of branch A) never studies; a_gone (inactive) studies but never counts.
      b1   Tue 17th: 党史 right, right, right (3 points); b2 never studies.
    """
    h, c = org.history, org.charter
    finish(org.a1, shanghai("2026-11-16 08:00"), [(h[0], True), (h[1], False), (c[0], True)])
    finish(org.a1, shanghai("2026-11-18 21:00"), [(h[0], True), (h[1], True), (h[2], False), (org.loose, True)])
    finish(org.a1, datetime(2026, 11, 22, 16, 30, tzinfo=timezone.utc), [(h[5], False)])  # Monday 23rd local
    finish(org.a2, shanghai("2026-11-22 23:30"), [(c[0], False), (c[1], False), (c[2], True), (h[3], True)])
    finish(org.a3, shanghai("2026-11-10 12:00"), [(h[0], False), (h[1], False), (h[2], True)])
    finish(org.a_gone, shanghai("2026-11-17 12:00"), [(h[0], True)])
    finish(org.b1, shanghai("2026-11-17 12:00"), [(h[0], True), (h[1], True), (h[2], True)])
    return org

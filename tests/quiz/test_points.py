from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import PointsEntry
from quizapp.services.progress import points
from quizapp.services.quizzes.engine import finalise_attempt, save_answer
from quizapp.services.quizzes.papers import QuizError
from tests.quiz.conftest import NOW, rule

DAY = date(2024, 5, 6)


def ledger(user):
    query = select(PointsEntry.day, PointsEntry.reason, PointsEntry.amount).where(PointsEntry.user_id == user.id)
    return [tuple(row) for row in db.session.execute(query.order_by(PointsEntry.id))]


@pytest.mark.parametrize("reason, awards, granted", [
    ("practice", [2, 2, 2, 2], [2, 2, 1, 0]),  # at most 5 a day
    ("review", [5], [3]),
    ("exam", [7, 7], [7, 3]),
    ("daily_quiz", [3, 3], [3, 0]),  # once a day
    ("daily_quiz", [9], [5]),
    ("practice", [0, -2, 4], [0, 0, 4]),
])
def test_daily_caps(member, reason, awards, granted):
    assert [points.award(member.id, DAY, amount, reason) for amount in awards] == granted
    assert points.earned_on(member.id, DAY, reason) == sum(granted)
    assert all(amount > 0 for _day, _reason, amount in ledger(member))  # no empty rows


def test_caps_are_per_day_and_per_reason(member):
    points.award(member.id, DAY, 5, "practice")
    assert points.award(member.id, DAY, 3, "review") == 3
    assert points.award(member.id, DAY + timedelta(days=1), 5, "practice") == 5
    assert sum(amount for _day, _reason, amount in ledger(member)) == 13


def test_unknown_reason_is_refused(member):
    with pytest.raises(QuizError, match="积分原因「bonus」不存在"):
        points.award(member.id, DAY, 1, "bonus")


def test_daily_quiz_earns_one_per_correct_answer_on_the_local_day(bank, start, member):
    bank({"judge": 7})
    attempt = start(rule(("judge", 7)), mode="daily")
    for answer in attempt.answers[:6]:
        save_answer(attempt, answer.position, answer.question.answer, now=NOW)
    late_evening = datetime(2024, 5, 6, 15, 30, tzinfo=timezone.utc)  # 23:30 in Shanghai, still the 6th
    finalise_attempt(attempt, now=late_evening)
    assert ledger(member) == [(DAY, "daily_quiz", 5)]
    retake = start(rule(("judge", 2)), mode="daily", now=late_evening)
    for answer in retake.answers:
        save_answer(retake, answer.position, answer.question.answer, now=late_evening)
    finalise_attempt(retake, now=late_evening)
    assert ledger(member) == [(DAY, "daily_quiz", 5)]  # points once a day


@pytest.mark.parametrize("mode, right, expected", [
    ("exam", 3, [("exam", 7)]),  # 3 of 4 points: 1 point per tenth of full marks, rounded down
    ("practice", 2, [("practice", 2)]),
    ("competition", 4, []),  # competitions award their own points
])
def test_modes_earn_by_their_rules(bank, start, member, mode, right, expected):
    bank({"judge": 4})
    extra = {"competition_id": 1} if mode == "competition" else {}
    attempt = start(rule(("judge", 4), time_limit_s=600), mode=mode, **extra)
    for answer in attempt.answers[:right]:
        save_answer(attempt, answer.position, answer.question.answer, now=NOW)
    finalise_attempt(attempt, now=NOW + timedelta(minutes=1))
    assert [(reason, amount) for _day, reason, amount in ledger(member)] == expected

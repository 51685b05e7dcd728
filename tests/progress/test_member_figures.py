"""我的学习 figures on the small organisation of the `studied` fixture (conftest.py)."""
from datetime import date, timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import ReviewCard
from quizapp.services.progress import member_figures as member
from quizapp.services.progress.periods import Period, named_period
from tests.progress.conftest import shanghai
from tests.progress.test_figures import LAST_WEEK, THIS_MONTH, THIS_WEEK

MONDAY_23 = date(2026, 11, 23)


def test_snapshot_of_a_member(studied):
    snap = member.snapshot(studied.a1, today=MONDAY_23, now=shanghai("2026-11-23 12:00"))
    total = snap.total
    assert (total.attempts, total.questions, total.correct, total.points) == (3, 8, 5, 5)
    assert total.accuracy == pytest.approx(5 / 8)
    assert (snap.week_points, snap.streak, snap.last_day, snap.due_reviews) == (0, 1, MONDAY_23, 0)
    friday = member.snapshot(studied.a1, today=date(2026, 11, 20), now=shanghai("2026-11-20 12:00"))
    assert friday.week_points == 5


def test_snapshot_of_a_member_who_never_studied(org):
    snap = member.snapshot(org.b2, today=MONDAY_23, now=shanghai("2026-11-23 12:00"))
    assert (snap.total.attempts, snap.total.accuracy, snap.week_points, snap.streak, snap.last_day) == (
        0, None, 0, 0, None)


@pytest.mark.parametrize("last_day, streak, today, shown", [
    (date(2026, 11, 20), 4, date(2026, 11, 20), 4),  # studied today
    (date(2026, 11, 19), 4, date(2026, 11, 20), 4),  # today still open
    (date(2026, 11, 18), 4, date(2026, 11, 20), 0),  # a day missed: the run is broken
    (None, 0, date(2026, 11, 20), 0),
])
def test_current_streak(last_day, streak, today, shown):
    assert member.current_streak(last_day, streak, today) == shown


def test_due_reviews_are_the_wrong_answer_books_due_today(org):
    now = shanghai("2026-11-20 12:00")
    cards = [(org.a1, org.history[0], now - timedelta(days=2), True),
             (org.a1, org.history[1], shanghai("2026-11-20 23:00"), True),  # later today: due today
             (org.a1, org.history[2], shanghai("2026-11-21 00:30"), True),  # tomorrow
             (org.a1, org.history[3], now - timedelta(days=3), False),  # left the book
             (org.a2, org.history[0], now - timedelta(days=1), True)]  # someone else's
    db.session.add_all([ReviewCard(user_id=user.id, question_id=question.id, card={}, due=due, active=active)
                        for user, question, due, active in cards])
    db.session.commit()
    assert member.snapshot(org.a1, today=date(2026, 11, 20), now=now).due_reviews == 2


def test_accuracy_trend_by_week(studied):
    rows = member.accuracy_trend(studied.a1.id, MONDAY_23, weeks=3)
    assert [(row.week, row.questions, row.correct) for row in rows] == [
        (date(2026, 11, 9), 0, 0), (date(2026, 11, 16), 7, 5), (date(2026, 11, 23), 1, 0)]
    assert [row.accuracy for row in rows] == [None, pytest.approx(5 / 7), 0.0]


def test_study_strip_marks_the_study_days(studied):
    strip = member.study_strip(studied.a1.id, MONDAY_23, weeks=2)
    assert [len(week) for week in strip] == [7, 7]
    assert strip[0][0][0] == date(2026, 11, 16) and strip[1][6][0] == date(2026, 11, 29)
    studied_days = [day for week in strip for day, count in week if count]
    assert studied_days == [date(2026, 11, 16), date(2026, 11, 18), MONDAY_23]


def test_mastery_is_the_share_of_published_questions_last_answered_right_recently(studied, finish):
    now = shanghai("2026-11-23 12:00")
    rows = {row.category: (row.mastered, row.total) for row in member.mastery(studied.a1.id, now)}
    # 党史: six published (the draft does not count); a1's latest answers: h0 right, h1 right, h2 wrong, h5 wrong.
    assert rows == {"党史": (2, 6), "党章": (1, 3)}
    finish(studied.a3, shanghai("2026-08-01 12:00"), [(studied.history[3], True)])  # 114 days before: too old
    finish(studied.a3, shanghai("2026-11-21 12:00"), [(studied.draft, True)])  # a draft never counts
    rows = {row.category: row.share for row in member.mastery(studied.a3.id, now)}
    assert rows == {"党史": pytest.approx(1 / 6), "党章": 0.0}


@pytest.mark.parametrize("who, period, expected", [
    ("a1", THIS_WEEK, (1, 4, 5)),
    ("a2", THIS_WEEK, (2, 4, 2)),
    ("a3", THIS_WEEK, (3, 4, 0)),
    ("secretary_a", THIS_WEEK, (3, 4, 0)),  # tied with a3
    ("a3", THIS_MONTH, (3, 4, 1)),
    ("secretary_a", THIS_MONTH, (4, 4, 0)),
    ("a3", LAST_WEEK, (1, 4, 1)),
    ("b1", THIS_WEEK, (1, 2, 3)),
])
def test_rank_in_group_by_points(studied, who, period, expected):
    rank = member.rank_in_group(getattr(studied, who), period)
    assert (rank.rank, rank.of, rank.points) == expected


@pytest.mark.parametrize("who", ["secretary_c", "a_gone", "admin"])
def test_no_rank_without_an_active_group_membership(studied, who):
    assert member.rank_in_group(getattr(studied, who), THIS_WEEK) is None


def test_attempts_in_a_period_respect_shanghai_days(studied):
    this_week = member.attempts_in(studied.a1, THIS_WEEK)
    assert [attempt.finished_at for attempt in this_week] == [shanghai("2026-11-18 21:00"),
                                                              shanghai("2026-11-16 08:00")]
    monday = member.attempts_in(studied.a1, Period("custom", MONDAY_23, MONDAY_23))
    assert [attempt.question_count for attempt in monday] == [1]
    assert member.attempts_in(studied.a1, named_period("this_week", date(2026, 12, 2))) == []

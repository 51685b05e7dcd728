"""The summaries as the quiz engine leaves them: finalise_attempt calls record_attempt in its
transaction, after writing the capped points ledger."""
from datetime import date, timedelta
from random import Random

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import MemberTotal, StudyStat
from quizapp.services.progress import group_figures as figures
from quizapp.services.progress import summaries
from quizapp.services.progress.periods import named_period
from quizapp.services.quizzes import engine
from tests.progress.conftest import shanghai
from tests.progress.test_recording import dump_all


def take(user, questions, rights, when, mode="practice"):
    """Start a fixed paper, answer each question right (A) or wrong (B), and submit it."""
    rule = engine.fixed_paper_rule([question.id for question in questions], shuffle_options=False)
    attempt = engine.start_attempt(user, mode, rule, now=when, rng=Random(7),
                                    question_ids=[question.id for question in questions])
    for position, right in enumerate(rights, 1):
        engine.save_answer(attempt, position, ["A"] if right else ["B"], now=when + timedelta(seconds=position))
    return engine.finalise_attempt(attempt, now=when + timedelta(minutes=2))


def test_a_finalised_attempt_is_in_the_summaries_with_its_capped_points(org):
    # practice earns 1 point per right answer, at most 5 a day: 4, then only 1 more.
    take(org.a1, org.history[:4], [True] * 4, shanghai("2026-11-18 09:00"))
    take(org.a1, org.history[4:] + org.charter[:2], [True, True, False, True], shanghai("2026-11-18 20:00"))
    row = db.session.get(StudyStat, (org.a1.id, "day", date(2026, 11, 18)))
    assert (row.attempts, row.questions, row.correct, row.points) == (2, 8, 7, 5)
    assert db.session.get(MemberTotal, org.a1.id).points == 5
    week = figures.member_tallies([org.a1.id], named_period("this_week", date(2026, 11, 18)))
    assert week[org.a1.id].points == 5


def test_submitting_twice_records_once(org):
    attempt = take(org.a1, org.history[:2], [True, False], shanghai("2026-11-18 09:00"))
    engine.finalise_attempt(attempt, now=shanghai("2026-11-18 09:05"))
    total = db.session.get(MemberTotal, org.a1.id)
    assert (total.attempts, total.questions, total.correct) == (1, 2, 1)


def test_an_expired_attempt_counts_on_the_day_of_its_deadline(org):
    rule = engine.fixed_paper_rule([org.history[0].id], shuffle_options=False, time_limit_s=600)
    started = shanghai("2026-11-18 23:55")
    attempt = engine.start_attempt(org.a1, "exam", rule, now=started, rng=Random(1),
                                    question_ids=[org.history[0].id])
    engine.save_answer(attempt, 1, ["A"], now=started + timedelta(minutes=1))
    assert engine.finalise_expired(now=shanghai("2026-11-19 08:00")) == 1
    days = set(db.session.scalars(select(StudyStat.start).where(StudyStat.user_id == org.a1.id,
                                                                StudyStat.span == "day")))
    assert days == {date(2026, 11, 19)}  # the deadline: 00:05 on the 19th, Shanghai


def test_the_streak_counts_the_days_up_to_the_last_and_rebuild_agrees_with_the_engine(org):
    for day in ("11-16", "11-17", "11-18", "11-20", "11-21"):
        take(org.a1, org.history[:2], [True, False], shanghai(f"2026-{day} 12:00"))
        take(org.a2, org.charter[:1], [True], shanghai(f"2026-{day} 18:00"), mode="daily")
    today = date(2026, 11, 21)
    total = db.session.get(MemberTotal, org.a1.id)
    assert (total.last_day, total.streak) == (today, 2)  # the 20th and 21st; the 19th was missed
    incremental = dump_all()
    summaries.rebuild_all()
    assert dump_all() == incremental

"""Two requests at the same instant, against the real database (threads, one session each).

On PostgreSQL both threads read the attempt as open before either writes, so only the database's
conditional UPDATE (WHERE status = 'open', rowcount checked) keeps the result single. On SQLite
every transaction begins with BEGIN IMMEDIATE, which serialises them.
"""
import threading
from datetime import timedelta

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, PointsEntry, ReviewCard
from quizapp.services.quizzes import engine
from tests.quiz.conftest import NOW, rule


def run_together(app, work, count=2):
    """Run work(index) in `count` threads released together; return results or raise the first error."""
    barrier = threading.Barrier(count, timeout=30)
    results, errors = [None] * count, []
    read_first = db.engine.dialect.name != "sqlite"  # SQLite: a reader holding BEGIN IMMEDIATE would deadlock the barrier

    def run(index):
        try:
            with app.app_context():
                results[index] = work(index, barrier if read_first else None, None if read_first else barrier)
        except Exception as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]
    return results


def test_two_submits_at_the_same_instant_give_one_result(app, bank, start):
    bank({"judge": 3})
    attempt = start(rule(("judge", 3)), mode="daily")
    right, wrong = attempt.answers[:2]
    engine.save_answer(attempt, right.position, right.question.answer, now=NOW)
    engine.save_answer(attempt, wrong.position, not wrong.question.answer, now=NOW)
    attempt_id = attempt.id
    db.session.remove()

    def submit(index, after_read, before_read):
        if before_read:
            before_read.wait()
        mine = db.session.get(Attempt, attempt_id)
        assert mine.status == "open" or before_read
        if after_read:
            after_read.wait()
        done = engine.finalise_attempt(mine, now=NOW + timedelta(seconds=10 + index))
        return done.status, done.finished_at, done.score

    first, second = run_together(app, submit)
    assert first == second and first[0] == "finished"
    assert [entry.amount for entry in db.session.scalars(select(PointsEntry))] == [1]  # awarded once
    assert [card.wrong_count for card in db.session.scalars(select(ReviewCard))] == [1]  # the book updated once


def test_two_starts_at_the_same_instant_open_one_attempt(app, bank, member):
    bank({"judge": 4})
    member_id = member.id
    db.session.remove()

    def begin(index, after_read, before_read):
        from random import Random

        from quizapp.models import User
        for barrier in (before_read, after_read):
            if barrier:
                barrier.wait()
        user = db.session.get(User, member_id)
        return engine.start_attempt(user, "daily", rule(("judge", 2)), now=NOW, rng=Random(index)).id

    first, second = run_together(app, begin)
    assert first == second
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1

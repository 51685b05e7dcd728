"""Two attempts of one member finalised at the same instant, each in its own thread and session:
both count, and the streak is right (the upserts add to the rows; on PostgreSQL the first upsert
locks the member's total until commit)."""
import threading
from datetime import date

from quizapp.extensions import db
from quizapp.models import Attempt, MemberTotal, StudyStat
from quizapp.services.progress import summaries
from tests.progress.conftest import shanghai


def record_together(app, attempt_ids: list[int]) -> None:
    barrier, errors = threading.Barrier(len(attempt_ids), timeout=30), []

    def record(attempt_id: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                summaries.record_attempt(db.session.get(Attempt, attempt_id))
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=record, args=(attempt_id,)) for attempt_id in attempt_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]


def test_two_attempts_recorded_at_once_both_count(app, org, finish):
    finish(org.a1, shanghai("2026-11-17 09:00"), [(org.history[0], True)])  # yesterday: the streak is 1
    late = [finish(org.a1, shanghai(f"2026-11-18 09:0{n}"), [(org.history[n], n == 1), (org.charter[n], True)],
                   record=False).id for n in (1, 2)]
    user_id = org.a1.id
    db.session.remove()
    record_together(app, late)
    day = db.session.get(StudyStat, (user_id, "day", date(2026, 11, 18)))
    assert (day.attempts, day.questions, day.correct, day.points) == (2, 4, 3, 3)
    total = db.session.get(MemberTotal, user_id)
    assert (total.attempts, total.questions, total.correct, total.last_day, total.streak) == (
        3, 5, 4, date(2026, 11, 18), 2)

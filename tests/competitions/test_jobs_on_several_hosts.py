"""The scheduled jobs (freeze-competitions, finalise-expired) may run on every app host at once: two
run together here, each in a thread with its own app context and connection, and every attempt is
finalised, scored and counted exactly once (finalising claims an attempt with a conditional UPDATE)."""
import threading
from datetime import timedelta

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Competition, CompetitionEntry, CompetitionGroupStat, PointsEntry, StudyStat
from quizapp.services.competitions import lifecycle
from quizapp.services.quizzes import engine
from tests.competitions.conftest import END
from tests.competitions.test_competitions import enter

HOSTS = 2


def run_on_every_host(app, job) -> list[BaseException]:
    """`job()` on HOSTS threads released at the same instant; the errors they raised."""
    gate, errors = threading.Barrier(HOSTS), []

    def host():
        with app.app_context():
            try:
                gate.wait()
                job()
            except BaseException as error:  # reported by the test, not lost in the thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=host) for _ in range(HOSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_jobs_run_on_two_hosts_at_once_finalise_everything_once(app, make_competition, org, bank):
    competition = make_competition(participation_points=3)
    attempt_ids = [enter(org[name], competition, END - timedelta(minutes=1)).id for name in ("a", "b", "c")]
    competition_id, taker_ids = competition.id, [org[name].id for name in ("a", "b", "c")]
    group_ids = (org["first"].id, org["second"].id)
    db.session.remove()
    later = END + timedelta(minutes=1)

    def both_jobs():
        lifecycle.freeze_ended(now=later)
        engine.finalise_expired(now=later)

    assert run_on_every_host(app, both_jobs) == []
    attempts = db.session.scalars(select(Attempt).where(Attempt.id.in_(attempt_ids))).all()
    assert {(a.status, a.finished_at) for a in attempts} == {("finished", END)}
    awards = db.session.execute(select(PointsEntry.attempt_id, func.count()).where(
        PointsEntry.attempt_id.in_(attempt_ids)).group_by(PointsEntry.attempt_id)).all()
    assert sorted(awards) == sorted((attempt_id, 1) for attempt_id in attempt_ids)
    entries = db.session.scalars(select(CompetitionEntry).where(CompetitionEntry.competition_id == competition_id)).all()
    assert sorted((e.attempts_used, e.attempts_finished) for e in entries) == [(1, 1)] * 3
    participants = dict(db.session.execute(select(CompetitionGroupStat.group_id, CompetitionGroupStat.participants)
                                           .where(CompetitionGroupStat.competition_id == competition_id)).all())
    assert [participants[group_id] for group_id in group_ids] == [2, 1]
    studied = db.session.execute(select(StudyStat.user_id, StudyStat.attempts).where(StudyStat.span == "day")).all()
    assert sorted(studied) == sorted((user_id, 1) for user_id in taker_ids)
    assert db.session.get(Competition, competition_id).frozen_at == later


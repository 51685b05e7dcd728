"""Many attempts of one competition finalised at the same instant from many threads (each with its own
connection): entries and summaries must come out exactly right. Run it on PostgreSQL too
(QUIZAPP_TEST_DATABASE_URL); on SQLite the writers queue on the database lock (BEGIN IMMEDIATE)."""
import random
import threading
from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, Competition
from quizapp.services.competitions import lifecycle
from quizapp.services.quizzes import engine
from tests.competitions.conftest import DURING
from tests.competitions.test_entries import snapshot

MEMBERS = 24
THREADS = 8


def test_concurrent_finalisation_keeps_entries_and_summaries_exact(app, make_competition, make_user, org, bank):
    competition = make_competition(attempts_allowed=2, participation_points=2, groups=[org["committee"]])
    members = [make_user(group=org["first"] if n % 3 else org["second"]) for n in range(MEMBERS)]
    rng = random.Random(3)
    open_ids = []
    for number, member in enumerate(members):
        if number % 4 == 0:  # a first attempt already finished, so that some later ones improve on it
            earlier = lifecycle.enter(member, competition, now=DURING, rng=rng)
            engine.finalise_attempt(earlier, now=DURING + timedelta(seconds=30 + number))
        attempt = lifecycle.enter(member, competition, now=DURING + timedelta(minutes=10), rng=rng)
        for answer in engine.load_paper(attempt):
            engine.save_answer(attempt, answer.position, rng.choice("ABCD"), now=DURING + timedelta(minutes=11))
        open_ids.append(attempt.id)
    competition_id = competition.id
    db.session.remove()

    # every attempt is submitted twice (a double click), all threads released at once
    work = [open_ids[i::THREADS] + open_ids[(i + 1) % THREADS::THREADS] for i in range(THREADS)]
    barrier, errors = threading.Barrier(THREADS), []

    def submit(ids):
        with app.app_context():
            try:
                barrier.wait()
                for attempt_id in ids:
                    engine.finalise_attempt(db.session.get(Attempt, attempt_id), now=DURING + timedelta(minutes=12))
            except Exception as error:  # reported below, with the thread's own traceback text
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(ids,)) for ids in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    competition = db.session.get(Competition, competition_id)
    incremental = snapshot(competition)
    assert expected_from_attempts(competition) == (incremental["entries"], incremental["groups"],
                                                   incremental["scores"], incremental["questions"])
    lifecycle.rebuild_entries(competition)
    assert snapshot(competition) == incremental


def expected_from_attempts(competition):
    """Worked out from the attempts directly, the slow way."""
    attempts = db.session.scalars(select(Attempt).where(Attempt.competition_id == competition.id)).all()
    assert attempts and all(attempt.status == "finished" for attempt in attempts)
    entries, groups, scores, questions = [], {}, {}, {}
    for user_id in sorted({attempt.user_id for attempt in attempts}):
        mine = [attempt for attempt in attempts if attempt.user_id == user_id]
        best = min(mine, key=lambda a: (-a.score, a.time_used_s, a.finished_at))
        group_id = best.user.group_id
        entries.append((user_id, group_id, len(mine), len(mine), best.id, best.score, best.max_score,
                        best.time_used_s, best.finished_at))
        participants, total = groups.get(group_id, (0, 0.0))
        groups[group_id] = (participants + 1, total + best.score)
        scores[best.score] = scores.get(best.score, 0) + 1
    for answer in db.session.scalars(select(AttemptAnswer).join(Attempt).where(Attempt.competition_id == competition.id)):
        answered, correct = questions.get(answer.question_id, (0, 0))
        questions[answer.question_id] = (answered + 1, correct + int(bool(answer.is_correct)))
    stats = snapshot(competition)["groups"]
    members = {group_id: members for group_id, _, _, members in stats}
    group_rows = sorted((group_id, count, total, members[group_id]) for group_id, (count, total) in groups.items())
    group_rows += [row for row in stats if row[0] not in groups and row[1] == 0]
    return entries, sorted(group_rows), scores, questions

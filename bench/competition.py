"""Benchmark: competition boards at 1,000 and at 100,000 entries; 64 members entering one competition at once.

    .venv/bin/python bench/competition.py [--databases sqlite postgresql] [--entries 100000] [--small 1000]
                                          [--clients 4] [--seconds 3] [--rounds 3] [--crowd 64]

Per database, one data set: a 党委 over 50 branches, --entries members, a bank of 2,000 questions, and
three open competitions of the whole organisation: "small" and "large" with --small and --entries
finished attempts of 10 questions each (answers included: a million at 100,000), their entries and
summaries made by rebuild_entries (timed); and "live", which members enter during the run.

Measured in one run under gunicorn (bench/_server.py), rounds interleaved, a light load of --clients
logged-in participants (median latency, not rate), each asking for his or her own board:
  board     GET /competitions/<id>/board.json?top=50: top 50, own rank and neighbours, branch board
then members taking the live competition (enter, 10 × page and autosave, submit, result, board), whose
save and submit medians are printed; then --crowd members entering it at the same instant.
Each ratio is taken within one round (its requests measured back to back) and judged on the median
over the rounds: this machine's speed drifts during a run.
In-process, the two boards alone (individual_board top 50 + own rank; branch_board) at both sizes.

Targets: board median at 100,000 entries within 1.5x of that at 1,000 (in-process and over HTTP); no
failed request in the crowd. (The old ratios against a trivial endpoint are retired: bench/capacity.py
gives the figure an organiser needs.)
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from bench._dashboards_data import PASSWORD  # noqa: E402
from bench._server import gunicorn, median_run, paired_target_line, result_line, run_load, target_line, temporary_database  # noqa: E402
from bench.dashboards import page_request, session_cookies  # noqa: E402
from bench.quiz_load import FAILURES, add_questions, add_sources, ensure_categories, run_phase  # noqa: E402

BRANCHES, QUESTIONS, POINTS = 50, 10, 10.0
TARGET_SIZE = 1.5


# ---- data -----------------------------------------------------------------------------------------

def build(url: str, entries: int, small: int) -> dict[str, int]:
    """The organisation, bank and competitions; returns the competition ids by name."""
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        rng = random.Random(7)
        add_questions(0, 2000, ensure_categories(), rng, source_ids=add_sources())
        user_ids = add_organisation(entries)
        ids = {name: add_competition(name, size, user_ids, rng) for name, size in (("small", small), ("large", entries))}
        ids["live"] = add_competition("live", 0, user_ids, rng)
        db.session.commit()
        # The steady state autovacuum keeps on PostgreSQL (visibility map set: index-only counts).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE")
        db.engine.dispose()
    return ids


def add_organisation(members: int) -> list[int]:
    from quizapp.extensions import db
    from quizapp.models import StudyGroup, User
    from quizapp.services.people.accounts import hash_initial_password

    committee = StudyGroup(name="机关党委", kind="committee", invite_code="BENCHC00")
    db.session.add(committee)
    db.session.flush()
    branch_ids = db.session.scalars(insert(StudyGroup).returning(StudyGroup.id, sort_by_parameter_order=True), [
        {"name": f"第{n}党支部", "kind": "branch", "parent_id": committee.id, "invite_code": f"BENCH{n:03d}"}
        for n in range(1, BRANCHES + 1)]).all()
    password_hash = hash_initial_password(PASSWORD)
    rows = [{"username": f"member{n}", "name": f"党员{n}", "password_hash": password_hash, "group_id": branch_ids[n % BRANCHES]}
            for n in range(members)]
    user_ids = []
    for start in range(0, members, 5000):
        user_ids += db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True),
                                       rows[start:start + 5000]).all()
    db.session.commit()
    return user_ids


def add_competition(name: str, size: int, user_ids: list[int], rng: random.Random) -> int:
    from quizapp.extensions import db
    from quizapp.models import Competition, Question
    from quizapp.models._types import utcnow
    from quizapp.services.competitions import lifecycle as competitions

    now = utcnow()
    question_ids = list(db.session.scalars(select(Question.id).where(Question.type == "single")
                                           .order_by(Question.id).limit(QUESTIONS)))
    rule = {"sections": [{"type": "single", "count": QUESTIONS, "points": POINTS, "category_path": None,
                          "difficulty": None}], "time_limit_s": 1800, "shuffle_options": True,
            "multiple_partial": True, "feedback": "after_submit", "title": ""}
    competition = Competition(title=f"竞赛 {name}", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=6),
                              rule=rule, question_ids=question_ids, time_limit_s=1800, feedback="after_submit",
                              attempts_allowed=1000, announced_at=now - timedelta(days=1))
    db.session.add(competition)
    db.session.commit()
    if size:
        add_finished_attempts(competition, user_ids[:size], question_ids, rng)
        began = time.perf_counter()
        competitions.rebuild_entries(competition)
        print(f"  {name}: {size:,} attempts with {size * QUESTIONS:,} answers; rebuild_entries "
              f"{time.perf_counter() - began:.1f} s", flush=True)
    return competition.id


def add_finished_attempts(competition, user_ids: list[int], question_ids: list[int], rng: random.Random) -> None:
    from quizapp.extensions import db
    from quizapp.models import Attempt, AttemptAnswer
    from quizapp.services.bank.versions import snapshot_versions
    from quizapp.services.clock import local_day

    versions = snapshot_versions(question_ids)

    for start in range(0, len(user_ids), 2000):
        attempts, answers = [], []
        for user_id in user_ids[start:start + 2000]:
            ability = rng.uniform(0.3, 0.95)
            right = [rng.random() < ability for _ in question_ids]
            used = rng.randint(120, 1800)
            finished = competition.starts_at + timedelta(seconds=rng.randint(used, 3500))
            attempts.append({"user_id": user_id, "mode": "competition", "title": competition.title,
                             "competition_id": competition.id, "rule": competition.rule, "seed": 1, "status": "finished",
                             "started_at": finished - timedelta(seconds=used), "deadline": competition.ends_at,
                             "finished_at": finished, "study_day": local_day(finished), "score": POINTS * sum(right),
                             "max_score": POINTS * len(right), "correct_count": sum(right),
                             "question_count": len(right), "time_used_s": used})
            answers.append(right)
        ids = db.session.scalars(insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True), attempts).all()
        db.session.execute(insert(AttemptAnswer), [
            {"attempt_id": attempt_id, "position": position, "question_id": question_id,
             "question_version_id": versions[question_id], "option_order": [0, 1, 2, 3],
             "points": POINTS, "given": ["B"] if right else ["A"], "is_correct": right,
             "score": POINTS if right else 0.0}
            for attempt_id, rights in zip(ids, answers)
            for position, (question_id, right) in enumerate(zip(question_ids, rights), 1)])
        db.session.commit()


# ---- in-process: the two boards alone -------------------------------------------------------------

def time_boards(url: str, ids: dict[str, int], samples: int) -> dict[tuple[str, str], float]:
    """Median seconds of individual_board (top 50, own rank and neighbours) and branch_board, both
    sizes taking turns for every sampled participant (a noisy moment hits both alike), after a warm-up."""
    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import Competition, User
    from quizapp.services.competitions import leaderboard

    boards = {"individual": lambda competition, user: leaderboard.individual_board(competition, user=user, top=50),
              "branch": lambda competition, user: leaderboard.branch_board(competition)}
    timings: dict[tuple[str, str], list[float]] = {(board, size): [] for board in boards for size in ids if size != "live"}
    with create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}).app_context():
        people = db.session.scalars(select(User).order_by(User.id).limit(samples)).all()
        competitions = {size: db.session.get(Competition, ids[size]) for size in ("small", "large")}
        for number, user in enumerate(people):
            for (board, size), times in timings.items():
                began = time.perf_counter()
                boards[board](competitions[size], user)
                if number >= 10:  # the first calls prepare statements and warm caches
                    times.append(time.perf_counter() - began)
        db.engine.dispose()
    return {key: statistics.median(times) for key, times in timings.items()}


# ---- over HTTP ------------------------------------------------------------------------------------

def board_requests(base: str, ids: dict[str, int], clients: int) -> dict[str, list]:
    """One request per client for each measured thing; client i is participant i (ranks spread wide)."""
    def rotating(path_of, users):
        requests = [page_request(path_of(), session_cookies(base, user)) for user in users]
        counter = iter(range(10**12))
        return lambda client: requests[next(counter) % len(requests)](client)

    users = [f"member{n}" for n in random.Random(3).sample(range(1000), clients)]
    return {"board_1k": rotating(lambda: f"/competitions/{ids['small']}/board.json?top=50", users),
            "board_100k": rotating(lambda: f"/competitions/{ids['large']}/board.json?top=50", users)}


def measure_boards(base: str, requests: dict, args) -> list[dict[str, float]]:
    """Per round, the median latency of each request, measured back to back."""
    for request in requests.values():
        run_load(base, request, clients=args.clients, seconds=1)
    rounds = []
    for number in range(1, args.rounds + 1):
        medians = {}
        for name, request in requests.items():
            run = run_load(base, request, clients=args.clients, seconds=args.seconds)
            if run.errors:
                raise SystemExit(f"{name}: {run.errors} failed requests")
            medians[name] = statistics.median(run.latencies)
            print(f"  round {number} {name:<10} {run.summary()}", flush=True)
        rounds.append(medians)
    return rounds


def live_journeys(competition_id: int):
    """Members taking the live competition again and again, as a phone would."""
    def script(member):
        while True:
            record = member.timed("enter", lambda: member.client.post(f"/competitions/{competition_id}/enter",
                                                                      data={"csrf_token": member.token}), 302)
            if record[2]:
                member.attempt_url = record[3].headers["location"]
            yield record[:3]
            for position in range(1, QUESTIONS + 1):
                yield member.page(position)
                yield member.save(position)
            yield member.submit()
            yield member.result()
            yield member.timed("board", lambda: member.client.get(f"/competitions/{competition_id}/board.json"), 200)[:3]
    return script


def run_live(base: str, names: list[str], competition_id: int, seconds: float, label: str) -> dict:
    phase = run_phase(base, names, live_journeys(competition_id), seconds)
    print(f"  {label}: " + "; ".join(f"{kind} {m.rps:.0f}/s p50 {m.p50_ms:.0f} ms p95 {m.p95_ms:.0f} ms err {m.errors}"
                                      for kind, m in sorted(phase.items())), flush=True)
    for failure, count in FAILURES.items():
        print(f"    failed {count} ×: {failure}", flush=True)
    FAILURES.clear()
    return phase


# ---- one database ---------------------------------------------------------------------------------

def bench_database(kind: str, args) -> list[str]:
    with temporary_database(kind) as url, tempfile.TemporaryDirectory(prefix="bench-competition-") as instance:
        print(f"{kind}: building {args.entries:,} entries ...", flush=True)
        began = time.perf_counter()
        ids = build(url, args.entries, args.small)
        print(f"{kind}: built in {time.perf_counter() - began:.0f} s", flush=True)
        boards = time_boards(url, ids, samples=200)
        Path(instance, "config.py").write_text("RATELIMIT_ENABLED = False\n")
        with gunicorn("run:app", database_url=url, extra_env={"QUIZAPP_INSTANCE_PATH": instance}) as base:
            rounds = measure_boards(base, board_requests(base, ids, args.clients), args)
            takers = [f"member{n}" for n in range(args.small, args.small + args.clients)]
            live = [run_live(base, takers, ids["live"], args.live_seconds, f"{kind} live round {n}")
                    for n in range(1, args.rounds + 1)]
            crowd = run_live(base, [f"member{n}" for n in range(2000, 2000 + args.crowd)], ids["live"],
                             args.crowd_seconds, f"{kind} crowd of {args.crowd}")
    return report(kind, boards, rounds, live, crowd, args)


def report(kind: str, boards, rounds, live, crowd, args) -> list[str]:
    medians = {name: statistics.median(measured[name] for measured in rounds) for name in rounds[0]}
    save = median_run([phase["save"] for phase in live])
    submit = median_run([phase["submit"] for phase in live])
    lines = [result_line("competition", f"{kind} {board}_board_{size} (in-process)", boards[(board, size)] * 1000,
                         "ms") for board in ("individual", "branch") for size in ("small", "large")]
    lines += [result_line("competition", f"{kind} {name}_p50 (median of rounds)", value * 1000, "ms")
              for name, value in medians.items()]
    lines += [result_line("competition", f"{kind} save_p50", save.p50_ms, "ms"),
              result_line("competition", f"{kind} submit_p50", submit.p50_ms, "ms")]
    lines += [result_line("competition", f"{kind} crowd{args.crowd} {name}", m.rps,
                          f"req/s, p50 {m.p50_ms:.0f} ms, p95 {m.p95_ms:.0f} ms, {m.errors} failed")
              for name, m in sorted(crowd.items())]
    for board in ("individual", "branch"):
        lines.append(target_line("competition", f"{kind} {board}_board 100k/1k (in-process)",
                                 boards[(board, "large")] / boards[(board, "small")], TARGET_SIZE, False))
    def per_round(numerator: str, denominator: str) -> list[float]:
        return [measured[numerator] / measured[denominator] for measured in rounds]

    lines += [
        paired_target_line("competition", f"{kind} board_100k/board_1k", per_round("board_100k", "board_1k"),
                           TARGET_SIZE, False),
        target_line("competition", f"{kind} crowd{args.crowd} failed_requests",
                    sum(m.errors for m in crowd.values()), 0, False),
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2, help="a light load: latency, not rate")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--live-seconds", type=float, default=10.0, help="each round of members taking the live one")
    parser.add_argument("--crowd", type=int, default=64)
    parser.add_argument("--crowd-seconds", type=float, default=15.0)
    args = parser.parse_args(argv)
    lines = [line for kind in args.databases for line in bench_database(kind, args)]
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Benchmark: how many members can take part in a competition at once, per core of the server.

Runs the production setup of the README (gunicorn with gunicorn.conf.py, the app of run.py) on
PostgreSQL and, as a second line, SQLite, with --members simulated members of one branch, each with a
password of his or her own choosing (the full scrypt hash of set_password). Every member:

  logs in       GET /login, POST /login (→ home page)
  takes part    GET /competitions/<id>, POST enter, 20 × (GET question page, POST autosave), POST submit,
                GET result

--concurrency members at a time, each pausing --think-ms on average between requests: a fixed,
moderate load, at which the latency of every kind of request is reported (p50/p95).

Server CPU is read from /proc: the gunicorn master and workers, plus the PostgreSQL backends serving
the bench database (found in pg_stat_activity; the cluster's shared background processes are left
out, as are other users of the shared server). The load generator's own CPU does not count. From the
CPU of the login phase and of the competition phase:

  CPU per answer    = (login + attempt CPU per member) / 20 answers
  members per core  = 6,000 ms / CPU per answer    (a member answers once every 6 s on average)

Also: no request may fail; every saved answer must be scored exactly once (checked in the database
afterwards); and the login figure: logins/s the server holds with --login-clients members logging in
at once, against the password hash's own verifications/s on one core, and how long a member stays
signed in (a contest start should not be a login storm).

    .venv/bin/python bench/capacity.py [--databases postgresql sqlite] [--members 60] [--concurrency 12]
                                       [--think-ms 150] [--baseline-postgresql N] [--baseline-sqlite N]

With a baseline (members per core measured before a change), a target line checks >= 90% of it.
"""
from __future__ import annotations

import argparse
import os
import queue
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bench._server import POSTGRES_ADMIN_URL, Measurement, gunicorn, result_line, target_line, temporary_database  # noqa: E402
from bench.quiz_load import FAILURES, TOKEN, TYPES, Member, add_questions, add_sources, app_for, ensure_categories  # noqa: E402

ANSWERS = 20
HUMAN_MS_PER_ANSWER = 6000
PASSWORD = "bench-chosen-pass-1"
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


# ---- data -----------------------------------------------------------------------------------------

def build(url: str, members: int) -> tuple[int, list[str]]:
    """A bank of 2,000 questions, one branch of `members`, and one open competition of 20 questions of
    the four types (one attempt each); returns the competition id and the usernames."""
    from sqlalchemy import insert, select

    from quizapp.extensions import db
    from quizapp.models import Competition, Question, StudyGroup, User
    from quizapp.models._types import utcnow

    with app_for(url).app_context():
        db.create_all()
        add_questions(0, 2000, ensure_categories(), random.Random(1), source_ids=add_sources())
        branch = StudyGroup(name="第一党支部", kind="branch", invite_code="CAPACITY")
        db.session.add(branch)
        db.session.flush()
        chosen = User(username="template", name="template")
        chosen.set_password(PASSWORD)
        names = [f"member{number:04d}" for number in range(members)]
        db.session.execute(insert(User), [{"username": name, "name": name, "group_id": branch.id,
                                           "password_hash": chosen.password_hash} for name in names])
        each = ANSWERS // len(TYPES)
        question_ids = [question_id for kind in TYPES for question_id in db.session.scalars(
            select(Question.id).where(Question.type == kind).order_by(Question.id).limit(each))]
        now = utcnow()
        rule = {"sections": [{"type": kind, "count": each, "points": 5.0, "category_path": None, "difficulty": None}
                             for kind in TYPES], "time_limit_s": 3600, "shuffle_options": True,
                "multiple_partial": True, "feedback": "after_submit", "title": ""}
        competition = Competition(title="产能测试竞赛", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=6),
                                  rule=rule, question_ids=question_ids, time_limit_s=3600, feedback="after_submit",
                                  attempts_allowed=1, announced_at=now - timedelta(days=1))
        db.session.add(competition)
        db.session.commit()
        competition_id = competition.id
        db.engine.dispose()
    return competition_id, names


# ---- server CPU from /proc ------------------------------------------------------------------------

def cpu_ticks(pid: int, children: bool = False) -> int:
    """utime + stime of a process (and of its reaped children, if asked), in clock ticks; 0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    own = int(fields[11]) + int(fields[12])
    return own + (int(fields[13]) + int(fields[14]) if children else 0)


def gunicorn_pids(port: int) -> list[int]:
    """The master and workers: every process whose command line binds our port."""
    bind = f"127.0.0.1:{port}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"gunicorn" in (command := (entry / "cmdline").read_bytes()) and bind in command:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class ServerCPU:
    """CPU used by the server between start() and stop(): gunicorn's processes, and on PostgreSQL the
    backends of the bench database, sampled every 50 ms while they live (they live as long as the pool)."""

    def __init__(self, port: int, database_url: str):
        self.port, self.database = port, database_url.rsplit("/", 1)[1] if database_url.startswith("postgresql") else None
        self.backends: dict[int, tuple[int, int]] = {}  # pid -> (ticks at first sight, latest ticks)
        self.stopping = threading.Event()

    def _gunicorn_ticks(self) -> int:
        pids = gunicorn_pids(self.port)
        master = min(pids)  # the master starts first
        return sum(cpu_ticks(pid, children=pid == master) for pid in pids)

    def _sample_backends(self, connection) -> None:
        pids = [row[0] for row in connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                                                     (self.database,))]
        for pid in pids:
            ticks = cpu_ticks(pid)
            first = self.backends.get(pid, (ticks, ticks))[0]
            self.backends[pid] = (first, max(ticks, self.backends.get(pid, (0, 0))[1]))

    def _poll(self) -> None:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            while True:
                self._sample_backends(connection)
                self.ready.set()
                if self.stopping.wait(0.05):
                    self._sample_backends(connection)
                    return

    def start(self) -> None:
        self.gunicorn_before = self._gunicorn_ticks()
        self.ready = threading.Event()
        if self.database:
            self.poller = threading.Thread(target=self._poll, daemon=True)
            self.poller.start()
            self.ready.wait()
            self.backends = {pid: (latest, latest) for pid, (_, latest) in self.backends.items()}

    def stop(self) -> tuple[float, float]:
        """(gunicorn ms, database ms) since start()."""
        gunicorn_ms = (self._gunicorn_ticks() - self.gunicorn_before) * TICK_MS
        if not self.database:
            return gunicorn_ms, 0.0
        self.stopping.set()
        self.poller.join()
        self.stopping.clear()
        return gunicorn_ms, sum(latest - first for first, latest in self.backends.values()) * TICK_MS


# ---- a member -------------------------------------------------------------------------------------

class Competitor(Member):
    """A member on a phone: logs in through the form, opens the competition, answers and submits."""

    def __init__(self, client: httpx.Client, username: str, rng: random.Random, think_s: float):
        super().__init__(client, username, rng)
        self.think_s, self.records, self.saved = think_s, [], 0

    def act(self, record) -> None:
        self.records.append(record[:3])
        if self.think_s:
            time.sleep(self.rng.expovariate(1 / self.think_s))

    def log_in(self):
        record = self.timed("login_page", lambda: self.client.get("/login"), 200)
        self.act(record)
        self.token = TOKEN.search(record[3].text).group(1)
        self.act(self.timed("login", lambda: self.client.post("/login", data={
            "username": self.username, "password": PASSWORD, "csrf_token": self.token}), 302))
        record = self.timed("home", lambda: self.client.get("/"), 200)
        self.act(record)
        if record[2]:
            self.token = TOKEN.search(record[3].text).group(1)

    def take(self, competition_id: int) -> None:
        self.act(self.timed("competition", lambda: self.client.get(f"/competitions/{competition_id}"), 200))
        record = self.timed("enter", lambda: self.client.post(f"/competitions/{competition_id}/enter",
                                                              data={"csrf_token": self.token}), 302)
        self.act(record)
        if not record[2]:
            return
        self.attempt_url = record[3].headers["location"]
        for position in range(1, ANSWERS + 1):
            self.act(self.page(position))
            saved = self.save(position)
            self.saved += saved[2]
            self.act(saved)
        self.act(self.submit())
        self.act(self.result())


def run_members(base: str, members: list[Competitor], work, concurrency: int) -> float:
    """`work(member)` for every member, `concurrency` at a time; returns the seconds it took."""
    waiting: queue.SimpleQueue = queue.SimpleQueue()
    for member in members:
        waiting.put(member)

    def worker() -> None:
        while True:
            try:
                member = waiting.get_nowait()
            except queue.Empty:
                return
            work(member)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def by_kind(members: list[Competitor], seconds: float) -> dict[str, Measurement]:
    latencies, errors = defaultdict(list), defaultdict(int)
    for member in members:
        for kind, latency, ok in member.records:
            if ok:
                latencies[kind].append(latency)
            else:
                errors[kind] += 1
    return {kind: Measurement(seconds, latencies[kind], errors[kind]) for kind in set(latencies) | set(errors)}


# ---- checks and the login figure ------------------------------------------------------------------

def scored_once(url: str, competition_id: int, members: list[Competitor]) -> list[str]:
    """Problems found in the database: each member's attempt finished once, every saved answer scored,
    the attempt's score the sum of its answers', the entry counting one finished attempt, at most one
    points award per attempt and reason."""
    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import Attempt, CompetitionEntry, PointsEntry, User

    problems = []
    with app_for(url).app_context():
        for member in members:
            attempts = db.session.scalars(select(Attempt).join(User, User.id == Attempt.user_id).where(
                User.username == member.username, Attempt.competition_id == competition_id)).all()
            if len(attempts) != 1 or attempts[0].status != "finished":
                problems.append(f"{member.username}: {len(attempts)} attempts, status {[a.status for a in attempts]}")
                continue
            attempt = attempts[0]
            answered = [answer for answer in attempt.answers if answer.answered_at is not None]
            if len(answered) != member.saved or any(answer.is_correct is None for answer in answered):
                problems.append(f"{member.username}: {member.saved} saved, {len(answered)} stored, "
                                f"{sum(a.is_correct is None for a in answered)} unscored")
            if abs(sum(answer.score for answer in attempt.answers) - attempt.score) > 1e-6:
                problems.append(f"{member.username}: attempt score {attempt.score} is not the sum of its answers'")
            entry = db.session.scalar(select(CompetitionEntry).where(
                CompetitionEntry.competition_id == competition_id, CompetitionEntry.user_id == attempt.user_id))
            if entry is None or entry.attempts_finished != 1 or entry.best_score != attempt.score:
                problems.append(f"{member.username}: entry {entry and (entry.attempts_finished, entry.best_score)}")
        twice = db.session.execute(select(PointsEntry.attempt_id, PointsEntry.reason).where(
            PointsEntry.attempt_id.in_(select(Attempt.id).where(Attempt.competition_id == competition_id)))
            .group_by(PointsEntry.attempt_id, PointsEntry.reason).having(func.count() > 1)).all()
        problems += [f"attempt {attempt_id}: points '{reason}' awarded more than once" for attempt_id, reason in twice]
        db.engine.dispose()
    return problems


def verifications_per_s(seconds: float = 2.0) -> float:
    """The password hash of a member's own password, checked in a loop on one core."""
    from quizapp.models import User

    user = User(username="probe", name="probe")
    user.set_password(PASSWORD)
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        user.check_password(PASSWORD)
        count += 1
    return count / (time.perf_counter() - began)


def logins_held(base: str, names: list[str], clients: int, seconds: float) -> Measurement:
    """`clients` members logging in again and again (each time as a new phone: no cookies)."""
    lock, latencies, failed = threading.Lock(), [], [0]
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        mine, errors = [], 0
        while time.perf_counter() < deadline:
            with httpx.Client(base_url=base, timeout=60.0) as client:
                token = TOKEN.search(client.get("/login").text).group(1)
                began = time.perf_counter()
                response = client.post("/login", data={"username": names[index % len(names)], "password": PASSWORD,
                                                       "csrf_token": token})
                if response.status_code == 302:
                    mine.append(time.perf_counter() - began)
                else:
                    errors += 1
        with lock:
            latencies.extend(mine)
            failed[0] += errors

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Measurement(time.perf_counter() - began, latencies, failed[0])


def signed_in_for() -> str:
    from flask_login import COOKIE_DURATION

    app = app_for("sqlite://")
    remembered = app.config.get("REMEMBER_COOKIE_DURATION", COOKIE_DURATION)
    return (f"with 记住我 {remembered.days} days (remember cookie), else until the browser session ends; "
            f"CSRF tokens never expire (WTF_CSRF_TIME_LIMIT = {app.config['WTF_CSRF_TIME_LIMIT']})")


# ---- one database ---------------------------------------------------------------------------------

def bench_database(kind: str, args) -> list[str]:
    with temporary_database(kind) as url, tempfile.TemporaryDirectory(prefix="bench-capacity-") as instance:
        competition_id, names = build(url, args.members + args.warmup)
        # All members come from 127.0.0.1: the per-address login limit would lock them out.
        Path(instance, "config.py").write_text("RATELIMIT_ENABLED = False\n")
        print(f"{kind}: {args.members} members, {args.concurrency} at a time, think {args.think_ms} ms", flush=True)
        with gunicorn("run:app", database_url=url, extra_env={"QUIZAPP_INSTANCE_PATH": instance}) as base:
            port = int(base.rsplit(":", 1)[1])
            clients = [httpx.Client(base_url=base, timeout=60.0, limits=httpx.Limits(keepalive_expiry=1.0))
                       for _ in names]
            everyone = [Competitor(client, name, random.Random(index), args.think_ms / 1000)
                        for index, (client, name) in enumerate(zip(clients, names))]
            warmup, members = everyone[:args.warmup], everyone[args.warmup:]
            run_members(base, warmup, lambda m: (m.log_in(), m.take(competition_id)), args.concurrency)
            cpu = ServerCPU(port, url)
            cpu.start()
            login_s = run_members(base, members, Competitor.log_in, args.concurrency)
            login_cpu = cpu.stop()
            cpu.start()
            take_s = run_members(base, members, lambda m: m.take(competition_id), args.concurrency)
            take_cpu = cpu.stop()
            for client in clients:
                client.close()
            logins = logins_held(base, names, args.login_clients, args.login_seconds)
        problems = scored_once(url, competition_id, everyone)
    for failure, count in FAILURES.items():
        print(f"    failed {count} ×: {failure}", flush=True)
    FAILURES.clear()
    return report(kind, args, members, login_cpu, take_cpu, login_s + take_s, problems, logins)


def report(kind, args, members, login_cpu, take_cpu, seconds, problems, logins) -> list[str]:
    count = len(members)
    login_ms, take_ms = sum(login_cpu) / count, sum(take_cpu) / count
    per_answer, per_answer_signed_in = (login_ms + take_ms) / ANSWERS, take_ms / ANSWERS
    per_core = HUMAN_MS_PER_ANSWER / per_answer
    kinds = by_kind(members, seconds)
    failed = sum(measurement.errors for measurement in kinds.values())
    hash_rate = verifications_per_s()
    lines = [
        result_line("capacity", f"{kind} server_cpu_ms_per_attempt", login_ms + take_ms,
                    f"login {login_ms:.1f} ms + competition {take_ms:.1f} ms; gunicorn "
                    f"{(login_cpu[0] + take_cpu[0]) / count:.1f} ms, database {(login_cpu[1] + take_cpu[1]) / count:.1f} ms"),
        result_line("capacity", f"{kind} cpu_ms_per_answer", per_answer,
                    f"arriving signed in: {per_answer_signed_in:.2f} ms"),
        result_line("capacity", f"{kind} members_per_core", per_core,
                    f"one answer per {HUMAN_MS_PER_ANSWER / 1000:.0f} s; arriving signed in: "
                    f"{HUMAN_MS_PER_ANSWER / per_answer_signed_in:.0f}"),
    ]
    lines += [result_line("capacity", f"{kind} {name}_p50_ms", measurement.p50_ms,
                          f"p95 {measurement.p95_ms:.1f} ms, {len(measurement.latencies)} requests")
              for name, measurement in sorted(kinds.items())]
    lines += [
        result_line("capacity", f"{kind} load_req_per_s", sum(len(m.latencies) for m in kinds.values()) / seconds,
                    f"{args.concurrency} members at a time, think {args.think_ms} ms"),
        result_line("capacity", f"{kind} logins_per_s_held", logins.rps,
                    f"{args.login_clients} at once, p95 {logins.p95_ms:.0f} ms, {logins.errors} failed; the hash alone: "
                    f"{hash_rate:.1f} verifications/s on one core"),
        f"bench capacity: {kind} signed in for: {signed_in_for()}",
        target_line("capacity", f"{kind} failed_requests", failed + logins.errors, 0, higher_is_better=False),
        target_line("capacity", f"{kind} answers_not_scored_once", len(problems), 0, higher_is_better=False),
    ]
    lines += [f"    {problem}" for problem in problems[:10]]
    baseline = getattr(args, f"baseline_{kind}")
    if baseline:
        lines.append(f"bench capacity: {kind} members_per_core = {per_core:.0f} (target >= {0.9 * baseline:.0f}, "
                     f"90% of before) {'ok' if per_core >= 0.9 * baseline else 'SHORT'}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", default=["postgresql", "sqlite"], choices=["sqlite", "postgresql"])
    parser.add_argument("--members", type=int, default=60, help="members measured, one attempt each")
    parser.add_argument("--warmup", type=int, default=6, help="members taking part first, not measured")
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--think-ms", type=float, default=150.0, help="mean pause between a member's requests")
    parser.add_argument("--login-clients", type=int, default=8)
    parser.add_argument("--login-seconds", type=float, default=8.0)
    parser.add_argument("--baseline-postgresql", type=float, help="members per core before a change")
    parser.add_argument("--baseline-sqlite", type=float, help="members per core before a change")
    args = parser.parse_args(argv)
    lines = [line for kind in args.databases for line in bench_database(kind, args)]
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Benchmark: members taking the daily quiz under gunicorn, on SQLite (WAL) and PostgreSQL, against the
ceilings of the same server measured in the same run; and drawing a paper from 100,000 questions
against drawing it from 1,000.

Per database, one gunicorn (bench._ceiling_app: the production app plus POST /bench/insert) serves a
bank of --bank questions (quoting 20 study texts, as the real bank quotes its sources) and --clients
members; each round measures, in turn:

  insert    POST /bench/insert                               (ceiling: one INSERT + COMMIT)
  saves     members autosaving answers into their open daily quiz (JSON POST with X-CSRFToken)
  trivial   GET /healthz                                     (ceiling: no database)
  pages     members opening question pages of their daily quiz
  journey   members taking whole daily quizzes: log in, start, 10 × (page, save), submit, result
  login_page  GET /login                                     (for reference: a template page, no database)

Each ratio is taken within a round, from phases run back to back (saves after insert, pages after
trivial, journey after pages), and judged on the median over the rounds: this machine's speed drifts
during a run, and a ratio of moments a minute apart would measure the drift.

Targets (issue "Quiz engine", Speed): saves/s >= 0.6 × insert/s; pages/s >= 0.5 × trivial/s; p95 of
every kind of quiz request < 4 × trivial p95; no failed request; drawing from 100,000 questions within
1.5 × of drawing from 1,000.

    .venv/bin/python bench/quiz_load.py [--clients 32] [--seconds 5] [--rounds 3] [--databases sqlite postgresql]
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bench import _ceiling_app  # noqa: E402
from bench._server import (Measurement, gunicorn, median_run, paired_target_line, percentile, result_line,  # noqa: E402
                           run_load, target_line, temporary_database)

PASSWORD = "bench-pass-1"
TYPES = ("single", "multiple", "judge", "fill")
CATEGORIES = [f"党史/{era}/{topic}" for era in ("新民主主义革命时期", "社会主义革命和建设时期", "改革开放", "新时代")
              for topic in ("重要会议", "重要人物", "理论创新", "党的建设")]
CEILINGS = {"trivial": lambda client: client.get("/healthz"), "insert": lambda client: client.post("/bench/insert"),
            "login_page": lambda client: client.get("/login")}  # for reference: a template page with no database


# ---- data -----------------------------------------------------------------------------------------

def app_for(url: str):
    from quizapp import create_app

    return create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})


def ensure_categories() -> list[int]:
    from quizapp.services.questions import ensure_category

    return [ensure_category(path).id for path in CATEGORIES]


def add_sources(count: int = 20) -> list[int]:
    """Study texts of a newspaper page's length (about 6,000 characters), which the questions quote."""
    from quizapp.extensions import db
    from quizapp.models import Source

    sources = [Source(title=f"每周一学·第{number}期", text="江山就是人民，人民就是江山。" * 430) for number in range(count)]
    db.session.add_all(sources)
    db.session.commit()
    return [source.id for source in sources]


def add_questions(first: int, count: int, category_ids: list[int], rng: random.Random,
                  source_ids: list[int] | None = None) -> None:
    """Published questions of every type (each quoting one of source_ids, if given), inserted in chunks
    through the ORM's bulk insert."""
    from sqlalchemy import insert, literal, select

    from quizapp.extensions import db
    from quizapp.models import Question, QuestionVersion

    content = ("type", "stem", "options", "answer", "explanation", "quote")
    for start in range(first, first + count, 5000):
        rows = [question_row(number, category_ids, rng) for number in range(start, min(start + 5000, first + count))]
        if source_ids:
            for row in rows:
                row["source_id"] = rng.choice(source_ids)
        db.session.execute(insert(Question), rows)
        # Version 1 of each, as an edit or an import writes it: starting a quiz then only reads versions.
        new = select(Question.id, literal(1), *(getattr(Question, name) for name in content), Question.created_at).where(
            Question.key.in_([row["key"] for row in rows]))
        db.session.execute(insert(QuestionVersion).from_select(["question_id", "number", *content, "created_at"], new))
        db.session.commit()


def question_row(number: int, category_ids: list[int], rng: random.Random) -> dict:
    kind = TYPES[number % 4]
    stem = f"第{number}题：关于党的历史，下列说法中符合史实的是（　）。"
    row = {"key": f"bench-{number}", "type": kind, "stem": stem, "normalised_stem": f"bench{number}",
           "options": [], "answer": True, "explanation": "解析：以史为鉴，开创未来。", "difficulty": rng.randint(1, 3),
           "category_id": rng.choice(category_ids), "status": "published", "draw_key": rng.random(),
           "quote": "原文摘录：江山就是人民，人民就是江山。"}
    if kind in ("single", "multiple"):
        row["options"] = [f"第{number}题的第{index}个说法" for index in range(1, 5)]
        row["answer"] = ["B"] if kind == "single" else ["A", "C"]
    elif kind == "fill":
        row["answer"] = [["人民", "人民群众"]]
    return row


def add_members(count: int) -> list[str]:
    from sqlalchemy import insert

    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.accounts import hash_initial_password

    password_hash = hash_initial_password(PASSWORD)  # the light hash of imported rosters: logins stay cheap
    names = [f"bench{number:03d}" for number in range(count)]
    db.session.execute(insert(User), [{"username": name, "name": name, "password_hash": password_hash}
                                      for name in names])
    db.session.commit()
    return names


def prepare(url: str, bank: int, members: int) -> list[str]:
    from quizapp.extensions import db

    with app_for(url).app_context():
        db.create_all()
        add_questions(0, bank, ensure_categories(), random.Random(1), source_ids=add_sources())
        names = add_members(members)
        db.engine.dispose()
    _ceiling_app.create_bench_table(url)
    return names


# ---- a member, as a browser would act -------------------------------------------------------------

TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
FAILURES: defaultdict = defaultdict(int)  # (kind, status or error, body) -> count, printed per round


class Member:
    def __init__(self, client: httpx.Client, username: str, rng: random.Random):
        self.client, self.username, self.rng = client, username, rng
        self.token, self.attempt_url, self.fields = "", "", {}

    def timed(self, kind: str, send, expect: int):
        began = time.perf_counter()
        try:
            response = send()
            ok = response.status_code == expect
        except httpx.HTTPError as error:
            response, ok = None, False
            FAILURES[(kind, type(error).__name__)] += 1
        if response is not None and not ok:
            FAILURES[(kind, response.status_code, response.text[:120])] += 1
        return kind, time.perf_counter() - began, ok, response

    def log_in(self):
        self.token = TOKEN.search(self.client.get("/login").text).group(1)
        record = self.timed("login", lambda: self.client.post("/login", data={
            "username": self.username, "password": PASSWORD, "csrf_token": self.token}), 302)
        self.token = TOKEN.search(self.client.get("/quiz/history").text).group(1)
        return record[:3]

    def start(self):
        record = self.timed("start", lambda: self.client.post("/quiz/daily", data={"csrf_token": self.token}), 302)
        if record[2]:
            self.attempt_url = record[3].headers["location"]
        return record[:3]

    def page(self, position: int, learn: bool = True):
        """Open a question page; `learn` reads which answer it asks for (client work, left out of `pages`)."""
        record = self.timed("page", lambda: self.client.get(self.attempt_url, params={"q": position}), 200)
        if record[2] and learn:
            self.fields[position] = answer_shape(record[3].text)
        return record[:3]

    def save(self, position: int):
        given = self.rng_answer(self.fields.get(position, ("judge", 0)))
        return self.timed("save", lambda: self.client.post(f"{self.attempt_url}/answers/{position}", json={"given": given},
                                                           headers={"X-CSRFToken": self.token}), 200)[:3]

    def submit(self):
        record = self.timed("submit", lambda: self.client.post(f"{self.attempt_url}/submit",
                                                               data={"csrf_token": self.token}), 302)
        return record[:3]

    def result(self):
        return self.timed("result", lambda: self.client.get(f"{self.attempt_url}/result"), 200)[:3]

    def rng_answer(self, shape: tuple[str, object]):
        kind, detail = shape
        if kind == "judge":
            return self.rng.random() < 0.7
        if kind == "fill":
            return ["人民" if self.rng.random() < 0.7 else "群众"] * detail
        if kind == "multiple":
            return sorted(self.rng.sample(detail, 2))
        return [self.rng.choice(detail)]


def answer_shape(html: str) -> tuple[str, object]:
    """What the question page asks for: option letters, 正确/错误, or a number of blanks."""
    letters = re.findall(r'name="choice" value="([A-H])"', html)
    if letters:
        return ("multiple" if 'type="checkbox"' in html else "single"), letters
    if 'name="judge"' in html:
        return "judge", 0
    return "fill", max(1, html.count('name="blank"'))


def saves(member: Member):
    """Autosave answers into the member's open daily quiz, position after position."""
    for position in range(1, 11):
        member.page(position)  # learns each question's shape; not timed into this phase
    while True:
        for position in range(1, 11):
            yield member.save(position)


def pages(member: Member):
    while True:
        for position in range(1, 11):
            yield member.page(position, learn=False)


def journeys(member: Member):
    while True:
        started = member.start()
        yield started
        if not started[2]:
            continue  # counted as failed; without a quiz there is nothing to answer
        for position in range(1, 11):
            yield member.page(position)
            yield member.save(position)
        yield member.submit()
        yield member.result()


# ---- load -----------------------------------------------------------------------------------------

def run_phase(base: str, names: list[str], script, seconds: float, *, started: bool = False,
              timed_login: bool = False) -> dict[str, Measurement]:
    """One thread per member with its own keep-alive client: log in (and, if `started`, open a daily
    quiz) before the gate, then run `script` until time is up. Every request of the script is timed,
    by kind, and so is the login if `timed_login` (a journey begins with logging in)."""
    barrier, go = threading.Barrier(len(names) + 1), threading.Event()
    lock, latencies, errors = threading.Lock(), defaultdict(list), defaultdict(int)
    deadline: list[float] = []

    def worker(name: str, seed: int) -> None:
        # gunicorn closes keep-alive connections idle for 2 s; httpx must not reuse one that old.
        with httpx.Client(base_url=base, timeout=60.0, limits=httpx.Limits(keepalive_expiry=1.0)) as client:
            member = Member(client, name, random.Random(seed))
            login = member.log_in()
            if started:
                member.start()
            steps = script(member)
            if started:
                next(steps, None)  # the script's untimed preparation, if any, runs before the gate
            barrier.wait()
            go.wait()
            drop_idle_connection(client)
            mine = [login] if timed_login else []
            while time.perf_counter() < deadline[0]:
                mine.append(next(steps))
        with lock:
            for kind, latency, ok in mine:
                if ok:
                    latencies[kind].append(latency)
                else:
                    errors[kind] += 1

    threads = [threading.Thread(target=worker, args=(name, index), daemon=True) for index, name in enumerate(names)]
    for thread in threads:
        thread.start()
    barrier.wait()  # every member is logged in (and has a quiz open)
    began = time.perf_counter()
    deadline.append(began + seconds)
    go.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {kind: Measurement(elapsed, latencies[kind], errors[kind]) for kind in set(latencies) | set(errors)}


def drop_idle_connection(client: httpx.Client) -> None:
    """The wait at the gate outlasts the keep-alive: one untimed request opens the fresh connection."""
    try:
        client.get("/healthz")
    except httpx.HTTPError:
        pass


def bench_server(kind: str, args) -> list[str]:
    with temporary_database(kind) as url, tempfile.TemporaryDirectory(prefix="bench-quiz-") as instance:
        names = prepare(url, args.bank, args.clients)
        # The login limiter would lock 32 logins from one address out; it is not what this bench measures.
        Path(instance, "config.py").write_text("RATELIMIT_ENABLED = False\n")
        print(f"{kind}: {args.clients} members, bank of {args.bank}, {args.rounds} × {args.seconds:g} s per measurement", flush=True)
        with gunicorn("bench._ceiling_app:create()", database_url=url, workers=args.workers, threads=args.threads,
                      extra_env={"QUIZAPP_INSTANCE_PATH": instance}) as base:
            runs = measure_rounds(base, names, args, kind)
    return report(kind, runs)


ROUND = (("insert", None, False), ("saves", saves, True), ("trivial", None, False), ("pages", pages, True),
         ("journey", journeys, False), ("login_page", None, False))  # each ratio's two phases run back to back


def measure_rounds(base: str, names: list[str], args, kind: str) -> dict[str, list]:
    runs: dict[str, list] = defaultdict(list)
    run_phase(base, names, journeys, args.warmup)  # warm-up: every path once at least
    for number in range(1, args.rounds + 1):
        for name, script, started in ROUND:
            if script is None:
                runs[name].append(run_load(base, CEILINGS[name], clients=args.clients, seconds=args.seconds))
                print(f"  {kind} {name:<8} round {number}: {runs[name][-1].summary()}", flush=True)
                continue
            seconds = args.journey_seconds if name == "journey" else args.seconds
            runs[name].append(run_phase(base, names, script, seconds, started=started, timed_login=not started))
            print(f"  {kind} {name:<8} round {number}: " + "; ".join(
                f"{k} {m.rps:.0f}/s p95 {m.p95_ms:.0f} ms err {m.errors}" for k, m in sorted(runs[name][-1].items())),
                flush=True)
            for failure, count in FAILURES.items():
                print(f"    failed {count} ×: {failure}", flush=True)
            FAILURES.clear()
    return runs


def worst_p95(saves_phase: dict, pages_phase: dict, journey_phase: dict) -> tuple[str, float]:
    """The slowest kind of quiz request of one round, by p95: (kind, ms)."""
    p95 = {name: figures.p95_ms for name, figures in journey_phase.items()}
    p95.update({"save (saves phase)": saves_phase["save"].p95_ms, "page (pages phase)": pages_phase["page"].p95_ms})
    worst = max(p95, key=p95.get)
    return worst, p95[worst]


def report(kind: str, runs: dict[str, list]) -> list[str]:
    trivial, insert = median_run(runs["trivial"]), median_run(runs["insert"])
    save = median_run([phase["save"] for phase in runs["saves"]])
    page = median_run([phase["page"] for phase in runs["pages"]])
    journey = median_by(runs["journey"], "save")
    worst = [worst_p95(*phases) for phases in zip(runs["saves"], runs["pages"], runs["journey"])]
    failed = sum(m.errors for phases in (runs["saves"], runs["pages"], runs["journey"]) for phase in phases
                 for m in phase.values())
    all_latencies = [latency for figures in journey.values() for latency in figures.latencies]
    return [
        result_line("quiz_load", f"{kind} trivial_rps", trivial.rps, f"p95 {trivial.p95_ms:.1f} ms"),
        result_line("quiz_load", f"{kind} insert_rps", insert.rps, f"p95 {insert.p95_ms:.1f} ms"),
        result_line("quiz_load", f"{kind} login_page_rps (reference)", median_run(runs["login_page"]).rps,
                    f"{median_run(runs['login_page']).rps / trivial.rps:.2f} of trivial: a page with no database"),
        result_line("quiz_load", f"{kind} answer_save_rps", save.rps, f"p95 {save.p95_ms:.1f} ms"),
        result_line("quiz_load", f"{kind} question_page_rps", page.rps, f"p95 {page.p95_ms:.1f} ms"),
        result_line("quiz_load", f"{kind} journey quizzes_per_s", journey["submit"].rps if "submit" in journey else 0,
                    ", ".join(f"{name} p95 {figures.p95_ms:.0f} ms" for name, figures in sorted(journey.items()))
                    + f"; all requests p95 {percentile(all_latencies, 95) * 1000:.0f} ms"),
        result_line("quiz_load", f"{kind} slowest_p95_ms (median of rounds)", statistics.median(ms for _, ms in worst),
                    "; ".join(f"{name} {ms:.0f} ms" for name, ms in worst)),
        paired_target_line("quiz_load", f"{kind} answer_save_rps/insert_rps",
                           [phase["save"].rps / run.rps for run, phase in zip(runs["insert"], runs["saves"])], 0.6),
        paired_target_line("quiz_load", f"{kind} question_page_rps/trivial_rps",
                           [phase["page"].rps / run.rps for run, phase in zip(runs["trivial"], runs["pages"])], 0.5),
        paired_target_line("quiz_load", f"{kind} worst_p95/trivial_p95",
                           [ms / run.p95_ms for (_, ms), run in zip(worst, runs["trivial"])], 4, higher_is_better=False),
        target_line("quiz_load", f"{kind} failed_requests", failed, 0, higher_is_better=False),
    ]


def median_by(phases: list[dict[str, Measurement]], kind: str) -> dict[str, Measurement]:
    middle = statistics.median_low([phase[kind].rps for phase in phases if kind in phase])
    return next(phase for phase in phases if kind in phase and phase[kind].rps == middle)


# ---- drawing from a large bank --------------------------------------------------------------------

def bench_draw(kind: str, args) -> list[str]:
    """The same papers drawn alternately from a bank of 1,000 and one of 100,000 (noise hits both alike)."""
    from sqlalchemy import text

    from quizapp.extensions import db

    with temporary_database(kind) as small_url, temporary_database(kind) as large_url:
        apps = {}
        for size, url in ((1000, small_url), (100_000, large_url)):
            apps[size] = app_for(url)
            with apps[size].app_context():
                db.create_all()
                add_questions(0, size, ensure_categories(), random.Random(size))
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        timings = time_draws(apps, args.draws)
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
    lines = []
    for name, (small, large) in timings.items():
        print(f"  {kind} draw {name:<26} 1,000: {small * 1000:.2f} ms   100,000: {large * 1000:.2f} ms", flush=True)
        lines.append(target_line("quiz_load", f"{kind} draw_100k/draw_1k {name}", large / small, 1.5,
                                 higher_is_better=False))
    return lines


def time_draws(apps: dict, count: int) -> dict[str, tuple[float, float]]:
    """Median seconds per draw of three papers, from the small bank and the large one, alternately."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Question
    from quizapp.services.papers import PaperRule, RuleSection, draw_paper
    from quizapp.services.quizzes import DAILY_RULE

    topic = PaperRule([RuleSection("single", 5, category_path="党史/新时代", difficulty=3),
                       RuleSection("judge", 5, category_path="党史/新时代")])
    papers = {
        "daily (10 of 4 types)": lambda rng, avoid: draw_paper(DAILY_RULE, rng),
        "daily avoiding 300 seen": lambda rng, avoid: draw_paper(DAILY_RULE, rng, avoid_ids=avoid),
        "topic subtree, hard only": lambda rng, avoid: draw_paper(topic, rng),
    }
    samples = {(name, size): [] for name in papers for size in apps}
    for seed in range(count):
        for size, app in apps.items():
            with app.app_context():
                avoid = set(db.session.scalars(select(Question.id).order_by(Question.id).limit(300)))
                for name, draw in papers.items():
                    began = time.perf_counter()
                    draw(random.Random(seed), avoid)
                    samples[(name, size)].append(time.perf_counter() - began)
                db.session.rollback()
    small, large = sorted(apps)
    return {name: (statistics.median(samples[(name, small)]), statistics.median(samples[(name, large)]))
            for name in papers}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--journey-seconds", type=float, default=15.0, help="long enough for whole quizzes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bank", type=int, default=2000)
    parser.add_argument("--draws", type=int, default=300)
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py's for the database")
    parser.add_argument("--threads", type=int, help="default: gunicorn.conf.py's for the database")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--skip-draw", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    args = parser.parse_args(argv)
    lines = [] if args.skip_server else [line for kind in args.databases for line in bench_server(kind, args)]
    if not args.skip_draw:
        lines += [line for kind in args.databases for line in bench_draw(kind, args)]
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

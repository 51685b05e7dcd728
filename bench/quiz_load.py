"""Benchmark: drawing a paper from 100,000 questions against drawing it from 1,000 (target <= 1.5x), on
SQLite and PostgreSQL, in-process; and the pieces the server benches share (a member as a phone acts,
phases of members taking turns, the question bank's data).

How many members the server holds is bench/capacity.py's figure; the old ratios against a trivial
endpoint are retired.

    .venv/bin/python bench/quiz_load.py [--draws 300] [--databases sqlite postgresql]
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bench._server import Measurement, target_line, temporary_database  # noqa: E402

PASSWORD = "bench-pass-1"
TYPES = ("single", "multiple", "judge", "fill")
CATEGORIES = [f"党史/{era}/{topic}" for era in ("新民主主义革命时期", "社会主义革命和建设时期", "改革开放", "新时代")
              for topic in ("重要会议", "重要人物", "理论创新", "党的建设")]


# ---- data -----------------------------------------------------------------------------------------

def app_for(url: str):
    from quizapp import create_app

    return create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})


def ensure_categories() -> list[int]:
    from quizapp.services.bank.questions import ensure_category

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
    from quizapp.services.quizzes.engine import DAILY_RULE
    from quizapp.services.quizzes.papers import PaperRule, RuleSection, draw_paper

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
    parser.add_argument("--draws", type=int, default=300)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    lines = [line for kind in args.databases for line in bench_draw(kind, args)]
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

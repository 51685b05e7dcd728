"""Benchmark: item statistics kept at finalise, and the 可疑题目 page, on a bank of 10,000 questions
with 1,000,000 answers (in-process, SQLite file in WAL mode as in production).

    .venv/bin/python bench/item_stats.py [--questions 10000] [--answers 1000000] [--rounds 5] [--batch 30]

Builds the bank (questions, version 1 of each), 100,000 finished attempts of 10 answers and their item
statistics (sums computed while generating, as rebuild-stats would), then:

- finalise: in every round, 2 × batch practice attempts (10 questions, answered) are finalised one by
  one, taking turns with item statistics kept (the app as it is) and with the item-statistics step
  replaced by a no-op; the round's ratio is median(with) / median(without). Target: the median
  of the rounds' ratios <= 1.10 (issue 21: submit no more than 10% slower). Finalise alone is timed,
  without the HTTP request around it, so the share measured is an upper bound of the submit's.
- admin lists: GET /reports/suspicious against GET /admin/questions/ (the question list, the admin
  list it sits beside), through the test client, taking turns; target: median ratio <= 1.5.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.security import generate_password_hash  # noqa: E402

from bench._server import paired_target_line  # noqa: E402

EPOCH = datetime(2026, 11, 1, tzinfo=timezone.utc)
PASSWORD = "bench-pass-1"
PAPER = 10
OPTIONS = ["甲", "乙", "丙", "丁"]


def build(app, questions: int, answers: int, rng: random.Random) -> None:
    from quizapp.extensions import db
    from quizapp.models import Attempt, AttemptAnswer, ItemChoiceStat, ItemStat, Question, QuestionVersion, User
    from quizapp.services.quality.item_stats import STRONG_SHARE, refresh_flags

    with app.app_context():
        db.create_all()
        users = [{"id": n, "username": f"m{n}", "name": f"党员{n}", "password_hash": "x", "role": "member",
                  "active": True, "must_change_password": False, "created_at": EPOCH} for n in range(1, 1001)]
        users[0].update(username="admin", role="admin", password_hash=generate_password_hash(PASSWORD))
        db.session.execute(User.__table__.insert(), users)
        rows, versions = [], []
        for number in range(1, questions + 1):
            kind = "single" if number % 4 else "judge"
            content = {"type": kind, "stem": f"第{number}题：关于党的历史的说法", "options": OPTIONS if kind == "single" else [],
                       "answer": ["A"] if kind == "single" else True, "explanation": "", "quote": ""}
            rows.append({"id": number, "key": f"b{number}", "normalised_stem": f"第{number}题", "difficulty": 2,
                         "tags": [], "status": "published", "draw_key": rng.random(), "created_at": EPOCH,
                         "updated_at": EPOCH, **content})
            versions.append({"id": number, "question_id": number, "number": 1, "created_at": EPOCH, **content})
        db.session.execute(Question.__table__.insert(), rows)
        db.session.execute(QuestionVersion.__table__.insert(), versions)
        db.session.commit()
        sums: dict[int, list] = {}
        choices: dict[tuple, list] = {}
        attempt_id, answer_id = 0, 0
        for start in range(0, answers // PAPER, 10_000):
            attempts, answer_rows = [], []
            for _ in range(min(10_000, answers // PAPER - start)):
                attempt_id += 1
                skill = rng.uniform(0.3, 0.95)
                picked = rng.sample(range(1, questions + 1), PAPER)
                rights = [rng.random() < skill for _ in picked]
                x = sum(rights) / PAPER
                finished = EPOCH + timedelta(minutes=attempt_id)
                attempts.append({"id": attempt_id, "user_id": 2 + attempt_id % 999, "mode": "practice", "title": "专项练习",
                                 "rule": {}, "seed": 1, "status": "finished", "started_at": finished - timedelta(minutes=5),
                                 "finished_at": finished, "study_day": finished.date(), "score": float(sum(rights)),
                                 "max_score": float(PAPER), "correct_count": sum(rights), "question_count": PAPER,
                                 "time_used_s": 300})
                for position, (question_id, right) in enumerate(zip(picked, rights), 1):
                    answer_id += 1
                    single = question_id % 4 != 0
                    given = (["A"] if right else [rng.choice("BCD")]) if single else right
                    answer_rows.append({"id": answer_id, "attempt_id": attempt_id, "position": position,
                                        "question_id": question_id, "question_version_id": question_id,
                                        "option_order": [0, 1, 2, 3] if single else [], "points": 1.0,
                                        "given": given, "answered_at": finished, "is_correct": right,
                                        "score": float(right)})
                    total = sums.setdefault(question_id, [0, 0, 0.0, 0.0, 0.0, 0, 0, 0.0])
                    strong = x >= STRONG_SHARE
                    for index, value in enumerate((1, right, x, x * x, x if right else 0.0, strong, strong and right, 30.0)):
                        total[index] += value
                    choice = given[0] if single else ("T" if given else "F")
                    counted = choices.setdefault((question_id, choice), [0, 0])
                    counted[0] += 1
                    counted[1] += strong
            db.session.execute(Attempt.__table__.insert(), attempts)
            db.session.execute(AttemptAnswer.__table__.insert(), answer_rows)
            db.session.commit()
        fields = ("attempts", "correct", "share_sum", "share_square_sum", "correct_share_sum", "strong_attempts",
                  "strong_correct", "seconds_sum")
        db.session.execute(ItemStat.__table__.insert(), [
            {"question_version_id": q, "question_id": q, **dict(zip(fields, values))} for q, values in sums.items()])
        db.session.execute(ItemChoiceStat.__table__.insert(), [
            {"question_version_id": q, "choice": c, "chosen": n, "strong_chosen": s} for (q, c), (n, s) in choices.items()])
        refresh_flags()
        db.session.commit()


def time_finalise(app, rounds: int, batch: int, questions: int, rng: random.Random) -> list[float]:
    """Per round: 2 × batch answered practice attempts, finalised one by one, taking turns with and
    without the item-statistics step (the machine's load then hits both alike)."""
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.quality import item_stats
    from quizapp.services.quizzes import engine
    from quizapp.services.quizzes.papers import PaperRule, RuleSection

    keep = item_stats.record_attempt
    ratios = []
    with app.app_context():
        members = db.session.query(User).filter(User.role == "member").limit(2 * batch).all()
        rule = PaperRule([RuleSection("single", PAPER)], shuffle_options=False, title="专项练习")
        for number in range(rounds):
            now = datetime.now(timezone.utc) + timedelta(days=number)
            opened = []
            for member in members:
                ids = [q for q in rng.sample(range(1, questions + 1), 3 * PAPER) if q % 4][:PAPER]
                attempt = engine.start_attempt(member, "practice", rule, now=now, rng=rng, question_ids=ids)
                for position in range(1, PAPER + 1):
                    engine.save_answer(attempt, position, rng.choice("ABCD"), now=now)
                opened.append(attempt)
            times = {"with": [], "without": []}
            for index, attempt in enumerate(opened):
                variant = "with" if index % 2 == 0 else "without"
                item_stats.record_attempt = keep if variant == "with" else (lambda attempt: None)
                begun = time.perf_counter()
                engine.finalise_attempt(attempt, now=now + timedelta(minutes=3))
                times[variant].append(time.perf_counter() - begun)
            item_stats.record_attempt = keep
            medians = {variant: statistics.median(values) for variant, values in times.items()}
            ratios.append(medians["with"] / medians["without"])
            print(f"round {number + 1}: finalise median with item stats {medians['with'] * 1000:.2f} ms, "
                  f"without {medians['without'] * 1000:.2f} ms")
    return ratios


def time_lists(app, rounds: int, samples: int = 20) -> list[float]:
    client = app.test_client()
    if client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code != 302:
        raise SystemExit("login as admin failed")
    ratios = []
    for number in range(rounds):
        medians = {}
        for name, path in (("suspicious", "/reports/suspicious"), ("questions", "/admin/questions/")):
            times = []
            for _ in range(samples):
                begun = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - begun)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}")
            medians[name] = statistics.median(times)
        ratios.append(medians["suspicious"] / medians["questions"])
        print(f"round {number + 1}: 可疑题目 {medians['suspicious'] * 1000:.1f} ms, 题目列表 {medians['questions'] * 1000:.1f} ms")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=30)
    options = parser.parse_args()
    from quizapp import create_app

    rng = random.Random(21)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/item_stats.sqlite",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        begun = time.perf_counter()
        build(app, options.questions, options.answers, rng)
        print(f"built {options.questions} questions, {options.answers} answers in {time.perf_counter() - begun:.0f} s")
        finalise = time_finalise(app, options.rounds, options.batch, options.questions, rng)
        lists = time_lists(app, options.rounds)
    print(paired_target_line("item_stats", "finalise_with/without_item_stats", finalise, 1.10, higher_is_better=False))
    print(paired_target_line("item_stats", "suspicious_ms/question_list_ms", lists, 1.5, higher_is_better=False))


if __name__ == "__main__":
    main()

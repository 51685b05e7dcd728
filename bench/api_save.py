"""Benchmark: saving an answer through the API (PUT /api/v1/attempts/<id>/answers/<n>, Bearer token)
against the page's autosave (POST /quiz/attempts/<id>/answers/<n>, session cookie), in one process;
also the API save with an Idempotency-Key (the offline queue's path: one more row per save), and the
offline-paper prefetch (GET /api/v1/daily/offline-papers) for --members members against the member's
own dashboard page (/progress/) as the bound.

In-process WSGI (Flask's test client) on SQLite: this compares the two request paths' own cost (token
check vs. session load, marshmallow vs. jsonify), not a server's throughput. Rounds alternate the two
paths so that the machine's drift falls on both; the ratio is judged on the median round.
Issue 23's target: the two within 10% of each other.

    .venv/bin/python bench/api_save.py [--saves 200] [--rounds 5] [--members 1000]
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.security import generate_password_hash  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Question, User  # noqa: E402

PASSWORD = "bench-pass-1"


def _setup(folder: Path):
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}"})
    with app.app_context():
        db.create_all()
        shapes = {"single": (["甲", "乙", "丙", "丁"], ["A"]), "multiple": (["甲", "乙", "丙", "丁"], ["A", "B"]),
                  "judge": ([], True), "fill": ([], [["人民"], ["历史"]])}
        for number in range(400):
            kind = list(shapes)[number % 4]
            stem = f"第{number}题：江山就是（　），（　）就是江山" if kind == "fill" else f"第{number}题"
            options, answer = shapes[kind]
            db.session.add(Question(key=f"b{number}", type=kind, stem=stem, normalised_stem=stem, options=options,
                                    answer=answer, explanation="解析", difficulty=2, status="published",
                                    draw_key=(number * 0.618) % 1))
        for name in ("api", "keyed", "page"):
            db.session.add(User(username=name, name=name, password_hash=generate_password_hash(PASSWORD)))
        db.session.commit()
    return app


def _api_client(app, username: str = "api", keyed: bool = False):
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    paper = client.post("/api/v1/daily", headers=headers).get_json()
    question = next(item for item in paper["questions"] if item["type"] == "judge")
    url = f"/api/v1/attempts/{paper['id']}/answers/{question['position']}"
    keys = itertools.count()
    if keyed:
        return lambda given: client.put(url, headers={**headers, "Idempotency-Key": f"save-{next(keys)}"},
                                        json={"given": given})
    return lambda given: client.put(url, headers=headers, json={"given": given})


def _page_client(app):
    client = app.test_client()
    client.post("/login", data={"username": "page", "password": PASSWORD})
    attempt = client.post("/quiz/daily").headers["Location"].rstrip("/").split("/")[-1]
    with app.app_context():
        from quizapp.models import AttemptAnswer
        position = db.session.scalar(db.select(AttemptAnswer.position).join(Question).where(
            AttemptAnswer.attempt_id == int(attempt), Question.type == "judge").limit(1))
    url = f"/quiz/attempts/{attempt}/answers/{position}"
    return lambda given: client.post(url, json={"given": given})


def _rate(save, count: int) -> float:
    started = time.perf_counter()
    for number in range(count):
        response = save(number % 2 == 0)
        assert response.status_code == 200, response.get_data(as_text=True)
    return count / (time.perf_counter() - started)


def _save_rounds(app, saves: int, rounds: int) -> None:
    clients = {"api": _api_client(app), "api+key": _api_client(app, "keyed", keyed=True), "page": _page_client(app)}
    for save in clients.values():
        _rate(save, 20)  # warm up
    ms = {name: [] for name in clients}
    for round_number in range(rounds):
        order = list(clients)[round_number % 3:] + list(clients)[:round_number % 3]
        for name in order:
            ms[name].append(1000 / _rate(clients[name], saves))
        print(f"round {round_number + 1}: " + ", ".join(f"{name} {ms[name][-1]:.2f} ms/save" for name in clients))
    medians = {name: statistics.median(values) for name, values in ms.items()}
    for name in ("api", "api+key"):
        ratio = medians[name] / medians["page"]
        print(f"median {name} {medians[name]:.2f} ms, page {medians['page']:.2f} ms: {name}/page time = {ratio:.2f} "
              f"(target within 0.90–1.10) -> {'ok' if abs(ratio - 1) <= 0.10 else 'MISSED'}")


def _members(app, count: int) -> list[str]:
    """count members with Bearer tokens (issued directly: the login's scrypt is not what is measured)."""
    from quizapp.api.tokens import issue
    from quizapp.models import StudyGroup
    from quizapp.models._types import utcnow

    with app.app_context():
        password_hash = generate_password_hash(PASSWORD)
        group = StudyGroup(name="基准支部")
        secretary = User(username="secretary", name="书记", role="secretary", password_hash=password_hash, group=group)
        group.secretaries.append(secretary)
        users = [User(username=f"m{number}", name=f"党员{number}", password_hash=password_hash, group=group)
                 for number in range(count)]
        db.session.add_all([group, secretary, *users])
        db.session.commit()
        return group.id, [issue(user, secret=app.config["SECRET_KEY"], now=utcnow()).access_token for user in users]


def _prefetch(app, count: int) -> None:
    group_id, tokens = _members(app, count)
    client = app.test_client()
    timings = []
    started = time.perf_counter()
    for token in tokens:
        before = time.perf_counter()
        response = client.get("/api/v1/daily/offline-papers", headers={"Authorization": f"Bearer {token}"})
        timings.append(time.perf_counter() - before)
        assert response.status_code == 200 and len(response.get_json()["papers"]) == 3, response.get_data(as_text=True)
    total = time.perf_counter() - started
    prefetch_ms = statistics.median(timings) * 1000
    print(f"offline-paper prefetch, {count} members x 3 papers: total {total:.1f} s, median {prefetch_ms:.1f} ms/member, "
          f"p95 {statistics.quantiles(timings, n=20)[-1] * 1000:.1f} ms")
    for username, path in (("page", "/progress/"), ("secretary", f"/progress/groups/{group_id}")):
        dashboard_ms = _page_median(app, username, path) * 1000
        print(f"  dashboard {path} ({username}) median {dashboard_ms:.1f} ms -> prefetch/dashboard "
              f"{prefetch_ms / dashboard_ms:.2f} ({'within' if prefetch_ms <= dashboard_ms else 'ABOVE'} the bound)")


def _page_median(app, username: str, path: str, count: int = 30) -> float:
    page = app.test_client()
    page.post("/login", data={"username": username, "password": PASSWORD})
    timings = []
    for _ in range(count):
        before = time.perf_counter()
        assert page.get(path).status_code == 200
        timings.append(time.perf_counter() - before)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--members", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = _setup(Path(folder))
        _save_rounds(app, options.saves, options.rounds)
        _prefetch(app, options.members)


if __name__ == "__main__":
    main()

"""Benchmark: saving an answer through the API (PUT /api/v1/attempts/<id>/answers/<n>, Bearer token)
against the page's autosave (POST /quiz/attempts/<id>/answers/<n>, session cookie), in one process.

In-process WSGI (Flask's test client) on SQLite: this compares the two request paths' own cost (token
check vs. session load, marshmallow vs. jsonify), not a server's throughput. Rounds alternate the two
paths so that the machine's drift falls on both; the ratio is judged on the median round.
Issue 23's target: the two within 10% of each other.

    .venv/bin/python bench/api_save.py [--saves 200] [--rounds 5]
"""
from __future__ import annotations

import argparse
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
        for number in range(60):
            kind = list(shapes)[number % 4]
            stem = f"第{number}题：江山就是（　），（　）就是江山" if kind == "fill" else f"第{number}题"
            options, answer = shapes[kind]
            db.session.add(Question(key=f"b{number}", type=kind, stem=stem, normalised_stem=stem, options=options,
                                    answer=answer, explanation="解析", difficulty=2, status="published",
                                    draw_key=(number * 0.618) % 1))
        for name in ("api", "page"):
            db.session.add(User(username=name, name=name, password_hash=generate_password_hash(PASSWORD)))
        db.session.commit()
    return app


def _api_client(app):
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"username": "api", "password": PASSWORD}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    paper = client.post("/api/v1/daily", headers=headers).get_json()
    question = next(item for item in paper["questions"] if item["type"] == "judge")
    url = f"/api/v1/attempts/{paper['id']}/answers/{question['position']}"
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = _setup(Path(folder))
        api, page = _api_client(app), _page_client(app)
        _rate(api, 20), _rate(page, 20)  # warm up
        ratios = []
        for round_number in range(options.rounds):
            first, second = (api, page) if round_number % 2 == 0 else (page, api)
            rates = {first: _rate(first, options.saves), second: _rate(second, options.saves)}
            ratios.append(rates[api] / rates[page])
            print(f"round {round_number + 1}: api {rates[api]:.0f} saves/s, page {rates[page]:.0f} saves/s, "
                  f"api/page {ratios[-1]:.2f}")
        median = statistics.median(ratios)
        print(f"median api/page = {median:.2f} (target: within 0.90–1.10) -> {'ok' if abs(median - 1) <= 0.10 else 'MISSED'}")


if __name__ == "__main__":
    main()

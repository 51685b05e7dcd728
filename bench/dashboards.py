"""Benchmark: the secretary dashboard and the organisation overview at a tenth and at the full history.

    .venv/bin/python bench/dashboards.py [--database sqlite|postgresql] [--groups 50] [--members 5000]
                                         [--days 365] [--rounds 5] [--clients 2] [--seconds 3]

Builds two databases of the same organisation (a 党委 over 50 branches, 5,000 members): one with the
last tenth of a year of daily quizzes, one with the whole year (several million answers), raw
attempts and summary rows alike (bench/_dashboards_data.py). Serves each under gunicorn with the
production settings (bench/_server.py) and measures, interleaved round by round in one run, the
median latency of: the trivial endpoint /healthz (the foundation's ceiling), a branch secretary's
dashboard (100 members, this week) and the admin's organisation overview (51 groups, this week).

Targets (issue 6): each page's median at full history within 1.5x of its median at a tenth (cost does
not grow with history). (The old ratio against the trivial endpoint, still printed for reference, is retired.)
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._dashboards_data import PASSWORD, build  # noqa: E402
from bench._server import POSTGRES_ADMIN_URL, gunicorn, run_load, target_line, temporary_database  # noqa: E402

HISTORY_TARGET = 1.5
PAGES = {"ceiling": ("admin", "/healthz"), "dashboard": ("secretary1", "/progress/groups/2"),
         "overview": ("admin", "/progress/overview")}


class NotThePage(httpx.HTTPError):
    """A redirect or an error instead of the page: counted as a failed request, never as a latency."""


def session_cookies(base: str, username: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=60) as client:
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
        response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        if response.status_code != 302:
            raise SystemExit(f"login as {username} failed: HTTP {response.status_code}")
        return client.cookies


def page_request(path: str, cookies: httpx.Cookies):
    def request(client: httpx.Client) -> httpx.Response:
        if not client.cookies:
            client.cookies.update(cookies)
        response = client.get(path)
        if response.status_code != 200:
            raise NotThePage(f"{path}: HTTP {response.status_code}")
        return response
    return request


@contextmanager
def database(kind: str, keep: str | None, name: str):
    """(URL, already built?) of a database: kept (a SQLite file in the folder `keep`, or the PostgreSQL
    database `keep`_`name`) and reused by the next run, or a temporary one."""
    if keep is None:
        with temporary_database(kind) as url:
            yield url, False
    elif kind == "sqlite":
        path = Path(keep) / f"{name}.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{path}", path.exists()
    else:
        yield _kept_postgresql(f"{keep}_{name}")


def _kept_postgresql(name: str) -> tuple[str, bool]:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(url) as connection:
        built = connection.execute("SELECT to_regclass('member_total') IS NOT NULL").fetchone()[0]
    return url, built


def measure(bases: dict[str, str], rounds: int, clients: int, seconds: float) -> dict[tuple[str, str], float]:
    """Median latency per (history, page); histories and pages take turns in every round."""
    requests = {(history, page): page_request(path, session_cookies(base, user))
                for history, base in bases.items() for page, (user, path) in PAGES.items()}
    latencies: dict[tuple[str, str], list[float]] = {key: [] for key in requests}
    for key, request in requests.items():  # warm up every worker and cache
        run_load(bases[key[0]], request, clients=clients, seconds=1)
    for number in range(1, rounds + 1):
        for key, request in requests.items():
            run = run_load(bases[key[0]], request, clients=clients, seconds=seconds)
            if run.errors:
                raise SystemExit(f"{key}: {run.errors} failed requests")
            latencies[key].extend(run.latencies)
            print(f"  round {number} {key[0]:>5} {key[1]:<9} {run.summary()}", flush=True)
    return {key: statistics.median(values) for key, values in latencies.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients (a light load: latency, not rate)")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each timed run")
    parser.add_argument("--keep", help="keep the databases and reuse them next time: a folder for SQLite, "
                                       "a database name prefix for PostgreSQL (delete them after an interrupted build)")
    args = parser.parse_args()
    today = datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Shanghai")).date()
    histories = {"tenth": max(1, round(args.days / 10)), "full": args.days}
    with ExitStack() as stack:
        bases = {}
        for history, days in histories.items():
            url, exists = stack.enter_context(database(args.database, args.keep, history))
            if not exists:
                began = time.perf_counter()
                counts = build(url, groups=args.groups, members=args.members, days=days, today=today)
                print(f"{history}: {days} days built in {time.perf_counter() - began:.0f} s: "
                      + ", ".join(f"{table} {count:,}" for table, count in sorted(counts.items())), flush=True)
            bases[history] = stack.enter_context(gunicorn("quizapp:create_app()", database_url=url))
        print(f"{args.database}: {args.clients} clients, {args.rounds} rounds x {args.seconds:g} s per page",
              flush=True)
        medians = measure(bases, args.rounds, args.clients, args.seconds)
    for history in histories:
        print(f"{args.database} {history:>5} ({histories[history]} days): "
              + "  ".join(f"{page} p50 {medians[(history, page)] * 1000:.1f} ms" for page in PAGES))
    for page in ("dashboard", "overview"):
        full, tenth = medians[("full", page)], medians[("tenth", page)]
        print(target_line("dashboards", f"{args.database} {page}_full/{page}_tenth", full / tenth, HISTORY_TARGET,
                          higher_is_better=False))


if __name__ == "__main__":
    main()

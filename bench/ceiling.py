"""What the serving stack can do at best, on SQLite (WAL) and on PostgreSQL, in one run:

  trivial  GET /healthz          Flask routing and JSON, no database
  insert   POST /bench/insert    one INSERT and COMMIT through the app's engine and session
  login    GET /login            a real page: session, CSRF token, template with Bootstrap

Later benches divide their figures by these (ratios survive a noisy, shared machine).

    .venv/bin/python bench/ceiling.py [--clients 32] [--seconds 5] [--rounds 3] [--databases sqlite postgresql]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import _ceiling_app  # noqa: E402
from bench._server import gunicorn, measure, prepare_schema, result_line, temporary_database  # noqa: E402

TARGETS = {
    "trivial": lambda client: client.get("/healthz"),
    "insert": lambda client: client.post("/bench/insert"),
    "login": lambda client: client.get("/login"),
}


def bench_database(kind: str, args) -> list[str]:
    lines = []
    with temporary_database(kind) as url:
        prepare_schema(url)
        _ceiling_app.create_bench_table(url)
        print(f"{kind}: {args.clients} clients, {args.rounds} × {args.seconds:g} s", flush=True)
        with gunicorn("bench._ceiling_app:create()", database_url=url, workers=args.workers) as base:
            results = measure(base, TARGETS, rounds=args.rounds, clients=args.clients, seconds=args.seconds,
                              label=kind)
        for name, figures in results.items():
            lines.append(result_line("ceiling", f"{kind} {name}_rps", figures.rps,
                                     f"p50 {figures.p50_ms:.1f} ms, p95 {figures.p95_ms:.1f} ms, "
                                     f"{figures.errors} errors"))
        print(f"  {kind}: {_ceiling_app.count_rows(url)} rows inserted in total", flush=True)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py's for the database")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    lines = [line for kind in args.databases for line in bench_database(kind, args)]
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

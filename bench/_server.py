"""Shared pieces of the benchmarks: a temporary database, gunicorn on a free port of 127.0.0.1, a timed
load loop from a pool of httpx clients, percentiles, and the result lines of DESIGN.md.

    with temporary_database("postgresql") as url:
        prepare_schema(url)
        with gunicorn("run:app", database_url=url) as base:
            figures = measure(base, {"trivial": lambda client: client.get("/healthz")})["trivial"]
        print(result_line("ceiling", "postgresql trivial_rps", figures.rps, f"p95 {figures.p95_ms:.1f} ms"))

Only 127.0.0.1 is ever targeted. gunicorn runs with production settings: QUIZAPP_SECRET_KEY set, a temp
instance folder, and the workers of gunicorn.conf.py (a bench may ask for other counts to compare).
"""
from __future__ import annotations

import os
import runpy
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
production_sizes = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["sized_for"]  # (workers, threads) for a URL

Request = Callable[[httpx.Client], httpx.Response]

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ---- databases ------------------------------------------------------------------------------------

@contextmanager
def temporary_database(kind: str) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file (WAL is set on connect) or a PostgreSQL database
    created on 127.0.0.1:5432 and dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        return
    import psycopg

    name = f"quizapp_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_schema(database_url: str, seed_demo: bool = False) -> None:
    """Create every table of the app (and the demo organisation) before the server starts."""
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        if seed_demo:
            from quizapp.demo import seed

            seed(db.session)
        db.engine.dispose()


# ---- the server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def production_env(database_url: str, instance_path: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "QUIZAPP_SECRET_KEY": secrets.token_hex(32), "QUIZAPP_DATABASE_URL": database_url,
           "QUIZAPP_INSTANCE_PATH": instance_path, "PYTHONPATH": str(ROOT), **extra}
    env.pop("FLASK_DEBUG", None)
    return env


@contextmanager
def gunicorn(app_spec: str, *, database_url: str, workers: int | None = None, threads: int | None = None,
             ready_path: str = "/healthz", extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve `app_spec` (module:variable) under gunicorn on a free port; yield its base URL. Workers and
    threads are gunicorn.conf.py's for the database unless given."""
    default_workers, default_threads = production_sizes(database_url)
    workers, threads = workers or default_workers, threads or default_threads
    print(f"  gunicorn: {workers} workers × {threads} threads (gthread)", flush=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-instance-") as instance:
        command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
                   "--bind", f"{HOST}:{port}", "--workers", str(workers), "--threads", str(threads),
                   "--log-level", "warning", app_spec]
        process = subprocess.Popen(command, cwd=ROOT, env=production_env(database_url, instance, **(extra_env or {})))
        base = f"http://{HOST}:{port}"
        try:
            wait_until_ready(base + ready_path, process)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_ready(url: str, process: subprocess.Popen, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode} before serving {url}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} was not ready within {timeout_s:.0f} s")


# ---- load -----------------------------------------------------------------------------------------

@dataclass
class Measurement:
    """One timed run: how many requests completed, how many failed, and each latency in seconds."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 95) * 1000

    def summary(self) -> str:
        return (f"{self.rps:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  p95 {self.p95_ms:6.1f} ms"
                f"  ({len(self.latencies)} ok, {self.errors} errors)")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def run_load(base_url: str, request: Request, *, clients: int = 32, seconds: float = 5.0) -> Measurement:
    """`clients` threads, each with its own keep-alive httpx client, send `request` until time is up.

    A response with a status of 400 or more, or a transport error, counts as an error, not a latency.
    """
    lock, latencies, errors = threading.Lock(), [], [0]
    start_gate = threading.Barrier(clients + 1)
    deadline_box: list[float] = []

    def worker() -> None:
        mine, failed = [], 0
        with httpx.Client(base_url=base_url, timeout=30.0) as client:
            start_gate.wait()
            while time.perf_counter() < deadline_box[0]:
                began = time.perf_counter()
                try:
                    ok = request(client).status_code < 400
                except httpx.HTTPError:
                    ok = False
                if ok:
                    mine.append(time.perf_counter() - began)
                else:
                    failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline_box.append(began + seconds)
    start_gate.wait()
    for thread in threads:
        thread.join()
    return Measurement(seconds=time.perf_counter() - began, latencies=latencies, errors=errors[0])


def measure(base_url: str, requests: dict[str, Request], *, rounds: int = 3, clients: int = 32,
            seconds: float = 5.0, warmup_s: float = 2.0, label: str = "") -> dict[str, Measurement]:
    """Each named request warmed up, then `rounds` rounds that take every request in turn (so that a
    noisy moment on a shared machine hits all of them alike); per request, the median-rate run."""
    for request in requests.values():
        run_load(base_url, request, clients=clients, seconds=warmup_s)
    runs: dict[str, list[Measurement]] = {name: [] for name in requests}
    for number in range(1, rounds + 1):
        for name, request in requests.items():
            runs[name].append(run_load(base_url, request, clients=clients, seconds=seconds))
            print(f"  {label} {name:<20} round {number}: {runs[name][-1].summary()}", flush=True)
    return {name: median_run(measured) for name, measured in runs.items()}


def median_run(runs: list[Measurement]) -> Measurement:
    middle = statistics.median_low([run.rps for run in runs])
    return next(run for run in runs if run.rps == middle)


# ---- reporting ------------------------------------------------------------------------------------

def result_line(bench: str, name: str, value: float, detail: str = "") -> str:
    """`bench ceiling: sqlite trivial_rps = 1234 (p95 8.1 ms)`: one figure per line, easy to scan."""
    shown = f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}"
    return f"bench {bench}: {name} = {shown}" + (f" ({detail})" if detail else "")


def target_line(bench: str, name: str, value: float, target: float, higher_is_better: bool = True) -> str:
    """`bench quiz_load: answer_save_rps/ceiling_rps = 0.31 (target >= 0.25) ok` (or SHORT)."""
    ok = value >= target if higher_is_better else value <= target
    sign = ">=" if higher_is_better else "<="
    return f"bench {bench}: {name} = {value:.2f} (target {sign} {target:g}) {'ok' if ok else 'SHORT'}"


def paired_target_line(bench: str, name: str, ratios: list[float], target: float, higher_is_better: bool = True) -> str:
    """A target judged on the median of ratios each taken within one round, from phases run back to
    back: the machine's speed drifts over a run, and a ratio of two moments a minute apart measures the
    drift as much as the app. The rounds' ratios follow, to show the spread."""
    spread = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    return (target_line(bench, name, statistics.median(ratios), target, higher_is_better)
            + f" [rounds: {spread}]")

"""gunicorn's production settings: `gunicorn run:app` run in this folder reads them, and so do the benchmarks.

The app spends its time in Python, and threads of one process take turns at the interpreter lock: a
thread whose database call has returned waits behind the others, once per statement.
- On SQLite a statement is work on this machine's CPU, so threads overlap nothing: 2 × cores + 1
  workers of one thread each (gunicorn's rule of thumb). Measured side by side on one database (32
  members taking daily quizzes, 2 cores, 4 rounds, medians): 4 workers × 4 threads made 7.6 quizzes/s
  with the slowest kind of request at p95 6.5 × the trivial endpoint's; 5 × 1 made 10.1 quizzes/s at 4.2 ×.
- On PostgreSQL a statement waits for the server, and threads fill the wait: 2 × cores workers of 4
  threads. The same comparison there was within the machine's noise (4 × 4: 8.2 quizzes/s, 6.4 ×;
  5 × 1: 7.0 quizzes/s, 5.3 ×).
The database is told by QUIZAPP_DATABASE_URL, as for the app (unset: the SQLite file under instance/).
gthread workers keep idle keep-alive connections without a thread apiece.
"""
import multiprocessing
import os


def sized_for(database_url: str) -> tuple[int, int]:
    """(workers, threads per worker) for a database URL."""
    cores = multiprocessing.cpu_count()
    return (2 * cores + 1, 1) if database_url.startswith("sqlite") else (2 * cores, 4)


bind = "127.0.0.1:8000"
worker_class = "gthread"
workers, threads = sized_for(os.environ.get("QUIZAPP_DATABASE_URL", "sqlite"))
timeout = 60

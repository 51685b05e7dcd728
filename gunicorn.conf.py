"""gunicorn's production settings: `gunicorn run:app` run in this folder reads them, and so do the benchmarks.

Workers are processes with one thread each, 2 × cores + 1 of them (gunicorn's own rule of thumb); the
gthread worker class keeps idle keep-alive connections without a thread apiece. The app spends its time
in Python, so threads would only take turns at the interpreter lock: a thread whose database call has
returned waits for it behind the others, once per statement. Measured side by side on one
database (32 members taking daily quizzes, 2 cores, 4 rounds, medians): on SQLite, 4 workers × 4 threads
made 7.6 quizzes/s with the slowest kind of request at p95 6.5 × the trivial endpoint's; 5 × 1 made 10.1
quizzes/s at 4.2 ×. On PostgreSQL the two were within the machine's noise (8.2 and 7.0 quizzes/s, 6.4 and
5.3 ×).
"""
import multiprocessing

bind = "127.0.0.1:8000"
workers = 2 * multiprocessing.cpu_count() + 1
worker_class = "gthread"
threads = 1
timeout = 60

"""How transactions begin and end on SQLite and PostgreSQL, and SQLite's per-connection settings.

SQLite has one writer at a time. A transaction that may write begins IMMEDIATE: it takes the write
lock at the start, so concurrent writers queue (busy timeout) instead of failing with "database is
locked" when a read transaction tries to upgrade. Within one process the writers first queue on a
lock of their own (_WriterQueue): a waiting thread wakes as soon as the writer before it is done,
where SQLite's busy handler would poll with sleeps growing to 100 ms; only writers of different
processes meet in the busy handler. Requests that mostly read begin DEFERRED instead
and run alongside writers on their WAL snapshot, holding the lock only for their writes:

- every GET or HEAD request, and a POST view marked `@reads_first` (the quiz's start, autosave and
  submit, which write only through services that call begin_write());
- before it writes, such a request calls `begin_write()`, which ends the read transaction so that
  the next one begins IMMEDIATE (the services that write from them do it: starting and finalising
  an attempt, saving an answer, freezing an ended competition). What was read may then be stale,
  so the write checks its own precondition (a conditional UPDATE, a unique constraint). A write
  inside the read transaction is refused at once, so a forgotten call fails in the tests rather
  than now and then under load.

Everything else (other POSTs, the CLI, the tests' own service calls) begins IMMEDIATE as before.

PostgreSQL follows the same rule with autocommit: a reading request runs its statements without
BEGIN and COMMIT (two round trips fewer; under READ COMMITTED every statement takes its own snapshot
anyway), and begin_write() hands the rest of the request a transaction on the usual engine.
On both, a write before begin_write() in a reading request is refused.

On every database, a request that only read ends its transaction with a COMMIT rather than the
rollback of the session's removal (_end_reading_request): psycopg forgets a connection's prepared
statements on rollback, and PostgreSQL would plan every statement of the next requests again.

A pooled connection that sat idle for POOL_PING_AFTER_IDLE_S is tested (pool_pre_ping's SELECT 1)
before use and replaced if the server has gone, e.g. after a restart: pool_pre_ping would test every
checkout, a round trip on each request, while a connection in steady use has just proved itself.
"""
import threading
import time

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, OperationalError

from quizapp.extensions import db

READING_METHODS = ("GET", "HEAD")
READ_STATEMENTS = ("SELECT", "WITH", "PRAGMA", "BEGIN")


def init_app(app) -> None:
    """Everything above, for the app's engine (called in an app context)."""
    _configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    _ping_after_idle(db.engine, app.config["POOL_PING_AFTER_IDLE_S"])
    _watch_writes(db.engine)
    _configure_reading(app)
    app.teardown_request(_end_reading_request)


def _ping_after_idle(engine: Engine, idle_s: float) -> None:
    @event.listens_for(engine, "checkin")
    def note_idle(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", time.monotonic()) < idle_s:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)  # the pre-ping's own SELECT 1 (outside any transaction)
        except Exception as error:  # the pool then connects anew (and tries up to three times)
            raise DisconnectionError("a pooled connection was lost while idle") from error


def _watch_writes(engine: Engine) -> None:
    """Refuse a write inside a reading request's read (a forgotten begin_write() fails in the tests, not
    now and then under load); note the writes (see _end_reading_request)."""
    @event.listens_for(engine, "before_cursor_execute")
    def note_write(_connection, _cursor, statement, *_args):
        if not has_request_context() or statement.lstrip().startswith(READ_STATEMENTS):
            return
        if _request_only_reads():
            raise RuntimeError("A reading request writes without database.begin_write(): " + statement[:60])
        g.wrote = True


def _configure_reading(app) -> None:
    """PostgreSQL: reading requests run on an autocommit engine (sharing the pool) until begin_write()."""
    if db.engine.dialect.name != "postgresql":
        return
    reading_engine = db.engine.execution_options(isolation_level="AUTOCOMMIT")

    @app.before_request
    def read_in_autocommit():
        if _request_only_reads():
            g.reading_engine = reading_engine


def _end_reading_request(error: BaseException | None) -> None:
    """Teardown: commit an open transaction that only read (nothing written, nothing pending)."""
    if error is not None or g.get("wrote", False) or not db.session.registry.has():
        return
    session = db.session()
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.commit()


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy issue BEGIN itself so that transactions behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA mmap_size=268435456")  # reads map the file instead of a system call per page
        cursor.close()

    writers = _WriterQueue(engine, busy_timeout_ms / 1000)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if _request_only_reads():
            connection.exec_driver_sql("BEGIN")
        else:
            writers.begin_immediate(connection)


class _WriterQueue:
    """The writers of one process, one at a time: a writer holds the queue from before its BEGIN
    IMMEDIATE until it issues COMMIT or ROLLBACK (or, should neither come, until its connection
    returns to the pool). Waiting longer than the busy timeout fails as SQLite would."""

    HOLDER = "holds_writer_queue"  # a key of the connection's info, which lives as long as the connection

    def __init__(self, engine: Engine, timeout_s: float):
        self.lock, self.timeout_s = threading.Lock(), timeout_s
        for name in ("commit", "rollback"):
            event.listen(engine, name, lambda connection: self.release(connection.info))
        event.listen(engine, "checkin", lambda _dbapi_connection, record: self.release(record.info))

    def begin_immediate(self, connection) -> None:
        if not self.lock.acquire(timeout=self.timeout_s):
            raise OperationalError("BEGIN IMMEDIATE", None, Exception("database is locked (writer queue timed out)"))
        connection.info[self.HOLDER] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.release(connection.info)
            raise

    def release(self, info: dict) -> None:
        if info.pop(self.HOLDER, False):
            self.lock.release()


def reads_first(view):
    """Mark a POST view whose transactions begin DEFERRED, like a GET's: it calls begin_write() to write."""
    view.reads_first = True
    return view


def _request_only_reads() -> bool:
    if not has_request_context() or g.get("writing", False):
        return False
    return request.method in READING_METHODS or getattr(current_app.view_functions.get(request.endpoint),
                                                        "reads_first", False)


def begin_write() -> None:
    """In a reading request, end the read so that the next transaction may write: SQLite's begins
    IMMEDIATE, PostgreSQL's on the usual (not autocommit) engine.

    What was read stays loaded but may be stale: the write that follows checks its own precondition.
    """
    if not _request_only_reads():
        return
    g.writing = True
    g.pop("reading_engine", None)
    if db.session().in_transaction():
        commit_keeping_state()


def commit_keeping_state() -> None:
    """Commit without expiring the loaded objects, so that a response built from them needs no reload."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True

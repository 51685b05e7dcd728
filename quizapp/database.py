"""SQLite's per-connection settings, and how its transactions begin.

SQLite has one writer at a time. Every transaction begins IMMEDIATE: it takes the write lock at the
start, so concurrent writers wait their turn (busy timeout) instead of failing with "database is
locked" when a read transaction tries to upgrade to a write. In WAL mode readers of other connections
are never blocked by it. PostgreSQL needs nothing here: SQLAlchemy's pool with pool_pre_ping (config).
"""
from sqlalchemy import event
from sqlalchemy.engine import Engine

from quizapp.extensions import db


def init_app(app) -> None:
    """Configure the app's engine (called in an app context)."""
    if db.engine.dialect.name == "sqlite":
        _configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy issue BEGIN itself so that transactions behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin_immediate(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def commit_keeping_state() -> None:
    """Commit without expiring the loaded objects, so that a response built from them needs no reload."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True

"""INSERT ... ON CONFLICT DO UPDATE for the summary rows that finalising an attempt adds to.

Each statement is built once per process (per dialect, table and change) and executed with one
parameter set per row: SQLAlchemy then compiles it once (the dialects' INSERT ... ON CONFLICT has a
cache key from SQLAlchemy 2.1 on; before, it was compiled on every call), where a multi-row VALUES
statement is built and compiled again on every call (the larger part of a finalise's time). The rows
are written in the order given, which the callers keep fixed so that concurrent transactions never
deadlock.
"""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy.dialects import postgresql, sqlite

from quizapp.extensions import db

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert(model, rows: list[dict], keys: tuple[str, ...], add: tuple[str, ...] = (),
           assign: tuple[str, ...] = ()) -> None:
    """Insert rows; on a key conflict add the `add` columns to the stored ones and overwrite `assign`
    (neither: leave the stored row as it is)."""
    if rows:
        db.session.execute(upsert_statement(dialect(), model, tuple(keys), tuple(add), tuple(assign)), rows)


def dialect() -> str:
    return db.session.get_bind().dialect.name


@lru_cache(maxsize=None)
def upsert_statement(dialect_name: str, model, keys: tuple, add: tuple = (), assign: tuple = ()):
    """The statement upsert() executes (built once per process)."""
    table = model.__table__
    statement = INSERTS[dialect_name](table)
    changes = {name: table.c[name] + statement.excluded[name] for name in add}
    changes |= {name: statement.excluded[name] for name in assign}
    if not changes:
        return statement.on_conflict_do_nothing(index_elements=list(keys))
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changes)

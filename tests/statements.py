"""The SQL statements that a block of test code sends to the database, for tests that bound them."""
import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from quizapp.extensions import db


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """with recorded_statements() as statements: ... -> the SQL text of every statement executed inside."""
    statements: list[str] = []

    def note(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b", re.IGNORECASE)


def writes(statements: list[str]) -> list[str]:
    """The statements among `statements` that change rows."""
    return [statement for statement in statements if WRITE.match(statement)]

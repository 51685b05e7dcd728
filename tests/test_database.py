"""The standard database setup (quizapp/database.py, config): SQLite with foreign keys, WAL, a busy
timeout and BEGIN IMMEDIATE; on every database a pooled connection lost while idle is replaced, and a
request that wrote without committing is rolled back."""
import sqlite3
import threading

import pytest
from sqlalchemy import event, text, update
from sqlalchemy.exc import OperationalError

from quizapp.extensions import csrf, db
from quizapp.models import User


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the rule is SQLite's")


@pytest.fixture
def app_config():
    return {"SQLITE_BUSY_TIMEOUT_MS": 300}  # how long a writer waits for the lock


def rename(user_id: int, name: str, engine=None) -> None:
    """A write of its own, on a connection of its own (pass the engine from another thread)."""
    with (engine or db.engine).begin() as connection:
        connection.execute(update(User).where(User.id == user_id).values(name=name))


def test_sqlite_connections_are_configured(app, sqlite_only):
    with db.engine.connect() as connection:
        settings = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                    for name in ("foreign_keys", "journal_mode", "busy_timeout")}
    assert settings == {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": 300}


def test_writers_take_turns(app, sqlite_only, make_user):
    user_id = make_user().id
    db.session.commit()
    done = []
    with db.engine.connect() as first:
        first.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock from the first statement
        second = threading.Thread(target=lambda engine=db.engine: (rename(user_id, "第二", engine), done.append("second")))
        second.start()
        second.join(0.1)
        assert done == []  # waiting for the first transaction
        first.commit()
    second.join(5)
    assert done == ["second"]
    db.session.expire_all()
    assert db.session.get(User, user_id).name == "第二"


def test_a_writer_waits_no_longer_than_the_busy_timeout(app, sqlite_only, make_user, tmp_path):
    user_id = make_user().id
    db.session.commit()
    other_process = sqlite3.connect(tmp_path / "test.sqlite", isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="database is locked"):
        rename(user_id, "被挡住")
    other_process.execute("ROLLBACK")
    other_process.close()
    rename(user_id, "之后")
    db.session.expire_all()
    assert db.session.get(User, user_id).name == "之后"


@pytest.mark.parametrize("pending", [False, True])
def test_a_request_that_wrote_without_committing_is_rolled_back(app, make_user, pending):
    user_id = make_user().id
    db.session.commit()

    @app.post("/test/half-write")
    @csrf.exempt
    def half_write():
        if pending:  # changed in the session, never flushed
            db.session.get(User, user_id).name = "未提交"
        else:  # written to the database, never committed
            db.session.execute(update(User).where(User.id == user_id).values(name="未提交"))
        return "ok"

    commits = []
    event.listen(db.engine, "commit", lambda _connection: commits.append("commit"))
    assert app.test_client().post("/test/half-write").status_code == 200
    assert commits == []
    db.session.remove()  # the end of the request's app context (here the test's context shares it)
    assert db.session.get(User, user_id).name != "未提交"
    db.session.remove()
    rename(user_id, "之后")  # SQLite: would time out if the abandoned write still held the lock


def test_a_pooled_connection_lost_while_idle_is_replaced(app):
    db.session.remove()
    db.engine.dispose()  # an empty pool: the next two checkouts get the same connection
    with db.engine.connect() as connection:
        lost = connection.connection.dbapi_connection
    lost.close()  # as a server restart would leave it
    with db.engine.connect() as connection:
        assert connection.connection.dbapi_connection is not lost
        assert connection.scalar(text("SELECT 1")) == 1

"""How transactions begin and end (quizapp/database.py): on SQLite, GET requests read DEFERRED and ask to
write, and the writers of one process queue on a lock of their own; everywhere, a request that only read
ends with a commit, and one that wrote and did not commit is rolled back."""
import sqlite3
import threading

import pytest
from sqlalchemy import event, text, update
from sqlalchemy.exc import OperationalError

from quizapp.database import begin_write
from quizapp.extensions import csrf, db
from quizapp.models import User


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the rule is SQLite's")


@pytest.mark.parametrize("asks_first, expected", [(True, 200), (False, 500)])
def test_a_get_request_writes_only_after_begin_write(app, sqlite_only, make_user, asks_first, expected):
    user = make_user()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test/rename")
    def rename():
        db.session.get(User, user.id)  # read in the DEFERRED transaction
        if asks_first:
            begin_write()
        db.session.execute(update(User).where(User.id == user.id).values(name="改名"))
        db.session.commit()
        return "ok"

    assert app.test_client().get("/test/rename").status_code == expected
    db.session.expire_all()
    assert (db.session.get(User, user.id).name == "改名") is asks_first


def test_a_read_transaction_does_not_wait_for_a_writer(app, sqlite_only, make_user):
    user_id = make_user().id
    db.session.rollback()  # reading the id began a transaction: end it before the writer begins

    @app.get("/test/name")
    def name():
        return db.session.get(User, user_id).name

    with db.engine.connect() as writer:  # holds the write lock until it rolls back
        writer.execute(text("UPDATE user SET name = '写入中' WHERE id = :id"), {"id": user_id})
        assert writer.in_transaction()
        response = app.test_client().get("/test/name")
        writer.rollback()
    assert response.status_code == 200 and response.text != "写入中"


def ends(app) -> list[str]:
    """The commits of the app's transactions from now on (a rollback at the session's removal goes
    through the pool, not this event)."""
    seen: list[str] = []
    event.listen(db.engine, "commit", lambda _connection: seen.append("commit"))
    return seen


def test_a_request_that_only_read_ends_with_a_commit(app, make_user):
    user_id = make_user().id
    db.session.commit()

    @app.get("/test/read")
    def read():
        return db.session.get(User, user_id).name

    seen = ends(app)
    assert app.test_client().get("/test/read").status_code == 200
    assert seen == ["commit"]


def rename(user_id: int, name: str, engine=None) -> None:
    """A write of its own, on a connection of its own (pass the engine from another thread)."""
    with (engine or db.engine).begin() as connection:
        connection.execute(update(User).where(User.id == user_id).values(name=name))


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

    seen = ends(app)
    assert app.test_client().post("/test/half-write").status_code == 200
    assert "commit" not in seen
    db.session.remove()  # the end of the request's app context (here the test's context shares it)
    assert db.session.get(User, user_id).name != "未提交"
    db.session.remove()  # (the test's own read began a transaction too)
    rename(user_id, "之后")  # SQLite: would time out in the writer queue if the abandoned write still held it


# --- Pooled connections -----------------------------------------------------------------------

def test_a_pooled_connection_lost_while_idle_is_replaced(app):
    db.session.remove()
    db.engine.dispose()  # an empty pool: the next two checkouts get the same connection
    with db.engine.connect() as connection:
        lost = connection.connection.dbapi_connection
    lost.close()  # as a server restart would leave it
    with db.engine.connect() as connection:
        assert connection.connection.dbapi_connection is not lost
        assert connection.scalar(text("SELECT 1")) == 1


# --- SQLite: the writers of one process queue on their own lock ---------------------------------

@pytest.fixture
def app_config():
    return {"SQLITE_BUSY_TIMEOUT_MS": 300,  # how long a writer waits, in the queue or in SQLite
            "POOL_PING_AFTER_IDLE_S": 0}  # every pooled connection counts as idle


def test_writers_of_one_process_take_turns(app, sqlite_only, make_user):
    user_id = make_user().id
    db.session.commit()
    done = []
    with db.engine.connect() as first:
        first.execute(update(User).where(User.id == user_id).values(name="第一"))  # BEGIN IMMEDIATE
        second = threading.Thread(target=lambda engine=db.engine: (rename(user_id, "第二", engine), done.append("second")))
        second.start()
        second.join(0.1)
        assert done == []  # waiting for the first writer
        first.commit()
    second.join(5)
    assert done == ["second"]
    db.session.expire_all()
    assert db.session.get(User, user_id).name == "第二"


def test_a_writer_waits_in_the_queue_no_longer_than_the_busy_timeout(app, sqlite_only, make_user):
    user_id = make_user().id
    db.session.commit()
    failures, engine = [], db.engine

    def second():
        try:
            rename(user_id, "第二", engine)
        except OperationalError as error:
            failures.append(str(error))

    with db.engine.connect() as first:
        first.execute(update(User).where(User.id == user_id).values(name="第一"))
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(5)
        first.rollback()
    assert len(failures) == 1 and "writer queue timed out" in failures[0]
    rename(user_id, "之后")  # the queue is free again


def test_a_writer_that_could_not_begin_leaves_the_queue(app, sqlite_only, make_user, tmp_path):
    user_id = make_user().id
    db.session.commit()
    other_process = sqlite3.connect(tmp_path / "test.sqlite", isolation_level=None)  # not in this queue
    other_process.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="database is locked"):
        rename(user_id, "被挡住")
    other_process.execute("ROLLBACK")
    other_process.close()
    rename(user_id, "之后")  # would time out in the queue if the failed writer still held it
    db.session.expire_all()
    assert db.session.get(User, user_id).name == "之后"

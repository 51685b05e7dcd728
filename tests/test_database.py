"""How SQLite transactions begin (quizapp/database.py): GET requests read DEFERRED and ask to write."""
import pytest
from sqlalchemy import text, update

from quizapp.database import begin_write
from quizapp.extensions import db
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

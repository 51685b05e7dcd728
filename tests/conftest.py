"""Fixtures shared by every test: a fresh database per test, factories, a logged-in client.

SQLite by default (a new file per test). Set QUIZAPP_TEST_DATABASE_URL to run the same suite on
PostgreSQL: the schema is created once per run and every table is emptied after each test.
"""
from __future__ import annotations

import itertools
import os

import pytest
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from quizapp import create_app
from quizapp.extensions import db, limiter
from quizapp.models import Question, StudyGroup, User
from quizapp.services.bank.versions import snapshot_versions

TEST_DATABASE_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL")
PASSWORD = "secret-pass-1"
PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt")  # hashed once: scrypt is slow on purpose
_counter = itertools.count(1)
_schema_ready = False


def base_config(tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Override in a test module (or parametrize) to change the configuration."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    app = create_app({**base_config(tmp_path), **app_config})
    with app.app_context():
        _create_schema()
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()
        yield app
        db.session.remove()
        _empty_tables()


def _create_schema() -> None:
    global _schema_ready
    if db.engine.dialect.name == "sqlite":
        db.create_all()
    elif not _schema_ready:
        db.drop_all()
        db.create_all()
        _schema_ready = True


def _empty_tables() -> None:
    if db.engine.dialect.name == "sqlite":
        db.engine.dispose()
        return
    names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.engine.dispose()  # close the pool now, not when the garbage collector finds the old app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_group():
    def make(**overrides) -> StudyGroup:
        number = next(_counter)
        values = {"name": f"第{number}党支部", "kind": "branch", "invite_code": f"INV{number:05d}"}
        group = StudyGroup(**{**values, **overrides})
        db.session.add(group)
        db.session.commit()
        return group

    return make


@pytest.fixture
def make_user():
    def make(**overrides) -> User:
        number = next(_counter)
        values = {"username": f"user{number}", "name": f"党员{number}", "role": "member",
                  "password_hash": PASSWORD_HASH}
        user = User(**{**values, **overrides})
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_question():
    def make(**overrides) -> Question:
        number = next(_counter)
        values = {
            "key": f"q{number}", "type": "single", "stem": f"第{number}题：党的根本宗旨是什么？",
            "normalised_stem": f"第{number}题党的根本宗旨是什么", "options": ["全心全意为人民服务", "发展经济", "改革开放", "科教兴国"],
            "answer": ["A"], "explanation": "党的根本宗旨是全心全意为人民服务。", "difficulty": 2,
            "status": "published", "draw_key": (number * 0.6180339887) % 1,
        }
        question = Question(**{**values, **overrides})
        db.session.add(question)
        db.session.flush()
        snapshot_versions([question.id])
        db.session.commit()
        return question

    return make


@pytest.fixture
def login(client):
    """Log the client in as `user` (password from the factories unless given)."""

    def do_login(user: User, password: str = PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, "login failed"
        return response

    return do_login

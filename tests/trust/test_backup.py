"""Backup and restore (issue 17, item 10): a backup taken while another thread keeps finishing attempts
restores into a fresh database with every attempt, answer and point exactly as they were at one instant.

The writer commits each attempt together with its answers, its ledger row and the member's total, so a
consistent copy holds a prefix of the attempts (ids 1..k) with all of their rows and a total equal to
its own ledger. The test requires that prefix to be long (writes before), the live database to go on
past it (writes after), and every restored row to equal the live row: a copy taken before the load, an
empty one or a torn one all fail.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, MemberTotal, PointsEntry
from quizapp.models._types import utcnow
from quizapp.services.bank.versions import snapshot_versions
from tests.conftest import TEST_DATABASE_URL, base_config

BEFORE, AFTER = 30, 30  # attempts the writer commits before the backup starts, and at least after it
TABLES = {"attempt": "id", "attempt_answer": "id", "points_entry": "id", "member_total": "user_id"}

sqlite_only = pytest.mark.skipif(TEST_DATABASE_URL is not None, reason="the SQLite variant")


class Writer(threading.Thread):
    """Finishes attempts one transaction at a time until stopped."""

    def __init__(self, app, user_id: int, paper: list[tuple[int, int]]):
        super().__init__(daemon=True)
        self.app, self.user_id, self.paper = app, user_id, paper  # (question id, version id) pairs
        self.stop, self.committed, self.error = threading.Event(), 0, None

    def run(self):
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    self._write_one()
        except Exception as error:  # reported by the test
            self.error = error

    def _write_one(self):
        number, now = self.committed + 1, utcnow()
        with Session(db.engine) as session:
            attempt = Attempt(user_id=self.user_id, mode="practice", title=f"第{number}次", rule={}, seed=number,
                              status="finished", started_at=now - timedelta(minutes=5), finished_at=now,
                              study_day=now.date(), score=number % 7, max_score=10.0, correct_count=number % 3,
                              question_count=len(self.paper), time_used_s=number)
            attempt.answers = [AttemptAnswer(position=i, question_id=q, question_version_id=v, given=["A"],
                                             is_correct=(number + i) % 2 == 0, score=float((number + i) % 2),
                                             points=1.0, answered_at=now)
                               for i, (q, v) in enumerate(self.paper, 1)]
            session.add(attempt)
            session.flush()
            amount = number % 5 + 1
            session.add(PointsEntry(user_id=self.user_id, day=now.date(), amount=amount, reason="practice",
                                    attempt_id=attempt.id))
            session.get(MemberTotal, self.user_id).points += amount
            session.commit()
        self.committed = number

    def wait_for(self, count: int):
        while self.committed < count and self.is_alive():
            self.stop.wait(0.01)
        assert self.error is None, self.error
        assert self.committed >= count


def _rows(connection, table: str, key: str) -> list[tuple]:
    return connection.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()


@pytest.fixture
def loaded(app, make_user, make_question):
    from flask_migrate import stamp
    stamp(directory=str(Path(__file__).parents[2] / "quizapp" / "migrations"))  # what init-db leaves behind
    member = make_user()
    db.session.add(MemberTotal(user_id=member.id))
    question_ids = [make_question().id for _ in range(3)]
    versions = snapshot_versions(question_ids)  # every answer names the version it was asked in
    db.session.commit()
    member_id = member.id
    db.session.close()  # the main thread holds no transaction (SQLite's begin IMMEDIATE) while the writer runs
    return member_id, [(question_id, versions[question_id]) for question_id in question_ids]


@sqlite_only
def test_a_backup_under_write_load_restores_one_consistent_instant(app, runner, loaded, tmp_path):
    member, paper = loaded
    writer = Writer(app, member, paper)
    writer.start()
    writer.wait_for(BEFORE)
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    at_end_of_backup = writer.committed
    writer.wait_for(at_end_of_backup + AFTER)
    writer.stop.set()
    writer.join()
    assert result.exit_code == 0, result.output
    (backup,) = (tmp_path / "backups").glob("quizapp-*.sqlite")

    fresh = tmp_path / "fresh.sqlite"
    result = _restore(create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{fresh}"}), backup)
    assert result.exit_code == 0, result.output

    live, restored = sqlite3.connect(tmp_path / "test.sqlite"), sqlite3.connect(fresh)
    ids = [row[0] for row in restored.execute("SELECT id FROM attempt ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))  # a prefix of the commits: no attempt lost in between
    assert BEFORE <= len(ids) <= at_end_of_backup < writer.committed
    for table in ("attempt", "attempt_answer", "points_entry"):
        kept = [row for row in _rows(live, table, "id")
                if (row[0] if table == "attempt" else _attempt_of(live, table, row[0])) in ids]
        assert _rows(restored, table, "id") == kept, table
    assert restored.execute("SELECT count(*) FROM attempt_answer").fetchone()[0] == len(ids) * len(paper)
    total, ledger = (restored.execute(sql).fetchone()[0] for sql in (
        "SELECT points FROM member_total", "SELECT sum(amount) FROM points_entry"))
    assert total == ledger > 0  # the total and the ledger of one and the same instant
    live.close(), restored.close()


def _restore(restored_app, backup: Path):
    """Run `restore` for the fresh app: its own context, or the command would see the live app's."""
    with restored_app.app_context():
        return restored_app.test_cli_runner().invoke(args=["restore", str(backup), "--yes"])


def _attempt_of(connection, table: str, row_id: int) -> int:
    return connection.execute(f"SELECT attempt_id FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]


@sqlite_only
def test_keep_removes_all_but_the_newest_backups(app, runner, loaded, tmp_path):
    directory = tmp_path / "backups"
    for _ in range(4):
        assert runner.invoke(args=["backup", str(directory), "--keep", "2"]).exit_code == 0
    assert len(list(directory.glob("quizapp-*.sqlite"))) == 2


@sqlite_only
def test_restore_refuses_what_is_not_a_backup_of_this_app(app, runner, loaded, tmp_path):
    missing = runner.invoke(args=["restore", str(tmp_path / "nope.sqlite"), "--yes"])
    assert missing.exit_code == 1 and "不存在" in missing.output
    text = tmp_path / "notes.sqlite"
    text.write_text("不是数据库" * 200)
    refused = runner.invoke(args=["restore", str(text), "--yes"])
    assert refused.exit_code == 1 and "不是 SQLite 数据库文件" in refused.output
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    refused = runner.invoke(args=["restore", str(other), "--yes"])
    assert refused.exit_code == 1 and "不是本系统的数据库备份" in refused.output
    assert db.session.scalar(select(func.count()).select_from(MemberTotal)) == 1  # untouched


def test_missing_postgresql_tools_are_named(app, monkeypatch):
    import click
    from sqlalchemy.engine import make_url

    from quizapp.cli import backup as cli_backup
    monkeypatch.setattr(cli_backup.shutil, "which", lambda name: None)
    with pytest.raises(click.exceptions.Exit):
        cli_backup._run_tool("pg_dump", [], make_url("postgresql://u:p@localhost/x"))


@pytest.mark.skipif(not (TEST_DATABASE_URL or "").startswith("postgresql") or not os.path.exists("/usr/bin/pg_dump"),
                    reason="PostgreSQL with pg_dump")
def test_postgresql_backup_under_write_load_restores_one_consistent_instant(app, runner, loaded, tmp_path):
    import psycopg
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    member, paper = loaded
    writer = Writer(app, member, paper)
    writer.start()
    writer.wait_for(BEFORE)
    result = runner.invoke(args=["backup", str(tmp_path)])
    at_end_of_backup = writer.committed
    writer.wait_for(at_end_of_backup + AFTER)
    writer.stop.set()
    writer.join()
    assert result.exit_code == 0, result.output
    (backup,) = tmp_path.glob("quizapp-*.dump")

    url = make_url(TEST_DATABASE_URL)
    fresh_name = f"{url.database}_restore"
    admin_url = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
        connection.execute(f'CREATE DATABASE "{fresh_name}"')
    fresh_url = url.set(database=fresh_name).render_as_string(hide_password=False)
    try:
        restored_app = create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI": fresh_url})
        result = _restore(restored_app, backup)
        assert result.exit_code == 0, result.output
        engine = create_engine(restored_app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.connect() as restored, db.engine.connect() as live:
            ids = [row[0] for row in restored.execute(text("SELECT id FROM attempt ORDER BY id"))]
            first = ids[0]
            assert ids == list(range(first, first + len(ids)))
            assert BEFORE <= len(ids) <= at_end_of_backup < writer.committed
            for table, key in TABLES.items():
                where = "" if table == "member_total" else (
                    " WHERE id <= :last" if table == "attempt" else " WHERE attempt_id <= :last")
                query = text(f"SELECT * FROM {table}{where} ORDER BY {key}")
                if table != "member_total":
                    assert (restored.execute(query, {"last": ids[-1]}).all()
                            == live.execute(query, {"last": ids[-1]}).all()), table
            total = restored.execute(text("SELECT points FROM member_total")).scalar()
            assert total == restored.execute(text("SELECT sum(amount) FROM points_entry")).scalar() > 0
        engine.dispose()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{fresh_name}" WITH (FORCE)')

"""The bundled bank loads through the CLI once; loading again changes nothing."""
from sqlalchemy import func, select

from question_bank.bundled import load_sources
from quizapp.extensions import db
from quizapp.models import Question, Source
from quizapp.services import bank


def test_bundled_bank_loads_once(app):
    added, report = bank.load_bundled()
    assert report.ok and report.created == report.total >= 150
    assert added == len(load_sources()) == 5
    questions = db.session.scalar(select(func.count()).select_from(Question))
    assert questions == report.total

    added_again, again = bank.load_bundled()
    assert added_again == 0 and again.created == 0 and again.skipped == report.total
    assert db.session.scalar(select(func.count()).select_from(Question)) == questions


def test_every_bundled_question_is_linked_to_its_page(app):
    bank.load_bundled()
    unlinked = db.session.scalar(select(func.count()).select_from(Question).where(Question.source_id.is_(None)))
    assert unlinked == 0
    assert db.session.scalar(select(func.count()).select_from(Source)) == 5
    assert set(db.session.scalars(select(Question.status))) == {"published"}


def test_init_db_command_loads_the_bank(runner):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "内置学习材料新增 5 篇" in result.output and "已新增" in result.output
    result = runner.invoke(args=["init-db"])
    assert "内置学习材料新增 0 篇" in result.output and "已新增 0 道" in result.output

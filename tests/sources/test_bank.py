"""The bundled bank loads through the CLI; loading again brings an install up to date with the bundle:
new keys added, changed questions updated, dropped ones retired (never deleted), admin edits kept."""
import json
import shutil

import pytest
from sqlalchemy import func, select

from question_bank import bundled
from question_bank.bundled import load_sources
from quizapp.extensions import db
from quizapp.models import Question, Source
from quizapp.services.bank import bundle
from quizapp.services.bank.imports import QuestionImportError


def test_bundled_bank_loads_once(app):
    report = bundle.load_bundled()
    assert report.created >= 186 and (report.updated, report.unchanged, report.retired) == (0, 0, 0)
    assert report.sources_added == len(load_sources()) == 5
    questions = db.session.scalar(select(func.count()).select_from(Question))
    assert questions == report.created

    again = bundle.load_bundled()
    assert (again.sources_added, again.created, again.updated, again.retired) == (0, 0, 0, 0)
    assert again.unchanged == report.created
    assert db.session.scalar(select(func.count()).select_from(Question)) == questions


def test_every_bundled_question_is_linked_to_its_page(app):
    bundle.load_bundled()
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
    assert "内置学习材料新增 5 篇" in result.output and "新增 " in result.output
    result = runner.invoke(args=["init-db"])
    assert "内置学习材料新增 0 篇" in result.output and "新增 0 道，更新 0 道，停用 0 道" in result.output


@pytest.fixture
def edited_bundle(tmp_path, monkeypatch):
    """A copy of the bundled question files that a test may edit; load_bundled reads the copy."""
    folder = tmp_path / "questions"
    shutil.copytree(bundled.QUESTIONS_DIR, folder)
    original = bundled.bundled_question_files
    monkeypatch.setattr(bundle, "bundled_question_files", lambda: original(folder))

    def edit(change):
        path = folder / "000_0806545d7efd51b7.json"
        document = json.loads(path.read_text(encoding="utf-8"))
        change(document["questions"])
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    return edit


def question(key: str) -> Question:
    return db.session.scalar(select(Question).where(Question.key == key))


def test_reloading_updates_changed_questions_adds_new_and_retires_dropped(app, edited_bundle):
    bundle.load_bundled()
    first, dropped = question("seed-000-0001"), question("seed-000-0002")
    first_id = first.id

    def change(questions):
        questions[0]["explanation"] = "新的解析。"
        added = dict(questions[1], key="seed-000-0999", stem="新加的一道判断题。")
        del questions[1]
        questions.append(added)

    edited_bundle(change)
    report = bundle.load_bundled()
    assert (report.created, report.updated, report.retired, report.kept_edited) == (1, 1, 1, 0)
    db.session.expire_all()
    assert (question("seed-000-0001").id, question("seed-000-0001").explanation) == (first_id, "新的解析。")
    assert question("seed-000-0002").status == "retired" and dropped.id  # kept: attempts refer to it
    assert question("seed-000-0999").status == "published"

    again = bundle.load_bundled()
    assert (again.created, again.updated, again.retired) == (0, 0, 0)


def test_questions_an_admin_edited_are_left_alone(app, edited_bundle, make_user):
    bundle.load_bundled()
    admin = make_user(role="admin")
    for key in ("seed-000-0001", "seed-000-0002"):
        edited = question(key)
        edited.explanation, edited.updated_by_id = "管理员改过的解析。", admin.id
    db.session.commit()

    def change(questions):
        questions[0]["explanation"] = "新的解析。"
        del questions[1]

    edited_bundle(change)
    report = bundle.load_bundled()
    assert (report.updated, report.retired, report.kept_edited) == (0, 0, 2)
    db.session.expire_all()
    assert question("seed-000-0001").explanation == "管理员改过的解析。"
    assert question("seed-000-0002").status == "published"


def test_a_question_retired_by_the_bundle_comes_back_when_the_bundle_restores_it(app, edited_bundle):
    bundle.load_bundled()
    edited_bundle(lambda questions: questions.pop(0))
    assert bundle.load_bundled().retired == 1
    shutil.copy(bundled.QUESTIONS_DIR / "000_0806545d7efd51b7.json", bundle.bundled_question_files()[0])
    report = bundle.load_bundled()
    assert report.updated == 1
    db.session.expire_all()
    assert question("seed-000-0001").status == "published"


def test_a_kept_key_may_not_change_its_type(app, edited_bundle):
    bundle.load_bundled()

    def change(questions):
        questions[0].update(type="judge", answer=True, stem="包头市坚持把感党恩、听党话、跟党走摆在突出位置。")

    edited_bundle(change)
    with pytest.raises(QuestionImportError, match=r"seed-000-0001（填空题→判断题）"):
        bundle.load_bundled()
    db.session.rollback()
    assert question("seed-000-0001").type == "fill"

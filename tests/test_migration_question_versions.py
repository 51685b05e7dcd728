"""The question-versions migration gives every existing question version 1 (its content then) and pins
every existing answer to it, on SQLite and PostgreSQL alike."""
from datetime import datetime, timezone

import pytest
from flask_migrate import upgrade
from sqlalchemy import insert, select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, Question, QuestionVersion, User

BEFORE = "7d41b9c2e8a1"  # the revision just before versions
VERSIONS = "c71a5e0b9d21"
WHEN = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
EDITED = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def _question(key: str, **values) -> dict:
    return {"key": key, "type": "single", "stem": f"{key}：题干", "normalised_stem": f"{key}题干",
            "options": ["甲", "乙", "丙"], "answer": ["B"], "explanation": f"{key}的解析", "difficulty": 2,
            "tags": [], "status": "published", "quote": f"{key}的原文", "draw_key": 0.5,
            "created_at": WHEN, "updated_at": EDITED, **values}


def _write_history(connection) -> dict:
    """Rows as the schema before versions held them: a user, two questions, one attempt at both."""
    user_id = connection.execute(insert(User.__table__).returning(User.__table__.c.id), {
        "username": "old-member", "name": "老党员", "password_hash": "x", "role": "member", "active": True,
        "must_change_password": False, "created_at": WHEN}).scalar_one()
    question_ids = [connection.execute(insert(Question.__table__).returning(Question.__table__.c.id), values)
                    .scalar_one() for values in (_question("old-1"), _question("old-2", type="judge", options=[],
                                                                                            answer=False))]
    attempt_id = connection.execute(insert(Attempt.__table__).returning(Attempt.__table__.c.id), {
        "user_id": user_id, "mode": "practice", "title": "专项练习", "rule": {}, "seed": 1, "status": "finished",
        "started_at": WHEN, "finished_at": WHEN, "score": 1.0, "max_score": 2.0, "correct_count": 1,
        "question_count": 2, "time_used_s": 60}).scalar_one()
    connection.execute(insert(AttemptAnswer.__table__), [
        {"attempt_id": attempt_id, "position": 1, "question_id": question_ids[0],
         "option_order": [2, 0, 1], "points": 1.0, "given": ["B"], "is_correct": True, "score": 1.0},
        {"attempt_id": attempt_id, "position": 2, "question_id": question_ids[1],
         "option_order": [], "points": 1.0, "given": True, "is_correct": False, "score": 0.0}])
    return {"question_ids": question_ids, "attempt_id": attempt_id}


@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index",
                            "ignore:Skipped unsupported reflection of expression-based index")
def test_existing_questions_get_version_one_and_answers_are_pinned_to_it(app):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        # Core inserts without question_version_id: the column does not exist yet.
        history = _write_history(connection)
    upgrade(revision=VERSIONS)
    try:
        versions = {version.question_id: version for version in db.session.scalars(select(QuestionVersion))}
        first, second = (versions[question_id] for question_id in history["question_ids"])
        assert (first.number, first.type, first.stem, first.options, first.answer, first.explanation, first.quote) == (
            1, "single", "old-1：题干", ["甲", "乙", "丙"], ["B"], "old-1的解析", "old-1的原文")
        assert (second.type, second.answer, second.options) == ("judge", False, [])
        assert first.created_at == EDITED
        pins = dict(db.session.execute(select(AttemptAnswer.question_id, AttemptAnswer.question_version_id)
                                       .where(AttemptAnswer.attempt_id == history["attempt_id"])).all())
        assert pins == {first.question_id: first.id, second.question_id: second.id}
    finally:
        db.session.rollback()
        upgrade()  # leave the whole schema, as the fixture empties every table after the test

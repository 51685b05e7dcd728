"""Question versions: what a question said when it was asked.

snapshot_versions is the one place versions are written. Every path that changes a question's
content calls it (the edit form through services.bank.questions, an import's updates), and starting an
attempt pins its paper through pin_versions, which also covers questions written by other means.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AttemptAnswer, Question, QuestionVersion, Regrade
from quizapp.models._types import utcnow

VERSIONED_FIELDS = ("type", "stem", "options", "answer", "explanation", "quote")


def snapshot_versions(question_ids, *, acting_user_id: int | None = None, now: datetime | None = None) -> dict[int, int]:
    """The one place versions are written: after any change to questions (the edit form, bulk
    changes, an import's updates), and before a paper is asked. Returns question id -> current
    version id. In the caller's transaction (flushed, not committed)."""
    questions = db.session.scalars(select(Question).where(Question.id.in_(sorted(set(question_ids))))
                                   .execution_options(populate_existing=True)).all()
    return pin_versions(questions, acting_user_id=acting_user_id, now=now or utcnow())


def pin_versions(questions: list[Question], *, acting_user_id: int | None, now: datetime) -> dict[int, int]:
    """As snapshot_versions, for questions already loaded (a drawn paper). A question whose content
    differs from its latest version gets a new version, unless that version was never asked: then
    nobody saw it and it is corrected in place."""
    latest = _latest_versions([question.id for question in questions])
    changed = [question for question in questions
               if question.id not in latest or _content(question) != _content(latest[question.id])]
    if not changed:
        return {question_id: version.id for question_id, version in latest.items()}
    asked = _asked_versions([latest[q.id].id for q in changed if q.id in latest])
    for question in changed:
        version = latest.get(question.id)
        if version is None or version.id in asked:
            version = QuestionVersion(question_id=question.id, number=version.number + 1 if version else 1,
                                      created_by_id=acting_user_id, created_at=now)
            db.session.add(version)
            latest[question.id] = version
        for name, value in _content(question).items():
            setattr(version, name, value)
    db.session.flush()
    return {question_id: version.id for question_id, version in latest.items()}


def current_versions(questions: list[Question]) -> dict[int, QuestionVersion]:
    """Read only: the latest version of each question that says what the question says now (a paper
    handed out ahead of time shows and pins these; a question without one is pinned when asked)."""
    latest = _latest_versions([question.id for question in questions])
    return {question.id: latest[question.id] for question in questions
            if question.id in latest and _content(question) == _content(latest[question.id])}


def follow_rekeys(pinned: dict[int, int]) -> dict[int, int]:
    """Versions pinned ahead of time (an offline paper), each replaced by the version a regrade against
    the new key moved its answers to, if any (through later regrades too): the paper is then scored
    against the fixed key like the answers the regrade moved."""
    moved = dict(pinned)
    while moved:
        targets = dict(db.session.execute(select(Regrade.old_version_id, Regrade.new_version_id).where(
            Regrade.mode == "rekey", Regrade.old_version_id.in_(set(moved.values())))).all())
        if not targets:
            break
        moved = {question_id: targets.get(version_id, version_id) for question_id, version_id in moved.items()}
    return moved


def _content(item) -> dict:
    return {name: getattr(item, name) for name in VERSIONED_FIELDS}


def _latest_versions(question_ids: list[int]) -> dict[int, QuestionVersion]:
    if not question_ids:
        return {}
    query = (select(QuestionVersion).where(QuestionVersion.question_id.in_(question_ids))
             .order_by(QuestionVersion.question_id, QuestionVersion.number))
    return {version.question_id: version for version in db.session.scalars(query)}  # the last number wins


def _asked_versions(version_ids: list[int]) -> set[int]:
    if not version_ids:
        return set()
    query = select(AttemptAnswer.question_version_id).where(AttemptAnswer.question_version_id.in_(version_ids)).distinct()
    return set(db.session.scalars(query))


def question_versions(question_id: int) -> list[QuestionVersion]:
    """Every version of a question, newest first (the edit page's history)."""
    query = select(QuestionVersion).where(QuestionVersion.question_id == question_id).order_by(QuestionVersion.number.desc())
    return list(db.session.scalars(query))

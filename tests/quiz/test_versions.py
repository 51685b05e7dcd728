"""Question versions: a past attempt shows and scores what was asked, whatever the question says now."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import AttemptAnswer, Question, QuestionVersion
from quizapp.services.bank import questions
from quizapp.services.bank.imports import import_drafts
from quizapp.services.bank.versions import snapshot_versions
from quizapp.services.quizzes import engine
from quizapp.views.quiz_present import REMOVED_OPTION
from tests.pages import text_of
from tests.quiz.conftest import NOW, rule

OLD_STEM = "第一版题干：党的根本宗旨是什么？"
NEW_STEM = "第二版题干：中国共产党的根本宗旨是什么？"
OPTIONS = ["全心全意为人民服务", "发展经济", "改革开放", "科教兴国"]


def _finished(start, option: int):
    """A one-question attempt at the bank's single question, answered with its option `option`."""
    attempt = start(rule(("single", 1)))
    letter = "ABCD"[attempt.answers[0].option_order.index(option)]
    engine.save_answer(attempt, 1, letter, now=NOW)
    return engine.finalise_attempt(attempt, now=NOW + timedelta(minutes=1))


def _versions(question_id: int) -> list[QuestionVersion]:
    return list(db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question_id)
                                   .order_by(QuestionVersion.number)))


def _edit(question, admin, **changes):
    draft = replace(questions.question_to_draft(question), **changes)
    return questions.update_question(question, draft, acting_user=admin)


def test_editing_a_used_question_changes_no_past_result(client, login, member, make_user, make_question, start):
    admin = make_user(role="admin")
    question = make_question(stem=OLD_STEM, options=OPTIONS, answer=["A"], explanation="旧解析")
    attempt = _finished(start, option=0)
    login(member)
    before = text_of(client.get(f"/quiz/attempts/{attempt.id}/result"))

    _edit(question, admin, stem=NEW_STEM, options=["发展经济", "全心全意为人民服务", "改革开放"], answer=["B"],
          explanation="新解析")

    after = text_of(client.get(f"/quiz/attempts/{attempt.id}/result"))
    assert after == before
    assert OLD_STEM in after and "旧解析" in after and "科教兴国" in after and NEW_STEM not in after
    assert [version.number for version in _versions(question.id)] == [1, 2]
    assert _versions(question.id)[1].stem == NEW_STEM
    db.session.refresh(attempt)
    assert attempt.score == 1.0  # scored against the key of the version asked


def test_member_review_page_shows_the_version_asked(client, login, member, make_user, make_question, start):
    admin = make_user(role="admin")
    question = make_question(stem=OLD_STEM, options=OPTIONS)
    attempt = _finished(start, option=1)
    _edit(question, admin, stem=NEW_STEM)
    login(admin)
    page = text_of(client.get(f"/progress/members/{member.id}?attempt={attempt.id}"))
    assert OLD_STEM in page and NEW_STEM not in page


def test_a_new_attempt_is_asked_and_scored_in_the_new_version(member, make_user, make_question, start):
    admin = make_user(role="admin")
    question = make_question(stem=OLD_STEM, options=OPTIONS, answer=["A"])
    first = _finished(start, option=0)
    _edit(question, admin, stem=NEW_STEM, answer=["B"])
    second = _finished(start, option=0)
    assert first.score == 1.0 and second.score == 0.0
    assert second.answers[0].version.stem == NEW_STEM and first.answers[0].version.stem == OLD_STEM


def test_editing_an_unasked_question_corrects_its_version_in_place(app, make_user, make_question):
    admin = make_user(role="admin")
    question = make_question(stem=OLD_STEM)
    _edit(question, admin, stem=NEW_STEM)
    _edit(question, admin, explanation="补充的解析")
    assert [(version.number, version.stem, version.explanation) for version in _versions(question.id)] == [
        (1, NEW_STEM, "补充的解析")]


def test_a_change_outside_the_versioned_content_makes_no_version(make_user, make_question, start):
    admin = make_user(role="admin")
    question = make_question(stem=OLD_STEM)
    _finished(start, option=0)
    _edit(question, admin, difficulty=3, tags=["新标签"])
    assert len(_versions(question.id)) == 1


def test_an_import_update_versions_a_used_question(make_user, make_question, start):
    admin = make_user(role="admin")
    question = make_question(stem=OLD_STEM, options=OPTIONS, answer=["A"])
    _finished(start, option=0)
    draft = replace(questions.question_to_draft(question), answer=["C"], explanation="导入的新解析")
    report = import_drafts([draft], on_duplicate="update", acting_user=admin)
    assert report.ok and report.updated == 1
    versions = _versions(question.id)
    assert [(version.number, version.answer) for version in versions] == [(1, ["A"]), (2, ["C"])]
    assert versions[1].created_by_id == admin.id


def test_a_raw_write_to_a_used_question_is_versioned_when_next_asked(member, make_question, start):
    question = make_question(stem=OLD_STEM)
    first = _finished(start, option=0)
    db.session.execute(update(Question).where(Question.id == question.id).values(stem=NEW_STEM))  # not via a service
    db.session.commit()
    second = start(rule(("single", 1)))
    assert [version.number for version in _versions(question.id)] == [1, 2]
    assert first.answers[0].version.stem == OLD_STEM and second.answers[0].version.stem == NEW_STEM


def test_a_removed_option_on_an_order_pinned_before_versions_shows_as_removed(client, login, member, make_question,
                                                                             start):
    """Answers pinned by the migration keep their option order; the question may have lost an option
    since it was drawn. The page must show what it can, never raise IndexError."""
    question = make_question(stem=OLD_STEM, options=OPTIONS, answer=["A"])
    attempt = _finished(start, option=0)
    version_id = attempt.answers[0].question_version_id
    db.session.execute(update(QuestionVersion).where(QuestionVersion.id == version_id)
                       .values(options=OPTIONS[:2], answer=["A"]))  # as the migration could have left it
    db.session.commit()
    login(member)
    response = client.get(f"/quiz/attempts/{attempt.id}/result")
    assert response.status_code == 200
    page = text_of(response)
    assert page.count(REMOVED_OPTION) == 2 and "全心全意为人民服务" in page
    assert question.id == attempt.answers[0].question_id


def test_every_answer_names_a_version_of_its_own_question(member, bank, start):
    bank({"single": 3, "judge": 2})
    attempt = start(rule(("single", 2), ("judge", 2)))
    for answer in attempt.answers:
        assert answer.version.question_id == answer.question_id
    assert snapshot_versions([a.question_id for a in attempt.answers]) == {
        a.question_id: a.question_version_id for a in attempt.answers}
    assert db.session.scalar(select(AttemptAnswer.id).where(AttemptAnswer.question_version_id.is_(None))) is None

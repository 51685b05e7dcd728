"""Regrading after a key fix: none / credit / rekey, the preview, and totals equal to a full rebuild."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from random import Random

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AuditEntry,
    CategoryStat,
    ItemChoiceStat,
    ItemStat,
    MemberTotal,
    PointsEntry,
    Question,
    QuestionStat,
    Regrade,
    ReviewCard,
    StudyStat,
)
from quizapp.services.bank import questions
from quizapp.services.progress import summaries
from quizapp.services.quality import item_stats, regrades
from quizapp.services.quality.regrades import RegradeError
from quizapp.services.quizzes import engine
from tests.quiz.conftest import NOW, rule

PAPER = rule(("single", 1), ("judge", 1))


@pytest.fixture
def admin(app, make_user):
    return make_user(role="admin")


@pytest.fixture
def wrong_key(make_typed, make_category):
    """A single whose key says B though A is right, and a judge, in one category."""
    category = make_category("党史")
    return make_typed("single", answer=["B"], category_id=category.id), make_typed("judge", category_id=category.id)


def _practice(member, choices: dict, seed: int, minutes: int = 1) -> Attempt:
    attempt = engine.start_attempt(member, "practice", PAPER, now=NOW, rng=Random(seed))
    for answer in attempt.answers:
        choice = choices[answer.question.type]
        given = ("true" if choice else "false") if isinstance(choice, bool) else "ABCD"[answer.option_order.index(choice)]
        engine.save_answer(attempt, answer.position, given, now=NOW)
    return engine.finalise_attempt(attempt, now=NOW + timedelta(minutes=minutes))


def _fix_key(question: Question, admin) -> None:
    questions.update_question(question, replace(questions.question_to_draft(question), answer=["A"]), acting_user=admin)


def _points(user_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(PointsEntry.amount), 0)).where(PointsEntry.user_id == user_id))


def _summaries() -> dict:
    def rows(model, order):
        return [tuple(round(v, 6) if isinstance(v, float) else v for v in (getattr(r, c.key) for c in model.__table__.c))
                for r in db.session.scalars(select(model).order_by(*order))]
    return {"study": rows(StudyStat, (StudyStat.user_id, StudyStat.span, StudyStat.start)),
            "total": rows(MemberTotal, (MemberTotal.user_id,)),
            "category": rows(CategoryStat, (CategoryStat.user_id, CategoryStat.span, CategoryStat.category_id)),
            "latest": rows(QuestionStat, (QuestionStat.user_id, QuestionStat.question_id)),
            "items": rows(ItemStat, (ItemStat.question_version_id,)),
            "choices": rows(ItemChoiceStat, (ItemChoiceStat.question_version_id, ItemChoiceStat.choice))}


def _assert_rebuild_equals_incremental() -> None:
    incremental = _summaries()
    summaries.rebuild_all()
    item_stats.rebuild_all()
    assert _summaries() == incremental


def test_rekey_preview_then_apply(make_user, admin, wrong_key):
    single, _judge = wrong_key
    right, lucky = make_user(), make_user()
    first = _practice(right, {"single": 0, "judge": True}, seed=1)  # chose A, the true answer: marked wrong
    second = _practice(lucky, {"single": 1, "judge": True}, seed=2)  # chose B, the wrong key: marked right
    assert (first.score, second.score, _points(right.id), _points(lucky.id)) == (1.0, 2.0, 1, 2)
    _fix_key(single, admin)

    preview = regrades.plan(single.id, "rekey")
    assert (len(preview.attempts), preview.member_ids, preview.competition_ids) == (2, {right.id, lucky.id}, set())
    assert preview.points == {first.id: 1, second.id: -1} and preview.points_total == 0
    assert db.session.scalar(select(func.count()).select_from(Regrade)) == 0  # a preview writes nothing

    record = regrades.apply(single.id, "rekey", "答案应为A", acting_user=admin, now=NOW + timedelta(hours=1))
    assert (record.mode, record.attempts_changed, record.members_changed, record.created_by_id) == ("rekey", 2, 2, admin.id)
    db.session.expire_all()
    assert (db.session.get(Attempt, first.id).score, db.session.get(Attempt, second.id).score) == (2.0, 1.0)
    assert (_points(right.id), _points(lucky.id)) == (2, 1)
    assert db.session.get(MemberTotal, right.id).points == 2 and db.session.get(MemberTotal, lucky.id).correct == 1
    cards = {c.user_id: c for c in db.session.scalars(select(ReviewCard).where(ReviewCard.question_id == single.id))}
    assert (cards[right.id].active, cards[right.id].left_reason) == (False, "regraded")
    assert cards[lucky.id].active and cards[lucky.id].wrong_count == 1
    answers = [a for a in db.session.get(Attempt, first.id).answers if a.question_id == single.id]
    assert answers[0].version.answer == ["A"]  # re-pinned to the fixed version
    _assert_rebuild_equals_incremental()


def test_rekey_also_reaches_a_paper_still_open(make_user, admin, wrong_key):
    """A member in the middle of a paper when the key is fixed: the paper is scored against the fixed
    key when handed in, not the old one it was drawn with."""
    single, _judge = wrong_key
    member = make_user()
    attempt = engine.start_attempt(member, "practice", PAPER, now=NOW, rng=Random(1))
    for answer in attempt.answers:
        given = "true" if answer.question.type == "judge" else "ABCD"[answer.option_order.index(0)]  # A, the truth
        engine.save_answer(attempt, answer.position, given, now=NOW)
    _fix_key(single, admin)
    regrades.apply(single.id, "rekey", "答案应为A", acting_user=admin, now=NOW + timedelta(minutes=1))
    engine.finalise_attempt(attempt, now=NOW + timedelta(minutes=2))
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 2.0
    answers = [a for a in db.session.get(Attempt, attempt.id).answers if a.question_id == single.id]
    assert answers[0].version.answer == ["A"]
    _assert_rebuild_equals_incremental()


def test_rekey_reaches_a_paper_handed_out_before_it(make_user, admin, wrong_key):
    """An offline paper pins the versions it was handed out with; taken in after a regrade against the
    new key, it is asked and scored in the fixed version."""
    single, judge = wrong_key
    first = _practice(make_user(), {"single": 0, "judge": True}, seed=1)
    handed_out = {answer.question_id: answer.question_version_id for answer in first.answers}
    _fix_key(single, admin)
    regrades.apply(single.id, "rekey", "答案应为A", acting_user=admin, now=NOW + timedelta(minutes=1))
    attempt = engine.start_attempt(make_user(), "practice", PAPER, now=NOW + timedelta(minutes=2), rng=Random(2),
                                   question_ids=[single.id, judge.id], pinned_versions=handed_out)
    versions = {answer.question_id: answer.question_version_id for answer in attempt.answers}
    assert versions[judge.id] == handed_out[judge.id] and versions[single.id] != handed_out[single.id]
    for answer in attempt.answers:
        given = "true" if answer.version.type == "judge" else "ABCD"[answer.option_order.index(0)]  # A, the truth
        engine.save_answer(attempt, answer.position, given, now=NOW + timedelta(minutes=2))
    assert engine.finalise_attempt(attempt, now=NOW + timedelta(minutes=3)).score == 2.0


def test_credit_gives_everyone_the_points(make_user, admin, wrong_key):
    single, _judge = wrong_key
    right, lucky = make_user(), make_user()
    first = _practice(right, {"single": 0, "judge": False}, seed=1)
    _practice(lucky, {"single": 1, "judge": True}, seed=2)
    _fix_key(single, admin)
    preview = regrades.plan(single.id, "credit")
    assert list(preview.attempts) == [first.id] and preview.points == {first.id: 1}
    regrades.apply(single.id, "credit", "题目有误，一律给分", acting_user=admin, now=NOW + timedelta(hours=1))
    db.session.expire_all()
    assert db.session.get(Attempt, first.id).score == 1.0 and _points(right.id) == 1
    answers = [a for a in db.session.get(Attempt, first.id).answers if a.question_id == single.id]
    assert answers[0].version.answer == ["B"]  # still shown as asked, but credited
    _assert_rebuild_equals_incremental()


def test_none_records_the_decision_and_changes_nothing(make_user, admin, wrong_key):
    single, _judge = wrong_key
    member = make_user()
    attempt = _practice(member, {"single": 0, "judge": True}, seed=1)
    _fix_key(single, admin)
    record = regrades.apply(single.id, "none", "影响很小，不改成绩", acting_user=admin, now=NOW + timedelta(hours=1))
    assert (record.attempts_changed, record.points_changed) == (0, 0)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 1.0 and _points(member.id) == 1
    (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "question.regrade"))
    assert (entry.actor_id, entry.target) == (admin.id, f"question:{single.id}")
    assert entry.details["mode"] == "none" and entry.details["reason"] == "影响很小，不改成绩"


def test_the_daily_cap_still_holds_after_a_regrade(make_user, admin, make_typed, make_category):
    """Five practice papers of two questions on one day: the cap of 5 points is reached; crediting
    the wrongly keyed single adds only what the cap leaves."""
    single, _judge = make_typed("single", answer=["B"]), make_typed("judge")
    member = make_user()
    for seed in range(3):
        _practice(member, {"single": 0, "judge": True}, seed=seed, minutes=seed + 1)  # 1 point each
    assert _points(member.id) == 3
    _fix_key(single, admin)
    preview = regrades.plan(single.id, "rekey")
    assert preview.points_total == 2  # 3 × 2 = 6 would pass the cap of 5
    regrades.apply(single.id, "rekey", "答案应为A", acting_user=admin, now=NOW + timedelta(hours=1))
    assert _points(member.id) == 5
    _assert_rebuild_equals_incremental()


@pytest.mark.parametrize(("mode", "reason", "message"), [
    ("half", "原因", "请选择重新评分的方式"),
    ("rekey", "   ", "请写明重新评分的原因"),
    ("rekey", "长" * 1001, "最多 1000 字"),
])
def test_bad_regrades_are_refused(admin, wrong_key, mode, reason, message):
    single, _judge = wrong_key
    _fix_key(single, admin)
    with pytest.raises(RegradeError, match=message):
        regrades.apply(single.id, mode, reason, acting_user=admin, now=NOW)


def test_a_question_with_one_version_cannot_be_regraded(wrong_key):
    with pytest.raises(RegradeError, match="只有一个版本"):
        regrades.plan(wrong_key[0].id, "credit")


def test_rekey_refuses_a_changed_number_of_options(admin, make_user, wrong_key):
    single, _judge = wrong_key
    _practice(make_user(), {"single": 0, "judge": True}, seed=1)
    questions.update_question(single, replace(questions.question_to_draft(single), options=["甲", "乙", "丙"],
                                              answer=["A"]), acting_user=admin)
    with pytest.raises(RegradeError, match="选项个数"):
        regrades.plan(single.id, "rekey")


def test_the_regrade_pages_preview_without_writing_then_apply(client, login, make_user, admin, wrong_key):
    single, _judge = wrong_key
    member = make_user()
    _practice(member, {"single": 0, "judge": True}, seed=1)
    _fix_key(single, admin)
    login(admin)
    page = client.get(f"/reports/questions/{single.id}/regrade?mode=rekey").get_data(as_text=True)
    assert 'id="preview-attempts">1<' in page and 'id="preview-points">+1<' in page and "答案 B" in page
    assert db.session.scalar(select(func.count()).select_from(Regrade)) == 0
    bad = client.get(f"/reports/questions/{single.id}/regrade?mode=half").get_data(as_text=True)
    assert "请选择重新评分的方式" in bad
    response = client.post(f"/reports/questions/{single.id}/regrade", data={"mode": "rekey", "reason": "答案应为A"})
    assert response.status_code == 302
    assert _points(member.id) == 2
    assert db.session.scalar(select(Regrade.reason)) == "答案应为A"

"""services.bank.questions: categories, one question at a time, status changes, search."""
import random
from dataclasses import replace

import pytest
from sqlalchemy import select

from question_bank.draft import SourceRef
from question_bank.text import normalise_stem
from quizapp.extensions import db
from quizapp.models import Category, Question, Source
from quizapp.services.bank import questions as service
from quizapp.services.bank.questions import QuestionError, QuestionFilter
from tests.questions.conftest import counts, full_drafts


def paths() -> list[str]:
    return list(db.session.scalars(select(Category.path).order_by(Category.path)))


# ---- categories ---------------------------------------------------------------------------------

def test_ensure_category_creates_missing_parents_once():
    leaf = service.ensure_category(" 党史 / 百年奋斗 ")
    again = service.ensure_category("党史/百年奋斗")
    db.session.commit()
    assert leaf.id == again.id
    assert (leaf.name, leaf.path, leaf.parent.path, leaf.parent.parent) == ("百年奋斗", "党史/百年奋斗", "党史", None)
    assert paths() == ["党史", "党史/百年奋斗"]


@pytest.mark.parametrize("path, message", [
    ("", "不能为空"),
    (" / ", "不能为空"),
    ("党史/" + "长" * 101, "太长"),
])
def test_bad_category_paths_are_refused(path, message):
    with pytest.raises(QuestionError, match=message):
        service.create_category(path)
    assert paths() == []


def test_create_category_refuses_an_existing_path():
    service.create_category("党史")
    with pytest.raises(QuestionError, match="已存在"):
        service.create_category("党史")


def test_rename_updates_the_whole_subtree():
    service.ensure_category("党史/百年奋斗/新时代")
    service.ensure_category("党史%/其他")  # LIKE wildcards in names must not match "党史/..."
    db.session.commit()
    root = db.session.scalar(select(Category).where(Category.path == "党史"))
    service.rename_category(root, "中共党史")
    assert paths() == ["中共党史", "中共党史/百年奋斗", "中共党史/百年奋斗/新时代", "党史%", "党史%/其他"]


@pytest.mark.parametrize("name, message", [("a/b", "不能含有"), ("", "不能为空"), ("学习", "已存在")])
def test_bad_renames_are_refused(name, message):
    service.ensure_category("党史")
    service.ensure_category("学习")
    db.session.commit()
    category = db.session.scalar(select(Category).where(Category.path == "党史"))
    with pytest.raises(QuestionError, match=message):
        service.rename_category(category, name)
    db.session.rollback()
    assert paths() == ["党史", "学习"]


def test_move_takes_the_subtree_along():
    service.ensure_category("党史/百年奋斗/新时代")
    target = service.ensure_category("学习")
    db.session.commit()
    branch = db.session.scalar(select(Category).where(Category.path == "党史/百年奋斗"))
    service.move_category(branch, target)
    assert paths() == ["党史", "学习", "学习/百年奋斗", "学习/百年奋斗/新时代"]
    service.move_category(branch, None)
    assert paths() == ["党史", "学习", "百年奋斗", "百年奋斗/新时代"]
    assert branch.parent is None


@pytest.mark.parametrize("target", ["党史", "党史/百年奋斗"])
def test_a_category_cannot_move_below_itself(target):
    service.ensure_category("党史/百年奋斗")
    db.session.commit()
    root = db.session.scalar(select(Category).where(Category.path == "党史"))
    parent = db.session.scalar(select(Category).where(Category.path == target))
    with pytest.raises(QuestionError, match="不能把分类"):
        service.move_category(root, parent)


def test_category_tree_is_in_tree_order_with_question_counts(make_question):
    leaf = service.ensure_category("党史/百年奋斗")
    service.ensure_category("学习")
    db.session.commit()
    make_question(category_id=leaf.id)
    make_question(category_id=leaf.id)
    rows = service.category_tree()
    assert [(r.category.path, r.depth, r.question_count) for r in rows] == [
        ("党史", 0, 0), ("党史/百年奋斗", 1, 2), ("学习", 0, 0)]


# ---- one question -------------------------------------------------------------------------------

def test_upsert_creates_with_random_draw_key_normalised_stem_and_new_key(make_draft, admin):
    draft = make_draft(stem="党的 根本宗旨，是什么？", category="党史/宗旨")
    question = service.upsert_question(draft, acting_user=admin, rng=random.Random(7))
    expected = random.Random(7)
    assert question.key == f"q{expected.getrandbits(64):016x}"
    assert question.draw_key == expected.random()
    assert question.normalised_stem == normalise_stem(draft.stem) == "党的根本宗旨是什么"
    assert (question.category.path, question.created_by_id, question.updated_by_id) == ("党史/宗旨", admin.id, admin.id)


def test_draw_keys_spread_over_zero_to_one(make_draft):
    rng = random.Random(3)
    keys = [service.upsert_question(make_draft(), rng=rng, commit=False).draw_key for _ in range(200)]
    assert all(0 <= key < 1 for key in keys)
    assert min(keys) < 0.1 and max(keys) > 0.9


def test_upsert_by_key_updates_instead_of_duplicating(make_draft):
    first = service.upsert_question(make_draft(key="K-1", explanation="旧"))
    second = service.upsert_question(make_draft(key="K-1", explanation="新"))
    assert first.id == second.id and second.explanation == "新"
    assert counts()["question"] == 1


def test_upsert_refuses_an_invalid_draft_and_writes_nothing(make_draft):
    with pytest.raises(QuestionError, match="多选题至少要有 2 个答案"):
        service.upsert_question(make_draft(type="multiple", answer=["A"], category="新分类"))
    db.session.rollback()
    assert counts() == {"question": 0, "category": 0, "source": 0}


def test_fill_stems_are_stored_with_canonical_blanks(make_draft):
    question = service.upsert_question(make_draft(type="fill", stem="为人民谋(  )，谋____。", options=[],
                                                  answer=[["幸福"], ["复兴"]]))
    assert question.stem == "为人民谋（　），谋（　）。"


def test_source_given_as_model_wins_and_refs_are_found_or_created(make_draft):
    bundled = Source(title="每周一学", file="week1.txt")
    db.session.add(bundled)
    db.session.commit()
    by_model = service.upsert_question(make_draft(), source=bundled)
    by_file = service.upsert_question(make_draft(source=SourceRef(title="别名", file="week1.txt")))
    by_title = service.upsert_question(make_draft(source=SourceRef(title="新报告", date="2022-10-16")))
    again = service.upsert_question(make_draft(source=SourceRef(title="新报告", date="2022-10-16")))
    assert by_model.source_id == by_file.source_id == bundled.id
    assert by_title.source_id == again.source_id != bundled.id
    assert by_title.source.published_on.isoformat() == "2022-10-16"
    assert counts()["source"] == 2


@pytest.mark.parametrize("draft", full_drafts(), ids=lambda d: d.type)
def test_question_to_draft_gives_back_what_was_stored(draft):
    question = service.upsert_question(draft)
    back = service.question_to_draft(question)
    assert back == replace(draft, origin_file="", origin_row=0)


def test_create_refuses_a_used_key_or_an_existing_stem(make_draft, admin):
    service.create_question(make_draft(key="K-1", stem="同一个题干？"), acting_user=admin)
    with pytest.raises(QuestionError, match="编号「K-1」已被另一道题使用"):
        service.create_question(make_draft(key="K-1"), acting_user=admin)
    with pytest.raises(QuestionError, match="已有题干相同的单选题"):
        service.create_question(make_draft(stem="同一个 题干"), acting_user=admin)
    assert counts()["question"] == 1


def test_update_may_keep_its_own_key_and_stem_but_not_take_anothers(make_draft, admin):
    one = service.create_question(make_draft(key="K-1", stem="第一题？"), acting_user=admin)
    service.create_question(make_draft(key="K-2", stem="第二题？"), acting_user=admin)
    service.update_question(one, make_draft(key="K-1", stem="第一题？", explanation="改过"), acting_user=admin)
    assert one.explanation == "改过"
    with pytest.raises(QuestionError, match="已被另一道题使用"):
        service.update_question(one, make_draft(key="K-2", stem="第一题？"), acting_user=admin)
    db.session.rollback()
    with pytest.raises(QuestionError, match="题干相同"):
        service.update_question(one, make_draft(key="K-1", stem="第二题？"), acting_user=admin)


# ---- status and search --------------------------------------------------------------------------

def test_set_status_retires_without_deleting(make_question, admin):
    questions = [make_question(status="draft") for _ in range(3)]
    ids = [q.id for q in questions]
    assert service.set_status(ids[:2], "published", acting_user=admin) == 2
    assert service.set_status(ids, "retired", acting_user=admin) == 3
    assert service.set_status(ids, "retired", acting_user=admin) == 0
    statuses = db.session.scalars(select(Question.status).where(Question.id.in_(ids)))
    assert list(statuses) == ["retired"] * 3


@pytest.mark.parametrize("ids, status, message", [([], "published", "请先选择"), ([1], "deleted", "不存在")])
def test_set_status_refuses_nothing_chosen_or_unknown_status(admin, ids, status, message):
    with pytest.raises(QuestionError, match=message):
        service.set_status(ids, status, acting_user=admin)


@pytest.fixture
def bank(make_question):
    history = service.ensure_category("党史/百年奋斗")
    other = service.ensure_category("党史其他")
    source = Source(title="报告")
    db.session.add(source)
    db.session.commit()
    return {
        "a": make_question(stem="百分之百_的把握（　）", type="single", category_id=history.id, difficulty=1),
        "b": make_question(stem="判断：遵义会议", type="judge", options=[], answer=True, status="draft",
                           category_id=other.id, source_id=source.id),
        "c": make_question(stem="填空：为人民谋（　）", type="fill", options=[], answer=[["幸福"]], difficulty=3,
                           status="retired"),
    }


@pytest.mark.parametrize("criteria, expected", [
    (QuestionFilter(), "cba"),
    (QuestionFilter(text="遵义"), "b"),
    (QuestionFilter(text="百分之百_"), "a"),
    (QuestionFilter(text="%"), ""),
    (QuestionFilter(type="fill"), "c"),
    (QuestionFilter(status="draft"), "b"),
    (QuestionFilter(difficulty=3), "c"),
    (QuestionFilter(category="党史"), "a"),
    (QuestionFilter(category="党史/百年奋斗"), "a"),
    (QuestionFilter(category="党史其他"), "b"),
    (QuestionFilter(type="single", status="published", difficulty=1, category="党史"), "a"),
])
def test_filters(bank, criteria, expected):
    found = db.session.scalars(service.filter_questions(criteria)).all()
    names = {q.id: name for name, q in bank.items()}
    assert "".join(names[q.id] for q in found) == expected


def test_source_filter(bank):
    found = db.session.scalars(service.filter_questions(QuestionFilter(source_id=bank["b"].source_id))).all()
    assert found == [bank["b"]]

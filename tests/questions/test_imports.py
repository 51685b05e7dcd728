"""services.bank.imports: whole-file validation, duplicates, one transaction, nothing written on any error."""
import random
from dataclasses import replace

import pytest
from sqlalchemy import select

from question_bank.draft import SourceRef
from question_bank.readers import Limits
from quizapp.extensions import db
from quizapp.models import Question
from quizapp.services.bank import imports
from quizapp.services.bank.imports import QuestionImportError, import_drafts, import_file
from quizapp.services.bank.questions import question_to_draft, upsert_question
from tests.questions.conftest import GOOD_ROWS, counts, xlsx

EMPTY = {"question": 0, "category": 0, "source": 0}


def stored() -> list[Question]:
    return list(db.session.scalars(select(Question).order_by(Question.id)))


def test_a_good_file_is_imported_with_counts_categories_and_keys(admin):
    report = import_file(xlsx(*GOOD_ROWS), "题库.xlsx", acting_user=admin)
    assert report.ok and report.summary().startswith("共 4 道题（单选题 1，多选题 1，判断题 1，填空题 1）：已新增 4 道")
    assert [q.key for q in stored()] == ["T-001", "T-002", "T-003", "T-004"]
    assert [q.created_by_id for q in stored()] == [admin.id] * 4
    assert report.new_categories == ["党史", "党史/新时代", "党史/新民主主义革命时期"]
    assert counts() == {"question": 4, "category": 3, "source": 0}


def test_dry_run_reports_the_same_but_writes_nothing():
    report = import_file(xlsx(*GOOD_ROWS), "题库.xlsx", dry_run=True)
    assert report.ok and (report.created, report.total) == (4, 4)
    assert report.summary().startswith("试运行，未写入数据库。共 4 道题")
    assert counts() == EMPTY


def test_one_bad_row_stops_the_whole_file(make_question):
    make_question()
    before = counts()
    rows = [*GOOD_ROWS, ["单选题", "第五题？", "甲", "乙", "", "", "D", "", "", "新分类", "", "", "", "T-005"]]
    report = import_file(xlsx(*rows), "题库.xlsx")
    assert not report.ok
    assert [str(e) for e in report.errors] == ["题库.xlsx 第6行「答案」：D 不在选项中（只有 A–B）"]
    assert report.summary() == "共 1 个问题，未导入任何题目。"
    assert counts() == before


def test_rows_without_keys_get_random_keys_and_draw_keys():
    rows = [row[:-1] + [""] for row in GOOD_ROWS]
    import_file(xlsx(*rows), "题库.xlsx", rng=random.Random(5))
    expected = random.Random(5)
    first_key, first_draw = f"q{expected.getrandbits(64):016x}", expected.random()
    assert (stored()[0].key, stored()[0].draw_key) == (first_key, first_draw)
    assert len({q.draw_key for q in stored()}) == 4


@pytest.mark.parametrize("on_duplicate, created, updated, skipped", [("skip", 1, 0, 3), ("update", 1, 2, 1)])
def test_duplicates_by_key_by_stem_and_within_the_file(make_draft, on_duplicate, created, updated, skipped):
    upsert_question(make_draft(key="K-1", stem="按编号重复的题？", explanation="旧"))
    upsert_question(make_draft(key="OLD", stem="按题干重复的题？", explanation="旧"))
    drafts = [
        make_draft(key="K-1", stem="按编号重复的题（改了题干）？", explanation="新", origin_row=2),
        make_draft(key="NEW", stem="按题干 重复的题", explanation="新", origin_row=3),
        make_draft(key="", stem="全新的题？", origin_row=4),
        make_draft(key="", stem="全新的 题", origin_row=5),
    ]
    report = import_drafts(drafts, on_duplicate=on_duplicate)
    assert (report.created, report.updated, report.skipped) == (created, updated, skipped)
    assert [(d.row, d.reason, d.in_file) for d in report.duplicates] == [
        (2, "编号相同（K-1）", False), (3, "题库中已有题干和选项都相同的题", False),
        (5, "与文件中第4行的题干和选项都相同", True)]
    named = {q.key: q.explanation for q in stored() if not q.key.startswith("q")}
    # Updating by stem gives the old question the file's key, so that re-imports match by key.
    assert named == ({"K-1": "新", "NEW": "新"} if on_duplicate == "update" else {"K-1": "旧", "OLD": "旧"})
    assert counts()["question"] == 3


def test_same_stem_with_other_options_is_not_a_duplicate_but_option_order_and_width_are_ignored(make_draft):
    upsert_question(make_draft(key="OLD", stem="下列说法正确的是", options=["甲", "乙", "丙"], answer=["A"]))
    drafts = [make_draft(stem="下列说法正确的是", options=["丁", "戊", "己"], answer=["A"], origin_row=2),
              make_draft(stem="下列说法 正确的是？", options=["丙 ", "甲", "乙"], answer=["B"], origin_row=3)]
    report = import_drafts(drafts, dry_run=True)
    [duplicate] = report.duplicates
    assert (duplicate.row, duplicate.existing_stem) == (3, "下列说法正确的是") and report.created == 1


def test_duplicates_may_be_imported_as_new_questions(make_draft):
    upsert_question(make_draft(key="K-1", stem="遵义会议是转折点", options=[], type="judge", answer=True))
    report = import_drafts([make_draft(key="K-1", stem="遵义会议是转折点", options=[], type="judge", answer=True)],
                           on_duplicate="new")
    assert (report.created, report.skipped) == (1, 0) and counts()["question"] == 2


def test_same_stem_of_another_type_is_not_a_duplicate(make_draft):
    upsert_question(make_draft(stem="遵义会议（　）", type="single"))
    report = import_drafts([make_draft(stem="遵义会议（　）", type="fill", options=[], answer=[["伟大转折"]])])
    assert (report.created, report.duplicates) == (1, [])


def test_update_import_overwrites_every_field_and_keeps_the_row(make_draft, admin):
    original = upsert_question(make_draft(key="K-1", category="旧分类", tags=["旧"]))
    changed = make_draft(key="K-1", type="multiple", stem="改过的题干？", options=["甲", "乙", "丙"], answer=["A", "C"],
                         difficulty=3, category="新/分类", tags=["新"], status="draft", quote="摘录",
                         source=SourceRef(title="新出处"))
    import_drafts([changed], on_duplicate="update", acting_user=admin)
    db.session.expire_all()
    question = db.session.get(Question, original.id)
    assert question_to_draft(question) == replace(changed, origin_row=0)
    assert (question.updated_by_id, counts()["question"]) == (admin.id, 1)


@pytest.mark.parametrize("status", ["draft", "published"])
def test_status_option_overrides_the_file_without_touching_the_callers_drafts(make_draft, status):
    drafts = [make_draft(status="retired"), make_draft(status="published")]
    import_drafts(drafts, status=status)
    assert {q.status for q in stored()} == {status}
    assert [d.status for d in drafts] == ["retired", "published"]


@pytest.mark.parametrize("options, message", [
    ({"status": "deleted"}, "导入状态「deleted」不存在"),
    ({"on_duplicate": "merge"}, "重复题的处理方式「merge」不存在"),
])
def test_unknown_options_are_refused(make_draft, options, message):
    with pytest.raises(QuestionImportError, match=message):
        import_drafts([make_draft()], **options)
    assert counts() == EMPTY


def test_categories_and_sources_are_created_once_for_many_rows(make_draft):
    source = SourceRef(title="报告", date="2017-10-18")
    drafts = [make_draft(category="党史/百年奋斗", source=source) for _ in range(50)]
    import_drafts(drafts)
    assert counts() == {"question": 50, "category": 2, "source": 1}
    assert len({q.category_id for q in stored()}) == 1


@pytest.mark.parametrize("change, field, message", [
    ({"source": SourceRef(title="报告", date="2021-02-30")}, "出处", "日期「2021-02-30」不存在"),
    ({"category": "党史/" + "长" * 120}, "分类", "太长"),
    ({"answer": ["E"]}, "答案", "E 不在选项中"),
])
def test_problems_the_database_would_meet_are_reported_first(make_draft, change, field, message):
    report = import_drafts([make_draft(), make_draft(**change)], file="x.json")
    assert [(e.file, e.row, e.field) for e in report.errors] == [("x.json", 3, field)]
    assert message in report.errors[0].message
    assert counts() == EMPTY


def test_a_database_failure_rolls_everything_back(make_draft, monkeypatch):
    def fail_after_inserting(self, plan, batch_id):
        original_write(self, plan, batch_id)
        db.session.flush()
        raise imports.SQLAlchemyError("disk full")

    original_write = imports._Writer.write
    monkeypatch.setattr(imports._Writer, "write", fail_after_inserting)
    with pytest.raises(QuestionImportError, match="未导入任何题目"):
        import_drafts([make_draft(category="新分类"), make_draft()])
    assert counts() == EMPTY


def test_mapping_targets_may_be_field_names_labels_or_aliases():
    mapping = imports.parse_mapping(["题目内容=题干", "对=answer", "备注=忽略", "Q=题目", "X = 知识点 "])
    assert mapping == {"题目内容": "stem", "对": "answer", "备注": "ignore", "Q": "stem", "X": "category"}


@pytest.mark.parametrize("pair", ["题目内容", "=stem"])
def test_malformed_mapping_pairs_are_refused(pair):
    with pytest.raises(QuestionImportError, match="应写成 表头=字段"):
        imports.parse_mapping([pair])


def test_unknown_headers_are_reported_and_a_mapping_fixes_them():
    header = ["题目类型", "我的题干", "选项A", "选项B", "我的答案"]
    data = xlsx(["单选题", "题干？", "甲", "乙", "A"], header=header)
    report = import_file(data, "外部.xlsx", dry_run=True)
    assert report.unknown_headers == ["我的题干", "我的答案"]
    assert {e.field for e in report.errors} == {"题干", "答案"}
    mapped = import_file(data, "外部.xlsx", mapping=imports.parse_mapping(["我的题干=题干", "我的答案=答案"]))
    assert mapped.ok and counts()["question"] == 1


def test_limits_come_from_the_config(app):
    app.config.update(IMPORT_MAX_BYTES=1234, IMPORT_MAX_ROWS=7)
    assert imports.limits_from_config(app.config) == Limits(max_bytes=1234, max_rows=7)

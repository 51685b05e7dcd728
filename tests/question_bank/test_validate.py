import pytest

from question_bank.draft import QuestionDraft, SourceRef
from question_bank.validate import MAX_LENGTHS, validate


def single(**overrides):
    fields = dict(type="single", stem="中共一大在（　）开幕。", options=["北京", "上海", "广州"],
                  answer=["B"], origin_file="题库.xlsx", origin_row=2)
    return QuestionDraft(**{**fields, **overrides})


GOOD = [
    single(),
    single(type="multiple", answer=["A", "C"]),
    single(options=[f"选项{n}" for n in range(8)], answer=["H"]),
    QuestionDraft(type="judge", stem="遵义会议是生死攸关的转折点。", answer=False),
    QuestionDraft(type="fill", stem="为（　）服务，谋___", answer=[["人民", "人民群众"], ["幸福"]]),
    single(difficulty=3, status="draft", tags=["a"] * 20, source=SourceRef(date="2021-07-01")),
]


@pytest.mark.parametrize("draft", GOOD)
def test_good_drafts_have_no_problem(draft):
    assert validate([draft]) == []


BAD = [
    (single(type="essay"), "题型", "题型「essay」不支持"),
    (single(type=None), "题型", "不支持"),
    (single(stem="  "), "题干", "题干为空"),
    (single(stem="长" * (MAX_LENGTHS["stem"] + 1)), "题干", "太长"),
    (single(answer=["D"]), "答案", "D 不在选项中（只有 A–C）"),
    (single(answer=None), "答案", "缺少答案"),
    (single(answer=[]), "答案", "缺少答案"),
    (single(answer=["A", "B"]), "答案", "单选题只能有 1 个答案"),
    (single(answer="B"), "答案", "应为选项字母"),
    (single(type="multiple", answer=["A"]), "答案", "多选题至少要有 2 个答案"),
    (single(options=["北京"], answer=["A"]), "选项", "至少要有 2 个选项"),
    (single(options=[f"选项{n}" for n in range(9)]), "选项", "最多 8 个"),
    (single(options=["北京", "上海", "北京"]), "选项C", "与选项A重复"),
    (single(options=["北京", "上海", " 北 京。"]), "选项C", "与选项A重复"),
    (single(options=["北京", "", "广州"]), "选项B", "选项为空"),
    (single(options=["北京", "上" * 501]), "选项B", "太长"),
    (QuestionDraft(type="judge", stem="题", answer="对"), "答案", "应为 对 或 错"),
    (QuestionDraft(type="judge", stem="题", answer=True, options=["对", "错"]), "选项", "判断题不应有选项"),
    (QuestionDraft(type="fill", stem="没有空", answer=[["人民"]]), "题干", "没有空"),
    (QuestionDraft(type="fill", stem="为（　）服务", answer=[["人民"], ["多"]]), "答案", "题干有 1 个空，答案却有 2 个"),
    (QuestionDraft(type="fill", stem="为（　）谋（　）", answer=[["人民"], []]), "答案", "第2空的答案为空"),
    (QuestionDraft(type="fill", stem="为（　）服务", answer=["人民"]), "答案", "每空一组"),
    (single(difficulty=4), "难度", "难度应为 1–3"),
    (single(status="deleted"), "状态", "不支持"),
    (single(tags=["t"] * 21), "标签", "标签太多"),
    (single(source=SourceRef(date="2021年7月1日")), "出处", "日期"),
    (single(explanation="解" * 5001), "解析", "太长"),
]


@pytest.mark.parametrize("draft, field, message", BAD)
def test_bad_draft_reports_field_and_message(draft, field, message):
    errors = validate([draft])
    assert [(e.field, message in e.message) for e in errors if e.field == field] == [(field, True)], errors


def test_error_carries_file_and_row():
    [error] = validate([single(answer=["D"], origin_row=7)])
    assert (error.file, error.row, error.field) == ("题库.xlsx", 7, "答案")
    assert str(error) == "题库.xlsx 第7行「答案」：D 不在选项中（只有 A–C）"


def test_file_argument_overrides_origin_file():
    [error] = validate([single(answer=None)], file="上传.xlsx")
    assert error.file == "上传.xlsx"


def test_all_problems_of_all_drafts_are_reported_at_once():
    drafts = [single(stem="", answer=["D"], origin_row=2), single(origin_row=3),
              single(type="multiple", answer=["A"], difficulty=9, origin_row=4)]
    errors = validate(drafts)
    assert [(e.row, e.field) for e in errors] == [(2, "题干"), (2, "答案"), (4, "答案"), (4, "难度")]


def test_duplicate_keys_name_the_first_row():
    drafts = [single(key="q1", origin_row=2), single(key="q2", origin_row=3), single(key="q1", origin_row=4)]
    [error] = validate(drafts)
    assert (error.row, error.field, error.message) == (4, "编号", "编号「q1」与第2行重复")

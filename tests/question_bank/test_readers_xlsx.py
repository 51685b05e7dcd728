import io
import random
import zipfile

import openpyxl
import pytest
from defusedxml import DefusedXmlException

from question_bank.draft import QuestionDraft, SourceRef
from question_bank.readers import Limits, archive, read_questions
from question_bank.readers.archive import OLE_MAGIC
from tests.question_bank.filemakers import TEMPLATE_HEADER, make_xlsx, replace_parts, with_billion_laughs

ROWS = [
    ["单选题", "中共一大在（　）开幕。", "北京", "上海", "广州", "", "B", "在上海。", "易", "党史/建党",
     "一大，建党", "人民日报｜第一版｜2021-07-01", "原文一段", "q1"],
    ["多选题", "三大法宝是（　）。", "统一战线", "武装斗争", "党的建设", "土地革命", "A、B、C", "", "中",
     "", "", "", "", "q2"],
    ["判断题", "遵义会议是转折点。", "", "", "", "", "√", "", "3", "", "", "", "", "q3"],
    ["填空题", "为____服务，谋（ ）", "", "", "", "", "人民/人民群众；幸福", "", "", "", "", "", "", "q4"],
]


def read(data, name="题库.xlsx", **kwargs):
    return read_questions(data, name, **kwargs)


def test_template_columns_give_complete_drafts():
    result = read(make_xlsx([TEMPLATE_HEADER, *ROWS]))
    assert result.errors == [] and result.unknown_headers == []
    assert result.counts_by_type() == {"single": 1, "multiple": 1, "judge": 1, "fill": 1}
    assert result.drafts[0] == QuestionDraft(
        type="single", stem="中共一大在（　）开幕。", options=["北京", "上海", "广州"], answer=["B"],
        explanation="在上海。", difficulty=1, category="党史/建党", tags=["一大", "建党"],
        source=SourceRef(title="人民日报", section="第一版", date="2021-07-01"), quote="原文一段",
        key="q1", origin_file="题库.xlsx", origin_row=2)
    assert [d.answer for d in result.drafts[1:]] == [["A", "B", "C"], True, [["人民", "人民群众"], ["幸福"]]]
    assert result.drafts[3].stem == "为（\u3000）服务，谋（\u3000）"
    assert [d.difficulty for d in result.drafts] == [1, 2, 3, 2]


@pytest.mark.parametrize("source_kind", ["bytes", "path", "stream"])
def test_source_may_be_bytes_path_or_stream(tmp_path, source_kind):
    data = make_xlsx([TEMPLATE_HEADER, *ROWS])
    path = tmp_path / "题库.xlsx"
    path.write_bytes(data)
    source = {"bytes": data, "path": path, "stream": io.BytesIO(data)}[source_kind]
    assert len(read(source).drafts) == 4


def test_aliases_of_other_systems_and_inferred_types():
    rows = [["题目内容", "A", "B", "C", "正确答案", "答案解析", "知识点", "难度等级", "试题编号"],
            ["中共一大在（　）开幕", "北京", "上海", "广州", "b", "解析", "党史", "简单", 101],
            ["三大法宝是", "统一战线", "武装斗争", "党的建设", "A B C", "", "", "困难", 102],
            ["遵义会议是转折点", None, None, None, "正确", "", "", "", 103],
            ["为（　）服务", None, None, None, "人民", "", "", "", 104],
            ["下面哪个城市在华东", "北京", "上海", "广州", "上海", "", "", "", 105]]
    result = read(make_xlsx(rows))
    assert result.errors == []
    assert [(d.type, d.answer) for d in result.drafts] == [
        ("single", ["B"]), ("multiple", ["A", "B", "C"]), ("judge", True), ("fill", [["人民"]]),
        ("single", ["B"])]
    assert [d.key for d in result.drafts] == ["101", "102", "103", "104", "105"]
    assert result.drafts[0].category == "党史" and result.drafts[1].difficulty == 3


def test_one_sheet_per_type_sets_the_type_and_skips_the_instructions():
    header = ["题干", "选项A", "选项B", "答案"]
    data = make_xlsx(sheets={"说明": [["请按模板填写"]],
                             "单选题": [header, ["单选一", "甲", "乙", "A"]],
                             "多选题": [header, ["多选一", "甲", "乙", "AB"], ["多选二", "甲", "乙", "B"]],
                             "判断题": [["题干", "答案"], ["判断一", "错"]]})
    result = read(data)
    assert [(d.type, d.stem) for d in result.drafts] == [
        ("single", "单选一"), ("multiple", "多选一"), ("multiple", "多选二"), ("judge", "判断一")]
    [error] = result.errors
    assert (error.file, error.row, error.field) == ("题库.xlsx「多选题」", 3, "答案")
    assert "多选题至少要有 2 个答案" in error.message


def test_title_rows_above_the_header_and_empty_rows_are_skipped():
    rows = [["党史知识题库"], [], [*TEMPLATE_HEADER], ROWS[0], [None] * 5, ROWS[2]]
    result = read(make_xlsx(rows))
    assert result.errors == []
    assert [d.origin_row for d in result.drafts] == [4, 6]


def test_unknown_headers_are_listed_and_mapping_resolves_them():
    rows = [["试题描述", "对的是", "A", "B", "分值"], ["中共一大在（　）开幕", "B", "北京", "上海", 2]]
    unmapped = read(make_xlsx(rows))
    assert unmapped.drafts == []
    assert unmapped.unknown_headers == ["试题描述", "对的是", "分值"]
    assert [(e.row, e.field) for e in unmapped.errors] == [(1, "题干"), (1, "答案")]
    mapped = read(make_xlsx(rows), mapping={"试题描述": "stem", "对的是": "answer"})
    assert mapped.errors == [] and mapped.unknown_headers == ["分值"]
    assert mapped.drafts[0].answer == ["B"]


def test_html_and_script_are_kept_as_plain_text():
    stem = "<script>alert('x')</script><b>粗体</b> 中共一大在（　）开幕"
    result = read(make_xlsx([TEMPLATE_HEADER, [ROWS[0][0], stem, *ROWS[0][2:]]]))
    assert result.errors == [] and result.drafts[0].stem == stem


def test_formula_cells_are_refused_with_row_and_field():
    rows = [TEMPLATE_HEADER, ROWS[0], ["单选题", "题", "甲", "乙", "", "", '=IF(1,"A","B")', "", "", "",
                                       "", "", "", "q9"]]
    result = read(make_xlsx(rows))
    [error] = result.errors
    assert str(error) == "题库.xlsx 第3行「答案」：含公式，请把公式改成文字或数值后再导入"


BAD_ROWS = [
    (["单选题", "题", "甲", "乙", "丙", "", "", ""], "答案", "缺少答案"),
    (["单选题", "题", "甲", "乙", "丙", "", "D", ""], "答案", "D 不在选项中（只有 A–C）"),
    (["单选题", "题", "甲", "乙", "丙", "", "南京", ""], "答案", "既不是选项字母，也不是某个选项的内容"),
    (["多选题", "题", "甲", "乙", "丙", "", "A", ""], "答案", "多选题至少要有 2 个答案"),
    (["判断题", "题", "", "", "", "", "B", ""], "答案", "判断题的答案「B」应为 对/错"),
    (["单选题", "题", "甲", "乙", "甲", "", "A", ""], "选项C", "与选项A重复"),
    (["简答题", "题", "", "", "", "", "略", ""], "题型", "题型「简答题」不支持"),
    (["单选题", "", "甲", "乙", "", "", "A", ""], "题干", "题干为空"),
    (["单选题", "题", "甲", "乙", "", "", "A", "很难"], "难度", "无法识别「很难」"),
    (["填空题", "为（　）服务", "", "", "", "", "人民；历史", ""], "答案", "题干有 1 个空，答案却有 2 个"),
]


@pytest.mark.parametrize("row, field, message", BAD_ROWS)
def test_bad_rows_get_a_chinese_error_with_row_and_field(row, field, message):
    header = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "难度"]
    result = read(make_xlsx([header, ["判断题", "好题", "", "", "", "", "对", ""], row]))
    assert [(e.row, e.field) for e in result.errors] == [(3, field)]
    assert message in result.errors[0].message


def test_more_than_eight_options_is_reported():
    header = ["题干", *(f"选项{letter}" for letter in "ABCDEFGHI"), "答案"]
    result = read(make_xlsx([header, ["题", *(f"项{n}" for n in range(9)), "A"]]))
    assert [(e.field, e.message) for e in result.errors] == [("选项", "有 9 个选项，最多 8 个")]


def test_every_problem_of_every_row_at_once():
    rows = [TEMPLATE_HEADER, ["单选题", "", "甲", "乙", "", "", "C"], ["多选题", "题", "甲", "甲", "", "", "A"]]
    errors = read(make_xlsx(rows)).errors
    assert [(e.row, e.field) for e in errors] == [(2, "题干"), (2, "答案"), (3, "选项B"), (3, "答案")]


def test_rows_are_streamed_in_order_with_their_numbers():
    rows = [["题干", "答案"]] + [[f"第{n}题是对的", "对"] for n in range(2000)]
    result = read(make_xlsx(rows))
    assert result.errors == [] and len(result.drafts) == 2000
    assert (result.drafts[-1].origin_row, result.drafts[-1].stem) == (2001, "第1999题是对的")


def make_zip(parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


VALID = make_xlsx([TEMPLATE_HEADER, *ROWS])
BAD_FILES = [
    ("empty", b"", Limits(), "文件是空的"),
    ("blank", b"  \n ", Limits(), "文件是空的"),
    ("text", "题干,答案\n".encode(), Limits(), "不是有效的 .xlsx 文件"),
    ("encrypted", OLE_MAGIC + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100, Limits(),
     "设置了打开密码"),
    ("old xls", OLE_MAGIC + b"\0" * 1000 + "Workbook".encode("utf-16-le"), Limits(), "旧版 .xls 格式"),
    ("truncated", VALID[: len(VALID) // 2], Limits(), "已损坏"),
    ("other zip", make_zip({"readme.txt": b"hello"}), Limits(), "已损坏"),
    ("too big", VALID, Limits(max_bytes=1000), "文件太大"),
    ("too many rows", make_xlsx([["题干", "答案"]] + [["题", "对"]] * 11), Limits(max_rows=10), "题目太多"),
    ("ratio", replace_parts(VALID, {"xl/media/pad.bin": b"\0" * (3 << 20)}), Limits(), "压缩比"),
    ("unzipped size", replace_parts(VALID, {"xl/media/pad.bin": random.Random(0).randbytes(3 << 20)}),
     Limits(max_unzipped_bytes=2 << 20), "解压后"),
    ("laughs in sheet", with_billion_laughs(VALID, "xl/worksheets/sheet1.xml"), Limits(), "实体定义"),
    ("laughs in styles", with_billion_laughs(VALID, "xl/styles.xml"), Limits(), "实体定义"),
    ("laughs in workbook", with_billion_laughs(VALID, "xl/workbook.xml"), Limits(), "实体定义"),
    ("header only", make_xlsx([TEMPLATE_HEADER]), Limits(), "没有题目"),
    ("empty sheet", make_xlsx([]), Limits(), "没有题目"),
    ("only instructions", make_xlsx(sheets={"说明": [["说明"]]}), Limits(), "没有题目工作表"),
]


@pytest.mark.parametrize("data, limits, message", [case[1:] for case in BAD_FILES],
                         ids=[case[0] for case in BAD_FILES])
def test_unreadable_files_give_one_clear_error_and_no_drafts(data, limits, message):
    result = read(data, limits=limits)
    assert result.drafts == []
    [error] = result.errors
    assert error.file == "题库.xlsx" and message in error.message, error


def test_openpyxl_itself_is_configured_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    bomb = io.BytesIO(with_billion_laughs(VALID, "xl/worksheets/sheet1.xml"))
    with pytest.raises(ValueError) as refused:
        openpyxl.load_workbook(bomb, read_only=True)  # reading the sheet's size parses it
    assert isinstance(refused.value.__cause__, DefusedXmlException)


@pytest.mark.parametrize("filename, message", [
    ("题库.xls", "不支持旧版 .xls 格式"), ("题库.doc", "不支持旧版 .doc 格式"), ("题库.pdf", "不支持的文件类型「.pdf」"),
])
def test_unsupported_extensions(filename, message):
    [error] = read_questions(b"whatever", filename).errors
    assert message in error.message


def test_openpyxl_refusal_is_reported_even_without_our_own_scan(monkeypatch):
    monkeypatch.setattr(archive, "scan_parts", lambda opened, kind, limits: None)
    result = read(with_billion_laughs(VALID, "xl/worksheets/sheet1.xml"))
    assert result.drafts == [] and "实体定义" in result.errors[0].message

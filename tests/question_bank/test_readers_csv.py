import pytest

from question_bank.readers import Limits, read_questions

HEADER = "题型,题干,选项A,选项B,选项C,答案,解析,标签\n"
BODY = ("单选题,中共一大在（　）开幕,北京,上海,广州,B,在上海,\"一大,建党\"\n"
        "判断题,遵义会议是转折点,,,,对,,\n"
        "填空题,为（　）服务,,,,人民/人民群众,,\n")
TEXT = HEADER + BODY


def read(data, **kwargs):
    return read_questions(data, "题库.csv", **kwargs)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings(encoding):
    result = read(TEXT.encode(encoding))
    assert result.errors == []
    assert [d.type for d in result.drafts] == ["single", "judge", "fill"]
    assert result.drafts[0].stem == "中共一大在（　）开幕" and result.drafts[0].tags == ["一大", "建党"]


def test_windows_line_endings_and_tab_separated_text():
    assert len(read(TEXT.replace("\n", "\r\n").encode("utf-8")).drafts) == 3
    tabbed = "题干\t答案\n遵义会议是转折点\t对\n"
    assert read(tabbed.encode("utf-8")).drafts[0].answer is True


def test_quoted_cells_may_span_lines_and_rows_count_records():
    text = '题干,答案\n"第一行\n第二行（　）",人民\n,\n"遵义会议是转折点",错\n'
    result = read(text.encode("utf-8"))
    assert [(d.origin_row, d.stem) for d in result.drafts] == [(2, "第一行\n第二行（　）"), (4, "遵义会议是转折点")]


def test_undecodable_bytes_name_the_encodings_tried():
    result = read("题干,答案\n".encode("utf-8") + b"\x80\xff,\x80\n")
    [error] = result.errors
    assert result.drafts == []
    assert "UTF-8" in error.message and "GB18030" in error.message


def test_bad_utf16():
    [error] = read(b"\xff\xfe" + b"\x00\xd8").errors  # a lone surrogate
    assert "UTF-16" in error.message


@pytest.mark.parametrize("text, message", [
    ("", "文件是空的"),
    ("题干,答案\n", "没有题目"),
    ("问句,回答\n什么,对\n", "缺少「题干」列"),
])
def test_bad_files(text, message):
    result = read(text.encode("utf-8"))
    assert result.drafts == [] and message in result.errors[0].message


def test_row_errors_use_the_record_number():
    text = HEADER + "多选题,三大法宝,甲,乙,丙,A,,\n单选题,题,甲,乙,丙,E,,\n"
    errors = read(text.encode("utf-8")).errors
    assert [(e.row, e.field) for e in errors] == [(2, "答案"), (3, "答案")]
    assert errors[1].message == "E 不在选项中（只有 A–C）"


def test_formula_looking_text_is_plain_text_in_csv():
    result = read("题干,答案\n=1+1 是对的,对\n".encode("utf-8"))
    assert result.errors == [] and result.drafts[0].stem == "=1+1 是对的"


def test_too_many_rows():
    text = "题干,答案\n" + "题,对\n" * 5
    result = read(text.encode("utf-8"), limits=Limits(max_rows=4))
    assert result.drafts == [] and "题目太多" in result.errors[0].message

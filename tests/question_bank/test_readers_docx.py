import io

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from question_bank.readers import read_questions
from question_bank.readers.archive import OLE_MAGIC
from tests.question_bank.filemakers import make_docx, with_billion_laughs

LINES = [
    "党史知识测试",
    "一、单选题",
    "1. 中共一大在（ ）开幕。",
    "A. 北京 B. 上海",
    "C. 广州 D. 武汉",
    "答案：B",
    "二、判断题",
    "2. 遵义会议是转折点。（√）",
    "三、填空题",
    "3. 为（ ）服务，\n谋（ ）。",
    "答案：人民；幸福",
]


def read(data):
    return read_questions(data, "题库.docx")


def test_paragraphs_are_read_as_numbered_text():
    result = read(make_docx(LINES))
    assert result.errors == []
    assert [(d.origin_row, d.type, d.answer) for d in result.drafts] == [
        (3, "single", ["B"]), (8, "judge", True), (10, "fill", [["人民"], ["幸福"]])]
    assert result.drafts[2].stem == "为（\u3000）服务，\n谋（\u3000）。"


def test_errors_name_the_line():
    errors = read(make_docx(["1. 中共一大在（ ）开幕。", "A. 北京 B. 上海", "答案：C"])).errors
    assert [(e.row, e.field, e.message) for e in errors] == [(1, "答案", "C 不在选项中（只有 A–B）")]


def numbered_document(style_numbering: bool) -> bytes:
    """Questions numbered by Word itself: via the List Number style, or numPr on the paragraph."""
    document = docx.Document()
    list_num_id = document.styles["List Number"].element.pPr.numPr.numId.val
    for text in ["中共一大在（ ）开幕", "A. 北京 B. 上海", "答案：B", "遵义会议是转折点（√）"]:
        if text[0] in "A答":
            document.add_paragraph(text)
        elif style_numbering:
            document.add_paragraph(text, style="List Number")
        else:
            paragraph = document.add_paragraph(text)
            number = OxmlElement("w:numPr")
            level, num_id = OxmlElement("w:ilvl"), OxmlElement("w:numId")
            level.set(qn("w:val"), "0")
            num_id.set(qn("w:val"), str(list_num_id))
            number.extend([level, num_id])
            paragraph._p.get_or_add_pPr().append(number)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("style_numbering", [True, False], ids=["style", "paragraph"])
def test_word_automatic_numbering_starts_questions(style_numbering):
    result = read(numbered_document(style_numbering))
    assert result.errors == []
    assert [(d.origin_row, d.stem, d.answer) for d in result.drafts] == [
        (1, "中共一大在（ ）开幕", ["B"]), (4, "遵义会议是转折点（\u3000）", True)]


def test_a_table_with_template_headers_is_read_as_a_table():
    table = [["题型", "题干", "选项A", "选项B", "答案"], ["单选题", "中共一大在（ ）开幕", "北京", "上海", "B"],
             ["判断题", "遵义会议是转折点", "", "", "对"]]
    result = read(make_docx(["题库"], table=table))
    assert result.errors == []
    summary = [(d.origin_row, d.type, d.answer) for d in result.drafts]
    assert summary == [(2, "single", ["B"]), (3, "judge", True)]


def test_html_text_survives():
    stem = "<img src=x onerror=alert(1)>遵义会议是转折点"
    [draft] = read(make_docx([f"1. {stem}", "答案：对"])).drafts
    assert draft.stem == stem


VALID = make_docx(LINES)


@pytest.mark.parametrize("data, message", [
    (b"", "文件是空的"),
    (b"not a word file", "不是有效的 .docx 文件"),
    (OLE_MAGIC + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"), "设置了打开密码"),
    (OLE_MAGIC + b"\0" * 100, "旧版 .doc 格式"),
    (VALID[:2000], "已损坏"),
    (with_billion_laughs(VALID, "word/document.xml"), "实体定义"),
    (with_billion_laughs(VALID, "word/styles.xml"), "实体定义"),
    (make_docx(["没有编号的一段话。"]), "没有找到题目"),
], ids=["empty", "text", "encrypted", "old doc", "truncated", "laughs in document", "laughs in styles",
        "no questions"])
def test_bad_word_files(data, message):
    result = read(data)
    assert result.drafts == []
    [error] = result.errors
    assert message in error.message, error

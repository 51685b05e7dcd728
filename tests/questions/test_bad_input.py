"""Every bad file of the issue, through the import service the web and the CLI share: a clear Chinese
message naming the place, and nothing written."""
import io
import zipfile

import pytest

from question_bank.readers.archive import OLE_MAGIC
from quizapp.extensions import db
from quizapp.models import Question
from quizapp.services.bank.imports import import_file, limits_from_config
from tests.question_bank.filemakers import TEMPLATE_HEADER, make_docx, make_xlsx, with_billion_laughs
from tests.questions.conftest import GOOD_ROWS, counts, xlsx

EMPTY = {"question": 0, "category": 0, "source": 0}
NINE_OPTIONS_HEADER = ["题型", "题干", *[f"选项{letter}" for letter in "ABCDEFGHI"], "答案"]


def row(**changes) -> list[object]:
    """A good single-choice row of the template with some cells changed."""
    cells = dict(zip(TEMPLATE_HEADER, GOOD_ROWS[0]))
    cells.update(changes)
    return [cells[name] for name in TEMPLATE_HEADER]


def zip_bomb() -> bytes:
    data = xlsx(*GOOD_ROWS)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def encrypted() -> bytes:
    return OLE_MAGIC + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512


CASES = {
    "empty file": (lambda: b"", "x.xlsx", "", "文件是空的"),
    "blank csv": (lambda: b"\n \n", "x.csv", "", "文件是空的"),
    "wrong headers": (lambda: xlsx(["张三", "30"], header=["姓名", "年龄"]), "x.xlsx", "题干", "缺少「题干」列"),
    "missing answer column": (lambda: xlsx(["单选题", "题干？"], header=["题型", "题干"]), "x.xlsx", "答案",
                              "缺少「答案」列"),
    "not a spreadsheet": (lambda: "题干,答案\n".encode(), "x.xlsx", "", "不是有效的 .xlsx 文件"),
    "Word document renamed .xlsx": (lambda: make_docx(["1. 题干？", "答案：对"]), "x.xlsx", "", "不是有效的 .xlsx 文件"),
    "password protected": (encrypted, "x.xlsx", "", "设置了打开密码"),
    "corrupt workbook": (lambda: xlsx(*GOOD_ROWS)[:3000], "x.xlsx", "", "已损坏"),
    "old .xls format": (lambda: OLE_MAGIC + b"\0" * 600, "x.xls", "", "另存为 .xlsx"),
    "unsupported type": (lambda: b"%PDF-1.4", "x.pdf", "", "不支持的文件类型"),
    "absurd compression ratio": (zip_bomb, "x.xlsx", "", "压缩比"),
    "XML entity expansion": (lambda: with_billion_laughs(xlsx(*GOOD_ROWS), "xl/worksheets/sheet1.xml"), "x.xlsx",
                             "", "XML 实体"),
    "formula": (lambda: xlsx(row(答案="=CHAR(66)")), "x.xlsx", "答案", "含公式"),
    "missing answer": (lambda: xlsx(row(答案="")), "x.xlsx", "答案", "缺少答案"),
    "answer not among options": (lambda: xlsx(row(答案="F")), "x.xlsx", "答案", "F 不在选项中"),
    "multiple with one answer": (lambda: xlsx(row(题型="多选题", 答案="A")), "x.xlsx", "答案", "多选题至少要有 2 个答案"),
    "judge answer not true/false": (lambda: xlsx(row(题型="判断题", 选项A="", 选项B="", 选项C="", 选项D="", 答案="也许")),
                                    "x.xlsx", "答案", "判断题的答案「也许」"),
    "duplicate options": (lambda: xlsx(row(选项C="北京")), "x.xlsx", "选项C", "与选项A重复"),
    "more than 8 options": (lambda: make_xlsx([NINE_OPTIONS_HEADER, ["单选题", "题干？", *"甲乙丙丁戊己庚辛壬", "A"]]),
                            "x.xlsx", "选项", "最多 8 个"),
    "unknown type": (lambda: xlsx(row(题型="<b>问答题</b>")), "x.xlsx", "题型", "「<b>问答题</b>」不支持"),
    "broken json": (lambda: b'{"format": "quizapp-questions", "version": 1, "questions": [', "x.json", "",
                    "JSON 格式有误"),
}


@pytest.mark.parametrize("make, filename, field, message", CASES.values(), ids=CASES.keys())
def test_bad_file_gives_a_clear_message_and_writes_nothing(make, filename, field, message):
    report = import_file(make(), filename)
    assert not report.ok
    matching = [e for e in report.errors if message in e.message]
    assert matching, [str(e) for e in report.errors]
    assert matching[0].field == field
    assert matching[0].file == filename
    assert counts() == EMPTY


def test_a_bad_row_is_named_by_its_row_number_among_good_rows():
    report = import_file(xlsx(*GOOD_ROWS, row(答案="Z", 编号="T-5"), row(题干="另一题？", 编号="T-6")), "x.xlsx")
    assert [(e.row, e.field) for e in report.errors] == [(6, "答案")]
    assert counts() == EMPTY


@pytest.mark.parametrize("app_config, message", [
    ({"IMPORT_MAX_BYTES": 2000}, "文件太大"),
    ({"IMPORT_MAX_ROWS": 3}, "题目太多：超过 3 道"),
], indirect=["app_config"])
def test_size_and_row_limits_from_config(app, message):
    report = import_file(xlsx(*GOOD_ROWS), "x.xlsx", limits=limits_from_config(app.config))
    assert any(message in e.message for e in report.errors), [str(e) for e in report.errors]
    assert counts() == EMPTY


def test_html_and_script_are_stored_as_plain_text():
    stem = "<script>alert('x')</script>下列说法正确的是（　）"
    report = import_file(xlsx(row(题干=stem, 选项B="<img src=x onerror=alert(1)>")), "x.xlsx")
    assert report.ok
    question = db.session.query(Question).one()
    assert question.stem == stem and question.options[1] == "<img src=x onerror=alert(1)>"

"""The .xlsx export: read back with openpyxl; its figures are the dashboard's; text never runs."""
import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from quizapp.extensions import db
from quizapp.services.progress import exports
from tests.progress.conftest import shanghai
from tests.progress.test_figures import THIS_WEEK, TODAY

NOW = shanghai("2026-11-20 18:00")


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_workbook_sheets_and_contents(studied):
    book = read(exports.group_workbook(studied.branch_a, THIS_WEEK, today=TODAY, now=NOW))
    assert book.sheetnames == ["汇总", "党员", "知识点", "未参学名单"]
    summary = dict(values(book["汇总"])[1:])
    assert summary["组织"] == "第一党支部"
    assert summary["时间范围"] == "本周（11月16日—11月22日）"
    assert summary["开始日期"] == datetime(2026, 11, 16) and summary["结束日期"] == datetime(2026, 11, 22)
    assert (summary["党员人数"], summary["参学人数"], summary["答题次数"], summary["答题数"], summary["答对数"],
            summary["学习积分合计"]) == (4, 2, 3, 11, 7, 7)
    assert summary["参学率"] == pytest.approx(0.5)
    assert summary["平均正确率"] == pytest.approx(7 / 11)
    assert summary["人均学习积分"] == pytest.approx(1.75)
    assert summary["导出时间"] == "2026-11-20 18:00"

    members = values(book["党员"])
    assert members[0] == ["姓名", "用户名", "所在组织", "答题次数", "答题数", "答对数", "正确率", "学习积分",
                          "最近学习日期", "最薄弱知识点"]
    rows = {row[0]: row for row in members[1:]}
    assert set(rows) == {"书记甲", "甲一", "甲二", "甲三"}
    assert rows["甲一"][2:] == ["第一党支部", 2, 7, 5, pytest.approx(5 / 7), 5, datetime(2026, 11, 23), "党史"]
    assert rows["甲三"][3:] == [0, 0, 0, None, 0, datetime(2026, 11, 10), None]
    assert rows["甲一"][1] == studied.a1.username

    assert values(book["知识点"]) == [["知识点", "答题数", "答对数", "正确率"], ["党章", 4, 2, 0.5],
                                      ["党史", 6, 4, pytest.approx(4 / 6)]]
    assert values(book["未参学名单"]) == [
        ["姓名", "用户名", "所在组织", "最近学习日期", "未学习天数"],
        ["书记甲", studied.secretary_a.username, "第一党支部", None, "从未学习"],
        ["甲三", studied.a3.username, "第一党支部", datetime(2026, 11, 10), 10]]


def test_number_formats_and_column_widths(studied):
    book = read(exports.group_workbook(studied.branch_a, THIS_WEEK, today=TODAY, now=NOW))
    members = book["党员"]
    a1 = next(row for row in members.iter_rows(min_row=2) if row[0].value == "甲一")
    assert (a1[6].number_format, a1[8].number_format) == ("0.0%", "yyyy-mm-dd")
    assert members["A1"].font.bold
    for letter, header in zip("ABCDEFGHIJ", [cell.value for cell in members[1]]):
        width = members.column_dimensions[letter].width
        assert exports.display_width(header) < width <= exports.MAX_WIDTH, letter
    assert members.freeze_panes == "A2"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1:A2)",
                                  "=1+1", "\t=1", "#N/A"])
def test_text_that_looks_like_a_formula_stays_text(org, finish, name):
    org.a1.name = name
    db.session.commit()
    finish(org.a1, shanghai("2026-11-17 12:00"), [(org.history[0], True)])
    data = exports.group_workbook(org.branch_a, THIS_WEEK, today=TODAY, now=NOW)
    book = read(data)
    cells = [row[0] for row in book["党员"].iter_rows(min_row=2) if row[0].value == name]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert cells[0].quotePrefix == (name[0] in "=+-@\t")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(item).decode() for item in archive.namelist() if item.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets)


def test_long_text_is_capped_in_width(org):
    org.a1.name = "很长的名字" * 12  # 60 wide characters, within the 64 allowed
    db.session.commit()
    book = read(exports.group_workbook(org.branch_a, THIS_WEEK, today=TODAY, now=NOW))
    assert book["党员"].column_dimensions["A"].width == exports.MAX_WIDTH


def test_export_filename(org):
    assert exports.export_filename(org.branch_a, THIS_WEEK) == "第一党支部学习情况_20261116-20261122.xlsx"


def test_export_of_an_empty_group(app, make_group):
    group = make_group(name="空支部")
    book = read(exports.group_workbook(group, THIS_WEEK, today=TODAY, now=NOW))
    summary = dict(values(book["汇总"])[1:])
    assert (summary["党员人数"], summary["参学率"], summary["平均正确率"]) == (0, None, None)
    assert values(book["党员"])[1:] == [] and values(book["未参学名单"])[1:] == []

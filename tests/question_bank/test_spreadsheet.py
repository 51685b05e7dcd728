"""Every workbook the app writes keeps text as text: no cell is ever stored as a formula."""
import io

import openpyxl
import pytest

from question_bank.spreadsheet import FORMULA_STARTS, append_row, write_cell
from quizapp.services.people.roster import credentials_sheet

HOSTILE = [start + "HYPERLINK(\"http://x\",\"点我\")" for start in FORMULA_STARTS]


def reopened(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def saved(sheet) -> bytes:
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_stays_text(text):
    sheet = openpyxl.Workbook().active
    write_cell(sheet.cell(1, 1), text)
    append_row(sheet, [text, 3, None])
    again = reopened(saved(sheet))
    for cell in (again["A1"], again["A2"]):
        assert cell.data_type == "s" and cell.value == text and cell.quotePrefix
    assert again["B2"].value == 3


def test_numbers_and_plain_text_are_left_as_they_are():
    sheet = openpyxl.Workbook().active
    append_row(sheet, ["第一党支部", 12, 0.5])
    row = reopened(saved(sheet))[1]
    assert [cell.value for cell in row] == ["第一党支部", 12, 0.5]
    assert row[0].data_type == "s" and not row[0].quotePrefix and row[1].data_type == "n"


def test_the_password_sheet_keeps_a_hostile_name_as_text():
    sheet = reopened(credentials_sheet([("=1+2", "zhang", "-第一支部", "@secret")]))
    name, username, group, password = sheet[2]
    assert (name.value, group.value, password.value) == ("=1+2", "-第一支部", "@secret")
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in (name, group, password))

"""Excel .xlsx reader: one sheet of all types, or one sheet per type (sheet named 单选题 etc.)."""
from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
from defusedxml import DefusedXmlException

from question_bank.draft import RowError
from question_bank.readers.answers import parse_type
from question_bank.readers.archive import check_office_file
from question_bank.readers.base import FileProblem, Limits, ReadResult
from question_bank.readers.table import Row, TableContext, has_header, read_table, require_questions

INSTRUCTION_SHEETS = {"说明", "填写说明", "使用说明", "导入说明"}
CORRUPT = "Excel 文件已损坏或不是有效的 .xlsx 文件，无法读取"
UNSAFE = "Excel 文件含有 XML 实体定义（可能是恶意文件），已拒绝"


def _problem(exc: Exception) -> FileProblem:
    """Our message for an openpyxl failure (it wraps parser errors in ValueError)."""
    unsafe = isinstance(exc, DefusedXmlException) or isinstance(exc.__cause__, DefusedXmlException)
    return FileProblem(UNSAFE if unsafe else CORRUPT)


def _rows(sheet) -> Iterator[Row]:
    """The sheet's rows with 1-based numbers; openpyxl's own failures become FileProblem."""
    try:
        sheet.reset_dimensions()  # never trust the declared size: it may be wrong or huge
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = [cell.value for cell in cells]
            formulas = frozenset(index for index, cell in enumerate(cells) if cell.data_type == "f")
            yield number, values, formulas
    except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
        raise _problem(exc) from exc


def _sheets_to_read(workbook, mapping: dict[str, str] | None) -> tuple[list[tuple[object, str | None]], list[str]]:
    """Sheets named after a type (with that type); else the first sheet that is not 说明, and every
    later one with a header of question fields (a bank split by topic). Also the names of the
    non-empty sheets left out."""
    typed = [(sheet, parse_type(sheet.title)) for sheet in workbook.worksheets]
    by_type = [(sheet, code) for sheet, code in typed if code]
    if by_type:
        return by_type, []
    others = [sheet for sheet in workbook.worksheets if sheet.title.strip() not in INSTRUCTION_SHEETS]
    read, skipped = others[:1], []
    for sheet in others[1:]:
        header = has_header(_rows(sheet), mapping)
        if header:
            read.append(sheet)
        elif header is False:
            skipped.append(sheet.title)
    return [(sheet, None) for sheet in read], skipped


def _load(data: bytes):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise _problem(exc) from exc


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    check_office_file(data, "Excel", ".xls", limits)
    workbook = _load(data)
    try:
        sheets, skipped = _sheets_to_read(workbook, mapping)
        if not sheets:
            raise FileProblem("Excel 文件中没有题目工作表")
        context = TableContext(file, mapping, limits)
        result = ReadResult(warnings=[RowError(file, 0, "", f"工作表「{name}」中没有找到题干、答案等表头，未读取")
                                      for name in skipped])
        for sheet, default_type in sheets:
            name = f"{file}「{sheet.title}」" if len(sheets) > 1 else file
            part = read_table(_rows(sheet), context, name, default_type)
            result.drafts.extend(part.drafts)
            result.errors.extend(part.errors)
            result.field_map.update(part.field_map)
            result.unknown_headers.extend(h for h in part.unknown_headers
                                          if h not in result.unknown_headers)
        return require_questions(result)
    finally:
        workbook.close()

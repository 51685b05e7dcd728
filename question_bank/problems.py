"""Problems found in a question file, for people: grouped by reason, and as an .xlsx report."""
from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Font

from question_bank.draft import RowError
from question_bank.export import set_text

REPORT_HEADER = ("文件", "行", "字段", "问题")
_SPECIFIC_RE = re.compile(r"「[^」]*」|\d+|\b[A-Z]{1,8}\b")  # the parts that differ between rows


@dataclass
class ProblemGroup:
    field: str
    reason: str  # the message with its row-specific parts replaced by …
    rows: list[int]

    def line(self, shown_rows: int = 8) -> str:
        rows = "、".join(str(row) for row in self.rows[:shown_rows]) + ("…" if len(self.rows) > shown_rows else "")
        where = f"（第 {rows} 行）" if any(self.rows) else ""
        field = f"「{self.field}」" if self.field else ""
        return f"{field}{self.reason}：{len(self.rows)} 处{where}"


def group_by_reason(errors: list[RowError]) -> list[ProblemGroup]:
    """Errors that say the same thing about different rows, together; the largest group first."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for error in errors:
        reason = _SPECIFIC_RE.sub(lambda match: "「…」" if match.group().startswith("「") else "…", error.message)
        groups[(error.field, reason)].append(error.row)
    found = [ProblemGroup(field, reason, rows) for (field, reason), rows in groups.items()]
    return sorted(found, key=lambda group: -len(group.rows))


def error_report_xlsx(errors: list[RowError]) -> bytes:
    """An .xlsx with one row per problem: 文件, 行, 字段, 问题 (texts stay texts, never formulas)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "问题"
    for column, title in enumerate(REPORT_HEADER, start=1):
        set_text(sheet, 1, column, title).font = Font(bold=True)
    for number, error in enumerate(errors, start=2):
        set_text(sheet, number, 1, error.file)
        sheet.cell(number, 2, error.row or None)
        set_text(sheet, number, 3, error.field)
        set_text(sheet, number, 4, error.message)
    for letter, width in zip("ABCD", (24, 8, 12, 80)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

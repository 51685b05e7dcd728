"""The .xlsx export of a group's period: the same figure functions as the dashboard, four sheets.

Every text cell is written as text: one that begins with =, +, - or @ (or a tab or carriage
return) also gets Excel's quote prefix, so that no spreadsheet ever runs it as a formula.
"""
from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from question_bank.spreadsheet import write_cell
from quizapp.models import StudyGroup
from quizapp.services.clock import zone
from quizapp.services.progress import group_figures as figures
from quizapp.services.progress.periods import Period

PERCENT, DECIMAL, DAY = "0.0%", "0.00", "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 50
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="C8102E")


def group_workbook(group: StudyGroup, period: Period, *, today: date, now: datetime, sort: str = "points",
                   descending: bool = True) -> bytes:
    """汇总, 党员, 知识点 and 未参学名单 of the group (and the groups below it) for the period; the 党员
    sheet in the order the dashboard shows (its sort column and direction, points first by default)."""
    report = figures.group_report(group.subtree_ids(), period, today, sort=sort, descending=descending)
    rows = report.rows
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "汇总", ["项目", "数值"], _summary_rows(group, period, report.summary, now), [None, None])
    _sheet(workbook, "党员", ["姓名", "用户名", "所在组织", "答题次数", "答题数", "答对数", "正确率", "学习积分",
                            "最近学习日期", "最薄弱知识点"],
           [[row.user.name, row.user.username, row.user.group_name, row.attempts, row.questions, row.correct,
             row.accuracy, row.points, row.last_day, row.weakest or ""] for row in rows],
           [None, None, None, None, None, None, PERCENT, None, DAY, None])
    _sheet(workbook, "知识点", ["知识点", "答题数", "答对数", "正确率"],
           [[row.category, row.questions, row.correct, row.accuracy] for row in report.categories],
           [None, None, None, PERCENT])
    _sheet(workbook, "未参学名单", ["姓名", "用户名", "所在组织", "最近学习日期", "未学习天数"],
           [[row.user.name, row.user.username, row.user.group_name, row.last_day,
             "从未学习" if row.days_since is None else row.days_since] for row in report.absent],
           [None, None, None, DAY, None])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def export_filename(group: StudyGroup, period: Period) -> str:
    return f"{group.name}学习情况_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def _summary_rows(group: StudyGroup, period: Period, summary: figures.GroupSummary, now: datetime) -> list[list]:
    return [
        ["组织", group.name], ["时间范围", period.label], ["开始日期", period.start], ["结束日期", period.end],
        ["党员人数", summary.members], ["参学人数", summary.studied], ["参学率", summary.participation],
        ["答题次数", summary.attempts], ["答题数", summary.questions], ["答对数", summary.correct],
        ["平均正确率", summary.accuracy], ["学习积分合计", summary.points], ["人均学习积分", summary.points_per_member],
        ["导出时间", now.astimezone(zone()).strftime("%Y-%m-%d %H:%M")],
    ]


SUMMARY_FORMATS = {"开始日期": DAY, "结束日期": DAY, "参学率": PERCENT, "平均正确率": PERCENT, "人均学习积分": DECIMAL}


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], formats: list[str | None]) -> None:
    sheet = workbook.create_sheet(title)
    for column, header in enumerate(headers, 1):
        cell = sheet.cell(row=1, column=column)
        write_cell(cell, header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(horizontal="center")
    for row_number, values in enumerate(rows, 2):
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row=row_number, column=column)
            write_cell(cell, value)
            number_format = formats[column - 1] or (SUMMARY_FORMATS.get(values[0]) if title == "汇总" else None)
            if number_format and value is not None and not isinstance(value, str):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    _fit_columns(sheet, headers, rows)


def display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return 8
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def _fit_columns(sheet, headers: list[str], rows: list[list]) -> None:
    for column, header in enumerate(headers, 1):
        widest = max([display_width(header)] + [display_width(row[column - 1]) for row in rows])
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))

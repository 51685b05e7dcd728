"""Write drafts as the app's JSON format or as an .xlsx in the import template's columns."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import IO, Union

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from question_bank.draft import DIFFICULTIES, QUESTION_TYPES, STATUSES, QuestionDraft, SourceRef
from question_bank.readers.answers import format_fill_answer, format_source
from question_bank.readers.headers import FIELD_LABELS, TEMPLATE_FIELDS
from question_bank.readers.json import FORMAT, VERSION
from question_bank.spreadsheet import write_cell

Target = Union[str, os.PathLike, IO]

EXPORT_FIELDS = [*TEMPLATE_FIELDS, "status"]
COLUMN_WIDTHS = {"type": 8, "stem": 50, "answer": 14, "explanation": 40, "difficulty": 6,
                 "category": 18, "tags": 16, "source": 30, "quote": 40, "key": 18, "status": 8}
OPTION_WIDTH = 18
SHEET_TITLE = "题目"


def draft_to_dict(draft: QuestionDraft) -> dict:
    """One question in the JSON format."""
    return {
        "key": draft.key,
        "type": draft.type,
        "stem": draft.stem,
        "options": list(draft.options),
        "answer": draft.answer,
        "explanation": draft.explanation,
        "difficulty": draft.difficulty,
        "category": draft.category,
        "tags": list(draft.tags),
        "status": draft.status,
        "source": {"title": draft.source.title, "file": draft.source.file,
                   "section": draft.source.section, "date": draft.source.date},
        "quote": draft.quote,
    }


def _write_bytes(target: Target, data: bytes) -> None:
    if isinstance(target, (str, os.PathLike)):
        Path(target).write_bytes(data)
    elif isinstance(target, io.TextIOBase):
        target.write(data.decode("utf-8"))
    else:
        target.write(data)


def write_json(drafts: list[QuestionDraft], target: Target) -> None:
    """Write ``drafts`` as {"format": "quizapp-questions", "version": 1, "questions": [...]}."""
    payload = {"format": FORMAT, "version": VERSION, "questions": [draft_to_dict(d) for d in drafts]}
    _write_bytes(target, json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def _answer_text(draft: QuestionDraft) -> str:
    if draft.type == "judge" and isinstance(draft.answer, bool):
        return "对" if draft.answer else "错"
    if draft.type == "fill" and isinstance(draft.answer, list):
        return format_fill_answer(draft.answer)
    if isinstance(draft.answer, list):
        return "".join(draft.answer)
    return ""


def draft_to_row(draft: QuestionDraft) -> dict[str, str]:
    """Field name -> cell text in the template's conventions."""
    row = {
        "type": QUESTION_TYPES.get(draft.type, draft.type or ""),
        "stem": draft.stem,
        "answer": _answer_text(draft),
        "explanation": draft.explanation,
        "difficulty": DIFFICULTIES.get(draft.difficulty, str(draft.difficulty)),
        "category": draft.category,
        "tags": "，".join(draft.tags),
        "source": format_source(draft.source),
        "quote": draft.quote,
        "key": draft.key,
        "status": STATUSES.get(draft.status, draft.status),
    }
    for field, option in zip(TEMPLATE_FIELDS[2:], draft.options):
        row[field] = option
    return row


def set_text(sheet, row: int, column: int, text: str):
    """Put ``text`` in a cell as text: never a formula, even when it starts with '='."""
    return write_cell(sheet.cell(row=row, column=column), text or None)


def column_width(field: str) -> float:
    return OPTION_WIDTH if field.startswith("option_") else COLUMN_WIDTHS[field]


def write_header(sheet, fields: list[str]) -> None:
    """Bold header row, column widths and a frozen first row."""
    bold = Font(bold=True)
    for index, field in enumerate(fields, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(field)
        set_text(sheet, 1, index, FIELD_LABELS[field]).font = bold
    sheet.freeze_panes = "A2"


def write_rows(sheet, drafts: list[QuestionDraft], fields: list[str]) -> None:
    for row_number, draft in enumerate(drafts, start=2):
        row = draft_to_row(draft)
        for column, field in enumerate(fields, start=1):
            set_text(sheet, row_number, column, row.get(field, ""))


def write_xlsx(drafts: list[QuestionDraft], target: Target) -> None:
    """Write ``drafts`` as one sheet in the import template's columns (plus 状态)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    write_header(sheet, EXPORT_FIELDS)
    write_rows(sheet, drafts, EXPORT_FIELDS)
    workbook.save(target)


TEMPLATE_EXAMPLES = [
    QuestionDraft(
        type="single", stem="中国共产党第一次全国代表大会于1921年7月在（　）开幕。",
        options=["北京", "上海", "广州", "武汉"], answer=["B"],
        explanation="中共一大于1921年7月23日在上海开幕，最后一天的会议转移到浙江嘉兴南湖的游船上举行。",
        difficulty=1, category="党史/新民主主义革命时期", tags=["中共一大", "建党"], key="示例-001"),
    QuestionDraft(
        type="multiple", stem="中国共产党在中国革命中战胜敌人的“三大法宝”是（　）。",
        options=["统一战线", "武装斗争", "党的建设", "土地革命"], answer=["A", "B", "C"],
        explanation="毛泽东在《〈共产党人〉发刊词》中指出，统一战线、武装斗争、党的建设是中国共产党"
                    "在中国革命中战胜敌人的三个法宝。",
        difficulty=2, category="党史/新民主主义革命时期", tags=["三大法宝"], key="示例-002"),
    QuestionDraft(
        type="judge", stem="1935年1月召开的遵义会议，是党的历史上一个生死攸关的转折点。",
        answer=True,
        explanation="遵义会议在极端危急的历史关头挽救了党、挽救了红军、挽救了中国革命。",
        difficulty=1, category="党史/新民主主义革命时期", tags=["遵义会议", "长征"], key="示例-003"),
    QuestionDraft(
        type="fill", stem="中国共产党人的初心和使命，就是为中国人民谋（　），为中华民族谋（　）。",
        answer=[["幸福"], ["复兴"]],
        explanation="这是党的十九大报告对共产党人初心和使命的概括。",
        difficulty=1, category="党史/新时代", tags=["初心使命", "十九大"],
        source=SourceRef(title="党的十九大报告", date="2017-10-18"),
        quote="中国共产党人的初心和使命，就是为中国人民谋幸福，为中华民族谋复兴。", key="示例-004"),
]
TEMPLATE_NOTES = [
    "填写说明",
    "1. 每行一道题，第一行是表头。表头也可以用其他常见叫法，如 题目、正确答案、答案解析、知识点。",
    "2. 题型：单选题、多选题、判断题、填空题（可从下拉列表选择）。不填时按答案推断。"
    "也可以每种题型一个工作表，工作表名就是题型（如“单选题”）。",
    "3. 选项：选项A 至 选项H，选择题至少 2 个、最多 8 个选项，选项不能重复。判断题和填空题不填选项。",
    "4. 答案：选择题填选项字母，如 B 或 ABD（也可以写 A,B 或 A、B，或写选项的原文）；"
    "判断题填 对 或 错（也可以写 √/×、正确/错误）。",
    "5. 填空题：题干中的空用（　）或 ___ 标出；各空的答案用；分隔，同一空的几个可接受答案用 / 分隔，"
    "如：人民/人民群众；历史。",
    "6. 难度：易、中、难（或 1、2、3），不填为“中”。",
    "7. 分类：用 / 表示层级，如 党史/新民主主义革命时期。标签：多个标签用逗号、顿号或空格分隔。",
    "8. 出处：标题｜章节｜日期｜文件，后面的部分可以省略，日期写成 2021-07-01 的形式。",
    "9. 原文摘录：题目所依据的原文段落，答题后展示给学员。",
    "10. 编号：题目的唯一编号，用于再次导入时识别同一道题；可以不填。",
    "11. 可选列“状态”：草稿、已发布、已停用，不填为“已发布”。",
    "12. 请不要使用公式，单元格内容一律按文字读取。示例行（编号以“示例”开头）导入前请删除。",
]
TYPE_CHOICES = ",".join(QUESTION_TYPES.values())
TEMPLATE_VALIDATION_ROWS = 20001


def _template_sheet(workbook: openpyxl.Workbook) -> None:
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    write_header(sheet, TEMPLATE_FIELDS)
    write_rows(sheet, TEMPLATE_EXAMPLES, TEMPLATE_FIELDS)
    last_row = TEMPLATE_VALIDATION_ROWS
    for field, choices in (("type", TYPE_CHOICES), ("difficulty", ",".join(DIFFICULTIES.values()))):
        column = get_column_letter(TEMPLATE_FIELDS.index(field) + 1)
        title = FIELD_LABELS[field]
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True,
                                    showErrorMessage=True, errorTitle=title,
                                    error=f"请从列表中选择：{choices}")
        validation.add(f"{column}2:{column}{last_row}")
        sheet.add_data_validation(validation)


def write_template(target: Target) -> None:
    """The downloadable import template: examples per type, a 说明 sheet, drop-down lists."""
    workbook = openpyxl.Workbook()
    _template_sheet(workbook)
    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width = 120
    for line in TEMPLATE_NOTES:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    workbook.save(target)

"""The app's own JSON format: {"format": "quizapp-questions", "version": 1, "questions": [...]}."""
from __future__ import annotations

import json

from question_bank.draft import QuestionDraft, RowError, SourceRef
from question_bank.readers.base import FileProblem, Limits, ReadResult, check_row_count

FORMAT = "quizapp-questions"
VERSION = 1
SOURCE_KEYS = ("title", "file", "section", "date")
_TEXT_FIELDS = {"key": "编号", "type": "题型", "stem": "题干", "explanation": "解析",
                "category": "分类", "status": "状态", "quote": "原文摘录"}
_DEFAULTS = {"explanation": "", "category": "", "status": "published", "quote": "", "key": ""}


class _Item:
    def __init__(self, item: dict, file: str, row: int) -> None:
        self.item, self.file, self.row = item, file, row
        self.errors: list[RowError] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(RowError(self.file, self.row, field, message))

    def text(self, key: str) -> str:
        value = self.item.get(key, _DEFAULTS.get(key))
        if isinstance(value, str):
            return value
        self.error(_TEXT_FIELDS[key], "缺少此项" if value is None else "应为文字")
        return ""

    def text_list(self, key: str, label: str) -> list[str]:
        value = self.item.get(key, [])
        if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
            return value
        self.error(label, "应为文字列表")
        return []

    def difficulty(self) -> int:
        value = self.item.get("difficulty", 2)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.error("难度", "应为 1、2 或 3")
        return 2

    def source(self) -> SourceRef:
        value = self.item.get("source") or {}
        if isinstance(value, dict) and all(isinstance(value.get(k, ""), str) for k in SOURCE_KEYS):
            return SourceRef(**{key: value.get(key, "") for key in SOURCE_KEYS})
        self.error("出处", "应为包含 title、file、section、date 文字的对象")
        return SourceRef()


def draft_from_dict(item: object, file: str, row: int) -> tuple[QuestionDraft | None, list[RowError]]:
    """One question of the JSON format as a draft, or None with errors when its shape is wrong."""
    if not isinstance(item, dict):
        return None, [RowError(file, row, "", "每道题应为一个 JSON 对象")]
    reader = _Item(item, file, row)
    draft = QuestionDraft(
        type=reader.text("type"), stem=reader.text("stem"),
        options=reader.text_list("options", "选项"), answer=item.get("answer"),
        explanation=reader.text("explanation"), difficulty=reader.difficulty(),
        category=reader.text("category"), tags=reader.text_list("tags", "标签"),
        status=reader.text("status"), source=reader.source(), quote=reader.text("quote"),
        key=reader.text("key"), origin_file=file, origin_row=row,
    )
    return (None if reader.errors else draft), reader.errors


def _payload(data: bytes) -> dict:
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FileProblem("JSON 文件应为 UTF-8 编码") from exc
    except json.JSONDecodeError as exc:
        raise FileProblem(f"JSON 格式有误：第{exc.lineno}行第{exc.colno}列附近") from exc
    except RecursionError as exc:
        raise FileProblem("JSON 嵌套层数太多") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise FileProblem(f"不是本系统的题目文件（format 应为「{FORMAT}」）")
    if payload.get("version") != VERSION:
        raise FileProblem(f"不支持的文件版本「{payload.get('version')}」（只支持 {VERSION}）")
    if not isinstance(payload.get("questions"), list):
        raise FileProblem("文件中缺少题目列表（questions）")
    return payload


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    questions = _payload(data)["questions"]
    check_row_count(len(questions), limits)
    if not questions:
        raise FileProblem("文件中没有题目")
    result = ReadResult()
    for row, item in enumerate(questions, start=1):
        draft, errors = draft_from_dict(item, file, row)
        result.errors.extend(errors)
        if draft is not None:
            result.drafts.append(draft)
    return result

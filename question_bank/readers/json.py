"""JSON: the app's own format ({"format": "quizapp-questions", "version": 1, "questions": [...]}),
or question records exported by another app (see records.py)."""
from __future__ import annotations

import json

from question_bank.draft import QuestionDraft, RowError, SourceRef
from question_bank.readers import records
from question_bank.readers.base import FileProblem, Limits, ReadResult, check_row_count, decode

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


def parse(data: bytes) -> object:
    """The parsed JSON of ``data`` (any text encoding we accept)."""
    try:
        return json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise FileProblem(f"JSON 格式有误：第{exc.lineno}行第{exc.colno}列附近") from exc
    except RecursionError as exc:
        raise FileProblem("JSON 嵌套层数太多") from exc


def is_own_format(payload: object) -> bool:
    return isinstance(payload, dict) and payload.get("format") == FORMAT


def _own_questions(payload: dict) -> list:
    if payload.get("version") != VERSION:
        raise FileProblem(f"不支持的文件版本「{payload.get('version')}」（只支持 {VERSION}）")
    if not isinstance(payload.get("questions"), list):
        raise FileProblem("文件中缺少题目列表（questions）")
    return payload["questions"]


def read_own(questions: list, file: str, limits: Limits) -> ReadResult:
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


def read_payload(payload: object, kind: str, file: str, mapping: dict[str, str] | None,
                 limits: Limits) -> ReadResult:
    """The app's own format as it is; anything else as records from another app."""
    if is_own_format(payload):
        return read_own(_own_questions(payload), file, limits)
    found = records.find_records(payload)
    description = records.describe(kind, payload, found)
    if found is None:
        raise FileProblem(f"不是本系统的题目文件：{description}")
    try:
        result = records.read_records(found, file, mapping, limits)
    except FileProblem as problem:
        raise FileProblem(f"{description}。{problem.message}，请在导入预览中指定哪个字段是题干、选项、答案"
                          "（命令行用 --map 字段=题干）") from problem
    result.found = description
    return result


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    return read_payload(parse(data), "JSON", file, mapping, limits)

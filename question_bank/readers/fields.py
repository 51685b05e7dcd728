"""Turn the raw text fields of one question (from any text-like format) into a QuestionDraft."""
from __future__ import annotations

from dataclasses import dataclass, field

from question_bank.draft import QUESTION_TYPES, QuestionDraft, RowError
from question_bank.readers import answers
from question_bank.readers.headers import FIELD_LABELS
from question_bank.text import canonical_blanks

TYPE_LIST = "、".join(QUESTION_TYPES.values())


@dataclass
class RawQuestion:
    """One question as text: field name -> text (see headers.FIELD_LABELS), options in order."""

    row: int
    values: dict[str, str] = field(default_factory=dict)
    options: list[str] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()


class _Builder:
    def __init__(self, raw: RawQuestion, file: str) -> None:
        self.raw = raw
        self.file = file
        self.errors: list[RowError] = []

    def error(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.file, self.raw.row, FIELD_LABELS[name], message))

    def type_of(self, default_type: str | None, options: list[str]) -> str | None:
        text = self.raw.get("type")
        if text:
            code = answers.parse_type(text)
            if code is None:
                self.error("type", f"题型「{text}」不支持（只支持{TYPE_LIST}）")
            return code
        if default_type:
            return default_type
        code = answers.infer_type(self.raw.get("answer"), self.raw.get("stem"), options)
        if code is None:
            self.error("type", f"无法判断题型，请填写「题型」（{TYPE_LIST}）")
        return code

    def answer_of(self, code: str | None, options: list[str]):
        text = self.raw.get("answer")
        if not text or code is None:
            return None
        if code == "judge":
            value = answers.parse_judge(text)
            if value is None:
                self.error("answer", f"判断题的答案「{text}」应为 对/错、√/×、正确/错误 之一")
            return value
        if code == "fill":
            return answers.parse_fill_answer(text)
        letters = answers.parse_choice_answer(text, options)
        if letters is None:
            self.error("answer", f"答案「{text}」既不是选项字母，也不是某个选项的内容")
        return letters

    def parsed(self, name: str, parse, default, expected: str):
        text = self.raw.get(name)
        value = parse(text)
        if value is None:
            self.error(name, f"无法识别「{text}」（应为 {expected}）")
            return default
        return value


def _trim_options(options: list[str]) -> list[str]:
    options = [option.strip() for option in options]
    while options and not options[-1]:
        options.pop()
    return options


def build_draft(raw: RawQuestion, file: str,
                default_type: str | None = None) -> tuple[QuestionDraft, list[RowError]]:
    """The draft for ``raw`` plus the problems met while parsing its fields."""
    builder = _Builder(raw, file)
    options = _trim_options(raw.options)
    code = builder.type_of(default_type, options)
    answer = builder.answer_of(code, options)
    if code == answers.CHOICE:
        code = "multiple" if answer and len(answer) > 1 else "single"
    stem = raw.get("stem")
    draft = QuestionDraft(
        type=code,
        stem=canonical_blanks(stem) if code == "fill" else stem,
        options=options,
        answer=answer,
        explanation=raw.get("explanation"),
        difficulty=builder.parsed("difficulty", answers.parse_difficulty, 2, "易/中/难 或 1/2/3"),
        category=answers.normalise_category(raw.get("category")),
        tags=answers.split_tags(raw.get("tags")),
        status=builder.parsed("status", answers.parse_status, "published", "草稿/已发布/已停用"),
        source=answers.parse_source(raw.get("source")),
        quote=raw.get("quote"),
        key=raw.get("key"),
        origin_file=file,
        origin_row=raw.row,
    )
    return draft, builder.errors

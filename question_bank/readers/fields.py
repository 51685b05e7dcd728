"""Turn the raw text fields of one question (from any text-like format) into a QuestionDraft."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.draft import QUESTION_TYPES, QuestionDraft, RowError
from question_bank.readers import answers
from question_bank.readers.headers import FIELD_LABELS
from question_bank.text import CANONICAL_BLANK, canonical_blanks, count_blanks

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
            code = answers.parse_type_code(text)
            if code == answers.CHOICE and not options:
                code = answers.infer_type(self.raw.get("answer"), self.raw.values.get("stem", ""), options)
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
            if value is None and not options:
                value = answers.JUDGE_BY_CODE.get(text.strip())
            if value is None:
                self.error("answer", f"判断题的答案「{text}」应为 对/错、√/×、正确/错误 之一")
            return value
        if code == "fill":
            return answers.parse_fill_answer(text, count_blanks(self.raw.values.get("stem", "")))
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


_ESCAPED_UNDERSCORES_RE = re.compile(r"(?:\\_){2,}")


def keep_stem(text: str) -> str:
    """The stem as written: escaped underscores (Markdown's \\_) become underscores, and a run of
    two or more spaces at either end is a blank, so it is kept; other surrounding space goes."""
    text = _ESCAPED_UNDERSCORES_RE.sub(lambda match: "_" * (len(match.group()) // 2), text or "")
    text = text.strip("\r\n\t")
    head = re.match(r"^[ \u3000\u00a0]{2,}", text)
    tail = re.search(r"[ \u3000\u00a0]{2,}$", text)
    core = text[head.end() if head else 0: tail.start() if tail else len(text)].strip()
    return (head.group() if head else "") + core + (tail.group() if tail else "")


_BLANK_LABEL_RE = re.compile(r"空\s*(\d{1,2})\s*[:：、.．]\s*")


def _digit_blanks(raw: RawQuestion) -> None:
    """`…最大优势是1。` with answers `空 1: 人民 空 2: …`: the digits in the stem are the blanks."""
    labels = list(_BLANK_LABEL_RE.finditer(raw.values.get("answer", "")))
    if not labels or count_blanks(raw.values.get("stem", "")):
        return
    answer = raw.values["answer"]
    ends = [label.start() for label in labels[1:]] + [len(answer)]
    texts = [answer[label.end():end].strip(" ；;，,\n") for label, end in zip(labels, ends)]
    stem, position = raw.values.get("stem", ""), 0
    for label in labels:
        digit = re.compile(rf"(?<!\d){label.group(1)}(?!\d)")
        found = digit.search(stem, position)
        if not found:
            return  # the digits are not in the stem: leave the question as it is
        stem = stem[: found.start()] + CANONICAL_BLANK + stem[found.end():]
        position = found.start() + len(CANONICAL_BLANK)
    raw.values["stem"] = stem
    raw.values["answer"] = "；".join(texts)
    raw.values.setdefault("type", "填空题")


def _judge_from_choice(raw: RawQuestion, options: list[str]) -> list[str]:
    """Two options such as 是/否, 对/错, 正确/错误: a judge question; its answer is the chosen word."""
    if len(options) != 2:
        return options
    values = [answers.parse_judge(option) for option in options]
    type_text = raw.get("type")
    code = answers.parse_type_code(type_text) if type_text else None
    if None in values or values[0] == values[1] or code not in (None, "single", "judge", answers.CHOICE):
        return options
    text = raw.get("answer")
    letters = answers.parse_choice_answer(text, options) if text else None
    if letters and len(letters) == 1 and ord(letters[0]) - ord("A") < 2:
        raw.values["answer"] = options[ord(letters[0]) - ord("A")]
    raw.values["type"] = "判断题"
    return []


def _fill_stem(stem: str, answer) -> str:
    """Blanks written as "（　）"; a fill question asked without a blank ("成立于哪一年？") and with one
    answer gets its blank at the end, as Moodle's short-answer questions do."""
    if stem.strip() and not count_blanks(stem) and answer and len(answer) == 1:
        return stem + CANONICAL_BLANK
    return canonical_blanks(stem)


def build_draft(raw: RawQuestion, file: str,
                default_type: str | None = None) -> tuple[QuestionDraft, list[RowError]]:
    """The draft for ``raw`` plus the problems met while parsing its fields."""
    builder = _Builder(raw, file)
    _digit_blanks(raw)
    options = _trim_options(raw.options)
    if default_type in (None, "judge", "single", answers.CHOICE):
        options = _judge_from_choice(raw, options)
        if not options and raw.values.get("type") == "判断题":
            default_type = None
    code = builder.type_of(default_type, options)
    answer = builder.answer_of(code, options)
    if code == answers.CHOICE:
        code = "multiple" if answer and len(answer) > 1 else "single"
    stem = keep_stem(raw.values.get("stem", ""))
    draft = QuestionDraft(
        type=code,
        stem=_fill_stem(stem, answer) if code == "fill" else stem,
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

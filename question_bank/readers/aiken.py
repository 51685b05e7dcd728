"""Moodle Aiken format: a question line, "A. …" option lines, then "ANSWER: B"."""
from __future__ import annotations

import re

from question_bank.draft import RowError
from question_bank.readers.answers import CHOICE
from question_bank.readers.base import FileProblem, Limits, ReadResult, build_all, check_row_count, decode
from question_bank.readers.fields import RawQuestion
from question_bank.readers.text import split_options

_ANSWER_RE = re.compile(r"^ANSWER\s*[:：]\s*(.*)$", re.IGNORECASE)
_PAREN_OPTION_RE = re.compile(r"^[A-Z]\)")
_LETTERS_RE = re.compile(r"^[A-Z](?:\s*[,，、]?\s*[A-Z])*$")


def looks_like_aiken(data: bytes) -> bool:
    """True when a text file has Aiken "ANSWER: X" lines."""
    try:
        text = decode(data)
    except FileProblem:
        return False
    return any(_ANSWER_RE.match(line.strip()) for line in text.splitlines())


class _Parser:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file, self.limits = file, limits
        self.questions: list[RawQuestion] = []
        self.errors: list[RowError] = []
        self.warned_paren = False
        self.warnings: list[RowError] = []
        self.current: RawQuestion | None = None

    def close(self) -> None:
        if self.current is not None:
            self.questions.append(self.current)
            check_row_count(len(self.questions), self.limits)
        self.current = None

    def answer(self, number: int, text: str) -> None:
        """Check the ANSWER line here, where its line number is known, in words a person reads."""
        current, self.current = self.current, None
        count = len(current.options)
        span = f"A–{chr(ord('A') + count - 1)} 共 {count} 个选项" if count > 1 else f"{count} 个选项"
        letters = re.sub(r"[\s,，、]", "", text.upper())
        if not _LETTERS_RE.match(text.strip().upper()) or len(set(letters)) != len(letters) or len(letters) > 8:
            message = f"第{number}行「ANSWER: {text}」应写成选项字母，如 ANSWER: B"
        elif any(ord(letter) - ord("A") >= count for letter in letters):
            message = f"第{number}行答案是 {letters}，但这道题只有 {span}"
        else:
            current.values["answer"] = text
            self.questions.append(current)
            check_row_count(len(self.questions), self.limits)
            return
        self.errors.append(RowError(self.file, current.row, "答案", message))

    def feed(self, number: int, line: str) -> None:
        answer = _ANSWER_RE.match(line)
        if answer:
            if self.current is not None:
                self.answer(number, answer.group(1).strip())
            return  # an ANSWER line with no question before it carries nothing to read
        current = self.current
        options = split_options(line, chr(ord("A") + len(current.options))) if current else None
        if options:
            self.warn_paren(number, line)
            current.options.extend(options)
        elif current is not None and not current.options:
            current.values["stem"] += "\n" + line
        else:
            self.close()  # a new question (the previous one had no ANSWER line)
            self.current = RawQuestion(row=number, values={"stem": line, "type": "选择题"})

    def warn_paren(self, number: int, line: str) -> None:
        if _PAREN_OPTION_RE.match(line) and not self.warned_paren:
            self.warned_paren = True
            self.warnings.append(RowError(self.file, number, "选项", f"选项写成了「{line[:2]}」的形式（Aiken 格式应为"
                                          f"「{line[0]}.」）；已按选项读取，请核对选项与答案是否对应"))


def parse(text: str, file: str, limits: Limits) -> _Parser:
    parser = _Parser(file, limits)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            parser.feed(number, line.strip())
    parser.close()
    return parser


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    parser = parse(decode(data), file, limits)
    if not parser.questions and not parser.errors:
        raise FileProblem("没有找到 Aiken 格式的题目")
    result = build_all([(raw, CHOICE) for raw in parser.questions], file)
    result.errors.extend(parser.errors)
    result.warnings.extend(parser.warnings)
    return result

"""Moodle Aiken format: a question line, "A. …" option lines, then "ANSWER: B"."""
from __future__ import annotations

import re

from question_bank.readers.answers import CHOICE
from question_bank.readers.base import FileProblem, Limits, ReadResult, build_all, check_row_count
from question_bank.readers.csv import decode
from question_bank.readers.fields import RawQuestion
from question_bank.readers.text import split_options

_ANSWER_RE = re.compile(r"^ANSWER\s*[:：]\s*(.*)$")


def looks_like_aiken(data: bytes) -> bool:
    """True when a text file has Aiken "ANSWER: X" lines."""
    try:
        text = decode(data)
    except FileProblem:
        return False
    return any(_ANSWER_RE.match(line.strip()) for line in text.splitlines())


class _Parser:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.questions: list[RawQuestion] = []
        self.current: RawQuestion | None = None

    def close(self) -> None:
        if self.current is not None:
            self.questions.append(self.current)
            check_row_count(len(self.questions), self.limits)
        self.current = None

    def feed(self, number: int, line: str) -> None:
        answer = _ANSWER_RE.match(line)
        if answer:
            if self.current is not None:
                self.current.values["answer"] = answer.group(1)
                self.close()
            return  # an ANSWER line with no question before it carries nothing to read
        current = self.current
        options = split_options(line, chr(ord("A") + len(current.options))) if current else None
        if options:
            current.options.extend(options)
        elif current is not None and not current.options:
            current.values["stem"] += "\n" + line
        else:
            self.close()  # a new question (the previous one had no ANSWER line)
            self.current = RawQuestion(row=number, values={"stem": line, "type": "选择题"})


def parse(text: str, limits: Limits) -> list[RawQuestion]:
    parser = _Parser(limits)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            parser.feed(number, line.strip())
    parser.close()
    return parser.questions


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    questions = parse(decode(data), limits)
    if not questions:
        raise FileProblem("没有找到 Aiken 格式的题目")
    return build_all([(raw, CHOICE) for raw in questions], file)

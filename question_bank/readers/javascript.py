"""JavaScript data files from quiz apps: `const questions = [...]`, `window.QUIZ_DATA = {...}`,
`export default {data() {return {QuestionList: [...]}}}`.

The object literals are parsed with chompjs (single quotes, unquoted keys, trailing commas);
nothing is ever evaluated.
"""
from __future__ import annotations

import re

import chompjs

from question_bank.readers import json as json_reader
from question_bank.readers import records
from question_bank.readers.base import FileProblem, Limits, ReadResult, decode

# Where a data literal may start: after "=", ":", "return" or "(", or any "[" that opens a list of objects.
_START_RE = re.compile(r"(?:=|:|\breturn\b|\()\s*([\[{])|(\[)\s*\{")
MAX_ATTEMPTS = 200


def _literals(text: str):
    """Every data literal that parses, in order of where it starts."""
    tried = 0
    for match in _START_RE.finditer(text):
        start = match.start(1) if match.group(1) else match.start(2)
        tried += 1
        if tried > MAX_ATTEMPTS:
            return
        try:
            yield chompjs.parse_js_object(text[start:])
        except (ValueError, RecursionError):
            continue


def find_payload(text: str) -> object | None:
    """The first literal holding question records (the largest list of objects wins inside it)."""
    for literal in _literals(text):
        if json_reader.is_own_format(literal) or records.find_records(literal):
            return literal
    return None


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    payload = find_payload(decode(data))
    if payload is None:
        raise FileProblem("JavaScript 文件中没有找到题目数据（应为由对象组成的数组，如 const questions = [{…}]）")
    return json_reader.read_payload(payload, "JavaScript", file, mapping, limits)

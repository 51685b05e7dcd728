"""CSV reader: the template's columns; UTF-8 (with or without BOM), UTF-16 or GB18030/GBK."""
from __future__ import annotations

import csv
import io

from question_bank.readers.base import FileProblem, Limits, ReadResult, decode
from question_bank.readers.table import TableContext, read_table, require_questions


def _dialect(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    rows = ((number, values, frozenset()) for number, values in enumerate(reader, start=1))
    try:
        result = read_table(rows, TableContext(file, mapping, limits), file)
    except csv.Error as exc:
        raise FileProblem(f"CSV 格式有误：{exc}") from exc
    return require_questions(result)

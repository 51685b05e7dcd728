"""CSV reader: the template's columns; UTF-8 (with or without BOM), UTF-16 or GB18030/GBK."""
from __future__ import annotations

import csv
import io

from question_bank.decoding import UndecodableText, decode_text
from question_bank.readers.base import FileProblem, Limits, ReadResult
from question_bank.readers.table import TableContext, read_table, require_questions


def decode(data: bytes) -> str:
    """The text of ``data`` (see question_bank.decoding); an undecodable file is a FileProblem."""
    try:
        return decode_text(data)
    except UndecodableText as exc:
        raise FileProblem(exc.message) from exc


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

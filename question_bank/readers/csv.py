"""CSV reader: the template's columns; UTF-8 (with or without BOM), UTF-16 or GB18030/GBK."""
from __future__ import annotations

import csv
import io

from question_bank.readers.base import FileProblem, Limits, ReadResult
from question_bank.readers.table import TableContext, read_table, require_questions

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> str:
    """The text of ``data``: UTF-16 by its BOM, else UTF-8 (BOM optional), else GB18030/GBK; never with NUL."""
    text = _decoded(data)
    if "\x00" in text:
        raise FileProblem("文件含有空字符（NUL，即二进制内容），不是纯文本文件，请另存为 UTF-8 文本后再导入")
    return text


def _decoded(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileProblem("文件开头标明是 UTF-16 编码，但内容无法按 UTF-16 解码") from exc
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem("无法识别文件编码：既不是 UTF-8，也不是 GB18030/GBK，请另存为 UTF-8 编码后再导入")


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

"""Read question files of every supported format into drafts, with every problem found.

``read_questions`` dispatches on the content of text files (JSON, JavaScript, Moodle XML, Markdown,
GIFT, Aiken) and otherwise on the file name's extension. Its ``errors`` already include
the validator's findings: when ``errors`` is not empty the drafts must not be imported, and
when the file as a whole is unreadable ``drafts`` is empty.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import BinaryIO, Union

from question_bank.draft import RowError
from question_bank.readers import aiken, csv, docx, gift, javascript, json, markdown, moodle, text, xlsx
from question_bank.readers.base import MIB, FileProblem, Limits, ReadResult, decode
from question_bank.validate import validate

__all__ = ["Limits", "ReadResult", "SUPPORTED_EXTENSIONS", "read_questions"]

Source = Union[str, os.PathLike, bytes, BinaryIO]


def read_json_like(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    """JSON, or a JavaScript literal saved as .json (single quotes, trailing commas)."""
    try:
        payload, kind = json.parse(data), "JSON"
    except FileProblem as problem:
        payload, kind = javascript.find_payload(decode(data)), "JavaScript"
        if payload is None:
            raise problem
    return json.read_payload(payload, kind, file, mapping, limits)


READERS = {
    ".xlsx": xlsx.read,
    ".csv": csv.read,
    ".txt": text.read,
    ".docx": docx.read,
    ".json": read_json_like,
    ".js": javascript.read,
    ".mjs": javascript.read,
    ".ts": javascript.read,
    ".vue": javascript.read,  # a Vue component whose data() returns the questions
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".xml": moodle.read,
    ".gift": gift.read,
    ".aiken": aiken.read,
}
SUPPORTED_EXTENSIONS = tuple(READERS)
_OLD_FORMATS = {".xls": ".xlsx", ".doc": ".docx", ".et": ".xlsx", ".wps": ".docx"}
_BINARY = {".xlsx", ".docx"}
_JS_MARKERS = re.compile(r"^\s*(?:export\s+default|module\.exports|(?:const|let|var)\s+\w+\s*=|window\.\w+\s*=)",
                         re.MULTILINE)
_DATA_START_RE = re.compile(r"^(?:\[\s*[\[{\"'\]]|\{\s*[\"'\w$}])")
_GIFT_MARKERS = re.compile(r"^\s*::[^:]+::|(?<!\\)\{\s*(?:[=~]|T\s*\}|F\s*\}|TRUE|FALSE)", re.MULTILINE)


def sniff(data: bytes):
    """The reader a text file's content asks for, whatever its name says (None: no clear sign)."""
    try:
        head = decode(data[:65536]) if len(data) > 65536 else decode(data)
    except FileProblem:
        return None
    start = head.lstrip("\ufeff \t\r\n")
    if start.startswith("<?xml") or moodle.looks_like_moodle(start):
        return moodle.read
    if _DATA_START_RE.match(start):
        return read_json_like
    if _JS_MARKERS.search(head[:4000]):
        return javascript.read
    if markdown.looks_like_markdown(head):
        return markdown.read
    if _GIFT_MARKERS.search(head):
        return gift.read
    if aiken.looks_like_aiken(data):
        return aiken.read
    return None


def _load_bytes(source: Source, limits: Limits) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.stat().st_size > limits.max_bytes:
            _refuse_size(path.stat().st_size, limits)
        data = path.read_bytes()
    else:
        data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        _refuse_size(len(data), limits)
    if not data.strip():
        raise FileProblem("文件是空的")
    return data


def _refuse_size(size: int, limits: Limits) -> None:
    raise FileProblem(f"文件太大（{size / MIB:.1f} MiB），最多 {limits.max_bytes / MIB:.1f} MiB")


def _reader_for(filename: str, data: bytes):
    """By name, except that a .txt is read as what its content is (GIFT, Aiken, Markdown, JSON, …)."""
    name = filename.lower()
    extension = Path(name).suffix
    if extension in _OLD_FORMATS:
        raise FileProblem(f"不支持旧版 {extension} 格式，请在 Office/WPS 中另存为 {_OLD_FORMATS[extension]}")
    if extension not in READERS:
        raise FileProblem(
            f"不支持的文件类型「{extension or filename}」（支持 {' '.join(SUPPORTED_EXTENSIONS)}）")
    if extension in _BINARY or extension == ".csv":
        return READERS[extension]
    if name.endswith(".gift.txt"):
        return gift.read
    if extension != ".txt":
        return READERS[extension]
    return sniff(data) or READERS[extension]


def _merge_validation(result: ReadResult, file: str) -> ReadResult:
    """Add the validator's findings, except where parsing already reported that row and field."""
    reported = {(error.row, error.field) for error in result.errors}
    for error in validate(result.drafts):
        if (error.row, error.field) not in reported:
            result.errors.append(error)
    file_order = {name: index for index, name in enumerate(dict.fromkeys(e.file for e in result.errors))}
    result.errors.sort(key=lambda error: (file_order[error.file], error.row))
    return result


def read_questions(source: Source, filename: str, mapping: dict[str, str] | None = None,
                   limits: Limits | None = None) -> ReadResult:
    """Read ``source`` (path, bytes or binary stream) named ``filename`` into drafts and problems."""
    limits = limits or Limits()
    display = Path(filename).name
    try:
        _reader_for(filename, b"")  # refuse an unsupported name before reading the file
        data = _load_bytes(source, limits)
        reader = _reader_for(filename, data)
        result = reader(data, display, mapping, limits)
    except FileProblem as problem:
        return ReadResult(errors=[RowError(display, 0, "", problem.message)])
    return _merge_validation(result, display)

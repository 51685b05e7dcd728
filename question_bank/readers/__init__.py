"""Read question files of every supported format into drafts, with every problem found.

``read_questions`` dispatches on the file name's extension. Its ``errors`` already include
the validator's findings: when ``errors`` is not empty the drafts must not be imported, and
when the file as a whole is unreadable ``drafts`` is empty.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, Union

from question_bank.draft import RowError
from question_bank.readers import aiken, csv, docx, gift, json, text, xlsx
from question_bank.readers.base import MIB, FileProblem, Limits, ReadResult
from question_bank.validate import validate

__all__ = ["Limits", "ReadResult", "SUPPORTED_EXTENSIONS", "read_questions"]

Source = Union[str, os.PathLike, bytes, BinaryIO]


def _read_text_or_aiken(data, file, mapping, limits):
    reader = aiken if aiken.looks_like_aiken(data) else text
    return reader.read(data, file, mapping, limits)


READERS = {
    ".xlsx": xlsx.read,
    ".csv": csv.read,
    ".txt": _read_text_or_aiken,
    ".docx": docx.read,
    ".json": json.read,
    ".gift": gift.read,
    ".aiken": aiken.read,
}
SUPPORTED_EXTENSIONS = tuple(READERS)
_OLD_FORMATS = {".xls": ".xlsx", ".doc": ".docx", ".et": ".xlsx", ".wps": ".docx"}


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


def _reader_for(filename: str):
    extension = Path(filename).suffix.lower()
    if extension in _OLD_FORMATS:
        raise FileProblem(f"不支持旧版 {extension} 格式，请在 Office/WPS 中另存为 {_OLD_FORMATS[extension]}")
    if extension not in READERS:
        raise FileProblem(
            f"不支持的文件类型「{extension or filename}」（支持 {' '.join(SUPPORTED_EXTENSIONS)}）")
    return READERS[extension]


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
        reader = _reader_for(filename)
        data = _load_bytes(source, limits)
        result = reader(data, display, mapping, limits)
    except FileProblem as problem:
        return ReadResult(errors=[RowError(display, 0, "", problem.message)])
    return _merge_validation(result, display)

"""Shapes shared by all readers: limits, the result, and the file-level failure."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from question_bank.decoding import UndecodableText, decode_text
from question_bank.draft import QUESTION_TYPES, QuestionDraft, RowError
from question_bank.readers.fields import RawQuestion, build_draft

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much a reader accepts before refusing a file."""

    max_bytes: int = 10 * MIB
    max_rows: int = 20000
    max_unzipped_bytes: int = 200 * MIB  # declared total size of a .xlsx/.docx's parts
    max_compression_ratio: int = 100  # per part larger than 1 MiB
    # Rows and cells streamed through in an .xlsx's sheets (or a .docx's tables), empty ones included.
    max_sheet_rows: int = 100_000
    max_cells: int = 2_000_000


@dataclass
class ReadResult:
    """What a file held: drafts, every problem found, and headers nobody recognised.

    ``field_map`` says which column or field of the file became which question field (only for
    structured files: spreadsheets, JSON, JavaScript); ``warnings`` are things the admin should
    know that do not stop the import (skipped question types, guesses made); ``found`` describes
    a file from another app in one Chinese sentence.
    """

    drafts: list[QuestionDraft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    field_map: dict[str, str] = field(default_factory=dict)
    found: str = ""

    def counts_by_type(self) -> dict[str, int]:
        """Number of drafts per type code, in the order of QUESTION_TYPES."""
        counts = Counter(draft.type for draft in self.drafts)
        return {code: counts[code] for code in QUESTION_TYPES if counts[code]}

    @property
    def ok(self) -> bool:
        return not self.errors


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is Chinese and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode(data: bytes) -> str:
    """The text of ``data`` (see question_bank.decoding); an undecodable file is a FileProblem."""
    try:
        return decode_text(data)
    except UndecodableText as exc:
        raise FileProblem(exc.message) from exc


def check_row_count(count: int, limits: Limits) -> None:
    """Refuse a file with more questions than limits.max_rows."""
    if count > limits.max_rows:
        raise FileProblem(f"题目太多：超过 {limits.max_rows} 道，请分成几个文件导入")


def build_all(raws: list[tuple[RawQuestion, str | None]], file: str) -> ReadResult:
    """Drafts and parsing problems for raw questions, each with its default type."""
    result = ReadResult()
    for raw, default_type in raws:
        draft, errors = build_draft(raw, file, default_type)
        result.drafts.append(draft)
        result.errors.extend(errors)
    return result

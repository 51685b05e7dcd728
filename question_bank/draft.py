"""The one in-memory shape every reader produces and every writer consumes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# code -> UI name; the order is the order types are shown in.
QUESTION_TYPES = {
    "single": "单选题",
    "multiple": "多选题",
    "judge": "判断题",
    "fill": "填空题",
}
DIFFICULTIES = {1: "易", 2: "中", 3: "难"}
STATUSES = {"draft": "草稿", "published": "已发布", "retired": "已停用"}
OPTION_LETTERS = "ABCDEFGH"
MAX_OPTIONS = len(OPTION_LETTERS)

# The answer keeps the shape of the JSON format:
#   single / multiple: list of option letters, e.g. ["B"] or ["A", "C"]
#   judge: True or False
#   fill: one list of accepted answers per blank, e.g. [["人民", "人民群众"], ["历史"]]
Answer = Union[list[str], bool, list[list[str]], None]


@dataclass
class SourceRef:
    """Where a question comes from: a source text and its place."""

    title: str = ""
    file: str = ""
    section: str = ""
    date: str = ""  # ISO date, e.g. 2021-06-21


@dataclass
class QuestionDraft:
    """A question as read from a file or generated, not yet in the database."""

    type: str | None
    stem: str
    options: list[str] = field(default_factory=list)
    answer: Answer = None
    explanation: str = ""
    difficulty: int = 2
    category: str = ""  # a path such as "党史/百年奋斗"
    tags: list[str] = field(default_factory=list)
    status: str = "published"
    source: SourceRef = field(default_factory=SourceRef)
    quote: str = ""  # 原文摘录: the exact passage the question is drawn from
    key: str = ""  # stable external key for idempotent re-import
    # Where the draft was read from, for error messages: file name and row/item number.
    origin_file: str = ""
    origin_row: int = 0


@dataclass(frozen=True)
class RowError:
    """One problem found in an input: file, row or item number, field, Chinese message."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        place = f"第{self.row}行" if self.row else ""
        place += f"「{self.field}」" if self.field else ""
        where = " ".join(part for part in (self.file, place) if part)
        return f"{where}：{self.message}" if where else self.message

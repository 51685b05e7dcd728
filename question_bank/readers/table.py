"""Rows of a table (xlsx sheet or csv) -> raw questions, shared by the xlsx and csv readers."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from question_bank.draft import RowError
from question_bank.readers.base import FileProblem, Limits, ReadResult, build_all, check_row_count
from question_bank.readers.fields import RawQuestion
from question_bank.readers.headers import FIELD_LABELS, ColumnMap, count_recognised, map_headers
from question_bank.text import clean_cell

HEADER_SEARCH_ROWS = 5  # a title row or two may sit above the header row

# One table row: its 1-based number, its cell values, and the columns holding formulas.
Row = tuple[int, Sequence[object], frozenset[int]]


@dataclass
class TableContext:
    file: str
    mapping: dict[str, str] | None
    limits: Limits
    rows_read: int = 0  # data rows read so far, across sheets


def _is_empty(values: Sequence[object]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _find_header(rows: Iterable[Row], mapping: dict[str, str] | None) -> tuple[Row | None, list[Row]]:
    """The header row (best of the first few non-empty rows) and the data rows read past it."""
    seen: list[Row] = []
    for row in rows:
        if _is_empty(row[1]):
            continue
        seen.append(row)
        if count_recognised(list(row[1]), mapping) >= 2:
            return row, []
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        return None, []
    return seen[0], seen[1:]


class _RowPlan:
    """Where each field sits in a row, worked out once per table rather than once per row."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.fields = [(name, index) for name, index in columns.items()
                       if not name.startswith("option_")]
        positions = {ord(name[-1]) - ord("a"): index
                     for name, index in columns.items() if name.startswith("option_")}
        self.options = [positions.get(position) for position in range(max(positions, default=-1) + 1)]

    def raw_question(self, number: int, values: Sequence[object]) -> RawQuestion:
        width = len(values)
        raw = RawQuestion(row=number)
        raw.values = {name: clean_cell(values[index]) if index < width else ""
                      for name, index in self.fields}
        raw.options = [clean_cell(values[index]) if index is not None and index < width else ""
                       for index in self.options]
        return raw


def _formula_errors(number: int, formulas: frozenset[int], columns: ColumnMap,
                    file: str) -> list[RowError]:
    return [RowError(file, number, FIELD_LABELS[name], "含公式，请把公式改成文字或数值后再导入")
            for name, index in columns.columns.items() if index in formulas]


def read_table(rows: Iterable[Row], context: TableContext, file: str,
               default_type: str | None = None) -> ReadResult:
    """Read one table; ``file`` names it in errors (file name, plus sheet name if several)."""
    rows = iter(rows)
    header, pending = _find_header(rows, context.mapping)
    if header is None:
        return ReadResult()  # an empty sheet; a file with no question at all is refused later
    columns = map_headers(list(header[1]), context.mapping, file, header[0])
    result = ReadResult(errors=list(columns.errors), unknown_headers=columns.unknown_headers)
    if columns.errors:
        return result
    plan = _RowPlan(columns.columns)
    raws = []
    for number, values, formulas in chain(pending, rows):
        if _is_empty(values):
            continue
        context.rows_read += 1
        check_row_count(context.rows_read, context.limits)
        if formulas:  # a formula's text is no answer: report it and read the cell as empty
            result.errors.extend(_formula_errors(number, formulas, columns, file))
            values = [None if index in formulas else value for index, value in enumerate(values)]
        raws.append((plan.raw_question(number, values), default_type))
    built = build_all(raws, file)
    result.drafts = built.drafts
    result.errors.extend(built.errors)
    return result


def require_questions(result: ReadResult) -> ReadResult:
    """Turn a readable file without a single question into an error."""
    if not result.drafts and not result.errors:
        raise FileProblem("文件中没有题目")
    return result

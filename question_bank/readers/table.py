"""Rows of a table (xlsx sheet or csv) -> raw questions, shared by the xlsx and csv readers."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from question_bank.draft import OPTION_LETTERS, RowError
from question_bank.readers.base import FileProblem, Limits, ReadResult, build_all, check_row_count
from question_bank.readers.fields import RawQuestion
from question_bank.readers.headers import FIELD_LABELS, IGNORE, ColumnMap, count_recognised, map_headers
from question_bank.readers.records import is_true_flag, options_from_stem, split_joined_options, strip_letter
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


def has_header(rows: Iterable[Row], mapping: dict[str, str] | None) -> bool | None:
    """Whether a table's first rows hold a header of question fields (None: the table is empty)."""
    header, _ = _find_header(rows, mapping)
    return None if header is None else count_recognised(list(header[1]), mapping) >= 2


def _stem_cell(value: object) -> str:
    """The stem cell as written (leading and trailing blanks may be the question's blank)."""
    return "" if value is None else clean_cell(value) if not isinstance(value, str) else value


class _RowPlan:
    """Where each field sits in a row, worked out once per table rather than once per row."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.fields = [(name, index) for name, index in columns.items()
                       if not name.startswith("option_") and name not in ("options", "correct")]
        self.joined_options = columns.get("options")
        positions = {ord(name[-1]) - ord("a"): index
                     for name, index in columns.items() if name.startswith("option_")}
        self.options = [positions.get(position) for position in range(max(positions, default=-1) + 1)]

    def raw_question(self, number: int, values: Sequence[object]) -> RawQuestion:
        width = len(values)
        raw = RawQuestion(row=number)
        raw.values = {name: (_stem_cell if name == "stem" else clean_cell)(values[index]) if index < width else ""
                      for name, index in self.fields}
        raw.options = [clean_cell(values[index]) if index is not None and index < width else ""
                       for index in self.options]
        joined = self.cell(values, self.joined_options)
        if joined and not any(raw.options):
            raw.options = split_joined_options(joined)
        options_from_stem(raw)
        return raw

    @staticmethod
    def cell(values: Sequence[object], index: int | None) -> str:
        return clean_cell(values[index]) if index is not None and index < len(values) else ""


class _OptionRows:
    """Exam-system sheets with one row per option: the question's id (or stem) repeats on each
    row, an option column holds that row's option and an is-correct column marks the answers."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.columns = columns
        self.group_by = columns.get("key", columns.get("stem"))
        self.current: RawQuestion | None = None
        self.group = ""

    def add(self, plan: _RowPlan, number: int, values: Sequence[object]) -> RawQuestion | None:
        """Feed one row; returns the previous question when this row starts a new one."""
        group = _RowPlan.cell(values, self.group_by)
        option = _RowPlan.cell(values, self.columns.get("options"))
        finished = None
        if self.current is None or (group and group != self.group):
            finished = self.finish()
            self.current = RawQuestion(row=number, values={name: (_stem_cell if name == "stem" else clean_cell)(
                values[index]) if index < len(values) else "" for name, index in plan.fields})
            self.group = group
        if option:
            self.current.options.append(strip_letter(option, len(self.current.options)))  # "A.民主集中制"
            if is_true_flag(_RowPlan.cell(values, self.columns["correct"])) and not self.current.values.get("answer"):
                self.current.values.setdefault("flagged", "")
                self.current.values["flagged"] += OPTION_LETTERS[min(len(self.current.options), 8) - 1]
        return finished

    def finish(self) -> RawQuestion | None:
        raw, self.current = self.current, None
        if raw is not None and not raw.values.get("answer"):
            raw.values["answer"] = raw.values.pop("flagged", "")
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
    option_rows = _OptionRows(columns.columns) if "correct" in columns.columns else None
    raws = []
    for number, values, formulas in chain(pending, rows):
        if _is_empty(values):
            continue
        context.rows_read += 1
        check_row_count(context.rows_read, context.limits)
        if formulas:  # a formula's text is no answer: report it and read the cell as empty
            result.errors.extend(_formula_errors(number, formulas, columns, file))
            values = [None if index in formulas else value for index, value in enumerate(values)]
        if option_rows is None:
            raws.append((plan.raw_question(number, values), default_type))
        elif finished := option_rows.add(plan, number, values):
            raws.append((finished, default_type))
    if option_rows is not None and (finished := option_rows.finish()):
        raws.append((finished, default_type))
    result.field_map = {_header_of(header[1], index): name for name, index in columns.columns.items()}
    result.field_map.update(dict.fromkeys(columns.ignored, IGNORE))
    built = build_all(raws, file)
    _drop_running_numbers(built.drafts)
    result.drafts = built.drafts
    result.errors.extend(built.errors)
    return result


def _drop_running_numbers(drafts: list) -> None:
    """A 题号/序号 column counting 1, 2, 3, … is the row's number in this file, not a stable key: kept,
    two files numbered alike would be taken for the same questions."""
    if drafts and [draft.key for draft in drafts] == [str(number) for number in range(1, len(drafts) + 1)]:
        for draft in drafts:
            draft.key = ""


def _header_of(cells: Sequence[object], index: int) -> str:
    return str(cells[index]).strip() if index < len(cells) and cells[index] is not None else ""


def require_questions(result: ReadResult) -> ReadResult:
    """Turn a readable file without a single question into an error."""
    if not result.drafts and not result.errors:
        raise FileProblem("文件中没有题目")
    return result

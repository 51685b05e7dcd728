"""The drafting quality report: draft every text of a folder, count the drafts by type and by the
structure they come from, write a sheet for a person to mark each draft, and measure the rate
of drafts marked correct.

A mark is "correct" (right key, one defensible answer, distractors clearly wrong, the stem
stands alone), "flawed" (usable after an edit) or "wrong". Marks are keyed by text file and
draft id (the draft's stable key), so they hold across runs while the drafts stay the same.
"""
from __future__ import annotations

import csv
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from question_bank.draft import OPTION_LETTERS, QUESTION_TYPES, QuestionDraft, SourceRef
from question_bank.generate import Drafting, draft_text
from question_bank.spreadsheet import append_row

MARKS = ("correct", "flawed", "wrong")
SHEET_FIELDS = ["file", "draft_id", "type", "structure", "stem", "options", "answer", "change",
                "quote", "mark", "reason"]
STRUCTURE_NAMES = {"list": "列举", "definition": "定义", "event": "事件", "chain": "以…为…",
                   "statements": "多条表述", "post": "任职", "formulation": "提法",
                   "number": "数字"}
FOUND_NAMES = {"lists": "列举", "definitions": "定义", "events": "事件", "chains": "以…为…",
               "posts": "任职", "formulations": "提法", "numbers": "数字"}
CHARS_PER_DRAFT = 150  # the density target: one draft per 150 characters


@dataclass
class TextReport:
    file: str
    chars: int
    seconds: float
    drafting: Drafting

    def by_type(self) -> Counter:
        return Counter(draft.type for draft in self.drafting.drafts)

    def by_structure(self) -> Counter:
        return Counter(self.drafting.notes[d.key]["structure"] for d in self.drafting.drafts)

    def true_judges(self) -> tuple[int, int]:
        judges = [d for d in self.drafting.drafts if d.type == "judge"]
        return sum(d.answer is True for d in judges), len(judges)


def draft_folder(folder: str | Path) -> list[TextReport]:
    """Draft every .txt file of ``folder`` (in name order)."""
    reports = []
    for path in sorted(Path(folder).iterdir()):
        if path.suffix.lower() != ".txt" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8-sig")
        started = time.perf_counter()
        drafting = draft_text(text, SourceRef(title=path.stem, file=path.name))
        reports.append(TextReport(path.name, len(text), time.perf_counter() - started, drafting))
    return reports


def summary_lines(reports: list[TextReport]) -> list[str]:
    """One line per text and a total: drafts by type and by structure, density, 判断 keys."""
    lines = []
    for report in reports:
        types = " ".join(f"{QUESTION_TYPES[t]}{n}" for t, n in sorted(report.by_type().items(),
                                                                        key=_type_order))
        structures = " ".join(f"{STRUCTURE_NAMES.get(s, s)}{n}"
                              for s, n in report.by_structure().items())
        drafts = len(report.drafting.drafts)
        needed = report.chars / CHARS_PER_DRAFT
        found = "、".join(f"{FOUND_NAMES[k]}{v}" for k, v in report.drafting.found.items() if v)
        lines.append(f"{report.file}：{report.chars} 字，{drafts} 道（目标 {needed:.0f}），"
                     f"{types or '无'}；来自 {structures or '无'}；读到 {found or '无'}；"
                     f"{report.seconds * 1000:.0f} ms")
    drafts = [d for r in reports for d in r.drafting.drafts]
    true, judges = (sum(x) for x in zip(*(r.true_judges() for r in reports))) if reports else (0, 0)
    types = Counter(d.type for d in drafts)
    lines.append(f"合计 {len(reports)} 篇 {len(drafts)} 道："
                 + " ".join(f"{QUESTION_TYPES[t]}{n}" for t, n in sorted(types.items(),
                                                                         key=_type_order))
                 + (f"；判断题答案为“对”的 {true}/{judges}" if judges else ""))
    return lines


def _type_order(item: tuple[str, int]) -> int:
    return list(QUESTION_TYPES).index(item[0])


def sheet_rows(reports: list[TextReport], marks: dict | None = None) -> list[dict[str, str]]:
    """One row per draft, with its mark and reason when ``marks`` has them."""
    rows = []
    for report in reports:
        for draft in report.drafting.drafts:
            note = report.drafting.notes[draft.key]
            mark, reason = (marks or {}).get((report.file, draft.key), ("", ""))
            rows.append({"file": report.file, "draft_id": draft.key,
                         "type": QUESTION_TYPES[draft.type],
                         "structure": STRUCTURE_NAMES.get(note["structure"], note["structure"]),
                         "stem": draft.stem, "options": _options(draft),
                         "answer": _answer(draft), "change": note.get("change", ""),
                         "quote": draft.quote, "mark": mark, "reason": reason})
    return rows


def _options(draft: QuestionDraft) -> str:
    return " ".join(f"{OPTION_LETTERS[i]}.{option}" for i, option in enumerate(draft.options))


def _answer(draft: QuestionDraft) -> str:
    if draft.type == "judge":
        return "对" if draft.answer else "错"
    if draft.type == "fill":
        return "；".join("/".join(words) for words in draft.answer)
    return "".join(draft.answer)


def write_sheet(rows: list[dict[str, str]], path: str | Path) -> None:
    """The marking sheet as .xlsx (by suffix) or .csv (UTF-8 with BOM, for Excel)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "标注"
        append_row(sheet, SHEET_FIELDS)
        for row in rows:
            append_row(sheet, [row[name] for name in SHEET_FIELDS])
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, SHEET_FIELDS)
        writer.writeheader()
        writer.writerows(rows)


def read_marks(path: str | Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(file, draft id) -> (mark, reason) from a marks CSV (columns file, draft_id, mark,
    reason); a mark that is not one of MARKS is an error naming the row."""
    marks = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row["mark"] not in MARKS:
                raise ValueError(f"{Path(path).name} 第{number}行：标注应为 {'/'.join(MARKS)}，"
                                 f"不是「{row['mark']}」")
            marks[(row["file"], row["draft_id"])] = (row["mark"], row.get("reason", ""))
    return marks


@dataclass
class Rates:
    counts: Counter = field(default_factory=Counter)
    unmarked: list[tuple[str, str]] = field(default_factory=list)

    @property
    def marked(self) -> int:
        return sum(self.counts[mark] for mark in MARKS)

    def share(self, mark: str) -> float:
        return self.counts[mark] / self.marked if self.marked else 0.0


def measure(reports: list[TextReport], marks: dict) -> Rates:
    """How the drafts of ``reports`` are marked; drafts without a mark are listed."""
    rates = Rates()
    for report in reports:
        for draft in report.drafting.drafts:
            found = marks.get((report.file, draft.key))
            if found:
                rates.counts[found[0]] += 1
            else:
                rates.unmarked.append((report.file, draft.key))
    return rates

"""Word .docx reader: paragraphs become lines of the numbered text format.

Word's automatic list numbering ("1." drawn by Word, not typed) is rendered back into the
text. A document whose table has template headers (题干, 答案, …) is read as a table.
"""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from question_bank.readers import text
from question_bank.readers.archive import check_office_file
from question_bank.readers.base import FileProblem, Limits, ReadResult
from question_bank.readers.headers import count_recognised
from question_bank.readers.table import TableContext, read_table, require_questions

CORRUPT = "Word 文件已损坏或不是有效的 .docx 文件，无法读取"
_FORMATS = {
    "decimal": str,
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
    "decimalEnclosedParen": lambda n: f"({n})",
}


def _attr(element, *names: str) -> str | None:
    """The w:val of the descendant reached through ``names`` (e.g. "w:pPr", "w:numPr", "w:numId")."""
    found = element.find("/".join(qn(name) for name in names))
    return found.get(qn("w:val")) if found is not None else None


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def _style_numbering(document) -> dict[str, tuple[str, str]]:
    """Style id -> (numId, ilvl) for list styles such as "List Number", following basedOn."""
    styles = {style.get(qn("w:styleId")): style
              for style in document.styles.element.findall(qn("w:style"))}

    def lookup(style_id: str | None, depth: int = 0) -> tuple[str, str] | None:
        style = styles.get(style_id)
        if style is None or depth > 5:
            return None
        num_id = _attr(style, "w:pPr", "w:numPr", "w:numId")
        if num_id:
            return num_id, _attr(style, "w:pPr", "w:numPr", "w:ilvl") or "0"
        return lookup(_attr(style, "w:basedOn"), depth + 1)

    return {style_id: found for style_id in styles if (found := lookup(style_id))}


class _Numbering:
    """Renders Word's automatic numbering (decimal and letter formats) as typed text."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        self.by_style = _style_numbering(document)
        root = document.part.numbering_part.element
        abstracts = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            abstract = abstracts.get(_attr(num, "w:abstractNumId"))
            if abstract is None:
                continue
            for level in abstract.findall(qn("w:lvl")):
                key = (num.get(qn("w:numId")), level.get(qn("w:ilvl")))
                start = _number(_attr(level, "w:start"), 1)
                number_format = _attr(level, "w:numFmt") or ""
                self.levels[key] = (number_format, _attr(level, "w:lvlText") or "", start)

    def _key(self, paragraph) -> tuple[str, str] | None:
        num_id = _attr(paragraph, "w:pPr", "w:numPr", "w:numId")
        if num_id:
            return num_id, _attr(paragraph, "w:pPr", "w:numPr", "w:ilvl") or "0"
        return self.by_style.get(_attr(paragraph, "w:pPr", "w:pStyle"))

    def prefix(self, paragraph) -> str:
        key = self._key(paragraph)
        if key not in self.levels:
            return ""
        number_format, level_text, start = self.levels[key]
        for other in [k for k in self.counters if k[0] == key[0] and k[1] > key[1]]:
            del self.counters[other]  # a deeper list restarts under each new item
        self.counters[key] = self.counters.get(key, start - 1) + 1
        render = _FORMATS.get(number_format)
        if render is None or "%" not in level_text:
            return ""
        return level_text.replace(f"%{_number(key[1], 0) + 1}", render(self.counters[key])) + " "


def _paragraph_lines(document) -> list[str]:
    numbering = _Numbering(document)
    lines: list[str] = []
    for paragraph in document.element.body.iter(qn("w:p")):
        content = Paragraph(paragraph, None).text
        lines.extend((numbering.prefix(paragraph) + content).split("\n"))
    return lines


def _question_table(document, mapping):
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and count_recognised(rows[0], mapping) >= 2:
            return rows
    return None


def _open(data: bytes, limits: Limits):
    check_office_file(data, "Word", ".doc", limits)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise FileProblem(CORRUPT) from exc


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    document = _open(data, limits)
    table = _question_table(document, mapping)
    if table is not None:
        rows = ((number, values, frozenset()) for number, values in enumerate(table, start=1))
        return require_questions(read_table(rows, TableContext(file, mapping, limits), file))
    return text.read_lines(_paragraph_lines(document), file, limits)

"""Markdown (.md) question banks, turned into lines of the numbered text format.

Two layouts are common:

    ### 第 1 题 [单选题]                 1. 中共一大在哪里召开？ *C*
    中共一大在（ ）召开。                + 北京
    - A. 北京                            + 上海
    - B. 上海                            + **嘉兴**
    **正确答案**: B

Markup is removed (headings, bullets, bold, escapes such as ``\\_``, HTML tags such as a
``<details><summary>查看答案</summary>`` fold, whose summary becomes the 答案 label); a bold bullet
marks a correct option, an italic letter after the stem is the answer when no bullet is bold.
A bank written as pipe tables (``| 题目 | 选项A | … | 答案 |``) is read like a spreadsheet, each
table with the type of the heading above it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from question_bank.draft import OPTION_LETTERS
from question_bank.readers import text
from question_bank.readers.answers import parse_type
from question_bank.readers.base import Limits, ReadResult, decode
from question_bank.readers.headers import count_recognised
from question_bank.readers.table import Row, TableContext, read_table, require_questions

_HEADING_QUESTION_RE = re.compile(
    r"^#{1,6}\s*(?:第\s*(\d{1,5})\s*题|(\d{1,5})\s*[.、．)）]|(\d{1,3})(?=\s))\s*(?:[\[【(（]\s*([^\]】)）]{1,10})\s*[\]】)）])?\s*(.*)$")
_NUMBERED_RE = re.compile(r"^(\d{1,5})\s*[.、．)）]\s*(.*)$")
_BULLET_RE = re.compile(r"^\s*[-+*]\s+(\[[ xX]\]\s*)?(.*)$")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC_ANSWER_RE = re.compile(r"\s*(?<!\*)\*\s*([A-Za-z]{1,8}|对|错|√|×|正确|错误)\s*\*(?!\*)\s*$")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_LETTERED_RE = re.compile(r"^[(（]?([A-HＡ-Ｈ])\s*[.、．:：)）]")
_ANSWER_SUMMARY_RE = re.compile(r"<summary[^>]*>[^<]*答案[^<]*</summary>", re.IGNORECASE)
_HTML_TAG_RE = re.compile(r"</?(?:details|summary|p|div|span|br|b|strong|em|i|u|font|center)\b[^>]*>",
                          re.IGNORECASE)
_TABLE_ROW_RE = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE_RE = re.compile(r"^[\s|:\-]*-{3,}[\s|:\-]*$")
_CELL_SEPARATOR_RE = re.compile(r"(?<!\\)\|")
_BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def plain(line: str) -> str:
    """A line without Markdown markup: bold, escapes, quote marks, heading marks, HTML tags."""
    line = _HTML_TAG_RE.sub("", _ANSWER_SUMMARY_RE.sub("答案：", line))
    line = _BOLD_RE.sub(lambda match: match.group(1) or match.group(2), line)
    line = re.sub(r"^\s*>\s?", "", line)
    return _ESCAPE_RE.sub(r"\1", line).rstrip()


@dataclass
class _Converter:
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    bullets: int = 0  # bullet options of the current question
    bold: list[str] = field(default_factory=list)
    italic: str = ""
    answered: bool = False
    last: int = 0

    def emit(self, number: int, line: str) -> None:
        self.lines.append(line)
        self.numbers.append(number)
        self.last = number

    def close(self) -> None:
        """The answer from bold bullets (or the italic letters) once the question is over."""
        answer = "".join(self.bold) or self.italic
        if answer and not self.answered:
            self.emit(self.last, f"答案：{answer}")
        self.bullets, self.bold, self.italic, self.answered = 0, [], "", False

    def question(self, number: int, index: str, kind: str | None, stem: str) -> None:
        self.close()
        italic = _ITALIC_ANSWER_RE.search(stem)
        if italic:
            self.italic, stem = italic.group(1).upper(), stem[: italic.start()]  # "*C*", or "*错*" for a judge
        self.emit(number, f"{index}. {plain(stem)}")
        if kind:
            self.emit(number, f"题型：{kind}")

    def lettered(self, number: int, body: str, checked: bool = False) -> bool:
        """An option written with its letter ("B. 上海"); in bold ("**B. 上海**") or ticked it is a correct one."""
        lettered = _LETTERED_RE.match(plain(body))
        if lettered:
            if checked or _BOLD_RE.fullmatch(body.strip()):
                self.bold.append(unicodedata.normalize("NFKC", lettered.group(1)).upper())
            self.emit(number, plain(body))
        return bool(lettered)

    def bullet(self, number: int, body: str, checked: bool) -> None:
        """An option; a bold one, or a ticked task-list box "- [x]", is a correct one."""
        if self.lettered(number, body, checked):
            return
        letter = OPTION_LETTERS[self.bullets % len(OPTION_LETTERS)]
        if checked or _BOLD_RE.fullmatch(body.strip()):
            self.bold.append(letter)
        self.bullets += 1
        self.emit(number, f"{letter}. {plain(body)}")

    def line(self, number: int, line: str) -> None:
        heading = _HEADING_QUESTION_RE.match(line)
        numbered = None if heading else _NUMBERED_RE.match(plain(line))  # "**1.** 题干" too
        bullet = None if heading or numbered else _BULLET_RE.match(line)
        if heading:
            self.question(number, heading.group(1) or heading.group(2) or heading.group(3), heading.group(4),
                          heading.group(5))
        elif numbered:
            self.question(number, numbered.group(1), None, numbered.group(2))
        elif bullet:
            self.bullet(number, bullet.group(2), (bullet.group(1) or "").strip().lower() == "[x]")
        elif line.lstrip().startswith("#"):
            self.close()
            self.emit(number, plain(line.lstrip("# ")))  # a section heading such as "## 一、单选题"
        elif not self.lettered(number, line):
            content = plain(line)
            self.answered = self.answered or bool(text.split_labels(content.strip()) and "答案" in content)
            self.emit(number, content)


def to_lines(source: str) -> tuple[list[str], list[int]]:
    """The text-format lines of a Markdown bank and each one's line number in the file."""
    converter = _Converter()
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() and not re.fullmatch(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*", line):
            converter.line(number, line)
    converter.close()
    return converter.lines, converter.numbers


def looks_like_markdown(source: str) -> bool:
    """Headings naming questions, or bullet options, in the first lines of a text."""
    head = source.splitlines()[:200]
    return any(_HEADING_QUESTION_RE.match(line) for line in head) or (
        sum(1 for line in head if _BULLET_RE.match(line)) >= 2
        and any("**" in line or "[x]" in line.lower() for line in head))


def _tables(source: str) -> list[tuple[str | None, list[Row]]]:
    """Each pipe table's rows (separator row left out), with the type named by the heading above it."""
    tables: list[tuple[str | None, list[Row]]] = []
    heading_type, previous = None, 0
    for number, line in enumerate(source.splitlines(), start=1):
        row = _TABLE_ROW_RE.match(line)
        if not row:
            if line.lstrip().startswith("#"):
                heading_type = parse_type(text.section_type(plain(line.lstrip("# ")).strip()) or "")
            continue
        if number != previous + 1 or not tables:
            tables.append((heading_type, []))
        previous = number
        if not _TABLE_RULE_RE.match(line):
            cells = [_BREAK_RE.sub("\n", plain(cell)).strip() for cell in _CELL_SEPARATOR_RE.split(row.group(1))]
            tables[-1][1].append((number, cells, frozenset()))
    return [(code, rows) for code, rows in tables if rows]


def _read_tables(tables, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    context = TableContext(file, mapping, limits)
    result = ReadResult()
    for code, rows in tables:
        part = read_table(rows, context, file, code)
        result.drafts += part.drafts
        result.errors += part.errors
        result.unknown_headers += [h for h in part.unknown_headers if h not in result.unknown_headers]
        result.field_map.update(part.field_map)
    return require_questions(result)


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    source = decode(data)
    tables = _tables(source)
    if tables and count_recognised(list(tables[0][1][0][1]), mapping) >= 2:
        return _read_tables(tables, file, mapping, limits)
    lines, numbers = to_lines(source)
    return text.read_lines(lines, file, limits, numbers)

"""Source texts (学习园地): adding them, and laying them out for reading with a passage highlighted."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from sqlalchemy import select

from question_bank.decoding import UndecodableText, decode_text
from question_bank.readers.archive import check_office_file
from question_bank.readers.base import FileProblem, Limits
from quizapp.extensions import db
from quizapp.models import Source
from quizapp.services import ServiceError

MAX_SOURCE_BYTES = 5 * 1024 * 1024
WEEKLY_STUDY = "每周一学"


class SourceError(ServiceError):
    pass


Runs = list[tuple[str, bool]]


@dataclass
class Block:
    """A heading or a paragraph of a source as runs of (text, highlighted), or a list of such items."""

    kind: str  # "heading" | "paragraph" | "list"
    runs: Runs = field(default_factory=list)
    items: list[Runs] = field(default_factory=list)  # a list's items, each as runs
    bullets: bool = False  # a list written with "- " or "• " marks; a numbered one keeps its own numbers
    anchor: bool = False  # the first highlighted block, scrolled into view

    @property
    def highlighted(self) -> bool:
        return any(marked for runs in [self.runs, *self.items] for _, marked in runs)


def list_sources() -> list[Source]:
    """Newest first; undated sources after dated ones, then by title."""
    order = (Source.published_on.is_(None), Source.published_on.desc(), Source.created_at.desc(), Source.title)
    return list(db.session.scalars(select(Source).order_by(*order)))


def is_weekly_study(source: Source) -> bool:
    return WEEKLY_STUDY in (source.section or "") or any(WEEKLY_STUDY in title for title in source.articles or [])


def read_upload(data: bytes, filename: str) -> str:
    """The text of an uploaded .txt or .md (UTF-8 or GB18030), .docx or .pdf (text layer) file."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"文件「{filename}」超过 {MAX_SOURCE_BYTES // 1024 // 1024} MB。")
    name = filename.lower()
    if name.endswith((".txt", ".md")):
        try:
            return decode_text(data)
        except UndecodableText as error:
            raise SourceError(f"文件「{filename}」：{error.message}。") from error
    if name.endswith(".docx"):
        return _docx_text(data, filename)
    if name.endswith(".pdf"):
        return _pdf_text(data, filename)
    raise SourceError(f"文件「{filename}」的格式不支持，请上传 .txt、.md、.docx 或 .pdf。")


def _pdf_text(data: bytes, filename: str) -> str:
    """The text layer of a PDF (pypdf); a scan without one is refused with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise SourceError(f"文件「{filename}」不是有效的 PDF 文件。") from error
    text = "\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise SourceError(f"文件「{filename}」里没有可复制的文字（可能是扫描的图片），请粘贴正文或上传 .txt/.docx。")
    return text


def _docx_text(data: bytes, filename: str) -> str:
    try:
        check_office_file(data, "Word", ".doc", Limits(max_bytes=MAX_SOURCE_BYTES))
    except FileProblem as problem:
        raise SourceError(f"文件「{filename}」：{problem.message}。") from problem
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken file
        raise SourceError(f"文件「{filename}」不是有效的 Word 文档。") from error
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def create_source(title: str, text: str, *, publication: str = "", published_on: date | None = None,
                  section: str = "", articles: list[str] | None = None, file: str | None = None) -> Source:
    title, text = title.strip(), text.strip()
    if not title:
        raise SourceError("请填写标题。")
    if not text:
        raise SourceError("正文为空，请粘贴或上传学习材料。")
    source = Source(title=title, text=text, publication=publication.strip(), published_on=published_on,
                    section=section.strip(), articles=articles if articles is not None else guess_headings(text),
                    file=file)
    db.session.add(source)
    db.session.commit()
    return source


# A line that starts like an item of a list (1. 2、 ① （一） 一、, or a "- "/"• " bullet) is never a heading.
LIST_ITEM = re.compile(r"^(\d+[.、．)）]|[①-⑳]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
BULLET = re.compile(r"^\s*[-•·*・▪]\s*(?=\S)")
MARKED_HEADING = re.compile(r"^\s*#{1,6}\s+(?=\S)")  # "## 标题", as pasted from Markdown


def guess_headings(text: str) -> list[str]:
    """★/■/◎ lines, and short lines without closing punctuation that are not list items, as headings."""
    headings = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or LIST_ITEM.match(line) or BULLET.match(line):
            continue
        if line[0] in "★■◎" or (len(line) <= 30 and line[-1] not in "。！？；：,，.!?;:"):
            headings.append(line)
    return headings


def layout(source: Source, quote: str = "") -> list[Block]:
    """The source's structure as written: list lines as lists (consecutive items in one list, their
    marks dropped, their own numbers kept), headings as headings, other lines as paragraphs; the first
    occurrence of `quote` (whitespace aside) marked."""
    text = source.text
    start, end = find_passage(text, quote) if quote else (-1, -1)
    headings = set(source.articles or [])
    blocks, offset = [], 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        kind, mark_length, bullets = line_kind(line, headings)
        runs = _runs(line[mark_length:], line_start + mark_length, start, end)
        if kind != "item":
            blocks.append(Block(kind, runs))
        elif blocks and blocks[-1].kind == "list" and blocks[-1].bullets == bullets:
            blocks[-1].items.append(runs)
        else:
            blocks.append(Block("list", items=[runs], bullets=bullets))
    first = next((block for block in blocks if block.highlighted), None)
    if first is not None:
        first.anchor = True
    return blocks


def line_kind(line: str, headings: set[str]) -> tuple[str, int, bool]:
    """(kind, length of the mark to drop, shown with bullets) of one line: "item", "heading" or "paragraph"."""
    bullet = BULLET.match(line)
    if bullet:
        return "item", bullet.end(), not LIST_ITEM.match(line[bullet.end():])
    if LIST_ITEM.match(line.lstrip()):
        return "item", len(line) - len(line.lstrip()), False
    marked = MARKED_HEADING.match(line)
    if marked:
        return "heading", marked.end(), False
    return ("heading" if line.strip() in headings else "paragraph"), 0, False


def _runs(line: str, line_start: int, start: int, end: int) -> list[tuple[str, bool]]:
    lo, hi = max(start, line_start) - line_start, min(end, line_start + len(line)) - line_start
    if start < 0 or lo >= hi:
        return [(line, False)]
    return [(part, marked) for part, marked in ((line[:lo], False), (line[lo:hi], True), (line[hi:], False)) if part]


def find_passage(text: str, quote: str) -> tuple[int, int]:
    """[start, end) of `quote` in `text`, comparing with all whitespace removed; (-1, -1) if absent."""
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    compact = "".join(text[i] for i in positions)
    needle = "".join(quote.split())
    found = compact.find(needle) if needle else -1
    if found < 0:
        return -1, -1
    return positions[found], positions[found + len(needle) - 1] + 1

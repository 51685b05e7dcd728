"""The bundled source texts (内蒙古日报 pages) and the reviewed questions drawn from them.

``sources/sources.json`` describes each text file in ``sources/``; ``questions/`` holds one
question file (JSON format) per source text, named after it.
"""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from question_bank.draft import RowError, SourceRef

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCES_DIR = PACKAGE_DIR / "sources"
QUESTIONS_DIR = PACKAGE_DIR / "questions"
METADATA_FILE = "sources.json"

# metadata key -> Chinese label used in error messages
TEXT_FIELDS = {
    "file": "文件",
    "title": "标题",
    "publication": "报纸",
    "date": "日期",
    "section": "栏目",
}
ARTICLES_FIELD = ("articles", "文章标题")
OPTIONAL_FIELDS = {"date"}


class BundledSourceError(ValueError):
    """The bundled metadata is broken; carries every problem found, in Chinese."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class BundledSource:
    """One bundled source text with its metadata."""

    file: str
    title: str
    publication: str
    date: str  # ISO date, or "" when the text does not state one
    section: str
    articles: list[str] = field(default_factory=list)
    text: str = ""

    def source_ref(self) -> SourceRef:
        return SourceRef(title=self.title, file=self.file, section=self.section, date=self.date)


def load_sources(sources_dir: Path = SOURCES_DIR) -> list[BundledSource]:
    """Read the metadata and texts; raise BundledSourceError listing every problem."""
    entries = _read_metadata(Path(sources_dir) / METADATA_FILE)
    errors: list[RowError] = []
    sources = []
    for number, entry in enumerate(entries, start=1):
        entry_errors = _entry_errors(Path(sources_dir), entry, number)
        errors.extend(entry_errors)
        if not entry_errors:
            sources.append(_build_source(Path(sources_dir), entry))
    errors.extend(_duplicate_file_errors(entries))
    if errors:
        raise BundledSourceError(errors)
    return sources


def bundled_question_files(questions_dir: Path = QUESTIONS_DIR) -> list[Path]:
    """The bundled question files, in file-name order."""
    return sorted(Path(questions_dir).glob("*.json"))


def _read_metadata(path: Path) -> list:
    def fail(message: str) -> BundledSourceError:
        return BundledSourceError([RowError(path.name, 0, "", message)])

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail("找不到来源说明文件") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"不是有效的 UTF-8 JSON 文件（{exc}）") from None
    entries = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise fail("应为 {\"sources\": [...]} 的形式")
    return entries


def _entry_errors(sources_dir: Path, entry, number: int) -> list[RowError]:
    def error(label: str, message: str) -> RowError:
        return RowError(METADATA_FILE, number, label, message)

    if not isinstance(entry, dict):
        return [error("", "每一项应为一个对象")]
    errors = [
        error(label, "缺少内容或不是文字")
        for key, label in TEXT_FIELDS.items()
        if not _is_filled_text(entry.get(key), optional=key in OPTIONAL_FIELDS)
    ]
    if entry.get("date") and not _is_iso_date(entry["date"]):
        errors.append(error("日期", f"“{entry['date']}”不是 YYYY-MM-DD 形式的日期"))
    articles = entry.get(ARTICLES_FIELD[0])
    if not isinstance(articles, list) or not all(_is_filled_text(a) for a in articles):
        errors.append(error(ARTICLES_FIELD[1], "应为非空文字组成的列表"))
    if errors:
        return errors
    return _text_errors(sources_dir, entry, error)


def _text_errors(sources_dir: Path, entry: dict, error) -> list[RowError]:
    name = entry["file"]
    path = sources_dir / name
    if Path(name).name != name or not path.is_file():
        return [error("文件", f"找不到来源文件“{name}”")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [error("文件", f"“{name}”不是 UTF-8 文本")]
    lines = {line.strip() for line in text.splitlines()}
    return [
        error(ARTICLES_FIELD[1], f"“{article}”不是“{name}”中单独的一行")
        for article in entry["articles"]
        if article.strip() not in lines
    ]


def _duplicate_file_errors(entries: list) -> list[RowError]:
    seen: dict[str, int] = {}
    errors = []
    for number, entry in enumerate(entries, start=1):
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            message = f"文件“{name}”与第{seen[name]}项重复"
            errors.append(RowError(METADATA_FILE, number, "文件", message))
        seen.setdefault(name, number)
    return errors


def _build_source(sources_dir: Path, entry: dict) -> BundledSource:
    return BundledSource(
        file=entry["file"],
        title=entry["title"],
        publication=entry["publication"],
        date=entry.get("date", ""),
        section=entry["section"],
        articles=list(entry["articles"]),
        text=(sources_dir / entry["file"]).read_text(encoding="utf-8"),
    )


def _is_filled_text(value, optional: bool = False) -> bool:
    if optional and value in (None, ""):
        return True
    return isinstance(value, str) and bool(value.strip())


def _is_iso_date(value) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return len(value) == 10

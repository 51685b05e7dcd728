"""Question records from other apps (JSON and JavaScript data): find the list, map its fields.

A record is one question as a mapping of field names to values. Field names are matched
like spreadsheet headers (aliases in Chinese and English, then the admin's mapping), so
the preview's mapping step works for JSON keys exactly as for columns. Web apps store their
fields as HTML ("<p>…</p>", "&nbsp;"), so a field holding tags or entities is read as its text
(spreadsheets and text files keep such text as written). Options may be a list
of strings, a list of objects (text plus an is-correct flag), an object keyed by letter, or
text joined with "|" or "A." markers; the answer may be letters, indexes or the option text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.draft import OPTION_LETTERS, RowError
from question_bank.readers.answers import parse_letters, parse_type
from question_bank.readers.base import FileProblem, Limits, ReadResult, build_all, check_row_count
from question_bank.readers.fields import RawQuestion
from question_bank.readers.headers import FIELD_LABELS, IGNORE, field_for_header, is_shared_alias
from question_bank.readers.text import split_options
from question_bank.text import clean_cell, html_text, looks_like_html

MAX_DEPTH = 5
_LIST_KEYS = ("questions", "questionlist", "question_list", "list", "data", "items", "records", "rows",
              "题目", "试题", "题库")
_OPTION_TEXT_KEYS = ("content", "text", "value", "label", "title", "option", "optiontext", "name", "选项内容",
                     "内容", "desc")
_OPTION_LETTER_KEYS = ("key", "letter", "label", "code", "id", "no", "选项", "序号")
_CORRECT_KEYS = ("iscorrect", "correct", "isright", "right", "isanswer", "answer", "istrue", "checked",
                 "是否正确", "正确")
_TRUE_WORDS = {"1", "true", "yes", "y", "t", "是", "对", "正确", "√"}
_SINGLE_LETTER_RE = re.compile(r"\s*[A-Za-zＡ-Ｚ]\s*")
_OPTION_PREFIX_RE = re.compile(r"^\s*[(（]?\s*([A-Za-zＡ-Ｚ])\s*(?:[)）.、．:：]|\s)\s*")


@dataclass
class _Found:
    records: list[dict]
    default_types: list[str | None]
    where: str  # Chinese description of where the records sit


def _is_records(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value[:50])


def _typed_sections(payload: dict) -> _Found | None:
    """{"单选题": [...], "判断题": [...]}: one list per type name."""
    sections = [(key, value) for key, value in payload.items() if _is_records(value) and parse_type(str(key))]
    if not sections:
        return None
    records, types = [], []
    for key, value in sections:
        records.extend(value)
        types.extend([parse_type(str(key))] * len(value))
    return _Found(records, types, "、".join(str(key) for key, _ in sections))


def _rows_as_records(value: object) -> list[dict] | None:
    """[["题目", "A", …, "答案"], ["…", …], …]: a table saved as JSON, its first row the header."""
    if not (isinstance(value, list) and len(value) >= 2 and all(isinstance(row, list) for row in value[:50])):
        return None
    header = value[0]
    if len(header) < 2 or not all(isinstance(cell, str) and cell.strip() for cell in header):
        return None
    return [dict(zip(header, row)) for row in value[1:] if isinstance(row, list)]


def _largest_list(value: object, path: str, depth: int = 0) -> tuple[list, str] | None:
    if _is_records(value):
        return value, path
    table = _rows_as_records(value)
    if table:
        return table, path
    if depth >= MAX_DEPTH or not isinstance(value, dict):
        return None
    best = None
    for key, child in value.items():
        found = _largest_list(child, f"{path}.{key}" if path else str(key), depth + 1)
        preferred = found and str(key).casefold() in _LIST_KEYS
        if found and (best is None or preferred or len(found[0]) > len(best[0])):
            best = found
            if preferred:
                break
    return best


def find_records(payload: object) -> _Found | None:
    """The list of question records inside a parsed payload, or None."""
    if isinstance(payload, dict):
        sections = _typed_sections(payload)
        if sections:
            return sections
    found = _largest_list(payload, "")
    if found is None:
        return None
    records, path = found
    return _Found(records, [None] * len(records), path)


def describe(kind: str, payload: object, found: _Found | None) -> str:
    """'JSON 数组，884 条记录，字段 content、options、answer' for the preview and error messages."""
    shape = "数组" if isinstance(payload, list) else "对象"
    if found is None:
        return f"{kind} {shape}，没有找到题目列表（应为由对象组成的数组）"
    where = f"（位于 {found.where}）" if found.where else ""
    return f"{kind} {shape}{where}，{len(found.records)} 条记录，字段 {'、'.join(record_keys(found.records))}"


def record_keys(records: list[dict]) -> list[str]:
    """Every field name used by the records, in first-seen order."""
    return list(dict.fromkeys(str(key) for record in records for key in record))


# ---- one record -> raw question ----------------------------------------------------------------

def _text(value: object) -> str:
    if isinstance(value, bool):
        return "对" if value else "错"
    if isinstance(value, (list, tuple)):
        return "；".join(_text(item) for item in value)
    if isinstance(value, dict):
        return _option_text(value)
    return clean_cell(value)


def _from_html(text: str) -> str:
    return html_text(text) if looks_like_html(text) else text


def _fold_key(key: object) -> str:
    return str(key).casefold().replace("_", "")


def _lookup(item: dict, keys: tuple[str, ...]) -> object:
    folded = {_fold_key(key): value for key, value in item.items()}
    for key in keys:
        if key in folded:
            return folded[key]
    return None


def _option_text(item: dict) -> str:
    """The text of an option object: a known text key, else its longest text that is no letter or flag."""
    value = _lookup(item, _OPTION_TEXT_KEYS)
    if value is None:
        texts = [text for key, text in item.items() if isinstance(text, str) and not _SINGLE_LETTER_RE.fullmatch(text)
                 and _fold_key(key) not in _OPTION_LETTER_KEYS + _CORRECT_KEYS]
        value = max(texts, key=len, default=None)
    return clean_cell(value) if value is not None and not isinstance(value, (dict, list)) else ""


def is_true_flag(value: object) -> bool:
    return value is True or (not isinstance(value, bool) and str(value).strip().casefold() in _TRUE_WORDS)


def strip_letter(text: str, index: int) -> str:
    """"A. 上海" -> "上海" when the letter is the option's own; other text unchanged."""
    match = _OPTION_PREFIX_RE.match(text)
    if match and match.group(1).upper().translate(_FULL_WIDTH) == OPTION_LETTERS[index % len(OPTION_LETTERS)]:
        return text[match.end():].strip()
    return text.strip()


_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "ＡＢＣＤＥＦＧＨ"}


def split_joined_options(text: str) -> list[str]:
    """Options written in one string: "上海|北京", "A.上海 B.北京", one per line."""
    for separator in ("|", "｜", "\n"):
        if separator in text:
            parts = [part for part in text.split(separator) if part.strip()]
            return [strip_letter(part, index) for index, part in enumerate(parts)]
    return split_options(text.strip(), "A") or ([text.strip()] if text.strip() else [])


_INLINE_A_RE = re.compile(r"(?:^|(?<=[\s)）。？?：:]))[(（]?[AＡ]\s*[.、．:：)）]")


def options_from_stem(raw: RawQuestion) -> None:
    """Options joined into the stem ("题干|上海|北京" or "题干 A.上海 B.北京") move to raw.options."""
    stem = raw.values.get("stem", "")
    if raw.options or not stem:
        return
    for separator in ("|", "｜"):
        parts = stem.split(separator)
        if len(parts) >= 3:
            raw.values["stem"] = parts[0].rstrip()
            raw.options = [strip_letter(part, index) for index, part in enumerate(parts[1:])]
            return
    marker = _INLINE_A_RE.search(stem)
    if marker and marker.start() > 0:
        options = split_options(stem[marker.start():].strip(), "A")
        if options and len(options) >= 2:
            raw.values["stem"] = stem[: marker.start()].rstrip()
            raw.options = options


def _options(value: object) -> tuple[list[str], list[str]]:
    """Option texts and the letters flagged correct inside the options (objects with a flag)."""
    if isinstance(value, dict):
        value = list(value.values()) if all(parse_letters(str(key)) for key in value) else [value]
    if isinstance(value, str):
        return split_joined_options(value), []
    if not isinstance(value, list):
        return ([clean_cell(value)] if value is not None else []), []
    options, correct = [], []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            options.append(strip_letter(_option_text(item), index))
            flag = _lookup(item, _CORRECT_KEYS)
            if flag is not None and is_true_flag(flag):
                correct.append(OPTION_LETTERS[index % len(OPTION_LETTERS)])
        else:
            options.append(strip_letter(_text(item), index))
    return options, correct


@dataclass
class _Indexes:
    """Answers given as numbers: 0-based or 1-based, decided once for the whole file."""

    one_based: bool = True
    guessed: bool = False

    @classmethod
    def infer(cls, pairs: list[tuple[list[int], int]]) -> "_Indexes":
        """From (numbers, option count) of every choice record whose answer is numeric."""
        if not pairs:
            return cls()
        if any(0 in numbers for numbers, _ in pairs):
            return cls(one_based=False)
        if any(count in numbers for numbers, count in pairs):
            return cls(one_based=True)
        return cls(one_based=True, guessed=True)

    def letters(self, numbers: list[int]) -> str:
        shift = 1 if self.one_based else 0
        return "".join(OPTION_LETTERS[n - shift] if 0 <= n - shift < len(OPTION_LETTERS) else "?"
                       for n in numbers)


def _numbers(value: object) -> list[int] | None:
    """The answer as option numbers (3, "3", [0, 2], "0,2"), or None when it is not numeric."""
    items = value if isinstance(value, list) else re.split(r"[\s,，、;；|]+", str(value).strip())
    numbers = []
    for item in items:
        if isinstance(item, bool) or not re.fullmatch(r"\d{1,2}", str(item).strip()):
            return None
        numbers.append(int(str(item).strip()))
    return numbers or None


class _Mapper:
    def __init__(self, keys: list[str], mapping: dict[str, str] | None) -> None:
        self.fields: dict[str, str] = {}
        self.unknown: list[str] = []
        self.ignored: list[str] = []
        chosen = set(mapping or {})
        # The admin's choices take a field first, keys with a shared alias (answers) last.
        for key in sorted(keys, key=lambda key: (key not in chosen, is_shared_alias(key))):
            target = field_for_header(key, mapping or {}, set(self.fields.values()))
            if target is None:
                self.unknown.append(key)
            elif target in FIELD_LABELS and target not in self.fields.values():
                self.fields[key] = target
            else:
                self.ignored.append(key)  # mapped to "ignore", or a second key for a field already taken

    def raw(self, row: int, record: dict) -> tuple[RawQuestion, object, list[str]]:
        """The raw question, its answer value as given, and letters flagged inside the options."""
        raw = RawQuestion(row=row)
        answer, flagged = None, []
        letters = {}
        for key, target in self.fields.items():
            value = record.get(key)
            if value is None:
                continue
            if target == "options":
                raw.options, flagged = _options(value)
            elif target == "answer":
                answer = value
            elif target.startswith("option_"):
                letters[target] = _text(value)
            elif target == "key" and re.fullmatch(r"\d+", _text(value)):
                continue  # a running number of the other app, not a stable key
            else:
                raw.values[target] = _text(value)
        if letters and not raw.options:
            raw.options = [letters.get(f"option_{letter.lower()}", "") for letter in OPTION_LETTERS]
        raw.values = {name: _from_html(text) for name, text in raw.values.items()}
        raw.options = [_from_html(option) for option in raw.options]
        options_from_stem(raw)
        return raw, _from_html(answer) if isinstance(answer, str) else answer, flagged


def _choice_like(raw: RawQuestion) -> bool:
    code = parse_type(raw.values.get("type", "")) if raw.values.get("type") else None
    return bool(raw.options) and code not in ("judge", "fill")


def read_records(found: _Found, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    """Drafts from records, with the field map and the fields nobody recognised."""
    check_row_count(len(found.records), limits)
    mapper = _Mapper(record_keys(found.records), mapping)
    missing = [label for name, label in (("stem", "题干"), ("answer", "答案"))
               if name not in mapper.fields.values()]
    if "stem" not in mapper.fields.values():
        raise FileProblem(f"没有找到题干字段（缺少{'、'.join(missing)}）")
    built = [(row, *mapper.raw(row, record)) for row, record in enumerate(found.records, start=1)]
    pairs = [(numbers, len(raw.options)) for _, raw, answer, _ in built
             if answer is not None and _choice_like(raw) and (numbers := _numbers(answer)) is not None
             and not parse_letters(str(answer))]
    indexes = _Indexes.infer(pairs)
    raws = []
    for (_row, raw, answer, flagged), default_type in zip(built, found.default_types):
        raw.values["answer"] = _answer_text(raw, answer, flagged, indexes)
        raws.append((raw, default_type))
    result = build_all(raws, file)
    result.unknown_headers = mapper.unknown
    result.field_map = {**mapper.fields, **dict.fromkeys(mapper.ignored, IGNORE)}
    if pairs and indexes.guessed:
        result.warnings.append(RowError(file, 0, "答案", "答案是数字序号，文件中没有出现 0，按从 1 开始（1 = A）理解"))
    return result


def _answer_text(raw: RawQuestion, answer: object, flagged: list[str], indexes: _Indexes) -> str:
    if answer is None or answer == "" or answer == []:
        return "".join(flagged)
    if _choice_like(raw):
        numbers = _numbers(answer)
        if numbers is not None and not parse_letters(str(answer)):
            return indexes.letters(numbers)
        if isinstance(answer, list):
            return "、".join(_text(item) for item in answer) if all(
                parse_letters(_text(item)) for item in answer) else "|".join(_text(item) for item in answer)
    return _text(answer)

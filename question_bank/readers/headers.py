"""Column headers of tabular question files (xlsx, csv): aliases and the caller's mapping."""
from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field

from question_bank.draft import OPTION_LETTERS, RowError

# Option columns beyond H are recognised only so that "more than 8 options" is reported.
ALL_OPTION_LETTERS = string.ascii_uppercase
OPTION_FIELDS = [f"option_{letter.lower()}" for letter in OPTION_LETTERS]

# Field name -> Chinese column name (the template's header).
FIELD_LABELS = {
    "type": "题型",
    "stem": "题干",
    **{f"option_{letter.lower()}": f"选项{letter}" for letter in ALL_OPTION_LETTERS},
    "answer": "答案",
    "explanation": "解析",
    "difficulty": "难度",
    "category": "分类",
    "tags": "标签",
    "source": "出处",
    "quote": "原文摘录",
    "key": "编号",
    "status": "状态",
    "options": "选项",
    "correct": "是否正确",
}
TEMPLATE_FIELDS = ["type", "stem", *OPTION_FIELDS, "answer", "explanation", "difficulty",
                   "category", "tags", "source", "quote", "key"]
IGNORE = "ignore"  # mapping a header to this (or to "") skips the column

_ALIASES = {
    "type": ["题型", "题目类型", "类型", "试题类型", "type", "questiontype", "qtype", "typename", "kind",
             "tx", "lx", "tixing", "leixing"],
    "stem": ["题干", "题目", "题目内容", "试题", "试题内容", "问题", "问题内容", "试题题干", "stem", "question",
             "content", "title", "questiontext", "questiontitle", "questioncontent", "text", "q", "body", "tm", "timu"],
    "options": ["选项", "选项列表", "全部选项", "备选项", "选项内容", "选项文字", "optioncontent", "optiontext", "options",
                "option", "choices", "choice", "items", "selections", "answeroptions", "optionlist", "opts", "xx",
                "xuanxiang"],
    "answer": ["答案", "正确答案", "正确选项", "参考答案", "标准答案", "answer", "correct", "correctanswer",
               "rightanswer", "right", "ans", "trueanswer", "standardanswer", "correctoption", "da", "daan",
               "rightkey", "answerkey", "correctkey", "rightoption", "correctanswers", "rightanswers"],
    "explanation": ["解析", "答案解析", "题目解析", "试题解析", "解释", "explanation", "analysis", "explain",
                    "parse", "analyze", "jiexi", "jx", "remark"],
    "difficulty": ["难度", "难度等级", "难易程度", "difficulty", "level"],
    "category": ["分类", "知识点", "题库", "所属题库", "所属分类", "题目分类", "章节", "科目", "category",
                 "chapter", "subject", "course"],
    "tags": ["标签", "tags", "tag"],
    "source": ["出处", "来源", "source"],
    "quote": ["原文摘录", "原文", "quote"],
    "key": ["编号", "试题编号", "题目编号", "题号", "id", "key", "qid", "questionid", "uuid"],
    "status": ["状态", "status"],
    "correct": ["是否正确", "是否正确答案", "是否答案", "正确与否", "是否为正确答案", "是否为答案", "是否正确选项",
                "是否为正确选项", "正确标识", "答案标识", "iscorrect", "isright", "isanswer"],
}
# Keys that are the options in some apps and the answer in others ({question, answers: […], correctAnswer}):
# the first of these fields that no other key of the file claims.
SHARED_ALIASES = {"answers": ("options", "answer")}


def _option_aliases() -> dict[str, str]:
    aliases = {}
    for number, letter in enumerate(ALL_OPTION_LETTERS, start=1):
        name = f"option_{letter.lower()}"
        for alias in (f"选项{letter}", letter, f"{letter}选项", f"选项{number}", f"option{number}", name):
            aliases[alias] = name
    return aliases


_NOTE_RE = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")  # "答案（必填）" -> "答案"


def normalise_header(header: object) -> str:
    """A header as compared with aliases: width-folded, no notes, '*', spaces or ':'; casefolded."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    text = _NOTE_RE.sub("", text)
    return re.sub(r"[\s*:_\-]", "", text).casefold()


# Field aliases win over option aliases: "options" is the options list, not option S; "q" the stem.
ALIAS_TO_FIELD = {normalise_header(alias): name for alias, name in _option_aliases().items()}
ALIAS_TO_FIELD.update({normalise_header(alias): name
                       for name, aliases in _ALIASES.items() for alias in aliases})


# Headers of an is-correct column beyond the aliases: 是否为正确选项, 正确答案标识, 答案标记, correctflag…
_CORRECT_FLAG_RE = re.compile(r"^(?:是否.{0,4}(?:正确|答案).{0,4}|.{0,4}(?:正确|答案).{0,4}(?:标识|标记|标志)|"
                              r"(?:is)?(?:correct|right)(?:flag|mark))$")


@dataclass
class ColumnMap:
    """Which column index holds which field, plus the headers nobody recognised."""

    columns: dict[str, int] = field(default_factory=dict)
    unknown_headers: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # headers the caller's mapping says to skip
    errors: list[RowError] = field(default_factory=list)


def field_for_header(header: str, mapping: dict[str, str], taken: set[str] = frozenset()) -> str | None:
    """The field a header (or a JSON key) stands for: the caller's mapping first, then the aliases,
    then a shared alias's first field not in ``taken``."""
    found = _field_for(header, mapping)
    if found is None:
        found = next((name for name in SHARED_ALIASES.get(normalise_header(header), ()) if name not in taken), None)
    return found


def is_shared_alias(header: str) -> bool:
    return normalise_header(header) in SHARED_ALIASES


def _field_for(header: str, mapping: dict[str, str]) -> str | None:
    if header in mapping:
        return mapping[header] or IGNORE
    normalised = normalise_header(header)
    for given, target in mapping.items():
        if normalise_header(given) == normalised:
            return target or IGNORE
    return ALIAS_TO_FIELD.get(normalised) or ("correct" if _CORRECT_FLAG_RE.match(normalised) else None) or \
        _affixed_alias(normalised)


# Apps name fields after the question: questionAnalysis, itemAnswer, 试题答案, answerText, stemContent…
_AFFIX_RE = re.compile(r"^(?:question|item|exam|题目|试题)?(.+?)(?:text|content|str|value|info|内容)?$")


def _affixed_alias(normalised: str) -> str | None:
    """The field of a known alias wrapped in a prefix or suffix that only says "of the question"."""
    core = _AFFIX_RE.match(normalised)
    if core is None or core.group(1) == normalised:
        return None
    found = ALIAS_TO_FIELD.get(core.group(1))
    return None if found is None or found.startswith("option_") or found == "key" else found


def check_mapping(mapping: dict[str, str], file: str) -> list[RowError]:
    """Errors for mapping targets that are not field names."""
    return [
        RowError(file, 0, header, f"表头映射的字段「{target}」不存在")
        for header, target in mapping.items()
        if target and target != IGNORE and target not in FIELD_LABELS
    ]


def map_headers(headers: list[object], mapping: dict[str, str] | None, file: str,
                row: int) -> ColumnMap:
    """Match header cells to fields; a missing stem or answer column is an error."""
    mapping = mapping or {}
    result = ColumnMap(errors=check_mapping(mapping, file))
    for index, cell in enumerate(headers):
        header = str(cell).strip() if cell is not None else ""
        if not header:
            continue
        name = _field_for(header, mapping)
        if name is None:
            result.unknown_headers.append(header)
        elif name == IGNORE:
            result.ignored.append(header)
        elif name in result.columns:
            label = FIELD_LABELS.get(name, name)
            result.errors.append(RowError(file, row, label, f"表头「{header}」与另一列重复，都对应「{label}」"))
        else:
            result.columns[name] = index
    required_fields = ("stem",) if "correct" in result.columns else ("stem", "answer")
    for required in required_fields:
        if required not in result.columns:
            label = FIELD_LABELS[required]
            result.errors.append(RowError(
                file, row, label, f"缺少「{label}」列（无法识别的表头可以通过表头映射指定）"))
    return result


def count_recognised(headers: list[object], mapping: dict[str, str] | None) -> int:
    """How many cells of a row look like known headers (used to find the header row)."""
    mapping = mapping or {}
    return sum(1 for cell in headers
               if cell is not None and str(cell).strip() and _field_for(str(cell).strip(), mapping))

"""Parsing of the free-text forms people write types, answers, difficulty, tags and sources in."""
from __future__ import annotations

import re
import unicodedata

from question_bank.draft import SourceRef
from question_bank.text import count_blanks, normalise_answer_text

CHOICE = "choice"  # "选择题" / "不定项": single or multiple, decided by the number of answers

_TYPE_NAMES = {
    "single": ["单选题", "单选", "单项选择题", "单项选择", "单项选择题目", "单项", "single", "singlechoice", "singleselect",
               "singleselection", "singleanswer", "radio"],
    "multiple": ["多选题", "多选", "多项选择题", "多项选择", "多项", "multiple", "multiplechoice", "multiselect", "multipleselect",
                 "multipleselection", "multipleanswer", "multipleanswers", "multi", "checkbox"],
    "judge": ["判断题", "判断", "是非题", "对错题", "判断正误", "判断对错", "judge", "truefalse", "trueorfalse", "tf", "boolean",
              "judgement", "judgment", "yesno"],
    "fill": ["填空题", "填空", "fill", "fillblank", "fillblanks", "fillinblank", "fillintheblank", "fillintheblanks",
             "blank", "blanks", "gapfill", "completion", "shortanswer"],
    CHOICE: ["选择题", "选择", "不定项选择题", "不定项选择", "不定项", "choice", "multichoice"],
}
TYPE_BY_NAME = {name.casefold(): code for code, names in _TYPE_NAMES.items() for name in names}

_JUDGE_WORDS = {
    True: ["对", "對", "√", "✓", "✔", "正确", "正確", "是", "t", "true", "y", "yes", "v"],
    False: ["错", "錯", "×", "✗", "✘", "x", "错误", "錯誤", "否", "f", "false", "n", "no"],
}
JUDGE_BY_WORD = {word: value for value, words in _JUDGE_WORDS.items() for word in words}
# Exam systems export a judge question's answer as 1 (正确) or 0 (错误).
JUDGE_BY_CODE = {"1": True, "0": False}

_DIFFICULTY_WORDS = {
    1: ["易", "简单", "容易", "较易", "低", "1", "easy"],
    2: ["中", "一般", "中等", "适中", "2", "medium"],
    3: ["难", "困难", "较难", "高", "3", "hard"],
}
DIFFICULTY_BY_WORD = {word: level for level, words in _DIFFICULTY_WORDS.items() for word in words}

_STATUS_WORDS = {
    "draft": ["草稿", "draft"],
    "published": ["已发布", "发布", "published"],
    "retired": ["已停用", "停用", "retired"],
}
STATUS_BY_WORD = {word: code for code, words in _STATUS_WORDS.items() for word in words}

_LETTERED_ANSWER_RE = re.compile(r"^\s*[(]?([A-Ha-h])\s*[.、:)]\s*\S")
_LETTER_SEPARATORS = re.compile(r"[\s,，、;；/|｜.。]+")
_OPTION_TEXT_SEPARATORS = re.compile(r"[,，、;；|｜\n]+")
_BLANK_SEPARATORS = re.compile(r"[；;｜|\n]")
_LOOSE_BLANK_SEPARATORS = re.compile(r"[,，、\s]+")
_TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")
SOURCE_SEPARATOR = "｜"
_DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


# Numeric type codes used by exam systems; 1 and 2 are both decided by the number of answers,
# since systems differ on which of them is the multiple choice.
TYPE_BY_CODE = {"1": CHOICE, "2": CHOICE, "3": "judge", "4": "fill"}


def parse_type(text: str) -> str | None:
    """The type code for a type name such as 单选题 or 判断 (None when unknown)."""
    return TYPE_BY_NAME.get(re.sub(r"[\s_\-]", "", _fold(text)))


def parse_type_code(text: str) -> str | None:
    """A type name, or an exam system's numeric code (1 单选, 2 多选, 3 判断, 4 填空)."""
    return parse_type(text) or TYPE_BY_CODE.get(_fold(text))


def parse_judge(text: str) -> bool | None:
    """True/False for 对/错, √/×, 正确/错误, T/F, 是/否 and the like (None otherwise)."""
    return JUDGE_BY_WORD.get(re.sub(r"[\s()（）\[\]【】]", "", _fold(text)))


def parse_letters(text: str) -> list[str] | None:
    """Option letters in any common form ("AB", "A,B", "A、B", "a b", "Ａ"), or None."""
    folded = _LETTER_SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not folded or not folded.isascii() or not folded.isalpha():
        return None
    return sorted(set(folded))


def match_option_texts(text: str, options: list[str]) -> list[str] | None:
    """Letters of the options whose own text the answer repeats, or None if any part matches none."""
    letters = {normalise_answer_text(option): chr(ord("A") + index)
               for index, option in enumerate(options) if option}
    whole = letters.get(normalise_answer_text(text))
    if whole:
        return [whole]
    parts = [part for part in _OPTION_TEXT_SEPARATORS.split(text) if part.strip()]
    found = [letters.get(normalise_answer_text(part)) for part in parts]
    if not found or None in found:
        return None
    return sorted(set(found))


def parse_choice_answer(text: str, options: list[str]) -> list[str] | None:
    """Letters for a choice answer given as letters or as the options' text.

    Letters win unless some letter has no option and the text names options instead
    (an option reading "CPU" is not the letters C, P and U).
    """
    letters = parse_letters(text)
    if letters and all(ord(letter) - ord("A") < len(options) for letter in letters):
        return letters
    lettered = _LETTERED_ANSWER_RE.match(unicodedata.normalize("NFKC", text))  # "B. 上海": the letter says it
    if not letters and lettered and ord(lettered.group(1).upper()) - ord("A") < len(options):
        return [lettered.group(1).upper()]
    return match_option_texts(text, options) or letters


def _split_alternatives(blank: str) -> list[str]:
    if "/" in blank or "／" in blank:
        parts = re.split(r"[/／]", blank)
    else:
        parts = blank.split("或")
        if len(parts) > 1 and not all(part.strip() for part in parts):
            parts = [blank]  # "或" inside a word such as 或多或少
    return [part.strip() for part in parts if part.strip()]


def parse_fill_answer(text: str, expected: int = 0) -> list[list[str]]:
    """One list of accepted answers per blank: "人民/人民群众；历史" -> [["人民", "人民群众"], ["历史"]].

    When the stem has ``expected`` blanks but the text no blank separator, answers written as
    "幸福，复兴" or "幸福 复兴" are split on commas or spaces if that gives exactly one per blank.
    """
    parts = _BLANK_SEPARATORS.split(text)
    if expected > 1 and len(parts) == 1:
        loose = [part for part in _LOOSE_BLANK_SEPARATORS.split(text.strip()) if part]
        parts = loose if len(loose) == expected else parts
    blanks = [_split_alternatives(blank) for blank in parts]
    while blanks and not blanks[-1]:
        blanks.pop()
    return blanks


def format_fill_answer(answer: list[list[str]]) -> str:
    """The inverse of parse_fill_answer; a lone answer containing 或 gets a '/' so it is not split."""
    blanks = []
    for alternatives in answer:
        joined = "/".join(alternatives)
        if len(alternatives) == 1 and "或" in joined:
            joined += "/"
        blanks.append(joined)
    return "；".join(blanks)


def parse_difficulty(text: str) -> int | None:
    """1/2/3 for 易/中/难, 简单/一般/困难 or 1/2/3; 2 when empty; None when not understood."""
    if not text.strip():
        return 2
    return DIFFICULTY_BY_WORD.get(_fold(text))


def parse_status(text: str) -> str | None:
    """Status code for 草稿/已发布/已停用 (or the codes); "published" when empty."""
    if not text.strip():
        return "published"
    return STATUS_BY_WORD.get(_fold(text))


def split_tags(text: str) -> list[str]:
    """Tags separated by , ， 、 ; ； or spaces."""
    return [tag for tag in _TAG_SEPARATORS.split(text) if tag]


def normalise_category(text: str) -> str:
    """A category path with its parts stripped: " 党史 / 百年奋斗 " -> "党史/百年奋斗"."""
    return "/".join(part.strip() for part in re.split(r"[/／]", text) if part.strip())


def parse_date(text: str) -> str:
    """An ISO date for 2021-06-21, 2021/6/21, 2021.6.21 or 2021年6月21日; other text unchanged."""
    match = _DATE_RE.match(text.strip())
    if not match:
        return text.strip()
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_source(text: str) -> SourceRef:
    """A 出处 cell: 标题｜章节｜日期｜文件, trailing parts optional."""
    parts = [part.strip() for part in re.split(r"[｜|]", text)] + ["", "", "", ""]
    return SourceRef(title=parts[0], section=parts[1], date=parse_date(parts[2]), file=parts[3])


def format_source(source: SourceRef) -> str:
    """The inverse of parse_source."""
    parts = [source.title, source.section, source.date, source.file]
    while parts and not parts[-1]:
        parts.pop()
    return SOURCE_SEPARATOR.join(parts)


def infer_type(answer: str, stem: str, options: list[str]) -> str | None:
    """Guess the type from the answer and stem when no type is given (None if impossible)."""
    if any(options):
        letters = parse_choice_answer(answer, options) if answer else None
        return "multiple" if letters and len(letters) > 1 else "single"
    if parse_judge(answer) is not None:
        return "judge"
    if count_blanks(stem):
        return "fill"
    return None

"""Answers written inside the stem: a trailing "[B]"/"【B】", or "（B）"/"（√）" in the blank."""
from __future__ import annotations

import re

from question_bank.readers.answers import parse_judge, parse_letters
from question_bank.readers.fields import RawQuestion
from question_bank.text import CANONICAL_BLANK, count_blanks

_BRACKET_TAIL_RE = re.compile(r"\s*[\[【［]\s*([^\[\]【】［］]{1,12}?)\s*[\]】］]\s*$")
_PARENS_RE = re.compile(r"[（(]\s*([^（）()]{1,12}?)\s*[)）]")


def _is_answer(text: str, options: list[str]) -> bool:
    if options:
        letters = parse_letters(text)
        return bool(letters) and all(ord(letter) - ord("A") < len(options) for letter in letters)
    return parse_judge(text) is not None


def take_answer_from_stem(raw: RawQuestion) -> None:
    """Move an answer written in the stem into raw.values["answer"]; the blank stays a blank."""
    stem = raw.values.get("stem", "")
    tail = _BRACKET_TAIL_RE.search(stem)
    if tail and _is_answer(tail.group(1), raw.options):
        raw.values["answer"] = tail.group(1)
        raw.values["stem"] = stem[: tail.start()].rstrip()
        return
    for parens in reversed(list(_PARENS_RE.finditer(stem))):
        if _is_answer(parens.group(1), raw.options):
            raw.values["answer"] = parens.group(1)
            rest = stem[: parens.start()] + stem[parens.end():]
            # the parentheses are the blank, unless the stem has a blank of its own
            blank = "" if count_blanks(rest) else CANONICAL_BLANK
            raw.values["stem"] = (stem[: parens.start()] + blank + stem[parens.end():]).strip()
            return

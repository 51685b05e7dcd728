"""Sentences broken across lines (text copied from a PDF or a narrow page) joined again.

The readers see each line as a paragraph, so a sentence cut by a line break ("…在\\n\\n这里秘密召开")
would be read as two fragments. ``unwrap`` removes such breaks and keeps, for every character of
the joined reading, its offset in the text, so quotes are still cut from the text as written.
"""
from __future__ import annotations

import re

BREAK_RE = re.compile(r"[ \t\u3000]*\n\s*")
# A line ending in one of these may end its sentence or paragraph where it stands.
LINE_END_MARKS = "。！？!?；;：:”」』）)】…—"
# A closing mark at the start of a line belongs to the sentence above it ("。\n」周恩来…").
CLOSING_START = "」』”’）)，,。、；;！？!?"
# The start of a numbered item or a heading: a line of its own, never a continuation.
NEW_LINE_RE = re.compile(r"[一二三四五六七八九十]+[、是]|第[一二三四五六七八九十]+|\d{1,2}[.．、](?!\d)|"
                         r"[（(][一二三四五六七八九十\d]{1,3}[)）]|[①-⑳◎■●◆★▲☆【□#\-*•·]")
# A line ending in a word that needs what follows ("…在", "…的") is cut, however short.
CONTINUING_END = "的在于和与及对把被从向将为是、，,"
MIN_CUT = 12
MIN_WRAPPED = 20  # a shorter line without a closing mark is a heading, not a wrapped line
MIN_BARE = 28  # a wrapped line without a comma is at least this long


def unwrap(text: str) -> tuple[str, list[int]]:
    """``text`` with line breaks inside sentences removed, and per character of the result its
    offset in ``text``."""
    kept: list[int] = []
    last = 0
    for match in BREAK_RE.finditer(text):
        line = text[text.rfind("\n", 0, match.start()) + 1:match.start()].strip()
        if _continues(line, text[match.end():match.end() + 8]):
            kept.extend(range(last, match.start()))
            last = match.end()
    kept.extend(range(last, len(text)))
    return "".join(text[i] for i in kept), kept


def _continues(line: str, following: str) -> bool:
    """True when the line ``line`` is cut mid-sentence and ``following`` carries it on."""
    if not line or not following:
        return False
    if following[0] in CLOSING_START:
        return True
    if NEW_LINE_RE.match(following) or line[-1] in LINE_END_MARKS:
        return False
    if line[-1] in CONTINUING_END and len(line) >= MIN_CUT:
        return True
    has_pause = any(mark in line for mark in "，,、")
    if NEW_LINE_RE.match(line) and not has_pause:
        return False  # a numbered item without a pause is a term of its own line
    return len(line) >= MIN_BARE or (has_pause and len(line) >= MIN_WRAPPED)

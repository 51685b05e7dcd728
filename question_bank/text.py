"""Text normalisation shared by readers, the validator and answer checking."""
from __future__ import annotations

import html
import re
import unicodedata

CANONICAL_BLANK = "（\u3000）"

# A blank in a stem: empty parentheses of either width (any mix, only spaces
# inside) or a run of three or more underscores.
BLANK_RE = re.compile(r"[（(][ \t\u3000\u00a0]*[)）]|[_＿]{3,}")


def count_blanks(stem: str) -> int:
    """Number of blanks marked in ``stem``."""
    return len(BLANK_RE.findall(stem or ""))


def canonical_blanks(stem: str) -> str:
    """``stem`` with every blank written as "（　）"."""
    return BLANK_RE.sub(CANONICAL_BLANK, stem or "")


_NOT_LETTER_OR_DIGIT_RE = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return _NOT_LETTER_OR_DIGIT_RE.sub("", folded)


def normalise_answer_text(text: str) -> str:
    """Fold ``text`` for comparing fill answers: NFKC, casefolded, letters and digits only."""
    return _fold(text)


def normalise_stem(stem: str) -> str:
    """Fold ``stem`` for duplicate detection: blank style, width, spacing and punctuation ignored."""
    return _fold(BLANK_RE.sub("", stem or ""))


def clean_cell(value: object) -> str:
    """A cell or field value as stripped text ('' for None); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# An option letter standing alone (not inside a Latin word), or a run of them: "B", "ABD", "A、C".
_LETTERS = r"(?<![A-Za-z])[A-H](?:\s*[、,，和与及]?\s*[A-H])*(?![A-Za-z])"
OPTION_LETTER_RE = re.compile(rf"(?:选项?|答案)\s*(?:[为是：:]\s*)?{_LETTERS}"
                              rf"|{_LETTERS}\s*(?:选?项|正确|错误|说法|不?符合|不?当选)")


def names_option_letters(explanation: str) -> bool:
    """Whether a 解析 points at options by letter ("故选B", "答案：AC", "A项错误"), as imported banks'
    explanations often do: such a question keeps its options in the stored order, or the letters
    would disagree with what the member saw."""
    return bool(OPTION_LETTER_RE.search(explanation or ""))


_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)
_HTML_ENTITY_RE = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_HTML_BREAK_RE = re.compile(r"<\s*(?:br|/p|/div|/li)\b[^>]*>", re.IGNORECASE)
_HTML_UNDERLINED_BLANK_RE = re.compile(r"<u>(?:\s|&nbsp;|\u3000)*</u>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when ``text`` has an HTML tag or entity (web quiz apps store their fields as HTML)."""
    return bool(_HTML_TAG_RE.search(text) or _HTML_ENTITY_RE.search(text))


def html_text(value: str | None) -> str:
    """Text of an HTML fragment: breaks become new lines, an underlined run of spaces a blank,
    other tags go, entities are decoded and blank lines folded."""
    value = _HTML_UNDERLINED_BLANK_RE.sub("____", value or "")
    value = _HTML_BREAK_RE.sub("\n", value)
    value = html.unescape(_HTML_TAG_RE.sub("", value)).replace("\u00a0", " ")
    return re.sub(r"\n\s*\n+", "\n", value).strip()

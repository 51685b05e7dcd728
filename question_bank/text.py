"""Text normalisation shared by readers, the validator and answer checking."""
from __future__ import annotations

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

"""Traditional characters read as simplified, with a way back to the text as written.

The readers work on the simplified text; every quote is cut from the original at the same
offsets, so a draft quotes the source verbatim. Conversion keeps each line's length where the
converter does (nearly always); a line whose length would change is converted one character at
a time, which keeps offsets equal everywhere.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    from opencc_purepy import OpenCC

    return OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """True when the converter judges ``text`` to be written in traditional characters."""
    return _converter().zho_check(text) == 1


def simplified(text: str) -> str:
    """``text`` in simplified characters, of the same length at every offset."""
    if not is_traditional(text):
        return text
    converter = _converter()
    lines = []
    for line in text.split("\n"):
        converted = converter.convert(line)
        if len(converted) != len(line):
            converted = "".join(
                c if len(c := converter.convert(char)) == 1 else char for char in line)
        lines.append(converted)
    return "\n".join(lines)

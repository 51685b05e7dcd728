"""Word boundaries from jieba, so a blank or a cut never falls inside a word ("要求")."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def is_word_boundary(text: str, position: int) -> bool:
    """True when ``position`` falls between two words of ``text`` (or at either end)."""
    if position <= 0 or position >= len(text):
        return True
    offset = 0
    for word in _tokenizer().cut(text, HMM=False):
        offset += len(word)
        if offset >= position:
            return offset == position
    return True

"""Word boundaries from jieba, so a blank or a cut never falls inside a word ("要求").

Loading jieba's dictionary takes about two seconds once per process; ``warm_up`` starts that in
the background (the review page calls it, so the first 生成候选题 does not wait for it).
"""
from __future__ import annotations

import threading

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """The jieba tokenizer, its dictionary loaded (once per process)."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
            loaded = jieba.Tokenizer()
            loaded.initialize()
            _tokenizer = loaded
        return _tokenizer


def warm_up() -> threading.Thread | None:
    """Load the dictionary in a background thread unless it is loaded; the thread, if started."""
    if _tokenizer is not None:
        return None
    thread = threading.Thread(target=tokenizer, name="jieba-warm-up", daemon=True)
    thread.start()
    return thread


def is_word_boundary(text: str, position: int) -> bool:
    """True when ``position`` falls between two words of ``text`` (or at either end)."""
    if position <= 0 or position >= len(text):
        return True
    offset = 0
    for word in tokenizer().cut(text, HMM=False):
        offset += len(word)
        if offset >= position:
            return offset == position
    return True

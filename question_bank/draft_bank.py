"""The drafts made from one study text, kept unique, and the wording all kinds of question share."""
from __future__ import annotations

import dataclasses
import hashlib
import random
import re

from question_bank.draft import OPTION_LETTERS, QuestionDraft, SourceRef
from question_bank.studytext import StudyText, clean_title
from question_bank.text import normalise_answer_text as normalise
from question_bank.text import normalise_stem

CATEGORY_ROOT = "每周一学"
OPTION_COUNT = 4
_ASCII_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT_RE = re.compile(r"(?<=[^\x00-\x7f])[,:;?!()]|[,:;?!()](?=[^\x00-\x7f])")


class DraftBank:
    """The drafts made so far, with what is needed to keep them unique and distractors safe."""

    def __init__(self, study: StudyText, source: SourceRef):
        self.study = study
        self.source = source
        self.folded_text = normalise(study.text)
        self.drafts: list[QuestionDraft] = []
        self._stems: set[str] = set()
        self._keys: set[str] = set()
        self._grams: dict[tuple, list[set[str]]] = {}  # per type and quote: stems' char pairs
        self.fills_per_quote: dict[str, int] = {}
        self.notes: dict[str, dict] = {}  # key -> structure read, what a false statement changed
        self.structure = ""
        self.statement_pairs: list = []  # fact_questions.StatementPair, for 多选 on statements
        self._judged = {True: 0, False: 0}

    def rng(self, *parts: str) -> random.Random:
        """A generator seeded by the source file and ``parts``: the same text, the same draws."""
        return random.Random("\x1f".join((self.source.file,) + parts))

    def judge_side(self, *parts: str) -> bool:
        """Whether the next 判断题 should be a true statement: the side with fewer so far (ties
        decided by a draw seeded from ``parts``), so about half are false."""
        if self._judged[True] != self._judged[False]:
            return self._judged[True] < self._judged[False]
        return self.rng(*parts, "judge").random() < 0.5

    def stated(self, statement: str) -> bool:
        """True when the text says ``statement`` (ignoring punctuation and width)."""
        return normalise(statement) in self.folded_text

    def add(self, kind: str, type_: str, stem: str, answer, *, quote: str, subject: str,
            explanation: str, difficulty: int, topic: str | None, options=(), scope: str = "",
            change: str = "") -> None:
        """Add a draft unless its key or stem is taken. The key hashes the source file, the
        quote, the kind, the scope (the list asked about, when a sentence holds several) and
        the answer."""
        key = "gen-" + hashlib.sha1("\x1f".join(
            (self.source.file, quote, kind, scope, subject)).encode()).hexdigest()[:16]
        folded_stem = normalise_stem(stem)
        grams = _bigrams(folded_stem)
        if key in self._keys or folded_stem in self._stems or any(
                _alike(grams, other) for other in self._grams.get((type_, quote), [])):
            return  # the same question, or one on the same passage that differs in a word
        if MASK_RE.search(" ".join((stem, *options))):
            return  # the source hid words ("中国**百年奋斗"): no one can answer what is missing
        self._keys.add(key)
        self._stems.add(folded_stem)
        self._grams.setdefault((type_, quote), []).append(grams)
        if type_ == "judge":
            self._judged[bool(answer)] += 1
        self.notes[key] = {"structure": self.structure, "kind": kind, "scope": scope,
                           "change": change}
        title = clean_title(topic)
        root = category_root(self.source)
        self.drafts.append(QuestionDraft(
            type=type_, stem=display(stem), options=[display(o) for o in options], answer=answer,
            explanation=display(explanation), difficulty=difficulty,
            category=f"{root}/{title.replace('/', '／')}" if title else root,
            status="draft", source=dataclasses.replace(self.source), quote=quote, key=key,
            origin_file=self.source.file, origin_row=len(self.drafts) + 1))

    def add_choice(self, kind: str, stem: str, right: list[str], wrong: list[str],
                   **fields) -> None:
        """Add a choice question; the options are shuffled by a generator seeded from them."""
        options = right + wrong
        random.Random("\x1f".join((self.source.file, stem, *options))).shuffle(options)
        letters = [OPTION_LETTERS[i] for i, option in enumerate(options) if option in right]
        type_ = "single" if len(right) == 1 else "multiple"
        self.add(kind, type_, stem, letters, subject="、".join(right), options=options, **fields)


MASK_RE = re.compile(r"\*\*|××|＊＊|XX")
NEAR_TWIN = 0.8  # share of character pairs from which two stems on one passage are one question


def _bigrams(folded: str) -> set[str]:
    return {folded[i:i + 2] for i in range(len(folded) - 1)}


def _alike(first: set[str], second: set[str]) -> bool:
    return bool(first and second) and \
        len(first & second) / len(first | second) >= NEAR_TWIN


def category_root(source: SourceRef) -> str:
    """The knowledge point drafts of ``source`` go under: its section (栏目), else 每周一学."""
    return source.section.strip().replace("/", "／") or CATEGORY_ROOT


def display(text: str) -> str:
    """Text as a member reads it: full-width punctuation between Chinese words."""
    return _ASCII_PUNCT_RE.sub(lambda match: _ASCII_PUNCT[match.group()], text)


def cite(rule: str) -> str:
    """The opening of an explanation: 原文指出：“rule” (inner quotation marks made single)."""
    inner = rule.replace("“", "‘").replace("”", "’").strip()
    return f"原文指出：“{inner}”"


def topic_lead(topic: str | None) -> str:
    """The words that put a quoted passage in its topic: 关于TOPIC，原文指出："""
    return f"关于{clean_title(topic)}，原文指出：" if topic else ""

"""Counted formulations quoted in a sentence with what was done with them: "制定了“三步走”的发展
战略", "十一届三中全会否定了“两个凡是”", "提出实现“四个现代化”的目标"."""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.studytext.model import Span
from question_bank.studytext.words import PLAIN_SENTENCE_RE, lead_end

FORMULATION_RE = re.compile(r"“(?P<term>[一二两三四五六七八九十]{1,2}(?:个|步|大|项|位|条|种)"
                            r"[\u4e00-\u9fff]{1,6})”")
VERB_RE = re.compile(r"提出|制定|确立|作出|做出|否定|实现|坚持|强调|形成|写入|纳入|增强|做到")
MAX_SENTENCE = 80

# Well-known formulations, wrong options when the text names too few of its own.
KNOWN = ("两个务必", "两个凡是", "三个代表", "四个全面", "五位一体", "四个意识", "四个自信", "两个维护",
         "两个确立", "三步走", "两步走", "四个现代化", "三大作风", "八项规定")


@dataclass
class Formulation:
    term: str
    span: Span  # of the term, without its quotation marks
    sentence: Span
    quote: str


def read_formulations(text: str, start: int, end: int) -> list[Formulation]:
    found = []
    for sentence in PLAIN_SENTENCE_RE.finditer(text, start, end):  # one per sentence: no near-twins
        s_start, s_end = sentence.span()
        s_start = lead_end(text, s_start, s_end)
        if s_end - s_start > MAX_SENTENCE:
            continue
        for match in FORMULATION_RE.finditer(text, s_start, s_end):
            clause_start = max(text.rfind(mark, s_start, match.start()) for mark in "，,；;：:")
            clause = text[max(clause_start + 1, s_start):match.start()]
            if VERB_RE.search(clause):
                found.append(Formulation(match.group("term"), match.span("term"),
                                         (s_start, s_end), text[s_start:s_end]))
                break
    terms = [f.term for f in found]
    return [f for f in found if terms.count(f.term) == 1]  # a term said twice is no test

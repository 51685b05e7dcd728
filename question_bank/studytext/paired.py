"""Paired lists: kinds each described by a pair of words, in one sentence.

"“红船精神”包含了开天辟地、敢为人先的首创精神，坚定理想、百折不挠的奋斗精神，以及立党为公、
忠诚为民的奉献精神。" is a list of kinds (首创精神, 奋斗精神, 奉献精神) and, for each, the pair
that describes it. A sentence opening with "它" or "其" takes its name from the sentence before
it when that one opens with a quoted term ("“红船精神”不仅是…").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.studytext.model import Enumeration, Span, StudyText
from question_bank.studytext.words import plausible_name, sentence_spans

WORD = r"[\u4e00-\u9fff]{2,8}"
FIRST_RE = re.compile(rf"(?P<head>[^，,；;]{{1,20}}?)(?P<verb>包含了|包含|包括了|包括|主要有)"
                      rf"(?P<pair>{WORD}、{WORD})的(?P<kind>[\u4e00-\u9fff]{{2,6}})")
NEXT_RE = re.compile(rf"(?:以及|还有|和)?(?P<pair>{WORD}、{WORD})的(?P<kind>[\u4e00-\u9fff]{{2,6}})")
PRONOUNS = ("它", "其", "这一精神", "这种精神")
QUOTED_HEAD_RE = re.compile(r"“[^”]{2,12}”")


@dataclass
class PairedList:
    """Kinds each described by a pair of words; ``lead`` is the sentence up to the first pair,
    its pronoun replaced by the name."""

    name: str
    lead: str
    pairs: list[str]
    kinds: list[str]
    quote: str


def read_paired_lists(study: StudyText, start: int, end: int, topic: str | None) -> list[PairedList]:
    found = []
    sentences = sentence_spans(study.text, start, end)
    for index, (s_start, s_end) in enumerate(sentences):
        previous = sentences[index - 1] if index else None
        paired = _paired(study, s_start, s_end, previous, topic)
        if paired:
            found.append(paired)
    return found


def _paired(study: StudyText, s_start: int, s_end: int, previous: Span | None,
            topic: str | None) -> PairedList | None:
    text = study.text
    clauses = re.split(r"([，,])", text[s_start:s_end].rstrip("。！!"))
    first = FIRST_RE.fullmatch(clauses[0])
    if not first:
        return None
    matches, spans = [first], []
    for clause in clauses[2::2]:
        found = NEXT_RE.fullmatch(clause)
        if not found:
            return None
        matches.append(found)
    position, starts = s_start, []
    for piece in clauses[::2]:
        starts.append(position)
        position += len(piece) + 1
    for match, clause_start in zip(matches, starts):
        spans.append((clause_start + match.start("kind"), clause_start + match.end("kind")))
    kinds = [match.group("kind") for match in matches]
    pairs = [match.group("pair") for match in matches]
    if len(matches) < 2 or len(set(kinds)) < len(kinds) or len(set(pairs)) < len(pairs) \
            or len({kind[-2:] for kind in kinds}) != 1:
        return None
    name, quote_start = _name(text, first.group("head").strip(), previous, s_start)
    if not name:
        return None
    quote = text[quote_start:s_end]
    rule = name + text[s_start + first.start("verb"):s_end]
    study.enumerations.append(Enumeration(kinds, spans, name, topic, quote, rule))
    return PairedList(name, name + first.group("verb"), pairs, kinds, quote)


def _name(text: str, head: str, previous: Span | None, s_start: int
          ) -> tuple[str | None, int]:
    """The list's name and where its quote starts: the head itself, or for a pronoun the
    quoted term the sentence before opens with."""
    if head in PRONOUNS:
        if not previous:
            return None, 0
        opening = QUOTED_HEAD_RE.match(text, previous[0])
        return (opening.group(), previous[0]) if opening else (None, 0)
    return plausible_name(head), s_start

"""Statements within one sentence: definitions "X是Y" and chains "以A为宗旨，以B为根本"."""
from __future__ import annotations

import re

from question_bank.studytext.model import Definition, RoleChain, StudyText
from question_bank.studytext.words import TERM_BAD_START

ROLE_RE = re.compile(
    r"(?<![^，,；;：:\s])以(?P<x>[^，,。；;：:]{2,24}?)为"
    r"(?P<role>宗旨|根本|基础|保障|依托|主线|统领|根基|着力点|核心|中心|重点|关键|导向|抓手|支撑|遵循)"
    r"(?=[，,。；;]|$)")
DEFINITION_RE = re.compile(
    r"^(?P<term>“[^”]{2,12}”|[^，,。；;：:、“”（）()\s是]{2,12})(?:是指(?![导南引挥])|是)"
    r"(?P<body>[^，,。；;：:、“”]{4,40})$")
TERM_BAD_END = tuple("不就都才也还正总仅而既又更只便即乃均皆亦可应要会能将")


def read_definitions(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
    text = study.text
    for piece in re.finditer(r"[^；;。！？!?]+[；;。！？!?]?", text[s_start:s_end]):
        words = piece.group().strip()
        match = DEFINITION_RE.match(words.rstrip("；;。！？!?"))
        if not match:
            continue
        term, body = match.group("term"), match.group("body")
        if term.startswith(TERM_BAD_START) or term.endswith(TERM_BAD_END) or body[0] in "否不非":
            continue
        if body.endswith("之一") or re.search(r"\d", term):
            continue  # "X是…之一" names no single term; "2025年是…" is news, not doctrine
        study.definitions.append(Definition(term, body, topic, words))


def read_roles(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
    text = study.text
    sentence = text[s_start:s_end]
    matches = list(ROLE_RE.finditer(sentence))
    if not matches:
        return
    entries = [(m.group("x"), m.group("role"), (s_start + m.start("x"), s_start + m.end("x")))
               for m in matches]
    chain_end = s_start + matches[-1].end()
    lead_start = s_start if matches[-1].end() <= 60 else s_start + matches[0].start()
    study.chains.append(RoleChain(entries, topic, sentence, (lead_start, chain_end),
                                  lead_start == s_start))

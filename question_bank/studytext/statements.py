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
    # a piece ends at a colon too: "他论述道：严格的党性是…" states "严格的党性是…"
    for piece in re.finditer(r"[^；;。！？!?：:]+[；;。！？!?：:]?", text[s_start:s_end]):
        words = piece.group().strip()
        if words.endswith(("：", ":", "？", "?")):
            continue  # "X是Y：…" introduces what follows it; "为什么说X是Y？" asks, not states
        for match in _claims(words):
            _add_definition(study, match, words, topic)


def _claims(words: str) -> list[re.Match]:
    """"X是Y" as the whole piece, else each clause "X是Y" whose Y is a role or a superlative
    ("制度优势是一个国家最大的优势，制度竞争是国家间最根本的竞争")."""
    whole = DEFINITION_RE.match(words.rstrip("；;。！？!?"))
    if whole:
        return [whole]
    clauses = [DEFINITION_RE.match(clause) for clause in re.split(r"[，,]", words.rstrip("；;。！？!?"))]
    return [m for m in clauses if m and (m.group("body").endswith(ROLE_HEADS)
                                         or re.search(r"最|唯一|根本|首要", m.group("body")))]


def _add_definition(study: StudyText, match: re.Match, words: str, topic: str | None) -> None:
    term, body = match.group("term"), match.group("body")
    if term.startswith(TERM_BAD_START) or term.endswith(TERM_BAD_END) or body[0] in "否不非":
        return
    if IS_WORD_RE.search(match.string[:match.end("term") + 1]):
        return  # "是" belongs to a word ("实事求是", "还是")
    if body.endswith("之一") or re.search(r"\d", term):
        return  # "X是…之一" names no single term; "2025年是…" is news, not doctrine
    if any(d.quote == words and d.term == term for d in study.definitions):
        return
    study.definitions.append(Definition(term, body, topic, words))


# What a term is for the whole ("立党之本", "第一动力"): a claim that stands in its clause even
# when the sentence goes on ("政治意识是立党之本，党员干部都要…").
ROLE_HEADS = ("之本", "之源", "之基", "之魂", "动力", "要求", "保证", "保障", "基础", "前提", "关键",
              "灵魂", "法宝", "标志", "本质", "优势", "基石", "生命线", "必由之路", "命脉")


# Parallel clauses "“X”的依据是“A”；“X”的核心是“B”": the same chain, said of one subject.
ASPECT_RE = re.compile(
    r"(?<![^，,；;：:\s])(?P<subject>“[^”]{2,12}”|[\u4e00-\u9fff]{2,12})的"
    r"(?P<role>依据|宗旨|根本|基础|保障|主线|根基|核心|中心|重点|关键|导向|遵循|前提|目标|精髓|灵魂)"
    r"(?:是|在)“(?P<x>[^”]{2,24})”(?=[，,。；;]|$)")


def read_roles(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
    text = study.text
    sentence = text[s_start:s_end]
    matches = list(ROLE_RE.finditer(sentence))
    if not matches:
        matches = list(ASPECT_RE.finditer(sentence))
        if len(matches) < 2 or len({m.group("subject") for m in matches}) > 1:
            return  # one clause alone, or clauses about different subjects
    entries = [(m.group("x"), m.group("role"), (s_start + m.start("x"), s_start + m.end("x")))
               for m in matches]
    chain_end = s_start + matches[-1].end()
    lead_start = s_start if matches[-1].end() <= 60 else s_start + matches[0].start()
    study.chains.append(RoleChain(entries, topic, sentence, (lead_start, chain_end),
                                  lead_start == s_start))


ATTRIBUTES = ("核心要义", "本质要求", "根本特质", "总目标", "总任务", "首要任务", "根本宗旨", "主要矛盾",
              "最高理想", "根本保证", "根本动力", "总要求", "总体布局", "战略布局", "根本任务",
              "中心任务", "精髓要义", "根本遵循", "根本目的", "根本原则", "最大优势", "本质特征")
ATTRIBUTE_RE = re.compile(
    r"(?:^|(?<=[，,：:]))(?P<term>[^，,。；;：:“”、]{2,24}?(?:的)?(?:" + "|".join(ATTRIBUTES) + r"))"
    r"(?:是|就是|为)(?!指)(?P<body>[^。；;！？!?]{2,60})")
SUOWEI_RE = re.compile(r"所谓(?P<term>“?[^，,。“”]{2,12}”?)[，,](?:就是指|就是|是指|是)(?P<body>[^。；;]{4,50})")
# "共产党员的党性，就是…": a term of the form "X的Y" opening its sentence (or a quotation)
JIUSHI_RE = re.compile(r"(?:^|(?<=[：:“]))(?P<term>[^，,。；;：:“”、]{2,10}的[^，,。；;：:“”、的]{2,6})[，,]就是"
                       r"(?P<body>[^。；;！？!?“”]{4,40})")
SHIZHI_RE = re.compile(r"(?:^|(?<=[，,：:]))(?P<term>“?[^，,。；;：:“”、]{2,14}?”?)是指"
                       r"(?P<body>[^。；;！？!?]{4,50})")


TERM_LEAD_RE = re.compile(r"^(?:——|—|明确|强调|指出|提出|确定|规定)+")
IS_WORD_RE = re.compile(r"(?:实事求|但|还|总|就|可|于|凡|只|正|或|倒|算|若|要|真|其|别|而|不|也|都|即)是")


NEW_CLAUSE_RE = re.compile(r"^(?:必须|要|需要|应当|并|而|这|从而|因此|进而|强调|不断)")


def _first_clause(body: str, sentence: str) -> str | None:
    """The body up to its first comma when a new clause follows ("…的矛盾，必须坚持…"), the whole
    body when it ends the sentence soon after; None when it is cut short otherwise, introduces a
    list ("是：…") or holds a second statement ("…、战略布局是…")."""
    if body.startswith(("：", ":")):
        return None
    head, comma, rest = body.partition("，") if "，" in body else body.partition(",")
    if comma and NEW_CLAUSE_RE.match(rest):
        body = head
    elif comma and (len(rest) > 25 or not sentence.rstrip("。！？!?").endswith(rest)):
        return None
    return None if "是" in body or len(body) < 2 else body


def read_attributes(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
    """"X的总目标是Y", "所谓X，就是Y" and "X是指Y": what a term is or what it aims at."""
    text = study.text
    sentence = text[s_start:s_end].strip()
    known = {d.term for d in study.definitions}
    for regex in (ATTRIBUTE_RE, SUOWEI_RE, JIUSHI_RE, SHIZHI_RE):
        for match in regex.finditer(sentence.rstrip("。！？!?")):
            term = TERM_LEAD_RE.sub("", match.group("term").strip())
            body = _first_clause(match.group("body").strip(), sentence)
            if not body or term.startswith(TERM_BAD_START) or term in known or body[0] in "否不非":
                continue
            known.add(term)
            study.definitions.append(Definition(term, body, topic, sentence, kind="attribute"))

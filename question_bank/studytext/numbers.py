"""Number facts: "出席代表共755名", "党的全国代表大会每五年举行一次".

A statement runs from its sentence's start to the end of the clause that holds the number; the
number is a count said with 共/共计/达 (arabic, two digits or more) in a statement that dates what
it counts, or the years of "每N年…一次". A statement pointing elsewhere ("这座主楼") is left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.studytext.model import Span
from question_bank.studytext.words import PLAIN_SENTENCE_RE, lead_end

COUNT_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?:共计|总计|合计|共|达)(?P<number>\d{2,}(?:万|亿)?)"
                      r"(?P<unit>名|人|位|个|项|条|次|所|万|亿)")
EVERY_RE = re.compile(r"每(?P<number>[两二三四五六七八九十]|\d{1,2})(?P<unit>年)[\u4e00-\u9fff]{0,6}?"
                      r"(?:召开|举行|举办|换届|选举)一次")
MAX_STATEMENT = 80
YEAR_RE = re.compile(r"(?:1[89]|20)\d\d年")
DEICTIC_RE = re.compile(r"[这那该此][座个里次位项所些]|上述|以上")


@dataclass
class NumberFact:
    statement: str  # from the sentence start to the end of the number's clause
    number: str
    unit: str
    number_span: Span  # within the statement
    quote: str


def read_number_facts(text: str, start: int, end: int) -> list[NumberFact]:
    facts = []
    for sentence in PLAIN_SENTENCE_RE.finditer(text, start, end):
        s_start, s_end = sentence.span()
        s_start = lead_end(text, s_start, s_end)
        for regex in (COUNT_RE, EVERY_RE):
            match = regex.search(text, s_start, s_end)
            if not match:
                continue
            clause_end = match.end()
            while clause_end < s_end and text[clause_end] not in "，,；;。！？!?":
                clause_end += 1
            statement = text[s_start:clause_end]
            if len(statement) <= MAX_STATEMENT and statement.count("“") == statement.count("”") \
                    and not DEICTIC_RE.search(statement) \
                    and (regex is EVERY_RE or YEAR_RE.search(statement)):
                a, b = match.span("number")
                facts.append(NumberFact(statement, match.group("number"), match.group("unit"),
                                        (a - s_start, b - s_start), text[s_start:s_end]))
            break  # one number fact a sentence: no near-twins
    return facts

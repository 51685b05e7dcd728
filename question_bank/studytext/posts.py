"""Who held which post: "朱德任军长，毛泽东任党代表，陈毅任政治部主任" or "乌兰夫当选为政府主席，
哈丰阿当选为副主席" — two or more clauses of one sentence, each one person and one post; and who
made which report: "朱德作《论解放区战场》的军事报告，刘少奇作《关于修改党章的报告》" (the title
stands for the post)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.studytext.model import Span
from question_bank.studytext.words import PLAIN_SENTENCE_RE

POST_CLAUSE_RE = re.compile(
    r"^(?:由|并由|改由)?(?P<person>[\u4e00-\u9fff]{2,4}?)(?P<verb>当选为|担任|出任|任)(?P<post>[\u4e00-\u9fff]{2,10})$")
REPORT_CLAUSE_RE = re.compile(r"^(?P<person>[\u4e00-\u9fff]{2,3}?)(?P<verb>作了|作|致|发表了|发表)"
                              r"(?P<post>《[^》]{2,16}》)")
NOT_PERSON = ("他们", "会议", "大会", "全会", "政府", "中央", "同时", "随后", "后来", "其中", "主要")
MAX_CONTEXT = 60


@dataclass
class PostGroup:
    """(person, post, person span, post span) of one sentence, and the words that say where."""

    posts: list[tuple[str, str, Span, Span]]
    context: Span  # from where the stem starts to the end of the last post clause
    quote: str


def read_posts(text: str, start: int, end: int) -> list[PostGroup]:
    groups = []
    previous: tuple[int, int] | None = None
    for sentence in PLAIN_SENTENCE_RE.finditer(text, start, end):
        s_start, s_end = sentence.span()
        group = _posts(text, s_start, s_end, previous)
        if group:
            groups.append(group)
        previous = (s_start, s_end)
    return groups


def _posts(text: str, s_start: int, s_end: int, previous) -> PostGroup | None:
    clauses = [(s_start + m.start(), s_start + m.end())
               for m in re.finditer(r"[^，,；;。！？!?]+", text[s_start:s_end])]
    found = []
    for a, b in clauses:
        a += len(text[a:b]) - len(text[a:b].lstrip())
        match = POST_CLAUSE_RE.match(text[a:b].strip()) or REPORT_CLAUSE_RE.match(text[a:b].strip())
        if match and not match.group("person").startswith(NOT_PERSON):
            found.append((match.group("person"), match.group("post"),
                          (a + match.start("person"), a + match.end("person")),
                          (a + match.start("post"), a + match.end("post")), a, b))
        elif found:
            break
    if len(found) < 2 or len({f[0] for f in found}) < len(found) or \
            len({f[1] for f in found}) < len(found):
        return None
    first_clause = found[0][4]
    reports = all(text[f[3][0]] == "《" for f in found)
    # a report is named by its title; a post needs the words that say of what
    context_start = s_start if reports and first_clause == s_start else \
        _context_start(text, s_start, first_clause, previous)
    if context_start is None:
        return None
    end = found[-1][5] if reports else found[-1][3][1]  # a report's clause goes on: "…》的报告"
    quote_start = min(context_start, s_start)
    return PostGroup([f[:4] for f in found], (context_start, end), text[quote_start:s_end].strip())


def _context_start(text: str, s_start: int, first_clause: int, previous) -> int | None:
    """The clause before the first post clause (what the posts are of); the sentence before
    when the posts open their sentence."""
    if first_clause > s_start:
        start = s_start
        while first_clause - start > MAX_CONTEXT:
            cut = min((i for i in (text.find(mark, start, first_clause - 1) for mark in "，,；;")
                       if i >= 0), default=-1)
            if cut < 0:
                return None
            start = cut + 1
        return start if first_clause - start >= 4 else None
    if previous and previous[1] - previous[0] <= MAX_CONTEXT:
        return previous[0]
    return None

"""Dated events: "1935年1月15日至17日，中共中央在遵义召开了政治局扩大会议。"

A statement is the sentence (or its opening clauses) from its start to the clause that holds an
event verb after a date with a year; the verb must have its object in the same statement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.studytext.model import Span
from question_bank.studytext.words import PLAIN_SENTENCE_RE, lead_end

DATE_RE = re.compile(
    r"(?P<year>1[89]\d\d|20\d\d)年(?:(?P<month>1[0-2]|[1-9])月(?:(?P<day>[1-3]?\d)日)?|"
    r"(?P<season>[春夏秋冬](?:天|季)?|初|底|末)(?![期叶]))?"
    r"(?:(?:至|到|—|－|-)(?:(?:1[0-2]|[1-9])月)?[1-3]?\d日)?")
EVENT_VERB_RE = re.compile(
    r"召开|举行|开幕|闭幕|成立|通过|提出|发表|创刊|诞生|会师|写入|载入|召集|发出|宣告|当选|"
    r"选举|签署|发布|作出|做出|到达|抵达|迁入|迁往|改为|出版|爆发|胜利|建立|确立|颁布|公布|"
    r"领导了|发动了|发起了")
# Verbs whose event is their subject ("大会于…在上海召开，…"): nothing follows them as object.
SUBJECT_VERB_RE = re.compile(r"召开|举行|开幕|闭幕|成立|诞生|会师|爆发|胜利|到达|抵达")
PLACE_RE = re.compile(r"在(?!这|那|此|该|当地|本地|同地)(?P<place>[\u4e00-\u9fff（）()]{2,14}?)(?:胜利|隆重|正式|秘密)?"
                      r"(?:召开|举行|开幕|成立|会师|创刊)")
DEICTIC_RE = re.compile(r"在(?:这里|那里|此地|此处)")
MAX_STATEMENT = 90


@dataclass
class DatedEvent:
    """A dated statement; ``date`` is the date as written, ``year`` its year."""

    statement: str  # from the sentence start to the end of the event's clause
    span: Span
    date: str
    date_span: Span
    year: int
    place: Span | None
    ends_sentence: bool
    quote: str
    relative: bool = False  # spans count from the statement's start, not the text's


DATE_LEAD_RE = re.compile(r"(?:^|[，,]|公元|于)$")
DATE_LINE_RE = re.compile(r"^[ \t\u3000]*(" + DATE_RE.pattern + r")[ \t\u3000]*$", re.M)


def read_events(text: str, start: int, end: int) -> list[DatedEvent]:
    """Dated statements; a date on a line of its own dates the first sentence below it."""
    events = []
    line_dates = {match.end(): match for match in DATE_LINE_RE.finditer(text, start, end)}
    for sentence in PLAIN_SENTENCE_RE.finditer(text, start, end):
        s_start, s_end = sentence.span()
        s_start = lead_end(text, s_start, s_end)
        heading = line_dates.get(s_start - 1)
        event = _event(text, s_start, s_end, heading)
        if event:
            events.append(event)
    return events


def _event(text: str, s_start: int, s_end: int, heading: re.Match | None = None
           ) -> DatedEvent | None:
    date = DATE_RE.search(text, s_start, s_end)
    if date and date.start() - s_start > 30 and text[date.start() - 1] in "，," \
            and _has_subject(text, date.end(), s_end):
        s_start = date.start()  # "为了…，在…帮助下，1927年8月7日，中共中央在汉口召开了…"
    if date and (date.start() - s_start > 30
                 or not DATE_LEAD_RE.search(text[s_start:date.start()])):
        date = None
    if not date and heading and not DATE_RE.search(text, s_start, s_end):
        return _headed_event(text, s_start, s_end, heading)
    if not date:
        return None
    verb = _verb(text, date.end(), s_end)
    if not verb or not (date.group("month") or _year_event(text, date, verb)):
        return None
    clause_end = verb.end()
    while clause_end < s_end and text[clause_end] not in "，,；;。！？!?":
        clause_end += 1
    if clause_end - verb.end() < 2 and clause_end < s_end and text[clause_end] in "，," \
            and not SUBJECT_VERB_RE.fullmatch(verb.group()):
        clause_end = s_end  # "…向全党提出，务必…": the object follows
    while clause_end > s_start and text[clause_end - 1] in "，,；;。！？!? ":
        clause_end -= 1
    clause_end = _before_open_bracket(text, s_start, clause_end)
    statement = text[s_start:clause_end]
    if len(statement) > MAX_STATEMENT or statement.count("“") != statement.count("”") \
            or statement.count('"') % 2 or date.end() == clause_end:
        return None
    place = PLACE_RE.search(text, date.end(), clause_end)
    if statement.startswith(date.group()) and text[date.end()] in " \u3000":
        return None  # a headline ("1947年5月1日 内蒙古自治政府宣告成立"), not a sentence
    ends = clause_end + 1 >= s_end
    deictic = DEICTIC_RE.search(text, date.end(), clause_end)
    if deictic:  # "于…在这里召开": "这里" points to a sentence the question does not show
        return DatedEvent(text[s_start:deictic.start()] + text[deictic.end():clause_end],
                          (s_start, clause_end), date.group(),
                          (date.start() - s_start, date.end() - s_start),
                          int(date.group("year")), None, ends, text[s_start:s_end], relative=True)
    return DatedEvent(statement, (s_start, clause_end), date.group(), date.span(),
                      int(date.group("year")), place.span("place") if place else None, ends,
                      text[s_start:s_end])


# What a clause without its subject opens with ("1935年1月，在遵义会议上当选…").
SUBJECTLESS_RE = re.compile(r"[在于又便就即再并也还被由将把向从首正第曾已随先]")


def _has_subject(text: str, start: int, end: int) -> bool:
    """True when the clause after a date (``text[start:end]``) opens with its own subject."""
    while start < end and text[start] in "，, ":
        start += 1
    verb = _verb(text, start, end)
    return bool(verb) and verb.start() - start >= 2 and not SUBJECTLESS_RE.match(text, start)


def _before_open_bracket(text: str, start: int, end: int) -> int:
    """``end``, or where a bracket left open before it begins ("召开了会议(因出席的…")."""
    for opening, closing in ("（）", "()"):
        at = text.rfind(opening, start, end)
        if at >= 0 and text.find(closing, at, end) < 0:
            end = at
    return end


# Verbs that make a year alone ("1938年秋，…在延安召开了…全会") date one event, not a period.
YEAR_EVENT_VERB_RE = re.compile(r"召开|举行|成立|通过|发表|诞生|会师|爆发|签署|颁布|确立")


def _year_event(text: str, date: re.Match, verb: re.Match) -> bool:
    """A date of a year (and season) only dates an event when a meeting-like verb follows it in
    the same clause ("1938年秋，…召开了…", not "1937年以来…" or "1937年的几万名党员")."""
    after = text[date.end():verb.start()]
    return bool(YEAR_EVENT_VERB_RE.fullmatch(verb.group())) and len(after) <= 30 \
        and not re.match(r"以来|以后|以前|后|前|起|至|的|间|代|左右|之", after) \
        and not re.search(r"[，,；;]", after.lstrip("，,"))


def _verb(text: str, start: int, end: int) -> re.Match | None:
    """The first event verb used as a predicate (not "出版的…", "创刊号")."""
    for verb in EVENT_VERB_RE.finditer(text, start, end):
        if text[verb.end():verb.end() + 1] not in ("的", "号", "后", "时"):
            return verb
    return None


def _headed_event(text: str, s_start: int, s_end: int, heading: re.Match) -> DatedEvent | None:
    """"1922年6月15日" on its own line over "中共中央发表《…》。": read as one dated sentence."""
    date = DATE_RE.search(heading.group(1))
    verb = _verb(text, s_start, s_end)
    clause_end = s_end
    while clause_end > s_start and text[clause_end - 1] in "，,；;。！？!? ":
        clause_end -= 1
    if not verb or not date.group("month") or verb.start() - s_start > 20 \
            or re.search(r"[，,；;]", text[s_start:clause_end]) or clause_end - s_start > 60:
        return None
    statement = f"{date.group()}，{text[s_start:clause_end]}"
    place = PLACE_RE.search(text, s_start, clause_end)
    offset = len(date.group()) + 1 - s_start
    return DatedEvent(statement, (s_start, clause_end), date.group(), (0, len(date.group())),
                      int(date.group("year")), None if not place else
                      tuple(p + offset for p in place.span("place")), True,
                      text[heading.start(1):s_end], relative=True)

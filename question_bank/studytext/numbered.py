"""The lines of a study section (with their headings) and the numbered lists in them.

A list stands either on lines of its own ("1.坚持党的领导。…") under a heading or a line ending
in "：", or inside one paragraph ("NAME：一是A；二是B。", "①A②B").
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from question_bank.studytext.model import Enumeration, Span, StudyText
from question_bank.studytext.words import CN_NUMBER, checked_name, name_before, number_value, sentence_spans

BULLET_RE = re.compile(r"^[ \t\u3000]*(?:[-*•·][ \t]+)?")
HEADING_RE = re.compile(r"^[★■◆●▲☆](.+)$|^【(.+)】$")
# One marker regex per numbering style; "inline" styles may also stand inside a paragraph.
MARKERS = {
    "arabic": (re.compile(r"(\d{1,2})[.．、](?!\d)"), False),
    "paren_arabic": (re.compile(r"[（(](\d{1,2})[)）]"), True),
    "circled": (re.compile(r"([①-⑳])"), True),
    "paren_cn": (re.compile(rf"[（(]({CN_NUMBER})[)）]"), True),
    "cn_comma": (re.compile(rf"({CN_NUMBER})、"), False),
    "cn_shi": (re.compile(rf"({CN_NUMBER})是"), True),
    "di": (re.compile(rf"第({CN_NUMBER})[，,、：:]"), True),
}
GENERIC_HEADING_RE = re.compile(r"(?:内容)?摘\s*要|提\s*要|心得体会|学习体会|关键词|引\s*言|前\s*言|导\s*[语读]|结\s*语|"
                                r"编者按|正\s*文|概\s*述|背\s*景|参考文献|延伸阅读|相关链接")
# An author line ("■ 杨正军 黄金峰", "■文/张三") names who wrote, not what follows is about.
BYLINE_RE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:[ \t\u3000]+[\u4e00-\u9fff]{2,4})+|"
                       r"(?:文|作者|记者|通讯员)[ \t\u3000]*[/／:：].+")
LABEL_END_RE = re.compile(r"[。；;：:，,！？!?]")
MAX_LABEL = 20
MAX_LINE_LABEL = 30  # an item that is its whole line ("4. 全党各个组织和全体党员服从…")
# A paragraph ending in a counted name names the numbered lines below it.
LEAD_COUNT_RE = re.compile(r"(?<![\d一二三四五六七八九十])(?P<name>[两二三四五六七八九十](?:个|项|大|条|种)"
                           r"[\u4e00-\u9fff]{2,6})[。：:]?$")


@dataclass
class Line:
    start: int  # offset of the content (after bullets)
    end: int
    content: str
    heading: str | None = None
    marker: tuple[str, int, int] | None = None  # style, number, offset where the label starts


def read_lines(text: str, start: int, end: int) -> list[Line]:
    lines = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        bullet = BULLET_RE.match(match.group()).end()
        content = match.group()[bullet:].rstrip()
        if not content:
            continue
        line = Line(start + match.start() + bullet, start + match.start() + bullet + len(content),
                    content)
        heading = HEADING_RE.match(content)
        if heading:
            title = (heading.group(1) or heading.group(2)).strip()
            title = re.split(r"[:：]", title, maxsplit=1)[0].strip()
            # a label of the page's parts ("【摘 要】", "【心得体会】") is no topic of what follows
            page_label = GENERIC_HEADING_RE.fullmatch(title) or BYLINE_RE.fullmatch(title)
            line.heading = None if page_label else title or None
        line.marker = _line_marker(content, line.start)
        lines.append(line)
    return lines


def _line_marker(content: str, offset: int) -> tuple[str, int, int] | None:
    for style, (regex, _inline) in MARKERS.items():
        match = regex.match(content)
        if match:
            number = number_value(match.group(1))
            return (style, number, offset + match.end()) if number else None
    return None


def _label(text: str, start: int, end: int) -> Span | None:
    """The short label an item begins with ("坚持党的领导" of "坚持党的领导。党是…")."""
    cut = LABEL_END_RE.search(text, start, end)
    stop = cut.start() if cut else end
    label = text[start:stop].strip()
    longest = MAX_LINE_LABEL if not cut and "\n" not in text[start:end] else MAX_LABEL
    if not 2 <= len(label) <= longest or ("是" in label.replace("实事求是", "")):
        return None
    begin = start + text[start:stop].index(label)
    return begin, begin + len(label)


def numbered_run(lines: list[Line], index: int) -> list[Line]:
    """The lines numbered 1, 2, 3… in one style from ``lines[index]`` on (none unless it is 1)."""
    first = lines[index].marker
    if not first or first[1] != 1:
        return []
    run = [lines[index]]
    for line in lines[index + 1:]:
        marker = line.marker
        if not marker or marker[0] != first[0] or marker[1] != len(run) + 1:
            break
        run.append(line)
    return run


def read_line_list(study: StudyText, lead: Line | None, run: list[Line], topic: str | None
                   ) -> None:
    """The list of the numbered lines ``run``, named by the ``lead`` line above them."""
    text = study.text
    spans = [_label(text, line.marker[2], line.end) for line in run]
    name = None
    if lead and lead.heading:
        name = lead.heading
    elif lead and lead.content.rstrip().endswith(("：", ":")):
        name = name_before(lead.content.rstrip()[:-1], topic)
    elif lead and (counted := LEAD_COUNT_RE.search(lead.content.rstrip())):
        name = counted.group("name")  # "…要着重提升四个意识。" over "一是要提升政治意识。…"
    if None in spans or not name:
        return  # not a list of short terms, or nothing says what it lists
    spans = _without_modal(text, _without_shared_lead(text, spans, name))
    quote = text[lead.start:run[-1].end]
    lead_text = text[lead.start:lead.end].lstrip("★■◆●▲☆【").rstrip("】:： ")
    rule = lead_text + "：" + "；".join(line.content.strip() for line in run) + "。"
    items = [text[a:b] for a, b in spans]
    study.enumerations.append(Enumeration(items, spans, checked_name(name, len(items)), topic,
                                          quote, rule))


def _without_shared_lead(text: str, spans: list[Span], name: str) -> list[Span]:
    """Labels without the words they all open with when what follows is the term the name
    counts ("要提升政治意识", "要提升大局意识" of "四个意识" -> "政治意识", "大局意识")."""
    labels = [text[a:b] for a, b in spans]
    key = name.strip("“”")[-2:]
    lead = len(os.path.commonprefix(labels))
    if not 1 <= lead <= 4 or not all(label.endswith(key) and len(label) - lead > len(key)
                                     for label in labels):
        return spans
    return [(a + lead, b) for a, b in spans]


MODALS = ("要", "必须", "应当")
MAX_SUBJECT = 10  # "中央政治局全体同志要改进调查研究": the subject before the modal


def _without_modal(text: str, spans: list[Span]) -> list[Span]:
    """Labels without the modal most of them open with ("要精简会议活动" -> "精简会议活动"), and
    without a subject before it ("中央政治局全体同志要改进调查研究" -> "改进调查研究")."""
    labels = [text[a:b] for a, b in spans]
    for modal in MODALS:
        if sum(label.startswith(modal) for label in labels) * 2 < len(labels):
            continue
        cuts = [label.find(modal) for label in labels]
        if all(0 <= cut <= MAX_SUBJECT and len(label) - cut - len(modal) >= 2
               for cut, label in zip(cuts, labels)):
            return [(a + cut + len(modal), b) for (a, b), cut in zip(spans, cuts)]
    return spans


def read_inline_numbered(study: StudyText, start: int, end: int, topic: str | None) -> None:
    """Lists such as "NAME：一是A；二是B。" or "NAME：①A②B" inside one paragraph."""
    text = study.text
    sentences = sentence_spans(text, start, end)
    for style, (regex, inline) in MARKERS.items():
        hits = [m for m in regex.finditer(text, start, end) if inline and
                (style == "circled" or _at_boundary(text, m.start(), start))]
        if len(hits) < 2 or \
                [number_value(m.group(1)) for m in hits] != list(range(1, len(hits) + 1)):
            continue
        stops = [m.start() for m in hits[1:]] + [end]
        spans = [_label(text, m.end(), stop) for m, stop in zip(hits, stops)]
        first = next(s for s in sentences if s[0] <= hits[0].start() < s[1])
        last = next(s for s in sentences if s[0] <= hits[-1].start() < s[1])
        lead = text[first[0]:hits[0].start()].rstrip()
        name = name_before(lead, topic) if lead.endswith(("：", ":")) else None
        if None in spans or not name:
            continue
        quote = text[first[0]:last[1]]
        items = [text[a:b] for a, b in spans]
        study.enumerations.append(Enumeration(items, spans, checked_name(name, len(items)),
                                              topic, quote, quote))


def _at_boundary(text: str, position: int, start: int) -> bool:
    return position == start or text[position - 1] in "，,；;。：:！？!? \t\u3000"

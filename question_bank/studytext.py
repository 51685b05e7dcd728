"""Read the structure of a 每周一学-style study text: topics, enumerations, definitions, 以…为… chains.

Everything found keeps its offsets in the text, so questions can quote the text verbatim and
blank out exactly the words they ask about.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from question_bank.text import normalise_answer_text

SECTION_RE = re.compile(r"^[ \t]*[◎■●◆]?[ \t]*每周一学[ \t]*$", re.M)
# The section ends before the next ◎ column, after its "（来源：…）" line, or before the title
# of the next article (the line above a "□本报记者" byline).
SECTION_END_RES = (re.compile(r"^[ \t]*◎", re.M),
                   re.compile(r"^[^\n]+\n(?=\s*□)", re.M))
SOURCE_NOTE_RE = re.compile(r"[（(]来源[:：][^)）\n]{1,40}[)）]")
BULLET_RE = re.compile(r"^[ \t\u3000]*(?:[-*•·][ \t]+)?")
HEADING_RE = re.compile(r"^[★■◆●▲☆](.+)$|^【(.+)】$")
CN_DIGITS = "一二三四五六七八九"
CN_NUMBER = r"[一二三四五六七八九十]{1,3}"
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
LABEL_END_RE = re.compile(r"[。；;：:，,！？!?]")
SENTENCE_END = "。！？!?"
SENTENCE_RE = re.compile(r"\s*([^。！？!?\n]+(?:[。！？!?]+[”’」』]?)?)")
CLAUSE_RE = re.compile(r"[^，,；;：:]+")
ROLE_RE = re.compile(
    r"(?<![^，,；;：:\s])以(?P<x>[^，,。；;：:]{2,24}?)为"
    r"(?P<role>宗旨|根本|基础|保障|依托|主线|统领|根基|着力点|核心|中心|重点|关键|导向|抓手|支撑|遵循)"
    r"(?=[，,。；;]|$)")
DEFINITION_RE = re.compile(
    r"^(?P<term>“[^”]{2,12}”|[^，,。；;：:、“”（）()\s是]{2,12})(?:是指(?![导南引挥])|是)"
    r"(?P<body>[^，,。；;：:、“”]{4,40})$")
TERM_BAD_START = tuple("这那它其此我你他她但而也就都还即正更又")
TERM_BAD_END = tuple("不就都才也还正总仅而既又更只便即乃均皆亦可应要会能将")
MAX_LABEL = 20
Span = tuple[int, int]


@dataclass
class Enumeration:
    """A list of items found in the text, with what it is a list of (if the text says so)."""

    items: list[str]
    spans: list[Span]  # where each item stands in the text
    name: str | None  # e.g. "“四个意识”", "国家层面的价值目标"
    topic: str | None
    quote: str  # verbatim passage containing the whole list
    rule: str  # the passage as one readable line, for explanations
    sentence: Span | None = None  # the sentence the list stands in (inline lists only)
    complete: bool = True  # False when the text says "等"


@dataclass
class Definition:
    """A sentence "X是Y"."""

    term: str
    body: str
    topic: str | None
    quote: str


@dataclass
class RoleChain:
    """Clauses "以A为宗旨，以B为根本" of one sentence: (item, role, span of item)."""

    entries: list[tuple[str, str, Span]]
    topic: str | None
    quote: str
    context: Span  # from the sentence start (if short) to the end of the last clause
    starts_sentence: bool = True


@dataclass
class StudyText:
    text: str
    enumerations: list[Enumeration] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    chains: list[RoleChain] = field(default_factory=list)


def study_section(text: str) -> tuple[int, int]:
    """Offsets of the ◎每周一学 section, or of the whole text when it has no such heading."""
    match = SECTION_RE.search(text)
    if not match:
        return 0, len(text)
    ends = [found.start() for regex in SECTION_END_RES
            if (found := regex.search(text, match.end()))]
    note = SOURCE_NOTE_RE.search(text, match.end())
    if note:
        ends.append(note.end())
    return match.end(), min(ends, default=len(text))


def cn_number(word: str) -> int:
    """1..99 written as 一 … 九十九 (or arabic digits, or a circled number)."""
    if word.isdigit() and word.isascii():
        return int(word)
    if "①" <= word <= "⑳":
        return ord(word) - ord("①") + 1
    tens, _, units = word.rpartition("十")
    if "十" not in word:
        return CN_DIGITS.index(word) + 1 if len(word) == 1 and word in CN_DIGITS else 0
    if len(tens) > 1 or len(units) > 1:
        return 0
    ten_value = CN_DIGITS.index(tens) + 1 if tens else 1
    return ten_value * 10 + (CN_DIGITS.index(units) + 1 if units else 0)


def normalise(text: str) -> str:
    return normalise_answer_text(text)


@dataclass
class _Line:
    start: int  # offset of the content (after bullets)
    end: int
    content: str
    heading: str | None = None
    marker: tuple[str, int, int] | None = None  # style, number, offset where the label starts


def _read_lines(text: str, start: int, end: int) -> list[_Line]:
    lines = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        bullet = BULLET_RE.match(match.group()).end()
        content = match.group()[bullet:].rstrip()
        if not content.strip():
            continue
        line = _Line(start + match.start() + bullet, start + match.start() + bullet + len(content),
                     content)
        heading = HEADING_RE.match(content)
        if heading:
            title = (heading.group(1) or heading.group(2)).strip()
            line.heading = re.split(r"[:：]", title, maxsplit=1)[0].strip() or None
        line.marker = _line_marker(content, line.start)
        lines.append(line)
    return lines


def _line_marker(content: str, offset: int) -> tuple[str, int, int] | None:
    for style, (regex, _inline) in MARKERS.items():
        match = regex.match(content)
        if match:
            number = cn_number(match.group(1))
            return (style, number, offset + match.end()) if number else None
    return None


def _label(text: str, start: int, end: int) -> Span | None:
    """The short label an item begins with ("坚持党的领导" of "坚持党的领导。党是…")."""
    cut = LABEL_END_RE.search(text, start, end)
    stop = cut.start() if cut else end
    label = text[start:stop].strip()
    if not 2 <= len(label) <= MAX_LABEL or ("是" in label.replace("实事求是", "")):
        return None
    begin = start + text[start:stop].index(label)
    return begin, begin + len(label)


def clean_title(title: str | None) -> str | None:
    """A heading without quotation marks, for category paths."""
    return re.sub(r"[“”\"《》]", "", title).strip() if title else None


def parse_study_text(text: str) -> StudyText:
    """Everything the question generator can ask about in the study section of ``text``."""
    study = StudyText(text)
    start, end = study_section(text)
    lines = _read_lines(text, start, end)
    topic: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.heading:
            topic = line.heading
        run = _numbered_run(lines, index)
        if len(run) >= 2:
            _add_line_list(study, lines, index, run, topic)
            for item_line in run:
                _read_paragraph(study, item_line.marker[2], item_line.end, topic)
            index += len(run)
            continue
        body_start = line.start + 1 if line.heading else line.start
        _read_paragraph(study, body_start, line.end, topic)
        index += 1
    if (start, end) == (0, len(text)):
        # Without a 每周一学 section the text may be news: a list nothing names is likely
        # an everyday enumeration ("好政策、好环境"), not a point of doctrine.
        study.enumerations = [e for e in study.enumerations if e.name]
    return study


def _numbered_run(lines: list[_Line], index: int) -> list[_Line]:
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


def _add_line_list(study: StudyText, lines: list[_Line], index: int, run: list[_Line],
                   topic: str | None) -> None:
    text = study.text
    spans = [_label(text, line.marker[2], line.end) for line in run]
    lead = lines[index - 1] if index > 0 else None
    name = None
    if lead and lead.heading:
        name = lead.heading
    elif lead and lead.content.rstrip().endswith(("：", ":")):
        name = name_before(lead.content.rstrip()[:-1], topic)
    if None in spans or not name:
        return  # not a list of short terms, or nothing says what it lists
    quote_start = lead.start
    quote = text[quote_start:run[-1].end]
    lead_text = text[lead.start:lead.end].lstrip("★■◆●▲☆【").rstrip("】:： ")
    rule = lead_text + "：" + "；".join(line.content.strip() for line in run) + "。"
    items = [text[a:b] for a, b in spans]
    study.enumerations.append(Enumeration(items, spans, checked_name(name, len(items)), topic,
                                          quote, rule))


def _read_paragraph(study: StudyText, start: int, end: int, topic: str | None) -> None:
    text = study.text
    for s_start, s_end in _sentences(text, start, end):
        _read_pause_lists(study, s_start, s_end, topic)
        _read_definitions(study, s_start, s_end, topic)
        _read_roles(study, s_start, s_end, topic)
    _read_inline_numbered(study, start, end, topic)


def _sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans; a closing quotation mark after "。" stays with its sentence."""
    return [match.span(1) for match in SENTENCE_RE.finditer(text, start, end)]


def _read_pause_lists(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
    text = study.text
    clauses = [(s_start + m.start(), s_start + m.end())
               for m in CLAUSE_RE.finditer(text[s_start:s_end].rstrip(SENTENCE_END))]
    found = [(i, parse_pause_clause(text, a, b)) for i, (a, b) in enumerate(clauses)]
    found = [(i, clause) for i, clause in found if clause]
    if not found:
        return
    quote = text[s_start:s_end]
    first_index, first = found[0]
    rest = [clause for _, clause in found[1:]]
    lead_name = first.head_name or _colon_name(text, clauses, first_index, topic)
    if lead_name and rest:
        # "NAME是：A、B，C、D。": one list if the rest of the sentence is nothing but items
        reaches_end = [i for i, _ in found] == list(range(first_index, len(clauses)))
        mergeable = reaches_end and all(clause.pure for clause in rest)
        groups = [[first] + rest] if mergeable else [[clause] for clause in [first] + rest]
        names = [lead_name] if mergeable else [None] * len(groups)
    else:
        groups = [[clause] for clause in [first] + rest]
        names = [lead_name or first.tail_name] + [clause.tail_name for clause in rest]
    for group, name in zip(groups, names):
        items = [item for clause in group for item in clause.items]
        spans = [span for clause in group for span in clause.spans]
        complete = all(clause.complete for clause in group)
        study.enumerations.append(Enumeration(items, spans, checked_name(name, len(items)), topic,
                                              quote, quote, (s_start, s_end), complete))


def _colon_name(text: str, clauses: list[Span], index: int, topic: str | None) -> str | None:
    """The name in "NAME是：A、B、C" or "NAME：A、B、C"."""
    if index == 0:
        return None
    previous = clauses[index - 1]
    if text[previous[1]:clauses[index][0]].strip() not in ("：", ":"):
        return None
    return name_before(text[previous[0]:previous[1]], topic)


NAME_MARKER_RE = re.compile(
    r"(?:主要包括|包括|包含|分别是|就是|是指|是|即|主要有|共有)"
    r"(?:以下(?:[几一二三四五六七八九十\d]+)?(?:个|条|项)?(?:方面|点|条|项)?|如下)?$")
BAD_NAME_RE = re.compile(r"(?<![重主纲需首])要(?![求点素义务害])|应当|必须|做到|我们|着力|需要|强调|"
                         r"指出|提出|认为|如何|怎样|(?<![具拥所])有")
HAS_COUNT_RE = re.compile(r"^(.+?)(?:主要|共)?有([两一二三四五六七八九十\d]{1,3}(?:个|大|条|项)"
                          r"(?:基本|主要|重要)?(?:方面|内容|特征|要求|原则|作风))$")
NUMBERED_NAME_RE = re.compile(r"([两一二三四五六七八九十]{1,3}|\d{1,2})(?:个|大|项|条|种|方面)")


def name_before(lead: str, topic: str | None) -> str | None:
    """A list name from the words before it: "NAME是", "NAME包括以下几个方面" or "NAME"."""
    lead = re.split(r"[，,；;。：:]", lead.strip().rstrip("：:"))[-1].strip()
    lead = NAME_MARKER_RE.sub("", lead).strip()
    lead = HAS_COUNT_RE.sub(r"\1的\2", lead)
    if lead.startswith("其") and topic:
        lead = topic + "的" + lead[1:]
    return plausible_name(lead)


def plausible_name(name: str) -> str | None:
    """``name`` if it reads like the name of a list ("党的三大作风", "“四个意识”"), else None."""
    if not 2 <= len(name) <= 30 or name.startswith(TERM_BAD_START) or BAD_NAME_RE.search(name):
        return None
    quoted = name.startswith("“") and name.endswith("”")
    if quoted or name.endswith(CATEGORY_NOUNS) or NUMBERED_NAME_RE.search(name):
        return name
    return None


def checked_name(name: str | None, count: int) -> str | None:
    """Drop a name whose number disagrees with the items found ("四个意识" with three items)."""
    if not name:
        return None
    numbered = NUMBERED_NAME_RE.search(name)
    if numbered:
        word = numbered.group(1).replace("两", "二")
        if cn_number(word) != count:
            return None
    return name


def _read_inline_numbered(study: StudyText, start: int, end: int, topic: str | None) -> None:
    """Lists such as "NAME：一是A；二是B。" or "NAME：①A②B" inside one paragraph."""
    text = study.text
    sentences = _sentences(text, start, end)
    for style, (regex, inline) in MARKERS.items():
        hits = [m for m in regex.finditer(text, start, end) if inline and
                (style == "circled" or _at_boundary(text, m.start(), start))]
        if len(hits) < 2 or [cn_number(m.group(1)) for m in hits] != list(range(1, len(hits) + 1)):
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


def _read_definitions(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
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


def _read_roles(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
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


# ---- lists joined by 、 ---------------------------------------------------------------------

HEAD_MARKER_RE = re.compile(r"(?:主要包括|包括|包含|分别是|就是|是指|是|即)")
LEAD_WORDS = ("坚决维护", "全面推进", "大力弘扬", "积极培育", "坚持", "统筹", "增强", "坚定", "树立",
              "做到", "推进", "推动", "加强", "维护", "实现", "践行", "弘扬", "贯彻", "落实", "发扬",
              "培育", "提高", "提升", "深化", "促进", "保持", "注重", "突出", "围绕", "加快", "把握",
              "倡导", "涵盖", "必须", "更加", "自觉", "不断", "始终", "切实", "深入", "要", "在",
              "对", "把", "从", "向", "将", "用", "通过", "与")
# Verbs that govern every item of a list when only the first item carries them.
GOVERNING_VERBS = ("坚决维护", "全面推进", "大力弘扬", "积极培育", "坚持", "统筹", "增强", "坚定",
                   "倡导", "践行", "弘扬")
CATEGORY_NOUNS = ("目标", "取向", "准则", "方面", "内容", "要求", "原则", "理念", "作风", "意识",
                  "自信", "经验", "任务", "特征", "标准", "战略", "布局", "方针", "观", "精神",
                  "法宝", "举措", "途径", "品格", "品质", "本色", "维护", "确立", "明确", "坚持",
                  "制度", "体系", "建设", "能力", "本领", "路线", "纲领", "内涵", "要义", "特点",
                  "特色", "优势", "纪律")
ETC_RE = re.compile(r"(?<![平相对均同初高中上下何次优超劣特])等")
ITEM_RE = re.compile(r"^[\u4e00-\u9fff“”‘’《》·]{2,20}$")


@dataclass
class PauseClause:
    items: list[str]
    spans: list[Span]
    head_name: str | None  # from "NAME是A、B"
    tail_name: str | None  # from "A、B是NAME"
    complete: bool
    pure: bool  # every segment was an item as it stands


def parse_pause_clause(text: str, start: int, end: int) -> PauseClause | None:
    """The items of one clause "A、B、C" (after lead words, before "等" or "是…"), if clean."""
    clause = text[start:end]
    if "、" not in clause or ROLE_RE.search(clause.strip()):
        return None
    segments, position = [], start
    for part in clause.split("、"):
        segments.append((position, position + len(part)))
        position += len(part) + 1
    middle = [text[a:b] for a, b in segments[1:-1]]
    if not all(ITEM_RE.match(item) for item in middle):
        return None
    head, head_name = _head_item(text, segments[0], middle or [text[slice(*segments[-1])]])
    tail = _tail_items(text, segments[-1], middle or [text[slice(*head)]]) if head else None
    if not tail:
        return None
    tail_spans, tail_name, complete = tail
    spans = [head] + segments[1:-1] + tail_spans
    items = [text[a:b] for a, b in spans]
    lengths = [len(normalise(item)) for item in items]
    distinct = len(set(map(normalise, items))) == len(items)
    if not all(ITEM_RE.match(item) for item in items) or not distinct \
            or max(lengths) >= 2 * min(lengths):
        return None  # not terms of one kind ("国家主权、安全、发展利益")
    pure = complete and head == segments[0] and tail_spans == [segments[-1]]
    return PauseClause(items, spans, head_name, tail_name, complete, pure)


def _head_item(text: str, segment: Span, others: list[str]) -> tuple[Span | None, str | None]:
    start, end = segment
    marker = None
    for match in HEAD_MARKER_RE.finditer(text, start, end):
        if end - match.end() >= 2 and text[match.end()] != "是":
            marker = match
    longest = max(len(item) for item in others)
    if marker:
        if end - marker.end() > longest + 2:
            return None, None
        return (marker.end(), end), name_before(text[start:marker.start()], None)
    lengths = {len(item) for item in others}
    if end - start > longest and len(others) >= 2 and len(lengths) == 1 and \
            len({item[-1] for item in others}) == 1 and text[end - 1] == others[0][-1]:
        return (end - longest, end), None
    stripped = True
    while stripped:
        stripped = False
        for word in LEAD_WORDS:
            governs_all = word in GOVERNING_VERBS and len(others) >= 2 and \
                not any(other.startswith(word) for other in others)
            if text.startswith(word, start) and end - start - len(word) >= 2 and \
                    (end - start > longest or governs_all):
                start += len(word)
                stripped = True
                break
    return ((start, end) if end - start <= longest + 2 else None), None


def _tail_items(text: str, segment: Span, others: list[str]
                ) -> tuple[list[Span], str | None, bool] | None:
    """The last item(s): cut before "等" (incomplete) or "是NAME"; split "B和C" when clean."""
    start, end = segment
    longest = max(len(item) for item in others)
    etc = ETC_RE.search(text, start + 2, end)
    if etc:
        return [(start, etc.start())], None, False
    name = None
    for position in range(start + 2, end - 1):
        if text[position] == "是" and text[position + 1] != "是":
            name = plausible_name(text[position + 1:end])
            end = position
            break
    spans = [(start, end)]
    joined = re.search(r"以及|和|及", text[start:end])
    if joined and not any(joined.group() in item for item in others):
        first, second = (start, start + joined.start()), (start + joined.end(), end)
        left, right = text[slice(*first)], text[slice(*second)]
        if min(len(left), len(right)) >= 2 and left not in right and right not in left:
            spans = [first, second]
    if max(b - a for a, b in spans) > longest + 2:
        return None
    return spans, name, True

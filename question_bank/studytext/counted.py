"""Lists a text names by their number: "三个务必", "七个聚焦", "八个“明确”", "四项基本原则".

Two readings:
- the members repeat the name's key word: "务必A，务必B，务必C" or "聚焦A、聚焦B…" (or all end
  with it: "道路自信、理论自信…"), and their number equals the name's number;
- a short title line names the list on the line below it ("4.四项基本原则" over "坚持A、坚持B…"),
  or, when the line below is one short statement, what it defines ("5.党的根本宗旨" over
  "全心全意为人民服务。").
"""
from __future__ import annotations

import re

from question_bank.studytext.model import Definition, Enumeration, Span, StudyText
from question_bank.studytext.words import number_value, plausible_name

COUNTED_NAME_RE = re.compile(
    r"(?P<num>[两二三四五六七八九十]{1,2}|\d{1,2})(?P<unit>个|项|大|条|种)"
    r"(?:“(?P<quoted>[\u4e00-\u9fff]{1,6})”|(?P<word>[\u4e00-\u9fff]{2,6}?))"
    r"(?=[”」，,。；;：:、\s的（(这是要]|$)")
ITEM_SEPARATORS = "、，,；;"
# A title that starts with a verb ("加强党的建设") names a task, not a term its line defines.
TITLE_VERBS = ("坚持", "加强", "推进", "推动", "深化", "完善", "健全", "提高", "增强", "发扬", "弘扬",
               "做好", "抓好", "落实", "学习", "贯彻", "开展", "建设", "实现", "全面", "不断", "努力")
CLAUSE_END = "，,；;。！？!?\n"
NUMBERED_LINE_RE = re.compile(r"^(?:\d{1,2}[.．、]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）])")
TITLE_RE = re.compile(r"^(?:\d{1,2}[.．、]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）])"
                      r"([\u4e00-\u9fff“”]{2,16})$")


def counted_names(text: str) -> list[tuple[str, int, str, Span]]:
    """(name as written, number, key word, span) of every counted name in ``text``."""
    found = []
    for match in COUNTED_NAME_RE.finditer(text):
        number = number_value(match.group("num").replace("两", "二"))
        key = match.group("quoted") or match.group("word")
        if number >= 2 and key:
            start, end = match.span()
            if text[start - 1:start] == "“" and text[end:end + 1] == "”":
                start, end = start - 1, end + 1
            found.append((text[start:end], number, key, (start, end)))
    return found


def read_counted_lists(study: StudyText, start: int, end: int) -> None:
    """Lists whose members repeat the key word of a counted name in ``text[start:end]``."""
    text = study.text[:end]
    taken = {tuple(e.spans[0]) for e in study.enumerations}
    names = [name for name in counted_names(text) if name[3][0] >= start]
    in_names = {i for *_, (a, b) in names for i in range(a, b)}
    for name, number, key, span in names:
        runs = [run for run in _lead_runs(text, key[:2], in_names, start)
                if len(run) == number and run[0] not in taken]
        if runs:
            nearest = min(runs, key=lambda run: abs(run[0][0] - span[0]))
            _add_list(study, name, nearest, taken)
        else:
            _name_tail_list(study, name, number, key, span)


ASPECTS_RE = re.compile(
    r"(?:对|把|将|^|[，,])(?P<name>[^，,。；;：:“”]{2,24}?)(?:从|有|分为|包括)?"
    r"(?P<num>[两二三四五六七八九十]{1,2}|\d{1,2})(?:个|项|条)方面[^，,。；;：:]{0,10}[，,]?"
    r"(?:即|分别是|包括|主要是|：|:)[：:]?“?(?P<body>[^“”。]+)[。”]")


# Verbs that lead each clause of a parallel run; each is a whole word, so a list's items may be
# shown without it.
PARALLEL_LEADS = ("聚焦", "坚持", "加强", "推进", "完善", "健全", "深化", "推动", "提高", "增强", "务必",
                  "明确", "统筹", "坚定", "强化", "全面")


def read_parallel_runs(study: StudyText, start: int, end: int) -> None:
    """Unnamed runs of three or more clauses led by the same verb in one sentence ("聚焦A，聚焦B，
    聚焦C"), read as a list of that sentence."""
    text = study.text[:end]
    taken = [e.spans for e in study.enumerations]
    for lead in PARALLEL_LEADS:
        for run in _lead_runs(text, lead, set(), start):
            if len(run) < 3 or any(_overlap(run, spans) for spans in taken):
                continue
            sentence = (_sentence_start(text, run[0][0]), _sentence_end(text, run[-1][1]))
            items = [text[a:b] for a, b in run]
            if len(set(items)) == len(items):
                taken.append(run)
                study.enumerations.append(Enumeration(items, run, None, None,
                                                      text[slice(*sentence)],
                                                      text[slice(*sentence)], sentence))


def _overlap(first: list[Span], second: list[Span]) -> bool:
    return first[0][0] < second[-1][1] and second[0][0] < first[-1][1]


def _sentence_end(text: str, position: int) -> int:
    while position < len(text) and text[position] not in "。！？!?\n":
        position += 1
    return min(len(text), position + 1) if text[position:position + 1] not in ("", "\n") else position


def read_aspect_lists(study: StudyText, start: int, end: int) -> None:
    """"对X从九个方面进行概括，即“A，B，…”": the N members after the counted aspects."""
    text = study.text
    for match in ASPECTS_RE.finditer(text, start, end):
        number = number_value(match.group("num").replace("两", "二"))
        name = plausible_name(match.group("name").strip())
        body_start = match.start("body")
        spans, position = [], body_start
        for part in re.split(r"[，,、；;]", match.group("body")):
            spans.append((position, position + len(part)))
            position += len(part) + 1
        spans = [(a, b) for a, b in spans if b > a]
        if not name or len(spans) != number or not all(2 <= b - a <= 20 for a, b in spans):
            continue
        study.enumerations = [e for e in study.enumerations if not _inside(e.spans, spans)]
        quote_start = _sentence_start(text, match.start())
        quote_end = match.end()
        study.enumerations.append(Enumeration([text[a:b] for a, b in spans], spans, name, None,
                                              text[quote_start:quote_end],
                                              text[quote_start:quote_end]))


def _lead_runs(text: str, lead: str, in_names: set[int], begin: int) -> list[list[Span]]:
    """Runs of items that each begin with ``lead`` after a separator, in one sentence."""
    starts = [m.start() for m in re.compile(re.escape(lead)).finditer(text, begin)
              if m.start() not in in_names]
    runs: list[list[int]] = []
    for start in starts:
        separated = text[start - 1:start] in tuple(ITEM_SEPARATORS + "—\n：:“")
        if runs and separated and _joined(text, runs[-1][-1], start):
            runs[-1].append(start)
        else:
            runs.append([start])
    result = []
    for run in runs:
        if len(run) < 2:
            continue
        separator = text[run[1] - 1]
        stops = run[1:] + [_item_end(text, run[-1], separator)]
        spans = [(a, _trim(text, a, b)) for a, b in zip(run, stops)]
        if all(4 <= b - a <= 40 for a, b in spans):
            result.append(spans)
    return result


def _joined(text: str, previous: int, start: int) -> bool:
    """True when only one item's words (no sentence end) stand between two lead words."""
    between = text[previous:start]
    return len(between) <= 60 and not re.search(r"[。！？!?]", between) and \
        (between.count("\n") == 0 or text[start - 1] in "—\n")


def _item_end(text: str, start: int, separator: str) -> int:
    ends = CLAUSE_END + ("、" if separator == "、" else "")
    position = start
    while position < len(text) and text[position] not in ends:
        position += 1
    return position


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in ITEM_SEPARATORS + "。—” \n":
        end -= 1
    return end


def _add_list(study: StudyText, name: str, spans: list[Span], taken: set) -> None:
    text = study.text
    quote_start = text.rfind("\n", 0, spans[0][0]) + 1
    quote_start = max(quote_start, _sentence_start(text, spans[0][0]))
    quote_end = spans[-1][1]
    while quote_end < len(text) and text[quote_end] not in "。；;\n":
        quote_end += 1
    quote_end = min(len(text), quote_end + (text[quote_end:quote_end + 1] in ("。", "；")))
    quote = text[quote_start:quote_end]
    items = [text[a:b] for a, b in spans]
    taken.add(spans[0])
    study.enumerations = [e for e in study.enumerations if not _inside(e.spans, spans)]
    study.enumerations.append(Enumeration(items, spans, name, None, quote, quote))


def _inside(spans: list[Span], outer: list[Span]) -> bool:
    return outer[0][0] <= spans[0][0] and spans[-1][1] <= outer[-1][1]


def _sentence_start(text: str, position: int) -> int:
    while position > 0 and text[position - 1] not in "。！？!?\n":
        position -= 1
    return position


def _name_tail_list(study: StudyText, name: str, number: int, key: str, span: Span) -> None:
    """Name an unnamed 、 list of ``number`` members that all end (or begin) with ``key``, or
    that follows the name at once ("形成了三大优良作风，即A、B、C")."""
    for enumeration in study.enumerations:
        items = enumeration.items
        if enumeration.name or len(items) != number:
            continue
        distance = enumeration.spans[0][0] - span[1]
        gap = study.text[span[1]:enumeration.spans[0][0]]
        if all(item.endswith(key) for item in items) or all(item.startswith(key) for item in items) \
                or (0 <= distance <= 4 and re.fullmatch(r"[，,]?(?:即|是|为|包括|：|:)?[：:“]?", gap)):
            enumeration.name = name
            return


def read_titles(study: StudyText, lines: list[tuple[int, int]]) -> None:
    """A short title line over one line: names the list on it, or is defined by it."""
    text = study.text
    for index, ((t_start, t_end), (b_start, b_end)) in enumerate(zip(lines, lines[1:])):
        title = TITLE_RE.match(text[t_start:t_end].strip())
        body = text[b_start:b_end].strip()
        above = text[slice(*lines[index - 1])].strip() if index else ""
        if not title or TITLE_RE.match(body) or NUMBERED_LINE_RE.match(body) \
                or _same_numbering(above, text[t_start:t_end].strip()) \
                or body.endswith(("：", ":")) \
                or body[0] in "★■◆●▲☆【◎":
            continue
        if b_end >= len(text.rstrip()) and not body.endswith(("。", "！", "？")):
            continue  # the text's last line, maybe cut short
        name = title.group(1)
        listed = [e for e in study.enumerations
                  if b_start <= e.spans[0][0] and e.spans[-1][1] <= b_end and not e.name]
        if listed and _covers(listed[0], b_start, b_end):
            listed[0].name = name
            listed[0].rule = f"{name}：{body}"
            continue
        statement = body.rstrip("。")
        if 4 <= len(statement) <= 30 and not re.search(r"[。；;！？!?、\d]", statement) \
                and name not in statement and "是" not in name and not name.startswith(TITLE_VERBS):
            study.definitions.append(Definition(name, statement, None, body, kind="title"))


def _same_numbering(above: str, title: str) -> bool:
    """True when the line above is numbered like the title ("2.A" over "3.B"): a list of
    short items, not titles over their statements."""
    first, second = NUMBERED_LINE_RE.match(above), NUMBERED_LINE_RE.match(title)
    if not first or not second:
        return False
    return first.group()[0].isdigit() == second.group()[0].isdigit() and \
        first.group()[-1] == second.group()[-1]


def _covers(enumeration: Enumeration, start: int, end: int) -> bool:
    """True when the list is most of the line (a few lead words and 。 aside)."""
    used = enumeration.spans[-1][1] - enumeration.spans[0][0]
    return used >= 0.8 * (end - start) - 4

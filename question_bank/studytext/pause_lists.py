"""Lists joined by 、 inside a sentence: "坚持A、B、C", "NAME是：A、B，C、D", "A、B和C等"."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from question_bank.studytext.model import Enumeration, Span, StudyText
from question_bank.studytext.statements import ROLE_RE
from question_bank.studytext.words import CATEGORY_NOUNS, NUMBERED_NAME_RE, checked_name, name_before, plausible_name
from question_bank.text import normalise_answer_text as normalise

SENTENCE_END = "。！？!?"
CLAUSE_RE = re.compile(r"[^，,；;：:]+")
HEAD_MARKER_RE = re.compile(r"(?:主要包括|包括|包含|分别是|就是|是指|是|即)")
LEAD_WORDS = ("坚决维护", "全面推进", "大力弘扬", "积极培育", "坚持", "统筹", "增强", "坚定", "树立",
              "做到", "推进", "推动", "加强", "维护", "实现", "践行", "弘扬", "贯彻", "落实", "发扬",
              "培育", "提高", "提升", "深化", "促进", "保持", "注重", "突出", "围绕", "加快", "把握",
              "倡导", "涵盖", "必须", "更加", "自觉", "不断", "始终", "切实", "深入", "要", "在",
              "对", "把", "从", "向", "将", "用", "通过", "与")
# Verbs that govern every item of a list when only the first item carries them.
GOVERNING_VERBS = ("坚决维护", "全面推进", "大力弘扬", "积极培育", "坚持", "统筹", "增强", "坚定",
                   "倡导", "践行", "弘扬")
ETC_RE = re.compile(r"(?<![平相对均同初高中上下何次优超劣特])等")
# A question ("如何理解A、B、C", "…？") asks about its list; it states nothing to ask back.
QUESTION_RE = re.compile(r"^(?:如何|怎样|怎么|为什么|为何|什么是|何谓)|[？?]$")
ITEM_RE = re.compile(r"^[\u4e00-\u9fff“”‘’《》·]{2,20}$")


@dataclass
class PauseClause:
    items: list[str]
    spans: list[Span]
    head_name: str | None  # from "NAME是A、B"
    tail_name: str | None  # from "A、B是NAME"
    complete: bool
    pure: bool  # every segment was an item as it stands


def read_pause_lists(study: StudyText, s_start: int, s_end: int, topic: str | None) -> None:
    """The 、 lists of one sentence; clauses of one named list are merged into one."""
    text = study.text
    if QUESTION_RE.search(text[s_start:s_end].strip()):
        return
    clauses = [(s_start + m.start(), s_start + m.end())
               for m in CLAUSE_RE.finditer(text[s_start:s_end].rstrip(SENTENCE_END))]
    found = [(i, parse_pause_clause(text, a, b)) for i, (a, b) in enumerate(clauses)]
    found = [(i, clause) for i, clause in found if clause]
    for i, clause in found:
        if not clause.tail_name and clause.complete:
            clause.tail_name = _next_clause_name(text, clauses, i)
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


def _next_clause_name(text: str, clauses: list[Span], index: int) -> str | None:
    """The name in "A、B、C，是NAME": the clause after the list says what it lists."""
    if index + 1 >= len(clauses) or text[clauses[index][1]:clauses[index + 1][0]] not in "，,":
        return None
    following = text[slice(*clauses[index + 1])].strip()
    return plausible_name(following[1:]) if following.startswith("是") else None


def _colon_name(text: str, clauses: list[Span], index: int, topic: str | None) -> str | None:
    """The name in "NAME是：A、B、C" or "NAME：A、B、C"."""
    if index == 0:
        return None
    previous = clauses[index - 1]
    if text[previous[1]:clauses[index][0]].strip() not in ("：", ":"):
        return None
    name = name_before(text[previous[0]:previous[1]], topic)
    if name and not (NUMBERED_NAME_RE.search(name) or name.strip("“”").endswith(CATEGORY_NOUNS)):
        return None  # a title "“全面从严治党”：依据、核心和关键" names aspects, not members
    return name


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
    spans = [_unquoted(text, span) for span in [head] + segments[1:-1] + tail_spans]
    items = [text[a:b] for a, b in spans]
    lengths = [len(normalise(item)) for item in items]
    distinct = len(set(map(normalise, items))) == len(items)
    if not all(ITEM_RE.match(item) for item in items) or not distinct \
            or max(lengths) >= 2 * min(lengths):
        return None  # not terms of one kind ("国家主权、安全、发展利益")
    shared = os.path.commonprefix([item[::-1] for item in items[:-1]])[::-1]
    if len(items) >= 3 and shared and shared in items[-1] \
            and len(items[-1]) - items[-1].rindex(shared) - len(shared) >= 2:
        return None  # "A之间、B之间以及C之间关系的规则", "根本性、全局性、长期性问题": the list
        # qualifies what follows it
    pure = complete and head == segments[0] and tail_spans == [segments[-1]]
    return PauseClause(items, spans, head_name, tail_name, complete, pure)


def _unquoted(text: str, span: Span) -> Span:
    """``span`` without an opening mark before the first item or a closing one after the last
    ("“富强", "友善”"); a pair of marks around one item stays."""
    start, end = span
    if text[start:start + 1] == "“" and "”" not in text[start:end]:
        start += 1
    if text[end - 1:end] == "”" and "“" not in text[start:end]:
        end -= 1
    return start, end


def _head_item(text: str, segment: Span, others: list[str]) -> tuple[Span | None, str | None]:
    """The first item, after "NAME是" (whose name comes too) or lead words ("坚持")."""
    start, end = segment
    marker = None
    for match in HEAD_MARKER_RE.finditer(text, start, end):
        if end - match.end() >= 2 and text[match.end()] != "是":
            marker = match
    longest = max(len(item) for item in others)
    name = name_before(text[start:marker.start()], None) if marker else None
    if marker and end - marker.end() <= longest + 2:
        return (marker.end(), end), name
    lengths = {len(item) for item in others}
    # several others ending alike, or one other under a name sharing its last two characters
    alike = len(others) >= 2 or (name is not None and text[end - 2:end] == others[0][-2:])
    if end - start > longest and alike and len(lengths) == 1 and \
            len({item[-1] for item in others}) == 1 and text[end - 1] == others[0][-1]:
        # the first item carries words the others share ("即中国特色社会主义道路自信、理论自信");
        # "X是关系…的A、B" says what kind of thing X is, not what X's members are
        qualified = marker is not None and "的" in text[marker.end():end - longest]
        return (end - longest, end), None if qualified else name
    if marker:
        return None, None
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

"""Wrong options: items of the same study text (or a small pool of well-known terms) that look
like the right answers, never one that overlaps a right answer."""
from __future__ import annotations

import os
import random
from collections.abc import Callable, Sequence
from functools import lru_cache

from question_bank.studytext import StudyText
from question_bank.text import normalise_answer_text as normalise

# Fallback distractors: well-known terms, ranked below text items that look as much alike.
FALLBACK_POOL = (
    "坚持改革开放", "坚持共同富裕", "坚持依法治国", "实事求是", "群众路线", "独立自主",
    "理论联系实际", "密切联系群众", "批评与自我批评", "民主集中制", "道路自信", "理论自信",
    "制度自信", "文化自信", "政治意识", "大局意识", "核心意识", "看齐意识", "经济建设",
    "政治建设", "文化建设", "社会建设", "生态文明建设", "全面深化改革", "全面依法治国",
    "全面从严治党", "科教兴国战略", "人才强国战略", "乡村振兴战略", "经济安全", "军事安全",
    "科学发展", "和平发展", "均衡发展", "团结", "奋斗", "奉献", "进步",
    # of the same form as the members of well-known lists, and members of none of them
    "忧患意识", "宗旨意识", "法治意识", "历史自信", "民族自信", "国防建设", "法治建设",
    "财经纪律", "保密纪律", "工匠精神", "劳模精神", "女排精神",
)



def _family_free(pool: Sequence[str]) -> tuple[str, ...]:
    """The pool terms no other pool term shares its first or last two characters with: terms of
    a family ("经济建设", "政治建设") stand out among items that are not of it."""
    return tuple(term for term in pool if not any(
        other != term and (other[:2] == term[:2] or other[-2:] == term[-2:]) for other in pool))


LONE_POOL = _family_free(FALLBACK_POOL)
# Items opening with these are rules of conduct ("改进调查研究", "精简会议活动"): the pool's
# doctrines ("民主集中制") would stand out among them.
ACTION_LEAD = ("改进", "精简", "规范", "严格", "厉行", "加强", "改善", "提高", "推进", "完善", "健全",
               "深化", "落实", "减少", "控制", "禁止", "严禁", "不得", "要", "做到", "带头")


# Items "A服从B" are turned round ("多数服从少数"): wrong for certain, and of the items' form.
REVERSIBLE_VERBS = ("服从",)


def reversals(items: Sequence[str]) -> list[str]:
    """"B服从A" for every item "A服从B", when all items are of that form and none is the
    reversal of another."""
    for verb in REVERSIBLE_VERBS:
        parts = [item.split(verb) for item in items]
        if len(items) < 2 or any(len(part) != 2 or min(map(len, part)) < 2 for part in parts):
            continue
        turned = [second + verb + first for first, second in parts]
        folded = {normalise(item) for item in items}
        if not folded & {normalise(term) for term in turned}:
            return turned
    return []


def _pool_for(shape: Sequence[str]) -> tuple[str, ...]:
    """The pool terms that may stand among ``shape``: all when they share a form (the form is
    checked term by term), none among rules of conduct, else those of no family."""
    if any(shared_form(shape)):
        return FALLBACK_POOL
    if 2 * sum(item.startswith(ACTION_LEAD) for item in shape) >= len(shape):
        return ()
    return LONE_POOL


@lru_cache(maxsize=65536)
def overlaps(first: str, second: str) -> bool:
    """True when one term contains the other or, apart from a shared beginning and ending
    ("中国特色社会主义…制度"), they share most of their words ("依法治国", "全面依法治国") or a
    four-character word."""
    a, b = normalise(first), normalise(second)
    if not a or not b or a in b or b in a:
        return True
    head = len(os.path.commonprefix([a, b]))
    tail = len(os.path.commonprefix([a[head:][::-1], b[head:][::-1]]))
    a, b = a[head:len(a) - tail], b[head:len(b) - tail]
    if not a or not b or a in b or b in a:
        return True
    # a shared word of four characters ("艰苦奋斗") says the same thing in other words
    return _longest_common_run(a, b) >= min(4, max(3, -(-3 * min(len(a), len(b)) // 5)))


def _longest_common_run(a: str, b: str) -> int:
    best, row = 0, [0] * (len(b) + 1)
    for char in a:
        previous, row = row, [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if char == other:
                row[j] = previous[j - 1] + 1
                best = max(best, row[j])
    return best


def shared_form(items: Sequence[str]) -> tuple[str, str]:
    """The beginning (two characters or more) and the ending (one or more) all ``items`` share."""
    if len(items) < 2:
        return "", ""
    prefix = os.path.commonprefix(list(items))
    suffix = os.path.commonprefix([item[::-1] for item in items])[::-1]
    return (prefix if len(prefix) >= 2 else ""), suffix


def same_form(candidate: str, items: Sequence[str]) -> bool:
    """True when ``candidate`` begins and ends as all ``items`` do ("历史自信" among "道路自信、
    理论自信"), so a wrong option cannot be told from the right ones by its form alone."""
    prefix, suffix = shared_form(items)
    return candidate.startswith(prefix) and candidate.endswith(suffix)


def _shape_score(candidate: str, items: list[str], length: int) -> float:
    """How much ``candidate`` looks like the items (same lead word, same ending) and ``length``."""
    score = 0.0
    if len(items) >= 2:
        prefix = os.path.commonprefix(items)
        suffix = os.path.commonprefix([item[::-1] for item in items])[::-1]
        if len(prefix) >= 2:
            score += 2 if candidate.startswith(prefix) else -1
        if suffix:
            score += 2 if candidate.endswith(suffix) else 0
    gap = abs(len(candidate) - length)
    return score + (1 if gap <= 1 else -1 if gap >= 3 else 0)


def pick_distractors(study: StudyText, truths: list[str], shape: list[str], count: int,
                     rng: random.Random, *, text_only: bool = False,
                     preferred: Sequence[str] = (), like: str = "",
                     unstated: Callable[[str], bool] = lambda _term: True) -> list[str]:
    """Up to ``count`` terms that are not (and do not overlap) any of ``truths``, ranked by how
    much they look like the ``shape`` items and as long as ``like`` (default: a middle item).
    The ``preferred`` terms get the biggest bonus, the items of ``study`` a smaller one and the
    fallback pool (left out when ``text_only``) none; a term ``unstated`` rejects is never
    picked. When the ``shape`` items share a beginning or an ending, every term picked shares
    it too; when they share neither, only pool terms of no family ("实事求是", not "经济建设")
    may be picked (none among rules of conduct), so no option stands out by a form the items
    lack. Items "A服从B" come first turned round ("多数服从少数")."""
    length = len(like) if like else sorted(map(len, shape))[len(shape) // 2]
    truths = list(dict.fromkeys(truths))
    turned = [term for term in reversals(shape)
              if normalise(term) not in {normalise(truth) for truth in truths}]
    candidates = [(term, 3.0) for term in preferred]
    candidates += [(item, 1.5) for enumeration in study.enumerations
                   for item in enumeration.items]
    candidates += [(entry[0], 1.5) for chain in study.chains for entry in chain.entries]
    if not text_only:
        candidates += [(term, 0.0) for term in _pool_for(shape)]
    ranked, seen = [], set()
    for term, bonus in candidates:
        folded = normalise(term)
        if folded in seen or not length <= 2 * len(folded) <= 4 * length \
                or any(overlaps(term, truth) for truth in truths) or not unstated(term) \
                or not same_form(term, shape):
            continue
        seen.add(folded)
        ranked.append((-(_shape_score(term, shape, length) + bonus), rng.random(), term))
    picked = [term for *_, term in sorted(ranked)[:count]]
    rng.shuffle(turned)  # certainly wrong, though they share words with the items they turn
    return (turned + [term for term in picked if term not in turned])[:count]

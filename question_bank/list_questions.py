"""Questions about one list of a study text: which items belong, how many, which one is missing."""
from __future__ import annotations

import os
import re

from question_bank.distractors import pick_distractors
from question_bank.draft_bank import OPTION_COUNT, DraftBank, cite, topic_lead
from question_bank.studytext import Enumeration
from question_bank.studytext.counted import PARALLEL_LEADS
from question_bank.studytext.paired import PairedList
from question_bank.studytext.segment import is_word_boundary
from question_bank.text import CANONICAL_BLANK
from question_bank.text import normalise_answer_text as normalise

MAX_FILLS_PER_PASSAGE = 3  # one sentence may hold several lists: keep its fill-ins few
MAX_CONTEXT = 100  # longest passage (in characters) shown in a stem
MAX_FILL_ANSWER = 12  # longest answer a member is asked to type
_CN_DIGITS = "零一二三四五六七八九"


def enumeration_questions(bank: DraftBank, enumeration: Enumeration) -> None:
    """At most one question of each type on a list: for a complete named list which item
    belongs (or not), which items belong, whether an item belongs and how many (or a missing
    item); for an unnamed one the missing item, the sentence true or with one item swapped, and
    one item to fill in."""
    if _restated(bank, enumeration):
        return
    rng = bank.rng(enumeration.quote, "order")
    order = list(enumeration.items)
    rng.shuffle(order)
    truths = _truths(bank, enumeration)
    base = dict(quote=enumeration.quote, topic=enumeration.topic,
                scope=enumeration.name or "、".join(enumeration.items))
    if enumeration.name and enumeration.complete and len(order) >= 3:
        _membership_questions(bank, enumeration, order, truths, base)
        if not _count_fill(bank, enumeration, base):
            _item_fill(bank, enumeration, _short_item(order[1:] + order[:1]), base)
    elif enumeration.sentence:
        _sentence_questions(bank, enumeration, order, truths, base)
        _item_fill(bank, enumeration, _short_item(order[::-1]), base)


def _restated(bank: DraftBank, enumeration: Enumeration) -> bool:
    """True when the text names the same list with shorter items ("坚定道路自信、坚定理论自信"
    after "道路自信、理论自信"): asking about the longer ones would call "坚定道路自信" a member."""
    items = enumeration.items
    return bool(enumeration.name) and any(
        other.name == enumeration.name and other.items != items and len(other.items) == len(items)
        and all(short in long for short, long in zip(other.items, items))
        for other in bank.study.enumerations)


def _short_item(items: list[str]) -> str:
    """The first item short enough to type into a blank (else the first)."""
    return next((item for item in items if len(item) <= MAX_FILL_ANSWER), items[0])


def _truths(bank: DraftBank, enumeration: Enumeration) -> list[str]:
    """What no distractor may overlap: the items of every list in the text with the same name,
    the name itself and the topic."""
    around = [words for words in (enumeration.name, enumeration.topic) if words]
    if not enumeration.name:
        return list(enumeration.items) + around
    name = normalise(enumeration.name)
    return [item for other in bank.study.enumerations
            if other.name and normalise(other.name) == name for item in other.items] + around


def _membership_questions(bank: DraftBank, enumeration: Enumeration, order: list[str],
                          truths: list[str], base: dict) -> None:
    name, items, rule = enumeration.name, enumeration.items, cite(enumeration.rule)
    rng = bank.rng(enumeration.quote, "distractors")
    wrong = pick_distractors(bank.study, truths, items, OPTION_COUNT - 1, rng)
    if len(wrong) >= 2:
        if rng.random() < 0.5:
            bank.add_choice("belongs", f"下列哪一项属于{name}？", [order[0]], wrong,
                            difficulty=1, explanation=f"{rule}“{order[0]}”是其中之一。", **base)
        else:
            bank.add_choice("not_belongs", f"下列哪一项不属于{name}？", [wrong[0]],
                            order[:OPTION_COUNT - 1], difficulty=2,
                            explanation=f"{rule}“{wrong[0]}”不在其中。", **base)
        right = sorted(order[:3 if len(items) > 3 and rng.random() < 0.5 else 2], key=items.index)
        chosen = wrong[:OPTION_COUNT - len(right)]
        bank.add_choice("members", f"下列各项中，属于{name}的有哪些？", right, chosen, difficulty=2,
                        explanation=f"{rule}其中不包括{'、'.join(f'“{w}”' for w in chosen)}。",
                        **base)
    false = pick_distractors(bank.study, truths, items, 1, rng, text_only=True) or wrong[:1]
    if bank.judge_side(enumeration.quote) or not false:
        bank.add("member_true", "judge", f"{order[1]}是{name}之一。", True, subject=order[1],
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        bank.add("member_false", "judge", f"{false[0]}是{name}之一。", False, subject=false[0],
                 explanation=f"{rule}“{false[0]}”不在其中，故说法错误。", difficulty=2,
                 change=f"“{false[0]}”不是{name}的一项（取自别处）", **base)


def _count_fill(bank: DraftBank, enumeration: Enumeration, base: dict) -> bool:
    name, count = enumeration.name, len(enumeration.items)
    if re.search(r"[\d两一二三四五六七八九十]", name):
        return False  # the name already tells the number ("四个意识")
    words = [str(count), chinese_numeral(count)]
    bank.add("count", "fill", f"根据原文，{name}共有{CANONICAL_BLANK}项。",
             [words + [f"{word}项" for word in words]], subject=str(count),
             explanation=f"{cite(enumeration.rule)}共{count}项。", difficulty=2, **base)
    return True


def chinese_numeral(number: int) -> str:
    """0..99 in Chinese numerals: 12 -> 十二, 20 -> 二十."""
    tens, units = divmod(number, 10)
    if not tens:
        return _CN_DIGITS[units]
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[units] if units else "")


def _sentence_questions(bank: DraftBank, enumeration: Enumeration, order: list[str],
                        truths: list[str], base: dict) -> None:
    """An unnamed list: choose the missing item, and the whole sentence as a true statement."""
    stem = _blanked_context(bank, enumeration, order[0])
    if stem:
        wrong = pick_distractors(bank.study, truths, enumeration.items, OPTION_COUNT - 1,
                                 bank.rng(enumeration.quote, "distractors"), like=order[0])
        if len(wrong) >= 2:
            bank.add_choice("blank_choice", f"选出应填入括号处的一项：{stem}", [order[0]], wrong,
                            explanation=f"{cite(enumeration.rule)}括号处应为“{order[0]}”。",
                            difficulty=2, **base)
    _two_blanks_choice(bank, enumeration, order, truths, base)
    sentence = enumeration.quote
    listed = enumeration.spans[-1][1] - enumeration.spans[0][0]
    if len(sentence) > MAX_CONTEXT or not sentence.endswith("。") or listed > 0.8 * len(sentence):
        return  # too long, cut short, or the list alone: nothing is stated about it
    swap = pick_distractors(bank.study, truths, enumeration.items, 1,
                            bank.rng(enumeration.quote, "swap"), like=order[0])
    if bank.judge_side(sentence) or not swap:
        bank.add("sentence_true", "judge", sentence, True, subject=sentence,
                 explanation=f"{cite(sentence)}故说法正确。", difficulty=1, **base)
        return
    start = enumeration.sentence[0]
    item_start, item_end = enumeration.spans[enumeration.items.index(order[0])]
    if swap:
        text = bank.study.text
        false = text[start:item_start] + swap[0] + text[item_end:enumeration.sentence[1]]
        bank.add("sentence_false", "judge", false.strip(), False, subject=swap[0],
                 explanation=f"{cite(sentence)}原文是“{order[0]}”，不是“{swap[0]}”，故说法错误。",
                 difficulty=2, change=f"把“{order[0]}”换成了“{swap[0]}”", **base)


def _two_blanks_choice(bank: DraftBank, enumeration: Enumeration, order: list[str],
                       truths: list[str], base: dict) -> None:
    """多选 on a list of four or more: two items blanked, both to be chosen among two others."""
    if len(order) < 4:
        return
    right = sorted(order[1:3], key=enumeration.items.index)
    stem = _blanked_context(bank, enumeration, *right)
    wrong = pick_distractors(bank.study, truths, enumeration.items, 2,
                             bank.rng(enumeration.quote, "two blanks"), like=right[0])
    if stem and len(wrong) == 2:
        bank.add_choice("blanks_choice", f"选出应填入括号处的各项：{stem}", right, wrong,
                        explanation=f"{cite(enumeration.rule)}括号处应为"
                                    f"{'、'.join(f'“{item}”' for item in right)}。",
                        difficulty=2, **base)


def _blanked_context(bank: DraftBank, enumeration: Enumeration, *items: str) -> str | None:
    """The sentence around an inline list with ``items`` blanked, shortened to MAX_CONTEXT."""
    text = bank.study.text
    start, end = enumeration.sentence
    blanks = sorted(enumeration.spans[enumeration.items.index(item)] for item in items)
    list_start, list_end = enumeration.spans[0][0], enumeration.spans[-1][1]
    if end - start > MAX_CONTEXT:
        start = max(start, _clause_edge(text, list_start, start, -1))
        end = min(end, _clause_edge(text, list_end, end, 1))
    if end - start > MAX_CONTEXT:
        return None
    pieces, position = [], start
    for blank_start, blank_end in blanks:
        pieces += [text[position:blank_start], CANONICAL_BLANK]
        position = blank_end
    body = "".join(pieces) + text[position:end]
    body = re.sub(r"[；;，,]$", "。", body.strip().lstrip("—"))
    if (start, end) == enumeration.sentence:
        return body
    sentence_start, sentence_end = enumeration.sentence
    body = ("" if start == sentence_start else "……") + body.strip()
    return topic_lead(enumeration.topic) + body + ("" if end == sentence_end else "……")


def _clause_edge(text: str, position: int, limit: int, step: int) -> int:
    """The clause boundary before (step -1) or after (step 1) ``position``."""
    while position != limit and text[position - 1 if step < 0 else position] not in "，,；;：:":
        position += step
    return position


def _item_fill(bank: DraftBank, enumeration: Enumeration, item: str, base: dict) -> None:
    items = enumeration.items
    prefix = os.path.commonprefix(items)
    if len(prefix) < 2 or any(len(i) - len(prefix) < 2 for i in items) \
            or (prefix not in PARALLEL_LEADS and not is_word_boundary(item, len(prefix))):
        prefix = ""  # too short, or it would cut a word ("要|求")
    if enumeration.sentence is None:
        answers = [item[len(prefix):]] + ([item] if prefix else [])  # the lead stays in the stem
    else:
        answers = [item] + ([item[len(prefix):]] if prefix else [])  # the lead may be left out
    if min(map(len, answers)) > MAX_FILL_ANSWER:
        return
    if enumeration.sentence is None:
        shown = [prefix + CANONICAL_BLANK if i == item else i for i in items]
        joiner = "；" if any(re.search(r"[、，,]", i) for i in items) else "、"
        stem = f"{enumeration.name}：{joiner.join(shown)}。"
    else:
        stem = _blanked_context(bank, enumeration, item)
        if stem and enumeration.name and enumeration.name not in stem:
            stem = f"{enumeration.name}：{stem}"

    made = bank.fills_per_quote.get(enumeration.quote, 0)
    if stem and len(stem) <= 2 * MAX_CONTEXT and made < MAX_FILLS_PER_PASSAGE:
        bank.fills_per_quote[enumeration.quote] = made + 1
        bank.add("item_fill", "fill", stem, [answers], subject=item,
                 explanation=f"{cite(enumeration.rule)}空格处应为“{item}”。",
                 difficulty=3 if len(answers[0]) > 6 else 2, **base)


def pair_questions(bank: DraftBank, paired: PairedList) -> None:
    """Which kind a pair describes (单选), and a pair with its own kind or another's (判断)."""
    rng = bank.rng(paired.quote, "pairs")
    index = rng.randrange(len(paired.pairs))
    pair, kind = paired.pairs[index], paired.kinds[index]
    base = dict(quote=paired.quote, topic=None, scope=paired.name)
    rule = cite(paired.quote)
    others = [other for other in paired.kinds if other != kind]
    wrong = others + pick_distractors(bank.study, paired.kinds + [paired.name], paired.kinds,
                                      OPTION_COUNT - len(paired.kinds), rng)
    if len(wrong) >= OPTION_COUNT - 1:
        bank.add_choice("pair_kind", f"{paired.lead}{pair}的{CANONICAL_BLANK}。", [kind],
                        wrong[:OPTION_COUNT - 1], difficulty=2,
                        explanation=f"{rule}“{pair}”的是“{kind}”。", **base)
    judged = (index + 1) % len(paired.pairs)
    pair, kind = paired.pairs[judged], paired.kinds[judged]
    if bank.judge_side(paired.quote, "pairs"):
        bank.add("pair_true", "judge", f"{paired.lead}{pair}的{kind}。", True, subject=pair,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
        return
    swapped = paired.kinds[(judged + 1) % len(paired.kinds)]
    bank.add("pair_false", "judge", f"{paired.lead}{pair}的{swapped}。", False, subject=pair,
             explanation=f"{rule}“{pair}”的是“{kind}”，不是“{swapped}”，故说法错误。",
             difficulty=2, change=f"把“{kind}”换成了同一句中的“{swapped}”", **base)

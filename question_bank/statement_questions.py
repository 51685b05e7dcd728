"""Questions about what a study text states: definitions "X是Y" and chains "以A为宗旨"."""
from __future__ import annotations

import re

from question_bank.distractors import overlaps, pick_distractors
from question_bank.draft_bank import OPTION_COUNT, DraftBank, cite, topic_lead
from question_bank.list_questions import MAX_FILL_ANSWER
from question_bank.studytext import Definition, RoleChain
from question_bank.text import CANONICAL_BLANK

# What makes "（　）是Y" ask for one thing: a superlative or a unique role ("最大的优势", "根本工作
# 路线") or a date; "一次伟大转折", "立党之本" or "历史的必然选择" fit many things.
UNIQUE_RE = re.compile(r"\d|最|唯一|根本|首要|第一|总(?!书记)")
ONE_OF_RE = re.compile(r"一次|一种|一项|一条|之一|一大")


def pins_down(body: str) -> bool:
    """True when "（　）是``body``" has one defensible answer, the term it defines."""
    if re.search(r"\d{4}年", body):
        return True
    return bool(UNIQUE_RE.search(body)) and not ONE_OF_RE.search(body)


def definition_questions(bank: DraftBank, definition: Definition, group: list[Definition],
                         index: int) -> None:
    """Questions on the ``index``-th definition of ``group`` (the definitions of one topic,
    whose other terms and bodies are the wrong options); even and odd ones alternate kinds."""
    term, body, topic = definition.term.strip("“”"), definition.body, definition.topic
    base = dict(quote=definition.quote, topic=topic)
    rule = cite(definition.quote)
    others = [other for other in group if other is not definition]
    terms = [o.term.strip("“”") for o in others if not overlaps(o.term, term)
             and not bank.stated(f"{o.term}是{body}")]
    bodies = [o.body for o in others if not overlaps(o.body, body)
              and not bank.stated(f"{definition.term}是{o.body}")]
    rng = bank.rng(definition.quote, "definition")
    rng.shuffle(terms)
    rng.shuffle(bodies)
    if not pins_down(body):
        return  # other things "are" a generic body too: no question has one defensible answer
    if any(o.term == definition.term and overlaps(o.body, body) for o in group[:index]):
        return  # said again in other words ("党的根本路线", "党的根本工作路线"): asked once
    if index % 2 == 0 and len(terms) >= 2:
        bank.add_choice("term_of", f"根据原文，下列哪一项是{body}？", [term], terms[:3],
                        explanation=rule, difficulty=2, **base)
    elif len(bodies) >= 2:
        options = [f"{term}是{b}" for b in bodies[:3]]
        bank.add_choice("body_of", f"根据原文，下列关于“{term}”的表述，正确的是哪一项？",
                        [f"{term}是{body}"], options, explanation=rule, difficulty=2, **base)
    if len(term) <= MAX_FILL_ANSWER and not re.search(r"[和与及]", term):
        # a compound term ("最高理想和最终目标") would accept half of it as well
        bank.add("term_fill", "fill", f"{topic_lead(topic)}{CANONICAL_BLANK}是{body}。", [[term]],
                 subject=term, explanation=rule, difficulty=2, **base)
    if bank.judge_side(definition.quote) or not terms:
        bank.add("definition_true", "judge", f"{term}是{body}。", True, subject=term,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        bank.add("definition_false", "judge", f"{terms[0]}是{body}。", False, subject=terms[0],
                 explanation=f"{rule}是{body}的是“{term}”，不是“{terms[0]}”，故说法错误。",
                 difficulty=2, change=f"把“{term}”换成了原文另一处的“{terms[0]}”", **base)


def chain_questions(bank: DraftBank, chain: RoleChain) -> None:
    """A choice on the chain's first item and a fill-in on its second (or first), then the
    chain as a true statement or, with its first two items swapped, as a false one."""
    base = dict(quote=chain.quote, topic=chain.topic)
    rule = cite(chain.quote)
    xs = [entry[0] for entry in chain.entries]
    around = [chain.topic] if chain.topic else []
    made = set()
    for index, (x, role, span) in enumerate(chain.entries[:2]):
        stem = _chain_context(bank, chain, {span: CANONICAL_BLANK})
        wrong = pick_distractors(
            bank.study, [x] + around, xs, OPTION_COUNT - 1, bank.rng(chain.quote, x),
            preferred=xs, like=x, unstated=lambda d, role=role: not bank.stated(f"以{d}为{role}"))
        if index == 0 and len(wrong) >= 2:
            made.add("single")
            bank.add_choice("role_choice", f"选出应填入括号处的一项：{stem}", [x], wrong,
                            explanation=f"{rule}以“{x}”为{role}。", difficulty=2, **base)
        elif "fill" not in made and len(x) <= MAX_FILL_ANSWER:
            made.add("fill")
            bank.add("role_fill", "fill", stem, [[x]], subject=x,
                     explanation=f"{rule}以“{x}”为{role}。", difficulty=2, **base)
    if len(chain.entries) < 2:
        return
    (x1, role1, span1), (x2, role2, span2) = chain.entries[:2]
    true_statement = _chain_context(bank, chain, {}, statement=True)
    swappable = not overlaps(x1, x2) and not bank.stated(f"以{x2}为{role1}") \
        and not bank.stated(f"以{x1}为{role2}")
    if bank.judge_side(chain.quote) or not swappable:
        bank.add("chain_true", "judge", true_statement, True, subject=true_statement,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        swapped = _chain_context(bank, chain, {span1: x2, span2: x1}, statement=True)
        bank.add("chain_false", "judge", swapped, False, subject=swapped,
                 explanation=f"{rule}应是以“{x1}”为{role1}，以“{x2}”为{role2}，故说法错误。",
                 difficulty=2, change=f"对调了“{x1}”和“{x2}”", **base)


def _chain_context(bank: DraftBank, chain: RoleChain, replace: dict, statement: bool = False
                   ) -> str:
    """The chain's clauses with words replaced; a statement ends with "。" where a stem shows
    that the sentence goes on."""
    text = bank.study.text
    start, end = chain.context
    pieces, position = [], start
    for (span_start, span_end), words in sorted(replace.items()):
        pieces += [text[position:span_start], words]
        position = span_end
    body = "".join(pieces) + text[position:end]
    ends_sentence = end < len(text) and text[end] in "。！？!?"
    body = ("" if chain.starts_sentence else "……") + body
    return topic_lead(chain.topic) + body + ("。" if statement or ends_sentence else "……")

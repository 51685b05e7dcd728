"""Candidate questions from a 每周一学-style study text, for an admin to review and publish.

Every candidate quotes the passage it is drawn from verbatim, carries status "draft" and a key
derived from the source file, the quote, the kind of question and its answer, so regenerating a
text yields the same keys. Distractors are items of other lists of the same text (or a small pool
of well-known terms), never one that overlaps a right answer.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import re
from pathlib import Path

from question_bank.bundled import SOURCES_DIR, load_sources
from question_bank.draft import OPTION_LETTERS, QuestionDraft, SourceRef
from question_bank.export import write_json
from question_bank.studytext import (
    SECTION_RE,
    Definition,
    Enumeration,
    RoleChain,
    StudyText,
    clean_title,
    normalise,
    parse_study_text,
)
from question_bank.text import CANONICAL_BLANK, normalise_stem

CATEGORY_ROOT = "每周一学"
OPTION_COUNT = 4
MAX_FILLS_PER_LIST = 3
MAX_FILLS_PER_PASSAGE = 3  # one sentence may hold several lists: keep its fill-ins few
MAX_CONTEXT = 100  # longest passage (in characters) shown in a stem
# Fallback distractors: well-known terms, ranked below text items that look as much alike.
FALLBACK_POOL = (
    "坚持改革开放", "坚持共同富裕", "坚持依法治国", "实事求是", "群众路线", "独立自主",
    "理论联系实际", "密切联系群众", "批评与自我批评", "民主集中制", "道路自信", "理论自信",
    "制度自信", "文化自信", "政治意识", "大局意识", "核心意识", "看齐意识", "经济建设",
    "政治建设", "文化建设", "社会建设", "生态文明建设", "全面深化改革", "全面依法治国",
    "全面从严治党", "科教兴国战略", "人才强国战略", "乡村振兴战略", "经济安全", "军事安全",
    "科学发展", "和平发展", "均衡发展", "团结", "奋斗", "奉献", "进步",
)
_ASCII_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT_RE = re.compile(r"(?<=[^\x00-\x7f])[,:;?!()]|[,:;?!()](?=[^\x00-\x7f])")
_CN_DIGITS = "零一二三四五六七八九"


class GenerateError(ValueError):
    """The study text cannot be read; the message is Chinese and names the file."""


def generate_candidates(text: str, source: SourceRef) -> list[QuestionDraft]:
    """Candidate questions (status "draft") from the 每周一学 section of ``text`` (or all of it)."""
    bank = _Bank(parse_study_text(text), source)
    for enumeration in bank.study.enumerations:
        _enumeration_questions(bank, enumeration)
    for group in _by_topic(bank.study.definitions):
        for index, definition in enumerate(group):
            _definition_questions(bank, definition, group, index)
    for chain in bank.study.chains:
        _chain_questions(bank, chain)
    return bank.drafts


def generate_file(text_path: str, out_path: str, source: SourceRef | None = None) -> int:
    """Write the candidates drawn from ``text_path`` to ``out_path`` (JSON format); their number."""
    path = Path(text_path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GenerateError(f"找不到文件：{text_path}") from None
    except UnicodeDecodeError:
        raise GenerateError(f"{path.name}：不是 UTF-8 编码的文本文件") from None
    drafts = generate_candidates(text, source or _default_source(path, text))
    write_json(drafts, out_path)
    return len(drafts)


def _default_source(path: Path, text: str) -> SourceRef:
    """A bundled text's own metadata; for any other text its file name (and 每周一学 if it has
    that section)."""
    if path.resolve().parent == SOURCES_DIR:
        for bundled in load_sources():
            if bundled.file == path.name:
                return bundled.source_ref()
    section = CATEGORY_ROOT if SECTION_RE.search(text) else ""
    return SourceRef(title=path.stem, file=path.name, section=section)


# ---- collecting drafts ----------------------------------------------------------------------

class _Bank:
    """The drafts made so far, with what is needed to keep them unique and distractors safe."""

    def __init__(self, study: StudyText, source: SourceRef):
        self.study = study
        self.source = source
        self.folded_text = normalise(study.text)
        self.drafts: list[QuestionDraft] = []
        self._stems: set[str] = set()
        self._keys: set[str] = set()
        self.fills_per_quote: dict[str, int] = {}

    def rng(self, *parts: str) -> random.Random:
        return random.Random("\x1f".join((self.source.file,) + parts))

    def stated(self, statement: str) -> bool:
        return normalise(statement) in self.folded_text

    def add(self, kind: str, type_: str, stem: str, answer, *, quote: str, subject: str,
            explanation: str, difficulty: int, topic: str | None, options=(), scope: str = ""
            ) -> None:
        """Add a draft unless its key or stem is taken. The key hashes the source file, the
        quote, the kind, the scope (the list asked about, when a sentence holds several) and
        the answer."""
        key = "gen-" + hashlib.sha1("\x1f".join(
            (self.source.file, quote, kind, scope, subject)).encode()).hexdigest()[:16]
        folded_stem = normalise_stem(stem)
        if key in self._keys or folded_stem in self._stems:
            return
        self._keys.add(key)
        self._stems.add(folded_stem)
        title = clean_title(topic)
        self.drafts.append(QuestionDraft(
            type=type_, stem=display(stem), options=[display(o) for o in options], answer=answer,
            explanation=display(explanation), difficulty=difficulty,
            category=f"{CATEGORY_ROOT}/{title.replace('/', '／')}" if title else CATEGORY_ROOT,
            status="draft", source=dataclasses.replace(self.source), quote=quote, key=key,
            origin_file=self.source.file, origin_row=len(self.drafts) + 1))

    def add_choice(self, kind: str, stem: str, right: list[str], wrong: list[str],
                   **fields) -> None:
        """Add a choice question; the options are shuffled by a generator seeded from them."""
        options = right + wrong
        random.Random("\x1f".join((self.source.file, stem, *options))).shuffle(options)
        letters = [OPTION_LETTERS[i] for i, option in enumerate(options) if option in right]
        type_ = "single" if len(right) == 1 else "multiple"
        self.add(kind, type_, stem, letters, subject="、".join(right), options=options, **fields)


def display(text: str) -> str:
    """Text as a member reads it: full-width punctuation between Chinese words."""
    return _ASCII_PUNCT_RE.sub(lambda match: _ASCII_PUNCT[match.group()], text)


def _said(rule: str) -> str:
    inner = rule.replace("“", "‘").replace("”", "’").strip()
    return f"原文指出：“{inner}”"


def chinese_number(number: int) -> str:
    tens, units = divmod(number, 10)
    if not tens:
        return _CN_DIGITS[units]
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[units] if units else "")


def _by_topic(definitions: list[Definition]) -> list[list[Definition]]:
    groups: dict[str | None, list[Definition]] = {}
    for definition in definitions:
        groups.setdefault(definition.topic, []).append(definition)
    return list(groups.values())


# ---- distractors ----------------------------------------------------------------------------

def overlaps(first: str, second: str) -> bool:
    """True when one term contains the other or, apart from a shared beginning and ending
    ("中国特色社会主义…制度"), they share most of their words ("依法治国", "全面依法治国")."""
    a, b = normalise(first), normalise(second)
    if not a or not b or a in b or b in a:
        return True
    head = len(os.path.commonprefix([a, b]))
    tail = len(os.path.commonprefix([a[head:][::-1], b[head:][::-1]]))
    a, b = a[head:len(a) - tail], b[head:len(b) - tail]
    if not a or not b or a in b or b in a:
        return True
    return _longest_common_run(a, b) >= max(3, -(-3 * min(len(a), len(b)) // 5))


def _longest_common_run(a: str, b: str) -> int:
    best, row = 0, [0] * (len(b) + 1)
    for char in a:
        previous, row = row, [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if char == other:
                row[j] = previous[j - 1] + 1
                best = max(best, row[j])
    return best


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


def pick_distractors(bank: _Bank, truths: list[str], shape: list[str], count: int,
                     rng: random.Random, *, text_only: bool = False, preferred: list[str] = (),
                     like: str = "", unstated=lambda _d: True) -> list[str]:
    """Up to ``count`` terms that are not (and do not overlap) any of ``truths``, ranked by how
    much they look like the ``shape`` items and as long as ``like`` (default: a middle item)."""
    length = len(like) if like else sorted(map(len, shape))[len(shape) // 2]
    candidates = [(term, 3.0) for term in preferred]
    candidates += [(item, 1.5) for enumeration in bank.study.enumerations
                   for item in enumeration.items]
    candidates += [(entry[0], 1.5) for chain in bank.study.chains for entry in chain.entries]
    candidates += [(d.term.strip("“”"), 1.5) for d in bank.study.definitions]
    if not text_only:
        candidates += [(term, 0.0) for term in FALLBACK_POOL]
    ranked, seen = [], set()
    for term, bonus in candidates:
        folded = normalise(term)
        if folded in seen or not length <= 2 * len(folded) <= 4 * length \
                or any(overlaps(term, truth) for truth in truths) or not unstated(term):
            continue
        seen.add(folded)
        ranked.append((-(_shape_score(term, shape, length) + bonus), rng.random(), term))
    return [term for *_, term in sorted(ranked)[:count]]


# ---- lists ----------------------------------------------------------------------------------

def _truths(bank: _Bank, enumeration: Enumeration) -> list[str]:
    """What no distractor may overlap: the items of every list in the text with the same name,
    the name itself and the topic."""
    around = [words for words in (enumeration.name, enumeration.topic) if words]
    if not enumeration.name:
        return list(enumeration.items) + around
    name = normalise(enumeration.name)
    return [item for other in bank.study.enumerations
            if other.name and normalise(other.name) == name for item in other.items] + around


def _enumeration_questions(bank: _Bank, enumeration: Enumeration) -> None:
    rng = bank.rng(enumeration.quote, "order")
    order = list(enumeration.items)
    rng.shuffle(order)
    truths = _truths(bank, enumeration)
    base = dict(quote=enumeration.quote, topic=enumeration.topic,
                scope=enumeration.name or "、".join(enumeration.items))
    if enumeration.name and enumeration.complete and len(order) >= 3:
        _membership_questions(bank, enumeration, order, truths, base)
    elif enumeration.sentence:
        _sentence_questions(bank, enumeration, order, truths, base)
    for item in order[1:1 + MAX_FILLS_PER_LIST]:
        _item_fill(bank, enumeration, item, base)


def _membership_questions(bank: _Bank, enumeration: Enumeration, order: list[str],
                          truths: list[str], base: dict) -> None:
    name, items, rule = enumeration.name, enumeration.items, _said(enumeration.rule)
    rng = bank.rng(enumeration.quote, "distractors")
    wrong = pick_distractors(bank, truths, items, OPTION_COUNT - 1, rng)
    if len(wrong) >= 2:
        bank.add_choice("belongs", f"下列哪一项属于{name}？", [order[0]], wrong, difficulty=1,
                        explanation=f"{rule}“{order[0]}”是其中之一。", **base)
        shown = order[:OPTION_COUNT - 1]
        bank.add_choice("not_belongs", f"下列哪一项不属于{name}？", [wrong[0]], shown, difficulty=2,
                        explanation=f"{rule}“{wrong[0]}”不在其中。", **base)
        right = sorted(order[:3 if len(items) > 3 and rng.random() < 0.5 else 2], key=items.index)
        chosen = wrong[:OPTION_COUNT - len(right)]
        bank.add_choice("members", f"下列各项中，属于{name}的有哪些？", right, chosen, difficulty=2,
                        explanation=f"{rule}其中不包括{'、'.join(f'“{w}”' for w in chosen)}。",
                        **base)
    _count_fill(bank, enumeration, base)
    bank.add("member_true", "judge", f"{order[1]}是{name}之一。", True, subject=order[1],
             explanation=f"{rule}故说法正确。", difficulty=1, **base)
    false = pick_distractors(bank, truths, items, 1, rng, text_only=True)
    if false:
        bank.add("member_false", "judge", f"{false[0]}是{name}之一。", False, subject=false[0],
                 explanation=f"{rule}“{false[0]}”不在其中，故说法错误。", difficulty=2, **base)


def _count_fill(bank: _Bank, enumeration: Enumeration, base: dict) -> None:
    name, count = enumeration.name, len(enumeration.items)
    if re.search(r"[\d两一二三四五六七八九十]", name):
        return  # the name already tells the number ("四个意识")
    words = [str(count), chinese_number(count)]
    bank.add("count", "fill", f"根据原文，{name}共有{CANONICAL_BLANK}项。",
             [words + [f"{word}项" for word in words]], subject=str(count),
             explanation=f"{_said(enumeration.rule)}共{count}项。", difficulty=2, **base)


def _sentence_questions(bank: _Bank, enumeration: Enumeration, order: list[str],
                        truths: list[str], base: dict) -> None:
    """An unnamed list: choose the missing item, and the whole sentence as a true statement."""
    stem = _blanked_context(bank, enumeration, order[0])
    if stem:
        wrong = pick_distractors(bank, truths, enumeration.items, OPTION_COUNT - 1,
                                 bank.rng(enumeration.quote, "distractors"), like=order[0])
        if len(wrong) >= 2:
            bank.add_choice("blank_choice", f"选出应填入括号处的一项：{stem}", [order[0]], wrong,
                            explanation=f"{_said(enumeration.rule)}括号处应为“{order[0]}”。",
                            difficulty=2, **base)
    sentence = enumeration.quote
    if len(sentence) <= MAX_CONTEXT and sentence.endswith("。"):
        bank.add("sentence_true", "judge", sentence, True, subject=sentence,
                 explanation=f"{_said(sentence)}故说法正确。", difficulty=1, **base)


def _blanked_context(bank: _Bank, enumeration: Enumeration, item: str) -> str | None:
    """The sentence around an inline list with ``item`` blanked, shortened to MAX_CONTEXT."""
    text = bank.study.text
    start, end = enumeration.sentence
    item_start, item_end = enumeration.spans[enumeration.items.index(item)]
    list_start, list_end = enumeration.spans[0][0], enumeration.spans[-1][1]
    if end - start > MAX_CONTEXT:
        start = max(start, _clause_edge(text, list_start, start, -1))
        end = min(end, _clause_edge(text, list_end, end, 1))
    if end - start > MAX_CONTEXT:
        return None
    body = text[start:item_start] + CANONICAL_BLANK + text[item_end:end]
    if (start, end) == enumeration.sentence:
        return body.strip()
    sentence_start, sentence_end = enumeration.sentence
    body = ("" if start == sentence_start else "……") + body.strip()
    return _lead(enumeration.topic) + body + ("" if end == sentence_end else "……")


def _lead(topic: str | None) -> str:
    return f"关于{clean_title(topic)}，原文指出：" if topic else ""


def _clause_edge(text: str, position: int, limit: int, step: int) -> int:
    """The clause boundary before (step -1) or after (step 1) ``position``."""
    while position != limit and not (text[position - 1 if step < 0 else position] in "，,；;：:"):
        position += step
    return position


def _item_fill(bank: _Bank, enumeration: Enumeration, item: str, base: dict) -> None:
    items = enumeration.items
    prefix = os.path.commonprefix(items) if enumeration.sentence is None else ""
    if len(prefix) < 2 or any(len(i) - len(prefix) < 2 for i in items):
        prefix = ""
    answers = [item[len(prefix):]] + ([item] if prefix else [])
    if enumeration.sentence is None:
        shown = [prefix + CANONICAL_BLANK if i == item else i for i in items]
        stem = f"{enumeration.name}：{'、'.join(shown)}。"
    else:
        stem = _blanked_context(bank, enumeration, item)
    made = bank.fills_per_quote.get(enumeration.quote, 0)
    if stem and len(stem) <= 2 * MAX_CONTEXT and made < MAX_FILLS_PER_PASSAGE:
        bank.fills_per_quote[enumeration.quote] = made + 1
        bank.add("item_fill", "fill", stem, [answers], subject=item,
                 explanation=f"{_said(enumeration.rule)}空格处应为“{item}”。",
                 difficulty=3 if len(answers[0]) > 6 else 2, **base)


# ---- definitions and 以…为… chains ----------------------------------------------------------

def _definition_questions(bank: _Bank, definition: Definition, group: list[Definition],
                          index: int) -> None:
    term, body, topic = definition.term.strip("“”"), definition.body, definition.topic
    base = dict(quote=definition.quote, topic=topic)
    rule = _said(definition.quote)
    others = [other for other in group if other is not definition]
    terms = [o.term.strip("“”") for o in others if not overlaps(o.term, term)
             and not bank.stated(f"{o.term}是{body}")]
    bodies = [o.body for o in others if not overlaps(o.body, body)
              and not bank.stated(f"{definition.term}是{o.body}")]
    rng = bank.rng(definition.quote, "definition")
    rng.shuffle(terms)
    rng.shuffle(bodies)
    if index % 2 == 0 and len(terms) >= 2:
        bank.add_choice("term_of", f"根据原文，下列哪一项是{body}？", [term], terms[:3],
                        explanation=rule, difficulty=2, **base)
    else:
        bank.add("term_fill", "fill", f"{_lead(topic)}{CANONICAL_BLANK}是{body}。", [[term]],
                 subject=term, explanation=rule, difficulty=2, **base)
    if len(bodies) >= 2:
        options = [f"{term}是{b}" for b in bodies[:3]]
        bank.add_choice("body_of", f"根据原文，下列关于“{term}”的表述，正确的是哪一项？",
                        [f"{term}是{body}"], options, explanation=rule, difficulty=2, **base)
    if index % 2 == 0 or not terms:
        bank.add("definition_true", "judge", f"{term}是{body}。", True, subject=term,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        bank.add("definition_false", "judge", f"{terms[0]}是{body}。", False, subject=terms[0],
                 explanation=f"{rule}是{body}的是“{term}”，不是“{terms[0]}”，故说法错误。",
                 difficulty=2, **base)


def _chain_questions(bank: _Bank, chain: RoleChain) -> None:
    base = dict(quote=chain.quote, topic=chain.topic)
    rule = _said(chain.quote)
    xs = [entry[0] for entry in chain.entries]
    around = [chain.topic] if chain.topic else []
    for index, (x, role, span) in enumerate(chain.entries):
        stem = _chain_context(bank, chain, {span: CANONICAL_BLANK})
        wrong = pick_distractors(
            bank, [x] + around, xs, OPTION_COUNT - 1, bank.rng(chain.quote, x), preferred=xs,
            like=x, unstated=lambda d, role=role: not bank.stated(f"以{d}为{role}"))
        if index % 2 == 0 and len(wrong) >= 2:
            bank.add_choice("role_choice", f"选出应填入括号处的一项：{stem}", [x], wrong,
                            explanation=f"{rule}以“{x}”为{role}。", difficulty=2, **base)
        else:
            bank.add("role_fill", "fill", stem, [[x]], subject=x,
                     explanation=f"{rule}以“{x}”为{role}。", difficulty=2, **base)
    if len(chain.entries) < 2:
        return
    (x1, role1, span1), (x2, role2, span2) = chain.entries[:2]
    true_statement = _chain_context(bank, chain, {}, statement=True)
    bank.add("chain_true", "judge", true_statement, True, subject=true_statement,
             explanation=f"{rule}故说法正确。", difficulty=1, **base)
    if not overlaps(x1, x2) and not bank.stated(f"以{x2}为{role1}") \
            and not bank.stated(f"以{x1}为{role2}"):
        swapped = _chain_context(bank, chain, {span1: x2, span2: x1}, statement=True)
        bank.add("chain_false", "judge", swapped, False, subject=swapped,
                 explanation=f"{rule}应是以“{x1}”为{role1}，以“{x2}”为{role2}，故说法错误。",
                 difficulty=2, **base)


def _chain_context(bank: _Bank, chain: RoleChain, replace: dict, statement: bool = False) -> str:
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
    return _lead(chain.topic) + body + ("。" if statement or ends_sentence else "……")

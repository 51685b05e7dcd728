"""Questions on dated events and on what a term is ("党的根本宗旨是…", "…的总目标是…").

Each fact gives at most one question of each type. A false 判断题 is the true statement with one
real substitution (another year, another definition's statement), and says what was changed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.distractors import overlaps
from question_bank.draft_bank import OPTION_COUNT, DraftBank, cite
from question_bank.studytext import Definition
from question_bank.studytext.events import DATE_RE, DatedEvent
from question_bank.studytext.formulations import KNOWN, Formulation
from question_bank.studytext.numbers import NumberFact
from question_bank.studytext.posts import PostGroup
from question_bank.studytext.segment import tokenizer
from question_bank.studytext.words import number_value
from question_bank.text import CANONICAL_BLANK

YEAR_SHIFTS = (-2, -1, 1, 2, 3)
MAX_OPTION = 80  # longest statement offered as an option
MAX_SPAN = 600  # longest passage a 多选 on several statements may quote
MAX_FILL_BODY = 10  # a longer body is a clause ("动员一切力量争取抗战的胜利"), not a term to type
# A body opening with a verb states an action to take, which a member words in many ways.
CLAUSE_LEAD_RE = re.compile(r"^(?:动员|坚持|实现|建立|推进|推动|维护|加强|争取|组织|团结|领导|解决|完成|"
                            r"打败|夺取|发展|保证|确保|使|把|让|为|以|用|在|对)")


@dataclass
class StatementPair:
    """A statement of the text and the same with one real substitution."""

    quote: str
    true: str
    false: str
    change: str


def event_questions(bank: DraftBank, event: DatedEvent) -> None:
    """Which date (单选), true or with a wrong year (判断), the place or the year (填空)."""
    statement = _display(event.statement)
    a, b = _relative(event, event.date_span)
    base = dict(quote=event.quote, topic=None, scope=event.date)
    rule = cite(event.quote.strip())
    shifted = _shifted_dates(event, bank)
    if len(shifted) >= OPTION_COUNT - 1:
        stem = statement[:a] + CANONICAL_BLANK + statement[b:]
        bank.add_choice("event_date", f"{stem}。", [event.date], shifted[:OPTION_COUNT - 1],
                        explanation=f"{rule}时间是{event.date}。", difficulty=2, **base)
    if shifted:
        bank.statement_pairs.append(StatementPair(
            event.quote, f"{statement}。", f"{statement[:a]}{shifted[-1]}{statement[b:]}。",
            f"把时间“{event.date}”改成了“{shifted[-1]}”"))
    if bank.judge_side(event.quote) or not shifted:
        bank.add("event_true", "judge", f"{statement}。", True, subject=event.date,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        wrong = shifted[0]
        bank.add("event_false", "judge", f"{statement[:a]}{wrong}{statement[b:]}。", False,
                 subject=wrong, explanation=f"{rule}时间是{event.date}，不是{wrong}，故说法错误。",
                 difficulty=2, change=f"把时间“{event.date}”改成了“{wrong}”", **base)
    if event.place:
        p_a, p_b = _relative(event, event.place)
        place = statement[p_a:p_b]
        bank.add("event_place", "fill", f"{statement[:p_a]}{CANONICAL_BLANK}{statement[p_b:]}。",
                 [place_variants(place)], subject=place, explanation=f"{rule}地点是{place}。", difficulty=2,
                 **base)
    else:
        year = str(event.year)
        stem = statement[:a] + CANONICAL_BLANK + statement[a + len(year) + 1:]
        bank.add("event_year", "fill", f"{stem}。", [[year, f"{year}年"]], subject=year,
                 explanation=f"{rule}是{year}年。", difficulty=2, **base)


# A province, city or county, or a region named without one ("陕北洛川" -> "洛川").
REGIONS = (r"河北|河南|山西|山东|湖北|湖南|江西|广东|广西|福建|浙江|江苏|安徽|四川|贵州|云南|陕西|甘肃|"
           r"陕北|陕南|苏北|苏南|皖南|闽西|赣南|湘西|冀中|晋西北")
PLACE_PREFIX_RE = re.compile(r"^(?:.{2,4}?[省市县区]|北京|上海|天津|重庆|" + REGIONS + r")(?=..)")
PROVINCE_RE = re.compile(r"(?:.{2,3}省|" + REGIONS + ")")  # too wide to answer "where" alone


# Words that name no place by themselves ("中央大礼堂", "会议室"): no answer starts with them.
PLACE_GENERIC = ("中央", "大礼堂", "礼堂", "会议室", "会场", "大厅", "村", "镇", "号", "路", "法租界", "租界",
                 "宗祠", "祠堂", "旧址", "会址", "大楼", "主楼", "广场", "纪念馆", "楼")


def place_variants(place: str) -> list[str]:
    """The place as written, without a note in brackets, without its province or city
    ("福建省上杭县古田村" -> also "上杭县古田村", "古田村"; "北京京西宾馆" -> "京西宾馆";
    "陕北洛川" -> "洛川"), and its words from the last place name on ("河北平山西柏坡" ->
    "西柏坡") or up to it ("延安杨家岭中央大礼堂" -> "延安", "延安杨家岭")."""
    variants = [place]
    short = re.sub(r"[（(][^)）]*[)）]", "", place)
    while short not in variants:
        variants.append(short)
        short = PLACE_PREFIX_RE.sub("", short, count=1)
    shorter = PLACE_PREFIX_RE.sub("", short, count=1)
    while shorter != short:
        variants.append(shorter)
        short, shorter = shorter, PLACE_PREFIX_RE.sub("", shorter, count=1)
    for words in _word_variants(variants[1] if len(variants) > 1 else place) + _word_variants(short):
        if words not in variants:
            variants.append(words)
    return variants


def _word_variants(place: str) -> list[str]:
    """The place's words up to one ("延安杨家岭中央大礼堂" -> "延安", "延安杨家岭") or from one on
    ("平山西柏坡" -> "西柏坡"), each a place a member could answer with: no province or county
    alone, nothing that starts or ends with a generic word ("中央大礼堂") or a number."""
    words = tokenizer().lcut(place, HMM=False)
    found = []
    for cut in range(1, len(words)):
        for part, leading in ((words[:cut], True), (words[cut:], False)):
            joined = "".join(part)
            if min(map(len, part)) >= 2 and not part[0].startswith(PLACE_GENERIC) \
                    and not part[-1].startswith(PLACE_GENERIC) and not joined[0].isdigit() \
                    and not PROVINCE_RE.fullmatch(joined) \
                    and not (leading and joined.endswith(("省", "市", "县", "区"))):
                found.append(joined)
    return found


def _display(statement: str) -> str:
    return statement.replace(",", "，")


def _relative(event: DatedEvent, span: tuple[int, int]) -> tuple[int, int]:
    if event.relative:
        return span
    return span[0] - event.span[0], span[1] - event.span[0]


def _shifted_dates(event: DatedEvent, bank: DraftBank) -> list[str]:
    """The event's date with another year, each year one no other event of the text has on
    the same day (so no option is the date of something the text names)."""
    taken = {e.date for e in bank.study.events}
    rng = bank.rng(event.quote, "years")
    shifts = list(YEAR_SHIFTS)
    rng.shuffle(shifts)
    dates = []
    for shift in shifts:
        date = DATE_RE.sub(lambda m, year=event.year + shift: _with_year(m, year), event.date, count=1)
        if date not in taken and date != event.date:
            dates.append(date)
    return dates


def _with_year(match: re.Match, year: int) -> str:
    return str(year) + match.group()[4:]


def term_questions(bank: DraftBank, definition: Definition, others: list[Definition]) -> None:
    """"X是Y" read from a title over its statement or "X的总目标是Y": which Y (单选), the
    statement true or with another definition's Y (判断), Y to fill in when short."""
    term, body = definition.term, definition.body
    base = dict(quote=definition.quote, topic=definition.topic, scope=term)
    rule = cite(definition.quote)
    bodies = [o.body for o in others if o.kind != "is" and o.term != term
              and not overlaps(o.body, body)
              and not bank.stated(f"{term}是{o.body}")]
    rng = bank.rng(definition.quote, term)
    rng.shuffle(bodies)
    if len(bodies) >= 2:
        bank.add_choice("term_body", f"根据原文，{term}是（　）。", [body],
                        bodies[:OPTION_COUNT - 1], explanation=f"{rule}", difficulty=2, **base)
    if bodies:
        bank.statement_pairs.append(StatementPair(
            definition.quote, f"{term}是{body}。", f"{term}是{bodies[-1]}。",
            f"把“{body}”换成了原文另一处的“{bodies[-1]}”"))
    if bank.judge_side(definition.quote) or not bodies:
        bank.add("term_true", "judge", f"{term}是{body}。", True, subject=body,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        wrong = bodies[0]
        bank.add("term_false", "judge", f"{term}是{wrong}。", False, subject=wrong,
                 explanation=f"{rule}{term}是{body}，故说法错误。", difficulty=2,
                 change=f"把“{body}”换成了原文另一处的“{wrong}”", **base)
    if len(body) <= MAX_FILL_BODY and not re.search(r"[，,]", body) \
            and not (len(body) > 6 and CLAUSE_LEAD_RE.match(body)):
        bank.add("term_fill", "fill", f"{term}是{CANONICAL_BLANK}。", [[body]], subject=body,
                 explanation=rule, difficulty=2, **base)


def statement_choices(bank: DraftBank) -> None:
    """One 多选 "下列说法正确的有哪些" per text: three or four neighbouring statements, some as
    the text says them and the rest each with one substitution (with two statements, each is
    offered both ways); the quote is the passage holding them all."""
    pairs = [p for p in bank.statement_pairs if max(len(p.true), len(p.false)) <= MAX_OPTION]
    text = bank.study.text
    for first in range(len(pairs) - 1):
        group = pairs[first:first + OPTION_COUNT]
        starts = [text.find(p.quote) for p in group]
        start, end = min(starts), max(a + len(p.quote) for a, p in zip(starts, group))
        if min(starts) >= 0 and end - start <= MAX_SPAN:
            _statement_choice(bank, group, text[start:end].strip())
            return


def _statement_choice(bank: DraftBank, group: list[StatementPair], quote: str) -> None:
    rng = bank.rng(*(p.quote for p in group), "statements")
    if len(group) == 2:
        right, wrong = [p.true for p in group], [p.false for p in group]
        changes = [p.change for p in group]
    else:
        false = set(rng.sample(range(len(group)), 1 if len(group) == 3 else rng.choice((1, 2))))
        right = [p.true for i, p in enumerate(group) if i not in false]
        wrong = [p.false for i, p in enumerate(group) if i in false]
        changes = [p.change for i, p in enumerate(group) if i in false]
    bank.add_choice("statements", "根据原文，下列说法正确的有哪些？", right, wrong,
                    explanation=f"{cite(quote)}错误的说法：{'；'.join(changes)}。", difficulty=2,
                    quote=quote, topic=None, change="；".join(changes))


def post_questions(bank: DraftBank, group: PostGroup) -> None:
    """Who held a post (单选 among the others named with it), the posts as stated or with two
    people swapped (判断), the last one's post to fill in."""
    text = bank.study.text
    start, end = group.context
    lead = "" if start == 0 or text[start - 1] in "。！？!?\n" else "……"
    base = dict(quote=group.quote, topic=None, scope="、".join(p[0] for p in group.posts))
    rule = cite(group.quote)

    def passage(replace: dict) -> str:
        pieces, position = [], start
        for (a, b), words in sorted(replace.items()):
            pieces += [text[position:a], words]
            position = b
        return _display(lead + "".join(pieces) + text[position:end]) + "。"

    (person, post, person_span, _), (other, other_post, other_span, _) = group.posts[:2]
    named = {p[0] for p in group.posts}  # a person the stem names is no wrong option
    people = [p[0] for g in bank.study.posts for p in g.posts if p[0] not in named]
    wrong = list(dict.fromkeys(people))[:OPTION_COUNT - 1]
    if len(wrong) >= 2:
        bank.add_choice("post_person", passage({person_span: CANONICAL_BLANK}), [person], wrong,
                        explanation=f"{rule}{_holds(person, post)}。", difficulty=2, **base)
    true, swapped = passage({}), passage({person_span: other, other_span: person})
    change = f"对调了“{person}”和“{other}”的{'报告' if post.startswith('《') else '职务'}"
    bank.statement_pairs.append(StatementPair(group.quote, true, swapped, change))
    if bank.judge_side(group.quote):
        bank.add("post_true", "judge", true, True, subject=person, explanation=f"{rule}故说法正确。",
                 difficulty=1, **base)
    else:
        bank.add("post_false", "judge", swapped, False, subject=other,
                 explanation=f"{rule}{_holds(person, post)}，{_holds(other, other_post)}，故说法错误。",
                 difficulty=2, change=change, **base)
    last_person, last_post, _, last_span = group.posts[-1]
    answers = list(dict.fromkeys([last_post, last_post.strip("《》")]))
    bank.add("post_fill", "fill", passage({last_span: CANONICAL_BLANK}), [answers],
             subject=last_post, explanation=f"{rule}{_holds(last_person, last_post)}。", difficulty=2,
             **base)


def _holds(person: str, post: str) -> str:
    """"朱德任军长", or for a report "朱德作《论解放区战场》"."""
    return f"{person}{'作' if post.startswith('《') else '任'}{post}"


def formulation_questions(bank: DraftBank, formulation: Formulation) -> None:
    """Which counted formulation (单选 among the text's others or well-known ones), the sentence
    true or with another one (判断), the formulation to fill in."""
    text = bank.study.text
    s_start, s_end = formulation.sentence
    a, b = formulation.span
    sentence = text[s_start:s_end]
    others = [f.term for f in bank.study.formulations if f.term not in sentence]
    others += [term for term in KNOWN if term not in others and term not in sentence]
    wrong = [term for term in others if not overlaps(term, formulation.term)][:OPTION_COUNT - 1]
    base = dict(quote=formulation.quote, topic=None, scope=formulation.term)
    rule = cite(formulation.quote)
    blanked = _display(text[s_start:a - 1] + CANONICAL_BLANK + text[b + 1:s_end])
    if len(wrong) >= OPTION_COUNT - 1:
        bank.add_choice("formulation_choice", f"选出应填入括号处的一项：{blanked}",
                        [f"“{formulation.term}”"],
                        [f"“{term}”" for term in wrong], explanation=rule, difficulty=2, **base)
    true = _display(sentence)
    false = _display(text[s_start:a] + wrong[0] + text[b:s_end]) if wrong else ""
    change = f"把“{formulation.term}”换成了“{wrong[0]}”" if wrong else ""
    if false:
        bank.statement_pairs.append(StatementPair(formulation.quote, true, false, change))
    if bank.judge_side(formulation.quote) or not false:
        bank.add("formulation_true", "judge", true, True, subject=formulation.term,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        bank.add("formulation_false", "judge", false, False, subject=wrong[0],
                 explanation=f"{rule}原文是“{formulation.term}”，不是“{wrong[0]}”，故说法错误。",
                 difficulty=2, change=change, **base)
    bank.add("formulation_fill", "fill", blanked, [[formulation.term, f"“{formulation.term}”"]],
             subject=formulation.term, explanation=rule, difficulty=2, **base)


def number_questions(bank: DraftBank, fact: NumberFact) -> None:
    """The number to fill in, and the statement true or with another number (判断)."""
    statement = _display(fact.statement)
    a, b = fact.number_span
    base = dict(quote=fact.quote, topic=None, scope=fact.number)
    rule = cite(fact.quote.strip())
    words = [fact.number, f"{fact.number}{fact.unit}"]
    if not fact.number.isdigit():
        value = number_value(fact.number.replace("两", "二"))
        words += [str(value), f"{value}{fact.unit}"]
    bank.add("number_fill", "fill", f"{statement[:a]}{CANONICAL_BLANK}{statement[b:]}。", [words],
             subject=fact.number, explanation=f"{rule}是{fact.number}{fact.unit}。", difficulty=2,
             **base)
    other = _other_number(fact.number, bank.rng(fact.quote, "number"))
    false = f"{statement[:a]}{other}{statement[b:]}。"
    change = f"把“{fact.number}”改成了“{other}”"
    if bank.judge_side(fact.quote):
        bank.add("number_true", "judge", f"{statement}。", True, subject=fact.number,
                 explanation=f"{rule}故说法正确。", difficulty=1, **base)
    else:
        bank.add("number_false", "judge", false, False, subject=other,
                 explanation=f"{rule}是{fact.number}{fact.unit}，不是{other}{fact.unit}，故说法错误。",
                 difficulty=2, change=change, **base)


def _other_number(number: str, rng) -> str:
    """Another number of the same kind: "755" -> "655" or "855"; "五" -> "三" or "十"."""
    if number.isdigit():
        value = int(number)
        step = 10 ** max(0, len(number) - 2)
        shift = rng.choice((-2, -1, 1, 2)) * step
        return str(value + shift if value + shift > 0 else value - shift)
    words = [w for w in "两三四五十" if w != number and not (number == "二" and w == "两")]
    return rng.choice(words)

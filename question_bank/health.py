"""A bank's health report: patterns that let a member guess answers without knowing the material.

`bank_health(drafts)` looks at a whole bank (an import file, a generated batch, the bank in the
database) and returns a `HealthReport`: a few plain figures and a list of `Finding`s, each a Chinese
warning naming the questions concerned. Nothing here blocks an import; the admin decides.

Rules about shares (key positions, 对 share, absolutes) only run from a minimum number of questions,
so a five-question import gets no noise; rules about one question (a common-phrase blank, a stem
pointing at a text the member cannot see, near-duplicates) always run.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from question_bank.draft import OPTION_LETTERS, QuestionDraft
from question_bank.text import BLANK_RE, normalise_answer_text

MIN_SINGLES = 30  # key positions: fewer questions swing by chance alone
KEY_SHARE_SPREAD = (0.6, 1.4)  # times the even share: 15%–35% with four options, 30%–70% with two
MIN_MULTIPLES = 10
MAX_ALL_BUT_ONE_SHARE = 0.40
MAX_SAME_KEY_SHARE = 0.25  # one answer (say ACE) for more multiples than this can be learnt by heart
MIN_JUDGES = 10
TRUE_SHARE_RANGE = (0.35, 0.65)
MAX_ABSOLUTE_RATIO = 1.5
MIN_ABSOLUTE_STATEMENTS = 3  # the side with more absolutes must have at least this many to compare
MIN_FILL_BLANKS = 10
MAX_SINGLE_FORM_SHARE = 0.75
SHOWN_KEYS = 12  # keys listed in one warning; the rest are counted

# Words that make a statement absolute or negative: "absolute means false" is a guessing rule.
ABSOLUTE_WORDS = ("只", "仅", "没有", "唯一", "不再", "一切", "所有", "全部", "绝对", "完全", "从不", "从来",
                  "割裂", "任何", "总是", "永远", "无需", "不必", "毫无")
# Phrases that fit almost any "……的（　）" blank in a party text.
COMMON_PHRASES = ("重要保障", "根本保证", "坚强保障", "重要作用", "重要保证", "根本保障", "重要基础",
                  "重要举措", "重要内容", "重要途径", "重要支撑", "坚强后盾", "必然要求", "重要意义")
# A stem that sends the member to a text or a time the question does not show.
# 根据“每周一学”， cites a column by name; 根据“三个代表”重要思想， names a theory and is left alone.
# 该市 / 当地 point at a place named only in the article.
UNSEEN_TEXT_RE = re.compile(r"文中|本文|上文|下文|该文|原文|材料中|根据(?:以上|上述|本|该|报道|材料|“[^”]{1,20}”[，,])"
                            r"|该(?:市|盟|旗|县|区|镇|村|社区|局|中心|校)|^当地")
RELATIVE_TIME_RE = re.compile(r"今年|去年|明年|近日|日前|本月|上月|本周|上周")
DATE_RE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日")


@dataclass(frozen=True)
class Finding:
    """One warning: which rule, a Chinese sentence, and the questions it concerns (keys or rows)."""

    check: str
    message: str
    keys: tuple[str, ...] = ()

    def __str__(self) -> str:
        if not self.keys:
            return self.message
        shown = "、".join(self.keys[:SHOWN_KEYS])
        more = f" 等 {len(self.keys)} 道" if len(self.keys) > SHOWN_KEYS else ""
        return f"{self.message}（{shown}{more}）"


@dataclass
class HealthReport:
    total: int
    figures: list[str] = field(default_factory=list)  # plain counts, shown with or without warnings
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        """The report as text lines (the command line prints these)."""
        head = f"题库体检：{self.total} 道题，" + (f"{len(self.findings)} 条提醒" if self.findings else "未发现问题")
        return [head, *(f"  {figure}" for figure in self.figures), *(f"  提醒：{finding}" for finding in self.findings)]


def bank_health(drafts: list[QuestionDraft]) -> HealthReport:
    """The health report of a bank; drafts of unknown type or malformed answers are passed over."""
    report = HealthReport(total=len(drafts))
    by_type: dict[str, list[QuestionDraft]] = defaultdict(list)
    for draft in drafts:
        by_type[draft.type or ""].append(draft)
    for check in (_single_positions, _multiple_counts, _multiple_positions, _judge_balance, _fill_blanks):
        check(by_type, report)
    report.findings += _unseen_text(drafts) + _near_duplicates(drafts)
    return report


def label(draft: QuestionDraft) -> str:
    """How a warning names a question: its key, else its row."""
    return draft.key or (f"第{draft.origin_row}行" if draft.origin_row else draft.stem[:12])


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _letters(draft: QuestionDraft) -> list[str] | None:
    answer = draft.answer
    if not isinstance(answer, list) or not all(isinstance(a, str) and a in OPTION_LETTERS for a in answer):
        return None
    return sorted(set(answer))


# ---- 单选 -----------------------------------------------------------------------------------------

def _single_positions(by_type: dict, report: HealthReport) -> None:
    singles = [(draft, letters[0]) for draft in by_type["single"]
               if (letters := _letters(draft)) and len(letters) == 1]
    if not singles:
        return
    counts = Counter(letter for _, letter in singles)
    # Letters most questions offer; an E on a few five-option questions is not expected to reach 15%.
    common = [letter for index, letter in enumerate(OPTION_LETTERS)
              if sum(len(draft.options) > index for draft, _ in singles) >= 0.75 * len(singles)]
    report.figures.append("单选题答案位置：" + "，".join(f"{letter} {counts[letter]}" for letter in common))
    if len(singles) < MIN_SINGLES:
        return
    total = len(singles)
    low, high = (spread / len(common) for spread in KEY_SHARE_SPREAD)
    over = [letter for letter in common if counts[letter] > high * total]
    under = [letter for letter in common if counts[letter] < low * total]
    if over or under:
        shares = "，".join(f"{letter} 占 {_percent(counts[letter], total)}" for letter in over + under)
        report.findings.append(Finding(
            "single_positions",
            f"单选题答案位置不均：{shares}（共 {total} 道），每个位置应占 {round(100 * low)}%–{round(100 * high)}%；"
            f"关闭选项乱序时可凭位置猜题，请调换选项顺序",
            tuple(label(draft) for draft, letter in singles if letter in over)))


# ---- 多选 -----------------------------------------------------------------------------------------

def _keyed_multiples(by_type: dict) -> list[tuple]:
    """The 多选 with a readable key and at least two options, each with its key letters."""
    return [(draft, letters) for draft in by_type["multiple"]
            if (letters := _letters(draft)) and len(draft.options) >= 2]


def _multiple_counts(by_type: dict, report: HealthReport) -> None:
    multiples = _keyed_multiples(by_type)
    if not multiples:
        return
    counts = Counter(f"{len(letters)}/{len(draft.options)}" for draft, letters in multiples)
    report.figures.append("多选题答案个数（对/选项）：" + "，".join(f"{shape} {n} 道" for shape, n in sorted(counts.items())))
    all_keyed = [label(draft) for draft, letters in multiples if len(letters) == len(draft.options)]
    if all_keyed:
        report.findings.append(Finding("multiple_all", "多选题的选项全部正确，全选即得分；请加入同一材料中的干扰项",
                                       tuple(all_keyed)))
    all_but_one = [label(draft) for draft, letters in multiples if len(letters) == len(draft.options) - 1]
    total = len(multiples)
    if total >= MIN_MULTIPLES and len(all_but_one) > MAX_ALL_BUT_ONE_SHARE * total:
        report.findings.append(Finding(
            "multiple_all_but_one",
            f"多选题中 {_percent(len(all_but_one), total)}（{len(all_but_one)}/{total} 道）只有一个错误选项，"
            f"“排除一个、其余全选”即可得分；应不超过 40%，请让部分题目只有 2 个或 3 个正确选项",
            tuple(all_but_one)))


def _multiple_positions(by_type: dict, report: HealthReport) -> None:
    """Where the keys of 多选 sit: a letter keyed in (nearly) every question, or (nearly) never, and one
    answer shared by many questions are guessing rules like the 单选 key positions (with shuffling off,
    choosing A alone earns partial points everywhere)."""
    multiples = _keyed_multiples(by_type)
    if len(multiples) < MIN_MULTIPLES:
        return
    total = len(multiples)
    keyed = Counter(letter for _, letters in multiples for letter in letters)
    common = [letter for index, letter in enumerate(OPTION_LETTERS)
              if sum(len(draft.options) > index for draft, _ in multiples) >= 0.75 * total]
    report.figures.append("多选题各位置为正确选项的比例：" + "，".join(f"{letter} {_percent(keyed[letter], total)}"
                                                            for letter in common))
    expected = sum(len(letters) / len(draft.options) for draft, letters in multiples) / total
    low, high = (min(1.0, spread * expected) for spread in KEY_SHARE_SPREAD)
    over = [letter for letter in common if keyed[letter] > high * total]
    under = [letter for letter in common if keyed[letter] < low * total]
    if over or under:
        shares = "，".join(f"{letter} 在 {_percent(keyed[letter], total)}" for letter in over + under)
        report.findings.append(Finding(
            "multiple_positions",
            f"多选题正确选项的位置不均：{shares} 的题中为正确选项（共 {total} 道），应在 {round(100 * low)}%–"
            f"{round(100 * high)}% 之间；关闭选项乱序时可凭位置猜题，请调换选项顺序",
            tuple(label(draft) for draft, letters in multiples
                  if set(over) & set(letters) or set(under) - set(letters))))
    answer, count = Counter("".join(letters) for _, letters in multiples).most_common(1)[0]
    if count > MAX_SAME_KEY_SHARE * total:
        report.findings.append(Finding(
            "multiple_same_key",
            f"多选题中 {_percent(count, total)}（{count}/{total} 道）的答案都是 {answer}；记住这个答案即可答对这些题，"
            f"请调换选项顺序",
            tuple(label(draft) for draft, letters in multiples if "".join(letters) == answer)))


# ---- 判断 -----------------------------------------------------------------------------------------

def absolute_words(statement: str) -> list[str]:
    """The absolute or negation words in a statement."""
    return [word for word in ABSOLUTE_WORDS if word in statement]


def _judge_balance(by_type: dict, report: HealthReport) -> None:
    judges = [draft for draft in by_type["judge"] if isinstance(draft.answer, bool)]
    if not judges:
        return
    true = [draft for draft in judges if draft.answer]
    false = [draft for draft in judges if not draft.answer]
    true_abs = [draft for draft in true if absolute_words(draft.stem)]
    false_abs = [draft for draft in false if absolute_words(draft.stem)]
    report.figures.append(f"判断题：对 {len(true)} 道，错 {len(false)} 道；含绝对或否定词（只、没有、唯一……）的"
                          f"对题 {len(true_abs)} 道，错题 {len(false_abs)} 道")
    if len(judges) < MIN_JUDGES:
        return
    low, high = TRUE_SHARE_RANGE
    if not low * len(judges) <= len(true) <= high * len(judges):
        report.findings.append(Finding(
            "judge_true_share",
            f"判断题中“对”占 {_percent(len(true), len(judges))}（{len(true)}/{len(judges)} 道），应在 35%–65% 之间；"
            f"一律答“{'对' if len(true) > len(false) else '错'}”即可多得分"))
    report.findings += _absolute_imbalance(true, true_abs, false, false_abs)


def _absolute_imbalance(true, true_abs, false, false_abs) -> list[Finding]:
    if not true or not false:
        return []
    sides = {"对": (len(true_abs) / len(true), true_abs), "错": (len(false_abs) / len(false), false_abs)}
    heavy, light = ("错", "对") if sides["错"][0] >= sides["对"][0] else ("对", "错")
    (heavy_rate, heavy_questions), (light_rate, _) = sides[heavy], sides[light]
    if len(heavy_questions) < MIN_ABSOLUTE_STATEMENTS or heavy_rate <= MAX_ABSOLUTE_RATIO * light_rate:
        return []
    return [Finding(
        "judge_absolutes",
        f"判断题中含绝对或否定词（只、没有、唯一……）的，{heavy}题占 {round(100 * heavy_rate)}%，"
        f"{light}题占 {round(100 * light_rate)}%；“见绝对词就判{heavy}”即可猜中，两者相差应在 1.5 倍以内，"
        f"请在{light}题中也使用这类词，或改写这些{heavy}题",
        tuple(label(draft) for draft in heavy_questions))]


# ---- 填空 -----------------------------------------------------------------------------------------

def _fill_blanks(by_type: dict, report: HealthReport) -> None:
    fills = [draft for draft in by_type["fill"]
             if isinstance(draft.answer, list) and all(isinstance(blank, list) for blank in draft.answer)]
    if not fills:
        return
    blanks = [(draft, blank) for draft in fills for blank in draft.answer]
    single_form = [(draft, blank) for draft, blank in blanks
                   if len({normalise_answer_text(str(text)) for text in blank}) <= 1]
    report.figures.append(f"填空题：{len(blanks)} 个空，其中 {len(blanks) - len(single_form)} 个接受不止一种写法")
    if len(blanks) >= MIN_FILL_BLANKS and len(single_form) > MAX_SINGLE_FORM_SHARE * len(blanks):
        report.findings.append(Finding(
            "fill_single_form",
            f"填空题 {len(blanks)} 个空中有 {len(single_form)} 个只接受一种写法；原文允许的说法（如“党”与“中国共产党”、"
            f"“带领群众干”与“带着群众干”）应一并列为答案",
            tuple(dict.fromkeys(label(draft) for draft, _ in single_form))))
    common = {normalise_answer_text(phrase) for phrase in COMMON_PHRASES}
    vague = [draft for draft, blank in blanks if any(normalise_answer_text(str(text)) in common for text in blank)]
    if vague:
        report.findings.append(Finding(
            "fill_common_phrase",
            "填空题的答案是常见套语（如“重要保障”“根本保证”），换成同类说法也通顺，却会判错；请改空别处或改为选择题",
            tuple(dict.fromkeys(label(draft) for draft in vague))))


# ---- every type -----------------------------------------------------------------------------------

def _unseen_text(drafts: list[QuestionDraft]) -> list[Finding]:
    pointing = [label(draft) for draft in drafts if UNSEEN_TEXT_RE.search(draft.stem)]
    undated = [label(draft) for draft in drafts
               if RELATIVE_TIME_RE.search(draft.stem) and not DATE_RE.search(draft.stem)]
    findings = []
    if pointing:
        findings.append(Finding("unseen_text", "题干提到“文中”“本文”“根据材料”“该市”等，答题时看不到原文；"
                                               "请写明地方、单位或文件名称", tuple(pointing)))
    if undated:
        findings.append(Finding("undated_time", "题干用“今年”“近日”等说法却没有日期，日后读来不知所指；请写明年份或日期",
                                tuple(undated)))
    return findings


def filled_text(draft: QuestionDraft) -> str:
    """The stem with its blanks filled by the (first) right answers, folded for comparison."""
    answer = draft.answer
    if draft.type == "fill" and isinstance(answer, list):
        fillers = [str(blank[0]) if isinstance(blank, list) and blank else "" for blank in answer]
    elif draft.type in ("single", "multiple") and (letters := _letters(draft)):
        fillers = ["".join(draft.options[OPTION_LETTERS.index(letter)] for letter in letters
                           if OPTION_LETTERS.index(letter) < len(draft.options))]
    else:
        fillers = []
    parts = BLANK_RE.split(draft.stem or "")
    if len(parts) - 1 == len(fillers):
        text = "".join(part + filler for part, filler in zip(parts, fillers + [""]))
    else:
        text = draft.stem or ""
    return normalise_answer_text(text)


_NOT_WORD_RE = re.compile(r"[\W_]+")


def quote_identity(quote: str) -> str:
    """A quote folded for comparison: spacing and punctuation ignored ('' for no quote). No NFKC
    step: it would cost five times as much on every drawn paper, and quotes copied from one text
    agree in width anyway."""
    return _NOT_WORD_RE.sub("", (quote or "").casefold())


def _near_duplicates(drafts: list[QuestionDraft]) -> list[Finding]:
    by_quote: dict[tuple, list[QuestionDraft]] = defaultdict(list)
    by_filled: dict[tuple, list[QuestionDraft]] = defaultdict(list)
    for draft in drafts:
        if quote := quote_identity(draft.quote):
            by_quote[(draft.type, quote)].append(draft)
        if filled := filled_text(draft):
            by_filled[(draft.type, filled)].append(draft)
    findings = [
        Finding("same_quote", f"{len(group)} 道同一题型的题出自同一段原文摘录，可能同卷出现、互相提示答案；"
                              f"每段摘录每种题型宜只出一题", tuple(label(draft) for draft in group))
        for group in by_quote.values() if len(group) > 1
    ]
    quote_groups = [{id(draft) for draft in group} for group in by_quote.values() if len(group) > 1]
    for group in by_filled.values():
        members = {id(draft) for draft in group}
        if len(group) > 1 and not any(members <= quoted for quoted in quote_groups):
            findings.append(Finding("same_stem", f"{len(group)} 道同一题型的题填入答案后题干相同，只是空的位置不同",
                                    tuple(label(draft) for draft in group)))
    return findings

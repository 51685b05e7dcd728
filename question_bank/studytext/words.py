"""Words the readers share: number words, sentences, headings and the names of lists."""
from __future__ import annotations

import re

from question_bank.studytext.model import Span

CN_DIGITS = "一二三四五六七八九"
CN_NUMBER = r"[一二三四五六七八九十]{1,3}"
SENTENCE_RE = re.compile(r"\s*([^。！？!?\n]+(?:[。！？!?]+[”’」』]?)?)")
# A sentence with its end mark, for the readers that take a text sentence by sentence.
PLAIN_SENTENCE_RE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
TERM_BAD_START = tuple("这那它其此我你他她但而也就都还即正更又")
CATEGORY_NOUNS = ("目标", "取向", "准则", "方面", "内容", "要求", "原则", "理念", "作风", "意识",
                  "自信", "经验", "任务", "特征", "标准", "战略", "布局", "方针", "观", "精神",
                  "法宝", "举措", "途径", "品格", "品质", "本色", "维护", "确立", "明确", "坚持",
                  "制度", "体系", "建设", "能力", "本领", "路线", "纲领", "内涵", "要义", "特点",
                  "特色", "优势", "纪律")
NAME_MARKER_RE = re.compile(
    r"(?:主要包括|具体包括|包括|包含|分别是|就是|是指|是|即|主要有|具体有|共有)"
    r"(?:以下(?:[几一二三四五六七八九十\d]+)?(?:个|条|项)?(?:方面|点|条|项)?|如下)?$")
BAD_NAME_RE = re.compile(r"(?<![重主纲需首])要(?![求点素义务害])|应当|必须|做到|我们|着力|需要|强调|"
                         r"指出|提出|认为|如何|怎样|(?<![具拥所])有")
HAS_COUNT_RE = re.compile(r"^(.+?)(?:主要|共)?有([两一二三四五六七八九十\d]{1,3}(?:个|大|条|项)"
                          r"[\u4e00-\u9fff]{2,4})$")
# "X要把握好三个方面" -> "X的三个方面"
GRASP_COUNT_RE = re.compile(r"^(.+?)(?:要|必须|应当|需要)?(?:牢牢)?(?:把握好|把握|做到|抓好|抓住|落实好)"
                            r"([两一二三四五六七八九十\d]{1,3}(?:个|大|条|项)[\u4e00-\u9fff]{2,4})$")
# A counted name closing the words before a list: "要做到“三个坚持”：一是…"
COUNTED_END_RE = re.compile(r"“[两二三四五六七八九十]{1,2}(?:个|项|大|条|种)[\u4e00-\u9fff]{1,8}”$|"
                            r"(?<![\u4e00-\u9fff])[两二三四五六七八九十]{1,2}(?:个|项|大|条|种)"
                            r"[\u4e00-\u9fff]{1,8}$")
NUMBERED_NAME_RE = re.compile(r"([两一二三四五六七八九十]{1,3}|\d{1,2})(?:个|大|项|条|种|方面)")


def number_value(word: str) -> int:
    """1..99 written as 一 … 九十九 (or arabic digits, or a circled number); 0 if it is none."""
    if word.isdigit() and word.isascii():
        return int(word)
    if "①" <= word <= "⑳":
        return ord(word) - ord("①") + 1
    tens, _, units = word.rpartition("十")
    if "十" not in word:
        return CN_DIGITS.index(word) + 1 if len(word) == 1 and word in CN_DIGITS else 0
    if len(tens) > 1 or len(units) > 1 or (tens and tens not in CN_DIGITS) or (units and units not in CN_DIGITS):
        return 0
    ten_value = CN_DIGITS.index(tens) + 1 if tens else 1
    return ten_value * 10 + (CN_DIGITS.index(units) + 1 if units else 0)


# What a sentence may open with that a question must not: a label ("提 要：") or a connective
# that points back to the sentence before ("其中，", "同时，").
SENTENCE_LEAD_RE = re.compile(r"[ \t\u3000]*(?:(?:内容提要|提[ \u3000]*要|摘[ \u3000]*要|编者按|核心提示|导读)"
                              r"[ \u3000]*[：:][ \t\u3000]*)?(?:(?:其中|同时|此外|另外|而且|并且|因此|"
                              r"所以|总之|可见|与此同时)[，,])?")


def sentence_spans(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans (without a leading label or connective); a closing quotation mark after
    "。" stays with its sentence."""
    spans = [match.span(1) for match in SENTENCE_RE.finditer(text, start, end)]
    return [(lead_end(text, a, b), b) for a, b in spans]


def lead_end(text: str, start: int, end: int) -> int:
    """Where the statement of the sentence ``text[start:end]`` begins: after blanks, a label
    ("提 要：") and a connective pointing back ("其中，")."""
    skipped = SENTENCE_LEAD_RE.match(text, start, end).end()
    return skipped if end - skipped >= 2 else start


def clean_title(title: str | None) -> str | None:
    """A heading without quotation marks, for category paths."""
    return re.sub(r"[“”\"《》]", "", title).strip() if title else None


def name_before(lead: str, topic: str | None) -> str | None:
    """A list name from the words before it: "NAME是", "NAME包括以下几个方面" or "NAME"."""
    lead = re.split(r"[，,；;。：:]", lead.strip().rstrip("：:"))[-1].strip().lstrip("—")
    lead = NAME_MARKER_RE.sub("", lead).strip()
    lead = HAS_COUNT_RE.sub(r"\1的\2", lead)
    lead = GRASP_COUNT_RE.sub(r"\1的\2", lead)
    if lead.startswith("其") and topic:
        lead = topic + "的" + lead[1:]
    counted = COUNTED_END_RE.search(lead)
    return plausible_name(lead) or (counted.group() if counted else None)


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
        if number_value(word) != count:
            return None
    return name

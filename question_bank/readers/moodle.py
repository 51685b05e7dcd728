"""Moodle XML (the "Moodle XML format" export of a question bank).

multichoice (single or multiple answer), truefalse, shortanswer and numerical (as fill) are
read; a `category` pseudo-question sets the category of the questions after it. Other types
(essay, matching, cloze, description, …) are named in a warning and counted, never lost
silently. Rows are the line of each <question> element.
"""
from __future__ import annotations

from collections import Counter

from lxml import etree

from question_bank.draft import OPTION_LETTERS, QuestionDraft, RowError
from question_bank.readers.base import FileProblem, Limits, ReadResult, check_row_count
from question_bank.readers.gift import moodle_category
from question_bank.text import CANONICAL_BLANK, canonical_blanks, count_blanks, html_text

SUPPORTED = ("multichoice", "truefalse", "shortanswer", "numerical")
TYPE_NAMES = {"essay": "论述题", "matching": "匹配题", "multianswer": "完形填空（Cloze）题",
              "description": "说明文字", "ddwtos": "拖放填空题", "gapselect": "下拉选择填空题",
              "calculated": "计算题", "calculatedsimple": "简单计算题", "calculatedmulti": "计算选择题",
              "randomsamatch": "随机匹配题", "ddmarker": "拖放标记题", "ddimageortext": "拖放图片题"}


def looks_like_moodle(head: str) -> bool:
    return "<quiz" in head[:2000]


def _text(element, path: str) -> str:
    found = element.find(path)
    return html_text(found.text) if found is not None else ""


def _fraction(answer) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.category = ""
        self.result = ReadResult()
        self.skipped: Counter[str] = Counter()
        self.pictures: list[int] = []  # lines of questions whose text shows a picture

    def question(self, element) -> None:
        kind = element.get("type", "")
        if kind == "category":
            self.category = moodle_category(_text(element, "category/text"))
            return
        if kind not in SUPPORTED:
            self.skipped[kind] += 1
            return
        if "<img" in (element.findtext("questiontext/text") or ""):
            self.pictures.append(element.sourceline or 0)
        draft = QuestionDraft(type=None, stem=_text(element, "questiontext/text"),
                              explanation=_text(element, "generalfeedback/text"), category=self.category,
                              origin_file=self.file, origin_row=element.sourceline or 0)
        answers = [(html_text(a.findtext("text")), _fraction(a)) for a in element.findall("answer")]
        getattr(self, kind)(draft, answers, element)
        self.result.drafts.append(draft)

    def multichoice(self, draft: QuestionDraft, answers, element) -> None:
        """Multiple answer: every option worth marks. One answer: the best one only, since Moodle
        gives part marks to near-misses there (an option at 50% is not the answer)."""
        draft.options = [text for text, _ in answers]
        single = (element.findtext("single") or "true").strip().casefold() in ("true", "1")
        best = max((weight for _, weight in answers), default=0)
        draft.answer = [OPTION_LETTERS[i] for i, (_, weight) in enumerate(answers[:8])
                        if weight > 0 and (weight == best or not single)]
        draft.type = "single" if single or len(draft.answer) == 1 else "multiple"

    def truefalse(self, draft: QuestionDraft, answers, element) -> None:
        draft.type = "judge"
        right = [text.casefold() for text, weight in answers if weight >= 100]
        draft.answer = right[0] in ("true", "对", "正确") if len(right) == 1 else None

    def shortanswer(self, draft: QuestionDraft, answers, element) -> None:
        """Only full-mark answers are accepted answers, and never a wildcard (Moodle's '*')."""
        draft.type = "fill"
        accepted = [text for text, weight in answers if weight >= 100 and text and "*" not in text]
        draft.answer = [accepted] if accepted else None
        draft.stem = canonical_blanks(draft.stem) if count_blanks(draft.stem) else draft.stem + CANONICAL_BLANK

    numerical = shortanswer

    def warnings(self) -> list[RowError]:
        warnings = []
        if self.skipped:
            named = "、".join(f"{TYPE_NAMES.get(kind, kind)}（{kind}）{count} 道" for kind, count in self.skipped.items())
            warnings.append(RowError(self.file, 0, "题型", f"跳过 {sum(self.skipped.values())} 道不支持的题：{named}"))
        if self.pictures:
            lines = "、".join(map(str, self.pictures[:10])) + ("…" if len(self.pictures) > 10 else "")
            warnings.append(RowError(self.file, 0, "题干", f"{len(self.pictures)} 道题的题干含图片（第 {lines} 行），"
                                                          "导入后只有文字，请核对这些题离开图片是否还读得懂"))
        return warnings


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise FileProblem("XML 文件含有 DTD 或实体定义（可能是恶意文件），已拒绝")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise FileProblem(f"XML 格式有误：第{line}行第{column}列附近（请检查标签是否成对、"
                          "文字中的 & 和 < 是否写成 &amp; 和 &lt;）") from exc
    if root.tag != "quiz":
        raise FileProblem("不是 Moodle XML 题库文件（根元素应为 <quiz>）")
    reader = _Reader(file)
    for element in root.iter("question"):
        reader.question(element)
        check_row_count(len(reader.result.drafts), limits)
    reader.result.warnings = reader.warnings()
    if not reader.result.drafts:
        skipped = f"（{reader.result.warnings[0].message}）" if reader.skipped else ""  # the first warning
        raise FileProblem(f"Moodle XML 文件中没有可导入的题目{skipped}")
    return reader.result

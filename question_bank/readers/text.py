"""Numbered plain text (.txt, and .docx paragraphs): "1. 题干", "A. 选项", "答案：B", "解析：…".

Section headers such as "一、单选题" set the type of the questions below them. Answers may
also come in a key after the questions ("参考答案" then "1-5 ABCDA 6. BD" lines, per section
or for the whole file): the k-th answer numbered n in the keys goes to the k-th question
numbered n that has no answer of its own. Rows in errors are the line on which a question's
number stands.
"""
from __future__ import annotations

import re
from collections import defaultdict

from question_bank.readers.answers import parse_type
from question_bank.readers.base import FileProblem, Limits, ReadResult, build_all, check_row_count, decode
from question_bank.readers.fields import RawQuestion
from question_bank.readers.stem_answer import take_answer_from_stem

_CN_DIGITS = "一二三四五六七八九十"
_SECTION_RE = re.compile(
    rf"^(?:(?:[{_CN_DIGITS}]+\s*[、.．]|[(（][{_CN_DIGITS}]+[)）]|第[{_CN_DIGITS}\d]+部分\s*[:：、]?)\s*)?"
    r"([^\s\d（(：:]{1,10}题|选择|单选|多选|判断|填空)\s*(?:[（(][^）)]*[）)])?\s*[:：]?$")
# A question starts with its number ("1." "1、" "第1题"), or unnumbered with a label ("题目：" "【题干】").
_QUESTION_RE = re.compile(r"^(?:(\d{1,5})\s*(?:[.．](?!\d)|[、)）])|第\s*(\d{1,5})\s*题\s*[.、:：]?"
                          r"|【\s*(?:题目|题干|试题)\s*】\s*[:：]?|(?:题目|题干|试题)\s*[:：])\s*")
_OPTION_MARK_RE = re.compile(
    r"(?:[(（]\s*([A-ZＡ-Ｚ])\s*[)）]|(?:^|(?<=[\s；;]))([A-ZＡ-Ｚ])\s*[.、。．:：)）])\s*")
_LABELS = {
    "answer": ["答案", "正确答案", "参考答案", "标准答案"],
    "explanation": ["解析", "答案解析", "试题解析", "题目解析"],
    "difficulty": ["难度"],
    "category": ["知识点", "分类"],
    "source": ["来源", "出处"],
    "quote": ["原文摘录", "原文"],
    "tags": ["标签"],
    "type": ["题型"],
}
_LABEL_TO_FIELD = {label: name for name, labels in _LABELS.items() for label in labels}
_LABEL_WORDS = "|".join(sorted(_LABEL_TO_FIELD, key=len, reverse=True))
_LABEL_RE = re.compile(rf"【\s*({_LABEL_WORDS})\s*】\s*[:：]?|(?:^|(?<=\s))({_LABEL_WORDS})\s*[:：]\s*")


_KEY_HEADER_RE = re.compile(r"^(?:参考答案|标准答案|答案汇总|答案)(?:及解析)?\s*[:：]?\s*")
_KEY_SECTION_RE = re.compile(rf"^(?:[{_CN_DIGITS}]+\s*[、.．]|[(（][{_CN_DIGITS}]+[)）])\s*(?:[^\d\s:：]{{1,10}}[:：]?)?\s*")
_KEY_ENTRY = r"(\d{1,5})\s*(?:[-~～—–]\s*(\d{1,5}))?\s*[.、．:：)）]?\s*((?:[A-Ha-h]|对|错|√|×)+)"
_KEY_ENTRY_RE = re.compile(_KEY_ENTRY)
_KEY_LINE_RE = re.compile(rf"^(?:[\s,，;；]*{_KEY_ENTRY})+[\s,，;；。]*$")


def _key_entries(line: str) -> list[tuple[int, str]] | None:
    """(question number, answer) for a line of an answer key ("一、1-3 ABA  4. BD"), or None."""
    body = _KEY_SECTION_RE.sub("", line, count=1)
    if not _KEY_LINE_RE.match(body):
        return None
    entries = []
    for match in _KEY_ENTRY_RE.finditer(body):
        first, last, answer = int(match.group(1)), match.group(2), match.group(3).upper()
        if last is None:
            entries.append((first, answer))
        elif int(last) - first + 1 == len(answer):  # "1-5 ABCDA": one answer per question
            entries.extend(zip(range(first, int(last) + 1), answer))
    return entries


def find_answer_keys(lines: list[str]) -> tuple[set[int], list[tuple[int, str]]]:
    """The indexes of answer-key lines (a 参考答案 header and the key lines after it) and the key's entries."""
    key_lines: set[int] = set()
    entries: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        header = _KEY_HEADER_RE.match(lines[index].strip())
        rest = lines[index].strip()[header.end():] if header else ""
        first = _key_entries(rest) if rest else []
        if header is None or first is None:
            index += 1
            continue
        block, following = [index], index + 1
        while following < len(lines) and (not lines[following].strip() or _key_entries(lines[following].strip())):
            block.append(following)
            following += 1
        found = [entry for line in block[1:] if lines[line].strip() for entry in _key_entries(lines[line].strip())]
        if first or found:
            key_lines.update(block)
            entries += first + found
        index = following
    return key_lines, entries


def _letter(mark: re.Match) -> str:
    letter = mark.group(1) or mark.group(2)
    return chr(ord(letter) - 0xFEE0) if letter > "Z" else letter  # full-width Ａ -> A


def split_options(line: str, expected: str) -> list[str] | None:
    """Option texts if ``line`` starts with option ``expected`` (several may share the line)."""
    cuts: list[tuple[int, int]] = []
    for mark in _OPTION_MARK_RE.finditer(line):
        if _letter(mark) == expected and (cuts or mark.start() == 0):
            cuts.append((mark.start(), mark.end()))
            expected = chr(ord(expected) + 1)
    if not cuts:
        return None
    ends = [start for start, _ in cuts[1:]] + [len(line)]
    texts = [line[body:end].strip() for (_, body), end in zip(cuts, ends)]
    return [text.rstrip("；;").rstrip() for text in texts[:-1]] + texts[-1:]  # "A、甲；B、乙": no "；" kept


def split_labels(line: str) -> list[tuple[str, str]] | None:
    """(field, text) pairs if ``line`` starts with a label such as 答案： or 【解析】."""
    marks = list(_LABEL_RE.finditer(line))
    if not marks or marks[0].start() != 0:
        return None
    ends = [mark.start() for mark in marks[1:]] + [len(line)]
    return [(_LABEL_TO_FIELD[mark.group(1) or mark.group(2)], line[mark.end():end].strip())
            for mark, end in zip(marks, ends)]


def section_type(line: str) -> str | None:
    """The type name of a section header line ("一、单项选择题（每题2分）" -> "单项选择题")."""
    match = _SECTION_RE.match(line)
    if not match:
        return None
    name = match.group(1)
    numbered = match.group(0)[:1] in f"{_CN_DIGITS}(（第"
    return name if numbered or parse_type(name) else None


class _Question:
    def __init__(self, row: int, stem: str, section: str | None, number: str | None) -> None:
        self.raw = RawQuestion(row=row, values={"stem": stem})
        self.section = section
        self.number = int(number) if number else None
        self.target: tuple[str, int] = ("stem", 0)  # where continuation lines go

    def add_options(self, texts: list[str]) -> None:
        self.raw.options.extend(texts)
        self.target = ("option", len(self.raw.options) - 1)

    def add_field(self, name: str, text: str) -> None:
        values = self.raw.values
        values[name] = f"{values[name]}\n{text}" if values.get(name) else text
        if name != "type":  # a 题型 line right after the number leaves the stem still to come
            self.target = (name, 0)

    def continue_with(self, line: str) -> None:
        name, index = self.target
        if name == "option":
            self.raw.options[index] = f"{self.raw.options[index]}\n{line}"
        else:
            self.add_field(name, line)

    def next_letter(self) -> str:
        if self.target[0] not in ("stem", "option"):
            return "-"  # options are over once labels begin
        return chr(ord("A") + len(self.raw.options))

    def finish(self) -> RawQuestion:
        if self.section and not self.raw.values.get("type"):
            self.raw.values["type"] = self.section
        if not self.raw.values.get("answer"):
            take_answer_from_stem(self.raw)
        return self.raw


def _apply_keys(questions: list[_Question], entries: list[tuple[int, str]]) -> None:
    """The k-th key answer numbered n to the k-th question numbered n, if it has no answer of its own."""
    answers: dict[int, list[str]] = defaultdict(list)
    for number, answer in entries:
        answers[number].append(answer)
    seen: dict[int, int] = defaultdict(int)
    for question in questions:
        if question.number is None:
            continue
        occurrence = seen[question.number]
        seen[question.number] += 1
        found = answers[question.number]
        if occurrence < len(found) and not question.raw.values.get("answer"):
            question.raw.values["answer"] = found[occurrence]


def parse_lines(lines: list[str], limits: Limits, numbers: list[int] | None = None) -> list[RawQuestion]:
    """Raw questions from numbered lines (``numbers``: each line's number in the file, if not 1, 2, …)."""
    questions: list[_Question] = []
    current: _Question | None = None
    section: str | None = None
    key_lines, key_entries = find_answer_keys(lines)
    for index, (number, line) in enumerate(zip(numbers or range(1, len(lines) + 1), lines)):
        line = line.strip()
        if not line or index in key_lines:
            continue
        start = _QUESTION_RE.match(line)
        header = None if start else section_type(line)
        if start or header:
            if current:
                current.finish()
                questions.append(current)
                check_row_count(len(questions), limits)
            current = _Question(number, line[start.end():], section, start.group(1) or start.group(2)) if start else None
            section = header or section
            continue
        if current is None:
            continue  # titles and notes before the first question
        options = split_options(line, current.next_letter())
        labels = None if options else split_labels(line)
        if options:
            current.add_options(options)
        elif labels:
            for name, text in labels:
                current.add_field(name, text)
        else:
            current.continue_with(line)
    if current:
        current.finish()
        questions.append(current)
        check_row_count(len(questions), limits)
    _apply_keys(questions, key_entries)
    return [question.raw for question in questions]


def read_lines(lines: list[str], file: str, limits: Limits, numbers: list[int] | None = None) -> ReadResult:
    questions = parse_lines(lines, limits, numbers)
    if not questions:
        raise FileProblem("没有找到题目（每道题应以 1. 或 1、 这样的题号开头，或以「题目：」开头）")
    return build_all([(raw, None) for raw in questions], file)


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    return read_lines(decode(data).splitlines(), file, limits)

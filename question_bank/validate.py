"""Check drafts against every rule of the question bank and report all problems at once."""
from __future__ import annotations

import re
from collections.abc import Callable

from question_bank.draft import (
    DIFFICULTIES,
    MAX_OPTIONS,
    OPTION_LETTERS,
    QUESTION_TYPES,
    STATUSES,
    QuestionDraft,
    RowError,
)
from question_bank.text import count_blanks, normalise_answer_text

# Longest text accepted per field, in characters.
MAX_LENGTHS = {
    "stem": 2000,
    "option": 500,
    "explanation": 5000,
    "quote": 5000,
    "category": 200,
    "tag": 50,
    "key": 100,
    "source": 200,
    "fill_answer": 200,
}
MAX_TAGS = 20
CHOICE_TYPES = ("single", "multiple")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Report = Callable[[str, str], None]


def _letter_span(count: int) -> str:
    if count <= 0:
        return "没有选项"
    return f"只有 A–{OPTION_LETTERS[count - 1]}" if count > 1 else "只有 A"


def _check_length(report: Report, field: str, text: str, limit_name: str) -> None:
    limit = MAX_LENGTHS[limit_name]
    if len(text) > limit:
        report(field, f"太长（{len(text)} 字，最多 {limit} 字）")


def _check_options(draft: QuestionDraft, report: Report) -> None:
    options = draft.options
    if len(options) > MAX_OPTIONS:
        report("选项", f"有 {len(options)} 个选项，最多 {MAX_OPTIONS} 个")
    elif len(options) < 2:
        report("选项", f"选择题至少要有 2 个选项（现有 {len(options)} 个）")
    seen: dict[str, str] = {}
    for index, option in enumerate(options[:MAX_OPTIONS]):
        letter = OPTION_LETTERS[index]
        field = f"选项{letter}"
        if not isinstance(option, str) or not option.strip():
            report(field, "选项为空")
            continue
        _check_length(report, field, option, "option")
        folded = normalise_answer_text(option)
        if folded in seen:
            report(field, f"与选项{seen[folded]}重复")
        else:
            seen[folded] = letter


def _check_choice_answer(draft: QuestionDraft, report: Report) -> None:
    answer = draft.answer
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        report("答案", "选择题的答案应为选项字母")
        return
    letters = sorted(set(answer))
    valid = OPTION_LETTERS[: min(len(draft.options), MAX_OPTIONS)]
    outside = [letter for letter in letters if letter not in valid]
    if len(outside) > 2:  # many letters outside: the answer is a word, not letters
        report("答案", f"答案「{''.join(answer)}」不是选项字母（本题{_letter_span(len(valid))}），"
                       "请写成 A、B 这样的字母")
    elif outside:
        report("答案", f"{''.join(outside)} 不在选项中（{_letter_span(len(valid))}）")
    if draft.type == "single" and len(letters) != 1:
        report("答案", f"单选题只能有 1 个答案（现有 {len(letters)} 个：{''.join(letters)}）")
    if draft.type == "multiple" and len(letters) < 2:
        report("答案", f"多选题至少要有 2 个答案（现有 {len(letters)} 个）")


def _check_fill_answer(draft: QuestionDraft, report: Report) -> None:
    answer = draft.answer
    blanks = count_blanks(draft.stem)
    if not blanks:
        report("题干", "填空题的题干中没有空（用（　）或 ___ 标出）")
    if not isinstance(answer, list) or not all(isinstance(a, list) for a in answer):
        report("答案", "填空题的答案应为每空一组可接受的答案")
        return
    if blanks and len(answer) != blanks:
        report("答案", f"题干有 {blanks} 个空，答案却有 {len(answer)} 个（用；分隔各空）")
    for number, alternatives in enumerate(answer, start=1):
        if not alternatives or not all(isinstance(a, str) and a.strip() for a in alternatives):
            report("答案", f"第{number}空的答案为空")
        elif any(len(a) > MAX_LENGTHS["fill_answer"] for a in alternatives):
            report("答案", f"第{number}空的答案太长（最多 {MAX_LENGTHS['fill_answer']} 字）")


def _check_answer(draft: QuestionDraft, report: Report) -> None:
    if draft.answer is None or draft.answer == []:
        report("答案", "缺少答案")
    elif draft.type in CHOICE_TYPES:
        _check_choice_answer(draft, report)
    elif draft.type == "judge":
        if not isinstance(draft.answer, bool):
            report("答案", "判断题的答案应为 对 或 错")
    elif draft.type == "fill":
        _check_fill_answer(draft, report)


def _check_content(draft: QuestionDraft, report: Report) -> None:
    if draft.type not in QUESTION_TYPES:
        report("题型", f"题型「{draft.type or ''}」不支持（只支持{'、'.join(QUESTION_TYPES.values())}）")
    if not draft.stem.strip():
        report("题干", "题干为空")
    _check_length(report, "题干", draft.stem, "stem")
    if draft.type in CHOICE_TYPES:
        _check_options(draft, report)
    elif draft.type in QUESTION_TYPES and draft.options:
        report("选项", f"{QUESTION_TYPES[draft.type]}不应有选项")
    if draft.type in QUESTION_TYPES:
        _check_answer(draft, report)


def _check_metadata(draft: QuestionDraft, report: Report) -> None:
    if draft.difficulty not in DIFFICULTIES:
        report("难度", f"难度应为 1–3（易、中、难），不是「{draft.difficulty}」")
    if draft.status not in STATUSES:
        report("状态", f"状态「{draft.status}」不支持（只支持{'、'.join(STATUSES.values())}）")
    for field, text, limit in (("解析", draft.explanation, "explanation"),
                               ("原文摘录", draft.quote, "quote"),
                               ("分类", draft.category, "category"),
                               ("编号", draft.key, "key"),
                               ("出处", draft.source.title, "source"),
                               ("出处", draft.source.section, "source"),
                               ("出处", draft.source.file, "source")):
        _check_length(report, field, text, limit)
    if draft.source.date and not _ISO_DATE.match(draft.source.date):
        report("出处", f"日期「{draft.source.date}」应写成 2021-06-21 的形式")
    if len(draft.tags) > MAX_TAGS:
        report("标签", f"标签太多（{len(draft.tags)} 个，最多 {MAX_TAGS} 个）")
    for tag in draft.tags:
        _check_length(report, "标签", tag, "tag")


def _check_duplicate_keys(drafts: list[QuestionDraft], file: str) -> list[RowError]:
    first_row: dict[str, int] = {}
    errors = []
    for draft in drafts:
        if not draft.key:
            continue
        if draft.key in first_row:
            errors.append(RowError(file or draft.origin_file, draft.origin_row, "编号",
                                   f"编号「{draft.key}」与第{first_row[draft.key]}行重复"))
        else:
            first_row[draft.key] = draft.origin_row
    return errors


def validate_one(draft: QuestionDraft, file: str = "") -> list[RowError]:
    """All problems of one draft."""
    errors: list[RowError] = []

    def report(field: str, message: str) -> None:
        errors.append(RowError(file or draft.origin_file, draft.origin_row, field, message))

    _check_content(draft, report)
    _check_metadata(draft, report)
    return errors


def validate(drafts: list[QuestionDraft], file: str = "") -> list[RowError]:
    """Every problem of every draft (row = draft.origin_row), plus duplicate keys."""
    errors = [error for draft in drafts for error in validate_one(draft, file)]
    return errors + _check_duplicate_keys(drafts, file)

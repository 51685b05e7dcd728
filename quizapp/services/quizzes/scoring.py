"""Scoring one answer, and turning what a member submitted into the stored answer shape.

Answers are stored in the question's original option letters, whatever order the options were
shown in, so scoring and review always use the question's own answer:

- 单选 / 判断: all or nothing.
- 多选: full points for exactly the right set; with `multiple_partial`, half points for a non-empty
  proper subset of the right set (少选得一半); zero with any wrong choice.
- 填空: the question's points are split evenly over its blanks; a blank is right when, after
  normalise_answer_text (full/half width, spaces, punctuation, case), it equals one of the accepted
  answers of that blank. The answer counts as correct only when every blank is right.
"""
from __future__ import annotations

from dataclasses import dataclass

from question_bank.draft import OPTION_LETTERS
from question_bank.text import count_blanks, normalise_answer_text
from quizapp.services.quizzes.papers import QuizError

MAX_BLANK_LENGTH = 200
JUDGE_VALUES = {True: True, False: False, "true": True, "false": False, "对": True, "错": False}


@dataclass(frozen=True)
class Outcome:
    is_correct: bool
    score: float


def score_answer(question, given, points: float, *, multiple_partial: bool = True) -> Outcome:
    """Score `given` (stored shape, original letters; None when unanswered) against the question."""
    if given is None:
        return Outcome(False, 0.0)
    if question.type == "fill":
        return _score_fill(question.answer, given, points)
    if question.type == "multiple":
        return _score_multiple(set(question.answer), set(given), points, multiple_partial)
    if question.type == "judge":
        return _all_or_nothing(given == bool(question.answer), points)
    return _all_or_nothing(list(given) == list(question.answer), points)


def _all_or_nothing(right: bool, points: float) -> Outcome:
    return Outcome(right, points if right else 0.0)


def _score_multiple(right: set, given: set, points: float, partial: bool) -> Outcome:
    if given == right:
        return Outcome(True, points)
    if partial and given and given < right:
        return Outcome(False, points / 2)
    return Outcome(False, 0.0)


def _score_fill(accepted: list[list[str]], given: list[str], points: float) -> Outcome:
    right = [
        normalise_answer_text(text) in {normalise_answer_text(option) for option in options}
        for text, options in zip(given, accepted)
    ]
    hits = sum(right)
    return Outcome(hits == len(accepted), round(points * hits / len(accepted), 4))


def parse_given(question, option_order: list[int], raw):
    """What the member submitted (letters as shown) -> stored shape in original letters; None if empty.

    Raises QuizError naming what is wrong, so that nothing malformed is stored.
    """
    if question.type == "judge":
        return _parse_judge(raw)
    if question.type == "fill":
        return _parse_fill(question, raw)
    return _parse_choices(question, option_order, raw)


def _parse_judge(raw):
    if raw is None or raw == "" or raw == []:
        return None
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    if isinstance(raw, (bool, str)) and raw in JUDGE_VALUES:
        return JUDGE_VALUES[raw]
    raise QuizError("判断题只能回答“正确”或“错误”")


def _parse_fill(question, raw):
    if raw is None:
        return None
    texts = [raw] if isinstance(raw, str) else raw
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        raise QuizError("填空题的答案格式不正确")
    blanks = len(question.answer) or count_blanks(question.stem)
    if len(texts) > blanks:
        raise QuizError(f"这道题只有 {blanks} 个空，收到了 {len(texts)} 个答案")
    too_long = next((number for number, text in enumerate(texts, 1) if len(text) > MAX_BLANK_LENGTH), None)
    if too_long:
        raise QuizError(f"第 {too_long} 空的答案超过 {MAX_BLANK_LENGTH} 个字")
    texts = [text.strip() for text in texts] + [""] * (blanks - len(texts))
    return texts if any(texts) else None


def _parse_choices(question, option_order: list[int], raw):
    letters = [raw] if isinstance(raw, str) else raw
    if letters is None or letters == [] or letters == [""]:
        return None
    if not isinstance(letters, list) or not all(isinstance(letter, str) for letter in letters):
        raise QuizError("选择题的答案格式不正确")
    shown = OPTION_LETTERS[: len(option_order or question.options)]
    unknown = [letter for letter in letters if letter.upper() not in shown or len(letter) != 1]
    if unknown:
        raise QuizError(f"选项「{unknown[0][:10]}」不存在，这道题只有 {shown[0]}–{shown[-1]} 选项")
    if question.type == "single" and len(set(letters)) > 1:
        raise QuizError("单选题只能选一个选项")
    order = option_order or list(range(len(question.options)))
    original = {OPTION_LETTERS[order[shown.index(letter.upper())]] for letter in letters}
    return sorted(original)


def shown_letters(option_order: list[int], stored: list[str] | None) -> list[str]:
    """Stored original letters -> the letters the member saw (for re-filling the form)."""
    if not stored:
        return []
    position = {original: shown for shown, original in enumerate(option_order)}
    # An order pinned before versions existed may lack an option added since: it was never shown.
    return sorted(OPTION_LETTERS[position[index]] for index in map(OPTION_LETTERS.index, stored) if index in position)

"""What the quiz pages show of a question: options in the attempt's order, and the key only when final.

present_question never reads the question's answer, explanation or quote, so a page built from it
cannot leak the key; feedback_of does, and the views call it only for final answers. Both read the
version the answer was asked in (answer.version), never the question's current content, so an edit
changes no past page; the source link is the question's own.
"""
from __future__ import annotations

import itertools

from flask import url_for

from question_bank.draft import OPTION_LETTERS
from question_bank.text import BLANK_RE, count_blanks
from quizapp.models import AttemptAnswer, Question
from quizapp.services.quizzes.scoring import shown_letters

REMOVED_OPTION = "（该选项已删除）"


def present_question(answer: AttemptAnswer) -> dict:
    question = answer.version
    shown = {"position": answer.position, "type": question.type, "type_label": question.type_label,
             "stem": question.stem, "options": [], "chosen": [], "judge": None, "blanks": []}
    if question.type in ("single", "multiple"):
        shown["options"] = [(OPTION_LETTERS[place], _option_text(question.options, original))
                            for place, original in enumerate(answer.option_order)]
        shown["chosen"] = shown_letters(answer.option_order, answer.given)
    elif question.type == "judge":
        shown["judge"] = answer.given
    else:
        blanks = max(count_blanks(question.stem), len(answer.given or []), 1)
        shown["stem"] = _numbered_blanks(question.stem)
        shown["blanks"] = list(answer.given or []) + [""] * (blanks - len(answer.given or []))
    return shown


def _option_text(options: list[str], original: int) -> str:
    """An option of the version asked; an order pinned before versions existed may name one since removed."""
    return options[original] if original < len(options) else REMOVED_OPTION


def _numbered_blanks(stem: str) -> str:
    numbers = itertools.count(1)
    return BLANK_RE.sub(lambda _match: f"（ {next(numbers)} ）", stem)


def feedback_of(answer: AttemptAnswer) -> dict:
    """The key, 解析 and 原文摘录 of a final answer (never call it for an answer still open)."""
    question = answer.version
    return {"is_correct": bool(answer.is_correct), "score": answer.score, "points": answer.points,
            "answered": answer.is_answered, "given": _answer_text(answer, answer.given),
            "right": _answer_text(answer, question.answer), "explanation": question.explanation,
            "quote": question.quote, "source_url": source_link(answer.question),
            "source_title": answer.question.source.title if answer.question.source else "",
            "report_url": _report_link(answer)}


def _report_link(answer: AttemptAnswer) -> str | None:
    """答题纠错 for this answer's question (the member's own result and feedback screens show it)."""
    return url_for("reports.report", attempt_id=answer.attempt_id, position=answer.position)


def _answer_text(answer: AttemptAnswer, value) -> str:
    """An answer as the member saw it: letters in the attempt's order, 正确/错误, or the blanks."""
    question = answer.version
    if value is None:
        return "未作答"
    if question.type == "judge":
        return "正确" if value else "错误"
    if question.type == "fill":
        return "；".join("/".join(item) if isinstance(item, list) else (item or "（空）") for item in value)
    return "".join(shown_letters(answer.option_order, value))


def present_answer(answer: AttemptAnswer) -> dict:
    """A question for the result page: the options marked right and chosen, and the feedback."""
    shown = present_question(answer)
    right = set(shown_letters(answer.option_order, answer.version.answer)) if shown["options"] else set()
    shown["options"] = [(letter, text, letter in right) for letter, text in shown["options"]]
    return {"question": shown, "feedback": feedback_of(answer)}


def source_link(question: Question) -> str | None:
    """查看原文: the source page with the quoted passage highlighted."""
    if question.source_id is None:
        return None
    return url_for("sources.show", source_id=question.source_id, highlight=question.id, _anchor="passage")

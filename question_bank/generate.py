"""Candidate questions from a 每周一学-style study text, for an admin to review and publish.

Every candidate quotes the passage it is drawn from verbatim, carries status "draft" and a key
derived from the source file, the quote, the kind of question and its answer, so regenerating a
text yields the same keys. Distractors are items of other lists of the same text (or a small pool
of well-known terms), never one that overlaps a right answer.

    studytext            reads the text: lists, definitions, 以…为… chains
    draft_bank           collects the drafts (unique keys and stems) and their shared wording
    list_questions       questions on lists
    statement_questions  questions on definitions and chains
    distractors          the wrong options
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from question_bank.bundled import SOURCES_DIR, load_sources
from question_bank.distractors import overlaps
from question_bank.draft import QuestionDraft, SourceRef
from question_bank.draft_bank import CATEGORY_ROOT, DraftBank
from question_bank.export import write_json
from question_bank.fact_questions import (
    event_questions,
    formulation_questions,
    number_questions,
    post_questions,
    statement_choices,
    term_questions,
)
from question_bank.list_questions import enumeration_questions, pair_questions
from question_bank.statement_questions import chain_questions, definition_questions
from question_bank.studytext import SECTION_RE, Definition, parse_study_text
from question_bank.studytext.convert import simplified
from question_bank.studytext.unwrap import unwrap

__all__ = ["GenerateError", "generate_candidates", "generate_file", "overlaps"]


class GenerateError(ValueError):
    """The study text cannot be read; the message is Chinese and names the file."""


@dataclass
class Drafting:
    """The drafts of one text, what was read in it, and per draft (by key) the structure it
    comes from, what a false statement changed and where its quote stands in the text."""

    drafts: list[QuestionDraft]
    notes: dict[str, dict]
    found: dict[str, int]

    def why_none(self) -> str:
        """Why nothing could be drafted, and what helps (Chinese)."""
        if self.drafts:
            return ""
        if not any(self.found.values()):
            return ("没有找到列举、定义或带日期的事件句。可以选取写有“一是……二是……”、"
                    "“X是指……”、“X年X月X日，……召开”这类句子的原文段落再试。")
        return ("读到了一些列举或定义，但不足以出成可靠的题（例如列举没有名称、选项不够）。"
                "可以补上列举的名称（如“党的三大作风是：……”）后再试。")


def generate_candidates(text: str, source: SourceRef) -> list[QuestionDraft]:
    """Candidate questions (status "draft") from the 每周一学 section of ``text`` (or all of it)."""
    return draft_text(text, source).drafts


def draft_text(text: str, source: SourceRef) -> Drafting:
    """Read ``text`` (traditional characters as simplified) and draft questions on what it
    states; every quote is cut from ``text`` as written."""
    reading, positions = unwrap(simplified(text))
    bank = DraftBank(parse_study_text(reading), source)
    bank.structure = "list"
    for enumeration in bank.study.enumerations:
        enumeration_questions(bank, enumeration)
    for paired in bank.study.pairs:
        pair_questions(bank, paired)
    plain = [d for d in bank.study.definitions if d.kind == "is"]
    terms = [d for d in bank.study.definitions if d.kind != "is"]
    bank.structure = "definition"
    for group in _by_topic(plain):
        for index, definition in enumerate(group):
            definition_questions(bank, definition, group, index)
    for definition in terms:
        term_questions(bank, definition, bank.study.definitions)
    bank.structure = "chain"
    for chain in bank.study.chains:
        chain_questions(bank, chain)
    bank.structure = "event"
    for event in bank.study.events:
        event_questions(bank, event)
    bank.structure = "post"
    for group in bank.study.posts:
        post_questions(bank, group)
    bank.structure = "formulation"
    for formulation in bank.study.formulations:
        formulation_questions(bank, formulation)
    bank.structure = "number"
    for fact in bank.study.numbers:
        number_questions(bank, fact)
    bank.structure = "statements"
    statement_choices(bank)
    _quote_as_written(bank, text, reading, positions)
    return Drafting(bank.drafts, bank.notes, _counts(bank.study))


def reading_counts(text: str) -> dict[str, int]:
    """How many lists, definitions, dated events and 以…为… chains the drafter reads in ``text``."""
    return _counts(parse_study_text(unwrap(simplified(text))[0]))


def _counts(study) -> dict[str, int]:
    return {"lists": len(study.enumerations), "definitions": len(study.definitions),
            "events": len(study.events), "chains": len(study.chains), "posts": len(study.posts),
            "formulations": len(study.formulations), "numbers": len(study.numbers)}


def _quote_as_written(bank: DraftBank, text: str, reading: str, positions: list[int]) -> None:
    """Each draft's quote cut from the original text where its first and last characters stand
    (line breaks the reading joined stay in the quote)."""
    for draft in bank.drafts:
        found = reading.find(draft.quote) if draft.quote else -1
        offset = positions[found] if found >= 0 else -1
        if found >= 0:
            draft.quote = text[offset:positions[found + len(draft.quote) - 1] + 1]
        bank.notes[draft.key]["offset"] = offset


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


def _by_topic(definitions: list[Definition]) -> list[list[Definition]]:
    groups: dict[str | None, list[Definition]] = {}
    for definition in definitions:
        groups.setdefault(definition.topic, []).append(definition)
    return list(groups.values())

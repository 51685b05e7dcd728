"""Which drafts of an import repeat a question already in the bank, or an earlier draft of the file.

A question is the same when its key is, or when its type, stem and set of options are, each
normalised (width, spacing, punctuation, blank style; options in any order). The stem alone
never decides: "下列说法正确的是" heads hundreds of different questions.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select

from question_bank.draft import QuestionDraft
from question_bank.text import normalise_answer_text
from quizapp.extensions import db
from quizapp.models import Question
from quizapp.services.bank.questions import stem_key

ON_DUPLICATE = {"skip": "跳过", "update": "更新", "new": "作为新题导入"}

Identity = tuple[str, str, tuple[str, ...]]  # type, normalised stem, normalised option set


@dataclass
class Duplicate:
    """A row that matches a question already in the bank, or an earlier row of the same file."""

    file: str
    row: int
    stem: str
    reason: str  # Chinese, e.g. 编号相同（Q-001）
    existing_id: int | None = None  # None when it repeats an earlier row of the file
    existing_stem: str = ""

    @property
    def in_file(self) -> bool:
        return self.existing_id is None


@dataclass
class Plan:
    new: list[QuestionDraft] = field(default_factory=list)
    updates: list[tuple[int, QuestionDraft]] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    taken_keys: set[str] = field(default_factory=set)
    stems: dict[int, str] = field(default_factory=dict)  # id(draft) -> normalised stem, computed once


def option_set(options: list[str]) -> tuple[str, ...]:
    return tuple(sorted(normalise_answer_text(option) for option in options))


@dataclass
class _Bank:
    by_key: dict[str, int] = field(default_factory=dict)
    by_identity: dict[Identity, int] = field(default_factory=dict)
    stems: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "_Bank":
        bank = cls()
        rows = db.session.execute(select(Question.id, Question.key, Question.type, Question.normalised_stem,
                                         Question.options, Question.stem))
        for question_id, key, kind, stem, options, text in rows:
            bank.by_key[key] = question_id
            bank.by_identity.setdefault((kind, stem, option_set(options or [])), question_id)
            bank.stems[question_id] = text
        return bank

    def match(self, draft: QuestionDraft, identity: Identity) -> tuple[int | None, str]:
        if draft.key and draft.key in self.by_key:
            return self.by_key[draft.key], f"编号相同（{draft.key}）"
        if identity in self.by_identity:
            return self.by_identity[identity], "题库中已有题干和选项都相同的题"
        return None, ""


def plan_import(drafts: list[QuestionDraft], on_duplicate: str) -> Plan:
    """Sort drafts into new, updates and skipped, with one query for the whole bank."""
    bank = _Bank.load()
    plan = Plan(taken_keys=set(bank.by_key))
    first_row: dict[Identity, int] = {}
    for draft in drafts:
        plan.stems[id(draft)] = stem_key(draft)
        identity = (draft.type, plan.stems[id(draft)], option_set(draft.options))
        if identity in first_row:
            plan.duplicates.append(Duplicate(draft.origin_file, draft.origin_row, draft.stem,
                                             f"与文件中第{first_row[identity]}行的题干和选项都相同"))
            continue
        first_row[identity] = draft.origin_row
        existing, reason = bank.match(draft, identity)
        if existing is None:
            plan.new.append(draft)
            continue
        plan.duplicates.append(Duplicate(draft.origin_file, draft.origin_row, draft.stem, reason, existing,
                                         bank.stems.get(existing, "")))
        if on_duplicate == "update":
            plan.updates.append((existing, draft))
        elif on_duplicate == "new":
            # the file's key already names the question it repeats: the copy gets a fresh key
            copy = replace(draft, key="") if draft.key in bank.by_key else draft
            plan.stems[id(copy)] = plan.stems[id(draft)]
            plan.new.append(copy)
    return plan

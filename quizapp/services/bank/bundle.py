"""The bundled question bank: the seed pages and their reviewed questions, loaded by init-db.

Loading again brings an existing install up to date with the bundle: new keys are added, bundled
questions whose content changed are updated (same key, same fact), and bundled questions the bundle
no longer holds are retired, never deleted, since attempts and the 错题本 refer to them. A bundled
question an admin has edited or retired (updated_by_id set) is the admin's and is left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from question_bank.bundled import BundledSource, bundled_question_files, load_sources
from question_bank.draft import QUESTION_TYPES, QuestionDraft
from question_bank.health import HealthReport, bank_health
from question_bank.readers import read_questions
from quizapp.extensions import db
from quizapp.models import Question, Source
from quizapp.services.bank.imports import ImportReport, QuestionImportError, import_drafts
from quizapp.services.bank.questions import drafts_for_export, question_values

BUNDLE_NAME = "内置题库"
# 题库体检 scopes: status filter -> label (published is what members are asked)
HEALTH_SCOPES = {"published": "已发布的题目", "draft": "草稿", "": "全部题目（含已停用）"}
BUNDLED_KEY = re.compile(r"seed-\d{3}-\d{4}")
# Columns the bundle decides (besides category and source, compared by path and file name).
COMPARED_COLUMNS = ("type", "stem", "options", "answer", "explanation", "difficulty", "tags", "status", "quote")


@dataclass
class BundleReport:
    sources_added: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    kept_edited: int = 0  # changed or dropped in the bundle, but edited by an admin: left alone

    def summary(self) -> str:
        line = (f"新增 {self.created} 道，更新 {self.updated} 道，停用 {self.retired} 道（已从内置题库移除），"
                f"{self.unchanged} 道未变")
        if self.kept_edited:
            line += f"；{self.kept_edited} 道经管理员修改过，保留原样"
        return line + "。"


def load_bundled() -> BundleReport:
    """Bring the database up to date with the bundled sources and questions (see the module docstring)."""
    drafts = _read_bundle()
    report = BundleReport(sources_added=_add_missing_sources(load_sources()))
    stored = {question.key: question for question in db.session.scalars(
        select(Question).where(Question.key.in_([draft.key for draft in drafts]))
        .options(selectinload(Question.category), selectinload(Question.source)))}
    _refuse_type_changes(stored, drafts)
    new = [draft for draft in drafts if draft.key not in stored]
    changed = [draft for draft in drafts if draft.key in stored and _differs(stored[draft.key], draft)]
    mine = [draft for draft in changed if stored[draft.key].updated_by_id is None]
    report.kept_edited = len(changed) - len(mine)
    report.unchanged = len(drafts) - len(new) - len(changed)
    # New keys never overwrite a question that merely has the same stem; changed keys update their own.
    report.created = _import(new, on_duplicate="skip").created
    report.updated = _import(mine, on_duplicate="update").updated
    _retire_dropped({draft.key for draft in drafts}, report)
    db.session.commit()
    return report


def bank_health_of(status: str = "published") -> HealthReport:
    """The health report of the questions in the database with this status ("" for every one)."""
    return bank_health(drafts_for_export(status=status))


def _read_bundle() -> list[QuestionDraft]:
    drafts, errors = [], []
    for path in bundled_question_files():
        result = read_questions(path, path.name)
        drafts.extend(result.drafts)
        errors.extend(result.errors)
    if errors:
        raise QuestionImportError("内置题库有误：" + "；".join(str(error) for error in errors))
    return drafts


def _refuse_type_changes(stored: dict[str, Question], drafts: list[QuestionDraft]) -> None:
    """A key keeps its type: answers already given to it are read in that type's shape."""
    changed = [f"{draft.key}（{QUESTION_TYPES.get(stored[draft.key].type, stored[draft.key].type)}→"
               f"{QUESTION_TYPES.get(draft.type, draft.type)}）"
               for draft in drafts if draft.key in stored and stored[draft.key].type != draft.type]
    if changed:
        raise QuestionImportError("内置题库有误：这些编号的题型变了，已有的作答无法再对应，请给改了题型的题换用新编号："
                                  + "、".join(changed))


def _differs(question: Question, draft: QuestionDraft) -> bool:
    values = question_values(draft)
    return (any(getattr(question, name) != values[name] for name in COMPARED_COLUMNS)
            or (question.category.path if question.category else "") != draft.category
            or (question.source.file if question.source else "") != draft.source.file)


def _import(drafts: list[QuestionDraft], on_duplicate: str) -> ImportReport:
    report = import_drafts(drafts, on_duplicate=on_duplicate, file=BUNDLE_NAME)
    if not report.ok:
        raise QuestionImportError("内置题库有误：" + "；".join(str(error) for error in report.errors))
    return report


def _retire_dropped(bundled_keys: set[str], report: BundleReport) -> None:
    """Retire the published bundled questions the bundle no longer holds (admin-edited ones excepted)."""
    bundled_files = select(Source.id).where(Source.file.in_([path.name.replace(".json", ".txt")
                                                             for path in bundled_question_files()]))
    rows = db.session.execute(
        select(Question.id, Question.key, Question.updated_by_id)
        .where(Question.source_id.in_(bundled_files), Question.status == "published")).all()
    dropped = [(question_id, edited) for question_id, key, edited in rows
               if BUNDLED_KEY.fullmatch(key) and key not in bundled_keys]
    report.kept_edited += sum(1 for _, edited in dropped if edited is not None)
    retire = [question_id for question_id, edited in dropped if edited is None]
    if retire:
        db.session.execute(update(Question.__table__).where(Question.__table__.c.id.in_(retire))
                           .values(status="retired"))
    report.retired = len(retire)


def _add_missing_sources(bundled: list[BundledSource]) -> int:
    known = set(db.session.scalars(select(Source.file).where(Source.file.is_not(None))))
    missing = [item for item in bundled if item.file not in known]
    db.session.add_all(
        Source(file=item.file, title=item.title, publication=item.publication, section=item.section,
               published_on=date.fromisoformat(item.date) if item.date else None,
               articles=item.articles, text=item.text)
        for item in missing
    )
    db.session.flush()
    return len(missing)

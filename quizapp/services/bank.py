"""The bundled question bank: the seed pages and their reviewed questions, loaded once by init-db."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from question_bank.bundled import BundledSource, bundled_question_files, load_sources
from question_bank.readers import read_questions
from quizapp.extensions import db
from quizapp.models import Source
from quizapp.services.imports import ImportReport, QuestionImportError, import_drafts

BUNDLE_NAME = "内置题库"


def load_bundled() -> tuple[int, ImportReport]:
    """Add the bundled sources that are missing and import their questions, skipping known keys.

    Returns (sources added, import report). Loading again changes nothing.
    """
    drafts, errors = [], []
    for path in bundled_question_files():
        result = read_questions(path, path.name)
        drafts.extend(result.drafts)
        errors.extend(result.errors)
    if errors:
        raise QuestionImportError("内置题库有误：" + "；".join(str(error) for error in errors))
    added = _add_missing_sources(load_sources())
    report = import_drafts(drafts, on_duplicate="skip", file=BUNDLE_NAME)
    if not report.ok:
        raise QuestionImportError("内置题库有误：" + "；".join(str(error) for error in report.errors))
    return added, report


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

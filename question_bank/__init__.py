"""The question bank: plain Python, no Flask.

Bundled sources and questions, one reader per file format, the validator, the
每周一学 question generator and the exporter. ``quizapp`` imports this package,
never the other way round.
"""
from question_bank.draft import (
    DIFFICULTIES,
    QUESTION_TYPES,
    QuestionDraft,
    RowError,
    SourceRef,
)

__all__ = ["DIFFICULTIES", "QUESTION_TYPES", "QuestionDraft", "RowError", "SourceRef"]

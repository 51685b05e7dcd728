"""The upserts that finalising an attempt sends are built once per process and compiled once: each has
a cache key, so SQLAlchemy finds its compiled form instead of compiling it again on every call."""
import pytest

from quizapp.models import CompetitionGroupStat, MemberTotal, StudyStat
from quizapp.services.progress import summaries
from quizapp.services.upserts import upsert_statement


@pytest.mark.parametrize("dialect_name", ["sqlite", "postgresql"])
def test_every_kind_of_upsert_has_a_cache_key(dialect_name):
    statements = {
        "add": upsert_statement(dialect_name, StudyStat, ("user_id", "span", "start"), add=summaries.STUDY_FIELDS),
        "assign": upsert_statement(dialect_name, CompetitionGroupStat, ("competition_id", "group_id"),
                                   assign=("members_in_scope",)),
        "nothing": upsert_statement(dialect_name, MemberTotal, ("user_id",)),
        "latest answer": summaries._latest_answer_statement(dialect_name),
        "total returning": summaries._total_statement(dialect_name),
    }
    assert [name for name, statement in statements.items() if statement._generate_cache_key() is None] == []

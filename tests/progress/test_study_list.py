"""三会一课 study list: a branch's weakest questions in the period, from the members' latest answers."""
from datetime import date
from random import Random

import pytest

from quizapp.models._types import utcnow
from quizapp.services.progress.periods import Period
from quizapp.services.progress.study_list import weakest_questions
from quizapp.services.quizzes import engine
from quizapp.views import progress as progress_views
from tests.pages import text_of
from tests.progress.conftest import shanghai

WEEK = Period("week", date(2026, 11, 16), date(2026, 11, 22))


@pytest.fixture
def answered(org, finish):
    """Branch A this week: h0 wrong by a1, a2, a3 (0 of 3); h1 right by a1, a2, wrong by a3 (2 of 3);
    c0 answered by two members only (left out); a3 got h2 wrong last week (outside the period).
    Branch B: b1 gets h1 wrong (another branch: not counted)."""
    h, c = org.history, org.charter
    finish(org.a1, shanghai("2026-11-16 08:00"), [(h[0], False), (h[1], True), (c[0], False)])
    finish(org.a2, shanghai("2026-11-17 08:00"), [(h[0], False), (h[1], True), (c[0], False)])
    finish(org.a3, shanghai("2026-11-18 08:00"), [(h[0], False), (h[1], False)])
    finish(org.a3, shanghai("2026-11-10 08:00"), [(h[2], False)])
    finish(org.b1, shanghai("2026-11-18 09:00"), [(h[1], False)])
    return org


def test_the_weakest_questions_of_a_branch_by_hand(answered):
    org = answered
    found = weakest_questions([org.branch_a.id], WEEK)
    assert [(item.question_id, item.members, item.correct) for item in found] == [
        (org.history[0].id, 3, 0), (org.history[1].id, 3, 2)]
    assert found[0].stem == org.history[0].stem and found[0].answer_text == "A"
    with_two = weakest_questions([org.branch_a.id], WEEK, min_members=2)  # ties: more members first
    assert [item.question_id for item in with_two] == [org.history[0].id, org.charter[0].id, org.history[1].id]
    assert weakest_questions([org.branch_b.id], WEEK) == []


def test_the_group_dashboard_shows_the_study_list(client, login, monkeypatch, answered):
    monkeypatch.setattr(progress_views, "utcnow", lambda: shanghai("2026-11-20 10:00"))
    login(answered.secretary_a)
    page = text_of(client.get(f"/progress/groups/{answered.branch_a.id}"))
    assert "本期薄弱题目" in page and answered.history[0].stem in page
    assert "3 人答过，答对 0 人（0%）" in page


def test_the_study_list_is_withheld_while_its_secretary_sits_an_exam(client, login, monkeypatch, answered):
    """It shows keys and 原文摘录 of questions that may be on the secretary's own paper (issue 17, item 4)."""
    monkeypatch.setattr(progress_views, "utcnow", lambda: shanghai("2026-11-20 10:00"))
    question = answered.history[0]
    engine.start_attempt(answered.secretary_a, "exam", engine.fixed_paper_rule([question.id]), now=utcnow(),
                         rng=Random(1), question_ids=[question.id])
    login(answered.secretary_a)
    page = text_of(client.get(f"/progress/groups/{answered.branch_a.id}"))
    assert "交卷后才显示薄弱题目及其答案" in page and question.stem not in page

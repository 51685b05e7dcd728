"""Finding 10: after the browser's Back button a page shows no answer ticked, and moving on from it
autosaved the empty answer over the saved one. An empty answer now replaces a saved one only when
the member clears it (清除, or emptying it on the page); quiz pages are never stored by the browser."""
from datetime import datetime, timezone

import pytest

from quizapp.services.quizzes.engine import save_answer
from tests.quiz.conftest import body, form_answer, rule

NOW = datetime(2026, 6, 10, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing, far from a study day's end


@pytest.fixture
def attempt(bank, start, time_machine):
    time_machine.move_to(NOW)  # the views save at the clock's time: the attempt must be open then
    bank({"single": 1, "multiple": 1, "judge": 1, "fill": 1})
    return start(rule(("single", 1), ("multiple", 1), ("judge", 1), ("fill", 1)), now=NOW)


EMPTY = {"single": [], "multiple": [], "judge": None, "fill": ["", ""]}


def given_at(attempt, position):
    return attempt.answers[position - 1].given


@pytest.mark.parametrize("position", [1, 2, 3, 4])
def test_an_empty_answer_keeps_the_saved_one_unless_cleared(attempt, position):
    answer = attempt.answers[position - 1]
    right = form_answer(answer)
    save_answer(attempt, position, next(iter(right.values())), now=NOW)
    saved = given_at(attempt, position)
    assert saved is not None
    save_answer(attempt, position, EMPTY[answer.question.type], now=NOW)
    assert given_at(attempt, position) == saved
    save_answer(attempt, position, EMPTY[answer.question.type], now=NOW, clear=True)
    assert given_at(attempt, position) is None and answer.answered_at is None


def test_an_empty_answer_to_an_unanswered_question_stays_empty(attempt):
    assert save_answer(attempt, 1, [], now=NOW).given is None


@pytest.fixture
def taking(client, login, member, attempt):
    login(member)
    save_answer(attempt, 1, next(iter(form_answer(attempt.answers[0]).values())), now=NOW)
    return attempt


def test_the_plain_form_keeps_the_answer_when_moving_on_from_an_empty_page(client, taking):
    saved = given_at(taking, 1)
    response = client.post(f"/quiz/attempts/{taking.id}/answer", data={"position": 1, "action": "next"})
    assert response.status_code == 302 and response.location.endswith("?q=2")
    assert given_at(taking, 1) == saved


def test_the_clear_button_clears_without_javascript(client, taking):
    page = body(client.get(f"/quiz/attempts/{taking.id}?q=1"))
    assert 'name="action" value="clear"' in page and "清除本题答案" in page
    response = client.post(f"/quiz/attempts/{taking.id}/answer", data={"position": 1, "action": "clear"})
    assert response.location.endswith(f"/quiz/attempts/{taking.id}?q=1")
    assert given_at(taking, 1) is None
    assert "清除本题答案" not in body(client.get(f"/quiz/attempts/{taking.id}?q=1"))  # nothing left to clear


def test_autosave_keeps_the_answer_unless_the_member_emptied_it(client, taking):
    url = f"/quiz/attempts/{taking.id}/answers/1"
    saved = given_at(taking, 1)
    kept = client.post(url, json={"given": []})
    assert kept.status_code == 200 and kept.get_json()["answered"] is True and given_at(taking, 1) == saved
    cleared = client.post(url, json={"given": [], "clear": True})
    assert cleared.get_json()["answered"] is False and given_at(taking, 1) is None


def test_quiz_pages_are_never_stored_by_the_browser(client, taking):
    for path in (f"/quiz/attempts/{taking.id}?q=1", "/quiz/"):
        assert client.get(path).headers["Cache-Control"] == "no-store"

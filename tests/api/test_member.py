"""The member's API: daily quiz, practice, answers, submit, result, progress, competitions; no key before submit."""
from __future__ import annotations

import json

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.api.conftest import error_code
from tests.quiz.conftest import SECRET_EXPLANATION, SECRET_FILL, SECRET_QUOTE

KEY_FIELDS = ("explanation", "quote", "right", "is_correct", "source_title")


def _answer_everything(call, token, paper) -> list:
    """Save an answer to every question (the first option, 正确, or blanks); returns the responses."""
    responses = []
    for question in paper["questions"]:
        given = {"single": ["A"], "multiple": ["A", "B"], "judge": True, "fill": ["人民", "历史"]}[question["type"]]
        responses.append(call("PUT", f"/api/v1/attempts/{paper['id']}/answers/{question['position']}", token,
                              json={"given": given}))
    return responses


def _leaks(text: str) -> list[str]:
    found = [secret for secret in (SECRET_EXPLANATION, SECRET_QUOTE, SECRET_FILL) if secret in text]
    return found + [f'"{field}"' for field in KEY_FIELDS if f'"{field}"' in text]


def test_daily_quiz_start_resume_answer_submit_and_no_key_before_submit(daily_bank, member_token, call):
    started = call("POST", "/api/v1/daily", member_token)
    assert started.status_code == 200
    paper = started.get_json()
    assert (paper["mode"], paper["status"], paper["question_count"]) == ("daily", "open", len(paper["questions"]))
    before_submit = [started, call("POST", "/api/v1/daily", member_token)]
    assert before_submit[1].get_json()["id"] == paper["id"]  # resumed, not a second paper
    before_submit += _answer_everything(call, member_token, paper)
    assert all(response.status_code == 200 for response in before_submit)
    before_submit.append(call("GET", f"/api/v1/attempts/{paper['id']}", member_token))
    early = call("GET", f"/api/v1/attempts/{paper['id']}/result", member_token)
    assert (early.status_code, error_code(early)) == (409, "attempt_open")
    before_submit.append(early)
    for response in before_submit:
        assert _leaks(response.get_data(as_text=True)) == []
    resumed = before_submit[-2].get_json()
    assert all(question["answered"] and question["feedback"] is None for question in resumed["questions"])

    submitted = call("POST", f"/api/v1/attempts/{paper['id']}/submit", member_token)
    assert submitted.status_code == 200
    result = submitted.get_json()
    assert (result["status"], result["keys_visible"]) == ("finished", True)
    feedback = [question["feedback"] for question in result["questions"]]
    assert all(item["explanation"] == SECRET_EXPLANATION and item["quote"] == SECRET_QUOTE for item in feedback)
    assert all(item["source_title"] == "每周一学·测试" for item in feedback)
    assert sum(item["is_correct"] for item in feedback) == result["correct_count"]
    assert call("GET", f"/api/v1/attempts/{paper['id']}/result", member_token).get_json() == result
    closed = call("PUT", f"/api/v1/attempts/{paper['id']}/answers/1", member_token, json={"given": None})
    assert (closed.status_code, error_code(closed)) == (409, "attempt_closed")


def test_daily_quiz_with_too_few_questions_is_refused_in_chinese(member_token, call):
    response = call("POST", "/api/v1/daily", member_token)
    assert (response.status_code, error_code(response)) == (409, "quiz_unavailable")
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("body, status, code", [
    ({}, 422, "invalid_input"),
    ({"given": ["Z"]}, 422, "answer_refused"),
    ({"given": {"a": 1}}, 422, "answer_refused"),
])
def test_bad_answers_are_refused(daily_bank, member_token, call, body, status, code):
    paper = call("POST", "/api/v1/daily", member_token).get_json()
    single = next(question for question in paper["questions"] if question["type"] == "single")
    response = call("PUT", f"/api/v1/attempts/{paper['id']}/answers/{single['position']}", member_token, json=body)
    assert (response.status_code, error_code(response)) == (status, code)


def test_position_off_the_paper_is_not_found(daily_bank, member_token, call):
    paper = call("POST", "/api/v1/daily", member_token).get_json()
    response = call("PUT", f"/api/v1/attempts/{paper['id']}/answers/99", member_token, json={"given": True})
    assert (response.status_code, error_code(response)) == (404, "question_not_found")
    assert "第 99 题" in response.get_json()["error"]["message"]


def test_a_members_token_cannot_reach_another_members_attempt(daily_bank, member_token, make_user, get_tokens, call):
    paper = call("POST", "/api/v1/daily", member_token).get_json()
    other = get_tokens(make_user())["access_token"]
    requests = [("GET", f"/api/v1/attempts/{paper['id']}", None), ("GET", f"/api/v1/attempts/{paper['id']}/result", None),
                ("PUT", f"/api/v1/attempts/{paper['id']}/answers/1", {"given": True}),
                ("POST", f"/api/v1/attempts/{paper['id']}/submit", None)]
    for method, path, body in requests:
        response = call(method, path, other, json=body) if body else call(method, path, other)
        assert (response.status_code, error_code(response)) == (404, "attempt_not_found"), path
    assert db.session.get(Attempt, paper["id"]).status == "open"


def test_practice_gives_immediate_feedback_only_for_the_answered_question(bank, member_token, call):
    bank({"single": 6}, category="党史/百年", explanation=SECRET_EXPLANATION)
    started = call("POST", "/api/v1/practice", member_token, json={"category": "党史/百年", "count": 5})
    assert started.status_code == 200 and _leaks(started.get_data(as_text=True)) == []
    paper = started.get_json()
    assert (paper["mode"], paper["feedback"], paper["question_count"]) == ("practice", "immediate", 5)
    saved = call("PUT", f"/api/v1/attempts/{paper['id']}/answers/1", member_token, json={"given": ["A"]}).get_json()
    assert saved["feedback"]["explanation"] == SECRET_EXPLANATION
    again = call("PUT", f"/api/v1/attempts/{paper['id']}/answers/1", member_token, json={"given": ["B"]})
    assert (again.status_code, error_code(again)) == (422, "answer_refused")
    shown = call("GET", f"/api/v1/attempts/{paper['id']}", member_token).get_json()["questions"]
    assert shown[0]["feedback"] is not None and all(question["feedback"] is None for question in shown[1:])


@pytest.mark.parametrize("body, status, code", [
    ({"count": 7}, 422, "invalid_input"),
    ({"question_type": "essay"}, 422, "invalid_input"),
    ({"category": "没有这个知识点"}, 409, "quiz_unavailable"),
])
def test_bad_practice_requests(bank, member_token, call, body, status, code):
    bank({"single": 6}, category="党史/百年")
    response = call("POST", "/api/v1/practice", member_token, json=body)
    assert (response.status_code, error_code(response)) == (status, code)


def test_progress_after_a_daily_quiz(daily_bank, member_token, call):
    assert call("GET", "/api/v1/progress", member_token).get_json()["daily_done_today"] is False
    paper = call("POST", "/api/v1/daily", member_token).get_json()
    _answer_everything(call, member_token, paper)
    result = call("POST", f"/api/v1/attempts/{paper['id']}/submit", member_token).get_json()
    progress = call("GET", "/api/v1/progress", member_token).get_json()
    assert (progress["attempts"], progress["questions"], progress["correct"]) == (1, paper["question_count"],
                                                                                 result["correct_count"])
    assert progress["daily_done_today"] is True and progress["streak_days"] == 1


def test_competitions_list_is_empty_for_a_member_without_group(member_token, call):
    response = call("GET", "/api/v1/competitions", member_token)
    assert (response.status_code, response.get_json()) == (200, [])


@pytest.mark.parametrize("method, path, status, code", [
    ("GET", "/api/v1/nothing-here", 404, "not_found"),
    ("DELETE", "/api/v1/me", 405, "method_not_allowed"),
    ("GET", "/api/v1/attempts/0", 404, "not_found"),  # outside the ids a URL may hold
    ("GET", "/api/v1/attempts/987654", 404, "attempt_not_found"),
])
def test_errors_are_json_with_stable_codes(member_token, call, method, path, status, code):
    response = call(method, path, member_token)
    assert (response.status_code, error_code(response)) == (status, code)
    assert json.loads(response.get_data(as_text=True))["error"]["message"]


def test_pages_keep_their_html_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "text/html" in response.content_type


def test_an_unexpected_failure_is_a_json_500(app, member_token, call, monkeypatch):
    from quizapp.services.progress import member_figures

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(member_figures, "snapshot", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = call("GET", "/api/v1/progress", member_token)
    assert (response.status_code, error_code(response)) == (500, "server_error")
    assert "boom" not in response.get_data(as_text=True)

"""GET /api/v1/competitions lists what the competitions page offers the member: announced, in scope, not ended."""
from __future__ import annotations

from datetime import timedelta

from quizapp.models._types import utcnow
from tests.api.conftest import error_code
from tests.competitions.conftest import make_competition, org  # noqa: F401


def test_lists_open_and_scheduled_competitions_in_scope(org, make_competition, get_tokens, call):
    now = utcnow()
    window = {"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(hours=1),
              "announced_at": now - timedelta(days=1)}
    running = make_competition(title="进行中的竞赛", **window)
    later = make_competition(title="明天的竞赛", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1),
                             announced_at=now - timedelta(days=1))
    make_competition(title="别的支部的竞赛", groups=[org["outside"]], **window)
    make_competition(title="草稿", **{**window, "announced_at": None})
    make_competition(title="已结束", starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1),
                     announced_at=now - timedelta(days=3))
    listed = call("GET", "/api/v1/competitions", get_tokens(org["a"])["access_token"]).get_json()
    assert [(item["id"], item["state"]) for item in listed] == [(running.id, "open"), (later.id, "scheduled")]
    outsider = call("GET", "/api/v1/competitions", get_tokens(org["d"])["access_token"]).get_json()
    assert {item["title"] for item in outsider} == {"进行中的竞赛", "明天的竞赛", "别的支部的竞赛"}


def _answer_and_submit(call, token, paper) -> None:
    for question in paper["questions"]:
        call("PUT", f"/api/v1/attempts/{paper['id']}/answers/{question['position']}", token, json={"given": ["A"]})
    assert call("POST", f"/api/v1/attempts/{paper['id']}/submit", token).status_code == 200


def test_entering_follows_the_pages_rules_and_keys_wait_for_the_end(org, make_competition, bank, get_tokens, call,
                                                                     time_machine):
    from tests.competitions.conftest import DURING, END

    bank({"single": 4}, explanation="竞赛结束后才公开的解析")
    time_machine.move_to(DURING, tick=False)
    running = make_competition(title="进行中的竞赛")
    draft = make_competition(title="草稿", announced_at=None)
    elsewhere = make_competition(title="别的支部的竞赛", groups=[org["outside"]])
    token = get_tokens(org["a"])["access_token"]
    for competition_id, status, code in [(draft.id, 404, "competition_not_found"), (999999, 404, "competition_not_found"),
                                         (elsewhere.id, 403, "competition_forbidden")]:
        response = call("POST", f"/api/v1/competitions/{competition_id}/entry", token)
        assert (response.status_code, error_code(response)) == (status, code)
    entered = call("POST", f"/api/v1/competitions/{running.id}/entry", token, headers={"Idempotency-Key": "enter-1"})
    assert entered.status_code == 200
    paper = entered.get_json()
    assert (paper["mode"], paper["question_count"]) == ("competition", 2)
    assert call("POST", f"/api/v1/competitions/{running.id}/entry", token).get_json()["id"] == paper["id"]  # resumed
    _answer_and_submit(call, token, paper)
    again = call("POST", f"/api/v1/competitions/{running.id}/entry", token)
    assert (again.status_code, error_code(again)) == (409, "entry_refused")
    shown = call("GET", f"/api/v1/attempts/{paper['id']}", token).get_data(as_text=True)
    assert "竞赛结束后才公开的解析" not in shown  # a finished competition attempt keeps its keys until the end
    time_machine.move_to(END + timedelta(minutes=1), tick=False)
    token = get_tokens(org["a"])["access_token"]
    assert "竞赛结束后才公开的解析" in call("GET", f"/api/v1/attempts/{paper['id']}", token).get_data(as_text=True)

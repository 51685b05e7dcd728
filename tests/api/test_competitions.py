"""GET /api/v1/competitions lists what the competitions page offers the member: announced, in scope, not ended."""
from __future__ import annotations

from datetime import timedelta

from quizapp.models._types import utcnow
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

"""Token authentication of the API: issue, refresh (rotating), revoke, deactivation, rate limits, CSRF."""
from __future__ import annotations

from datetime import timedelta

import pytest

from quizapp.api import tokens
from quizapp.extensions import db
from quizapp.models.api_tokens import ApiRefreshToken
from quizapp.services.people import accounts
from tests.api.conftest import error_code


def test_token_gives_access_to_me(member, get_tokens, call):
    issued = get_tokens(member)
    assert (issued["token_type"], issued["expires_in"]) == ("Bearer", 900)
    response = call("GET", "/api/v1/me", issued["access_token"])
    assert response.status_code == 200
    assert response.get_json()["username"] == member.username


def test_refresh_token_is_stored_only_hashed(member, get_tokens):
    issued = get_tokens(member)
    stored = db.session.scalars(db.select(ApiRefreshToken.token_hash)).all()
    assert len(stored) == 1 and issued["refresh_token"] not in stored[0]


@pytest.mark.parametrize("body, status, code", [
    ({"username": "nobody", "password": "x"}, 401, "bad_credentials"),
    ({"username": "nobody"}, 422, "invalid_input"),
    ({"username": "nobody", "password": "x", "extra": 1}, 422, "invalid_input"),
])
def test_bad_credentials_are_refused_in_chinese(client, member, body, status, code):
    response = client.post("/api/v1/tokens", json=body)
    assert (response.status_code, error_code(response)) == (status, code)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.get_json()["error"]["message"])


def test_missing_field_is_named(client):
    response = client.post("/api/v1/tokens", json={"username": "nobody"})
    assert response.get_json()["error"]["fields"] == {"password": "缺少此项"}


def test_not_json_is_a_json_error(client):
    response = client.post("/api/v1/tokens", data="username=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 422) and "error" in response.get_json()


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer not-a-token", "Basic abc"])
def test_bad_bearer_is_401(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert (response.status_code, error_code(response)) == (401, "invalid_token")


def test_session_cookie_does_not_authenticate_the_api(client, member, login):
    login(member)
    assert client.get("/api/v1/me").status_code == 401


def test_refresh_rotates_and_a_replayed_refresh_token_revokes_everything(client, member, get_tokens, call):
    first = get_tokens(member)
    second = client.post("/api/v1/tokens/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 201
    second = second.get_json()
    assert call("GET", "/api/v1/me", second["access_token"]).status_code == 200
    assert call("GET", "/api/v1/me", first["access_token"]).status_code == 401  # its refresh token is spent
    replay = client.post("/api/v1/tokens/refresh", json={"refresh_token": first["refresh_token"]})
    assert (replay.status_code, error_code(replay)) == (401, "invalid_refresh_token")
    assert call("GET", "/api/v1/me", second["access_token"]).status_code == 401  # a stolen copy ends the family
    again = client.post("/api/v1/tokens/refresh", json={"refresh_token": second["refresh_token"]})
    assert again.status_code == 401


def test_delete_revokes_refresh_and_access_tokens(client, member, get_tokens, call):
    issued = get_tokens(member)
    response = client.delete("/api/v1/tokens", json={"refresh_token": issued["refresh_token"]})
    assert response.status_code == 204
    assert call("GET", "/api/v1/me", issued["access_token"]).status_code == 401
    assert client.post("/api/v1/tokens/refresh", json={"refresh_token": issued["refresh_token"]}).status_code == 401
    unknown = client.delete("/api/v1/tokens", json={"refresh_token": "unknown"})
    assert (unknown.status_code, error_code(unknown)) == (404, "unknown_refresh_token")


def test_deactivated_users_tokens_stop_working(client, member, get_tokens, call):
    issued = get_tokens(member)
    member.active = False
    db.session.commit()
    assert call("GET", "/api/v1/me", issued["access_token"]).status_code == 401
    assert client.post("/api/v1/tokens/refresh", json={"refresh_token": issued["refresh_token"]}).status_code == 401
    refused = client.post("/api/v1/tokens", json={"username": member.username, "password": "secret-pass-1"})
    assert refused.status_code == 401


def test_ending_a_members_sessions_ends_the_api_tokens_too(client, member, get_tokens, call):
    issued = get_tokens(member)
    accounts.change_password(member, "secret-pass-1", "another-pass-2")  # as on the password page
    assert call("GET", "/api/v1/me", issued["access_token"]).status_code == 401
    assert client.post("/api/v1/tokens/refresh", json={"refresh_token": issued["refresh_token"]}).status_code == 401


def test_expired_access_token_is_refused(member, get_tokens, call, monkeypatch):
    issued = get_tokens(member)
    monkeypatch.setattr(tokens, "ACCESS_TTL", timedelta(seconds=-1))
    assert call("GET", "/api/v1/me", issued["access_token"]).status_code == 401


def test_expired_refresh_token_is_refused(client, member, get_tokens):
    issued = get_tokens(member)
    row = db.session.scalars(db.select(ApiRefreshToken)).one()
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.session.commit()
    assert client.post("/api/v1/tokens/refresh", json={"refresh_token": issued["refresh_token"]}).status_code == 401


def test_token_of_a_user_who_must_change_password_is_refused(member, get_tokens, call):
    issued = get_tokens(member)
    member.must_change_password = True
    db.session.commit()
    response = call("GET", "/api/v1/me", issued["access_token"])
    assert (response.status_code, error_code(response)) == (403, "password_change_required")


class TestLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes",
                "LOGIN_LIMIT_PER_ADDRESS": "100 per 15 minutes"}

    def test_failed_logins_on_page_and_api_share_one_budget(self, client, member):
        assert client.post("/login", data={"username": member.username, "password": "wrong"}).status_code == 200
        wrong = {"username": member.username, "password": "wrong"}
        assert client.post("/api/v1/tokens", json=wrong).status_code == 401
        limited = client.post("/api/v1/tokens", json={"username": member.username, "password": "secret-pass-1"})
        assert (limited.status_code, error_code(limited)) == (429, "rate_limited")
        assert "15 分钟" in limited.get_json()["error"]["message"]

    def test_successful_token_requests_do_not_count(self, client, member):
        for _ in range(3):
            good = client.post("/api/v1/tokens", json={"username": member.username, "password": "secret-pass-1"})
            assert good.status_code == 201


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_api_needs_no_csrf_token(self, client, member, get_tokens, call):
        issued = get_tokens(member)  # it reads no cookie, so a forged cross-site request carries no credential
        assert call("POST", "/api/v1/tokens/refresh", json={"refresh_token": issued["refresh_token"]}).status_code == 201

    def test_pages_still_need_csrf(self, client, member):
        assert client.post("/login", data={"username": member.username, "password": "secret-pass-1"}).status_code == 400

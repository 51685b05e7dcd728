"""Fixtures of the API tests: the quiz engine's factories, and members holding API tokens."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.quiz.conftest import bank, daily_bank, make_category, make_typed, member, source  # noqa: F401


@pytest.fixture
def get_tokens(client):
    def get(user, password: str = PASSWORD) -> dict:
        response = client.post("/api/v1/tokens", json={"username": user.username, "password": password})
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return get


@pytest.fixture
def call(client):
    """call("GET", "/api/v1/me", token, json=...) -> the response."""

    def do_call(method: str, path: str, token: str | None = None, headers: dict | None = None, **kwargs):
        headers = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
        return client.open(path, method=method, headers=headers, **kwargs)

    return do_call


@pytest.fixture
def member_token(member, get_tokens) -> str:
    return get_tokens(member)["access_token"]


def error_code(response) -> str:
    return response.get_json()["error"]["code"]

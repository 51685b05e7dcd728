"""Finding 8: security headers on every response, and no inline script the policy would have to allow."""
import re
from pathlib import Path

import pytest

from quizapp import create_app
from tests.conftest import base_config

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.fixture
def responses(client, login, make_user):
    login(make_user())
    return {path: client.get(path) for path in ("/", "/quiz/", "/password", "/quiz/attempts/999999", "/static/js/app.js",
                                                "/quiz/history?page=x")} | {"POST /logout": client.post("/logout"),
                                                                            "/login": client.get("/login")}


def test_every_response_carries_the_security_headers(responses):
    assert {response.status_code for response in responses.values()} >= {200, 302, 404}
    for path, response in responses.items():
        policy = directives(response)
        assert policy["script-src"] == "script-src 'self'", path
        assert policy["frame-ancestors"] == "frame-ancestors 'none'" and policy["object-src"] == "object-src 'none'"
        assert "unsafe-inline" not in policy["default-src"] + policy["style-src-elem"]
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        assert "Strict-Transport-Security" not in response.headers, path  # plain HTTP unless configured
        if response.mimetype == "text/html":
            assert not INLINE_SCRIPT.search(response.get_data(as_text=True)), path


class TestSecure:
    @pytest.fixture
    def app_config(self):
        return {"SECURE_COOKIES": True}

    def test_hsts_when_cookies_are_secure(self, client):
        assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("origin", ["https://screen.example.org; script-src *", "*", "screen.example.org"])
def test_a_frame_ancestor_that_is_not_an_origin_is_refused(tmp_path, origin):
    with pytest.raises(ValueError, match="SCREEN_FRAME_ANCESTORS"):
        create_app({**base_config(tmp_path), "SCREEN_FRAME_ANCESTORS": [origin]})


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_template_has_an_inline_script_or_event_handler(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text) and not INLINE_HANDLER.search(text) and "javascript:" not in text

"""The 大屏 is the one page that may be framed, and only by the origins in SCREEN_FRAME_ANCESTORS."""
import pytest


@pytest.fixture
def app_config():
    return {"SCREEN_FRAME_ANCESTORS": ["https://screen.example.org", "http://10.0.0.5:8080"]}


def test_only_the_screen_may_be_framed_by_the_configured_origins(client, login, org, make_competition):
    competition = make_competition()
    login(org["admin"])
    screen = client.get(f"/competitions/{competition.id}/screen")
    assert screen.status_code == 200
    assert "frame-ancestors https://screen.example.org http://10.0.0.5:8080" in screen.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in screen.headers
    board = client.get(f"/competitions/{competition.id}")
    assert "frame-ancestors 'none'" in board.headers["Content-Security-Policy"]
    assert board.headers["X-Frame-Options"] == "DENY"

"""Finding 2: logout, password change, an admin's reset and deactivation end every session and
remember cookie of the user; remember cookies are short-lived, HttpOnly, SameSite=Lax, Secure when asked."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.services.people import accounts
from tests.conftest import PASSWORD

NEW_PASSWORD = "another-pass-2"


class BrowserClient(FlaskClient):
    """Each request in an app context of its own, as in production: the test's long-lived app context
    would otherwise carry one browser's logged-in user (flask_login keeps it in g) into the next.
    The test's own transaction ends first: on SQLite it would hold the one writer's place."""

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def separate_browsers(app):
    app.test_client_class = BrowserClient


def logged_in_client(app, user, remember=False):
    client = app.test_client()
    data = {"username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


class Copied:
    """What an attacker keeps: the value of one cookie, replayed from a new browser each time."""

    def __init__(self, app, client, name):
        self.app, self.name, self.value = app, name, client.get_cookie(name).value

    def works(self) -> bool:
        thief = self.app.test_client()
        thief.set_cookie(self.name, self.value)
        return is_logged_in(thief)


def is_logged_in(client) -> bool:
    return client.get("/password").status_code == 200  # the one page a forced password change allows


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_cookie_copied_before_logout_no_longer_works_after_it(app, make_user, cookie):
    user = make_user()
    victim = logged_in_client(app, user, remember=True)
    copied = Copied(app, victim, cookie)
    assert copied.works()
    victim.post("/logout")
    assert not copied.works()


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user()
    here = logged_in_client(app, user, remember=True)
    elsewhere = logged_in_client(app, user, remember=True)
    remembered_elsewhere = Copied(app, elsewhere, "remember_token")
    response = here.post("/password", data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(here) and Copied(app, here, "remember_token").works()
    assert not is_logged_in(elsewhere) and not remembered_elsewhere.works()


@pytest.mark.parametrize("action", ["reset-password", "deactivate"])
def test_an_admins_reset_or_deactivation_ends_the_users_sessions(app, make_user, action):
    admin, user = make_user(role="admin"), make_user()
    victim = logged_in_client(app, user, remember=True)
    remembered = Copied(app, victim, "remember_token")
    assert remembered.works()
    assert logged_in_client(app, admin).post(f"/admin/users/{user.id}/{action}").status_code in (200, 302)
    assert not is_logged_in(victim) and not remembered.works()


def test_sign_out_everywhere_from_the_password_page(app, make_user):
    user = make_user()
    here, elsewhere = logged_in_client(app, user), logged_in_client(app, user, remember=True)
    remembered = Copied(app, elsewhere, "remember_token")
    page = here.get("/password").get_data(as_text=True)
    assert "退出所有设备" in page and 'action="/sessions/end"' in page
    response = here.post("/sessions/end", follow_redirects=True)
    assert "已在所有设备上退出登录" in response.get_data(as_text=True)
    assert not is_logged_in(here) and not is_logged_in(elsewhere)
    assert not remembered.works()


def test_a_remembered_device_stays_logged_in_after_its_first_page(app, make_user):
    """Session protection used to drop a session restored from the remember cookie on its second request."""
    user = make_user()
    browser = app.test_client()
    browser.set_cookie("remember_token", logged_in_client(app, user, remember=True).get_cookie("remember_token").value)
    assert [is_logged_in(browser) for _ in range(3)] == [True, True, True]


def test_session_ids_name_the_version(app, make_user):
    user = make_user()
    assert user.get_id() == f"{user.id}:0"
    accounts.end_sessions(user)
    assert user.get_id() == f"{user.id}:1"
    from quizapp.models.users import load_user
    assert load_user(f"{user.id}:1") is user
    for stale in (f"{user.id}:0", str(user.id), "x:1", f"{user.id}:", "9" * 40 + ":0"):
        assert load_user(stale) is None


def remember_cookie_header(response) -> str:
    return next(header for header in response.headers.getlist("Set-Cookie") if header.startswith("remember_token="))


def test_remember_cookie_lasts_thirty_days_httponly_and_samesite(app, make_user):
    client = app.test_client()
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "remember": "y"})
    header = remember_cookie_header(response)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert timedelta(days=29) < expires - datetime.now(timezone.utc) <= timedelta(days=30)


class TestSecureCookies:
    @pytest.fixture
    def app_config(self):
        return {"SECURE_COOKIES": True, "REMEMBER_DAYS": 7}

    def test_cookies_are_secure_and_the_days_configurable(self, app, make_user):
        user = make_user()
        response = app.test_client().post("/login", data={"username": user.username, "password": PASSWORD,
                                                          "remember": "y"}, base_url="https://localhost")
        header = remember_cookie_header(response)
        assert "Secure" in header
        session_header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
        assert "Secure" in session_header and "HttpOnly" in session_header
        expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
        assert timedelta(days=6) < expires - datetime.now(timezone.utc) <= timedelta(days=7)

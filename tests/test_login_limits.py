"""Findings 3, 5 and 6: login limits that are right behind a reverse proxy, fair to the account's owner,
counted atomically, and keyed by a short hash of the username."""
import threading

import pytest

from quizapp.extensions import db, limiter
from quizapp.models import User
from quizapp.services.people import accounts
from tests.conftest import PASSWORD

LIMITS = {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
          "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes"}


@pytest.fixture
def app_config():
    return LIMITS


def log_in(client, username, password="wrong-pass-9", address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/login", data={"username": username, "password": password}, headers=headers)


class TestBehindAProxy:
    @pytest.fixture
    def app_config(self):
        return {**LIMITS, "TRUSTED_PROXIES": 1}

    def test_a_spray_from_one_client_does_not_lock_out_the_others(self, client, make_user):
        user = make_user()
        statuses = [log_in(client, f"made-up-{number}", address="203.0.113.7").status_code for number in range(31)]
        assert statuses == [200] * 30 + [429]
        assert log_in(client, user.username, PASSWORD, address="198.51.100.20").status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_address_changes_nothing(client, make_user):
    statuses = [log_in(client, f"made-up-{number}", address=f"203.0.113.{number}").status_code for number in range(31)]
    assert statuses[-1] == 429


def test_an_attacker_cannot_lock_the_owner_out_of_a_device_the_owner_used_before(app, make_user):
    user = make_user()
    owner, attacker = app.test_client(), app.test_client()
    assert log_in(owner, user.username, PASSWORD).status_code == 302
    owner.post("/logout")
    assert [log_in(attacker, user.username).status_code for _ in range(6)] == [200] * 5 + [429]
    refused = log_in(attacker, user.username, PASSWORD)  # even the right password, from an unknown device
    assert refused.status_code == 429 and "以前登录过此账号的设备上可以照常登录" in refused.get_data(as_text=True)
    assert log_in(owner, user.username, PASSWORD).status_code == 302


def test_a_forged_device_cookie_counts_as_a_new_device(app, make_user):
    user = make_user()
    attacker = app.test_client()
    attacker.set_cookie("known_device", "forged.value")
    assert [log_in(attacker, user.username).status_code for _ in range(6)] == [200] * 5 + [429]


def test_the_owners_device_has_its_own_limit_and_a_correct_password_resets_it(app, make_user):
    user = make_user()
    owner = app.test_client()
    assert log_in(owner, user.username, PASSWORD).status_code == 302
    owner.post("/logout")
    assert [log_in(owner, user.username).status_code for _ in range(4)] == [200] * 4
    assert log_in(owner, user.username, PASSWORD).status_code == 302
    owner.post("/logout")
    assert [log_in(owner, user.username).status_code for _ in range(6)] == [200] * 5 + [429]


def test_concurrent_wrong_passwords_get_no_more_password_checks_than_the_limit(app, make_user, monkeypatch):
    username = make_user().username
    db.session.commit()  # the threads' requests read in sessions of their own
    checks, lock = [], threading.Lock()
    original = User.check_password

    def counted(self, password):
        with lock:
            checks.append(password)
        return original(self, password)

    monkeypatch.setattr(User, "check_password", counted)
    start = threading.Barrier(40)
    statuses = []

    def attack(number):
        client = app.test_client()
        start.wait()
        statuses.append(log_in(client, username, f"guess-{number}").status_code)

    threads = [threading.Thread(target=attack, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) == 5
    assert sorted(statuses) == [200] * 5 + [429] * 35


class TestOneAddress:
    @pytest.fixture
    def app_config(self):
        return {**LIMITS, "LOGIN_LIMIT_PER_ADDRESS": "5 per 15 minutes"}

    def test_concurrent_failures_from_one_address_get_no_more_checks_than_the_limit(self, app, monkeypatch):
        """The address was checked before a request and counted after a failure, so a burst from one
        address passed it (60 at once against a limit of 30 under gunicorn: 39 checked)."""
        checks, lock = [], threading.Lock()
        original = accounts.authenticate

        def counted(username, password):
            with lock:
                checks.append(username)
            return original(username, password)

        monkeypatch.setattr(accounts, "authenticate", counted)
        start, statuses = threading.Barrier(30), []

        def spray(number):
            client = app.test_client()
            start.wait()
            statuses.append(log_in(client, f"made-up-{number}").status_code)

        threads = [threading.Thread(target=spray, args=(number,)) for number in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(checks) == 5
        assert sorted(statuses) == [200] * 5 + [429] * 25

    def test_a_successful_login_gives_its_count_back(self, client, make_user):
        user = make_user()
        for _ in range(6):
            assert log_in(client, user.username, PASSWORD).status_code == 302
            client.post("/logout")
        assert [log_in(client, f"made-up-{number}").status_code for number in range(6)] == [200] * 5 + [429]


def test_the_limiter_never_stores_the_username(client):
    huge = "攻" * 100_000  # 300 kB: under the form parser's own cap, far over the form's
    response = log_in(client, huge)
    assert response.status_code == 200 and "用户名" in response.get_data(as_text=True)
    assert log_in(client, "长" * 64).status_code == 200  # the longest name the form takes: counted
    keys = list(limiter.storage.storage)
    assert keys and max(len(key) for key in keys) < 200


@pytest.mark.parametrize("spelling", ["User1", " user1 ", "USER1\t"])
def test_account_keys_are_a_short_hash_of_the_normalised_name(spelling):
    assert accounts.login_key(spelling) == accounts.login_key("user1") and len(accounts.login_key(spelling)) == 32
    assert len(accounts.login_key("a" * 10_000_000)) == 32
    assert accounts.login_key("a" * 64 + "b") == accounts.login_key("a" * 64 + "c")  # cut to the longest real name


def test_the_login_form_caps_the_username(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'maxlength="64"' in page

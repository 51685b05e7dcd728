import pytest

from quizapp.extensions import db
from quizapp.services import AccountError
from quizapp.services.people import accounts
from tests.conftest import PASSWORD


def test_login_page_renders_in_chinese(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "登录" in response.get_data(as_text=True)


def test_login_and_logout(client, make_user):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_username_is_case_insensitive(client, make_user):
    make_user(username="ZhangWei")
    response = client.post("/login", data={"username": "zhangwei", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("username, password", [("user-x", "wrong"), ("nobody", PASSWORD)])
def test_wrong_credentials_give_one_generic_message(client, make_user, username, password):
    make_user(username="user-x")
    response = client.post("/login", data={"username": username, "password": password})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "用户名或密码错误" in body


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert "用户名或密码错误" in response.get_data(as_text=True)


@pytest.mark.parametrize("target, expected", [
    ("/groups/join", "/groups/join"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
])
def test_next_parameter_only_follows_local_paths(client, make_user, target, expected):
    user = make_user()
    response = client.post(f"/login?next={target}", data={"username": user.username, "password": PASSWORD})
    assert response.location == expected


def test_finding_an_account_by_username_seeks_an_index(app):
    """Logging in must not read every account: lower(username) has its own index on both databases."""
    statement = accounts.USER_BY_USERNAME.compile(db.engine)
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")  # a small table would be scanned anyway
            plan = connection.exec_driver_sql(f"EXPLAIN {statement}", {"username": "zhangwei"}).scalars().all()
        else:
            plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", ("zhangwei",))]
    assert any("ix_user_username_lower" in line for line in plan), plan


def test_first_login_must_change_password(client, make_user, login):
    user = make_user(must_change_password=True)
    login(user)
    assert client.get("/").location == "/password"
    response = client.post("/password", data={"current": PASSWORD, "new": "newpass123", "confirm": "newpass123"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert db.session.get(type(user), user.id).must_change_password is False


@pytest.mark.parametrize("current, new, confirm, message", [
    ("wrong", "newpass123", "newpass123", "当前密码不正确"),
    (PASSWORD, "short1", "short1", "至少需要 8 位"),
    (PASSWORD, "abcdefghij", "abcdefghij", "字母和数字"),
    (PASSWORD, "newpass123", "newpass124", "两次输入的新密码不一致"),
    (PASSWORD, PASSWORD, PASSWORD, "不能与当前密码相同"),
])
def test_change_password_refusals(client, make_user, login, current, new, confirm, message):
    user = make_user()
    login(user)
    response = client.post("/password", data={"current": current, "new": new, "confirm": confirm})
    assert message in response.get_data(as_text=True)
    assert db.session.get(type(user), user.id).check_password(PASSWORD)


def test_reset_password_forces_a_change(app, make_user):
    user = make_user()
    new_password = accounts.reset_password(user)
    assert user.check_password(new_password) and user.must_change_password


def test_cannot_deactivate_oneself(app, make_user):
    admin = make_user(role="admin")
    with pytest.raises(AccountError):
        accounts.set_active(admin, False, acting=admin)


class TestLockout:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
                "LOGIN_LIMIT_PER_ADDRESS": "5 per 15 minutes"}

    def test_repeated_failures_lock_the_account(self, client, make_user):
        user = make_user()
        for _ in range(3):
            assert client.post("/login", data={"username": user.username, "password": "bad"}).status_code == 200
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 429
        assert "该账号登录失败次数过多" in response.get_data(as_text=True)

    def test_repeated_failures_from_one_address_are_limited(self, client, make_user):
        users = [make_user() for _ in range(6)]
        statuses = [client.post("/login", data={"username": u.username, "password": "bad"}).status_code
                    for u in users]
        assert statuses == [200] * 5 + [429]

    def test_successful_logins_do_not_count(self, client, make_user):
        user = make_user()
        for _ in range(4):
            assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
            client.post("/logout")


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused(self, client, make_user):
        user = make_user()
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 400
        assert "安全令牌" in response.get_data(as_text=True)

"""长辈版: offered once on the home page, switched on the home page, in 我的学习 and on the menu page, kept
with the account; the menu page that the ☰ link opens without JavaScript."""
import re

import pytest

from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PASSWORD
from tests.pages import text_of


def html_class(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_the_home_page_offers_elder_mode_once(client, login, make_user):
    member = make_user()
    login(member)
    assert "要不要用长辈版？" in text_of(client.get("/"))
    response = client.post("/elder-mode", data={"elder": "0", "next": "/"}, follow_redirects=True)
    assert "已切换到标准版" in text_of(response)
    assert "要不要用长辈版？" not in text_of(client.get("/"))  # chosen: not offered again
    db.session.expire_all()
    assert db.session.get(User, member.id).elder_mode is False


@pytest.mark.parametrize("page", ["/", "/progress/me", "/menu"])
def test_elder_mode_switch_on_every_page_that_offers_it(client, login, make_user, page):
    member = make_user(elder_mode=False)
    login(member)
    assert 'class="elder"' not in html_class(client.get(page))
    assert 'name="elder" value="1"' in client.get(page).get_data(as_text=True)
    response = client.post("/elder-mode", data={"elder": "1", "next": page})
    assert response.status_code == 302 and response.headers["Location"] == page
    shown = client.get(page)
    assert 'class="elder"' in html_class(shown)
    assert 'name="elder" value="0"' in shown.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, member.id).elder_mode is True


def test_elder_mode_follows_the_account_to_a_new_session(app, client, login, make_user):
    member = make_user(elder_mode=True)
    login(member)
    assert 'class="elder"' in html_class(client.get("/"))
    other = app.test_client()  # another phone
    assert other.post("/login", data={"username": member.username, "password": PASSWORD}).status_code == 302
    assert 'class="elder"' in html_class(other.get("/"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "", "quiz", "/\\evil.example"])
def test_the_switch_never_sends_the_member_to_another_site(client, login, make_user, target):
    login(make_user())
    response = client.post("/elder-mode", data={"elder": "1", "next": target})
    assert response.headers["Location"] == "/"


def test_the_switch_needs_a_login(client):
    response = client.post("/elder-mode", data={"elder": "1"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_get_does_not_switch(client, login, make_user):
    member = make_user()
    login(member)
    assert client.get("/elder-mode").status_code == 405


def test_the_menu_link_works_without_javascript(client, login, make_user):
    login(make_user())
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<a class="navbar-toggler" href="/menu"', home)
    menu = text_of(client.get("/menu"))
    for label in ("错题本", "学习园地", "我的学习", "知识竞赛", "修改密码", "退出"):
        assert label in menu


def test_the_home_page_has_a_study_entry(client, login, make_user):
    login(make_user(elder_mode=False))
    assert re.search(r'id="study-entry"\s+href="/sources/"', client.get("/").get_data(as_text=True))

"""Findings 2 and 8 in the browser: pages run under the Content-Security-Policy without a violation (the
confirmations that were inline handlers still ask), and 退出所有设备 ends the other devices' sessions."""
import re

from playwright.sync_api import expect

from quizapp.demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_fits_width, log_in

PAGES = ["/", "/quiz/", "/quiz/wrong-book", "/progress/", "/competitions/", "/admin/users", "/admin/questions/", "/sources/", "/password"]


def test_pages_keep_the_policy_and_confirmations_still_ask(desktop_page, live_server):
    page, server = desktop_page, live_server
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    log_in(page, server, "admin", DEMO_PASSWORD)
    for path in PAGES:
        response = page.goto(server.url + path)
        assert response.status == 200 and "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.goto(server.url + "/admin/users")
    page.get_by_label("搜索姓名或用户名").fill("member1")  # the list is paged: the journeys add many people
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"[?&]q=member1(&|$)"))
    page.get_by_role("link", name=re.compile(r"\bmember1\b")).click()
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="重置密码").click()
    expect(page.get_by_role("button", name="重置密码")).to_be_visible()  # dismissed: still on the form
    assert questions == ["将生成新密码，原密码立即失效。确定吗？"]
    assert violations == []


def test_sign_out_everywhere_ends_the_other_devices(browser, live_server, phone_page):
    server = live_server
    server.make_user("journey_s1", "退出甲", "Journey99", group="第一党支部")
    other = browser.new_context()
    elsewhere = other.new_page()
    log_in(elsewhere, server, "journey_s1", "Journey99")
    expect(elsewhere.get_by_role("link", name="修改密码")).to_be_visible()
    log_in(phone_page, server, "journey_s1", "Journey99")
    phone_page.goto(server.url + "/password")
    assert_fits_width(phone_page)
    phone_page.get_by_role("button", name="退出所有设备").click()
    expect(phone_page.locator(".alert-info")).to_contain_text("已在所有设备上退出登录")
    elsewhere.reload()
    expect(elsewhere).to_have_url(re.compile(r"/login"))
    other.close()

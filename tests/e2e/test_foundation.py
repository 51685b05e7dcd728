"""Foundation journeys on a phone: logging in, first-login password change, an admin setting up a
branch and importing its roster."""
import io
import os
import random
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.demo import BRANCHES, DEMO_PASSWORD, seed_history
from quizapp.extensions import db
from quizapp.models import Source, User
from quizapp.models._types import utcnow
from quizapp.services.bank import bundle
from tests.e2e.conftest import assert_fits_width, follow_menu, log_in, open_menu, save_screenshot
from tests.e2e.test_quiz import answer_shown_question

README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_log_in_and_out(phone_page, live_server, screenshot):
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile("^" + re.escape(live_server.url + "/login")))
    expect(page.get_by_text("请先登录。")).to_be_visible()
    assert_fits_width(page)
    log_in(page, live_server, "member1", DEMO_PASSWORD)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="张伟，您好")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "foundation-home-member")
    open_menu(page)
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_text("您已退出登录。")).to_be_visible()


@pytest.mark.parametrize("username, password", [("member1", "wrong-password"), ("nobody", DEMO_PASSWORD)])
def test_wrong_credentials_get_one_generic_message(phone_page, live_server, username, password):
    log_in(phone_page, live_server, username, password)
    expect(phone_page).to_have_url(re.compile("^" + re.escape(live_server.url + "/login")))
    expect(phone_page.get_by_role("alert")).to_have_text(re.compile(r"^\s*用户名或密码错误。"))
    assert_fits_width(phone_page)


def test_first_login_requires_a_new_password(phone_page, live_server, screenshot):
    page = phone_page
    live_server.make_user("firstlogin", "初次登录", "Initial99", must_change_password=True)
    log_in(page, live_server, "firstlogin", "Initial99")
    expect(page).to_have_url(live_server.url + "/password")
    expect(page.get_by_text("您正在使用初始密码")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "foundation-first-login")
    page.goto(live_server.url + "/")  # nothing else opens before the password is changed
    expect(page).to_have_url(live_server.url + "/password")
    page.get_by_label("当前密码").fill("Initial99")
    page.get_by_label("新密码", exact=True).fill("mynewpass2")
    page.get_by_label("再次输入新密码").fill("mynewpass2")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码已修改。")).to_be_visible()
    expect(page).to_have_url(live_server.url + "/")


def test_admin_creates_a_branch_and_imports_its_roster(phone_page, live_server, screenshot, tmp_path):
    page = phone_page
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    follow_menu(page, "组织管理")
    assert_fits_width(page)
    page.get_by_role("link", name="新建组织").click()
    page.get_by_label("组织名称").fill("第三党支部")
    page.get_by_label("组织类型").select_option(label="党支部")
    page.get_by_label("上级组织").select_option(label="示范机关党委")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已创建「第三党支部」")).to_be_visible()
    expect(page.locator("#invite-code")).to_have_text(re.compile(r"^\S{8}$"))
    assert_fits_width(page)
    screenshot(page, "foundation-group-created")

    page.goto(live_server.url + "/admin/roster")
    roster = "姓名,用户名,所属支部,角色\r\n钱进,qianjin,第三党支部,支部书记\r\n孙悦,sunyue,第三党支部,\r\n"
    page.get_by_label("名单文件").set_input_files(
        files=[{"name": "第三党支部名单.csv", "mimeType": "text/csv", "buffer": roster.encode("gbk")}])
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_text("已导入 2 人")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "foundation-roster-imported")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载初始密码表").click()
    sheet = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(sheet)
    rows = list(openpyxl.load_workbook(sheet, read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "用户名", "所属支部", "初始密码")
    assert [row[:3] for row in rows[1:]] == [("钱进", "qianjin", "第三党支部"), ("孙悦", "sunyue", "第三党支部")]
    page.goto(live_server.url + "/admin/roster")
    expect(page.get_by_role("button", name="下载初始密码表")).to_have_count(0)  # offered once only

    page.context.clear_cookies()
    log_in(page, live_server, "qianjin", rows[1][3])
    expect(page).to_have_url(live_server.url + "/password")


def test_roster_problems_are_listed_by_row(phone_page, live_server, screenshot):
    page = phone_page
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(live_server.url + "/admin/roster")
    roster = "姓名,用户名,所属支部\r\n,empty-name,第一党支部\r\n赵四,member1,无此支部\r\n"
    page.get_by_label("名单文件").set_input_files(
        files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": io.BytesIO(roster.encode()).getvalue()}])
    page.get_by_role("button", name="检查并导入").click()
    problems = page.locator("#roster-problems")
    expect(problems).to_contain_text("第2行「姓名」：姓名为空")
    expect(problems).to_contain_text("第3行「用户名」：用户名「member1」已被使用")
    expect(problems).to_contain_text("第3行「所属支部」：没有名为「无此支部」的组织")
    assert_fits_width(page)
    screenshot(page, "foundation-roster-problems")


def test_secretary_sees_the_branch_members(phone_page, live_server, screenshot):
    page = phone_page
    log_in(page, live_server, "secretary1", DEMO_PASSWORD)
    page.goto(live_server.url + "/groups/mine")
    page.get_by_role("link", name="第一党支部").click()
    expect(page.locator("#invite-code")).to_have_text("DEMO0001")
    listed = page.locator("ul.list-group").inner_text()
    assert all(name in listed for name in BRANCHES["第一党支部"][2])
    assert not any(name in listed for name in BRANCHES["第二党支部"][2])
    assert_fits_width(page)
    screenshot(page, "foundation-secretary-branch")


def test_admin_searches_users(phone_page, live_server, screenshot):
    page = phone_page
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(live_server.url + "/admin/users")
    page.get_by_label("搜索姓名或用户名").fill("李")
    page.get_by_role("button", name="筛选").click()
    names = page.locator(".list-group-item .fw-semibold").all_inner_texts()
    assert names and all("李" in name for name in names)
    assert_fits_width(page)
    screenshot(page, "foundation-admin-users")
    page.get_by_role("link", name="李红梅").click()
    expect(page.get_by_label("姓名")).to_have_value("李红梅")
    expect(page.get_by_text("负责的组织：第二党支部")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "foundation-admin-user-edit")


@pytest.mark.skipif(not os.environ.get("QUIZAPP_README_SCREENSHOTS"),
                    reason="set QUIZAPP_README_SCREENSHOTS=1 to refresh docs/screenshots/")
def test_readme_screenshots(phone_page, live_server):
    """Run alone (-k readme): it loads the bundled bank and three weeks of demo history, as `make run` does.
    What a member and a secretary see at 375 px, in the standard mode and in 长辈版 (names ending -elder)."""
    with live_server.app.app_context():
        bundle.load_bundled()
        seed_history(db.session, now=utcnow(), rng=random.Random(2024))
        source_id = db.session.scalar(select(Source.id).where(Source.section.contains("每周一学"))
                                      .order_by(Source.id)) or db.session.scalar(select(Source.id).order_by(Source.id))
    page = phone_page
    page.goto(live_server.url + "/login")
    assert_fits_width(page)
    save_screenshot(page, "login", README_SCREENSHOTS)
    for elder, suffix in ((False, ""), (True, "-elder")):
        with live_server.app.app_context():
            for username in ("member1", "secretary1"):
                db.session.scalar(select(User).where(User.username == username)).elder_mode = elder
            db.session.commit()
        page.context.clear_cookies()
        log_in(page, live_server, "member1", DEMO_PASSWORD)
        readme_shot(page, "home" + suffix, full_page=True)
        page.get_by_role("button", name="每日答题").click()
        page.wait_for_url("**/quiz/attempts/**")
        readme_shot(page, "question" + suffix)
        for position in range(1, 11):
            answer_shown_question(page)
            if position < 10:
                page.get_by_role("button", name="下一题").click()
                page.wait_for_url(f"**q={position + 1}")
        page.get_by_role("button", name="交卷").first.click()
        page.wait_for_url("**/result")
        readme_shot(page, "result" + suffix)
        for path, name in (("/quiz/wrong-book", "wrong-book"), ("/progress/", "my-study"),
                           (f"/sources/{source_id}", "study-text")):
            page.goto(live_server.url + path)
            readme_shot(page, name + suffix)
        page.context.clear_cookies()
        log_in(page, live_server, "secretary1", DEMO_PASSWORD)
        page.goto(live_server.url + "/progress/groups")
        if "/progress/groups/" not in page.url:  # a secretary of several groups chooses one
            page.get_by_role("link", name="第一党支部").first.click()
        readme_shot(page, "branch" + suffix)


def readme_shot(page, name: str, full_page: bool = False) -> None:
    """The first screen (or the whole page) as a member sees it, after checking that nothing is wider."""
    assert_fits_width(page)
    page.screenshot(path=str(README_SCREENSHOTS / f"{name}.png"), full_page=full_page)

"""The pages of the browser journeys at 375 px, in the standard mode and in 长辈版: axe-core finds no
serious or critical problem, every visible control is at least 44×44 px (60×60 for 长辈版's main
controls), and the text is at least 18 px (长辈版 larger) with a line height of at least 1.3."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Source, StudyGroup, User
from tests.e2e.accessibility import axe_violations, broken_figures, check_page, faint_controls, off_centre_labels, small_tap_targets
from tests.e2e.conftest import assert_fits_width, log_in
from tests.e2e.test_quiz import PASSWORD, answer_shown_question, quiz_bank  # noqa: F401 (a fixture)

MODES = {"standard": False, "elder": True}


def make_person(server, username: str, role: str, elder: bool, leads: str | None = None) -> None:
    server.make_user(username, f"检查{username[-2:]}", PASSWORD, role=role, group="第一党支部")
    with server.app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.elder_mode = elder
        if leads:
            group = db.session.scalar(select(StudyGroup).where(StudyGroup.name == leads))
            group.secretaries.append(user)
        db.session.commit()


def visit(page, server, path: str, elder: bool) -> None:
    page.goto(server.url + path)
    expect(page.locator("html")).to_have_class("elder") if elder else expect(page.locator("html")).not_to_have_class("elder")
    assert_fits_width(page)
    check_page(page, elder)


def text_sizes(page) -> dict:
    """The computed size and line height of the body text and of a quiz option."""
    return page.evaluate("""() => {
        const of = el => { if (!el) { return null; } const s = getComputedStyle(el);
            return [parseFloat(s.fontSize), parseFloat(s.lineHeight) / parseFloat(s.fontSize)]; };
        return {body: of(document.body), option: of(document.querySelector('.quiz-option span.flex-fill, .quiz-option span'))};
    }""")


def assert_options_grouped_under_the_question(page) -> None:
    """A screen reader hears the options as one group named by the question, and a keyboard user sees
    which option has the focus: a ring at least 3 px wide, not a faint glow."""
    stem = page.locator("#stem").inner_text()
    group = page.get_by_role("radiogroup", name=stem).or_(page.get_by_role("group", name=stem))
    expect(group).to_have_count(1)
    expect(group.locator("input")).to_have_count(page.locator(".quiz-option input").count())
    page.locator("#stem").click()  # then the keyboard: Tab reaches the first option
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.quiz-option input')"):
            break
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] == "solid" and ring[1] >= 3, ring


@pytest.mark.parametrize("mode", MODES)
def test_member_pages(phone_page, quiz_bank, mode):  # noqa: F811 (the imported fixture)
    page, server, elder = phone_page, quiz_bank, MODES[mode]
    username = f"a11y_member_{mode}"
    make_person(server, username, "member", elder)
    log_in(page, server, username, PASSWORD)
    for path in ("/", "/menu", "/quiz/", "/quiz/history", "/progress/", "/sources/", "/competitions/",
                 "/groups/join", "/password", "/reports/mine"):
        visit(page, server, path, elder)
    with server.app.app_context():
        source_id = db.session.scalar(select(Source.id).where(Source.title == "旅程答题学习材料"))
    visit(page, server, f"/sources/{source_id}", elder)

    page.goto(server.url + "/")
    stats = page.locator("#home-stats .home-stat").evaluate_all("els => els.map(el => parseFloat(getComputedStyle(el).fontSize))")
    assert len(stats) == 3 and min(stats) >= (23 if elder else 18), stats  # 连续学习 / 今日积分 / 总积分, not badge-small
    page.get_by_role("button", name="每日答题").click()
    page.wait_for_url("**/quiz/attempts/**")
    check_page(page, elder)
    size, height = text_sizes(page)["option"] or text_sizes(page)["body"]
    assert size >= (23 if elder else 18) and height >= 1.3
    for position in range(1, 11):
        if page.locator(".quiz-options").count():
            assert_options_grouped_under_the_question(page)
        answer_shown_question(page)
        if position < 10:
            page.get_by_role("button", name="下一题").click()
            page.wait_for_url(f"**q={position + 1}")
    page.locator("summary", has_text="答题卡").click()
    check_page(page, elder)
    page.get_by_role("button", name="交卷").first.click()
    page.wait_for_url("**/result")
    check_page(page, elder)
    body_size, body_height = text_sizes(page)["body"]
    assert body_size >= (23 if elder else 18) and body_height >= 1.3
    page.get_by_role("link", name="这道题有问题？我要纠错").first.click()  # the 纠错 page
    page.wait_for_url("**/reports/attempts/**")
    assert_fits_width(page)
    check_page(page, elder)
    visit(page, server, "/quiz/wrong-book", elder)
    page.locator("summary", has_text="查看答案和解析").first.click()  # the folded key, 解析 and passage
    expect(page.get_by_role("button", name="移出错题本").first).to_be_visible()
    check_page(page, elder)
    visit(page, server, "/progress/", elder)


@pytest.mark.parametrize("mode", MODES)
def test_secretary_pages(phone_page, quiz_bank, mode):  # noqa: F811
    page, server, elder = phone_page, quiz_bank, MODES[mode]
    username = f"a11y_secretary_{mode}"
    make_person(server, username, "secretary", elder, leads="第一党支部")
    with server.app.app_context():
        branch = db.session.scalar(select(StudyGroup).where(StudyGroup.name == "第一党支部"))
        member = db.session.scalar(select(User.id).where(User.group_id == branch.id, User.role == "member"))
    log_in(page, server, username, PASSWORD)
    for path in (f"/progress/groups/{branch.id}", f"/progress/groups/{branch.id}?period=this_week",
                 f"/progress/members/{member}", "/progress/overview", "/groups/mine", f"/groups/{branch.id}",
                 "/competitions/new"):
        visit(page, server, path, elder)
    page.locator("#advanced-settings summary").click()
    check_page(page, elder)


@pytest.mark.parametrize("mode", MODES)
def test_admin_pages(phone_page, quiz_bank, mode):  # noqa: F811
    page, server, elder = phone_page, quiz_bank, MODES[mode]
    username = f"a11y_admin_{mode}"
    make_person(server, username, "admin", elder)
    log_in(page, server, username, PASSWORD)
    for path in ("/admin/users", "/admin/groups", "/questions/", "/questions/import", "/sources/new",
                 "/questions/health", "/reports/queue", "/reports/suspicious?min=1"):
        visit(page, server, path, elder)


def test_the_checks_catch_what_they_are_for(phone_page):
    """The two checks fail on a page built to fail them (a test that cannot fail is a defect)."""
    page = phone_page
    page.set_content('<html lang="zh-CN" class="elder"><head><title>检查</title></head><body><main>'
                     '<button style="width: 30px; height: 30px">小</button>'
                     '<a href="#" class="btn" style="display: inline-block; width: 100px; height: 50px">中</a>'
                     '<label style="display: block; height: 50px"><input type="checkbox"> 整行可点</label>'
                     '<p style="color: #ccc">看不清的字</p>'
                     '<label>淡<input name="faint" style="display: block; height: 60px; border: 1px solid #dee2e6; background: #fff"></label>'
                     '<label>清楚<input name="clear" style="display: block; height: 60px; border: 1px solid #80868b; background: #fff"></label>'
                     '<label>填色<input name="filled" style="display: block; height: 60px; border: 0; background: #6c757d"></label>'
                     '<p style="width: 3em; overflow-wrap: anywhere">100.0%</p><p>答对 12 题</p>'
                     '</main></body></html>')
    assert small_tap_targets(page, elder=True) == ["button「小」30×30（至少 44×44）", "a「中」100×50（至少 60×60）"]
    assert small_tap_targets(page, elder=False) == ["button「小」30×30（至少 44×44）"]
    assert [violation["id"] for violation in axe_violations(page)] == ["color-contrast"]
    assert faint_controls(page) == ["input「淡」边框对比度 1.30:1（至少 3:1）"]
    assert broken_figures(page) == ["「100.0%」（100.0%）"]
    assert [problem.split("」")[0] for problem in off_centre_labels(page)] == ["「中"]  # its word at the top of 50 px

"""Competition journey: an admin sets up a 知识竞赛 for two branches on a phone; a member of each branch
enters and submits on a phone; the big screen (desktop) shows the board change after a submission
without a reload; after the end the results page, the export and the published results are there."""
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db
from quizapp.models import Attempt, Category, Competition, CompetitionEntry, Question
from tests.e2e.accessibility import check_page
from tests.e2e.conftest import DESKTOP, PHONE, TIMEOUT_MS, assert_fits_width, log_in, save_screenshot

TITLE = "七一党史知识竞赛"
TOPIC = "竞赛旅程"
ENTRANTS = 2  # 张伟 and 孙丽
MIN_ENTRANTS = "COMPETITION_MIN_ENTRANTS_FOR_PLACE_POINTS"


@pytest.fixture(scope="module")
def competition_bank(live_server):
    """Five judge questions (all 正确) under one topic of their own; while this module runs, place points
    go to competitions of as few entrants as this journey has (by default none below 5: unit-tested in
    tests/competitions)."""
    with live_server.app.app_context():
        if db.session.scalar(select(Category).where(Category.path == TOPIC)) is None:
            category = Category(name=TOPIC, path=TOPIC)
            for number in range(5):
                stem = f"竞赛旅程第{number + 1}题：中国共产党成立于1921年。"
                db.session.add(Question(key=f"competition-journey-{number}", type="judge", stem=stem,
                                        normalised_stem=stem, answer=True, explanation="1921年7月，中共一大召开。",
                                        status="published", draw_key=(number * 0.37) % 1, category=category))
            db.session.commit()
    config = live_server.app.config
    default, config[MIN_ENTRANTS] = config[MIN_ENTRANTS], ENTRANTS
    yield live_server
    config[MIN_ENTRANTS] = default


def new_page(browser, options):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def create_competition(page, server) -> None:
    log_in(page, server, "admin", DEMO_PASSWORD)
    page.goto(server.url + "/competitions/")
    page.get_by_role("link", name="新建竞赛").click()
    now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0)
    page.get_by_label("竞赛名称").fill(TITLE)
    page.get_by_label("开始时间").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束时间").fill((now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("指定组织（含其下级组织）").check()
    page.get_by_label("第一党支部（党支部）").check()
    page.get_by_label("第二党支部（党支部）").check()
    for kind, count in (("单选题数", "0"), ("多选题数", "0"), ("判断题数", "3"), ("填空题数", "0")):
        page.get_by_label(kind).fill(count)  # the form suggests a 20-question paper; this one has 3
    page.get_by_label("知识点").select_option(TOPIC)
    page.locator("#advanced-settings summary").click()  # folded on a phone until asked for
    page.get_by_label("名次积分").fill("10,6,3")
    assert_fits_width(page)
    save_screenshot(page, "competition-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已发布「{TITLE}」")).to_be_visible()
    expect(page.locator("#state")).to_have_text("进行中")


def take_competition(page, server, username: str, right: int) -> None:
    page.context.clear_cookies()
    log_in(page, server, username, DEMO_PASSWORD)
    panel = page.locator("#competition-panel")
    expect(panel).to_contain_text(TITLE)
    expect(panel).to_contain_text("进行中")
    assert_fits_width(page)
    save_screenshot(page, f"competition-home-{username}")
    check_page(page, elder=False)
    panel.get_by_role("link").first.click()
    check_page(page, elder=False)  # the competition's page, before 开始答题
    page.get_by_role("button", name="开始答题").click()
    for position in range(1, 4):
        page.get_by_role("radio", name="正确" if position <= right else "错误").check()
        page.wait_for_selector("#save-status:has-text('已自动保存')")
        if position < 3:
            page.get_by_role("button", name="下一题").click()
            page.wait_for_url(f"**q={position + 1}")
    page.get_by_role("button", name="交卷").first.click()
    page.wait_for_url("**/result")
    assert "答案与解析将在活动结束后" in page.inner_text("main")
    check_page(page, elder=False)


def move_competition_into_the_past(server) -> None:
    """The hall's clock jumps past the end: every instant of the competition moves 2 hours back."""
    shift = timedelta(hours=2)
    with server.app.app_context():
        competition = db.session.scalar(select(Competition).where(Competition.title == TITLE))
        competition.starts_at -= shift
        competition.ends_at -= shift
        for attempt in db.session.scalars(select(Attempt).where(Attempt.competition_id == competition.id)):
            attempt.started_at, attempt.finished_at = attempt.started_at - shift, attempt.finished_at - shift
            attempt.deadline, attempt.reveal_at = attempt.deadline - shift, attempt.reveal_at - shift
        for entry in db.session.scalars(select(CompetitionEntry).where(CompetitionEntry.competition_id == competition.id)):
            entry.submitted_at -= shift
        db.session.commit()


def test_competition_for_two_branches_with_big_screen_and_results(browser, competition_bank):
    server = competition_bank
    phone = new_page(browser, PHONE)
    create_competition(phone, server)
    take_competition(phone, server, "member1", right=3)  # 张伟, 第一党支部

    screen = new_page(browser, DESKTOP)
    log_in(screen, server, "admin", DEMO_PASSWORD)
    screen.goto(server.url + "/competitions/")
    screen.get_by_role("link", name=TITLE).first.click()
    screen.get_by_role("link", name="打开大屏").evaluate("link => link.removeAttribute('target')")
    screen.get_by_role("link", name="打开大屏").click()
    top = screen.locator("#board-top")
    expect(top).to_contain_text("张伟")
    expect(top).not_to_contain_text("孙丽")
    expect(screen.locator("[data-field=participants]")).to_have_text("1")
    save_screenshot(screen, "competition-screen-before")

    take_competition(phone, server, "member11", right=2)  # 孙丽, 第二党支部
    rows = top.locator("tbody tr")
    expect(rows.nth(1)).to_contain_text("孙丽", timeout=10_000)  # the board polls
    expect(rows.nth(0)).to_contain_text("张伟")
    expect(screen.locator("[data-field=participants]")).to_have_text("2")
    expect(screen.locator("#board-branches")).to_contain_text("第一党支部")
    expect(screen.locator("#board-branches")).to_contain_text("第二党支部")
    save_screenshot(screen, "competition-screen-after")

    phone.goto(screen.url.replace("/screen", "/board"))
    expect(phone.locator("[data-field='me.rank']")).to_have_text("2")
    assert_fits_width(phone)
    save_screenshot(phone, "competition-board-phone")
    check_page(phone, elder=False)

    move_competition_into_the_past(server)
    screen.goto(screen.url.replace("/screen", ""))
    screen.get_by_role("link", name="成绩与分析").click()
    expect(screen.locator("#distribution rect")).to_have_count(4)  # 0, 1, 2 and 3 points
    rates = screen.locator("#question-rates").inner_text()
    percents = [int(n) for n in re.findall(r"(\d+)%", rates)]
    assert percents == sorted(percents) and percents[0] < 100 == percents[-1]  # the one wrong answer comes first
    assert sum(int(n) for n in re.findall(r"作答 (\d+)\s人次", rates)) == 6
    with screen.expect_download() as download_info:
        screen.get_by_role("link", name="导出 Excel").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))
    people = [[cell.value for cell in row][:4] for row in book["个人排名"].iter_rows(min_row=2)]
    assert people == [[1, "张伟", "第一党支部", 3], [2, "孙丽", "第二党支部", 2]]
    screen.on("dialog", lambda dialog: dialog.accept())
    screen.get_by_role("button", name="公布成绩").click()
    expect(screen.get_by_text(f"成绩已公布，{ENTRANTS} 人获得名次积分")).to_be_visible()
    save_screenshot(screen, "competition-results-desktop")

    phone.goto(screen.url)  # still 孙丽 on the phone
    expect(phone.locator("#my-result")).to_contain_text("第 2 名")
    assert_fits_width(phone)
    save_screenshot(phone, "competition-results-phone")
    check_page(phone, elder=False)
    phone.get_by_role("link", name="荣誉证书").click()
    expect(phone.locator("#certificate")).to_contain_text("第 2 名")
    check_page(phone, elder=False)
    phone.go_back()
    phone.get_by_role("link", name="查看答卷与解析").click()
    expect(phone.get_by_text("1921年7月，中共一大召开。").first).to_be_visible()
    for page in (phone, screen):
        page.context.close()

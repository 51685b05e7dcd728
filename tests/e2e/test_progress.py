"""Progress journeys on a phone: a secretary sees who has not studied this week, opens a member and
exports the sheet; an admin compares two branches; a member reads 我的学习."""
import re
from datetime import timedelta

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, Category, PointsEntry, Question, User
from quizapp.models._types import utcnow
from quizapp.services.bank.versions import snapshot_versions
from quizapp.services.clock import local_day
from quizapp.services.progress import summaries
from tests.e2e.conftest import assert_fits_width, follow_menu, log_in

BRANCH = "第一党支部"


def _question() -> Question:
    """A draft question of its own (never drawn into other journeys' quizzes)."""
    question = db.session.scalar(select(Question).where(Question.key == "e2e-progress"))
    if question is None:
        category = Category(name="进度测试", path="进度测试")
        question = Question(key="e2e-progress", type="single", stem="进度测试题：党的根本宗旨是什么？",
                            normalised_stem="进度测试题党的根本宗旨是什么", options=["全心全意为人民服务", "发展经济"],
                            answer=["A"], status="draft", category=category)
        db.session.add(question)
        db.session.flush()
    return question


def study(server, username: str, right: bool) -> None:
    """A finished one-question quiz a minute ago, recorded as finalise records it."""
    with server.app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        question, moment = _question(), utcnow() - timedelta(minutes=1)
        attempt = Attempt(user_id=user.id, mode="practice", title="专项练习", rule={}, seed=1, status="finished",
                          started_at=moment - timedelta(minutes=3), finished_at=moment, study_day=local_day(moment),
                          score=float(right), max_score=1.0, correct_count=int(right), question_count=1,
                          time_used_s=180)
        attempt.answers.append(AttemptAnswer(position=1, question_id=question.id, option_order=[0, 1],
                                             question_version_id=snapshot_versions([question.id])[question.id],
                                             given=["A" if right else "B"], is_correct=right, score=float(right)))
        db.session.add(attempt)
        db.session.flush()
        db.session.add(PointsEntry(user_id=user.id, day=local_day(moment), amount=int(right), reason="practice",
                                   attempt_id=attempt.id))
        db.session.flush()
        summaries.record_attempt(attempt)
        db.session.commit()


@pytest.fixture(scope="module")
def branch_people(live_server):
    live_server.make_user("e2e_studied", "进度已学", "Progress99", group=BRANCH)
    live_server.make_user("e2e_absent", "进度未学", "Progress99", group=BRANCH)
    study(live_server, "e2e_studied", right=True)
    return live_server


def assert_names_on_one_line(names) -> None:
    """Each knowledge point's name on one line at 375 px, not two or three characters per line beside a bar."""
    expect(names.filter(has_text="进度测试")).to_have_count(1)
    lines = names.evaluate_all("els => els.map(el => [el.innerText, Math.round(el.getBoundingClientRect().height"
                               " / parseFloat(getComputedStyle(el).lineHeight))])")
    assert all(count == 1 for _name, count in lines), lines


def assert_wide_table_scrolls_with_the_names_fixed(page) -> None:
    """At 375 px the member table is wider than the screen: a hint says so, a swipe brings 最薄弱知识点 into
    view, and the name column stays where it was."""
    expect(page.locator("#member-table-hint")).to_contain_text("左右滑动")
    name = page.locator("#member-table tbody tr").first.locator("td").first
    left = name.bounding_box()["x"]
    scrolled = page.locator(".table-scroll").evaluate("el => { el.scrollLeft = el.scrollWidth; return el.scrollLeft; }")
    assert scrolled > 0  # wider than the screen, so the hint is needed
    weakest = page.get_by_role("columnheader", name="最薄弱知识点").bounding_box()
    assert 0 <= weakest["x"] and weakest["x"] + weakest["width"] <= 375  # swiped into the screen's width
    assert abs(name.bounding_box()["x"] - left) < 1


def test_secretary_sees_who_has_not_studied_opens_a_member_and_exports(phone_page, branch_people, screenshot,
                                                                       tmp_path):
    page, server = phone_page, branch_people
    log_in(page, server, "secretary1", DEMO_PASSWORD)
    follow_menu(page, "支部学习情况")
    expect(page.get_by_role("heading", name=f"{BRANCH} 学习情况")).to_be_visible()  # one branch: straight to it
    absent = page.locator("#not-studied")
    expect(absent.get_by_text("进度未学")).to_be_visible()
    expect(absent.get_by_text("进度已学")).to_have_count(0)
    assert_fits_width(page)
    assert_names_on_one_line(page.locator("#category-accuracy .share-name"))
    assert_wide_table_scrolls_with_the_names_fixed(page)
    screenshot(page, "progress-secretary-dashboard")

    page.locator("#member-table").get_by_role("link", name="进度已学").click()
    expect(page.get_by_role("heading", name="进度已学 的学习情况")).to_be_visible()
    page.locator("#attempt-list a").first.click()
    detail = page.locator("#attempt-detail")
    expect(detail.get_by_text("进度测试题：党的根本宗旨是什么？")).to_be_visible()
    expect(detail.get_by_text("正确答案：A")).to_be_visible()
    assert_fits_width(page)
    assert_names_on_one_line(page.locator("#category-accuracy .share-name"))
    screenshot(page, "progress-member-drill-down")

    page.get_by_role("link", name=f"← 返回{BRANCH}").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"{BRANCH}学习情况_")
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", "党员", "知识点", "未参学名单"]
    assert "进度未学" in [row[0] for row in book["未参学名单"].iter_rows(min_row=2, values_only=True)]
    members = {row[0]: row for row in book["党员"].iter_rows(min_row=2, values_only=True)}
    assert members["进度已学"][3] >= 1 and members["进度未学"][3] == 0


def test_period_selector_on_a_phone(phone_page, branch_people, screenshot):
    page, server = phone_page, branch_people
    log_in(page, server, "secretary1", DEMO_PASSWORD)
    page.goto(server.url + "/progress/groups")
    expect(page.locator("#start")).to_be_hidden()  # dates show only for a custom range
    expect(page.locator("#period-label")).to_have_text(re.compile(r"^\s*近7天（"))  # the default: never a one-day 本周
    page.get_by_role("navigation", name="常用时段").get_by_role("link", name="本周").click()  # one tap
    page.wait_for_url("**period=this_week**")
    expect(page.locator("#period-label")).to_have_text(re.compile(r"^\s*本周（"))
    page.get_by_label("时间范围").select_option("last_week")  # submits at once
    page.wait_for_url("**period=last_week**")
    expect(page.locator("#period-label")).to_have_text(re.compile(r"^\s*上周（"))
    page.get_by_label("时间范围").select_option("custom")
    expect(page.locator("#start")).to_be_visible()
    expect(page.locator("#end")).to_be_visible()
    page.locator("#start").fill("2026-11-20")
    page.locator("#end").fill("2026-11-01")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("时间范围有误：开始日期 2026-11-20 晚于结束日期 2026-11-01")).to_be_visible()
    expect(page.locator("#period-label")).to_have_text(re.compile(r"^\s*近7天（"))
    assert_fits_width(page)
    screenshot(page, "progress-bad-period")


def test_admin_compares_two_branches(phone_page, branch_people, screenshot):
    page, server = phone_page, branch_people
    study(server, "member11", right=False)  # someone of the second branch studies too
    log_in(page, server, "admin", DEMO_PASSWORD)
    page.goto(server.url + "/progress/groups")
    page.get_by_role("link", name="组织概览").click()
    ranking = page.locator("#branch-ranking")
    expect(ranking.get_by_role("link", name="第一党支部")).to_be_visible()
    expect(ranking.get_by_role("link", name="第二党支部")).to_be_visible()
    tree = page.locator("#overview-tree")
    expect(tree.get_by_role("link", name="示范机关党委")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "progress-admin-overview")
    ranking.get_by_role("link", name="第二党支部").click()
    expect(page.get_by_role("heading", name="第二党支部 学习情况")).to_be_visible()


def test_member_reads_my_study(phone_page, branch_people, screenshot):
    page, server = phone_page, branch_people
    log_in(page, server, "e2e_studied", "Progress99")
    expect(page.locator("#progress-panel").get_by_text("本周学习积分")).to_be_visible()
    page.locator("#progress-panel").get_by_role("link", name="我的学习").click()
    expect(page.get_by_role("heading", name="我的学习")).to_be_visible()
    expect(page.locator("#attempts")).to_have_text("1")
    expect(page.locator("#streak")).to_have_text("1 天")
    expect(page.locator("svg[aria-label='每周正确率']")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "progress-my-study")

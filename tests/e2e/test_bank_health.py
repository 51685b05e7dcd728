"""题库体检 on a phone: an admin opens the bank's health report from the question bank's own navigation,
widens the scope to every question and reads a warning naming the questions, all within 375 px."""
from playwright.sync_api import expect

from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db
from quizapp.models import Question
from tests.e2e.conftest import assert_fits_width, follow_menu, log_in

KEYS = ["E2E-HEALTH-1", "E2E-HEALTH-2"]


def test_admin_reads_the_bank_health_report(phone_page, live_server, screenshot):
    with live_server.app.app_context():  # retired: never drawn into another journey's paper
        db.session.add_all(Question(key=key, type="judge", stem=f"文中说遵义会议是伟大转折{key}。",
                                    normalised_stem=f"文中说遵义会议是伟大转折{key}", answer=True, status="retired")
                           for key in KEYS)
        db.session.commit()
    page = phone_page
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    follow_menu(page, "题库管理")
    page.get_by_role("link", name="题库体检").click()
    expect(page.get_by_role("heading", name="题库体检", level=1)).to_be_visible()
    expect(page.locator("#health-report")).to_contain_text("题库体检")
    assert_fits_width(page)

    page.get_by_label("检查范围").select_option(label="全部题目（含已停用）")
    page.get_by_role("button", name="检查").click()
    warning = page.locator("#health-findings li").filter(has_text="题干提到“文中”")
    expect(warning).to_contain_text("E2E-HEALTH-1、E2E-HEALTH-2")
    assert_fits_width(page)
    screenshot(page, "bank-health-report")

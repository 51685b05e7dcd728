"""Finding 10 in the browser: answer, go on, press Back, press 下一题 -> the saved answer is still there;
and 清除本题答案 really clears one."""
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, User
from tests.e2e.conftest import assert_fits_width, log_in
from tests.e2e.test_quiz import PASSWORD, answer_shown_question, new_member, quiz_bank  # noqa: F401 (fixture)


def saved_answer(server, username: str, position: int):
    with server.app.app_context():
        return db.session.scalar(
            select(AttemptAnswer.given).join(Attempt).join(User, User.id == Attempt.user_id)
            .where(User.username == username, AttemptAnswer.position == position))


def start_daily(page, server, username: str) -> None:
    new_member(server, username)
    log_in(page, server, username, PASSWORD)
    page.get_by_role("button", name="每日答题").click()
    expect(page.locator(".quiz-header")).to_contain_text("第 1 / 10 题")


def test_back_then_next_keeps_the_saved_answer(phone_page, quiz_bank):  # noqa: F811
    page, server = phone_page, quiz_bank
    start_daily(page, server, "journey_b1")
    answer_shown_question(page)
    saved = saved_answer(server, "journey_b1", 1)
    assert saved is not None
    page.get_by_role("button", name="下一题").click()
    page.wait_for_url("**q=2")
    page.go_back()  # the first page of the quiz, as first shown: question 1 with nothing ticked
    expect(page.locator(".quiz-header")).to_contain_text("已答 1 题")  # asked anew, not from the cache
    page.get_by_role("button", name="下一题").click()
    expect(page.locator(".quiz-header")).to_contain_text("已答 1 题")
    assert saved_answer(server, "journey_b1", 1) == saved
    page.locator("summary", has_text="答题卡").click()
    page.locator("[data-goto='1']").click()
    page.wait_for_url("**q=1")
    expect(page.locator("input:checked, input[name=blank][value]:not([value=''])").first).to_be_attached()


def test_the_clear_button_clears_the_saved_answer(phone_page, quiz_bank):  # noqa: F811
    page, server = phone_page, quiz_bank
    start_daily(page, server, "journey_b2")
    answer_shown_question(page)
    page.goto(page.url.split("?")[0] + "?q=1")
    expect(page.locator(".quiz-header")).to_contain_text("已答 1 题")
    assert_fits_width(page)
    page.get_by_role("button", name="清除本题答案").click()
    expect(page.locator(".quiz-header")).to_contain_text("已答 0 题")
    expect(page.get_by_role("button", name="清除本题答案")).to_have_count(0)
    expect(page.locator("input:checked")).to_have_count(0)
    assert saved_answer(server, "journey_b2", 1) is None

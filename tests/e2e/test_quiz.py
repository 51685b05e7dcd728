"""Quiz journeys on a phone: a member takes the daily quiz, reloads in the middle without losing an
answer, submits and opens a source passage from the result; a member practises a topic and sees
feedback after each answer; a timed exam runs out and is finalised by the server."""
import re
from datetime import timedelta
from random import Random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Category, Question, Source, User
from quizapp.models._types import utcnow
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.papers import PaperRule, RuleSection
from tests.e2e.conftest import assert_fits_width, log_in

TOPIC = "旅程答题/党史"
PASSAGE = "江山就是人民，人民就是江山，这是旅程答题的原文段落。"
PASSWORD = "Journey99"
SHAPES = {
    "single": (["全心全意为人民服务", "发展经济", "改革开放", "科教兴国"], ["A"]),
    "multiple": (["坚持党的领导", "坚持人民至上", "闭关锁国", "坚持理论创新"], ["A", "B", "D"]),
    "judge": ([], True),
    "fill": ([], [["人民"]]),
}


@pytest.fixture(scope="module")
def quiz_bank(live_server):
    """Published questions of every type under one topic, each quoting a passage of one source."""
    with live_server.app.app_context():
        if db.session.scalar(select(Source).where(Source.title == "旅程答题学习材料")) is None:
            source = Source(title="旅程答题学习材料", text=f"第一段说明。\n{PASSAGE}\n第三段结尾。")
            parent = Category(name="旅程答题", path="旅程答题")
            category = Category(name="党史", path=TOPIC, parent=parent)
            for number in range(24):
                kind = list(SHAPES)[number % 4]
                options, answer = SHAPES[kind]
                stem = f"旅程答题第{number + 1}题：江山就是（　）。" if kind == "fill" else f"旅程答题第{number + 1}题"
                db.session.add(Question(key=f"journey-{number}", type=kind, stem=stem, normalised_stem=stem,
                                        options=options, answer=answer, explanation="旅程答题的解析。",
                                        status="published", draw_key=(number * 0.618) % 1, category=category,
                                        source=source, quote=PASSAGE))
            db.session.commit()
    return live_server


def new_member(server, username: str) -> None:
    server.make_user(username, f"答题{username[-1]}", PASSWORD, group="第一党支部")


def answer_shown_question(page) -> None:
    """Answer whatever question is on screen: the first option, 正确, or text in every blank."""
    expect(page.locator(".quiz-option, input[name=blank]").first).to_be_visible()
    blanks = page.locator("input[name=blank]")
    if blanks.count():
        for index in range(blanks.count()):
            blanks.nth(index).fill("人民")
        blanks.last.press("Tab")
    else:
        page.locator(".quiz-option").first.click()
    page.wait_for_selector("#save-status:has-text('已自动保存')")


def test_daily_quiz_reload_submit_and_open_the_source(phone_page, quiz_bank, screenshot):
    page, server = phone_page, quiz_bank
    new_member(server, "journey_d1")
    log_in(page, server, "journey_d1", PASSWORD)
    page.get_by_role("button", name="每日答题").click()
    expect(page.locator(".quiz-header")).to_contain_text("第 1 / 10 题")
    assert_fits_width(page)
    screenshot(page, "quiz-daily-question")
    answer_shown_question(page)
    page.get_by_role("button", name="下一题").click()
    page.wait_for_url("**q=2")
    answer_shown_question(page)
    chosen = page.locator("input:checked, input[name=blank]").first.evaluate("e => e.value")
    page.reload()  # a reload in the middle loses nothing
    assert page.locator("input:checked, input[name=blank]").first.evaluate("e => e.value") == chosen
    expect(page.locator(".quiz-header")).to_contain_text("已答 2 题")
    page.locator("summary", has_text="答题卡").click()
    expect(page.locator(".answer-grid .btn-success")).to_have_count(2)
    screenshot(page, "quiz-daily-answer-card")
    page.locator("[data-goto='3']").click()
    page.wait_for_url("**q=3")
    page.get_by_role("button", name="交卷").click()  # 8 unanswered: the member is asked first
    modal = page.locator("#submit-modal")
    modal.wait_for(state="visible")
    expect(modal).to_contain_text("还有 8 题未作答")
    screenshot(page, "quiz-daily-confirm")
    modal.get_by_role("button", name="继续答题").click()
    for position in range(3, 11):
        answer_shown_question(page)
        if position < 10:
            page.get_by_role("button", name="下一题").click()
            page.wait_for_url(f"**q={position + 1}")
    page.get_by_role("button", name="交卷").click()  # all answered: no question asked
    page.wait_for_url("**/result")
    expect(page.locator(".quiz-score").locator("..")).to_contain_text("答对")
    expect(page.get_by_text("旅程答题的解析。").first).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "quiz-daily-result")
    page.locator(".source-link").first.click()
    page.wait_for_url("**/sources/**")
    expect(page.locator("mark.source-highlight").first).to_be_visible()
    assert page.locator("mark.source-highlight").first.inner_text() in PASSAGE
    screenshot(page, "quiz-daily-source")
    with server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "journey_d1"))
        attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == user_id))
        assert attempt.status == "finished" and attempt.answered_count == 10


def test_practice_a_topic_with_feedback_after_each_answer(phone_page, quiz_bank, screenshot):
    page, server = phone_page, quiz_bank
    new_member(server, "journey_p1")
    log_in(page, server, "journey_p1", PASSWORD)
    page.goto(server.url + "/quiz/")
    page.get_by_label("知识点").select_option(TOPIC)
    page.get_by_label("题数").select_option("5")
    page.get_by_role("button", name="开始练习").click()
    expect(page.locator(".quiz-header")).to_contain_text("专项练习 · " + TOPIC)
    for position in range(1, 4):
        expect(page.locator(".quiz-feedback")).to_have_count(0)  # nothing before answering
        if page.locator(".quiz-option").count():
            page.locator(".quiz-option").first.click()
        else:
            page.locator("input[name=blank]").fill("人民")
        page.get_by_role("button", name="确定").click()
        feedback = page.locator(".quiz-feedback")
        expect(feedback).to_contain_text("正确答案")  # the form posts and the page comes back with it
        expect(feedback).to_contain_text("旅程答题的解析。")
        expect(feedback.get_by_role("link", name="查看原文")).to_be_visible()
        if position == 1:
            assert_fits_width(page)
            screenshot(page, "quiz-practice-feedback")
        page.get_by_role("button", name="下一题").click()
        page.wait_for_url(f"**q={position + 1}")


def test_a_timed_exam_runs_out_and_is_finalised(phone_page, quiz_bank, screenshot):
    page, server = phone_page, quiz_bank
    new_member(server, "journey_e1")
    with server.app.app_context():
        user = db.session.scalar(select(User).where(User.username == "journey_e1"))
        rule = PaperRule([RuleSection("judge", 2, 5.0, category_path=TOPIC)], time_limit_s=60, title="限时测验")
        attempt_id = engine.start_attempt(user, "exam", rule, now=utcnow() - timedelta(seconds=45),
                                           rng=Random(3)).id
    log_in(page, server, "journey_e1", PASSWORD)
    page.get_by_role("link", name="继续").click()
    countdown = page.locator("#countdown")
    expect(countdown).to_have_text(re.compile(r"^剩余 0:"))  # under 15 seconds left
    page.get_by_role("radio", name="正确").check()
    page.wait_for_selector("#save-status:has-text('已自动保存')")
    screenshot(page, "quiz-exam-countdown")
    page.wait_for_url("**/result", timeout=30_000)  # the page reloads at zero; the server finalises
    expect(page.get_by_role("alert")).to_contain_text("答题时间已到，已按已保存的答案自动交卷")
    expect(page.locator("#score")).to_have_text("5")
    assert_fits_width(page)
    screenshot(page, "quiz-exam-expired")
    with server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "finished" and attempt.finished_at == attempt.deadline

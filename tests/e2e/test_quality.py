"""Question-quality journey: a member answers a question whose key is wrong and reports it on the
result page (phone); the admin sees the report in the queue with the question's statistics, fixes
the key, previews and confirms a regrade; the member's result, points and the published competition
results (with a regrade note) change."""
import re
from datetime import timedelta
from random import Random

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db
from quizapp.models import Competition, PointsEntry, Question, User
from quizapp.models._types import utcnow
from quizapp.services.competitions import lifecycle
from quizapp.services.competitions.entries import refresh_group_stats
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.papers import PaperRule, RuleSection
from tests.e2e.conftest import DESKTOP, TIMEOUT_MS, assert_fits_width, log_in, save_screenshot

MEMBER = "member20"
STEM = "纠错旅程：中国共产党的根本宗旨是什么？"
RIGHT = "全心全意为人民服务"
COMPETITION = "纠错旅程知识竞赛"


@pytest.fixture(scope="module")
def wrong_key(live_server):
    """A draft single (so no other journey draws it) whose key says B though A is right; the member's
    practice attempt at it, still open; and a published competition in which the member chose A."""
    with live_server.app.app_context():
        question = Question(key="quality-journey", type="single", stem=STEM, normalised_stem=STEM,
                            options=[RIGHT, "发展经济", "改革开放", "科教兴国"], answer=["B"],
                            explanation="党的根本宗旨是全心全意为人民服务。", quote="全心全意为人民服务是党的根本宗旨。",
                            status="draft", draw_key=0.5)
        db.session.add(question)
        db.session.commit()
        member = db.session.scalar(select(User).where(User.username == MEMBER))
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        now = utcnow()
        rule = PaperRule([RuleSection("single", 1)], shuffle_options=False, title="纠错旅程练习")
        practice = engine.start_attempt(member, "practice", rule, now=now, rng=Random(1), question_ids=[question.id])
        competition = Competition(title=COMPETITION, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
                                  rule=rule.to_dict(), question_ids=[question.id], feedback="after_end",
                                  placing_points=[10], announced_at=now - timedelta(days=1), created_by_id=admin.id)
        db.session.add(competition)
        db.session.flush()
        refresh_group_stats(competition)
        db.session.commit()
        entered = lifecycle.enter(member, competition, now=now, rng=Random(2))
        engine.save_answer(entered, 1, "A", now=now)
        engine.finalise_attempt(entered, now=now + timedelta(seconds=30))
        competition = db.session.get(Competition, competition.id)
        competition.starts_at, competition.ends_at = now - timedelta(hours=2), now - timedelta(minutes=1)
        db.session.commit()
        lifecycle.publish_results(competition, now=now)
        return {"question": question.id, "practice": practice.id, "competition": competition.id, "member": member.id}


def _points(server, user_id: int) -> int:
    with server.app.app_context():
        return db.session.scalar(select(func.coalesce(func.sum(PointsEntry.amount), 0))
                                 .where(PointsEntry.user_id == user_id, PointsEntry.reason.in_(("practice", "regrade"))))


def test_a_wrong_key_is_reported_fixed_and_regraded(live_server, phone_page, browser, wrong_key):
    page, server = phone_page, live_server
    log_in(page, server, MEMBER, DEMO_PASSWORD)
    page.goto(f"{server.url}/quiz/attempts/{wrong_key['practice']}")
    page.locator("label.quiz-option", has_text=RIGHT).click()
    expect(page.locator("#save-status")).to_contain_text("已自动保存")
    page.get_by_role("button", name="交卷").first.click()  # all answered: no question asked
    page.wait_for_url("**/result")
    expect(page.locator("#score")).to_have_text("0")
    page.get_by_role("link", name="这道题有问题？我要纠错").click()
    expect(page.get_by_role("heading", name="我要纠错")).to_be_visible()
    page.get_by_label("答案有误").check()
    page.get_by_label("补充说明").fill("正确答案应为A：全心全意为人民服务")
    assert_fits_width(page)
    save_screenshot(page, "quality-report-form")
    page.get_by_role("button", name="提交纠错").click()
    page.wait_for_url("**/result")
    expect(page.get_by_text("感谢纠错")).to_be_visible()
    assert _points(server, wrong_key["member"]) == 0

    admin = browser.new_context(**DESKTOP).new_page()
    admin.set_default_timeout(TIMEOUT_MS)
    log_in(admin, server, "admin", DEMO_PASSWORD)
    admin.goto(server.url + "/reports/queue")
    card = admin.locator(f"#question-{wrong_key['question']}")
    expect(card).to_contain_text("1 人报告")
    expect(card).to_contain_text("正确率")
    expect(card).to_contain_text("全心全意为人民服务是党的根本宗旨。")  # the source passage beside it
    card.get_by_role("link", name="修改题目").click()
    admin.get_by_label("答案").fill("A")
    admin.get_by_role("button", name=re.compile("保存")).click()
    admin.goto(server.url + "/reports/queue")
    card = admin.locator(f"#question-{wrong_key['question']}")
    card.get_by_label("处理").select_option("fixed")
    card.get_by_label("回复").fill("答案已更正为A，谢谢！")
    card.get_by_role("button", name="提交处理").click()
    admin.wait_for_url("**/regrade")
    admin.get_by_label("过去的作答").select_option("rekey")
    admin.get_by_role("button", name="预览影响").click()
    expect(admin.locator("#preview-attempts")).to_have_text("2")
    expect(admin.locator("#preview-competitions")).to_have_text("1")
    expect(admin.locator("#preview-points")).to_have_text("+1")
    save_screenshot(admin, "quality-regrade-preview")
    admin.get_by_label("原因（记录在案）").fill("答案键有误，按正确答案重新评分")
    admin.get_by_role("button", name=re.compile("确认")).click()
    expect(admin.get_by_text("份答卷")).to_be_visible()
    admin.context.close()

    page.goto(f"{server.url}/quiz/attempts/{wrong_key['practice']}/result")
    expect(page.locator("#score")).to_have_text("1")
    expect(page.get_by_text("回答正确")).to_be_visible()
    assert _points(server, wrong_key["member"]) == 1
    page.goto(server.url + "/reports/mine")
    expect(page.get_by_text("答案已更正为A，谢谢！")).to_be_visible()
    page.goto(f"{server.url}/competitions/{wrong_key['competition']}/results")
    expect(page.locator("#regrade-note")).to_contain_text("答案键有误，按正确答案重新评分")
    assert_fits_width(page)
    save_screenshot(page, "quality-competition-note")

"""Drafting journey: an admin pastes an article in traditional characters with no 每周一学 heading,
drafts questions, reviews them with their quotes highlighted, approves some and rejects one; a
member practises the new knowledge point and opens the quoted passage."""
import re

from playwright.sync_api import expect
from sqlalchemy import delete, select

from quizapp.extensions import db
from quizapp.models import Candidate, Question, Source
from tests.e2e.conftest import assert_fits_width, log_in

# Written for this test.
ARTICLE = ("八七會議的召開\n"
           "1927年8月7日，中共中央在漢口召開緊急會議。會議確定了實行土地革命和武裝反抗國民黨反動派的總方針。\n"
           "黨的三大作風是：理論聯繫實際、密切聯繫群眾、批評與自我批評。\n"
           "全黨同志務必不忘初心、牢記使命，務必謙虛謹慎、艱苦奮鬥，務必敢於鬥爭、善於鬥爭。這“三個務必”十分醒目。\n")
SECTION = "党史故事"
PASSWORD = "Drafting99"


def test_admin_drafts_from_a_traditional_article_and_a_member_practises_it(phone_page, live_server, screenshot):
    page, server = phone_page, live_server
    server.make_user("draft_admin", "出题管理员", PASSWORD, role="admin")
    server.make_user("draft_member", "学习党员乙", PASSWORD, group="第一党支部")

    log_in(page, server, "draft_admin", PASSWORD)
    page.goto(server.url + "/sources/new")
    page.get_by_label("标题").fill("八七会议（繁体）")
    page.get_by_label("栏目").fill(SECTION)
    page.get_by_label("正文").fill(ARTICLE)
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="生成与审核题目").click()
    page.get_by_role("button", name="从原文生成候选题").click()
    expect(page.locator(".alert").first).to_contain_text("道新的候选题")
    expect(page.locator("[data-reading]")).to_contain_text("列举 2 处")
    expect(page.locator("[data-reading]")).to_contain_text("带日期的事件 1 处")
    cards = page.locator(".candidate")
    expect(cards.first).to_be_visible()
    count = cards.count()
    assert count >= 8
    for index in range(count):  # every quote is highlighted, as the article wrote it
        mark = cards.nth(index).locator("[data-quote] mark")
        expect(mark).to_be_visible()
        assert "".join(mark.inner_text().split()) in "".join(ARTICLE.split())
    expect(page.locator("[data-change]").first).to_contain_text("“")
    assert_fits_width(page)
    screenshot(page, "drafting-candidates-traditional")

    rejected_id = int(cards.first.get_attribute("data-candidate-id"))
    cards.first.locator("input[type=checkbox]").check()
    page.get_by_role("button", name="舍弃所选").click()
    expect(page.locator(".alert").first).to_contain_text("已舍弃 1 道候选题")
    for index in range(3):
        page.locator(".candidate").nth(index).locator("input[type=checkbox]").check()
    page.get_by_role("button", name="采用并发布所选").click()
    expect(page.locator(".alert").first).to_contain_text("已采用并发布 3 道题")
    with server.app.app_context():
        source_id = db.session.scalar(select(Source.id).where(Source.title == "八七会议（繁体）"))
        states = dict(db.session.execute(select(Candidate.id, Candidate.state)
                                         .where(Candidate.source_id == source_id)).all())
        assert states[rejected_id] == "rejected" and list(states.values()).count("approved") == 3
        published = db.session.scalars(select(Question).where(Question.source_id == source_id)).all()
        assert len(published) == 3 and all(q.status == "published" and q.category.path.startswith(SECTION)
                                           for q in published)

    page.context.clear_cookies()
    log_in(page, server, "draft_member", PASSWORD)
    page.goto(server.url + "/quiz/")
    page.get_by_label("知识点").select_option(SECTION)
    page.get_by_label("题数").select_option("5")
    page.get_by_role("button", name="开始练习").click()
    if page.locator(".quiz-option").count():
        page.locator(".quiz-option").first.click()
    else:
        page.locator("input[name=blank]").first.fill("汉口")
    page.get_by_role("button", name="确定").click()
    page.locator(".quiz-feedback").get_by_role("link", name="查看原文").click()
    page.wait_for_url(re.compile(rf"/sources/{source_id}\b"))
    mark = page.locator("mark.source-highlight").first
    expect(mark).to_be_visible()
    assert "".join(mark.inner_text().split()) in "".join(ARTICLE.split())
    assert_fits_width(page)
    screenshot(page, "drafting-practice-source")
    with server.app.app_context():  # the journeys share a database: leave no pending candidates
        db.session.execute(delete(Candidate).where(Candidate.source_id == source_id,
                                                   Candidate.state == "pending"))
        db.session.commit()

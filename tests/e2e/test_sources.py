"""学习园地 journey: an admin pastes a new study text, approves candidates and rejects one; a member
practises the new topic and opens a question's 查看原文, landing on the highlighted passage."""
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Candidate, Question, Source
from tests.e2e.conftest import assert_fits_width, log_in

STUDY_TEXT = (Path(__file__).parents[1] / "question_bank" / "texts" / "core_values.txt").read_text(encoding="utf-8")
TITLE = "每周一学：社会主义核心价值观与党的优良作风"
TOPIC = "每周一学/党的三大优良作风"
PASSWORD = "Sources99"


def test_admin_reviews_generated_questions_and_a_member_reads_the_source(phone_page, live_server, screenshot):
    page, server = phone_page, live_server
    server.make_user("src_admin", "材料管理员", PASSWORD, role="admin")
    server.make_user("src_member", "学习党员", PASSWORD, group="第一党支部")

    log_in(page, server, "src_admin", PASSWORD)
    page.goto(server.url + "/sources/new")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("正文").fill(STUDY_TEXT)
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="生成与审核题目").click()
    page.get_by_role("button", name="从原文生成候选题").click()
    expect(page.locator(".alert").first).to_contain_text("道新的候选题")
    assert_fits_width(page)
    screenshot(page, "sources-candidates")

    first = page.locator(".candidate").first
    rejected_id = int(first.get_attribute("data-candidate-id"))
    first.locator("input[type=checkbox]").check()
    page.get_by_role("button", name="舍弃所选").click()
    page.get_by_label("全选").check()
    page.get_by_role("button", name="采用并发布所选").click()
    expect(page.locator(".alert").first).to_contain_text("已采用并发布")
    expect(page.locator("main")).to_contain_text("已舍弃 1 道")
    with server.app.app_context():  # this text's candidates: the journeys share a database
        source_id = db.session.scalar(select(Source.id).where(Source.title == TITLE))
        states = dict(db.session.execute(select(Candidate.id, Candidate.state)
                                         .where(Candidate.source_id == source_id)).all())
        assert states[rejected_id] == "rejected"
        assert sorted(set(states.values())) == ["approved", "rejected"]
        published = db.session.scalars(select(Question).join(Candidate, Candidate.question_id == Question.id)
                                       .where(Candidate.source_id == source_id)).all()
        assert published and all(question.status == "published" and question.quote for question in published)

    page.context.clear_cookies()  # log out: the member continues on the same phone
    log_in(page, server, "src_member", PASSWORD)
    page.goto(server.url + "/quiz/")
    page.get_by_label("知识点").select_option(TOPIC)
    page.get_by_label("题数").select_option("5")
    page.get_by_role("button", name="开始练习").click()
    expect(page.locator(".quiz-option, input[name=blank]").first).to_be_visible()
    if page.locator(".quiz-option").count():
        page.locator(".quiz-option").first.click()
    else:
        page.locator("input[name=blank]").first.fill("作风")
    page.get_by_role("button", name="确定").click()
    page.locator(".quiz-feedback").get_by_role("link", name="查看原文").click()
    page.wait_for_url("**/sources/**")
    mark = page.locator("mark.source-highlight").first
    expect(mark).to_be_visible()
    assert "".join(mark.inner_text().split()) in "".join(STUDY_TEXT.split())
    assert_fits_width(page)
    screenshot(page, "sources-highlighted-passage")

"""题库体检: the admin page over the whole bank, and the include the import preview and generator reuse."""
from flask import render_template

from question_bank.health import Finding, HealthReport
from tests.pages import text_of, text_of_html


def make_judges(make_question, count: int, answer: bool, stem: str, prefix: str):
    for number in range(count):
        make_question(type="judge", options=[], answer=answer, stem=f"{stem}{number}", key=f"{prefix}{number}",
                      normalised_stem=f"{stem}{number}")


def test_the_page_warns_about_the_published_bank_and_names_the_questions(admin_client, make_question):
    make_judges(make_question, 8, False, "遵义会议只讨论了军事问题", "F-")
    make_judges(make_question, 4, True, "遵义会议是伟大转折", "T-")
    make_question(type="judge", options=[], answer=True, stem="文中说的是草稿。", key="DRAFT-1", status="draft")
    page = text_of(admin_client.get("/admin/questions/health"))
    assert "题库体检" in page
    assert "判断题中“对”占 33%（4/12 道）" in page
    assert "见绝对词就判错" in page and "F-0、F-1" in page
    assert "DRAFT-1" not in page


def test_the_scope_can_take_drafts_or_everything(admin_client, make_question):
    make_question(type="judge", options=[], answer=True, stem="文中说的是草稿。", key="DRAFT-1", status="draft")
    assert "DRAFT-1" in text_of(admin_client.get("/admin/questions/health?status=draft"))
    assert "DRAFT-1" in text_of(admin_client.get("/admin/questions/health?status="))
    assert "DRAFT-1" not in text_of(admin_client.get("/admin/questions/health?status=nonsense"))


def test_a_healthy_bank_says_so(admin_client, make_question):
    make_question()
    page = text_of(admin_client.get("/admin/questions/health"))
    assert "未发现问题" in page and "单选题答案位置：A 1" in page


def test_the_bank_nav_links_to_the_page(admin_client):
    assert 'href="/admin/questions/health"' in admin_client.get("/admin/questions/").get_data(as_text=True)


def test_the_include_renders_any_report(app):
    report = HealthReport(total=3, figures=["判断题：对 1 道"],
                          findings=[Finding("x", "题干提到“文中”<b>", ("K-1", "K-2"))])
    with app.test_request_context():
        html = render_template("questions/_health_report.html", health=report)
    assert "&lt;b&gt;" in html
    assert "1 条提醒" in text_of_html(html) and "涉及 2 道：K-1、K-2" in text_of_html(html)


def test_a_long_list_of_questions_is_cut_short(app):
    report = HealthReport(total=100, findings=[Finding("x", "提醒", tuple(f"K-{n}" for n in range(100)))])
    with app.test_request_context():
        text = text_of_html(render_template("questions/_health_report.html", health=report))
    assert "涉及 100 道：K-0、" in text and "K-59 等" in text and "K-60" not in text

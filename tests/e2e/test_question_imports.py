"""Foreign bank journey on a phone: an admin uploads another app's JSON bank, sees what was found,
corrects the field the stem was taken from, sees the duplicate matched with the bank's question,
imports, and withdraws the import from the import records."""
import json

from playwright.sync_api import expect
from sqlalchemy import select

from question_bank.draft import QuestionDraft
from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db
from quizapp.models import Question
from quizapp.services.bank.imports import import_drafts
from tests.e2e.conftest import assert_fits_width, log_in
from tests.e2e.test_questions import upload  # noqa: F401 (the fixture that uploads and cleans up)

MARK = "【外部题库旅程】"
EXISTING = MARK + "中共一大在哪里开幕？"
RECORDS = [  # "title" is the quiz's name, repeated; the question is in "question"
    {"title": "党史测验", "question": EXISTING, "options": ["北京", "上海", "嘉兴"], "answer": "上海"},
    {"title": "党史测验", "question": MARK + "遵义会议是转折点", "options": ["正确", "错误"], "answer": "A"},
    {"title": "党史测验", "question": MARK + "三大作风包括", "options": ["理论联系实际", "密切联系群众", "艰苦奋斗"],
     "answer": [0, 1]},
]


def test_admin_imports_a_foreign_json_bank_and_withdraws_it(phone_page, live_server, upload, screenshot,  # noqa: F811
                                                              tmp_path):
    with live_server.app.app_context():
        import_drafts([QuestionDraft(type="single", stem=EXISTING, options=["上海", "北京", "嘉兴"], answer=["A"],
                                     key="E2E-F-0")])
    bank = tmp_path / "外部题库.json"
    bank.write_text(json.dumps(RECORDS, ensure_ascii=False), encoding="utf-8")
    page = phone_page
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(live_server.url + "/admin/questions/import")
    upload(page, bank)

    expect(page.locator("#import-found")).to_contain_text("JSON 数组，3 条记录，字段 title、question、options、answer")
    expect(page.locator("#import-duplicates")).to_have_count(0)  # every stem read as "党史测验": nothing matches
    mapping = page.locator("#column-mapping")
    expect(mapping.locator('select[data-header="title"]')).to_have_value("stem")
    assert_fits_width(page)
    screenshot(page, "questions-import-foreign-found")

    mapping.locator('select[data-header="question"]').select_option("stem")
    mapping.get_by_role("button", name="按此对应重新预览").click()
    expect(mapping.locator('select[data-header="title"]')).to_have_value("ignore")
    duplicates = page.locator("#import-duplicates")
    expect(duplicates).to_contain_text("重复的题目 1 道")
    expect(duplicates.locator(".existing-question")).to_have_text(EXISTING)
    expect(page.locator("#import-counts")).to_contain_text("新题 2 道")
    assert_fits_width(page)
    screenshot(page, "questions-import-foreign-mapped")

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("alert")).to_contain_text("已新增 2 道")
    with live_server.app.app_context():
        kinds = dict(db.session.execute(select(Question.stem, Question.type).where(Question.stem.contains(MARK))).all())
    assert kinds == {EXISTING: "single", MARK + "遵义会议是转折点": "judge", MARK + "三大作风包括": "multiple"}

    page.goto(live_server.url + "/admin/questions/import/batches")
    batch = page.locator(".import-batch", has_text="外部题库.json")
    expect(batch).to_contain_text("新增 2 道，更新 0 道，跳过重复 1 道")
    assert_fits_width(page)
    screenshot(page, "questions-import-batches")
    page.once("dialog", lambda dialog: dialog.accept())
    batch.get_by_role("button", name="撤回").click()
    expect(page.get_by_role("alert")).to_contain_text("已撤回：删除 2 道从未使用的题，停用 0 道")
    expect(batch.locator(".batch-withdrawn")).to_be_visible()
    with live_server.app.app_context():
        left = db.session.scalars(select(Question.stem).where(Question.stem.contains(MARK))).all()
    assert left == [EXISTING]

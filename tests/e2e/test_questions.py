"""Question bank journey on a phone: an admin downloads the import template, uploads a workbook with
one bad row, reads the row and the reason, uploads the fixed workbook, imports it, publishes the new
questions, and previews one whose stem holds a <script> tag as a member would see it."""
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db
from quizapp.models import Question
from tests.e2e.conftest import assert_fits_width, follow_menu, log_in

MARK = "【导入旅程】"
SCRIPT_STEM = MARK + "<script>window.e2eInjected = true</script>党的根本宗旨是（　）。"
ROWS = [
    # 题型, 题干, 选项A–H, 答案, 解析, 难度, 分类, 标签, 出处, 原文摘录, 编号
    ["单选题", SCRIPT_STEM, "全心全意为人民服务", "<b>发展经济</b>", "", "", "", "", "", "", "A", "宗旨。", "易",
     "党史/旅程", "", "", "", "E2E-Q-1"],
    ["多选题", MARK + "“三大法宝”包括（　）。", "统一战线", "武装斗争", "党的建设", "土地革命", "", "", "", "", "ABC", "",
     "中", "党史/旅程", "", "", "", "E2E-Q-2"],
    ["判断题", MARK + "遵义会议是党的历史上生死攸关的转折点。", "", "", "", "", "", "", "", "", "对", "", "易", "党史/旅程",
     "", "", "", "E2E-Q-3"],
    ["填空题", MARK + "为中国人民谋（　），为中华民族谋（　）。", "", "", "", "", "", "", "", "", "幸福；复兴", "", "易",
     "党史/旅程", "", "", "", "E2E-Q-4"],
]
BAD_ANSWER, GOOD_ANSWER = "A", "AB"  # a 多选题 with one answer, then fixed
EXTRA = ["多选题", MARK + "党的作风包括（　）。", "理论联系实际", "密切联系群众", "批评与自我批评", "", "", "", "", "", None,
         "", "中", "党史/旅程", "", "", "", "E2E-Q-5"]


def fill_template(template: Path, target: Path, answer: str) -> None:
    """The downloaded template with its example rows replaced by our questions."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook["题目"]
    sheet.delete_rows(2, sheet.max_row)
    for row in [*ROWS, [*EXTRA[:10], answer, *EXTRA[11:]]]:
        sheet.append(row)
    workbook.save(target)


@pytest.fixture
def upload(live_server):
    """upload(page, path): choose the file and press 上传并预览; the kept upload is removed afterwards."""
    folder = Path(live_server.app.instance_path, "imports")
    tokens = []

    def choose_and_send(page, path: Path) -> None:
        page.get_by_label("题目文件").last.set_input_files(str(path))
        with page.expect_navigation():
            page.get_by_role("button", name="上传并预览").last.click()
        tokens.append(page.url.rsplit("/", 1)[-1])

    yield choose_and_send
    for token in tokens:  # the server is shared by every journey: leave nothing behind
        for path in folder.glob(f"{token}.*"):
            path.unlink()


def test_admin_imports_fixes_publishes_and_previews(phone_page, live_server, upload, screenshot, tmp_path):
    page = phone_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    follow_menu(page, "题库管理")
    page.get_by_role("link", name="导入", exact=True).click()
    assert_fits_width(page)
    screenshot(page, "questions-import-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel 导入模板").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "题目导入模板.xlsx"
    fill_template(template, tmp_path / "题库.xlsx", BAD_ANSWER)

    upload(page, tmp_path / "题库.xlsx")
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("发现 1 个问题，涉及 1 道题")
    expect(problems).to_contain_text("第6行「答案」：多选题至少要有 2 个答案（现有 1 个）")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert_fits_width(page)
    screenshot(page, "questions-import-bad-row")

    fill_template(template, tmp_path / "题库.xlsx", GOOD_ANSWER)
    upload(page, tmp_path / "题库.xlsx")
    counts = page.locator("#import-counts")
    for count in ("共 5 道题", "多选题 2", "填空题 1"):
        expect(counts).to_contain_text(count)
    assert_fits_width(page)
    screenshot(page, "questions-import-preview")
    page.get_by_label("导入为").select_option("draft")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("alert")).to_contain_text("已新增 5 道")

    page.get_by_placeholder("搜索题干").fill(MARK)
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("main")).to_contain_text("共 5 道题")
    page.get_by_label("全选本页").check()
    assert_fits_width(page)
    screenshot(page, "questions-list-drafts")
    page.get_by_role("button", name="发布所选").click()
    expect(page.get_by_role("alert")).to_contain_text("已发布 5 道题")
    assert_fits_width(page)
    screenshot(page, "questions-list-published")
    with live_server.app.app_context():
        statuses = db.session.scalars(select(Question.status).where(Question.key.like("E2E-Q-%"))).all()
    assert sorted(statuses) == ["published"] * 5

    page.get_by_label("状态").select_option("published")
    page.get_by_role("button", name="筛选").click()
    page.locator(".question-row", has_text="window.e2eInjected").get_by_role("link", name="预览").click()
    stem = page.locator(".member-question .question-stem")
    expect(stem).to_have_text(SCRIPT_STEM)
    expect(page.get_by_text("<b>发展经济</b>")).to_be_visible()
    assert page.evaluate("() => window.e2eInjected") is None
    expect(page.locator("main script")).to_have_count(0)
    assert dialogs == []
    assert_fits_width(page)
    screenshot(page, "questions-member-preview")


def test_admin_writes_a_question_and_files_it_in_a_new_category(phone_page, live_server, screenshot):
    page = phone_page
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(live_server.url + "/admin/questions/categories")
    page.get_by_label("新分类").fill("旅程分类/会议")
    page.get_by_role("button", name="添加").click()
    expect(page.locator('[data-category-path="旅程分类/会议"]')).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "questions-categories")

    page.goto(live_server.url + "/admin/questions/new")
    expect(page.locator("#question-options")).to_be_visible()
    page.get_by_label("题型").select_option("judge")
    expect(page.locator("#question-options")).to_be_hidden()  # judge questions have no options
    page.get_by_label("题干").fill(MARK + "古田会议确立了思想建党、政治建军的原则。")
    page.get_by_label("答案").fill("也许")
    page.get_by_label("分类").fill("旅程分类/会议")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#question-form")).to_contain_text("判断题的答案「也许」应为")
    assert_fits_width(page)
    screenshot(page, "questions-editor-error")
    page.get_by_label("答案").fill("对")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存题目")
    expect(page.get_by_role("button", name="正确")).to_be_visible()
    with live_server.app.app_context():
        question = db.session.scalar(select(Question).where(Question.stem.contains("古田会议")))
        assert (question.answer, question.category.path, question.status) == (True, "旅程分类/会议", "draft")

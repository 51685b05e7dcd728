"""The import pages: upload -> preview -> (column mapping) -> confirm, the template and web export."""
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from question_bank.readers import read_questions
from quizapp.extensions import db
from quizapp.models import Question
from tests.questions.conftest import GOOD_ROWS, counts, xlsx

EMPTY = {"question": 0, "category": 0, "source": 0}
BAD_ROW = ["多选题", "只有一个答案的多选题？", "甲", "乙", "", "", "A", "", "", "", "", "", "", "T-9"]


def upload(client, data: bytes, name: str = "题库.xlsx"):
    """Upload a file; returns the preview page's URL."""
    response = client.post("/admin/questions/import", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def token_of(url: str) -> str:
    return re.search(r"/import/([^/?]+)", url).group(1)


def test_preview_shows_counts_and_writes_nothing(admin_client):
    page = admin_client.get(upload(admin_client, xlsx(*GOOD_ROWS))).get_data(as_text=True)
    assert "共 4 道题" in page
    for label in ("单选题 1", "多选题 1", "判断题 1", "填空题 1"):
        assert label in page
    assert "将新建分类：党史、党史/新时代、党史/新民主主义革命时期" in page and "确认导入" in page
    assert counts() == EMPTY


def test_preview_lists_every_problem_with_row_and_reason_and_offers_a_new_upload(admin_client):
    page = admin_client.get(upload(admin_client, xlsx(*GOOD_ROWS, BAD_ROW))).get_data(as_text=True)
    assert "发现 1 个问题，涉及 1 道题" in page
    assert "第6行「答案」</span>：多选题至少要有 2 个答案（现有 1 个）" in page
    assert "确认导入" not in page and "上传修改后的文件" in page
    assert "导入 4 道有效题目，跳过 1 道有问题的题" in page
    assert counts() == EMPTY


def test_confirm_imports_the_file_kept_on_the_server_in_one_go(admin_client, admin, app, tmp_path):
    data = xlsx(*GOOD_ROWS)
    preview = upload(admin_client, data)
    token = token_of(preview)
    assert (tmp_path / "instance" / "imports" / f"{token}.upload").read_bytes() == data
    response = admin_client.post(f"/admin/questions/import/{token}/confirm",
                                 data={"on_duplicate": "skip", "status": "draft"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已新增 4 道" in page and response.request.args["status"] == "draft"
    assert {q.status for q in db.session.scalars(select(Question))} == {"draft"}
    assert {q.created_by_id for q in db.session.scalars(select(Question))} == {admin.id}
    assert Path(app.instance_path) == tmp_path / "instance"
    assert not list((tmp_path / "instance" / "imports").glob(f"{token}.*"))
    again = admin_client.get(preview, follow_redirects=True).get_data(as_text=True)
    assert "导入文件已过期或不存在，请重新上传" in again


def test_confirm_of_a_bad_file_writes_nothing(admin_client):
    token = token_of(upload(admin_client, xlsx(*GOOD_ROWS, BAD_ROW)))
    response = admin_client.post(f"/admin/questions/import/{token}/confirm", data={"on_duplicate": "skip"},
                                 follow_redirects=True)
    assert "共 1 个问题，未导入任何题目" in response.get_data(as_text=True)
    assert counts() == EMPTY


@pytest.mark.parametrize("choice, explanation", [("skip", "中共一大在上海开幕。"), ("update", "新的解析")])
def test_duplicates_are_shown_and_skipped_or_updated(admin_client, choice, explanation):
    token = token_of(upload(admin_client, xlsx(*GOOD_ROWS)))
    admin_client.post(f"/admin/questions/import/{token}/confirm", data={"on_duplicate": "skip"})
    changed = GOOD_ROWS[0][:7] + ["新的解析"] + GOOD_ROWS[0][8:]
    preview = upload(admin_client, xlsx(changed))
    page = admin_client.get(preview).get_data(as_text=True)
    assert "重复的题目 1 道" in page and "第2行：编号相同（T-001）" in page and "更新重复题" in page
    admin_client.post(f"/admin/questions/import/{token_of(preview)}/confirm", data={"on_duplicate": choice})
    assert db.session.scalar(select(Question.explanation).where(Question.key == "T-001")) == explanation
    assert counts()["question"] == 4


def test_unrecognised_headers_get_a_mapping_step(admin_client):
    data = xlsx(["单选题", "题干？", "甲", "乙", "B"], header=["题型", "试题正文", "A", "B", "标答"])
    preview = upload(admin_client, data, "外部.xlsx")
    page = admin_client.get(preview).get_data(as_text=True)
    assert "有 2 列（字段）无法识别，不会导入" in page and "「试题正文」<span class=\"badge text-bg-warning ms-1\">未识别" in page
    assert "缺少「题干」列" in page
    token = token_of(preview)
    mapped = admin_client.post(f"/admin/questions/import/{token}/mapping",
                               data={"header": ["试题正文", "标答"], "target": ["stem", "answer"]},
                               follow_redirects=True).get_data(as_text=True)
    assert "共 1 道题" in mapped and "确认导入" in mapped and "无法识别" not in mapped
    admin_client.post(f"/admin/questions/import/{token}/confirm", data={"on_duplicate": "skip"})
    assert db.session.scalar(select(Question.answer)) == ["B"]


def test_an_ignored_column_stays_listed_as_ignored(admin_client):
    data = xlsx(["单选题", "题干？", "甲", "乙", "B", "备注"], header=["题型", "题干", "A", "B", "答案", "备注"])
    preview = upload(admin_client, data)
    assert "「备注」<span class=\"badge text-bg-warning ms-1\">未识别" in admin_client.get(preview).get_data(as_text=True)
    page = admin_client.post(f"/admin/questions/import/{token_of(preview)}/mapping",
                             data={"header": ["备注"], "target": ["ignore"]}, follow_redirects=True)
    assert "「备注」<span class=\"badge text-bg-warning ms-1\">忽略" in page.get_data(as_text=True)
    assert "无法识别，不会导入" not in page.get_data(as_text=True)


@pytest.mark.parametrize("token", ["short", "A" * 32, "..." + "a" * 30])
def test_unknown_tokens_send_back_to_the_upload_page(admin_client, token):
    response = admin_client.get(f"/admin/questions/import/{token}", follow_redirects=True)
    assert response.request.path == "/admin/questions/import"
    assert "导入文件已过期或不存在" in response.get_data(as_text=True)


def test_another_admins_upload_is_not_reachable(client, login, make_user):
    first, second = make_user(role="admin"), make_user(role="admin")
    login(first)
    preview = upload(client, xlsx(*GOOD_ROWS))
    client.post("/logout")
    login(second)
    token = token_of(preview)
    refused = client.post(f"/admin/questions/import/{token}/confirm", data={"on_duplicate": "skip"},
                          follow_redirects=True)
    assert "导入文件已过期或不存在" in refused.get_data(as_text=True)
    assert counts() == EMPTY


@pytest.mark.parametrize("data, name, message", [
    (b"", "题库.xlsx", "文件是空的"),
    (b"hello", "题库.xlsx", "不是有效的 .xlsx 文件"),
    (b"%PDF", "题库.pdf", "不支持的文件类型"),
])
def test_bad_uploads_are_explained_on_the_preview(admin_client, data, name, message):
    page = admin_client.get(upload(admin_client, data, name)).get_data(as_text=True)
    assert message in page and "未导入任何题目" in page
    assert counts() == EMPTY


@pytest.mark.parametrize("app_config", [{"IMPORT_MAX_BYTES": 3000}], indirect=True)
def test_the_configured_size_limit_applies_to_uploads(admin_client):
    page = admin_client.get(upload(admin_client, xlsx(*GOOD_ROWS))).get_data(as_text=True)
    assert "文件太大" in page and "未导入任何题目" in page
    assert counts() == EMPTY


def test_upload_without_a_file_is_refused(admin_client):
    page = admin_client.post("/admin/questions/import", data={}, content_type="multipart/form-data")
    assert "请选择要导入的文件" in page.get_data(as_text=True)


def test_html_in_a_file_is_escaped_on_the_preview(admin_client):
    bad_type = ["<script>alert(1)</script>", "题干？", "甲", "乙", "", "", "A", "", "", "", "", "", "", ""]
    page = admin_client.get(upload(admin_client, xlsx(bad_type))).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_template_download_is_a_valid_importable_workbook(admin_client):
    response = admin_client.get("/admin/questions/import/template.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    result = read_questions(response.data, "模板.xlsx")
    assert result.ok and sorted(result.counts_by_type()) == ["fill", "judge", "multiple", "single"]


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_web_export_follows_the_filters(admin_client, make_question, kind):
    make_question(key="PUB", status="published")
    make_question(key="DRAFT", status="draft")
    response = admin_client.get(f"/admin/questions/export.{kind}?status=draft")
    assert [d.key for d in read_questions(response.data, f"x.{kind}").drafts] == ["DRAFT"]


def test_preview_shows_the_bank_health_report_of_the_file(admin_client):
    """Thirty singles all keyed A: the preview warns that the key position can be guessed."""
    rows = [["单选题", f"第{n}题：党的根本宗旨是什么？", "全心全意为人民服务", "发展经济", "扩大开放", "改革创新",
             "A", "", "易", "", "", "", "", f"H-{n}"] for n in range(1, 31)]
    page = admin_client.get(upload(admin_client, xlsx(*rows))).get_data(as_text=True)
    assert 'id="health-report"' in page and "题库体检" in page
    assert "H-1、" in page  # the warning names the questions
    healthy = admin_client.get(upload(admin_client, xlsx(*GOOD_ROWS))).get_data(as_text=True)
    assert "未发现问题" in healthy

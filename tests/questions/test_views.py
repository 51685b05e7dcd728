"""The 题库管理 pages through the test client: list, editor, preview, bulk status, categories."""
import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Category, Question
from quizapp.services.bank.questions import ensure_category
from tests.questions.conftest import counts

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"

PAGES = ["/admin/questions/", "/admin/questions/new", "/admin/questions/1/edit", "/admin/questions/1/preview",
         "/admin/questions/categories", "/admin/questions/import", "/admin/questions/import/template.xlsx",
         "/admin/questions/export.json"]


@pytest.mark.parametrize("url", PAGES)
def test_members_are_refused_and_visitors_sent_to_login(client, login, make_user, make_question, url):
    make_question()
    assert client.get(url).status_code == 302
    login(make_user(role="secretary"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_open(admin_client, make_question, url):
    make_question()
    assert admin_client.get(url).status_code == 200


def test_list_searches_filters_and_pages(admin_client, make_question):
    for number in range(25):
        make_question(stem=f"分页题{number:02d}？")
    make_question(stem="遵义会议是转折点。", type="judge", options=[], answer=True, status="draft")
    first = admin_client.get("/admin/questions/").get_data(as_text=True)
    assert "共 26 道题" in first and "遵义会议" in first and "分页题05" not in first
    second = admin_client.get("/admin/questions/?page=2").get_data(as_text=True)
    assert "分页题05" in second and "遵义会议" not in second
    found = admin_client.get("/admin/questions/?q=遵义&type=judge&status=draft").get_data(as_text=True)
    assert "共 1 道题" in found
    assert "共 0 道题" in admin_client.get("/admin/questions/?q=遵义&type=single").get_data(as_text=True)


def test_list_filters_by_category_subtree(admin_client, make_question):
    make_question(stem="百年奋斗题？", category_id=ensure_category("党史/百年奋斗").id)
    make_question(stem="其他题？", category_id=ensure_category("其他").id)
    page = admin_client.get("/admin/questions/?category=党史").get_data(as_text=True)
    assert "百年奋斗题" in page and "其他题" not in page


@pytest.mark.parametrize("url", ["/admin/questions/", "/admin/questions/1/preview", "/admin/questions/1/edit"])
def test_html_in_stems_and_options_is_escaped(admin_client, make_question, url):
    make_question(stem=SCRIPT + "党的宗旨？", options=["<b>粗</b>", SCRIPT], explanation=SCRIPT)
    page = admin_client.get(url).get_data(as_text=True)
    assert ESCAPED in page
    assert SCRIPT not in page and "<b>粗</b>" not in page


def test_fill_preview_puts_a_box_in_every_blank_and_escapes_the_text(admin_client, make_question):
    question = make_question(type="fill", stem=SCRIPT + "为人民谋（　），为民族谋（　）。", options=[],
                             answer=[["幸福"], ["复兴"]])
    page = admin_client.get(f"/admin/questions/{question.id}/preview").get_data(as_text=True)
    assert page.count('class="form-control d-inline-block fill-blank') == 2
    assert ESCAPED in page and SCRIPT not in page
    assert "第1空：幸福；第2空：复兴" in page


GOOD_FORM = {"type": "single", "status": "draft", "stem": "党的根本宗旨是（　）。", "option_a": "全心全意为人民服务",
             "option_b": "发展经济", "answer": "A", "difficulty": "1", "category": "党史/宗旨", "tags": "宗旨 根本",
             "source": "0", "key": "", "explanation": "", "quote": ""}


def test_create_saves_a_valid_question(admin_client, admin):
    response = admin_client.post("/admin/questions/new", data=GOOD_FORM)
    question = db.session.scalar(select(Question))
    assert response.status_code == 302 and response.location.endswith(f"/admin/questions/{question.id}/preview")
    assert (question.answer, question.tags, question.category.path) == (["A"], ["宗旨", "根本"], "党史/宗旨")
    assert question.key.startswith("q") and 0 <= question.draw_key < 1
    assert question.created_by_id == admin.id


@pytest.mark.parametrize("changes, message", [
    ({"answer": ""}, "缺少答案"),
    ({"stem": ""}, "题干为空"),
    ({"answer": "C"}, "C 不在选项中"),
    ({"type": "multiple"}, "多选题至少要有 2 个答案"),
    ({"option_b": "全心全意为人民服务"}, "与选项A重复"),
    ({"type": "judge", "answer": "也许"}, "判断题的答案「也许」"),
    ({"type": "judge", "answer": "对"}, "判断题不应有选项"),
    ({"type": "fill", "option_a": "", "option_b": "", "answer": "人民；历史"}, "题干有 1 个空，答案却有 2 个"),
    ({"difficulty": "9"}, "无法识别「9」"),
    ({"category": "党史/" + "长" * 120}, "太长"),
])
def test_create_shows_the_import_validators_message_and_saves_nothing(admin_client, changes, message):
    page = admin_client.post("/admin/questions/new", data={**GOOD_FORM, **changes}).get_data(as_text=True)
    assert message in page
    assert counts() == {"question": 0, "category": 0, "source": 0}


def test_create_refuses_an_existing_stem(admin_client, make_question):
    make_question(stem="党的根本宗旨是（ ）。", normalised_stem="党的根本宗旨是")
    page = admin_client.post("/admin/questions/new", data=GOOD_FORM).get_data(as_text=True)
    assert "题库中已有题干相同的单选题" in page
    assert counts()["question"] == 1


def test_edit_shows_the_question_and_saves_changes(admin_client, make_question):
    question = make_question(type="fill", stem="谋（　）谋（　）", options=[], answer=[["幸福", "幸福生活"], ["复兴"]])
    form_page = admin_client.get(f"/admin/questions/{question.id}/edit").get_data(as_text=True)
    assert 'value="幸福/幸福生活；复兴"' in form_page
    assert '<option selected value="fill">' in form_page and '<option selected value="published">' in form_page
    data = {**GOOD_FORM, "type": "fill", "stem": "谋（　）谋（　）", "option_a": "", "option_b": "",
            "answer": "幸福；复兴/民族复兴", "key": question.key}
    assert admin_client.post(f"/admin/questions/{question.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert question.answer == [["幸福"], ["复兴", "民族复兴"]] and question.status == "draft"


def test_edit_refuses_another_questions_key(admin_client, make_question):
    one, other = make_question(), make_question()
    data = {**GOOD_FORM, "key": other.key}
    assert "已被另一道题使用" in admin_client.post(f"/admin/questions/{one.id}/edit", data=data).get_data(as_text=True)
    db.session.expire_all()
    assert one.key != other.key


@pytest.mark.parametrize("action, status, verb", [("publish", "published", "发布"), ("retire", "retired", "停用"),
                                                  ("draft", "draft", "退回草稿")])
def test_bulk_status(admin_client, make_question, action, status, verb):
    chosen = [make_question(status="published" if action != "publish" else "draft") for _ in range(2)]
    untouched = make_question(status="published" if action != "publish" else "draft")
    response = admin_client.post("/admin/questions/bulk", data={"action": action, "ids": [q.id for q in chosen],
                                                                "back": "/admin/questions/?status=draft"},
                                 follow_redirects=True)
    assert f"已{verb} 2 道题" in response.get_data(as_text=True)
    assert response.request.path == "/admin/questions/" and response.request.args["status"] == "draft"
    db.session.expire_all()
    assert [q.status for q in chosen] == [status, status] and untouched.status != status
    assert counts()["question"] == 3


@pytest.mark.parametrize("data, expected", [
    ({"action": "publish"}, "请先选择题目"),
    ({"action": "delete", "ids": ["1"]}, None),
])
def test_bulk_refuses_nothing_chosen_or_unknown_actions(admin_client, make_question, data, expected):
    make_question()
    response = admin_client.post("/admin/questions/bulk", data=data, follow_redirects=True)
    if expected:
        assert expected in response.get_data(as_text=True)
    else:
        assert response.status_code == 400


def test_bulk_never_redirects_off_site(admin_client, make_question):
    question = make_question()
    response = admin_client.post("/admin/questions/bulk", data={"action": "retire", "ids": [question.id],
                                                                "back": "https://evil.example/"})
    assert response.location.endswith("/admin/questions/")


def test_categories_create_rename_and_move(admin_client):
    admin_client.post("/admin/questions/categories", data={"path": "党史/百年奋斗"})
    admin_client.post("/admin/questions/categories", data={"path": "学习"})
    ids = {c.path: c.id for c in db.session.scalars(select(Category))}
    admin_client.post(f"/admin/questions/categories/{ids['党史']}/rename", data={"name": "中共党史"})
    admin_client.post(f"/admin/questions/categories/{ids['党史/百年奋斗']}/move", data={"parent": ids["学习"]})
    page = admin_client.get("/admin/questions/categories").get_data(as_text=True)
    assert sorted(db.session.scalars(select(Category.path))) == ["中共党史", "学习", "学习/百年奋斗"]
    assert 'data-category-path="学习/百年奋斗"' in page


@pytest.mark.parametrize("url, data, message", [
    ("/admin/questions/categories", {"path": "党史"}, "分类「党史」已存在"),
    ("rename", {"name": "a/b"}, "不能含有"),
    ("rename", {"name": ""}, "请填写新名称"),
    ("move", {"parent": "self"}, "不能把分类"),
])
def test_category_mistakes_are_explained(admin_client, url, data, message):
    category = ensure_category("党史")
    db.session.commit()
    if url in ("rename", "move"):
        url = f"/admin/questions/categories/{category.id}/{url}"
    data = {key: (category.id if value == "self" else value) for key, value in data.items()}
    page = admin_client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert message in page
    assert list(db.session.scalars(select(Category.path))) == ["党史"]

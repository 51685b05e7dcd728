import io
import zipfile

import pytest
from docx import Document

from quizapp.extensions import db
from quizapp.models import Source
from quizapp.services import sources
from quizapp.services.sources import SourceError

TEXT = "中国共产党百年奋斗的历史经验\n坚持党的领导。\n坚持人民至上，\n始终把人民放在心中最高位置。\n\n坚持理论创新。"


@pytest.fixture
def source(app):
    return sources.create_source("每周一学", TEXT, section="每周一学", articles=["中国共产党百年奋斗的历史经验"])


@pytest.mark.parametrize("text, quote, expected", [
    ("甲乙丙丁", "乙丙", (1, 3)),
    ("甲 乙\n丙丁", "乙丙", (2, 5)),  # whitespace and line breaks aside
    ("甲乙丙丁", "乙 丙", (1, 3)),
    ("甲乙丙丁", "戊", (-1, -1)),
    ("甲乙丙丁", "", (-1, -1)),
])
def test_find_passage(text, quote, expected):
    assert sources.find_passage(text, quote) == expected


def test_layout_marks_headings_and_the_quoted_passage(source):
    blocks = sources.layout(source, "坚持人民至上，始终把人民放在心中最高位置。")
    assert [block.kind for block in blocks] == ["heading", "paragraph", "paragraph", "paragraph", "paragraph"]
    marked = [text for block in blocks for text, is_marked in block.runs if is_marked]
    assert marked == ["坚持人民至上，", "始终把人民放在心中最高位置。"]
    assert [block.anchor for block in blocks] == [False, False, True, False, False]


def test_layout_marks_part_of_a_line(source):
    blocks = sources.layout(source, "人民至上")
    assert blocks[2].runs == [("坚持", False), ("人民至上", True), ("，", False)]


def test_guess_headings_of_a_pasted_text():
    text = ("★坚持人民至上\n这是正文，比较长的一句话。\n新发展理念\n创新是引领发展的第一动力。\n"
            "1.理论联系实际\n②密切联系群众\n（三）批评与自我批评\n四、坚持自我革命")
    assert sources.guess_headings(text) == ["★坚持人民至上", "新发展理念"]


@pytest.mark.parametrize("data, filename, expected", [
    ("学习材料".encode("utf-8"), "a.txt", "学习材料"),
    ("\ufeff学习材料".encode("utf-8"), "a.txt", "学习材料"),
    ("学习材料".encode("gb18030"), "a.TXT", "学习材料"),
    ("学习材料".encode("utf-16"), "a.txt", "学习材料"),
])
def test_read_upload_text(data, filename, expected):
    assert sources.read_upload(data, filename) == expected


def test_read_upload_docx():
    document = Document()
    document.add_paragraph("第一段")
    document.add_paragraph("第二段")
    stream = io.BytesIO()
    document.save(stream)
    assert sources.read_upload(stream.getvalue(), "学习.docx") == "第一段\n第二段"


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("data, filename, message", [
    (b"not a zip", "a.docx", "不是有效的 .docx 文件"),
    (b"PK\x03\x04garbage", "a.docx", "Word 文件已损坏"),
    (zip_bomb(), "a.docx", "压缩比高达"),
    (b"\x80\xff\xfa", "a.txt", "无法识别文件编码"),
    (b"x", "a.pdf", "格式不支持"),
    (b"x" * (sources.MAX_SOURCE_BYTES + 1), "a.txt", "超过"),
])
def test_read_upload_refuses_bad_files(data, filename, message):
    with pytest.raises(SourceError, match=message):
        sources.read_upload(data, filename)


@pytest.mark.parametrize("title, text", [("", "正文"), ("标题", "   ")])
def test_create_source_requires_title_and_text(app, title, text):
    with pytest.raises(SourceError):
        sources.create_source(title, text)
    assert db.session.query(Source).count() == 0


def test_reading_page_highlights_a_published_question(client, login, make_user, make_question, source):
    question = make_question(source_id=source.id, quote="坚持理论创新。")
    login(make_user())
    body = client.get(f"/sources/{source.id}?highlight={question.id}").get_data(as_text=True)
    assert '<p class="source-paragraph" id="passage"><mark class="source-highlight">坚持理论创新。</mark></p>' in body
    assert '<h2 class="h5 mt-4 text-party">中国共产党百年奋斗的历史经验</h2>' in body


def test_reading_page_ignores_drafts_and_other_sources_for_members(client, login, make_user, make_question, source):
    other = sources.create_source("另一篇", "坚持理论创新。")
    draft = make_question(source_id=source.id, quote="坚持理论创新。", status="draft")
    elsewhere = make_question(source_id=other.id, quote="坚持理论创新。")
    login(make_user())
    for question in (draft, elsewhere):
        body = client.get(f"/sources/{source.id}?highlight={question.id}").get_data(as_text=True)
        assert "source-highlight" not in body


def test_list_marks_weekly_study(client, login, make_user, source):
    sources.create_source("党建", "正文内容。", section="党建")
    login(make_user())
    body = client.get("/sources/").get_data(as_text=True)
    assert body.count("badge bg-party") == 1


def test_admin_adds_a_source_by_upload(client, login, make_user):
    login(make_user(role="admin"))
    data = {"title": "新材料", "section": "每周一学", "text": "",
            "upload": (io.BytesIO("★新发展理念\n创新、协调、绿色、开放、共享。".encode("gb18030")), "新.txt")}
    response = client.post("/sources/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    source = db.session.query(Source).one()
    assert source.text.startswith("★新发展理念") and source.articles == ["★新发展理念"]


@pytest.mark.parametrize("role, status", [("member", 403), ("secretary", 403), ("admin", 200)])
def test_only_admins_add_sources(client, login, make_user, role, status):
    login(make_user(role=role))
    assert client.get("/sources/new").status_code == status


def test_unknown_source_is_404(client, login, make_user):
    login(make_user())
    assert client.get("/sources/999").status_code == 404

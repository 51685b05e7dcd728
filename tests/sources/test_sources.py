import io
import zipfile

import pytest
from docx import Document

from quizapp.extensions import db
from quizapp.models import Source
from quizapp.services.bank import sources
from quizapp.services.bank.sources import SourceError

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
    (b"x", "a.pdf", "不是有效的 PDF"),
    (b"x", "a.rtf", "格式不支持"),
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
    assert '<h2 class="source-heading">中国共产党百年奋斗的历史经验</h2>' in body


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


def _pdf(stream: bytes) -> bytes:
    """A one-page PDF whose page draws ``stream`` (written here, offsets computed)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_read_upload_markdown_and_pdf_text_layer():
    assert sources.read_upload("# 标题\n正文".encode(), "学习.md") == "# 标题\n正文"
    text = sources.read_upload(_pdf(b"BT /F1 12 Tf 20 100 Td (Study text 2024) Tj ET"), "a.pdf")
    assert text == "Study text 2024"


def test_a_pdf_without_a_text_layer_is_refused_with_the_reason():
    with pytest.raises(SourceError, match="没有可复制的文字"):
        sources.read_upload(_pdf(b"0 0 m 10 10 l S"), "扫描件.pdf")


LISTED = ("坚持党的领导的重要意义\n党的十九届六中全会总结了十条历史经验：\n- 1.坚持党的领导\n- 2.坚持人民至上\n"
          "- 3.坚持理论创新\n要点如下：\n• 学思想\n• 强党性\n## 小结\n以史为鉴，开创未来。")


def test_layout_follows_the_text_as_written(app):
    source = sources.create_source("每周一学", LISTED)
    blocks = sources.layout(source, "")
    assert [block.kind for block in blocks] == ["heading", "paragraph", "list", "paragraph", "list", "heading",
                                                "paragraph"]
    numbered, bulleted = blocks[2], blocks[4]
    assert [runs[0][0] for runs in numbered.items] == ["1.坚持党的领导", "2.坚持人民至上", "3.坚持理论创新"]
    assert not numbered.bullets  # the text's own numbers, no "- " and no extra bullet
    assert [runs[0][0] for runs in bulleted.items] == ["学思想", "强党性"] and bulleted.bullets
    assert blocks[5].runs == [("小结", False)]
    assert "- 1.坚持党的领导" not in source.articles


def test_a_quote_across_list_items_is_marked_in_each(app):
    source = sources.create_source("每周一学", LISTED)
    blocks = sources.layout(source, "1.坚持党的领导\n- 2.坚持人民至上")  # verbatim from the text
    numbered = blocks[2]
    assert numbered.anchor and numbered.items[0] == [("1.坚持党的领导", True)]
    assert numbered.items[1] == [("2.坚持人民至上", True)] and numbered.items[2] == [("3.坚持理论创新", False)]


def test_the_source_page_renders_lists_as_lists(client, login, make_user):
    source = sources.create_source("每周一学", LISTED)
    login(make_user())
    page = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert '<ol class="source-list list-unstyled ps-3">' in page and "<li>1.坚持党的领导</li>" in page
    assert "<li>学思想</li>" in page and "- 1." not in page and "• " not in page
    assert '<h2 class="source-heading">小结</h2>' in page

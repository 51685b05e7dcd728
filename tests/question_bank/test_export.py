import dataclasses
import io
import json

import openpyxl
import pytest

from question_bank.draft import QuestionDraft, SourceRef
from question_bank.export import TEMPLATE_EXAMPLES, write_json, write_template, write_xlsx
from question_bank.readers import read_questions

SOURCE = SourceRef(title="人民日报", file="rmrb.txt", section="第一版", date="2021-07-01")
DRAFTS = [
    QuestionDraft(type="single", stem="中共一大在（　）开幕。", options=["北京", "上海", "广州"], answer=["B"],
                  explanation="在上海。", difficulty=1, category="党史/建党", tags=["一大", "建党"],
                  source=SOURCE, quote="中国共产党第一次全国代表大会在上海召开。", key="q-1"),
    QuestionDraft(type="multiple", stem="<script>alert('x')</script>三大法宝是<b>哪些</b>？",
                  options=["=统一战线", "+武装斗争", "-党的建设", "@土地革命"], answer=["A", "B", "C"],
                  explanation="多行解析\n第二行", difficulty=3, status="draft", key="q-2"),
    QuestionDraft(type="judge", stem="=1+1 遵义会议是转折点。", answer=False, tags=["遵义会议"],
                  source=SourceRef(title="党史"), status="retired", key="q-3"),
    QuestionDraft(type="fill", stem="为（　）服务，做到（　）。", answer=[["人民", "人民群众"], ["不可或缺"]],
                  category="党史/初心", quote="全心全意为人民服务", key="q-4"),
]


def without_origin(drafts):
    return [dataclasses.replace(d, origin_file="", origin_row=0) for d in drafts]


@pytest.mark.parametrize("writer, filename", [(write_xlsx, "题库.xlsx"), (write_json, "题库.json")])
def test_export_then_read_gives_identical_drafts(writer, filename):
    buffer = io.BytesIO()
    writer(DRAFTS, buffer)
    result = read_questions(buffer.getvalue(), filename)
    assert result.errors == []
    assert without_origin(result.drafts) == DRAFTS


@pytest.mark.parametrize("writer, filename", [(write_xlsx, "题库.xlsx"), (write_json, "题库.json")])
def test_export_to_a_path(tmp_path, writer, filename):
    path = tmp_path / filename
    writer(DRAFTS, path)
    assert without_origin(read_questions(path, filename).drafts) == DRAFTS


def test_json_to_a_text_stream_and_its_shape():
    stream = io.StringIO()
    write_json(DRAFTS[:1], stream)
    payload = json.loads(stream.getvalue())
    assert (payload["format"], payload["version"]) == ("quizapp-questions", 1)
    assert payload["questions"][0] == {
        "key": "q-1", "type": "single", "stem": "中共一大在（　）开幕。", "options": ["北京", "上海", "广州"],
        "answer": ["B"], "explanation": "在上海。", "difficulty": 1, "category": "党史/建党", "tags": ["一大", "建党"],
        "status": "published", "source": {"title": "人民日报", "file": "rmrb.txt", "section": "第一版",
                                          "date": "2021-07-01"},
        "quote": "中国共产党第一次全国代表大会在上海召开。"}


def exported_sheet():
    buffer = io.BytesIO()
    write_xlsx(DRAFTS, buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active


def test_xlsx_header_widths_and_values():
    sheet = exported_sheet()
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["题型", "题干", "选项A"] and header[-3:] == ["原文摘录", "编号", "状态"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["B"].width == 50 and sheet.freeze_panes == "A2"
    values = {header[i]: cell.value for i, cell in enumerate(sheet[2])}
    assert values == {**values, "题型": "单选题", "答案": "B", "难度": "易", "标签": "一大，建党",
                      "出处": "人民日报｜第一版｜2021-07-01｜rmrb.txt", "状态": "已发布"}
    assert sheet["K5"].value == "人民/人民群众；不可或缺/"


def test_formula_like_text_is_stored_as_text():
    sheet = exported_sheet()
    risky = [cell for row in sheet.iter_rows(min_row=2) for cell in row
             if isinstance(cell.value, str) and cell.value[:1] in "=+-@"]
    assert sorted(cell.value for cell in risky) == ["+武装斗争", "-党的建设", "=1+1 遵义会议是转折点。", "=统一战线",
                                                   "@土地革命"]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)


def template_workbook():
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue(), openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def test_template_sheets_and_instructions():
    _, workbook = template_workbook()
    assert workbook.sheetnames == ["题目", "说明"]
    notes = [row[0] for row in workbook["说明"].iter_rows(values_only=True)]
    assert notes[0] == "填写说明" and any("题型" in note for note in notes)
    header = [cell.value for cell in workbook["题目"][1]]
    assert header == ["题型", "题干", *(f"选项{c}" for c in "ABCDEFGH"), "答案", "解析", "难度", "分类", "标签",
                      "出处", "原文摘录", "编号"]


def test_template_has_type_and_difficulty_drop_downs():
    _, workbook = template_workbook()
    validations = {str(dv.sqref): dv.formula1 for dv in workbook["题目"].data_validations.dataValidation}
    assert validations == {"A2:A20001": '"单选题,多选题,判断题,填空题"', "M2:M20001": '"易,中,难"'}


def test_template_examples_read_back_as_one_valid_question_per_type():
    data, _ = template_workbook()
    result = read_questions(data, "导入模板.xlsx")
    assert result.errors == []
    assert result.counts_by_type() == {"single": 1, "multiple": 1, "judge": 1, "fill": 1}
    assert without_origin(result.drafts) == TEMPLATE_EXAMPLES

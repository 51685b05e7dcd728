"""JSON and JavaScript banks exported by other apps (fixtures written for these tests)."""
import json

import pytest

from question_bank.readers import read_questions
from question_bank.readers.headers import field_for_header


def read(payload, filename="题库.json"):
    data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return read_questions(data, filename)


def summary(result):
    return [(d.type, d.stem, d.options, d.answer) for d in result.drafts]


def test_array_with_english_fields_options_as_strings_and_objects():
    result = read([
        {"id": 7, "content": "中共一大在（ ）召开。", "options": ["北京", "上海", "广州"], "answer": "B",
         "analysis": "在上海召开", "chapter": "党史", "score": 2},
        {"id": 8, "content": "下列属于四个自信的是", "answer": ["A", "B"],
         "options": [{"key": "A", "value": "道路自信"}, {"key": "B", "value": "理论自信"}, {"key": "C", "value": "经济自信"}]},
    ])
    assert result.errors == []
    assert summary(result) == [
        ("single", "中共一大在（ ）召开。", ["北京", "上海", "广州"], ["B"]),
        ("multiple", "下列属于四个自信的是", ["道路自信", "理论自信", "经济自信"], ["A", "B"])]
    assert result.drafts[0].explanation == "在上海召开" and result.drafts[0].category == "党史"
    assert result.drafts[0].key == ""  # a running number of the other app is no stable key
    assert result.unknown_headers == ["score"]
    assert result.field_map == {"id": "key", "content": "stem", "options": "options", "answer": "answer",
                                "analysis": "explanation", "chapter": "category"}
    assert result.found == "JSON 数组，2 条记录，字段 id、content、options、answer、analysis、chapter、score"


def test_options_joined_into_the_stem_and_answer_given_as_option_text():
    result = read({"code": 0, "data": {"total": 3, "list": [
        {"Question": "中共一大在哪里召开？|北京|上海|嘉兴", "Answer": "上海", "Type": "1"},
        {"Question": "三大法宝是？|统一战线|武装斗争|党的建设|土地革命", "Answer": "统一战线|武装斗争|党的建设", "Type": "2"},
        {"Question": "红军长征胜利结束于1936年。", "Answer": "对", "Type": "3"},
    ]}})
    assert result.errors == []
    assert summary(result) == [
        ("single", "中共一大在哪里召开？", ["北京", "上海", "嘉兴"], ["B"]),
        ("multiple", "三大法宝是？", ["统一战线", "武装斗争", "党的建设", "土地革命"], ["A", "B", "C"]),
        ("judge", "红军长征胜利结束于1936年。", [], True)]
    assert "位于 data.list" in result.found


def test_chinese_fields_options_with_letter_markers_and_zero_based_indexes():
    result = read([{"题目": "中共一大在哪里召开？", "选项": "A.北京 B.上海 C.嘉兴", "答案": 2, "题型": "单选题"},
                   {"题目": "第二题", "选项": "A.甲 B.乙 C.丙", "答案": 0, "题型": "单选题"}])
    assert summary(result) == [("single", "中共一大在哪里召开？", ["北京", "上海", "嘉兴"], ["C"]),
                               ("single", "第二题", ["甲", "乙", "丙"], ["A"])]


def test_one_based_indexes_when_an_answer_names_the_last_option():
    result = read([{"q": "甲", "choices": ["x", "y", "z"], "correct": 3},
                   {"q": "乙", "choices": ["x", "y", "z"], "correct": 1}])
    assert [d.answer for d in result.drafts] == [["C"], ["A"]] and result.warnings == []


def test_a_guess_between_zero_and_one_based_is_a_warning():
    result = read([{"q": "甲", "choices": ["x", "y", "z"], "correct": 2}])
    assert result.drafts[0].answer == ["B"]
    assert "按从 1 开始" in result.warnings[0].message


def test_options_as_objects_with_a_correct_flag():
    result = read({"questions": [{"title": "三大作风包括", "items": [
        {"text": "理论联系实际", "isCorrect": True}, {"text": "密切联系群众", "isCorrect": True},
        {"text": "艰苦奋斗", "isCorrect": False}]}]})
    assert summary(result) == [("multiple", "三大作风包括", ["理论联系实际", "密切联系群众", "艰苦奋斗"], ["A", "B"])]


def test_sections_named_by_type():
    result = read({"单选题": [{"题干": "一大在哪里召开？", "选项": ["北京", "上海"], "答案": "B"}],
                   "判断题": [{"题干": "遵义会议是转折点", "答案": "正确"}]})
    assert [d.type for d in result.drafts] == ["single", "judge"]


def test_duplicate_option_texts_and_three_option_rows_are_reported_per_row():
    result = read([{"content": "说法正确的是", "options": ["甲", "乙", "乙"], "answer": "甲"}])
    assert [(e.row, e.field, e.message) for e in result.errors] == [(1, "选项C", "与选项B重复")]


def test_mapping_names_a_field_nobody_recognised():
    data = [{"wenti": "遵义会议是转折点", "daan": "对", "extra": 1}]
    refused = read(data)
    assert "JSON 数组，1 条记录，字段 wenti、daan、extra" in refused.errors[0].message
    assert "题干" in refused.errors[0].message
    mapped = read_questions(json.dumps(data).encode(), "x.json", mapping={"wenti": "stem", "daan": "answer"})
    assert summary(mapped) == [("judge", "遵义会议是转折点", [], True)] and mapped.unknown_headers == ["extra"]


def test_not_a_list_of_questions():
    result = read({"title": "党史", "count": 3})
    assert result.drafts == [] and "没有找到题目列表" in result.errors[0].message


JS_FILES = {
    "vue.js": """export default {
  data() {
    return {
      QuestionList: [
        {title: '中共一大在哪里召开？', options: ['北京', '上海', '嘉兴',], answer: 0, type: 1,},
        {title: "遵义会议是转折点", options: ['是','否'], answer: 0, type: 3},
      ],
    }
  },
}""",
    "window.js": """// 题库数据
window.QUIZ_DATA = {
  title: '党史测验',
  questions: [
    {q: '中共一大在哪里召开？', choices: ['北京', '上海', '嘉兴'], correct: 0},
    {q: '遵义会议是转折点', choices: ['对', '错'], correct: 0,},
  ]
};""",
    "const.js": """const questions = [
  {stem: '中共一大在哪里召开？', options: ['北京', '上海', '嘉兴'], answer: 'A'},
  {stem: '遵义会议是转折点', answer: true},
];
module.exports = questions;""",
}


@pytest.mark.parametrize("name", JS_FILES)
def test_javascript_data_files(name):
    result = read(JS_FILES[name].encode("utf-8"), name)
    assert result.errors == []
    assert summary(result) == [("single", "中共一大在哪里召开？", ["北京", "上海", "嘉兴"], ["A"]),
                               ("judge", "遵义会议是转折点", [], True)]
    assert result.found.startswith("JavaScript")


def test_javascript_saved_as_json_and_a_function_is_never_run():
    text = "[{title: '一大？', options: ['北京', '上海'], answer: 'B', x: alert(1)}]"
    result = read(text.encode("utf-8"), "题库.json")
    assert summary(result) == [("single", "一大？", ["北京", "上海"], ["B"])]


def test_javascript_without_data():
    result = read(b"function f() { return 1 }", "app.js")
    assert "没有找到题目数据" in result.errors[0].message


def test_answers_with_their_option_text_and_judge_answers_as_numbers():
    result = read([{"题干": "一大在哪里召开？", "选项": ["北京", "上海"], "答案": "B. 上海"},
                   {"题干": "遵义会议是转折点", "题型": 3, "答案": 1},
                   {"题干": "一大在北京召开", "题型": "TRUE_FALSE", "答案": "0"}])
    assert result.errors == []
    assert [d.answer for d in result.drafts] == [["B"], True, False]


def test_answers_key_is_the_options_beside_a_correct_answer_key_and_letter_keyed_objects():
    result = read([
        {"question": "遵义会议确立了谁的领导地位？", "answers": {"a": "毛泽东", "b": "周恩来", "c": "朱德"},
         "correctAnswer": "a"},
        {"question": "井冈山会师的是哪两支部队？", "answers": {"a": "朱德部", "b": "毛泽东部", "c": "彭德怀部"},
         "correctAnswer": "a,b"},
    ], "quiz.js")
    assert result.errors == []
    assert summary(result) == [("single", "遵义会议确立了谁的领导地位？", ["毛泽东", "周恩来", "朱德"], ["A"]),
                               ("multiple", "井冈山会师的是哪两支部队？", ["朱德部", "毛泽东部", "彭德怀部"], ["A", "B"])]
    assert result.field_map == {"question": "stem", "correctAnswer": "answer", "answers": "options"}


def test_answers_key_is_the_answer_beside_an_options_key():
    result = read([{"stem": "中共一大在哪里召开？", "answers": "B", "opts": ["北京", "上海"]}])
    assert result.errors == []
    assert summary(result) == [("single", "中共一大在哪里召开？", ["北京", "上海"], ["B"])]
    assert result.field_map == {"stem": "stem", "opts": "options", "answers": "answer"}


def test_answers_of_several_blanks_separated_by_commas_or_spaces():
    result = read([
        {"type": "填空题", "question": "为中国人民谋（ ），为中华民族谋（ ）。", "answer": "幸福，复兴"},
        {"type": "填空题", "question": "全面深化改革、____、____。", "answer": "全面依法治国 全面从严治党"},
        {"type": "填空题", "question": "党的根本宗旨是（ ）。", "answer": "全心全意，为人民服务"},
    ])
    assert [d.answer for d in result.drafts] == [
        [["幸福"], ["复兴"]], [["全面依法治国"], ["全面从严治党"]], [["全心全意，为人民服务"]]]
    assert result.errors == []


def test_commas_that_do_not_give_one_answer_per_blank_are_still_an_error():
    result = read([{"type": "填空题", "question": "谋（ ），谋（ ）。", "answer": "人民，幸福，复兴"}])
    assert [(e.row, e.field, e.message) for e in result.errors] == [
        (1, "答案", "题干有 2 个空，答案却有 1 个（用；分隔各空）")]


def test_fields_stored_as_html_by_a_web_app_are_read_as_their_text():
    result = read({"status": 1, "result": {"rows": [
        {"questionType": "radio", "questionContent": '<p>中共一大在<span style="color:red">哪里</span>召开？</p>',
         "optionList": [{"optionKey": "A", "optionContent": "<p>北京</p>"}, {"optionKey": "B", "optionContent": "上海&nbsp;"}],
         "rightAnswer": "B", "analysis": "<p>上海</p><p>法租界</p>"},
        {"questionType": "fill", "questionContent": "党的根本宗旨是<u>&nbsp;&nbsp;&nbsp;</u>。", "rightAnswer": "为人民服务"},
    ]}})
    assert result.errors == []
    assert summary(result) == [("single", "中共一大在哪里召开？", ["北京", "上海"], ["B"]),
                               ("fill", "党的根本宗旨是（\u3000）。", [], [["为人民服务"]])]
    assert result.drafts[0].explanation == "上海\n法租界"


def test_an_option_object_s_text_under_a_key_of_its_own():
    result = read([{"stem": "中共一大在哪里召开？", "answer": "B",
                    "choices": [{"no": "A", "isRight": 0, "desc_cn": "北京"}, {"no": "B", "isRight": 1, "desc_cn": "上海"}]}])
    assert result.errors == []
    assert summary(result) == [("single", "中共一大在哪里召开？", ["北京", "上海"], ["B"])]


def test_a_table_saved_as_json_rows_with_a_header_row():
    result = read({"data": [["题目", "A", "B", "C", "答案"], ["中共一大在哪里召开？", "北京", "上海", "广州", "B"],
                            ["遵义会议在哪个省？", "贵州", "四川", "云南", "A"]]})
    assert result.errors == []
    assert summary(result) == [("single", "中共一大在哪里召开？", ["北京", "上海", "广州"], ["B"]),
                               ("single", "遵义会议在哪个省？", ["贵州", "四川", "云南"], ["A"])]
    assert result.found == "JSON 对象（位于 data），2 条记录，字段 题目、A、B、C、答案"


def test_numbered_option_keys_and_pinyin_abbreviations():
    numbered = read([{"question_title": "中共二大在哪里召开？", "option1": "北京", "option2": "上海", "correct_option": "B"}])
    pinyin = read([{"tm": "党员的权利", "xx": ["A.表决权", "B.选举权", "C.特权"], "da": "AB", "lx": "多选", "jx": "党章"}])
    assert numbered.errors == [] and pinyin.errors == []
    assert summary(numbered) + summary(pinyin) == [
        ("single", "中共二大在哪里召开？", ["北京", "上海"], ["B"]), ("multiple", "党员的权利", ["表决权", "选举权", "特权"], ["A", "B"])]
    assert pinyin.drafts[0].explanation == "党章"


VUE = """<template>
  <div v-for="(q, i) in QuestionList" :key="q.id" :class="{active: i === current}">{{ q.title }}</div>
</template>
<script>
export default {
  data() {
    return {current: 0, QuestionList: [{id: 1, title: '党的最高理想是', options: ['共产主义', '小康'], answer: 'A'}]}
  },
}
</script>
"""
TYPESCRIPT = """interface Question { stem: string; options: string[]; answer: number }
export const questions: Question[] = [{ stem: '遵义会议召开于', options: ['1935年', '1936年'], answer: 0 },];
"""


@pytest.mark.parametrize(("text", "filename"), [(VUE, "Exam.vue"), (TYPESCRIPT, "data.ts")])
def test_questions_in_a_vue_component_or_a_typescript_module(text, filename):
    result = read(text.encode(), filename)
    assert result.errors == [] and [(d.type, d.answer) for d in result.drafts] == [("single", ["A"])]


def test_field_names_wrapped_in_question_prefixes_or_text_suffixes():
    result = read({"success": True, "data": {"questions": [
        {"questionId": "q-101", "questionTitle": "党的最高领导机关是", "questionType": 1, "optionA": "全国代表大会",
         "optionB": "中央政治局", "rightKey": "A", "questionAnalysis": "党章第十条", "questionScore": 2},
        {"questionId": "q-103", "questionTitle": "党员可以信仰宗教。", "questionType": 3, "rightKey": "0",
         "questionAnalysis": "", "questionScore": 1}]}})
    assert result.errors == []
    assert summary(result) == [("single", "党的最高领导机关是", ["全国代表大会", "中央政治局"], ["A"]),
                               ("judge", "党员可以信仰宗教。", [], False)]
    assert result.drafts[0].explanation == "党章第十条" and result.unknown_headers == ["questionScore"]


@pytest.mark.parametrize(("header", "field"), [("itemAnswer", "answer"), ("试题答案", "answer"), ("answerText", "answer"),
                                               ("stemContent", "stem"), ("examName", None), ("answerCount", None),
                                               ("subjectTitle", None), ("itemId", None)])
def test_which_affixed_names_are_understood(header, field):
    assert field_for_header(header, {}) == field

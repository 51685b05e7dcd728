import pytest

from question_bank.readers import read_questions

SAMPLE = """中共一大在哪里开幕？
A. 北京
B. 上海
C. 广州
ANSWER: B

中国革命的三大法宝包括哪些？
A) 统一战线
B) 武装斗争
C) 土地革命
ANSWER: A,B
"""


@pytest.mark.parametrize("filename", ["题库.aiken", "题库.txt"])
def test_aiken_by_extension_and_detected_in_txt(filename):
    result = read_questions(SAMPLE.encode("utf-8"), filename)
    assert result.errors == []
    assert [(d.origin_row, d.type, d.stem, d.options, d.answer) for d in result.drafts] == [
        (1, "single", "中共一大在哪里开幕？", ["北京", "上海", "广州"], ["B"]),
        (7, "multiple", "中国革命的三大法宝包括哪些？", ["统一战线", "武装斗争", "土地革命"], ["A", "B"]),
    ]


def test_missing_answer_line_and_answer_outside_options():
    text = "问题一\nA. 甲\nB. 乙\n问题二\nA. 甲\nB. 乙\nANSWER: C\n"
    errors = read_questions(text.encode("utf-8"), "题库.aiken").errors
    assert [(e.row, e.field, e.message) for e in errors] == [
        (1, "答案", "缺少答案"), (4, "答案", "第7行答案是 C，但这道题只有 A–B 共 2 个选项")]


def test_aiken_file_without_questions():
    result = read_questions("ANSWER: B\n".encode("utf-8"), "题库.aiken")
    assert result.drafts == [] and "没有找到 Aiken 格式的题目" in result.errors[0].message


@pytest.mark.parametrize("answer, message", [
    ("QUESTION ONE", "第4行「ANSWER: QUESTION ONE」应写成选项字母，如 ANSWER: B"),
    ("D", "第4行答案是 D，但这道题只有 A–B 共 2 个选项"),
])
def test_answer_problems_in_plain_chinese_with_the_line(answer, message):
    [error] = read_questions(f"问题\nA. 甲\nB. 乙\nANSWER: {answer}\n".encode(), "题库.aiken").errors
    assert (error.row, error.field, error.message) == (1, "答案", message)


def test_parenthesis_options_are_read_with_a_warning():
    result = read_questions("问题\nA) Incorrect\nB) Correct\nANSWER: B\n".encode(), "题库.aiken")
    assert result.errors == [] and result.drafts[0].answer == ["B"]
    [warning] = result.warnings
    assert warning.row == 2 and "「A)」" in warning.message


def test_answer_lines_in_any_case_with_bom_and_windows_line_endings():
    data = ("\ufeff党的最高理想是什么？\r\nA. 共产主义\r\nB. 小康社会\r\nAnswer: B\r\n\r\n"
            "党的宗旨是？\r\nA. 为人民服务\r\nB. 发展经济\r\nanswer: a\r\n")
    result = read_questions(data.encode("utf-8"), "题库.txt")
    assert result.errors == []
    assert [(d.stem, d.options, d.answer) for d in result.drafts] == [
        ("党的最高理想是什么？", ["共产主义", "小康社会"], ["B"]), ("党的宗旨是？", ["为人民服务", "发展经济"], ["A"])]

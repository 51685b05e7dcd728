import pytest

from question_bank.readers import Limits, read_questions
from question_bank.readers.text import section_type, split_labels, split_options

SAMPLE = """党史知识测试题（请勿外传）

一、单项选择题（每题2分，共20分）
1. 中国共产党第一次全国代表大会于1921年7月在（ ）开幕。
A. 北京  B. 上海  C. 广州  D. 武汉
答案：B
解析：中共一大在上海开幕，
最后一天的会议在嘉兴南湖举行。
难度：易
知识点：党史/建党
来源：人民日报｜第一版｜2021年7月1日
原文：中国共产党第一次全国代表大会在上海召开。
2、遵义会议召开于（  C  ）年。
A．1934 B．1936
C．1935 D．1937
二、多选题
3）中国革命的三大法宝是
（A）统一战线
（B）武装斗争
（C）党的建设
【答案】ABC【解析】毛泽东语。
三、判断题
4. 遵义会议是生死攸关的转折点。（√）
5. 八一南昌起义发生在1928年。[×]
四、填空题
6. 中国共产党的根本宗旨是全心全意为______服务，
党的初心是为中国人民谋（ ）。
答案：人民/人民群众；幸福
"""


def read(text, name="题库.txt", **kwargs):
    return read_questions(text.encode("utf-8"), name, **kwargs)


def test_sample_document():
    result = read(SAMPLE)
    assert result.errors == []
    drafts = result.drafts
    assert [(d.origin_row, d.type, d.answer) for d in drafts] == [
        (4, "single", ["B"]), (13, "single", ["C"]), (17, "multiple", ["A", "B", "C"]), (23, "judge", True),
        (24, "judge", False), (26, "fill", [["人民", "人民群众"], ["幸福"]])]
    first = drafts[0]
    assert first.options == ["北京", "上海", "广州", "武汉"]
    assert first.explanation == "中共一大在上海开幕，\n最后一天的会议在嘉兴南湖举行。"
    assert (first.difficulty, first.category, first.source.date) == (1, "党史/建党", "2021-07-01")
    assert first.quote == "中国共产党第一次全国代表大会在上海召开。"
    assert drafts[1].stem == "遵义会议召开于（\u3000）年。" and drafts[1].options == ["1934", "1936", "1935", "1937"]
    assert drafts[2].explanation == "毛泽东语。"
    assert drafts[4].stem == "八一南昌起义发生在1928年。"
    assert drafts[5].stem == "中国共产党的根本宗旨是全心全意为（\u3000）服务，\n党的初心是为中国人民谋（\u3000）。"


@pytest.mark.parametrize("numbering", ["1.", "1、", "1）", "1)", "1．", "第1题", "1 ."])
def test_numbering_styles(numbering):
    result = read(f"{numbering}遵义会议是转折点。\n答案：对\n")
    assert [(d.stem, d.answer) for d in result.drafts] == [("遵义会议是转折点。", True)]


@pytest.mark.parametrize("options", [
    "A.北京\nB.上海\nC.广州", "A、北京\nB、上海\nC、广州", "A。北京\nB。上海\nC。广州", "(A)北京\n(B)上海\n(C)广州",
    "（A）北京（B）上海（C）广州", "A．北京 B．上海 C．广州", "A. 北京    B. 上海\nC. 广州", "Ａ．北京\nＢ．上海\nＣ．广州",
    "A) 北京 B) 上海 C) 广州",
])
def test_option_styles(options):
    result = read(f"1. 中共一大在哪里开幕？\n{options}\n答案：B\n")
    assert result.errors == []
    assert result.drafts[0].options == ["北京", "上海", "广州"]


@pytest.mark.parametrize("answer_text, stem_suffix, answer", [
    ("答案：B", "", ["B"]), ("答案: AC", "", ["A", "C"]), ("【答案】B", "", ["B"]), ("正确答案：A、C", "", ["A", "C"]),
    ("参考答案：上海", "", ["B"]), ("", "[B]", ["B"]), ("", "【AC】", ["A", "C"]), ("", "（B）", ["B"]),
])
def test_answer_forms(answer_text, stem_suffix, answer):
    result = read(f"1. 下列城市是（ ）{stem_suffix}\nA. 北京 B. 上海 C. 广州\n{answer_text}\n")
    assert result.errors == []
    assert (result.drafts[0].stem, result.drafts[0].answer) == ("下列城市是（ ）", answer)


@pytest.mark.parametrize("text, stem, answer", [
    ("1. 遵义会议是转折点。（√）", "遵义会议是转折点。（\u3000）", True),
    ("1. 遵义会议是转折点。(×)", "遵义会议是转折点。（\u3000）", False),
    ("1. 遵义会议是转折点。[错]", "遵义会议是转折点。", False),
    ("1. 遵义会议是转折点。\n答案：正确", "遵义会议是转折点。", True),
])
def test_judge_without_section(text, stem, answer):
    [draft] = read(text).drafts
    assert (draft.type, draft.stem, draft.answer) == ("judge", stem, answer)


@pytest.mark.parametrize("blank", ["（ ）", "(  )", "___", "______", "（　）"])
def test_fill_blank_styles(blank):
    [draft] = read(f"1. 为{blank}服务。\n答案：人民\n").drafts
    assert (draft.type, draft.stem, draft.answer) == ("fill", "为（\u3000）服务。", [["人民"]])


def test_section_types_apply_until_the_next_section():
    text = "一、多项选择题\n1. 甲\nA. a B. b\n答案：AB\n2. 乙\nA. a B. b\n答案：A\n二、判断题\n3. 丙\n答案：对\n"
    result = read(text)
    assert [d.type for d in result.drafts] == ["multiple", "multiple", "judge"]
    [error] = result.errors
    assert (error.row, error.field) == (5, "答案") and "多选题至少要有 2 个答案" in error.message


def test_errors_use_the_line_of_the_question_number():
    text = "\n\n1. 中共一大在（ ）开幕\nA. 北京\nB. 上海\n答案：D\n\n2. 为（ ）服务\n"
    errors = read(text).errors
    assert [(e.row, e.field, e.message) for e in errors] == [
        (3, "答案", "D 不在选项中（只有 A–B）"), (8, "答案", "缺少答案")]
    assert str(errors[0]) == "题库.txt 第3行「答案」：D 不在选项中（只有 A–B）"


def test_unsupported_section_type_is_reported_for_its_questions():
    errors = read("五、简答题\n7. 简述长征精神。\n答案：略\n").errors
    assert [(e.row, e.field, e.message) for e in errors] == [
        (2, "题型", "题型「简答题」不支持（只支持单选题、多选题、判断题、填空题）")]


def test_type_label_overrides_inference():
    [draft] = read("1. 题干\nA. 甲 B. 乙\n答案：A\n题型：多选题\n").drafts
    assert draft.type == "multiple"


def test_html_and_script_survive_as_text():
    stem = "<script>alert(1)</script>遵义会议是<b>转折点</b>。"
    [draft] = read(f"1. {stem}\n答案：对\n").drafts
    assert draft.stem == stem


def test_numbers_inside_stems_do_not_start_questions():
    [draft] = read("1. 大会于\n2021.7.1 在北京召开。\n答案：对\n").drafts
    assert draft.stem == "大会于\n2021.7.1 在北京召开。"


@pytest.mark.parametrize("text, message", [
    ("只是一段文字，没有编号。\n", "没有找到题目"),
    ("", "文件是空的"),
])
def test_files_without_questions(text, message):
    result = read(text)
    assert result.drafts == [] and message in result.errors[0].message


def test_too_many_questions():
    result = read("".join(f"{n}. 第{n}题\n答案：对\n" for n in range(1, 7)), limits=Limits(max_rows=5))
    assert result.drafts == [] and "题目太多" in result.errors[0].message


def test_gbk_text_file():
    result = read_questions("1. 遵义会议是转折点。\n答案：对\n".encode("gbk"), "题库.txt")
    assert result.drafts[0].stem == "遵义会议是转折点。"


@pytest.mark.parametrize("line, expected, options", [
    ("A. 北京 B. 上海", "A", ["北京", "上海"]),
    ("C. 广州 D. 武汉", "C", ["广州", "武汉"]),
    ("B. 上海", "A", None),
    ("A.M. 是上午 B. 下午", "A", ["M. 是上午", "下午"]),
    ("(A)北京(B)上海", "A", ["北京", "上海"]),
    ("甲乙丙", "A", None),
])
def test_split_options(line, expected, options):
    assert split_options(line, expected) == options


@pytest.mark.parametrize("line, labels", [
    ("答案：B", [("answer", "B")]),
    ("【答案】B【解析】因为", [("answer", "B"), ("explanation", "因为")]),
    ("答案：A 难度：难", [("answer", "A"), ("difficulty", "难")]),
    ("这不是标签：B", None),
])
def test_split_labels(line, labels):
    assert split_labels(line) == labels


@pytest.mark.parametrize("line, name", [
    ("一、单选题", "单选题"), ("二、多项选择题（每题2分，共20分）", "多项选择题"), ("判断题", "判断题"),
    ("（三）填空题：", "填空题"), ("五、简答题", "简答题"), ("这道题", None), ("1. 单选题", None),
])
def test_section_headers(line, name):
    assert section_type(line) == name


@pytest.mark.parametrize("answer_lines", ["答案：人民；幸福", "答案：人民\n答案：幸福", "答案：人民\n幸福"])
def test_fill_answers_one_per_blank(answer_lines):
    [draft] = read(f"1. 为（ ）服务，谋（ ）。\n{answer_lines}\n").drafts
    assert draft.answer == [["人民"], ["幸福"]]


def test_unnumbered_questions_that_start_with_a_label():
    text = "题目：中共一大在哪里召开？\nA. 北京\nB. 上海\n答案：B\n\n【题干】遵义会议是伟大转折。\n答案：正确\n"
    result = read_questions(text.encode(), "题库.txt")
    assert result.errors == []
    assert [(d.type, d.stem, d.options, d.answer, d.origin_row) for d in result.drafts] == [
        ("single", "中共一大在哪里召开？", ["北京", "上海"], ["B"], 1), ("judge", "遵义会议是伟大转折。", [], True, 6)]


ANSWER_KEY = """一、单项选择题
1. 新民主主义革命的领导力量是（ ）
A. 无产阶级 B. 农民阶级 C. 民族资产阶级
2. 中国革命的主要形式是（ ）
A. 议会斗争 B. 武装斗争
3. 遵义会议在哪里召开？
A. 贵州 B. 江西
答案：A
二、判断题
1. 古田会议确立了思想建党原则。
2. 党员可以信仰宗教。
三、多项选择题
1. 毛泽东思想活的灵魂包括（ ）
A. 实事求是 B. 群众路线 C. 个人崇拜

参考答案
一、1-2 AB
二、1-2 √×
三、1. AB
"""


def test_an_answer_key_after_the_questions_numbered_again_in_each_section():
    result = read_questions(ANSWER_KEY.encode(), "题库.txt")
    assert result.errors == []
    assert [(d.type, d.answer) for d in result.drafts] == [
        ("single", ["A"]), ("single", ["B"]), ("single", ["A"]), ("judge", True), ("judge", False),
        ("multiple", ["A", "B"])]


def test_a_key_range_whose_letters_do_not_match_is_no_key_and_is_named_in_the_error():
    text = "1. 甲（ ）\nA. 对 B. 错 C. 不知道\n2. 乙（ ）\nA. 对 B. 错 C. 不知道\n参考答案：1-2 ABC\n"
    result = read_questions(text.encode(), "题库.txt")
    assert [(e.row, e.field, e.message) for e in result.errors] == [
        (1, "答案", "缺少答案"), (3, "答案", "答案「1-2 ABC」既不是选项字母，也不是某个选项的内容")]

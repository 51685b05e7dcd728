"""Answer forms, type inference, difficulty, tags, sources and header aliases."""
import pytest

from question_bank.draft import SourceRef
from question_bank.readers import answers
from question_bank.readers.fields import RawQuestion, build_draft
from question_bank.readers.headers import map_headers

OPTIONS = ["北京", "上海", "广州", "武汉"]


@pytest.mark.parametrize("text, letters", [
    ("B", ["B"]), ("b", ["B"]), ("AB", ["A", "B"]), ("BA", ["A", "B"]), ("A,B", ["A", "B"]),
    ("A，B", ["A", "B"]), ("A、B", ["A", "B"]), ("A B", ["A", "B"]), ("a b", ["A", "B"]),
    ("Ａ", ["A"]), ("ＡＣ", ["A", "C"]), ("A;C", ["A", "C"]), ("B.", ["B"]), ("AAB", ["A", "B"]),
])
def test_letters_in_any_form(text, letters):
    assert answers.parse_choice_answer(text, OPTIONS) == letters


@pytest.mark.parametrize("text, letters", [
    ("上海", ["B"]), (" 上海 ", ["B"]), ("北京、广州", ["A", "C"]), ("北京,武汉", ["A", "D"]),
])
def test_answer_as_option_text(text, letters):
    assert answers.parse_choice_answer(text, OPTIONS) == letters


def test_option_text_made_of_letters_wins_when_letters_would_fall_outside_the_options():
    assert answers.parse_choice_answer("CPU", ["CPU", "GPU"]) == ["A"]
    assert answers.parse_choice_answer("D", ["CPU", "GPU"]) == ["D"]  # reported by the validator


@pytest.mark.parametrize("text", ["南京", "上海、南京", "1921"])
def test_unknown_choice_answer(text):
    assert answers.parse_choice_answer(text, OPTIONS) is None


@pytest.mark.parametrize("text, value", [
    ("对", True), ("√", True), ("正确", True), ("T", True), ("true", True), ("是", True), ("✓", True),
    ("（√）", True), ("错", False), ("×", False), ("错误", False), ("F", False), ("FALSE", False),
    ("否", False), (" 错 ", False), ("Ｆ", False),
])
def test_judge_forms(text, value):
    assert answers.parse_judge(text) is value


@pytest.mark.parametrize("text", ["", "A", "对错", "不对吧"])
def test_not_judge_forms(text):
    assert answers.parse_judge(text) is None


@pytest.mark.parametrize("text, blanks", [
    ("人民", [["人民"]]),
    ("人民/人民群众；历史", [["人民", "人民群众"], ["历史"]]),
    ("人民；历史", [["人民"], ["历史"]]),
    ("人民;历史", [["人民"], ["历史"]]),
    ("人民｜历史", [["人民"], ["历史"]]),
    ("人民\n历史", [["人民"], ["历史"]]),
    ("人民或人民群众", [["人民", "人民群众"]]),
    ("或多或少", [["或多或少"]]),
    ("不可或缺/", [["不可或缺"]]),
    ("人民 / 人民群众 ；", [["人民", "人民群众"]]),
    ("人民；；历史", [["人民"], [], ["历史"]]),
])
def test_fill_answers(text, blanks):
    assert answers.parse_fill_answer(text) == blanks


@pytest.mark.parametrize("blanks", [
    [["人民", "人民群众"], ["历史"]], [["不可或缺"]], [["或多或少"], ["甲", "乙"]], [["1921"]],
])
def test_fill_answer_format_round_trip(blanks):
    assert answers.parse_fill_answer(answers.format_fill_answer(blanks)) == blanks


@pytest.mark.parametrize("text, level", [
    ("", 2), ("易", 1), ("简单", 1), ("1", 1), ("中", 2), ("一般", 2), ("2", 2), ("难", 3),
    ("困难", 3), ("3", 3), ("３", 3), ("很难", None), ("4", None),
])
def test_difficulty(text, level):
    assert answers.parse_difficulty(text) == level


@pytest.mark.parametrize("text, tags", [
    ("", []), ("建党", ["建党"]), ("建党,长征", ["建党", "长征"]), ("建党，长征、遵义;抗战；解放 新时代",
                                                              ["建党", "长征", "遵义", "抗战", "解放", "新时代"]),
])
def test_tags(text, tags):
    assert answers.split_tags(text) == tags


@pytest.mark.parametrize("text, source", [
    ("", SourceRef()),
    ("人民日报", SourceRef(title="人民日报")),
    ("人民日报｜第一版｜2021年7月2日", SourceRef(title="人民日报", section="第一版", date="2021-07-02")),
    ("人民日报|第一版|2021/7/2|rmrb.txt", SourceRef(title="人民日报", section="第一版", date="2021-07-02",
                                                   file="rmrb.txt")),
    ("讲话｜｜2021.7.1", SourceRef(title="讲话", date="2021-07-01")),
])
def test_source(text, source):
    assert answers.parse_source(text) == source


@pytest.mark.parametrize("source", [SourceRef(), SourceRef(title="报告", date="2017-10-18"),
                                    SourceRef(title="t", section="s", date="2021-01-01", file="f.txt")])
def test_source_format_round_trip(source):
    assert answers.parse_source(answers.format_source(source)) == source


@pytest.mark.parametrize("text, code", [
    ("单选题", "single"), ("单项选择题", "single"), ("单选", "single"), ("多选题", "multiple"),
    ("多项选择题", "multiple"), ("判断题", "judge"), ("是非题", "judge"), ("填空题", "fill"),
    ("选择题", answers.CHOICE), ("不定项选择题", answers.CHOICE), ("single", "single"), ("简答题", None),
    ("single_choice", "single"), ("MULTIPLE-ANSWER", "multiple"), ("true_or_false", "judge"),
    ("fill_in_the_blank", "fill"), ("short answer", "fill"), ("多项", "multiple"), ("essay", None),
])
def test_type_names(text, code):
    assert answers.parse_type(text) == code


@pytest.mark.parametrize("answer, stem, options, code", [
    ("对", "题干", [], "judge"),
    ("×", "题干（　）", [], "judge"),
    ("AB", "题干", OPTIONS, "multiple"),
    ("A,C", "题干", OPTIONS, "multiple"),
    ("B", "题干", OPTIONS, "single"),
    ("上海", "题干", OPTIONS, "single"),
    ("人民", "为（　）服务", [], "fill"),
    ("人民", "为____服务", [], "fill"),
    ("人民", "没有空", [], None),
])
def test_infer_type(answer, stem, options, code):
    assert answers.infer_type(answer, stem, options) == code


def raw(**values):
    options = values.pop("options", [])
    return RawQuestion(row=5, values=values, options=options)


def test_build_draft_reports_each_unparseable_field():
    draft, errors = build_draft(raw(type="判断题", stem="题", answer="也许", difficulty="很难"), "f.csv")
    assert [(e.row, e.field) for e in errors] == [(5, "答案"), (5, "难度")]
    assert draft.answer is None and draft.difficulty == 2


def test_build_draft_generic_choice_type_decides_by_answer_count():
    draft, _ = build_draft(raw(type="选择题", stem="题", answer="AC", options=OPTIONS), "f")
    assert draft.type == "multiple"
    draft, _ = build_draft(raw(type="选择题", stem="题", answer="C", options=OPTIONS), "f")
    assert draft.type == "single"


def test_build_draft_canonicalises_fill_blanks_only():
    fill, _ = build_draft(raw(type="填空题", stem="为( )服务", answer="人民"), "f")
    choice, _ = build_draft(raw(type="单选题", stem="在( )开幕", answer="A", options=OPTIONS), "f")
    assert (fill.stem, choice.stem) == ("为（\u3000）服务", "在( )开幕")


def test_build_draft_unknown_type_and_uninferable_type():
    _, errors = build_draft(raw(type="简答题", stem="简述", answer="略"), "f")
    assert [e.message for e in errors] == ["题型「简答题」不支持（只支持单选题、多选题、判断题、填空题）"]
    _, errors = build_draft(raw(stem="简述", answer="略"), "f")
    assert errors[0].field == "题型" and "无法判断题型" in errors[0].message


@pytest.mark.parametrize("header, field", [
    ("题干", "stem"), ("题目", "stem"), ("题目内容", "stem"), ("试题", "stem"), ("问题", "stem"),
    ("正确答案", "answer"), ("正确选项", "answer"), ("参考答案", "answer"), ("答案（必填）", "answer"),
    ("*答案", "answer"), ("答案解析", "explanation"), ("题目解析", "explanation"), ("题目类型", "type"),
    ("类型", "type"), ("知识点", "category"), ("题库", "category"), ("所属题库", "category"),
    ("难度等级", "difficulty"), ("A", "option_a"), ("b", "option_b"), ("选项1", "option_a"),
    ("选项 3", "option_c"), ("选项Ｄ", "option_d"), ("试题编号", "key"), ("题号", "key"), ("ID", "key"),
    ("来源", "source"), ("原文", "quote"), ("标签", "tags"), ("状态", "status"), ("option_e", "option_e"),
])
def test_header_aliases(header, field):
    others = [name for name, code in (("题干", "stem"), ("答案", "answer")) if code != field]
    columns = map_headers([header, *others], None, "f.xlsx", 1)
    assert columns.columns[field] == 0
    assert columns.errors == [] and columns.unknown_headers == []


def test_unknown_headers_listed_and_missing_columns_named():
    columns = map_headers(["题目文字", "对的选项", "分值"], None, "f.xlsx", 1)
    assert columns.unknown_headers == ["题目文字", "对的选项", "分值"]
    assert [(e.row, e.field) for e in columns.errors] == [(1, "题干"), (1, "答案")]
    assert "缺少「题干」列" in columns.errors[0].message


def test_mapping_resolves_unknown_headers_and_can_ignore_columns():
    columns = map_headers(["题目文字", "对的选项", "分值"], {"题目文字": "stem", "对的选项": "answer", "分值": ""},
                          "f.xlsx", 1)
    assert columns.columns == {"stem": 0, "answer": 1}
    assert columns.errors == [] and columns.unknown_headers == []


def test_mapping_to_an_unknown_field_is_an_error():
    columns = map_headers(["题干", "答案", "分值"], {"分值": "score"}, "f.xlsx", 1)
    assert [e.message for e in columns.errors] == ["表头映射的字段「score」不存在"]


def test_two_columns_for_one_field_is_an_error():
    columns = map_headers(["题目", "题干", "答案"], None, "f.xlsx", 1)
    assert [(e.field, "重复" in e.message) for e in columns.errors] == [("题干", True)]

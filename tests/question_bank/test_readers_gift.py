import pytest

from question_bank.readers import read_questions

SAMPLE = r"""// 党史题库（GIFT 格式）
$CATEGORY: $course$/top/党史/建党

::一大::中共一大在哪里开幕？{
  =上海 #对
  ~北京
  ~广州
}

::法宝::[html]中国革命的三大法宝是 {~%33.33333%统一战线 ~%33.33333%武装斗争 ~%33.33333%党的建设 ~%-100%土地革命}

遵义会议是转折点。{T}

八一南昌起义发生在1928年。{FALSE####起义发生在1927年。}

$CATEGORY: 党史/初心
中国共产党的根本宗旨是全心全意为{=人民 =人民群众}服务。

1+1\=2 对吗？ {TRUE}
"""


def read(text):
    return read_questions(text.encode("utf-8"), "题库.gift")


def test_sample():
    result = read(SAMPLE)
    assert result.errors == []
    summary = [(d.origin_row, d.key, d.type, d.stem, d.options, d.answer, d.category) for d in result.drafts]
    assert summary == [
        (4, "", "single", "中共一大在哪里开幕？", ["上海", "北京", "广州"], ["A"], "党史/建党"),
        (10, "", "multiple", "中国革命的三大法宝是", ["统一战线", "武装斗争", "党的建设", "土地革命"],
         ["A", "B", "C"], "党史/建党"),
        (12, "", "judge", "遵义会议是转折点。", [], True, "党史/建党"),
        (14, "", "judge", "八一南昌起义发生在1928年。", [], False, "党史/建党"),
        (17, "", "fill", "中国共产党的根本宗旨是全心全意为（\u3000）服务。", [], [["人民", "人民群众"]], "党史/初心"),
        (19, "", "judge", "1+1=2 对吗？", [], True, "党史/初心"),
    ]
    assert result.drafts[3].explanation == "起义发生在1927年。"


def test_missing_word_choice_leaves_a_blank():
    [draft] = read("中共一大在{=上海 ~北京}开幕。").drafts
    assert (draft.stem, draft.answer) == ("中共一大在（\u3000）开幕。", ["A"])


def test_two_full_marks_make_a_multiple():
    [draft] = read("选出正确的{=甲 =乙 ~丙}").drafts
    assert (draft.type, draft.answer) == ("multiple", ["A", "B"])


def test_short_answer_at_the_end_becomes_a_trailing_blank():
    [draft] = read("党的根本宗旨是{=全心全意为人民服务}").drafts
    assert (draft.type, draft.stem) == ("fill", "党的根本宗旨是（\u3000）")


@pytest.mark.parametrize("text, kind", [
    ("只有题干，没有答案", "说明文字（没有答案部分 {…}）"),
    ("1921加6等于{#1920..1930}", "数值题（有误差范围）"),
    ("配对 {=甲 -> 1 =乙 -> 2}", "匹配题"),
    ("谈谈你的体会 {}", "论述题"),
])
def test_unsupported_questions_are_skipped_and_named(text, kind):
    result = read(f"{text}\n\n遵义会议是转折点{{T}}")
    assert result.errors == [] and [d.type for d in result.drafts] == ["judge"]
    assert [w.message for w in result.warnings] == [f"跳过 1 道{kind}（第 1 行）"]


def test_exact_numerical_answers_become_fill_answers():
    [draft] = read("中国共产党成立于{#1921}年").drafts
    assert (draft.type, draft.stem, draft.answer) == ("fill", "中国共产党成立于（\u3000）年", [["1921"]])
    [draft] = read("中国共产党成立于哪一年{#=1921:0 =%50%1920}").drafts
    assert draft.answer == [["1921"]]


def test_validation_applies_to_gift_questions():
    [error] = read("题{~甲 ~乙}").errors
    assert (error.field, error.message) == ("答案", "缺少答案")


@pytest.mark.parametrize("text", ["", "// 只有注释\n"])
def test_files_without_questions(text):
    result = read(text)
    assert result.drafts == [] and len(result.errors) == 1


def test_wildcards_and_partial_weights_are_never_accepted_answers():
    [draft] = read("党的根本宗旨是{=全心全意为人民服务 =%50%为人民 =%0%服务 =*}").drafts
    assert draft.answer == [["全心全意为人民服务"]]
    [error] = read("随便填{=* =%50%什么}").errors
    assert "没有可作为标准答案的满分答案" in error.message


def test_format_tags_are_removed():
    [draft] = read("::q1::[html]<p>中共一大在哪里召开？</p>{=[plain]上海 ~北京}").drafts
    assert (draft.stem, draft.options) == ("中共一大在哪里召开？", ["上海", "北京"])
    [draft] = read("[markdown]遵义会议是转折点{T}").drafts
    assert draft.stem == "遵义会议是转折点"


@pytest.mark.parametrize("filename", ["题库.gift.txt", "导出.txt"])
def test_gift_recognised_by_double_extension_and_by_content(filename):
    result = read_questions("::q1:: 遵义会议是转折点{T}\n\n一大在{~北京 =上海}召开".encode(), filename)
    assert result.errors == [] and [d.type for d in result.drafts] == ["judge", "single"]


def test_a_title_that_runs_onto_the_next_line():
    text = "::党的性质\n::中国共产党是中国工人阶级的先锋队。\n{\n\t=正确#是的\n\t~错误\n}\n"
    result = read_questions(text.encode(), "题库.gift")
    assert result.errors == []
    assert [(d.stem, d.options, d.answer) for d in result.drafts] == [
        ("中国共产党是中国工人阶级的先锋队。", ["正确", "错误"], ["A"])]


def test_an_answer_part_left_open_is_an_error_on_its_line():
    text = "::q1:: 遵义会议是伟大转折。{T}\n\n::q2:: 中共一大在 {=上海 ~北京\n\n::q3:: 乙 {F}\n"
    result = read_questions(text.encode(), "题库.gift")
    assert [(e.row, e.field, e.message) for e in result.errors] == [
        (3, "答案", "答案部分的「{」没有对应的「}」（答案部分写在 { } 之间，题与题之间空一行）")]


def test_titles_are_moodle_names_not_keys_so_two_questions_may_share_one():
    result = read("::判断题:: 遵义会议是转折点。{T}\n\n::判断题:: 古田会议在江西。{F}\n")
    assert result.errors == []
    assert [(d.key, d.stem, d.answer) for d in result.drafts] == [("", "遵义会议是转折点。", True), ("", "古田会议在江西。", False)]


def test_a_near_miss_with_part_marks_is_no_second_answer_of_a_one_answer_question():
    result = read("中共一大最后在哪里闭幕？{=嘉兴南湖 ~%50%浙江 ~上海}\n\n三大法宝是{~%50%统一战线 ~%50%武装斗争 ~%-100%土地革命}\n")
    assert result.errors == []
    assert [(d.type, d.answer) for d in result.drafts] == [("single", ["A"]), ("multiple", ["A", "B"])]

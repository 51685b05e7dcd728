import pytest

from question_bank.text import (
    CANONICAL_BLANK,
    canonical_blanks,
    clean_cell,
    count_blanks,
    names_option_letters,
    normalise_answer_text,
    normalise_stem,
)


@pytest.mark.parametrize("stem, blanks", [
    ("没有空的题干。", 0),
    ("为（　）服务", 1),
    ("为（ ）服务", 1),
    ("为(  )服务", 1),
    ("为()服务", 1),
    ("为（ )服务，谋( ）", 2),
    ("为___服务", 1),
    ("为______服务，谋＿＿＿", 2),
    ("两个下划线__不算", 0),
    ("括号里有字（人民）不算空", 0),
    ("", 0),
])
def test_count_blanks(stem, blanks):
    assert count_blanks(stem) == blanks


@pytest.mark.parametrize("stem, expected", [
    ("为( )服务", f"为{CANONICAL_BLANK}服务"),
    ("为______服务，谋（  ）", f"为{CANONICAL_BLANK}服务，谋{CANONICAL_BLANK}"),
    ("（人民）不变", "（人民）不变"),
    (f"已规范{CANONICAL_BLANK}", f"已规范{CANONICAL_BLANK}"),
])
def test_canonical_blanks(stem, expected):
    assert canonical_blanks(stem) == expected


@pytest.mark.parametrize("left, right", [
    ("人民", " 人 民 "),
    ("人民。", "人民"),
    ("ＡＢＣ", "abc"),
    ("１９２１", "1921"),
    ("“两个确立”", "两个确立"),
    ("Marxism", "MARXISM"),
])
def test_normalise_answer_text_equal(left, right):
    assert normalise_answer_text(left) == normalise_answer_text(right)


@pytest.mark.parametrize("left, right", [("人民", "人名"), ("1921", "1927"), ("a", "b")])
def test_normalise_answer_text_different(left, right):
    assert normalise_answer_text(left) != normalise_answer_text(right)


def test_normalise_stem_ignores_blank_style_width_and_punctuation():
    assert normalise_stem("党的宗旨是为（　）服务。") == normalise_stem("党的宗旨是为 ____ 服务")
    assert normalise_stem("Ａ党") == normalise_stem("a党")
    assert normalise_stem("党的宗旨是为（　）服务") != normalise_stem("党的目标是为（　）服务")


@pytest.mark.parametrize("value, text", [
    (None, ""), ("  人民 ", "人民"), (3.0, "3"), (2.5, "2.5"), (7, "7"), (True, "True"),
])
def test_clean_cell(value, text):
    assert clean_cell(value) == text


@pytest.mark.parametrize("explanation", [
    "故选B。", "本题应选 C", "答案：AC", "正确答案为A、B、D", "选项D说的是另一次会议。", "A项错误，B项正确。",
    "B 选项不符合原文", "C说法有误", "答案是 BD，因为……",
])
def test_an_explanation_that_points_at_options_by_letter(explanation):
    assert names_option_letters(explanation)


@pytest.mark.parametrize("explanation", [
    "", "出自《在庆祝中国共产党成立100周年大会上的讲话》。", "GDP 增长与 APP 推广无关。", "5G 基站建设", "选择题解析见原文第二段",
    "坚持以人民为中心的发展思想。", "答案见原文。",
])
def test_an_explanation_that_does_not(explanation):
    assert not names_option_letters(explanation)

import pytest

from question_bank.text import (
    CANONICAL_BLANK,
    canonical_blanks,
    clean_cell,
    count_blanks,
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

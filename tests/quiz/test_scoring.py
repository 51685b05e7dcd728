from types import SimpleNamespace

import pytest

from quizapp.services.quizzes.papers import QuizError
from quizapp.services.quizzes.scoring import Outcome, parse_given, score_answer, shown_letters


def question(kind, answer, options=("甲", "乙", "丙", "丁"), stem="题干"):
    return SimpleNamespace(type=kind, answer=answer, options=list(options), stem=stem)


SINGLE = question("single", ["B"])
MULTIPLE = question("multiple", ["A", "B", "D"])
JUDGE_TRUE = question("judge", True, options=())
JUDGE_FALSE = question("judge", False, options=())
FILL = question("fill", [["人民", "人民群众"], ["历史"]], options=(), stem="江山就是（　），（　）就是江山")


@pytest.mark.parametrize("q, given, partial, expected", [
    (SINGLE, ["B"], True, Outcome(True, 2)),
    (SINGLE, ["A"], True, Outcome(False, 0)),
    (SINGLE, None, True, Outcome(False, 0)),
    (JUDGE_TRUE, True, True, Outcome(True, 2)),
    (JUDGE_TRUE, False, True, Outcome(False, 0)),
    (JUDGE_FALSE, False, True, Outcome(True, 2)),
    (JUDGE_FALSE, True, True, Outcome(False, 0)),
    (MULTIPLE, ["A", "B", "D"], True, Outcome(True, 2)),
    (MULTIPLE, ["A", "D"], True, Outcome(False, 1)),  # 少选得一半
    (MULTIPLE, ["B"], True, Outcome(False, 1)),
    (MULTIPLE, ["A", "D"], False, Outcome(False, 0)),  # the paper's rule turns partial credit off
    (MULTIPLE, ["A", "C"], True, Outcome(False, 0)),  # any wrong choice: zero
    (MULTIPLE, ["A", "B", "C", "D"], True, Outcome(False, 0)),
    (FILL, ["人民", "历史"], True, Outcome(True, 2)),
    (FILL, ["人民群众", "历史"], True, Outcome(True, 2)),  # a listed alternative
    (FILL, [" 人 民 ", "歷史"], True, Outcome(False, 1)),  # spaces folded; a different character is not
    (FILL, ["人民。", "历史！"], True, Outcome(True, 2)),  # punctuation
    (FILL, ["ＲＥＮＭＩＮ", "历史"], True, Outcome(False, 1)),
    (FILL, ["", "历史"], True, Outcome(False, 1)),  # points per blank
    (FILL, ["群众", "人民"], True, Outcome(False, 0)),
])
def test_scoring_table(q, given, partial, expected):
    assert score_answer(q, given, 2.0, multiple_partial=partial) == expected


@pytest.mark.parametrize("given, expected", [
    (["Ａ", "历史"], True),  # full width folds to half width
    (["a", "历史"], True),  # case
])
def test_fill_normalises_width_and_case(given, expected):
    q = question("fill", [["A"], ["历史"]], options=(), stem="（　）和（　）")
    assert score_answer(q, given, 1.0).is_correct is expected


@pytest.mark.parametrize("q, order, raw, stored", [
    (SINGLE, [2, 0, 3, 1], ["A"], ["C"]),  # shown A is original C
    (SINGLE, [2, 0, 3, 1], "d", ["B"]),
    (MULTIPLE, [3, 2, 1, 0], ["A", "B", "A"], ["C", "D"]),
    (MULTIPLE, [0, 1, 2, 3], [], None),
    (JUDGE_TRUE, [], "false", False),
    (JUDGE_TRUE, [], True, True),
    (JUDGE_TRUE, [], None, None),
    (FILL, [], ["人民 ", ""], ["人民", ""]),
    (FILL, [], ["人民"], ["人民", ""]),
    (FILL, [], ["", " "], None),
])
def test_parse_given_maps_shown_letters_to_original(q, order, raw, stored):
    assert parse_given(q, order, raw) == stored


@pytest.mark.parametrize("q, raw, message", [
    (SINGLE, ["E"], "选项「E」不存在，这道题只有 A–D 选项"),
    (SINGLE, ["AB"], "选项「AB」不存在"),
    (SINGLE, ["A", "B"], "单选题只能选一个选项"),
    (SINGLE, {"x": 1}, "选择题的答案格式不正确"),
    (MULTIPLE, [1, 2], "选择题的答案格式不正确"),
    (JUDGE_TRUE, "maybe", "判断题只能回答“正确”或“错误”"),
    (JUDGE_TRUE, 1, "判断题只能回答“正确”或“错误”"),
    (FILL, ["a", "b", "c"], "这道题只有 2 个空，收到了 3 个答案"),
    (FILL, ["字" * 201], "第 1 空的答案超过 200 个字"),
    (FILL, [1, 2], "填空题的答案格式不正确"),
])
def test_malformed_answers_are_refused(q, raw, message):
    with pytest.raises(QuizError, match=message):
        parse_given(q, [0, 1, 2, 3], raw)


def test_shown_letters_inverts_the_mapping():
    order = [2, 0, 3, 1]
    for letters in (["A"], ["B", "D"], ["A", "B", "C", "D"]):
        assert shown_letters(order, parse_given(MULTIPLE, order, letters)) == letters

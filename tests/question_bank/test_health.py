"""The bank health report: each check fires on a small hand-made bank that shows the pattern and
stays quiet on one that does not (or that is too small to judge)."""
from __future__ import annotations

import pytest

from question_bank.draft import QuestionDraft
from question_bank.health import Finding, bank_health


def single(key: str, answer: str, options: int = 4, quote: str = "") -> QuestionDraft:
    letters = "ABCDEFGH"[:options]
    return QuestionDraft(type="single", stem=f"第{key}题（　）。", options=[f"选项{key}{letter}" for letter in letters],
                         answer=[answer], key=key, quote=quote or f"摘录{key}")


def multiple(key: str, answer: str, options: int = 4) -> QuestionDraft:
    return QuestionDraft(type="multiple", stem=f"第{key}题（　）。", options=[f"项{key}{n}" for n in range(options)],
                         answer=list(answer), key=key, quote=f"摘录{key}")


def judge(key: str, stem: str, answer: bool) -> QuestionDraft:
    return QuestionDraft(type="judge", stem=f"{stem}（{key}）", answer=answer, key=key, quote=f"摘录{key}")


def fill(key: str, *blanks: list[str], stem: str = "", quote: str = "") -> QuestionDraft:
    stem = stem or f"第{key}题" + "（　）" * len(blanks) + "。"
    return QuestionDraft(type="fill", stem=stem, answer=list(blanks), key=key, quote=quote or f"摘录{key}")


def checks(drafts: list[QuestionDraft]) -> dict[str, Finding]:
    return {finding.check: finding for finding in bank_health(drafts).findings}


# ---- 单选: key positions

def singles(pattern: str) -> list[QuestionDraft]:
    return [single(f"S{number}", letter) for number, letter in enumerate(pattern)]


def test_single_keys_piled_on_one_letter_are_flagged_with_those_questions():
    drafts = singles("A" * 20 + "BCD" * 4)  # A 20 of 32
    finding = checks(drafts)["single_positions"]
    assert "A 占 62%" in finding.message and "B 占 12%" in finding.message and "共 32 道" in finding.message
    assert "每个位置应占 15%–35%" in finding.message
    assert finding.keys == tuple(f"S{number}" for number in range(20))


def test_single_keys_spread_evenly_are_quiet():
    assert "single_positions" not in checks(singles("ABCD" * 8))


def test_single_positions_need_a_reasonable_bank():
    assert "single_positions" not in checks(singles("A" * 29))
    assert "single_positions" in checks(singles("A" * 30))


def test_the_even_share_follows_the_number_of_options():
    three = [single(f"T{number}", letter, options=3) for number, letter in enumerate("ABC" * 10)]
    assert "single_positions" not in checks(three)  # a third each: 20%–47% is the range for three options
    finding = checks([single(f"T{number}", letter, options=3) for number, letter in enumerate("AAB" * 10)])["single_positions"]
    assert "A 占 67%" in finding.message and "C 占 0%" in finding.message and "每个位置应占 20%–47%" in finding.message


def test_a_rare_fifth_option_is_not_expected_to_hold_its_share():
    drafts = singles("ABCD" * 8) + [single("E1", "A", options=5)]
    assert "single_positions" not in checks(drafts)
    assert bank_health(drafts).figures[0] == "单选题答案位置：A 9，B 8，C 8，D 8"


# ---- 多选: all but one, all correct

def test_multiples_mostly_all_but_one_are_flagged():
    drafts = [multiple(f"M{n}", "ABC") for n in range(5)] + [multiple(f"N{n}", "AB") for n in range(5)]
    finding = checks(drafts)["multiple_all_but_one"]
    assert "50%（5/10 道）" in finding.message
    assert finding.keys == tuple(f"M{n}" for n in range(5))


def test_multiples_with_at_most_forty_percent_all_but_one_are_quiet():
    drafts = [multiple(f"M{n}", "ABC") for n in range(4)] + [multiple(f"N{n}", "BD") for n in range(6)]
    assert "multiple_all_but_one" not in checks(drafts)
    assert "多选题答案个数（对/选项）：2/4 6 道，3/4 4 道" in bank_health(drafts).figures


def test_all_but_one_needs_ten_multiples():
    assert "multiple_all_but_one" not in checks([multiple(f"M{n}", "ABC") for n in range(9)])


def test_an_all_correct_multiple_is_flagged_even_alone():
    assert checks([multiple("M1", "ABCD")])["multiple_all"].keys == ("M1",)
    assert "multiple_all" not in checks([multiple("M1", "ABC")])


# ---- 判断: 对 share, absolutes

def judges(true: int, false: int) -> list[QuestionDraft]:
    return ([judge(f"T{n}", "遵义会议是伟大转折", True) for n in range(true)]
            + [judge(f"F{n}", "遵义会议在上海召开", False) for n in range(false)])


@pytest.mark.parametrize(("true", "false", "fires"), [
    (8, 2, True), (2, 8, True), (7, 5, False), (4, 6, False), (6, 3, False),
])
def test_share_of_true_statements(true, false, fires):
    finding = checks(judges(true, false)).get("judge_true_share")
    assert (finding is not None) == fires
    if fires:
        assert f"“对”占 {round(100 * true / (true + false))}%" in finding.message


def test_absolutes_only_in_false_statements_are_flagged():
    drafts = judges(6, 2) + [judge(f"A{n}", "遵义会议只讨论了军事问题", False) for n in range(3)]
    finding = checks(drafts)["judge_absolutes"]
    assert "错题占 60%" in finding.message and "对题占 0%" in finding.message
    assert finding.keys == ("A0", "A1", "A2")


def test_absolutes_only_in_true_statements_are_flagged_too():
    drafts = judges(3, 7) + [judge(f"A{n}", "党的领导是一切工作的根本", True) for n in range(3)]
    assert "见绝对词就判对" in checks(drafts)["judge_absolutes"].message


def test_absolutes_used_alike_in_true_and_false_statements_are_quiet():
    drafts = (judges(4, 4) + [judge(f"A{n}", "遵义会议只讨论了军事问题", False) for n in range(3)]
              + [judge(f"B{n}", "党的领导是一切工作的根本", True) for n in range(3)])
    assert "judge_absolutes" not in checks(drafts)


def test_absolutes_need_enough_statements_to_compare():
    drafts = judges(6, 2) + [judge(f"A{n}", "遵义会议只讨论了军事问题", False) for n in range(2)]
    assert "judge_absolutes" not in checks(drafts)


# ---- 填空: single forms, common phrases

def test_blanks_that_accept_one_form_only_are_flagged_when_most_do():
    drafts = [fill(f"B{n}", [f"答案{n}"]) for n in range(10)]
    finding = checks(drafts)["fill_single_form"]
    assert "10 个空中有 10 个只接受一种写法" in finding.message


def test_blanks_with_enough_variants_are_quiet():
    drafts = [fill(f"B{n}", [f"答案{n}"]) for n in range(7)] + [fill(f"V{n}", ["党", "中国共产党"]) for n in range(3)]
    assert "fill_single_form" not in checks(drafts)


def test_variants_that_differ_only_in_punctuation_do_not_count():
    drafts = [fill(f"B{n}", [f"答案{n}", f"答案{n}。"]) for n in range(10)]
    assert "fill_single_form" in checks(drafts)


def test_few_blanks_are_not_judged_on_variants():
    assert "fill_single_form" not in checks([fill(f"B{n}", [f"答案{n}"]) for n in range(9)])


def test_a_common_phrase_answer_is_flagged_even_alone():
    drafts = [fill("C1", ["坚强保障"], stem="为高质量发展提供（　）。"), fill("C2", ["听党话"])]
    assert checks(drafts)["fill_common_phrase"].keys == ("C1",)
    assert "fill_common_phrase" not in checks([fill("C2", ["听党话"])])


# ---- stems pointing at unseen text

@pytest.mark.parametrize(("stem", "check"), [
    ("文中提到的三大行动是（　）。", "unseen_text"),
    ("根据本文，（　）是第一动力。", "unseen_text"),
    ("根据“每周一学”，历史经验共有（　）条。", "unseen_text"),
    ("该旗以“讲政策、促发展、保稳定”为主题开展（　）活动。", "unseen_text"),
    ("当地让新就业群体成为基层治理的（　）。", "unseen_text"),
    ("今年，包头市开展了（　）行动。", "undated_time"),
    ("近日，自治区召开了（　）会议。", "undated_time"),
])
def test_stems_pointing_at_unseen_text_or_time_are_flagged(stem, check):
    assert checks([fill("U1", ["答案"], stem=stem)])[check].keys == ("U1",)


@pytest.mark.parametrize("stem", [
    "根据新发展理念，（　）是引领发展的第一动力。",
    "根据《中国共产党章程》，党的最高理想是（　）。",
    "根据“三个代表”重要思想，党要始终代表（　）的发展要求。",
    "2021年，包头市开展了（　）行动。",
    "凉城县充分利用当地丰富的红色资源，开展（　）。",
    "今年7月1日，庆祝大会在天安门广场举行，主题是（　）。",
])
def test_stems_that_stand_alone_are_quiet(stem):
    found = checks([fill("U1", ["答案"], stem=stem)])
    assert "unseen_text" not in found and "undated_time" not in found


# ---- near-duplicates

def test_same_quote_and_type_is_flagged_once_per_group():
    quote = "内蒙古是最早建立党组织的民族地区。"
    drafts = [single("D1", "A", quote=quote), single("D2", "B", quote="  内蒙古是最早建立党组织的民族地区 "),
              fill("D3", ["民族地区"], quote=quote), single("D4", "C")]
    findings = [finding for finding in bank_health(drafts).findings if finding.check == "same_quote"]
    assert [finding.keys for finding in findings] == [("D1", "D2")]


def test_stems_that_differ_only_in_the_blank_are_flagged():
    drafts = [fill("E1", ["最早"], stem="内蒙古是（　）建立党组织的民族地区。", quote="甲"),
              fill("E2", ["民族地区"], stem="内蒙古是最早建立党组织的（　）。", quote="乙"),
              fill("E3", ["北京"], stem="心向党、心向中央、心向（　）。", quote="丙")]
    assert checks(drafts)["same_stem"].keys == ("E1", "E2")


def test_a_pair_with_the_same_quote_is_not_reported_twice():
    drafts = [fill("E1", ["最早"], stem="内蒙古是（　）建立党组织的民族地区。", quote="甲"),
              fill("E2", ["民族地区"], stem="内蒙古是最早建立党组织的（　）。", quote="甲")]
    assert [finding.check for finding in bank_health(drafts).findings] == ["same_quote"]


# ---- the report as a whole

def test_a_five_question_import_gets_no_noise():
    drafts = [single("S1", "A"), single("S2", "A"), multiple("M1", "ABC"), judge("J1", "遵义会议只开了三天", False),
              fill("F1", ["听党话"])]
    report = bank_health(drafts)
    assert report.ok and report.findings == []
    assert report.lines()[0] == "题库体检：5 道题，未发现问题"


def test_questions_without_keys_are_named_by_row_and_malformed_ones_are_passed_over():
    draft = QuestionDraft(type="fill", stem="文中说（　）。", answer=[["甲"]], origin_row=7)
    broken = QuestionDraft(type="multiple", stem="（　）", options=["甲"], answer="AB", origin_row=8)
    report = bank_health([draft, broken, QuestionDraft(type=None, stem="")])
    assert [finding.keys for finding in report.findings] == [("第7行",)]


def test_a_long_list_of_keys_is_shortened_in_text():
    finding = Finding("x", "提醒", tuple(f"K{n}" for n in range(15)))
    assert str(finding) == "提醒（K0、K1、K2、K3、K4、K5、K6、K7、K8、K9、K10、K11 等 15 道）"


# ---- 多选: key positions and one key for many

def test_multiple_keys_always_holding_a_and_never_b_are_flagged():
    drafts = [multiple(f"M{n}", pattern, options=5) for n, pattern in enumerate(["ACE", "ACD", "ADE", "ACDE"] * 3)]
    finding = checks(drafts)["multiple_positions"]
    assert "A 在 100%" in finding.message and "B 在 0%" in finding.message and "共 12 道" in finding.message
    assert "应在 39%–91% 之间" in finding.message  # 0.6–1.4 times the 65% of options keyed on average
    assert finding.keys == tuple(f"M{n}" for n in range(12))
    assert "多选题各位置为正确选项的比例：A 100%，B 0%，C 75%，D 75%，E 75%" in bank_health(drafts).figures


def test_multiple_keys_spread_over_the_letters_are_quiet():
    patterns = ["ACE", "BDE", "ABD", "BCE", "ACD", "ABE", "CDE", "ABC", "BD", "AE", "BCD", "ADE"]
    drafts = [multiple(f"M{n}", pattern, options=5) for n, pattern in enumerate(patterns)]
    assert not {"multiple_positions", "multiple_same_key"} & set(checks(drafts))


def test_one_key_for_many_multiples_is_flagged():
    patterns = ["ACE"] * 4 + ["BDE", "ABD", "BCE", "ACD", "ABE", "CDE", "BC", "BD"]
    finding = checks([multiple(f"M{n}", pattern, options=5) for n, pattern in enumerate(patterns)])["multiple_same_key"]
    assert "33%（4/12 道）的答案都是 ACE" in finding.message
    assert finding.keys == ("M0", "M1", "M2", "M3")


def test_multiple_positions_need_ten_multiples():
    drafts = [multiple(f"M{n}", "ACE", options=5) for n in range(9)]
    assert not {"multiple_positions", "multiple_same_key"} & set(checks(drafts))

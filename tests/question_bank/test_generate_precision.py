"""Precision rules from drafts a member should never meet: wrong options that give themselves
away by their form, fill-ins with more than one defensible answer or a clause to type, lists that
only qualify a noun, question headings and author lines read as statements. Also the facts
essays state without a full date: a year (and season) of a meeting, a count, "每N年…一次".
The texts here are written for these tests."""
import random

import pytest

from question_bank.distractors import FALLBACK_POOL, pick_distractors, same_form
from question_bank.draft import SourceRef
from question_bank.generate import draft_text
from question_bank.statement_questions import pins_down
from question_bank.studytext import parse_study_text
from question_bank.text import CANONICAL_BLANK


def drafts_of(text):
    return draft_text(text, SourceRef(title="测试", file="t.txt")).drafts


def options_of(drafts, kind):
    return [d for d in drafts if d.type == kind]


DUTIES = "学会会员必须遵守的规矩主要包括章程纪律、会务纪律、财务纪律、保管纪律。\n"


def test_every_wrong_option_of_a_list_shares_the_form_of_its_items():
    drafts = drafts_of(DUTIES)
    choices = options_of(drafts, "single") + options_of(drafts, "multiple")
    assert choices
    for draft in choices:
        assert all(option.endswith("纪律") for option in draft.options), draft.options


def test_a_list_without_enough_wrong_options_of_its_form_gets_no_choice_question():
    text = "学会的“三个守则”是：守时承诺、守信承诺、守约承诺。\n"
    drafts = drafts_of(text)
    assert drafts and not options_of(drafts, "single") and not options_of(drafts, "multiple")


def test_items_of_no_shared_form_take_no_pool_term_of_a_family():
    study = parse_study_text("")
    picked = pick_distractors(study, ["按时交费", "参加活动", "遵守章程"],
                              ["按时交费", "参加活动", "遵守章程"], 3, random.Random(1))
    families = [term for term in FALLBACK_POOL if term.endswith(("建设", "意识", "战略", "自信"))]
    assert picked and not set(picked) & set(families)


def test_rules_of_conduct_take_no_pool_term():
    text = "学会的“三项守则”是：改进会议作风、精简会务文件、规范外出活动。\n"
    drafts = drafts_of(text)
    assert drafts and not options_of(drafts, "single") and not options_of(drafts, "multiple")


@pytest.mark.parametrize("term, items, expected", [
    ("财务纪律", ["章程纪律", "会务纪律"], True),
    ("宗旨意识", ["章程纪律", "会务纪律"], False),
    ("坚持节约", ["坚持公开", "坚持民主"], True),
    ("厉行节约", ["坚持公开", "坚持民主"], False),
    ("随便什么", ["公开", "民主"], True),
])
def test_same_form(term, items, expected):
    assert same_form(term, items) is expected


def test_a_question_heading_is_not_read_as_a_list():
    text = "怎样理解守时承诺、守信承诺、守约承诺\n守时承诺、守信承诺、守约承诺是会员的三条守则。\n"
    lists = parse_study_text(text).enumerations
    assert len(lists) == 1 and lists[0].quote.startswith("守时")


def test_a_list_qualifying_a_noun_is_no_list_of_members():
    text = "章程是关系学会发展的方向性、全局性、稳定性、长期性问题。\n"
    assert not parse_study_text(text).enumerations
    assert not drafts_of(text)


def test_items_after_a_qualifier_are_not_members_of_the_subject():
    text = "学会的会风是关系学会前途的方向正确、风气清正、作风扎实、账目清楚。\n"
    assert not [e for e in parse_study_text(text).enumerations if e.name]


def test_an_author_line_is_no_topic():
    text = "■ 王明远 李青\n“勤俭办会”是学会的根本要求。\n"
    drafts = drafts_of(text)
    assert drafts and not any("王明远" in d.stem for d in drafts)


@pytest.mark.parametrize("body, expected", [
    ("学会的根本工作方法", True), ("一个学会最大的优势", True),
    ("1936年至1938年间学会开展的一次读书活动", True),
    ("学会历史上的一次重要转折", False), ("办会之本", False), ("历史的必然选择", False),
    ("学会的根本要求之一", False),
])
def test_a_blank_subject_needs_a_body_that_pins_it_down(body, expected):
    assert pins_down(body) is expected


def test_a_definition_with_a_generic_body_gives_no_draft():
    text = "勤俭节约是历史的必然选择。勤俭节约是会员的心之所向。\n"
    assert parse_study_text(text).definitions
    assert not drafts_of(text)


def test_a_definition_that_pins_its_term_down_is_filled_in():
    drafts = drafts_of("勤俭节约是学会的根本工作方法。\n")
    fills = options_of(drafts, "fill")
    assert [d.stem for d in fills] == [f"{CANONICAL_BLANK}是学会的根本工作方法。"]
    assert fills[0].answer == [["勤俭节约"]]


def test_each_clause_stating_a_superlative_is_read_and_one_fact_is_asked_once():
    text = ("勤俭节约是学会最大的优势，账目公开是学会最根本的保障。"
            "勤俭节约是学会的根本方法。勤俭节约是学会的根本工作方法。\n")
    fills = [d.stem for d in options_of(drafts_of(text), "fill")]
    assert sorted(fills) == sorted([f"{CANONICAL_BLANK}是学会最大的优势。",
                                    f"{CANONICAL_BLANK}是学会最根本的保障。",
                                    f"{CANONICAL_BLANK}是学会的根本方法。"])


def test_a_clause_is_not_an_answer_to_type():
    text = "在创办阶段，学会的中心任务是动员全体会员争取会务的成功。\n"
    drafts = drafts_of(text)
    assert drafts and not options_of(drafts, "fill")


def test_a_meeting_dated_by_its_year_and_season_is_asked_about():
    text = "1936年秋，学会在杭州召开了第二次代表会议。1937年以来，学会的会员不断增加。\n"
    drafts = drafts_of(text)
    single = options_of(drafts, "single")
    assert len(single) == 1 and "1936年秋" in single[0].options
    assert all(option.endswith("年秋") for option in single[0].options)
    assert any(d.type == "fill" and d.answer == [["杭州"]] for d in drafts)
    assert not any("1937年" in d.quote for d in drafts)


def test_a_count_and_a_rule_of_years_are_filled_in_and_judged():
    text = ("1936年5月10日，学会第一次代表会议在杭州召开，出席代表共86名。\n"
            "学会的代表会议每三年举行一次。\n")
    drafts = drafts_of(text)
    fills = {d.stem: d.answer for d in options_of(drafts, "fill")}
    assert fills["学会的代表会议每（　）年举行一次。"] == [["三", "三年", "3", "3年"]]
    assert any(answer == [["86", "86名"]] for answer in fills.values())
    judges = [d for d in options_of(drafts, "judge") if "每" in d.stem or "86" in d.stem
              or "代表共" in d.stem]
    assert judges
    for judge in judges:
        assert judge.answer is ("每三年" in judge.stem or "共86名" in judge.stem)

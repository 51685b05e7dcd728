"""Kinds the drafter missed on held-out texts (round 3): a list named by "X具体包括：" over
numbered lines without punctuation, "A服从B" items, a date deep in a long sentence after a comma,
and paired lists ("A、B的首创精神，C、D的奋斗精神"). The texts here are written for these tests."""
from question_bank.distractors import reversals
from question_bank.draft import SourceRef
from question_bank.generate import draft_text
from question_bank.studytext import parse_study_text
from question_bank.studytext.unwrap import unwrap

RULES = ("学会章程对会员提出了纪律要求。\n“三个服从”具体包括:\n1. 会员服从小组\n2. 少数服从多数\n"
         "3. 各个小组和全体会员服从全体会员大会和理事会的决定\n这是学会团结的基础。\n")
DEEP_DATE = ("为了总结第一年的工作,商定下一年的活动安排,在各地会员的支持下,"
             "1936年5月10日,学会理事会在杭州西湖边一所学校(今为西湖小学)召开了扩大会议"
             "(因到会理事不足半数,故称扩大会议),即“五一〇会议”。\n")
SUBJECTLESS = ("王明远早年在上海求学,后来长期从事教育工作,担任过多所学校的教员和校长职务,"
               "1936年5月,在第一次代表会议上当选为理事长。\n")
PAIRED = ("“西湖精神”不仅是学会的精神源头,更是会员共同的财富。它包含了勤俭办会、量入为出的节约精神,"
          "公开账目、接受监督的透明精神,以及团结互助、服务会员的互助精神。这三种精神相互交融。\n")
KINDS = {"勤俭办会、量入为出": "节约精神", "公开账目、接受监督": "透明精神",
         "团结互助、服务会员": "互助精神"}


def drafts_of(text):
    return draft_text(text, SourceRef(title="测试", file="t.txt")).drafts


def test_numbered_lines_without_punctuation_under_a_具体包括_line_are_one_named_list():
    reading = unwrap(RULES)[0]
    assert "理事会的决定\n这是" in reading  # a bare numbered line is not joined to the next
    [listed] = parse_study_text(reading).enumerations
    assert listed.name == "“三个服从”"
    assert listed.items == ["会员服从小组", "少数服从多数",
                            "各个小组和全体会员服从全体会员大会和理事会的决定"]


def test_items_a服从b_get_their_reversals_as_wrong_options():
    assert reversals(["会员服从小组", "少数服从多数"]) == ["小组服从会员", "多数服从少数"]
    assert reversals(["会员服从小组", "小组服从会员"]) == []  # a reversal that is true
    assert reversals(["坚持党的领导", "少数服从多数"]) == []
    drafts = drafts_of(RULES)
    choices = [d for d in drafts if d.type in ("single", "multiple")]
    assert choices
    for draft in choices:
        wrong = [o for i, o in enumerate(draft.options) if "ABCD"[i] not in draft.answer]
        if "属于“三个服从”" in draft.stem and "不属于" not in draft.stem:
            assert all("服从" in option for option in wrong), draft.options
            assert not {"会员服从小组", "少数服从多数"} & set(wrong)


def test_a_date_after_a_comma_deep_in_a_long_sentence_starts_its_statement():
    [event] = parse_study_text(DEEP_DATE).events
    assert event.statement == ("1936年5月10日,学会理事会在杭州西湖边一所学校(今为西湖小学)"
                               "召开了扩大会议")  # stops before the bracket left open
    drafts = drafts_of(DEEP_DATE)
    assert {d.type for d in drafts} >= {"single", "judge", "fill"}
    assert all(d.stem.count("（") == d.stem.count("）") for d in drafts)


def test_a_deep_date_whose_clause_has_no_subject_is_not_read():
    assert parse_study_text(SUBJECTLESS).events == []


def test_paired_lists_read_the_kinds_named_by_the_sentence_before():
    study = parse_study_text(PAIRED)
    [paired] = study.pairs
    assert paired.name == "“西湖精神”"
    assert paired.kinds == ["节约精神", "透明精神", "互助精神"]
    assert paired.pairs == ["勤俭办会、量入为出", "公开账目、接受监督", "团结互助、服务会员"]
    assert [e.items for e in study.enumerations if e.name == "“西湖精神”"] == [paired.kinds]


def test_paired_lists_ask_which_kind_a_pair_describes_and_swap_kinds_for_a_false_judgement():
    drafts = drafts_of(PAIRED)
    kind = [d for d in drafts if d.type == "single" and d.stem.startswith("“西湖精神”包含了")]
    assert len(kind) == 1
    [draft] = kind
    pair = draft.stem.removeprefix("“西湖精神”包含了").split("的")[0]
    assert [draft.options["ABCD".index(letter)] for letter in draft.answer] == [KINDS[pair]]
    assert not any(d.stem.startswith(("它", "其")) for d in drafts)
    judged = [d for d in drafts if d.type == "judge" and d.stem.startswith("“西湖精神”包含了")]
    assert judged
    for judge in judged:
        pair, kind = judge.stem.removeprefix("“西湖精神”包含了").rstrip("。").split("的")
        assert judge.answer is (KINDS[pair] == kind), judge.stem


def test_a_pair_list_under_a_pronoun_with_no_quoted_name_before_it_is_not_read():
    text = "会员们都很重视。它包含了勤俭办会、量入为出的节约精神,公开账目、接受监督的透明精神。\n"
    assert parse_study_text(text).pairs == []

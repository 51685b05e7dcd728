"""Kinds of real text the drafter met on texts it had never seen: sentences broken across lines,
statements opening with a label or a connective, title lines, parallel "X的核心是“Y”" clauses and
a first list item carrying words the others share. The texts here are written for these tests."""
from question_bank.draft import SourceRef
from question_bank.generate import draft_text
from question_bank.studytext import parse_study_text
from question_bank.studytext.unwrap import unwrap
from question_bank.text import CANONICAL_BLANK

WRAPPED = ("第一次代表会议的召开,标志着这个学会正式成\n\n立,是学会历史上的一件大事。\n\n"
           "学会第一次代表会议于1936年5月10日至12日在\n\n杭州西湖边的一所学校里召开,"
           "各地的五个小组派出了十名代表出席。\n\n会议选举了理事会,王明远任理事长,李青任秘书长,"
           "赵华任会计。\n")
LABELLED = ("提 要:多年来,本会明确提出了“勤俭办会”并将其纳入“三个坚持”工作方针。\n"
            "本会每年举行两次全体会议。其中,1950年3月5日至9日,在天津召开的第五次全体会议上,"
            "章程修正案获得通过。\n")
TITLE = "“勤俭办会”:依据、核心和关键\n本文讨论勤俭办会的做法。\n"
ASPECTS = ("这项规定的要点包括:“勤俭办会”的依据是“会员公约”;“勤俭办会”的核心是“精打细算”;"
           "“勤俭办会”的关键在“公开账目”;“勤俭办会”的重点在“节约开支”。\n")
SHARED_HEAD = ("“三个自觉”即学习小组思想自觉、行动自觉、纪律自觉,这是会员的基本要求。"
               "“四个到位”即认识到位、责任到位、措施到位、落实到位。\n")


def drafts_of(text):
    return draft_text(text, SourceRef(title="测试", file="t.txt")).drafts


def test_a_line_broken_inside_a_sentence_is_read_as_one_sentence_and_quoted_as_written():
    reading, positions = unwrap(WRAPPED)
    assert "正式成立,是学会历史上" in reading and "学校里召开" in reading
    assert reading.count("\n") < WRAPPED.count("\n") and len(positions) == len(reading)
    assert all(WRAPPED[p] == c for p, c in zip(positions, reading))
    drafts = drafts_of(WRAPPED)
    dated = [d for d in drafts if "1936年5月10日至12日" in d.stem or "1936" in str(d.options)]
    assert dated and all("\n" not in d.stem for d in drafts)
    for draft in drafts:
        assert draft.quote in WRAPPED  # verbatim, the line breaks kept
    assert not any(d.stem.startswith(("立", "杭州西湖边")) for d in drafts)


def test_headings_and_lines_ending_a_sentence_are_not_joined():
    text = "学会简介\n1.坚持勤俭办会\n2.坚持公开账目\n会议决定:\n下次会议在北京召开。\n"
    assert unwrap(text)[0] == text


def test_a_dated_meeting_that_is_the_subject_ends_its_statement_at_the_verb():
    events = parse_study_text(unwrap(WRAPPED)[0]).events
    assert [e.statement for e in events] == [
        "学会第一次代表会议于1936年5月10日至12日在杭州西湖边的一所学校里召开"]


def test_a_statement_never_opens_with_a_label_or_a_connective_pointing_back():
    drafts = drafts_of(LABELLED)
    assert drafts
    for draft in drafts:
        assert not draft.stem.startswith(("提 要", "其中")), draft.stem
        assert not any(str(o).startswith(("提 要", "其中")) for o in draft.options)
    assert any("1950年3月5日至9日" in d.stem or CANONICAL_BLANK in d.stem for d in drafts)


def test_a_title_over_aspects_is_not_a_list_of_members():
    assert not [e for e in parse_study_text(TITLE).enumerations if e.name]


def test_parallel_clauses_on_one_subject_are_asked_as_a_chain():
    chains = parse_study_text(ASPECTS).chains
    assert [(x, role) for x, role, _ in chains[0].entries] == [
        ("会员公约", "依据"), ("精打细算", "核心"), ("公开账目", "关键"), ("节约开支", "重点")]
    drafts = drafts_of(ASPECTS)
    single = [d for d in drafts if d.type == "single"]
    assert single and set(single[0].options) == {"会员公约", "精打细算", "公开账目", "节约开支"}


def test_clauses_on_different_subjects_are_no_chain():
    text = "“勤俭办会”的核心是“精打细算”;“民主办会”的关键在“公开账目”。\n"
    assert not parse_study_text(text).chains


def test_a_first_item_carrying_shared_words_is_cut_to_the_others_pattern():
    lists = {e.name: e.items for e in parse_study_text(SHARED_HEAD).enumerations if e.name}
    assert lists["“三个自觉”"] == ["思想自觉", "行动自觉", "纪律自觉"]
    assert lists["“四个到位”"] == ["认识到位", "责任到位", "措施到位", "落实到位"]


def test_a_place_named_only_as_here_is_left_out_of_the_statement():
    text = "学会第一次代表会议于1936年5月10日至12日在这里秘密召开,十名代表出席。\n"
    stems = [d.stem for d in drafts_of(text)]
    assert stems and all(s.startswith("学会第一次代表会议于") and s.endswith("秘密召开。")
                         for s in stems)
    assert not any("这里" in stem for stem in stems)


def test_a_definition_after_a_colon_is_read_and_one_before_a_colon_is_not():
    text = ("他在文章中论述道:严格的纪律是组织高度发展的伴随现象和产物。\n"
            "出席会议的人员是理事会成员:王明远、李青、赵华。\n")
    definitions = {d.term: d.body for d in parse_study_text(text).definitions}
    assert definitions == {"严格的纪律": "组织高度发展的伴随现象和产物"}


def test_words_the_source_masked_are_never_asked_about():
    text = ("大会总结了**十个方面历史经验,即坚持团结、坚持勤俭、坚持公开、坚持民主。\n"
            "“四个坚持”即坚持团结、坚持勤俭、坚持公开、坚持民主。\n")
    drafts = drafts_of(text)
    assert drafts and not any("**" in d.stem + "".join(d.options) for d in drafts)


def test_numbered_lines_under_a_paragraph_ending_in_a_counted_name_are_its_members():
    text = ("会员在学习中要着重增强三个意识。\n一是要增强节约意识。账目要精打细算。\n"
            "二是要增强公开意识。账目要按月公开。\n三是要增强民主意识。重大事项要集体讨论。\n")
    lists = {e.name: e.items for e in parse_study_text(text).enumerations}
    assert lists == {"三个意识": ["节约意识", "公开意识", "民主意识"]}


def test_a_counted_name_that_disagrees_with_the_lines_names_nothing():
    text = ("会员要着重增强四个意识。\n一是要增强节约意识。账目要精打细算。\n"
            "二是要增强公开意识。账目要按月公开。\n三是要增强民主意识。重大事项要集体讨论。\n")
    assert not [e for e in parse_study_text(text).enumerations if e.name]


def test_a_term_opening_its_sentence_then_jiushi_is_a_definition():
    text = "理论认识:“会员的责任,就是维护学会的共同利益和良好声誉”\n这句话很重要,就是说要记住。\n"
    definitions = {d.term: d.body for d in parse_study_text(text).definitions}
    assert definitions == {"会员的责任": "维护学会的共同利益和良好声誉"}


def test_a_post_given_by_you_is_the_person_without_you():
    text = "同年6月,学会改组,由王明远任理事长,李青任秘书长,赵华任会计。\n"
    group = parse_study_text(text).posts[0]
    assert [person for person, *_ in group.posts] == ["王明远", "李青", "赵华"]


def test_numbered_lines_lose_the_modal_and_the_subject_before_it():
    text = ("学会关于改进会风的三项规定:\n一、理事会全体成员要改进调查研究,多到会员中去。\n"
            "二、要精简会议活动,开短会。\n三、要厉行勤俭节约,不搞宴请。\n")
    lists = {e.name: e.items for e in parse_study_text(text).enumerations if e.name}
    assert lists == {"学会关于改进会风的三项规定": ["改进调查研究", "精简会议活动", "厉行勤俭节约"]}


def test_a_list_named_in_the_clause_after_it():
    text = "勤俭办会、公开账目、民主决策,是本会办会的“三条经验”,大家要牢记。\n"
    lists = {e.name: e.items for e in parse_study_text(text).enumerations if e.name}
    assert lists == {"本会办会的“三条经验”": ["勤俭办会", "公开账目", "民主决策"]}


def test_a_claim_in_the_first_clause_is_read_when_it_names_a_role():
    text = ("节约意识是办会之本,会员都要精打细算。\n"
            "公开账目是一件大事,大家都很关心。\n")
    definitions = {d.term: d.body for d in parse_study_text(text).definitions}
    assert definitions == {"节约意识": "办会之本"}


def test_a_question_heading_is_no_definition():
    text = "为什么说学会的章程是全体会员必须遵守的行为规则?\n学会章程由会员大会通过。\n"
    assert not parse_study_text(text).definitions


def test_a_list_that_qualifies_the_noun_after_it_is_no_list_of_members():
    text = "会员纪律是规范和处理理事会之间、理事会与会员之间以及会员与会员之间关系的规则。\n"
    assert not [e for e in parse_study_text(text).enumerations if e.name]


def test_a_label_of_the_page_is_no_topic():
    text = "【心得体会】\n节约意识是办会的根本要求,会员都要精打细算。\n"
    stems = [d.stem for d in drafts_of(text)]
    assert stems and not any("心得体会" in stem for stem in stems)


def test_suowei_jiushi_zhi_is_read():
    text = "所谓“铁的规矩”,就是指学会的章程必须执行。\n"
    assert {d.term: d.body for d in parse_study_text(text).definitions} == {
        "“铁的规矩”": "学会的章程必须执行"}


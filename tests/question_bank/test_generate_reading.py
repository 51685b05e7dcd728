"""Drafting from any study text: counted lists, title lines, aims, dated events, traditional
characters; every draft quoted verbatim, at most one of each type per fact, 判断题 half false.
The texts here are written for these tests."""
import re
import time
from collections import Counter, defaultdict

import pytest

from question_bank.draft import SourceRef
from question_bank.fact_questions import place_variants
from question_bank.generate import draft_text, generate_candidates
from question_bank.studytext import parse_study_text
from question_bank.studytext.segment import is_word_boundary
from question_bank.text import CANONICAL_BLANK
from question_bank.validate import validate

COUNTED = ("报告强调，全党同志务必坚持人民至上、心系群众，务必勇于自我革命，务必保持战略定力、"
           "久久为功。这“三个务必”，是对“两个务必”的继承和发展。1949年3月，毛泽东在党的七届二中全会上"
           "提出了“两个务必”：务必使同志们继续地保持谦虚谨慎的作风，务必使同志们继续地保持艰苦奋斗的作风。")
TITLES = ("一、基本知识\n1.党的根本宗旨\n全心全意为人民服务。\n2.党的最高理想\n实现共产主义。\n"
          "3.党的思想路线\n一切从实际出发，理论联系实际。\n4.党的三大作风\n"
          "理论联系实际、密切联系群众、批评与自我批评。\n")
AIM = ("会议指出，进一步全面深化改革的总目标是继续完善和发展中国特色社会主义制度，"
       "推进国家治理体系和治理能力现代化。高质量发展是全面建设社会主义现代化国家的首要任务。")
EVENTS = ("1935年1月15日至17日，中共中央在遵义召开政治局扩大会议。会议确立了正确的领导。\n"
          "1978年12月18日至22日，党的十一届三中全会在北京京西宾馆举行。\n"
          "1929年12月28日至29日，红四军第九次党的代表大会在福建省上杭县古田村召开。\n"
          "1921年7月23日，中国共产党第一次全国代表大会在上海开幕。\n")
TRADITIONAL = ("1935年1月15日至17日，中共中央在遵義召開了政治局擴大會議。\n"
               "全黨同志務必不忘初心、牢記使命，務必謙虛謹慎、艱苦奮鬥，務必敢於鬥爭、善於鬥爭。"
               "這“三個務必”十分醒目。\n黨的紀律主要包括政治紀律、組織紀律、廉潔紀律、群眾紀律、"
               "工作紀律、生活紀律。\n")
ALL = [COUNTED, TITLES, AIM, EVENTS, TRADITIONAL]


def drafts_of(text, name="t.txt"):
    return draft_text(text, SourceRef(title="测试", file=name))


def test_a_list_named_by_its_number_is_read_with_its_members():
    lists = {e.name: e.items for e in parse_study_text(COUNTED).enumerations}
    assert lists["“三个务必”"] == ["务必坚持人民至上、心系群众", "务必勇于自我革命",
                                 "务必保持战略定力、久久为功"]
    assert lists["“两个务必”"] == ["务必使同志们继续地保持谦虚谨慎的作风",
                                 "务必使同志们继续地保持艰苦奋斗的作风"]


def test_multiple_choice_keys_are_real_members_and_never_all_options():
    drafting = drafts_of(COUNTED)
    multiple = [d for d in drafting.drafts if d.type == "multiple" and "三个务必" in d.stem]
    assert multiple
    members = ["务必坚持人民至上、心系群众", "务必勇于自我革命", "务必保持战略定力、久久为功"]
    for draft in multiple:
        keys = [draft.options["ABCDEFGH".index(letter)] for letter in draft.answer]
        others = [o for o in draft.options if o not in keys]
        assert set(keys) <= set(members) and others and not set(others) & set(members)


def test_title_lines_name_lists_and_give_statements_to_ask_about():
    study = parse_study_text(TITLES)
    assert {e.name: e.items for e in study.enumerations}["党的三大作风"] == [
        "理论联系实际", "密切联系群众", "批评与自我批评"]
    defined = {d.term: d.body for d in study.definitions}
    assert defined["党的根本宗旨"] == "全心全意为人民服务"
    assert "基本知识" not in defined  # its line below is a title, not a statement
    stems = [d.stem for d in drafts_of(TITLES).drafts]
    assert f"党的根本宗旨是{CANONICAL_BLANK}。" in stems
    assert "根据原文，党的最高理想是（　）。" in stems


def test_an_aim_keeps_its_whole_statement_and_is_word_is_not_cut():
    defined = {d.term: d.body for d in parse_study_text(AIM).definitions}
    assert defined["进一步全面深化改革的总目标"] == \
        "继续完善和发展中国特色社会主义制度，推进国家治理体系和治理能力现代化"
    assert defined["高质量发展"] == "全面建设社会主义现代化国家的首要任务"
    assert not parse_study_text("坚持实事求是的思想路线。").definitions


def test_dated_events_give_a_date_choice_a_judgement_and_a_place():
    drafting = drafts_of(EVENTS)
    events = [d for d in drafting.drafts if drafting.notes[d.key]["structure"] == "event"]
    assert {d.type for d in events} == {"single", "judge", "fill"}
    for draft in (d for d in events if d.type == "single"):
        right = draft.options["ABCD".index(draft.answer[0])]
        assert draft.stem.replace(CANONICAL_BLANK, right).rstrip("。") in EVENTS.replace(",", "，")
        wrong = [o for o in draft.options if o != right]
        assert len(set(wrong)) == 3 and all(o[:4] != right[:4] for o in wrong)
    places = [d.answer[0] for d in events if d.type == "fill"]
    assert ["福建省上杭县古田村", "上杭县古田村", "古田村", "上杭县古田", "古田"] in places
    assert ["北京京西宾馆", "京西宾馆"] in places


def test_a_false_statement_says_what_was_changed():
    drafting = drafts_of(EVENTS + AIM + TITLES)
    false = [d for d in drafting.drafts if d.type == "judge" and d.answer is False]
    assert false
    for draft in false:
        change = drafting.notes[draft.key]["change"]
        assert change and draft.stem not in EVENTS + AIM + TITLES
        years = re.findall(r"“(\d{4})年", change)
        if years:
            assert years[0] not in draft.stem and years[1] in draft.stem


def test_traditional_text_is_read_as_simplified_and_quoted_as_written():
    drafting = drafts_of(TRADITIONAL)
    assert len(drafting.drafts) >= 8
    assert {d.type for d in drafting.drafts} == {"single", "multiple", "judge", "fill"}
    for draft in drafting.drafts:
        offset = drafting.notes[draft.key]["offset"]
        assert TRADITIONAL[offset:offset + len(draft.quote)] == draft.quote
    assert any("遵義" in d.quote and "遵义" in d.stem for d in drafting.drafts)
    assert any(d.stem == "根据原文，党的纪律共有（　）项。" for d in drafting.drafts)


@pytest.mark.parametrize("text", ALL)
def test_drafts_are_valid_quote_the_text_and_give_one_of_each_type_per_fact(text):
    drafting = drafts_of(text)
    assert drafting.drafts and not validate(drafting.drafts)
    per_fact = defaultdict(Counter)
    for draft in drafting.drafts:
        note = drafting.notes[draft.key]
        assert text[note["offset"]:note["offset"] + len(draft.quote)] == draft.quote
        per_fact[(draft.quote, note["structure"], note["scope"])][draft.type] += 1
    assert all(count == 1 for types in per_fact.values() for count in types.values()), per_fact


def test_judgements_are_about_half_false():
    answers = [d.answer for text in ALL for d in drafts_of(text).drafts if d.type == "judge"]
    assert len(answers) >= 8
    assert 0.35 <= sum(answers) / len(answers) <= 0.65


def test_density_and_types_on_a_text_with_lists_and_events():
    text = COUNTED + "\n" + EVENTS
    drafts = drafts_of(text).drafts
    assert len(drafts) >= len(text) / 150
    assert {"single", "multiple", "judge", "fill"} <= {d.type for d in drafts}


def test_a_6000_character_text_is_drafted_in_under_two_seconds():
    text = "\n".join(ALL)
    text = (text * (6000 // len(text) + 1))[:6000]
    drafts_of(TITLES)
    is_word_boundary("要求党员", 1)  # the segmenter's dictionary is loaded once per process
    started = time.perf_counter()
    drafts_of(text)
    assert time.perf_counter() - started < 2


def test_without_lists_definitions_or_dates_it_says_why():
    drafting = drafts_of("今天天气很好，我们一起去公园散步。大家都很开心。")
    assert drafting.drafts == []
    assert "没有找到列举、定义或带日期的事件句" in drafting.why_none()


def test_a_heading_narrows_the_text_but_is_not_needed():
    outside = "1921年7月23日，中国共产党第一次全国代表大会在上海开幕。\n"
    inside = "◎每周一学\n" + EVENTS.split("\n")[0] + "\n◎其他栏目\n"
    stems = " ".join(d.stem for d in generate_candidates(outside + inside, SourceRef(file="a")))
    assert "遵义" in stems and "上海" not in stems
    assert generate_candidates(outside, SourceRef(file="b"))


@pytest.mark.parametrize("place, variants", [
    ("遵义", ["遵义"]), ("王爷庙（乌兰浩特市）", ["王爷庙（乌兰浩特市）", "王爷庙"]),
    ("河北省平山县里庄", ["河北省平山县里庄", "平山县里庄", "里庄"]),
    ("陕北洛川", ["陕北洛川", "洛川"]), ("江西瑞金", ["江西瑞金", "瑞金"]),
    # a place name among its words, never a province, a county alone or a generic hall
    ("河北平山西柏坡", ["河北平山西柏坡", "平山西柏坡", "平山", "西柏坡"]),
    ("延安杨家岭中央大礼堂", ["延安杨家岭中央大礼堂", "延安", "延安杨家岭"]),
    ("浙江嘉兴南湖", ["浙江嘉兴南湖", "嘉兴南湖", "嘉兴", "南湖"]),
])
def test_place_variants(place, variants):
    assert place_variants(place) == variants


def test_word_boundaries_come_from_the_segmenter():
    assert not is_word_boundary("要求党员", 1) and is_word_boundary("要求党员", 2)


def test_the_report_writes_a_sheet_and_measures_marks(tmp_path, capsys):
    from question_bank.__main__ import main

    (tmp_path / "events.txt").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "notes.md").write_text("不读", encoding="utf-8")
    marks = tmp_path / "marks.csv"
    drafts = drafts_of(EVENTS, "events.txt").drafts
    marks.write_text("file,draft_id,mark,reason\n" + "".join(
        f"events.txt,{d.key},{'wrong' if i == 0 else 'correct'},\n" for i, d in enumerate(drafts)),
        encoding="utf-8")
    sheet = tmp_path / "sheet.xlsx"
    assert main(["generate", "--report", str(tmp_path), "--sheet", str(sheet),
                 "--marks", str(marks)]) == 0
    out = capsys.readouterr().out
    assert f"events.txt：{len(EVENTS)} 字，{len(drafts)} 道" in out
    assert f"错误 {1 / len(drafts):.1%}" in out and "未标注 0 道" in out
    import openpyxl
    rows = list(openpyxl.load_workbook(sheet).active.values)
    assert rows[0][:3] == ("file", "draft_id", "type") and len(rows) == len(drafts) + 1
    assert rows[1][-2] == "wrong"


def test_a_bad_mark_is_named_with_its_row(tmp_path):
    from question_bank.quality import read_marks

    marks = tmp_path / "marks.csv"
    marks.write_text("file,draft_id,mark,reason\na.txt,gen-1,correct,\na.txt,gen-2,good,\n",
                     encoding="utf-8")
    with pytest.raises(ValueError, match="第3行.*good"):
        read_marks(marks)


POSTS = ("1928年5月，部队改编为中国工农红军第四军，简称红四军，朱德任军长，毛泽东任党代表，"
         "陈毅任政治部主任。\n学会成立时，王明远任理事长，李青任秘书长。")


def test_who_held_which_post_is_asked_and_a_swap_is_false():
    drafting = drafts_of(POSTS + "\n" + EVENTS)
    posts = [d for d in drafting.drafts if drafting.notes[d.key]["structure"] == "post"]
    single = next(d for d in posts if d.type == "single")
    assert single.stem.endswith("（　）任军长，毛泽东任党代表，陈毅任政治部主任。")
    assert single.options[ord(single.answer[0]) - ord("A")] == "朱德"
    assert set(single.options) == {"朱德", "王明远", "李青"}  # no one the stem names
    fill = next(d for d in posts if d.type == "fill")
    assert fill.answer == [["政治部主任"]]
    judge = next(d for d in posts if d.type == "judge")
    if judge.answer:
        assert "朱德任军长，毛泽东任党代表" in judge.stem
    else:
        assert "毛泽东任军长，朱德任党代表" in judge.stem
        assert drafting.notes[judge.key]["change"] == "对调了“朱德”和“毛泽东”的职务"
    assert not parse_study_text("会议任务繁重，大家任劳任怨。").posts


def test_who_made_which_report_is_asked_like_a_post():
    text = ("1936年5月10日，学会第一次代表会议在杭州召开。王明远作《论勤俭办会》的工作报告，"
            "李青作《关于修改章程的说明》，赵华作《会费收支报告》的书面报告。\n")
    drafting = drafts_of(text)
    posts = [d for d in drafting.drafts if drafting.notes[d.key]["structure"] == "post"]
    fill = next(d for d in posts if d.type == "fill")
    assert fill.answer == [["《会费收支报告》", "会费收支报告"]]
    assert fill.stem.endswith("赵华作（　）的书面报告。")
    judge = next(d for d in posts if d.type == "judge")
    if not judge.answer:
        assert "李青作《论勤俭办会》" in judge.stem
        assert drafting.notes[judge.key]["change"] == "对调了“王明远”和“李青”的报告"
    assert not any(d.type == "single" for d in posts)  # no one but those the stem names


FORMULATIONS = ("改革开放初期，我们党制定了“三步走”的发展战略。十一届三中全会否定了“两个凡是”。"
                "大家都说“三个好”很好。")


def test_a_counted_formulation_with_its_verb_is_asked_about():
    drafting = drafts_of(FORMULATIONS)
    asked = [d for d in drafting.drafts if drafting.notes[d.key]["structure"] == "formulation"]
    # "三个好" has no verb such as 提出/制定 before it
    assert {drafting.notes[d.key]["scope"] for d in asked} == {"三步走", "两个凡是"}
    choice = next(d for d in asked if d.type == "single" and "制定了" in d.stem)
    assert choice.options[ord(choice.answer[0]) - ord("A")] == "“三步走”"
    fill = next(d for d in asked if d.type == "fill" and "否定了" in d.stem)
    assert fill.answer == [["两个凡是", "“两个凡是”"]]


def test_an_unnamed_run_of_clauses_led_by_one_verb_is_a_list():
    text = ("会议强调，要聚焦构建高水平社会主义市场经济体制，聚焦发展全过程人民民主，"
            "聚焦建设社会主义文化强国，继续把改革推向前进。")
    lists = [e for e in parse_study_text(text).enumerations if e.items[0].startswith("聚焦")]
    assert [e.items for e in lists] == [["聚焦构建高水平社会主义市场经济体制", "聚焦发展全过程人民民主",
                                        "聚焦建设社会主义文化强国"]]
    fills = [d for d in drafts_of(text).drafts if d.type == "fill"]
    assert fills and all(len(d.answer[0]) == 2 and d.answer[0][1] == d.answer[0][0][2:]
                         for d in fills)


def test_a_title_naming_a_task_defines_nothing():
    study = parse_study_text("1.加强党的建设\n我们要持之以恒正风肃纪。\n2.党的根本宗旨\n全心全意为人民服务。\n")
    assert [d.term for d in study.definitions] == ["党的根本宗旨"]


@pytest.mark.parametrize("sentence, body", [
    ("明确新时代我国社会主要矛盾是人民日益增长的美好生活需要和不平衡不充分的发展之间的矛盾，必须坚持以人民为中心。",
     "人民日益增长的美好生活需要和不平衡不充分的发展之间的矛盾"),
    ("新时代党的建设总要求是：坚持和加强党的全面领导，坚持党要管党、全面从严治党。", None),
    ("改革的总目标是完善和发展中国特色社会主义制度，推进国家治理体系和治理能力现代化，为党和国家事业发展提供更加完善的制度保障，这是一项长期任务。",
     None),
])
def test_an_aim_is_never_cut_to_half_a_statement(sentence, body):
    found = [d.body for d in parse_study_text(sentence).definitions if d.kind == "attribute"]
    assert found == ([body] if body else [])


def test_a_counted_name_followed_by_its_list_names_it():
    lists = parse_study_text("党在长期实践中形成了三大优良作风，即理论联系实际、密切联系群众、批评与自我批评。"
                             ).enumerations
    assert [(e.name, len(e.items)) for e in lists] == [("三大优良作风", 3)]


def test_a_counted_name_does_not_name_a_list_before_it():
    text = "通过召开座谈会、深入企业调研、帮办代办等形式服务企业。全旗打响三大战役，成效明显。"
    assert all(e.name is None for e in parse_study_text(text).enumerations)
    inline = parse_study_text("深入推进党的自我革命，要做到“三个坚持”：一是坚持党要管党；二是坚持全面从严治党；"
                              "三是坚持以党的政治建设为统领。").enumerations
    assert [(e.name, len(e.items)) for e in inline] == [("“三个坚持”", 3)]


def test_near_identical_drafts_are_merged():
    from question_bank.draft_bank import DraftBank

    bank = DraftBank(parse_study_text(""), SourceRef(file="t.txt"))
    common = dict(quote="q", explanation="", difficulty=1, topic=None)
    bank.add("a", "judge", "1935年1月，中共中央在遵义召开了政治局扩大会议。", True, subject="a", **common)
    bank.add("b", "judge", "1935年1月，中共中央在遵义召开政治局扩大会议。", True, subject="b", **common)
    bank.add("c", "fill", "1935年1月，中共中央在（　）召开政治局扩大会议。", [["遵义"]], subject="c",
             **common)
    bank.add("d", "judge", "1921年7月，中国共产党第一次全国代表大会在上海开幕。", True, subject="d", **common)
    bank.add("e", "judge", "1935年1月中旬，中共中央在遵义召开了政治局扩大会议。", True, subject="e",
             **{**common, "quote": "another passage"})
    assert [d.type for d in bank.drafts] == ["judge", "fill", "judge", "judge"]


def test_a_list_of_four_gives_a_multiple_choice_with_two_blanks():
    text = "新时代必须全面推进党的政治建设、思想建设、组织建设、作风建设、纪律建设，不断提高党的建设质量。"
    multiple = [d for d in drafts_of(text).drafts if d.type == "multiple"]
    assert len(multiple) == 1 and multiple[0].stem.count(CANONICAL_BLANK) == 2
    keys = [multiple[0].options[ord(letter) - ord("A")] for letter in multiple[0].answer]
    assert len(keys) == 2 and set(keys) < {"思想建设", "组织建设", "作风建设", "纪律建设", "政治建设"}
    assert not set(multiple[0].options) - set(keys) & {"思想建设", "组织建设", "作风建设", "纪律建设", "政治建设"}


def test_the_word_dictionary_warms_up_in_the_background():
    from question_bank.studytext import segment

    thread = segment.warm_up()
    if thread:
        thread.join(timeout=60)
    assert segment.warm_up() is None  # loaded once: nothing more to start
    started = time.perf_counter()
    assert is_word_boundary("中国特色社会主义", 4)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("text, name, items", [
    ("社会主义核心价值观的基本内容是：“富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善”。",
     "社会主义核心价值观的基本内容", "富强 民主 文明 和谐 自由 平等 公正 法治 爱国 敬业 诚信 友善"),
    ("党的作风建设有三个重点：第一，理论联系实际；第二，密切联系群众；第三，批评与自我批评。",
     "党的作风建设的三个重点", "理论联系实际 密切联系群众 批评与自我批评"),
    ("新时代党的建设要把握好三个方面：\n一是坚持党的领导\n二是加强党的建设\n三是全面从严治党\n",
     "新时代党的建设的三个方面", "坚持党的领导 加强党的建设 全面从严治党"),
])
def test_lists_in_quotes_after_first_second_and_on_lines_are_named(text, name, items):
    assert [(e.name, e.items) for e in parse_study_text(text).enumerations] == [(name, items.split())]

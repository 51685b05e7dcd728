"""The 每周一学 question generator, checked against hand-written answer tables for each text."""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from question_bank.draft import QuestionDraft, SourceRef
from question_bank.generate import GenerateError, generate_candidates, generate_file, overlaps
from question_bank.readers import read_questions
from question_bank.text import CANONICAL_BLANK, normalise_answer_text, normalise_stem
from question_bank.validate import validate

TEXTS = Path(__file__).parent / "texts"
SOURCES = Path(__file__).resolve().parents[2] / "question_bank" / "sources"
SEED = SOURCES / "001_65e41ac94c833173.txt"
STUDY_FILES = [SEED, TEXTS / "four_consciousness.txt", TEXTS / "core_values.txt",
               TEXTS / "party_building.txt"]

# What the texts say, written out by hand: list name -> items.
LISTS = {
    "中国共产党百年奋斗的历史经验": ["坚持党的领导", "坚持人民至上", "坚持理论创新", "坚持独立自主",
                         "坚持中国道路", "坚持胸怀天下", "坚持开拓创新", "坚持敢于斗争",
                         "坚持统一战线", "坚持自我革命"],
    "“四个意识”": ["政治意识", "大局意识", "核心意识", "看齐意识"],
    "“四个自信”": ["道路自信", "理论自信", "制度自信", "文化自信"],
    "毛泽东思想活的灵魂的三个基本方面": ["实事求是", "群众路线", "独立自主"],
    "社会主义核心价值观的基本内容": ["富强", "民主", "文明", "和谐", "自由", "平等", "公正", "法治",
                       "爱国", "敬业", "诚信", "友善"],
    "国家层面的价值目标": ["富强", "民主", "文明", "和谐"],
    "社会层面的价值取向": ["自由", "平等", "公正", "法治"],
    "公民个人层面的价值准则": ["爱国", "敬业", "诚信", "友善"],
    "党的三大优良作风": ["理论联系实际", "密切联系群众", "批评与自我批评"],
    "“四个全面”战略布局": ["全面建设社会主义现代化国家", "全面深化改革", "全面依法治国", "全面从严治党"],
    "“五位一体”总体布局": ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设"],
}
DEFINITIONS = {
    "创新": "引领发展的第一动力",
    "协调": "持续健康发展的内在要求",
    "绿色": "永续发展的必要条件和人民对美好生活追求的重要体现",
    "开放": "国家繁荣发展的必由之路",
    "共享": "中国特色社会主义的本质要求",
    "中国特色社会主义理论体系": "指导党和人民实现中华民族伟大复兴的正确理论",
    "中国特色社会主义制度": "当代中国发展进步的根本制度保障",
    "中国特色社会主义文化": "激励全党全国各族人民奋勇前进的强大精神力量",
    "三大优良作风": "中国共产党区别于其他政党的显著标志",
}
ROLES = {
    "宗旨": "人民安全", "根本": "政治安全", "主线": "加强党的长期执政能力建设、先进性和纯洁性建设",
    "统领": "党的政治建设", "根基": "坚定理想信念宗旨", "着力点": "调动全党积极性、主动性、创造性",
}
ROLE_RE = re.compile(r"以(.+?)为(宗旨|根本|主线|统领|根基|着力点)")
LEAD_RE = re.compile(r"^关于[^，]+，原文指出：")


def fold(text: str) -> str:
    return normalise_answer_text(text)


def source_for(path: Path) -> SourceRef:
    return SourceRef(title="测试材料", file=path.name, section="每周一学", date="2023-07-10")


def generated(path: Path) -> tuple[str, list[QuestionDraft]]:
    text = path.read_text(encoding="utf-8")
    return text, generate_candidates(text, source_for(path))


def chosen(draft: QuestionDraft) -> list[str]:
    return [draft.options["ABCDEFGH".index(letter)] for letter in draft.answer]


def not_chosen(draft: QuestionDraft) -> list[str]:
    return [option for option in draft.options if option not in chosen(draft)]


def in_list(option: str, items: list[str]) -> bool:
    return option in items


def outside_list(option: str, items: list[str]) -> bool:
    """Really outside: not an item, and no item contains it or is contained in it."""
    return not any(fold(option) in fold(item) or fold(item) in fold(option) for item in items)


def in_text(passage: str, text: str) -> bool:
    passage = LEAD_RE.sub("", passage).replace("……", "")
    return fold(passage) in fold(text)


@pytest.fixture(params=STUDY_FILES, ids=lambda path: path.stem)
def study(request):
    return generated(request.param)


def test_every_candidate_passes_the_validator(study):
    _text, drafts = study
    assert drafts
    assert validate(drafts) == []


def test_all_four_types_are_produced(study):
    _text, drafts = study
    assert {draft.type for draft in drafts} == {"single", "multiple", "judge", "fill"}


def test_candidates_are_drafts_with_source_category_and_explanation(study):
    _text, drafts = study
    for draft in drafts:
        assert draft.status == "draft"
        assert draft.source.title == "测试材料" and draft.source.date == "2023-07-10"
        assert draft.category.startswith("每周一学")
        assert draft.explanation.startswith("原文指出：“")
        assert draft.difficulty in (1, 2, 3)


def test_every_quote_occurs_verbatim_and_stems_are_unique(study):
    text, drafts = study
    assert all(draft.quote and draft.quote in text for draft in drafts)
    stems = [normalise_stem(draft.stem) for draft in drafts]
    assert len(set(stems)) == len(stems)


def test_keys_are_unique_and_stable_across_runs(study):
    text, drafts = study
    again = generate_candidates(text, drafts[0].source)
    assert [d.key for d in again] == [d.key for d in drafts]
    assert [(d.stem, d.options, d.answer) for d in again] == [(d.stem, d.options, d.answer)
                                                              for d in drafts]
    assert len({d.key for d in drafts}) == len(drafts)


def test_keys_depend_on_the_source_file():
    text = SEED.read_text(encoding="utf-8")
    first = generate_candidates(text, SourceRef(file="a.txt"))
    second = generate_candidates(text, SourceRef(file="b.txt"))
    assert not {d.key for d in first} & {d.key for d in second}


def check_choice(draft: QuestionDraft, text: str) -> None:
    stem = draft.stem
    if match := re.fullmatch(r"下列哪一项属于(.+)？", stem):
        items = LISTS[match.group(1)]
        assert in_list(chosen(draft)[0], items)
        assert all(outside_list(option, items) for option in not_chosen(draft))
    elif match := re.fullmatch(r"下列哪一项不属于(.+)？", stem):
        items = LISTS[match.group(1)]
        assert outside_list(chosen(draft)[0], items)
        assert all(in_list(option, items) for option in not_chosen(draft))
    elif match := re.fullmatch(r"下列各项中，属于(.+)的有哪些？", stem):
        items = LISTS[match.group(1)]
        assert all(in_list(option, items) for option in chosen(draft))
        assert all(outside_list(option, items) for option in not_chosen(draft))
    elif match := re.fullmatch(r"根据原文，下列哪一项是(.+)？", stem):
        assert DEFINITIONS[chosen(draft)[0]] == match.group(1)
        assert all(DEFINITIONS[option] != match.group(1) for option in not_chosen(draft))
    elif match := re.fullmatch(r"根据原文，下列关于“(.+)”的表述，正确的是哪一项？", stem):
        term = match.group(1)
        assert chosen(draft) == [f"{term}是{DEFINITIONS[term]}"]
    elif stem.startswith("选出应填入括号处的各项："):
        passage = stem.removeprefix("选出应填入括号处的各项：")
        def filled(pair):
            return passage.replace(CANONICAL_BLANK, pair[0], 1).replace(CANONICAL_BLANK, pair[1], 1)
        assert any(in_text(filled(pair), text) for pair in itertools.permutations(chosen(draft), 2))
        assert not any(in_text(filled(pair), text) for pair in itertools.permutations(draft.options, 2)
                       if set(pair) & set(not_chosen(draft)))
    elif stem.startswith("选出应填入括号处的一项："):
        passage = stem.removeprefix("选出应填入括号处的一项：")
        assert in_text(passage.replace(CANONICAL_BLANK, chosen(draft)[0]), text)
        assert not any(in_text(passage.replace(CANONICAL_BLANK, option), text)
                       for option in not_chosen(draft))
    else:
        pytest.fail(f"unexpected choice stem: {stem}")


def check_judge(draft: QuestionDraft, text: str) -> None:
    stem = draft.stem
    member = re.fullmatch(r"(.+)是(.+)之一。", stem)
    definition = re.fullmatch(r"(.+?)是(.+)。", stem)
    roles = ROLE_RE.findall(stem)
    if member and member.group(2) in LISTS:
        assert draft.answer is (member.group(1) in LISTS[member.group(2)])
        if not draft.answer:
            assert outside_list(member.group(1), LISTS[member.group(2)])
    elif definition and definition.group(1) in DEFINITIONS:
        assert draft.answer is (DEFINITIONS[definition.group(1)] == definition.group(2))
    elif roles:
        assert draft.answer is all(ROLES[role] == x for x, role in roles)
    elif draft.answer is False:
        assert not in_text(stem, text), stem  # a passage of the text with one word swapped
        assert "不是" in draft.explanation
    else:
        assert in_text(stem, text), stem


def check_fill(draft: QuestionDraft, text: str) -> None:
    stem, answer = draft.stem, draft.answer[0][0]
    count = re.fullmatch(r"根据原文，(.+)共有（　）项。", stem)
    listed = re.fullmatch(r"(.+?)(?:包括)?：(.+)。", stem)
    if count:
        assert str(len(LISTS[count.group(1)])) in draft.answer[0]
    elif listed and listed.group(1) in LISTS:
        filled = listed.group(2).replace(CANONICAL_BLANK, answer)
        assert filled.split("、") == LISTS[listed.group(1)]
    else:
        assert in_text(stem.replace(CANONICAL_BLANK, answer), text), stem


CHECKS = {"single": check_choice, "multiple": check_choice, "judge": check_judge,
          "fill": check_fill}


def test_answers_are_right_and_no_distractor_is_true(study):
    text, drafts = study
    for draft in drafts:
        CHECKS[draft.type](draft, text)


def test_false_statements_exist_and_are_false(study):
    text, drafts = study
    false = [d for d in drafts if d.type == "judge" and d.answer is False]
    assert false
    assert not any(in_text(d.stem, text) for d in false)


def test_the_seed_yields_questions_from_its_study_section_only():
    text, drafts = generated(SEED)
    start, end = text.index("◎每周一学"), text.index("(来源:共产党员网)")
    assert all(start < text.index(d.quote) < end for d in drafts)
    stems = " ".join(d.stem for d in drafts)
    assert "五老" not in stems and "中国共产党百年奋斗的历史经验" in stems


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.txt")), ids=lambda path: path.stem)
def test_every_bundled_page_gives_valid_quoted_candidates(path):
    text, drafts = generated(path)
    assert validate(drafts) == []
    assert all(draft.quote in text for draft in drafts)
    assert len({draft.key for draft in drafts}) == len(drafts)


@pytest.mark.parametrize("text", [
    "",
    "今年以来，某社区党支部组织党员开展志愿服务，帮助居民解决实际困难，受到群众好评。",
    "◎每周一学\n\n★学习心得\n\n我们要认真学习，深入思考，学以致用。",
    "村民说，好政策、好环境、好收入，日子越过越红火。",  # a news list nothing names
])
def test_a_text_without_lists_or_definitions_yields_nothing(text):
    assert generate_candidates(text, SourceRef(file="empty.txt")) == []


@pytest.mark.parametrize("text, stem", [
    ("◎每周一学\n\n“四个意识”是指：①政治意识②大局意识③核心意识④看齐意识。", "“四个意识”"),
    ("◎每周一学\n\n党的三大作风：\n（一）理论联系实际\n（二）密切联系群众\n（三）批评与自我批评",
     "党的三大作风"),
    ("◎每周一学\n\n毛泽东思想活的灵魂有三个基本方面：一是实事求是；二是群众路线；三是独立自主。",
     "毛泽东思想活的灵魂的三个基本方面"),
    ("◎每周一学\n\n“五位一体”总体布局是经济建设、政治建设、文化建设、社会建设、生态文明建设。",
     "“五位一体”总体布局"),
    ("◎每周一学\n\n■党的作风\n1.理论联系实际\n2.密切联系群众\n3.批评与自我批评", "党的作风"),
])
def test_each_list_style_is_named_and_asked_about(text, stem):
    drafts = generate_candidates(text, SourceRef(file="style.txt"))
    stems = [d.stem for d in drafts]
    assert f"下列哪一项属于{stem}？" in stems or f"下列哪一项不属于{stem}？" in stems
    assert validate(drafts) == []


@pytest.mark.parametrize("text", [
    # the name says four, the text lists three: the name is not trusted
    "◎每周一学\n\n“四个意识”是指：政治意识、大局意识、核心意识。",
    # "等" means the list is not complete: nothing may be called outside it
    "◎每周一学\n\n党的优良作风包括：理论联系实际、密切联系群众、批评与自我批评等。",
])
def test_doubtful_lists_get_no_membership_questions(text):
    drafts = generate_candidates(text, SourceRef(file="doubt.txt"))
    assert drafts  # the fill-ins are still safe
    assert not [d for d in drafts if "属于" in d.stem or "之一" in d.stem or "共有" in d.stem]


# Terms that hold a right answer ("坚定道路自信" holds "道路自信") look most like the items and
# stand in the same text; as distractors they would be true answers in other words.
OVERLAP_TRAP = ("◎每周一学\n\n★“四个自信”\n\n“四个自信”即：①道路自信②理论自信③制度自信④文化自信。\n\n"
                "全党同志要坚定道路自信、坚定理论自信、坚定制度自信、坚定文化自信。\n\n"
                "★“四个意识”\n\n“四个意识”是指：政治意识、大局意识、核心意识、看齐意识。")


def test_terms_overlapping_a_right_answer_are_never_distractors():
    items = LISTS["“四个自信”"]
    drafts = generate_candidates(OVERLAP_TRAP, SourceRef(file="trap.txt"))
    about = [d for d in drafts if "“四个自信”" in d.stem]
    assert {d.type for d in about} >= {"single", "multiple", "judge"}
    for draft in about:
        if draft.type == "judge":
            named = draft.stem.removesuffix("是“四个自信”之一。")
            assert draft.answer is (named in items)
            assert draft.answer or outside_list(named, items)
        elif "不属于" in draft.stem:
            assert outside_list(chosen(draft)[0], items)
        else:
            assert all(outside_list(option, items) for option in not_chosen(draft))


@pytest.mark.parametrize("first, second, expected", [
    ("人民", "人民至上", True),
    ("坚持依法治国", "坚持全面依法治国", True),
    ("政治意识", "政治意识", True),
    ("政治安全", "人民安全", False),
    ("中国特色社会主义制度", "中国特色社会主义文化", False),
    ("坚持改革开放", "坚持开拓创新", False),
])
def test_overlapping_terms_are_recognised(first, second, expected):
    assert overlaps(first, second) is expected
    assert overlaps(second, first) is expected


def test_generate_file_writes_the_json_format(tmp_path):
    out = tmp_path / "candidates.json"
    count = generate_file(str(TEXTS / "core_values.txt"), str(out))
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["format"] == "quizapp-questions" and payload["version"] == 1
    assert len(payload["questions"]) == count > 0
    first = payload["questions"][0]
    assert first["status"] == "draft"
    assert first["source"]["file"] == "core_values.txt"
    assert first["source"]["section"] == "每周一学"
    result = read_questions(str(out), "candidates.json")
    assert result.errors == []
    assert [d.key for d in result.drafts] == [q["key"] for q in payload["questions"]]


def test_generate_file_takes_a_bundled_texts_metadata(tmp_path):
    out = tmp_path / "seed.json"
    assert generate_file(str(SEED), str(out)) > 0
    sources = {q["source"]["title"] for q in json.loads(out.read_text("utf-8"))["questions"]}
    assert sources == {"深耕“书记项目” 锻造“头雁”硬核能力"}


def test_generate_file_reports_a_missing_file_in_chinese(tmp_path):
    out = tmp_path / "out.json"
    with pytest.raises(GenerateError, match="找不到文件：.*missing.txt"):
        generate_file(str(tmp_path / "missing.txt"), str(out))
    assert not out.exists()


def test_generate_file_reports_a_text_that_is_not_utf8(tmp_path):
    source, out = tmp_path / "gbk.txt", tmp_path / "out.json"
    source.write_bytes("◎每周一学\n“四个意识”是指：政治意识、大局意识、核心意识、看齐意识。".encode("gbk"))
    with pytest.raises(GenerateError, match="gbk.txt：不是 UTF-8 编码的文本文件"):
        generate_file(str(source), str(out))
    assert not out.exists()


@pytest.mark.parametrize("word, value", [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99),
                                         ("十十", 0), ("百", 0), ("②", 2), ("12", 12)])
def test_number_value(word, value):
    from question_bank.studytext.words import number_value

    assert number_value(word) == value


def test_a_malformed_numbering_does_not_crash():
    assert isinstance(generate_candidates("十十、坚持党的领导\n一、坚持人民至上", SourceRef(file="x.txt")), list)

"""The bundled question bank: five 内蒙古日报 pages with their metadata, and reviewed questions
that quote those pages verbatim and cover every item of the 每周一学 column."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from question_bank.bundled import (
    METADATA_FILE,
    SOURCES_DIR,
    BundledSourceError,
    bundled_question_files,
    load_sources,
)
from question_bank.draft import OPTION_LETTERS, QUESTION_TYPES
from question_bank.health import bank_health
from question_bank.readers import read_questions
from question_bank.text import normalise_answer_text
from question_bank.validate import validate

SEED_FILES = [
    "000_0806545d7efd51b7.txt",
    "001_65e41ac94c833173.txt",
    "002_bcd9fc29047be39d.txt",
    "003_851fd4a8efd7c25b.txt",
    "004_a23782265d60c6c6.txt",
]
WEEKLY_FILE = "001_65e41ac94c833173.txt"
BLANK = "（　）"

# The items of the 每周一学 column, in the words of the text; each must be taught by a question.
HISTORY_EXPERIENCES = [
    "坚持党的领导", "坚持人民至上", "坚持理论创新", "坚持独立自主", "坚持中国道路",
    "坚持胸怀天下", "坚持开拓创新", "坚持敢于斗争", "坚持统一战线", "坚持自我革命",
]
NEW_DEVELOPMENT_CONCEPTS = [
    "创新是引领发展的第一动力",
    "协调是持续健康发展的内在要求",
    "绿色是永续发展的必要条件和人民对美好生活追求的重要体现",
    "开放是国家繁荣发展的必由之路",
    "共享是中国特色社会主义的本质要求",
    "创新发展、协调发展、绿色发展、开放发展、共享发展",
]
NATIONAL_SECURITY_ELEMENTS = [
    "统筹发展和安全", "增强忧患意识", "做到居安思危", "坚持国家利益至上",
    "以人民安全为宗旨", "以政治安全为根本", "统筹外部安全和内部安全", "国土安全和国民安全",
    "传统安全和非传统安全", "自身安全和共同安全", "完善国家安全制度体系",
    "加强国家安全能力建设", "坚决维护国家主权、安全、发展利益",
]
WEEKLY_ITEMS = HISTORY_EXPERIENCES + NEW_DEVELOPMENT_CONCEPTS + NATIONAL_SECURITY_ELEMENTS


def squash(text: str) -> str:
    """The text with all whitespace removed: quotes match their source whitespace aside."""
    return "".join(text.split())


def _load_questions() -> list[tuple[str, dict]]:
    return [
        (path.name, question)
        for path in bundled_question_files()
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"]
    ]


QUESTIONS = _load_questions()
QUESTION_IDS = [question["key"] for _, question in QUESTIONS]


@pytest.fixture(scope="module")
def sources() -> dict:
    return {source.file: source for source in load_sources()}


def answer_text(question: dict) -> str:
    """What the question teaches once answered: blanks filled with the right answers, the right
    options, or the statement itself when it is true (a false statement teaches nothing verbatim)."""
    kind, answer = question["type"], question["answer"]
    if kind == "judge":
        return question["stem"] if answer is True else ""
    if kind == "fill":
        fillers = [accepted[0] for accepted in answer]
    else:
        fillers = ["、".join(question["options"][OPTION_LETTERS.index(letter)] for letter in answer)]
    parts = question["stem"].split(BLANK)
    if len(parts) - 1 != len(fillers):
        return question["stem"] + "".join(fillers)
    return "".join(part + filler for part, filler in zip(parts, fillers + [""]))


# ---------------------------------------------------------------- sources


def test_all_five_seed_pages_are_bundled_with_metadata(sources):
    assert sorted(sources) == SEED_FILES
    for source in sources.values():
        assert source.publication == "内蒙古日报"
        assert source.title and source.section and source.articles
        assert source.date == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.date)
        assert squash(source.title) in squash(source.text), source.file


@pytest.mark.parametrize("file", SEED_FILES)
def test_article_titles_are_lines_of_their_text(sources, file):
    lines = {line.strip() for line in sources[file].text.splitlines()}
    missing = [title for title in sources[file].articles if title not in lines]
    assert missing == []


def test_the_weekly_study_column_is_a_heading_and_its_questions_say_so(sources):
    assert "◎每周一学" in sources[WEEKLY_FILE].articles
    weekly_sections = {
        question["source"]["section"] for _, question in QUESTIONS
        if question["source"]["title"] == "每周一学"
    }
    assert weekly_sections == {"每周一学"}


def test_source_ref_carries_the_metadata(sources):
    ref = sources[WEEKLY_FILE].source_ref()
    assert (ref.title, ref.file, ref.section, ref.date) == (
        "深耕“书记项目” 锻造“头雁”硬核能力", WEEKLY_FILE, "党建", "")


# ---------------------------------------------------------------- the bank as a whole


def test_one_question_file_per_source_named_after_it():
    assert [path.name for path in bundled_question_files()] == [
        file.replace(".txt", ".json") for file in SEED_FILES]


@pytest.mark.parametrize("path", bundled_question_files(), ids=lambda path: path.name)
def test_question_files_use_the_agreed_format(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("quizapp-questions", 1)


def test_bank_has_enough_questions_of_every_type():
    counts = Counter(question["type"] for _, question in QUESTIONS)
    assert len(QUESTIONS) >= 186
    assert set(counts) == set(QUESTION_TYPES)
    assert {question["source"]["file"] for _, question in QUESTIONS} == set(SEED_FILES)
    assert min(counts.values()) >= len(QUESTIONS) // 10, counts


def test_judge_answers_mix_true_and_false():
    answers = Counter(question["answer"] for _, question in QUESTIONS if question["type"] == "judge")
    assert set(answers) == {True, False}
    assert min(answers.values()) >= sum(answers.values()) // 3, answers


def test_keys_are_unique_and_name_their_file():
    keys = [question["key"] for _, question in QUESTIONS]
    assert len(keys) == len(set(keys))
    for name, question in QUESTIONS:
        assert re.fullmatch(rf"seed-{name[:3]}-\d{{4}}", question["key"]), question["key"]


# ---------------------------------------------------------------- every question


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=QUESTION_IDS)
def test_quote_occurs_verbatim_in_its_source(sources, name, question):
    file = question["source"]["file"]
    assert file == name.replace(".json", ".txt")
    assert question["quote"].strip()
    assert squash(question["quote"]) in squash(sources[file].text)


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=QUESTION_IDS)
def test_source_reference_names_a_heading_and_column_of_the_page(sources, name, question):
    page = sources[question["source"]["file"]]
    headings = [title.lstrip("◎■") for title in page.articles]
    pairs = [f"{first} {second}" for first, second in zip(page.articles, page.articles[1:])]
    assert question["source"]["title"] in [page.title, *headings, *pairs]
    lines = [line.strip().lstrip("◎■") for line in page.text.splitlines()]
    section = question["source"]["section"]
    assert section == page.section or any(line.startswith(section) for line in lines)
    assert question["source"]["date"] == page.date


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=QUESTION_IDS)
def test_question_is_explained_classified_and_published(name, question):
    assert question["explanation"].endswith("。")
    assert question["difficulty"] in (1, 2, 3)
    assert re.fullmatch(r"[^/\s]+(/[^/\s]+)+", question["category"]), question["category"]
    assert question["tags"] and all(tag.strip() for tag in question["tags"])
    assert question["status"] == "published"


CHOICES = [(name, q) for name, q in QUESTIONS if q["type"] in ("single", "multiple")]
FILLS = [(name, q) for name, q in QUESTIONS if q["type"] == "fill"]


@pytest.mark.parametrize(("name", "question"), CHOICES, ids=[q["key"] for _, q in CHOICES])
def test_choice_answer_is_among_its_options(name, question):
    letters = OPTION_LETTERS[: len(question["options"])]
    assert question["answer"] and all(letter in letters for letter in question["answer"])
    expected = 1 if question["type"] == "single" else range(2, len(question["options"]))
    assert len(question["answer"]) in ([expected] if isinstance(expected, int) else expected)
    assert len(set(question["options"])) == len(question["options"])
    assert question["stem"].count(BLANK) == 1


@pytest.mark.parametrize(("name", "question"), FILLS, ids=[q["key"] for _, q in FILLS])
def test_fill_answers_occur_in_the_quote_and_variants_differ(name, question):
    """The first accepted answer is the text's own word; the others are forms it allows (党 / 中国共产党,
    33 / 三十三), each a different answer once folded, so none is a variant in name only."""
    assert question["stem"].count(BLANK) == len(question["answer"])
    for accepted in question["answer"]:
        assert accepted and squash(accepted[0]) in squash(question["quote"])
        assert len({normalise_answer_text(text) for text in accepted}) == len(accepted), accepted


def test_the_bundled_bank_passes_its_own_health_report():
    drafts = [draft for path in bundled_question_files() for draft in read_questions(path, path.name).drafts]
    report = bank_health(drafts)
    assert [str(finding) for finding in report.findings] == []
    assert report.total == len(QUESTIONS)


def test_at_most_one_question_per_quote_and_type():
    seen = Counter((question["type"], squash(question["quote"])) for _, question in QUESTIONS)
    assert [pair for pair, count in seen.items() if count > 1] == []


# ---------------------------------------------------------------- 每周一学 coverage


def test_recorded_history_experiences_are_the_ones_listed(sources):
    listed = re.findall(r"\d+\.(坚持\S+)", sources[WEEKLY_FILE].text)
    assert listed == HISTORY_EXPERIENCES


@pytest.mark.parametrize("item", WEEKLY_ITEMS)
def test_every_weekly_study_item_is_taught_by_a_question(sources, item):
    assert item in squash(sources[WEEKLY_FILE].text)
    teaching = [
        question["key"] for _, question in QUESTIONS
        if question["source"]["file"] == WEEKLY_FILE
        and item in squash(question["quote"]) and item in squash(answer_text(question))
    ]
    assert teaching, f"no question teaches “{item}”"


# ---------------------------------------------------------------- through the importer


@pytest.mark.parametrize("path", bundled_question_files(), ids=lambda path: path.name)
def test_bundled_files_read_and_validate_without_problems(path):
    result = read_questions(path, path.name)
    assert [str(error) for error in result.errors] == []
    assert result.counts_by_type() == Counter(q["type"] for name, q in QUESTIONS if name == path.name)
    assert [str(problem) for problem in validate(result.drafts, path.name)] == []


# ---------------------------------------------------------------- broken metadata


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    shutil.copytree(SOURCES_DIR, tmp_path / "sources")
    return tmp_path / "sources"


def _edit_metadata(directory: Path, change) -> None:
    path = directory / METADATA_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["sources"])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _set(number: int, key: str, value):
    def change(entries):
        entries[number - 1][key] = value
    return change


def _delete(number: int, key: str):
    def change(entries):
        del entries[number - 1][key]
    return change


BROKEN = [
    ("missing title", _delete(2, "title"), "sources.json 第2行「标题」：缺少内容或不是文字"),
    ("blank section", _set(1, "section", "  "), "sources.json 第1行「栏目」：缺少内容或不是文字"),
    ("date not ISO", _set(3, "date", "2021年6月"), "sources.json 第3行「日期」：“2021年6月”不是 YYYY-MM-DD 形式的日期"),
    ("impossible date", _set(3, "date", "2021-02-30"), "第3行「日期」：“2021-02-30”不是 YYYY-MM-DD"),
    ("articles not a list", _set(4, "articles", "标题"), "sources.json 第4行「文章标题」：应为非空文字组成的列表"),
    ("article not a line", _set(5, "articles", ["让浩瀚沙海"]),
     "sources.json 第5行「文章标题」：“让浩瀚沙海”不是“004_a23782265d60c6c6.txt”中单独的一行"),
    ("text file missing", _set(1, "file", "999_missing.txt"), "sources.json 第1行「文件」：找不到来源文件“999_missing.txt”"),
    ("path outside", _set(1, "file", "../sources/000_0806545d7efd51b7.txt"), "第1行「文件」：找不到来源文件"),
    ("duplicate file", _set(2, "file", "000_0806545d7efd51b7.txt"), "sources.json 第2行「文件」：文件“000_0806545d7efd51b7.txt”与第1项重复"),
]


@pytest.mark.parametrize(("change", "message"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_broken_metadata_is_refused_naming_entry_and_field(sources_copy, change, message):
    _edit_metadata(sources_copy, change)
    with pytest.raises(BundledSourceError) as caught:
        load_sources(sources_copy)
    assert message in str(caught.value)


def test_every_problem_is_reported_at_once(sources_copy):
    _edit_metadata(sources_copy, lambda entries: (_delete(1, "title")(entries), _set(4, "date", "昨天")(entries)))
    with pytest.raises(BundledSourceError) as caught:
        load_sources(sources_copy)
    assert [(error.row, error.field) for error in caught.value.errors] == [(1, "标题"), (4, "日期")]


@pytest.mark.parametrize(("content", "row", "message"), [
    (None, 0, "找不到来源说明文件"),
    ("{not json", 0, "不是有效的 UTF-8 JSON 文件"),
    ('{"pages": []}', 0, '应为 {"sources": [...]} 的形式'),
    ('{"sources": ["000.txt"]}', 1, "每一项应为一个对象"),
], ids=["missing", "not json", "wrong shape", "entry not an object"])
def test_unreadable_metadata_file_is_refused(sources_copy, content, row, message):
    path = sources_copy / METADATA_FILE
    if content is None:
        path.unlink()
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BundledSourceError) as caught:
        load_sources(sources_copy)
    [error] = caught.value.errors
    assert (error.file, error.row) == (METADATA_FILE, row)
    assert error.message.startswith(message)


def test_bundled_question_files_lists_json_files_in_name_order(tmp_path):
    for name in ("b.json", "a.json", "notes.txt"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [path.name for path in bundled_question_files(tmp_path)] == ["a.json", "b.json"]

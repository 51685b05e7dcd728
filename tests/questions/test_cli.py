"""flask import-questions / export-questions, and export-then-import round trips."""
import json

import openpyxl
import pytest
from sqlalchemy import delete, select

from question_bank.readers import read_questions
from quizapp.extensions import db
from quizapp.models import Question
from quizapp.services.bank.questions import question_to_draft, upsert_question
from tests.questions.conftest import GOOD_ROWS, counts, full_drafts, xlsx

EMPTY = {"question": 0, "category": 0, "source": 0}


def bank_as_drafts() -> list:
    return [question_to_draft(q) for q in db.session.scalars(select(Question).order_by(Question.key))]


@pytest.fixture
def write(tmp_path):
    def write_file(name: str, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write_file


def test_import_prints_counts(runner, write):
    result = runner.invoke(args=["import-questions", write("题库.xlsx", xlsx(*GOOD_ROWS))])
    assert result.exit_code == 0, result.output
    assert "共 4 道题（单选题 1，多选题 1，判断题 1，填空题 1）：已新增 4 道" in result.output
    assert "已新建分类：党史、党史/新时代、党史/新民主主义革命时期" in result.output
    assert counts()["question"] == 4


def test_import_with_problems_exits_non_zero_listing_them_and_writes_nothing(runner, write):
    bad = [*GOOD_ROWS, ["多选题", "只有一个答案？", "甲", "乙", "", "", "A", "", "", "", "", "", "", "T-9"],
           ["判断题", "判断？", "", "", "", "", "也许", "", "", "", "", "", "", "T-10"]]
    result = runner.invoke(args=["import-questions", write("题库.xlsx", xlsx(*bad))])
    assert result.exit_code == 1
    assert "题库.xlsx 第6行「答案」：多选题至少要有 2 个答案（现有 1 个）" in result.output
    assert "题库.xlsx 第7行「答案」：判断题的答案「也许」应为" in result.output
    assert "共 2 个问题，未导入任何题目。" in result.output
    assert counts() == EMPTY


def test_unreadable_file_exits_non_zero(runner, write):
    result = runner.invoke(args=["import-questions", write("题库.xlsx", b"not a workbook")])
    assert result.exit_code == 1 and "不是有效的 .xlsx 文件" in result.output
    assert "Error" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--on-duplicate", "merge"], "「merge」不是 --on-duplicate 可用的值（可用：skip、update、new）"),
    (["--status", "retired"], "「retired」不是 --status 可用的值（可用：draft、published）"),
])
def test_import_refuses_a_bad_choice_in_chinese(runner, write, args, message):
    result = runner.invoke(args=["import-questions", write("题库.xlsx", xlsx(*GOOD_ROWS)), *args])
    assert result.exit_code == 1 and message in result.output
    assert "Error" not in result.output and "Invalid" not in result.output
    assert counts() == EMPTY


def test_import_of_a_missing_file_says_so_in_chinese(runner, tmp_path):
    result = runner.invoke(args=["import-questions", str(tmp_path / "没有.xlsx")])
    assert result.exit_code == 1 and f"文件不存在：{tmp_path / '没有.xlsx'}" in result.output
    assert "Error" not in result.output and counts() == EMPTY


def test_dry_run_writes_nothing(runner, write):
    result = runner.invoke(args=["import-questions", write("题库.xlsx", xlsx(*GOOD_ROWS)), "--dry-run"])
    assert result.exit_code == 0
    assert "试运行，未写入数据库。共 4 道题" in result.output and "将新增 4 道" in result.output
    assert counts() == EMPTY


def test_status_option(runner, write):
    runner.invoke(args=["import-questions", write("题库.xlsx", xlsx(*GOOD_ROWS)), "--status", "draft"])
    assert set(db.session.scalars(select(Question.status))) == {"draft"}


def test_map_option_names_unrecognised_headers(runner, write):
    path = write("外部.xlsx", xlsx(["单选题", "题干？", "甲", "乙", "B"], header=["题型", "试题正文", "A", "B", "标答"]))
    refused = runner.invoke(args=["import-questions", path])
    assert refused.exit_code == 1
    assert "无法识别的表头或字段：试题正文、标答（可用 --map 表头=字段 指定）" in refused.output
    result = runner.invoke(args=["import-questions", path, "--map", "试题正文=题干", "--map", "标答=answer"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Question.answer)) == ["B"]


def test_bad_map_option_is_explained(runner, write):
    path = write("题库.xlsx", xlsx(*GOOD_ROWS))
    assert "应写成 表头=字段" in runner.invoke(args=["import-questions", path, "--map", "题干"]).output
    result = runner.invoke(args=["import-questions", path, "--map", "解析=不存在的字段"])
    assert result.exit_code == 1 and "表头映射的字段「不存在的字段」不存在" in result.output


@pytest.mark.parametrize("option, explanation", [("skip", "中共一大在上海开幕。"), ("update", "新的解析")])
def test_on_duplicate_option(runner, write, option, explanation):
    runner.invoke(args=["import-questions", write("a.xlsx", xlsx(*GOOD_ROWS))])
    changed = [GOOD_ROWS[0][:7] + ["新的解析"] + GOOD_ROWS[0][8:]]
    result = runner.invoke(args=["import-questions", write("b.xlsx", xlsx(*changed)), "--on-duplicate", option])
    assert "第2行：编号相同（T-001）" in result.output
    assert db.session.scalar(select(Question.explanation).where(Question.key == "T-001")) == explanation
    assert counts()["question"] == 4


@pytest.mark.parametrize("suffix", ["json", "xlsx"])
def test_export_then_import_gives_identical_questions(runner, tmp_path, suffix):
    for draft in full_drafts():
        upsert_question(draft)
    before = bank_as_drafts()
    path = str(tmp_path / f"bank.{suffix}")
    assert "已导出 4 道题" in runner.invoke(args=["export-questions", path]).output
    db.session.execute(delete(Question))
    db.session.commit()
    result = runner.invoke(args=["import-questions", path])
    assert result.exit_code == 0, result.output
    assert bank_as_drafts() == before
    again = runner.invoke(args=["import-questions", path, "--on-duplicate", "update"])
    assert "已新增 0 道，已更新 4 道" in again.output
    assert bank_as_drafts() == before


@pytest.mark.parametrize("args, keys", [
    ([], ["RT-1", "RT-2", "RT-3", "RT-4"]),
    (["--status", "published"], ["RT-1", "RT-4"]),
    (["--category", "党史"], ["RT-1", "RT-2", "RT-4"]),
    (["--category", "党史/新时代"], ["RT-4"]),
    (["--status", "draft", "--category", "党史"], ["RT-2"]),
])
def test_export_filters(runner, tmp_path, args, keys):
    for draft in full_drafts():
        upsert_question(draft)
    path = tmp_path / "out.json"
    runner.invoke(args=["export-questions", str(path), *args])
    assert [item["key"] for item in json.loads(path.read_text("utf-8"))["questions"]] == keys
    assert [d.key for d in read_questions(path, "out.json").drafts] == keys


@pytest.mark.parametrize("name, args, message", [
    ("out.csv", [], "只能导出为 .json 或 .xlsx 文件"),
    ("out.json", ["--category", "没有这个分类"], "分类「没有这个分类」不存在"),
    ("out.json", ["--status", "gone"], "「gone」不是 --status 可用的值（可用：draft、published、retired）"),
])
def test_export_refuses_bad_arguments(runner, tmp_path, name, args, message):
    result = runner.invoke(args=["export-questions", str(tmp_path / name), *args])
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / name).exists()


def many_bad_rows(count: int) -> list[list[str]]:
    return [["判断题", f"判断{n}？", "", "", "", "", "也许", "", "", "", "", "", "", f"B-{n}"] for n in range(count)]


def test_many_problems_print_a_summary_and_twenty_lines_with_the_rest_in_a_report(runner, write, tmp_path):
    report = tmp_path / "问题.xlsx"
    result = runner.invoke(args=["import-questions", write("题库.xlsx", xlsx(*GOOD_ROWS, *many_bad_rows(30))),
                                 "--report", str(report)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "读到 34 道题（单选题 1，多选题 1，判断题 31，填空题 1），发现 30 个问题："
    assert lines[1].startswith("  「答案」判断题的答案「…」应为") and "：30 处（第 6、7、8" in lines[1]
    assert sum(1 for line in lines if line.startswith("  题库.xlsx 第")) == 20
    assert f"……另有 10 个问题，完整列表已写入 {report}" in result.output
    sheet = openpyxl.load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("文件", "行", "字段", "问题") and len(rows) == 31 and rows[1][:3] == ("题库.xlsx", 6, "答案")
    assert counts()["question"] == 0


def test_skip_invalid_imports_the_good_questions(runner, write):
    result = runner.invoke(args=["import-questions", write("题库.xlsx", xlsx(*GOOD_ROWS, *many_bad_rows(2))),
                                 "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "已跳过 2 道有问题的题，已新增 4 道" in result.output and counts()["question"] == 4

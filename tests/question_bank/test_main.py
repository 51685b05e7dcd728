import json

import openpyxl
import pytest

from question_bank.__main__ import main
from question_bank.draft import QuestionDraft
from question_bank.export import write_json
from tests.question_bank.filemakers import make_xlsx
from tests.question_bank.test_export import DRAFTS, without_origin


@pytest.fixture
def good_json(tmp_path):
    path = tmp_path / "题库.json"
    write_json(DRAFTS, path)
    return path


def test_validate_prints_counts(good_json, capsys):
    assert main(["validate", str(good_json)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "共 4 道题：单选题 1，多选题 1，判断题 1，填空题 1"
    assert out[1].startswith("题库体检：4 道题，")


def test_validate_prints_the_health_report_after_validation(tmp_path, capsys):
    path = tmp_path / "文中.json"
    write_json([QuestionDraft(type="judge", stem="文中说遵义会议是伟大转折。", answer=True, key="Q-1")], path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["共 1 道题：判断题 1", "题库体检：1 道题，1 条提醒"]
    assert out[-1].startswith("  提醒：题干提到“文中”") and out[-1].endswith("（Q-1）")


def test_validate_judges_several_files_as_one_bank(tmp_path, capsys):
    """The same quote asked twice as a 判断 in two files: each file alone is healthy, the bank is not."""
    quote = "坚持党的领导是党和人民事业发展的根本保证。"
    paths = []
    for number in (1, 2):
        path = tmp_path / f"第{number}部分.json"
        write_json([QuestionDraft(type="judge", stem=f"第{number}种说法：坚持党的领导是根本保证。", answer=True,
                                  quote=quote, key=f"Q-{number}")], path)
        paths.append(str(path))
    assert main(["validate", paths[0]]) == 0
    assert "未发现问题" in capsys.readouterr().out
    assert main(["validate", *paths]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [f"{paths[0]}：共 1 道题：判断题 1", f"{paths[1]}：共 1 道题：判断题 1",
                       "题库体检：2 道题，1 条提醒"]
    assert out[-1].startswith("  提醒：2 道同一题型的题出自同一段原文摘录") and out[-1].endswith("（Q-1、Q-2）")


def test_validate_reports_the_problems_of_every_file_and_judges_none(tmp_path, good_json, capsys):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(make_xlsx([["题干", "答案"], ["为（　）服务", "人民；历史"]]))
    assert main(["validate", str(good_json), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["坏.xlsx 第2行「答案」：题干有 1 个空，答案却有 2 个（用；分隔各空）", "共 1 个问题，未导入任何题目。"]


def test_the_bundled_bank_validates_as_one_bank_without_a_warning(capsys):
    from question_bank.bundled import bundled_question_files

    files = [str(path) for path in bundled_question_files()]
    assert len(files) == 5
    assert main(["validate", *files]) == 0
    out = capsys.readouterr().out.splitlines()
    total = sum(int(line.split("共 ")[1].split(" 道题")[0]) for line in out[:5])
    assert total >= 186 and out[5] == f"题库体检：{total} 道题，未发现问题"
    assert not [line for line in out if "提醒" in line]


def test_validate_prints_problems_and_exits_1(tmp_path, capsys):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(make_xlsx([["题干", "答案", "分值"], ["为（　）服务", "人民；历史", 2]]))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["坏.xlsx 第2行「答案」：题干有 1 个空，答案却有 2 个（用；分隔各空）",
                   "无法识别的表头：分值（可用 --map 表头=字段 指定）", "共 1 个问题，未导入任何题目。"]


def test_validate_with_header_mapping(tmp_path, capsys):
    path = tmp_path / "映射.xlsx"
    path.write_bytes(make_xlsx([["试题描述", "对的是"], ["遵义会议是转折点", "对"]]))
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--map", "试题描述=stem", "--map", "对的是=answer"]) == 0
    assert "共 1 道题：判断题 1" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_convert_round_trip(good_json, tmp_path, suffix):
    middle = tmp_path / f"中间{suffix}"
    final = tmp_path / "最后.json"
    assert main(["convert", str(good_json), str(middle)]) == 0
    assert main(["convert", str(middle), str(final)]) == 0
    questions = json.loads(final.read_text("utf-8"))["questions"]
    assert [q["key"] for q in questions] == [d.key for d in without_origin(DRAFTS)]


def test_convert_refuses_bad_input_without_writing(tmp_path):
    source = tmp_path / "坏.csv"
    source.write_text("题干,答案\n题,\n", encoding="utf-8")
    target = tmp_path / "out.json"
    assert main(["convert", str(source), str(target)]) == 1
    assert not target.exists()


@pytest.mark.parametrize("argv, message", [
    (["convert", "a.json", "b.docx"], "只能转换为 .json 或 .xlsx 文件"),
    (["validate", "没有这个文件.xlsx"], "找不到文件"),
    (["validate", "x.xlsx", "--map", "没有等号"], "应写成 表头=字段"),
])
def test_usage_errors(argv, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.xlsx").write_bytes(make_xlsx([["题干", "答案"], ["题", "对"]]))
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert message in str(exit_info.value)


def test_generate_calls_the_generator(tmp_path, monkeypatch, capsys):
    import question_bank.generate

    calls = []
    monkeypatch.setattr(question_bank.generate, "generate_file",
                        lambda text_path, out_path: calls.append((text_path, out_path)) or 7)
    assert main(["generate", "学习材料.txt", "-o", "out.json"]) == 0
    assert calls == [("学习材料.txt", "out.json")]
    assert "已生成 7 道候选题" in capsys.readouterr().out


def test_generate_reports_a_missing_file_in_chinese(tmp_path, capsys):
    from question_bank.__main__ import main

    assert main(["generate", str(tmp_path / "无.txt"), "-o", str(tmp_path / "out.json")]) == 1
    assert "找不到文件" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_validate_prints_the_reader_s_warnings_first(tmp_path, capsys):
    path = tmp_path / "题库.gift"
    path.write_text("::q1:: 遵义会议是伟大转折。{T}\n\n::q2:: 谈谈体会 {}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["提示：题库.gift 「题型」：跳过 1 道论述题（第 3 行）", "共 1 道题：判断题 1"]


def test_validate_groups_many_problems_and_shows_twenty_with_the_rest_in_a_report(tmp_path, capsys):
    path = tmp_path / "多.xlsx"
    path.write_bytes(make_xlsx([["题型", "题干", "答案"]] + [["判断", f"第{n}题", "也许"] for n in range(1, 31)]))
    report = tmp_path / "问题.xlsx"
    assert main(["validate", str(path), "--report", str(report)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == ["共 30 道题：判断题 30，发现 30 个问题：",
                       "  「答案」判断题的答案「…」应为 对/错、√/×、正确/错误 之一：30 处（第 2、3、4、5、6、7、8、9… 行）",
                       "前几个问题："]
    assert len([line for line in out if line.startswith("  多.xlsx")]) == 20
    assert out[-2:] == [f"  ……另有 10 个问题，完整列表已写入 {report}", "共 30 个问题，未导入任何题目。"]
    assert openpyxl.load_workbook(report).active.max_row == 31

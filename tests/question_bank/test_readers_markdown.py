"""Markdown banks in the two common layouts (fixtures written for these tests)."""
import pytest

from question_bank.readers import read_questions

HEADINGS = r"""# 党史题库

### 第 1 题 [单选题]
中共一大在（ ）召开。
- A. 北京
- B. 上海
**正确答案**: B
**解析**: 在上海召开。

### 第 2 题 [多选题]
下列属于四个自信的是
A. 道路自信
B. 理论自信
C. 经济自信
**正确答案**: A B

---

### 第 3 题 [填空题]
党的根本宗旨是\_\_\_\_。
**正确答案**: 全心全意为人民服务
"""

BULLETS = """1. 南湖会议在哪里召开？ *C*
+ 北京
+ 上海
+ 嘉兴

2. 下列正确的是
+ **甲**
+ 乙
+ **丙**
"""


@pytest.mark.parametrize("filename", ["题库.md", "题库.txt"])
def test_heading_blocks(filename):
    result = read_questions(HEADINGS.encode("utf-8"), filename)
    assert result.errors == []
    assert [(d.origin_row, d.type, d.stem, d.options, d.answer) for d in result.drafts] == [
        (3, "single", "中共一大在（ ）召开。", ["北京", "上海"], ["B"]),
        (10, "multiple", "下列属于四个自信的是", ["道路自信", "理论自信", "经济自信"], ["A", "B"]),
        (19, "fill", "党的根本宗旨是（\u3000）。", [], [["全心全意为人民服务"]])]
    assert result.drafts[0].explanation == "在上海召开。"


def test_bullets_with_the_answer_in_bold_or_as_an_italic_letter():
    result = read_questions(BULLETS.encode("utf-8"), "题库.md")
    assert result.errors == []
    assert [(d.type, d.stem, d.options, d.answer) for d in result.drafts] == [
        ("single", "南湖会议在哪里召开？", ["北京", "上海", "嘉兴"], ["C"]),
        ("multiple", "下列正确的是", ["甲", "乙", "丙"], ["A", "C"])]


def test_a_question_without_answer_is_reported_at_its_line():
    text = "### 第 1 题 [单选题]\n题干\n- A. 甲\n- B. 乙\n"
    errors = read_questions(text.encode("utf-8"), "题库.md").errors
    assert [(e.row, e.field, e.message) for e in errors] == [(1, "答案", "缺少答案")]


def test_bold_numbers_and_ticked_task_list_options():
    text = "**1.** 三大作风包括\n- [x] 理论联系实际\n- [x] 密切联系群众\n- [ ] 艰苦奋斗\n"
    [draft] = read_questions(text.encode("utf-8"), "题库.md").drafts
    assert (draft.type, draft.stem, draft.options, draft.answer) == (
        "multiple", "三大作风包括", ["理论联系实际", "密切联系群众", "艰苦奋斗"], ["A", "B"])


DETAILS = """**1. 党的最高理想是（ ）**

A. 实现共产主义
B. 全面建成小康社会

<details><summary>查看答案</summary>

答案：A

</details>

**2. 党员可以不参加组织生活。**

<details><summary>答案</summary>错</details>
"""


def test_answers_folded_in_html_details():
    result = read_questions(DETAILS.encode(), "题库.md")
    assert result.errors == []
    assert [(d.type, d.stem, d.options, d.answer) for d in result.drafts] == [
        ("single", "党的最高理想是（ ）", ["实现共产主义", "全面建成小康社会"], ["A"]),
        ("judge", "党员可以不参加组织生活。", [], False)]


TABLES = """# 党史题库

## 一、单选题

| 序号 | 题目 | 选项A | 选项B | 选项C | 答案 |
|:---:|---|---|---|---|:---:|
| 1 | 中共二大制定了什么纲领？ | 最高纲领 | 民主革命纲领 | 土地纲领 | B |
| 2 | 八七会议确定的方针是 | 土地革命和武装起义 | 北伐 | 国共合作 | A |

## 二、判断题

| 题目 | 答案 | 备注 |
| --- | --- | --- |
| 党的代表大会每五年举行一次\\|（党章） | 对 | |
| 预备党员有表决权 | X | |
"""


def test_pipe_tables_read_like_a_spreadsheet_with_the_heading_s_type_and_line_numbers():
    result = read_questions(TABLES.encode(), "题库.md")
    assert [(d.type, d.stem, d.options, d.answer, d.origin_row) for d in result.drafts] == [
        ("single", "中共二大制定了什么纲领？", ["最高纲领", "民主革命纲领", "土地纲领"], ["B"], 7),
        ("single", "八七会议确定的方针是", ["土地革命和武装起义", "北伐", "国共合作"], ["A"], 8),
        ("judge", "党的代表大会每五年举行一次|（党章）", [], True, 14),
        ("judge", "预备党员有表决权", [], False, 15)]
    assert result.errors == [] and result.unknown_headers == ["序号", "备注"]


SECTIONS = """# 2024 年党纪学习教育测试题

## 一、单选题

**1、** 党纪处分分为几种？
A.三种  B.四种  C.五种

答案：C

## 二、多选题

**2、** 六项纪律包括（ ）
- A. 政治纪律
- **B. 组织纪律**
- C. 饮食纪律
**D. 廉洁纪律**

## 三、判断题

**3.** 党组织可以不执行上级决定。 *错*
"""


def test_a_year_in_the_title_bold_lettered_options_and_an_italic_judge_word():
    result = read_questions(SECTIONS.encode(), "题库.md")
    assert result.errors == []
    assert [(d.type, d.stem, d.options, d.answer) for d in result.drafts] == [
        ("single", "党纪处分分为几种？", ["三种", "四种", "五种"], ["C"]),
        ("multiple", "六项纪律包括（ ）", ["政治纪律", "组织纪律", "饮食纪律", "廉洁纪律"], ["B", "D"]),
        ("judge", "党组织可以不执行上级决定。", [], False)]


def test_ticked_task_list_options_written_with_their_letters():
    text = "### 第 1 题 [多选题]\n党员的义务有：\n- [ ] A. 享受特权\n- [x] B. 认真学习\n- [X] C. 密切联系群众\n"
    result = read_questions(text.encode(), "题库.md")
    assert result.errors == []
    assert [(d.type, d.options, d.answer) for d in result.drafts] == [
        ("multiple", ["享受特权", "认真学习", "密切联系群众"], ["B", "C"])]

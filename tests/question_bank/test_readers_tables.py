"""Spreadsheets as exam systems export them (fixtures built in memory for these tests)."""
from question_bank.readers import read_questions
from tests.question_bank.filemakers import make_xlsx


def drafts_of(rows, filename="题库.xlsx"):
    result = read_questions(make_xlsx(rows), filename)
    return result, [(d.type, d.stem, d.options, d.answer) for d in result.drafts]


def test_one_row_per_option_with_an_is_correct_column():
    result, drafts = drafts_of([
        ["试题编号", "题型", "题干", "选项内容", "是否正确", "解析"],
        ["Q1", "单选", "中共一大在哪里召开？", "北京", "否", "在上海"],
        ["Q1", "单选", "中共一大在哪里召开？", "上海", "是", "在上海"],
        ["Q1", "单选", "中共一大在哪里召开？", "嘉兴", "否", "在上海"],
        ["Q2", "多选", "三大作风包括", "理论联系实际", "1", ""],
        ["Q2", "多选", "三大作风包括", "密切联系群众", "1", ""],
        ["Q2", "多选", "三大作风包括", "艰苦奋斗", "0", ""],
    ])
    assert result.errors == []
    assert drafts == [("single", "中共一大在哪里召开？", ["北京", "上海", "嘉兴"], ["B"]),
                      ("multiple", "三大作风包括", ["理论联系实际", "密切联系群众", "艰苦奋斗"], ["A", "B"])]
    assert [d.key for d in result.drafts] == ["Q1", "Q2"] and result.drafts[0].origin_row == 2


def test_numeric_type_codes_and_joined_options():
    result, drafts = drafts_of([
        ["题目", "选项", "答案", "类型"],
        ["中共一大在哪里召开？", "A.北京 B.上海 C.嘉兴", "B", 1],
        ["三大法宝是？", "统一战线|武装斗争|党的建设", "ABC", 2],
        ["遵义会议是转折点", "", "对", 3],
        ["党的根本宗旨是____", "", "全心全意为人民服务", 4],
    ])
    assert result.errors == []
    assert [d[0] for d in drafts] == ["single", "multiple", "judge", "fill"]
    assert drafts[1][2] == ["统一战线", "武装斗争", "党的建设"]


def test_two_option_judge_choices_become_judge_questions():
    result, drafts = drafts_of([
        ["题型", "题干", "选项A", "选项B", "答案"],
        ["单选题", "遵义会议是转折点", "是", "否", "A"],
        ["判断题", "一大在北京召开", "正确", "错误", "B"],
        ["", "长征胜利", "对", "错", "对"],
        ["单选题", "一大在哪里召开", "北京", "上海", "B"],
    ])
    assert result.errors == []
    assert drafts == [("judge", "遵义会议是转折点", [], True), ("judge", "一大在北京召开", [], False),
                      ("judge", "长征胜利", [], True), ("single", "一大在哪里召开", ["北京", "上海"], ["B"])]


def test_digit_marked_blanks_with_numbered_answers():
    result, drafts = drafts_of([
        ["题干", "答案"],
        ["我们党最大的政治优势是1，最大的危险是2。", "空 1: 密切联系群众 空 2: 脱离群众"],
    ])
    assert result.errors == []
    assert drafts == [("fill", "我们党最大的政治优势是（\u3000），最大的危险是（\u3000）。", [],
                       [["密切联系群众"], ["脱离群众"]])]


def test_a_stem_that_begins_or_ends_with_a_blank_keeps_it():
    result, drafts = drafts_of([["题型", "题干", "选项A", "选项B", "答案"],
                                ["单选题", "    是党的根本宗旨。", "为人民服务", "为自己", "A"],
                                ["单选题", " 一大在哪里召开？\n", "北京", "上海", "B"]])
    assert [d[1] for d in drafts] == ["    是党的根本宗旨。", "一大在哪里召开？"]


def test_answer_given_as_option_text_and_three_options():
    result, drafts = drafts_of([["题干", "A", "B", "C", "答案"], ["一大在哪里召开？", "北京", "上海", "嘉兴", "嘉兴"]])
    assert drafts == [("single", "一大在哪里召开？", ["北京", "上海", "嘉兴"], ["C"])]


def test_unrecognised_columns_are_listed_with_the_field_map():
    result, _ = drafts_of([["题干", "答案", "分值", "创建人"], ["遵义会议是转折点", "对", 2, "张三"]])
    assert result.unknown_headers == ["分值", "创建人"]
    assert result.field_map == {"题干": "stem", "答案": "answer"}


def test_judge_answers_written_as_1_and_0_under_numeric_type_codes():
    result, drafts = drafts_of([
        ["题目内容", "题目类型", "正确答案"],
        ["遵义会议是伟大转折", 3, 1],
        ["党员可以参加迷信活动", 3, 0],
        ["党的根本宗旨是____", 4, "全心全意为人民服务"],
    ])
    assert result.errors == []
    assert [(d[0], d[3]) for d in drafts] == [("judge", True), ("judge", False),
                                              ("fill", [["全心全意为人民服务"]])]


def test_a_judge_answer_that_is_no_judge_word_is_still_refused_with_its_row():
    result, _ = drafts_of([["题目内容", "题目类型", "正确答案"], ["遵义会议是伟大转折", 3, 2]])
    assert [(e.row, e.field, e.message) for e in result.errors] == [
        (2, "答案", "判断题的答案「2」应为 对/错、√/×、正确/错误 之一")]


def test_option_rows_under_a_title_with_the_stem_only_on_each_question_s_first_row():
    result, drafts = drafts_of([
        ["党史知识竞赛题库"],
        [],
        ["题目", "选项", "是否为正确答案", "题目类型"],
        ["全面从严治党包括哪些建设？", "政治建设", "是", "多选"],
        [None, "思想建设", "是", None],
        [None, "经济建设", "否", None],
        ["中共七大召开的地点是", "延安", "正确", "单选"],
        [None, "西柏坡", "错误", None],
    ])
    assert result.errors == []
    assert drafts == [("multiple", "全面从严治党包括哪些建设？", ["政治建设", "思想建设", "经济建设"], ["A", "B"]),
                      ("single", "中共七大召开的地点是", ["延安", "西柏坡"], ["A"])]
    assert result.field_map["是否为正确答案"] == "correct"


def test_options_in_one_cell_separated_by_semicolons_after_each_option_text():
    result, drafts = drafts_of([
        ["题目", "选项", "答案"],
        ["下列说法正确的是", "A、党员可以信教；B、党员不得信教；C、党员可以搞特权", "B"],
    ])
    assert result.errors == []
    assert drafts == [("single", "下列说法正确的是", ["党员可以信教", "党员不得信教", "党员可以搞特权"], ["B"])]


def test_every_sheet_of_a_bank_split_by_topic_is_read_and_a_sheet_without_header_is_named():
    result = read_questions(make_xlsx(sheets={
        "党史": [["题目", "A", "B", "答案"], ["中共一大在哪里召开？", "北京", "上海", "B"]],
        "党章": [["题目", "A", "B", "答案"], ["党的最高领导机关是", "全国代表大会", "政治局", "A"]],
        "统计": [["合计", 2]],
        "Sheet3": [],
    }), "题库.xlsx")
    assert result.errors == []
    assert [(d.stem, d.answer, d.origin_file) for d in result.drafts] == [
        ("中共一大在哪里召开？", ["B"], "题库.xlsx「党史」"), ("党的最高领导机关是", ["A"], "题库.xlsx「党章」")]
    assert [w.message for w in result.warnings] == ["工作表「统计」中没有找到题干、答案等表头，未读取"]


def test_option_rows_with_lettered_options_a_flag_column_named_otherwise_and_a_running_number():
    result, drafts = drafts_of([
        ["题号", "题目类型", "题目", "选项", "正确答案标识"],
        [1, "单选", "党的根本组织原则是", "A.民主集中制", 1],
        [1, "单选", "党的根本组织原则是", "B.集体领导", 0],
        [2, "判断", "党员可以信仰宗教", "A.正确", 0],
        [2, "判断", "党员可以信仰宗教", "B.错误", 1],
    ])
    assert result.errors == []
    assert drafts == [("single", "党的根本组织原则是", ["民主集中制", "集体领导"], ["A"]),
                      ("judge", "党员可以信仰宗教", [], False)]
    assert [d.key for d in result.drafts] == ["", ""]  # 1, 2 only number the rows of this file


def test_numbers_that_do_not_just_count_the_questions_stay_keys():
    result, _ = drafts_of([["题号", "题目", "答案"], [1, "遵义会议是转折点", "对"], [3, "古田会议在福建", "对"]])
    assert [d.key for d in result.drafts] == ["1", "3"]


def test_a_fill_question_asked_without_a_blank_gets_one_at_the_end():
    result, drafts = drafts_of([["题型", "题干", "答案"], ["填空", "中国共产党成立于哪一年？", "1921"],
                                ["填空", "为中国人民谋（ ），为中华民族谋（ ）", "幸福；复兴"],
                                ["填空", "党的三大作风", "理论联系实际；密切联系群众"]])
    assert [d[1] for d in drafts] == ["中国共产党成立于哪一年？（\u3000）", "为中国人民谋（\u3000），为中华民族谋（\u3000）", "党的三大作风"]
    assert [(e.row, e.field, e.message) for e in result.errors] == [(4, "题干", "填空题的题干中没有空（用（　）或 ___ 标出）")]

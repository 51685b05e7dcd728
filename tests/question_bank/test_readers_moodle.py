"""Moodle XML exports (fixture written for these tests)."""
from question_bank.readers import read_questions

QUIZ = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/党史/建党</text></category>
  </question>
  <question type="multichoice">
    <name><text>一大</text></name>
    <questiontext format="html"><text><![CDATA[<p>中共一大在<b>哪里</b>召开？</p>]]></text></questiontext>
    <generalfeedback format="html"><text>在上海&amp;嘉兴</text></generalfeedback>
    <single>true</single>
    <answer fraction="0"><text>北京</text></answer>
    <answer fraction="100"><text>上海</text></answer>
    <answer fraction="0"><text>广州</text></answer>
  </question>
  <question type="multichoice">
    <questiontext format="html"><text>三大作风包括</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>理论联系实际</text></answer>
    <answer fraction="50"><text>密切联系群众</text></answer>
    <answer fraction="-100"><text>闭门造车</text></answer>
  </question>
  <question type="truefalse">
    <questiontext format="moodle_auto_format"><text>遵义会议是转折点</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <questiontext format="html"><text>党的根本宗旨是全心全意为____服务</text></questiontext>
    <answer fraction="100"><text>人民</text></answer>
    <answer fraction="50"><text>群众</text></answer>
    <answer fraction="100"><text>*</text></answer>
  </question>
  <question type="numerical">
    <questiontext format="html"><text>中国共产党成立于哪一年？</text></questiontext>
    <answer fraction="100"><text>1921</text></answer>
  </question>
  <question type="essay">
    <questiontext format="html"><text>论述党的建设</text></questiontext>
  </question>
  <question type="matching">
    <questiontext format="html"><text>连线</text></questiontext>
  </question>
  <question type="essay">
    <questiontext format="html"><text>论述</text></questiontext>
  </question>
</quiz>
"""


def test_supported_types_categories_and_skipped_types_named():
    result = read_questions(QUIZ.encode("utf-8"), "moodle.xml")
    assert result.errors == []
    assert [(d.type, d.stem, d.options, d.answer) for d in result.drafts] == [
        ("single", "中共一大在哪里召开？", ["北京", "上海", "广州"], ["B"]),
        ("multiple", "三大作风包括", ["理论联系实际", "密切联系群众", "闭门造车"], ["A", "B"]),
        ("judge", "遵义会议是转折点", [], True),
        ("fill", "党的根本宗旨是全心全意为（\u3000）服务", [], [["人民"]]),
        ("fill", "中国共产党成立于哪一年？（\u3000）", [], [["1921"]])]
    assert {d.category for d in result.drafts} == {"党史/建党"}
    assert result.drafts[0].explanation == "在上海&嘉兴"
    assert [w.message for w in result.warnings] == ["跳过 3 道不支持的题：论述题（essay）2 道、匹配题（matching）1 道"]


def test_moodle_xml_is_recognised_in_a_txt_file_and_entities_are_refused():
    assert len(read_questions(QUIZ.encode("utf-8"), "导出.txt").drafts) == 5
    evil = b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x "y">]><quiz>&x;</quiz>'
    assert "DTD" in read_questions(evil, "a.xml").errors[0].message


def test_only_unsupported_questions_or_broken_xml():
    essays = '<quiz><question type="essay"><questiontext><text>论述</text></questiontext></question></quiz>'
    assert "没有可导入的题目" in read_questions(essays.encode(), "a.xml").errors[0].message
    assert "XML 格式有误" in read_questions(b"<quiz><question>", "a.xml").errors[0].message


def test_a_malformed_xml_file_is_explained_in_chinese_with_its_line():
    data = '<?xml version="1.0"?>\n<quiz>\n<question type="truefalse"><questiontext><text>甲</text></question>\n</quiz>'
    message = read_questions(data.encode(), "题库.xml").errors[0].message
    assert message == "XML 格式有误：第3行第67列附近（请检查标签是否成对、文字中的 & 和 < 是否写成 &amp; 和 &lt;）"


PARTIAL_AND_PICTURE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <questiontext format="html"><text><![CDATA[<p>中共一大最后在哪里闭幕？</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="50"><text>浙江</text></answer>
    <answer fraction="100"><text>嘉兴南湖</text></answer>
    <answer fraction="0"><text>上海</text></answer>
  </question>
  <question type="truefalse">
    <questiontext format="html"><text><![CDATA[<p>如图，这是南湖红船。<img src="@@PLUGINFILE@@/boat.png"></p>]]></text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"""


def test_one_answer_questions_take_the_best_option_only_and_pictures_are_named():
    result = read_questions(PARTIAL_AND_PICTURE.encode(), "题库.xml")
    assert result.errors == []
    assert [(d.type, d.answer) for d in result.drafts] == [("single", ["B"]), ("judge", True)]
    assert [w.message for w in result.warnings] == [
        "1 道题的题干含图片（第 10 行），导入后只有文字，请核对这些题离开图片是否还读得懂"]

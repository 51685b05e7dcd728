import json

import pytest

from question_bank.draft import QuestionDraft, SourceRef
from question_bank.readers import Limits, read_questions

QUESTION = {
    "key": "q1", "type": "single", "stem": "中共一大在（　）开幕。", "options": ["北京", "上海"],
    "answer": ["B"], "explanation": "在上海", "difficulty": 1, "category": "党史", "tags": ["建党"],
    "status": "draft", "source": {"title": "人民日报", "file": "a.txt", "section": "一版", "date": "2021-07-01"},
    "quote": "原文",
}


def payload(*questions, **overrides):
    return json.dumps({"format": "quizapp-questions", "version": 1, "questions": list(questions),
                       **overrides}, ensure_ascii=False).encode("utf-8")


def read(data, **kwargs):
    return read_questions(data, "题库.json", **kwargs)


def test_reads_every_field():
    result = read(payload(QUESTION))
    assert result.errors == []
    assert result.drafts == [QuestionDraft(
        type="single", stem="中共一大在（　）开幕。", options=["北京", "上海"], answer=["B"], explanation="在上海",
        difficulty=1, category="党史", tags=["建党"], status="draft",
        source=SourceRef(title="人民日报", file="a.txt", section="一版", date="2021-07-01"), quote="原文",
        key="q1", origin_file="题库.json", origin_row=1)]


def test_optional_fields_take_defaults():
    minimal = {"type": "judge", "stem": "遵义会议是转折点", "answer": True}
    [draft] = read(payload(minimal)).drafts
    defaults = (draft.difficulty, draft.status, draft.tags, draft.source, draft.key)
    assert defaults == (2, "published", [], SourceRef(), "")


@pytest.mark.parametrize("data, message", [
    (b"{", "JSON 格式有误：第1行"),
    (b"[1, 2]", "不是本系统的题目文件"),
    (payload(QUESTION, version=2), "不支持的文件版本「2」"),
    (json.dumps({"format": "quizapp-questions", "version": 1}).encode(), "缺少题目列表"),
    (payload(), "没有题目"),
    (b"\x80\xff\x00", "二进制"),
    (b"[" * 100000 + b"]" * 100000, "JSON"),
], ids=["broken", "list", "version", "no list", "empty list", "encoding", "deep nesting"])
def test_bad_files(data, message):
    result = read(data)
    assert result.drafts == [] and message in result.errors[0].message, result.errors


@pytest.mark.parametrize("change, field, message", [
    ({"stem": 3}, "题干", "应为文字"),
    ({"stem": None}, "题干", "缺少此项"),
    ({"options": "北京,上海"}, "选项", "应为文字列表"),
    ({"tags": [1]}, "标签", "应为文字列表"),
    ({"difficulty": "易"}, "难度", "应为 1、2 或 3"),
    ({"difficulty": True}, "难度", "应为 1、2 或 3"),
    ({"source": "人民日报"}, "出处", "应为包含"),
    ({"answer": "B"}, "答案", "应为选项字母"),
    ({"answer": ["C"]}, "答案", "C 不在选项中（只有 A–B）"),
    ({"type": "essay"}, "题型", "不支持"),
])
def test_bad_questions_are_reported_by_item_number(change, field, message):
    result = read(payload(QUESTION, {**QUESTION, "key": "q2", **change}))
    [error] = result.errors
    assert (error.row, error.field) == (2, field) and message in error.message


def test_item_that_is_not_an_object():
    [error] = read(payload(QUESTION, "not a question")).errors
    assert (error.row, error.message) == (2, "每道题应为一个 JSON 对象")


def test_too_many_questions():
    result = read(payload(*[QUESTION] * 3), limits=Limits(max_rows=2))
    assert result.drafts == [] and "题目太多" in result.errors[0].message

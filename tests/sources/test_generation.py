"""The generator in the app: candidates are stored, reviewed, published; rejected ones never return."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Candidate, Question
from quizapp.services.bank import generation, sources
from quizapp.services.bank.generation import GenerationError

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)
TEXT = (Path(__file__).parent.parent / "question_bank" / "texts" / "core_values.txt").read_text(encoding="utf-8")


@pytest.fixture
def source(app):
    return sources.create_source("社会主义核心价值观", TEXT, section="每周一学")


@pytest.fixture
def admin(make_user):
    return make_user(role="admin")


def test_generate_stores_pending_candidates_once(source):
    outcome = generation.generate_for_source(source)
    assert outcome.added > 10
    assert len(generation.candidates_of(source)) == outcome.added
    again = generation.generate_for_source(source)
    assert (again.added, again.drafted) == (0, outcome.added)
    assert "都已生成过" in again.message()


def test_approved_candidates_are_published_with_source_and_quote(source, admin):
    generation.generate_for_source(source)
    chosen = generation.candidates_of(source)[:3]
    assert generation.approve(chosen, admin, now=NOW) == 3
    questions = list(db.session.scalars(select(Question)))
    assert len(questions) == 3
    for candidate, question in zip(chosen, questions):
        assert candidate.state == "approved" and candidate.question_id == question.id
        assert question.status == "published" and question.source_id == source.id
        assert question.quote and sources.find_passage(source.text, question.quote) != (-1, -1)
        assert question.key == candidate.key and question.created_by_id == admin.id


def test_rejected_candidates_are_not_offered_again(source, admin):
    generation.generate_for_source(source)
    rejected = generation.candidates_of(source)[:2]
    generation.reject(rejected, admin, now=NOW)
    pending_before = len(generation.candidates_of(source))
    assert generation.generate_for_source(source).added == 0
    assert len(generation.candidates_of(source)) == pending_before
    assert {c.id for c in generation.candidates_of(source, "rejected")} == {c.id for c in rejected}


def test_a_decided_candidate_cannot_be_decided_again(source, admin):
    generation.generate_for_source(source)
    first = generation.candidates_of(source)[:1]
    generation.reject(first, admin, now=NOW)
    with pytest.raises(GenerationError, match="已审核过"):
        generation.approve(first, admin, now=NOW)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_an_invalid_edit_blocks_the_whole_approval(source, admin):
    generation.generate_for_source(source)
    good, bad = generation.candidates_of(source)[:2]
    bad.draft = {**bad.draft, "stem": ""}
    db.session.commit()
    with pytest.raises(GenerationError, match="题干"):
        generation.approve([good, bad], admin, now=NOW)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
    assert {good.state, bad.state} == {"pending"}


@pytest.mark.parametrize("draft, expected", [
    ({"type": "single", "answer": ["B"]}, "B"),
    ({"type": "multiple", "answer": ["A", "C"]}, "AC"),
    ({"type": "judge", "answer": False}, "错误"),
    ({"type": "fill", "answer": [["人民", "人民群众"], ["历史"]]}, "人民/人民群众；历史"),
])
def test_answer_text(draft, expected):
    assert generation.answer_text(draft) == expected


def test_review_page_flow(client, login, source, admin):
    login(admin)
    assert client.post(f"/sources/{source.id}/generate").status_code == 302
    page = client.get(f"/sources/{source.id}/candidates").get_data(as_text=True)
    assert "采用并发布所选" in page
    ids = [c.id for c in generation.candidates_of(source)]
    client.post(f"/sources/{source.id}/candidates/decide", data={"action": "approve", "candidate": ids[:2]})
    client.post(f"/sources/{source.id}/candidates/decide", data={"action": "reject", "candidate": ids[2:3]})
    states = dict(db.session.execute(select(Candidate.id, Candidate.state)).all())
    assert [states[i] for i in ids[:3]] == ["approved", "approved", "rejected"]


def test_candidates_of_another_source_are_ignored(client, login, source, admin):
    other = sources.create_source("别的材料", TEXT)
    generation.generate_for_source(other)
    login(admin)
    foreign = [c.id for c in generation.candidates_of(other)][:1]
    client.post(f"/sources/{source.id}/candidates/decide", data={"action": "approve", "candidate": foreign})
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_only_admins_review(client, login, make_user, source, role):
    login(make_user(role=role))
    assert client.get(f"/sources/{source.id}/candidates").status_code == 403
    assert client.post(f"/sources/{source.id}/generate").status_code == 403


def test_admin_edits_a_candidate_before_approval(client, login, source, admin):
    generation.generate_for_source(source)
    candidate = next(c for c in generation.candidates_of(source) if c.draft["type"] == "judge")
    login(admin)
    page = client.get(f"/sources/candidates/{candidate.id}/edit").get_data(as_text=True)
    assert candidate.draft["stem"] in page
    assert f"<mark>{candidate.draft['quote']}</mark>" in page
    data = {"type": "judge", "stem": "社会主义核心价值观共有24个字。", "answer": "对", "difficulty": "1",
            "explanation": "原文列出了十二个词。", "category": "每周一学/核心价值观", "tags": "", "quote": candidate.draft["quote"]}
    assert client.post(f"/sources/candidates/{candidate.id}/edit", data=data).status_code == 302
    db.session.refresh(candidate)
    assert candidate.draft["stem"] == "社会主义核心价值观共有24个字。" and candidate.draft["key"] == candidate.key
    assert candidate.state == "pending" and candidate.draft["status"] == "draft"


def test_an_invalid_candidate_edit_is_refused_with_the_reason(client, login, source, admin):
    generation.generate_for_source(source)
    candidate = generation.candidates_of(source)[0]
    before = dict(candidate.draft)
    login(admin)
    data = {"type": "single", "stem": "题干", "option_a": "甲", "option_b": "乙", "answer": "D", "difficulty": "2"}
    response = client.post(f"/sources/candidates/{candidate.id}/edit", data=data)
    assert response.status_code == 200 and "不在选项中" in response.get_data(as_text=True)
    db.session.refresh(candidate)
    assert candidate.draft == before


EVENT_TEXT = ("1935年1月15日至17日，中共中央在遵义召开政治局扩大会议。\n"
              "1978年12月18日至22日，党的十一届三中全会在北京举行。\n"
              "1929年12月28日至29日，红四军第九次党的代表大会在古田村召开。\n")


def test_review_page_says_what_was_read_and_highlights_each_quote(client, login, admin):
    source = sources.create_source("会议", EVENT_TEXT, section="党史")
    login(admin)
    client.post(f"/sources/{source.id}/generate")
    page = client.get(f"/sources/{source.id}/candidates").get_data(as_text=True)
    assert "原文中读到：列举 0 处 · 定义 0 处 · 带日期的事件 3 处" in page
    assert page.count("<mark>") == len(generation.candidates_of(source))
    false = [c for c in generation.candidates_of(source) if c.draft["answer"] is False]
    assert false and all(c.draft["review"]["change"] in page for c in false)
    assert "改成了" in false[0].draft["review"]["change"]


def test_a_text_with_nothing_to_ask_says_why_and_what_helps(client, login, admin):
    source = sources.create_source("散文", "今天天气很好，我们一起去公园散步。大家都很开心。", section="")
    login(admin)
    response = client.post(f"/sources/{source.id}/generate", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "没有生成候选题：没有找到列举、定义或带日期的事件句" in page
    assert "已审核过的不会重复出现" not in page


def test_an_edited_candidate_keeps_what_the_reviewer_is_shown(source, admin):
    generation.generate_for_source(source)
    candidate = generation.candidates_of(source)[0]
    review = candidate.draft["review"]
    generation.edit_candidate(candidate, generation.draft_from_dict(candidate.draft))
    assert candidate.draft["review"] == review


def test_a_configured_language_model_adds_checked_drafts(client, login, admin, app):
    import json

    from tests.question_bank.test_generate_llm import ChatServer

    source = sources.create_source("会议", EVENT_TEXT, section="党史")
    questions = [{"type": "fill", "stem": "1935年1月，中共中央在（ ）召开政治局扩大会议。",
                  "answer": [["遵义"]], "quote": "中共中央在遵义召开政治局扩大会议"},
                 {"type": "fill", "stem": "会议在（ ）召开。", "answer": [["瑞金"]],
                  "quote": "中共中央在遵义召开政治局扩大会议"}]
    with ChatServer(json.dumps({"questions": questions}, ensure_ascii=False)) as server:
        app.config.update(LLM_URL=server.url, LLM_MODEL="local")
        login(admin)
        page = client.post(f"/sources/{source.id}/generate", follow_redirects=True).get_data(as_text=True)
    assert "大模型草拟 1 道，丢弃 1 道（答案没有摘录支持 1）" in page
    llm = [c for c in generation.candidates_of(source) if c.key.startswith("llm-")]
    assert len(llm) == 1 and llm[0].draft["review"]["structure"] == "llm"
    assert "大模型草拟" in client.get(f"/sources/{source.id}/candidates").get_data(as_text=True)


def test_without_a_configured_model_no_request_is_made(source, app):
    assert not app.config["LLM_URL"]
    outcome = generation.generate_for_source(source)
    assert outcome.llm_summary == ""


def test_review_page_shows_the_batch_health_report(client, login, source, admin):
    login(admin)
    client.post(f"/sources/{source.id}/generate")
    pending = generation.candidates_of(source)
    report = generation.batch_health(pending)
    assert report.total == len(pending) > 0
    page = client.get(f"/sources/{source.id}/candidates").get_data(as_text=True)
    assert 'id="health-report"' in page and "题库体检" in page
    for finding in report.findings:
        assert finding.message in page

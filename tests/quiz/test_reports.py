"""答题纠错: filing a report (once per member and question), the admin queue, outcomes the member sees."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from random import Random

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question, QuestionReport
from quizapp.services.bank import questions
from quizapp.services.quality import reports
from quizapp.services.quality.reports import ReportError
from quizapp.services.quizzes import engine
from tests.pages import text_of
from tests.quiz.conftest import NOW, rule

STEM = "纠错测试题：党的根本宗旨是什么？"
LATER = NOW + timedelta(minutes=5)


@pytest.fixture
def finished(member, make_question, start):
    """A finished one-question attempt of `member` at a question whose key is wrong (B instead of A)."""
    make_question(stem=STEM, answer=["B"])
    attempt = start(rule(("single", 1)))
    engine.save_answer(attempt, 1, "ABCD"[attempt.answers[0].option_order.index(0)], now=NOW)
    return engine.finalise_attempt(attempt, now=NOW + timedelta(minutes=1))


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", name="管理员")


def test_a_member_reports_a_question_once(member, finished):
    report = reports.report_question(member.id, finished.id, 1, "wrong_key", "  应该选A  ", now=LATER)
    assert (report.reason, report.text, report.status) == ("wrong_key", "应该选A", "open")
    assert report.question_version_id == finished.answers[0].question_version_id
    with pytest.raises(ReportError, match="已经报告过"):
        reports.report_question(member.id, finished.id, 1, "typo", "", now=LATER)


def test_the_database_refuses_a_second_report_of_the_same_question(member, finished):
    reports.report_question(member.id, finished.id, 1, "wrong_key", "", now=LATER)
    answer = finished.answers[0]
    db.session.add(QuestionReport(user_id=member.id, question_id=answer.question_id, reason="typo", text="",
                                  question_version_id=answer.question_version_id, status="open", reply=""))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(("reason", "text", "message"), [
    ("", "", "请选择纠错类型"),
    ("nonsense", "", "请选择纠错类型"),
    ("other", "长" * 501, "最多 500 字"),
])
def test_bad_reports_are_refused_with_a_reason(member, finished, reason, text, message):
    with pytest.raises(ReportError, match=message):
        reports.report_question(member.id, finished.id, 1, reason, text, now=LATER)
    assert db.session.scalar(select(QuestionReport.id)) is None


def test_only_the_owner_of_a_revealed_answer_may_report(member, make_user, finished, make_question, start):
    other = make_user()
    with pytest.raises(ReportError, match="没有找到"):
        reports.report_question(other.id, finished.id, 1, "typo", "", now=LATER)
    with pytest.raises(ReportError, match="没有找到"):
        reports.report_question(member.id, finished.id, 2, "typo", "", now=LATER)
    open_attempt = start(rule(("single", 1)), seed=2)
    with pytest.raises(ReportError, match="公布答案之后"):
        reports.report_question(member.id, open_attempt.id, 1, "typo", "", now=LATER)


def test_the_result_page_offers_the_report_form_and_files_it(client, login, member, finished):
    login(member)
    page = client.get(f"/quiz/attempts/{finished.id}/result").get_data(as_text=True)
    assert "我要纠错" in page and f'href="/reports/attempts/{finished.id}/1?back=' in page
    form = client.get(f"/reports/attempts/{finished.id}/1?back=/quiz/attempts/{finished.id}/result").get_data(as_text=True)
    assert STEM in form and f'action="/reports/attempts/{finished.id}/1"' in form and "答案有误" in form
    response = client.post(f"/reports/attempts/{finished.id}/1",
                           data={"reason": "wrong_key", "text": "应为A", "back": f"/quiz/attempts/{finished.id}/result"})
    assert response.status_code == 302 and response.location.endswith(f"/quiz/attempts/{finished.id}/result")
    again = client.post(f"/reports/attempts/{finished.id}/1", data={"reason": "typo"}, follow_redirects=True)
    assert "已经报告过" in text_of(again)
    mine = text_of(client.get("/reports/mine"))
    assert STEM in mine and "待处理" in mine and "答案有误" in mine


def test_a_report_on_someone_elses_attempt_is_not_found(client, login, make_user, finished):
    login(make_user())
    assert client.post(f"/reports/attempts/{finished.id}/1", data={"reason": "typo"}).status_code == 404


def test_the_queue_groups_reports_by_question(client, login, member, make_user, admin, finished, start):
    other = make_user(name="第二位党员")
    attempt = engine.start_attempt(other, "exam", rule(("single", 1)), now=NOW, rng=Random(1))
    engine.finalise_attempt(attempt, now=NOW + timedelta(minutes=1))
    reports.report_question(member.id, finished.id, 1, "wrong_key", "应为A", now=LATER)
    reports.report_question(other.id, attempt.id, 1, "typo", "", now=LATER)
    [item] = reports.queue()
    assert item.count == 2 and item.reason_labels == [("答案有误", 1), ("错别字", 1)]
    login(admin)
    page = text_of(client.get("/reports/queue"))
    assert "2 人报告" in page and STEM in page and "应为A" in page and "第二位党员" in page
    assert "作答 2 次" in page and "正确率 0%" in page  # the current version's statistics beside the reports


def test_fixed_needs_an_edit_first_and_the_member_sees_the_outcome(client, login, member, admin, finished):
    reports.report_question(member.id, finished.id, 1, "wrong_key", "", now=LATER)
    question = db.session.get(Question, finished.answers[0].question_id)
    with pytest.raises(ReportError, match="请先修改"):
        reports.resolve(question.id, "fixed", "已改正", acting_user=admin, now=LATER)
    questions.update_question(question, replace(questions.question_to_draft(question), answer=["A"]),
                              acting_user=admin)
    assert reports.resolve(question.id, "fixed", "答案已改为A，谢谢！", acting_user=admin, now=LATER) == 1
    assert reports.queue() == []
    login(member)
    mine = text_of(client.get("/reports/mine"))
    assert "已修正" in mine and "答案已改为A，谢谢！" in mine


def test_retire_retires_the_question_and_dismiss_needs_a_reply(member, admin, finished):
    reports.report_question(member.id, finished.id, 1, "ambiguous", "", now=LATER)
    question_id = finished.answers[0].question_id
    with pytest.raises(ReportError, match="写明理由"):
        reports.resolve(question_id, "dismissed", "  ", acting_user=admin, now=LATER)
    with pytest.raises(ReportError, match="处理方式"):
        reports.resolve(question_id, "open", "", acting_user=admin, now=LATER)
    reports.resolve(question_id, "retired", "", acting_user=admin, now=LATER)
    assert db.session.get(Question, question_id).status == "retired"
    report = db.session.scalar(select(QuestionReport))
    assert (report.status, report.resolved_by_id) == ("retired", admin.id)
    with pytest.raises(ReportError, match="没有待处理"):
        reports.resolve(question_id, "dismissed", "理由", acting_user=admin, now=LATER)


def test_members_see_only_their_own_reports(client, login, member, make_user, finished):
    reports.report_question(member.id, finished.id, 1, "typo", "第二个字错了", now=LATER)
    login(make_user(name="另一位党员"))
    page = text_of(client.get("/reports/mine"))
    assert "第二个字错了" not in page and STEM not in page and "还没有报告过题目" in page


def test_the_report_page_refuses_an_answer_not_yet_revealed(client, login, member, make_question, start):
    make_question(stem=STEM)
    attempt = start(rule(("single", 1)))
    login(member)
    response = client.get(f"/reports/attempts/{attempt.id}/1", follow_redirects=True)
    assert "公布答案之后才能报告这道题" in text_of(response)

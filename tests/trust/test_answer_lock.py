"""No answer leaks during an exam or a competition (issue 17, finding 4): with a 模拟考试 or 知识竞赛
attempt open, no GET route of the app, called with the ids of that attempt's questions (and of the
member's earlier attempt at the same questions, of a 错题重练 left open, the source, the member), shows a
解析, a fill answer or the highlighted 原文 passage. The same walk before the attempt opens does show them
(the review, 我的学习, the 错题本, the 错题重练's feedback, the highlight), so the check cannot pass for
want of anything to find. Nor can a practice or a 错题重练, which show keys as the member answers, be
started or answered while the exam is open.
"""
from __future__ import annotations

from datetime import timedelta
from random import Random

import pytest

from quizapp.extensions import db
from quizapp.models import Competition, Source
from quizapp.models._types import utcnow
from quizapp.services.quizzes import engine, exam_lock, wrongbook
from tests.routes import fill, rules, with_query

EXPLANATION = "解析：这一句只在交卷后出现"
QUOTE = "这是只有原文定位才会单独标出的一句话"
FILL_ANSWER = "只在交卷后出现的填空答案"
SECRETS = (EXPLANATION, FILL_ANSWER, f">{QUOTE}<")


@pytest.fixture
def paper(app, make_question):
    source = Source(title="每周一学·保密测试", text=f"第一段。\n前文，{QUOTE}，后文。\n第三段。")
    db.session.add(source)
    db.session.commit()
    secrets = {"explanation": EXPLANATION, "quote": QUOTE, "source_id": source.id}
    questions = [make_question(**secrets) for _ in range(2)]
    questions.append(make_question(type="fill", stem="江山就是（　），（　）就是江山", options=[],
                                   answer=[[FILL_ANSWER], ["历史"]], **secrets))
    return source, questions


def _start(member, mode: str, questions, now, **options):
    rule = engine.fixed_paper_rule([q.id for q in questions], feedback="after_submit")
    return engine.start_attempt(member, mode, rule, now=now, rng=Random(1),
                                 question_ids=[q.id for q in questions], **options)


def _wrong_letter(answer) -> list[str]:
    """A shown letter whose option is not the key (every single question here has the key A)."""
    return [next("ABCD"[shown] for shown, original in enumerate(answer.option_order) if original != 0)]


def _answered_wrong(member, questions, now):
    """An earlier practice with the single questions answered wrong (so they are in the 错题本), and a
    错题重练 of them left open with its first question answered (so its page shows the feedback)."""
    earlier = _start(member, "practice", questions, now - timedelta(days=1))
    for answer in earlier.answers:
        if answer.question.type == "single":
            engine.save_answer(earlier, answer.position, _wrong_letter(answer), now=now - timedelta(days=1))
    engine.finalise_attempt(earlier, now=now - timedelta(days=1))
    ids = wrongbook.review_question_ids(member.id, now)
    review = engine.start_attempt(member, "review", engine.review_rule(ids), now=now, rng=Random(2), question_ids=ids)
    engine.save_answer(review, 1, _wrong_letter(review.answers[0]), now=now)
    return earlier, review


def _urls(app, numbers: list[int], question_ids: list[int], attempt_id: int) -> set[str]:
    """Every GET route with each of `numbers` for its ids, asking to highlight each question (and for an
    attempt's first question)."""
    return {with_query(fill(rule, number), {"highlight": question_id, "attempt": attempt_id, "q": 1})
            for rule in rules(app, "GET") for number in (numbers if "<int:" in rule.rule else [0])
            for question_id in question_ids}


def _leaks(client, urls) -> list[str]:
    found = []
    for url in sorted(urls):
        body = client.get(url).get_data(as_text=True)
        found += [f"{url}: {secret}" for secret in SECRETS if secret in body]
    return found


@pytest.mark.parametrize("mode", ["exam", "competition"])
def test_no_route_reveals_the_open_attempts_answers(app, client, login, make_user, paper, mode):
    source, questions = paper
    member = make_user()
    now = utcnow()
    earlier, review = _answered_wrong(member, questions, now)
    question_ids = [q.id for q in questions]
    urls = _urls(app, [*question_ids, earlier.id, review.id, source.id, member.id], question_ids, earlier.id)
    login(member)
    before = _leaks(client, urls)
    assert any(f"/quiz/attempts/{earlier.id}/result" in leak for leak in before)  # the review of the earlier attempt
    assert any(f"/quiz/attempts/{review.id}?" in leak for leak in before)  # the 错题重练's feedback
    assert any("/quiz/wrong-book" in leak for leak in before)
    assert any("/progress/members/" in leak for leak in before)  # 我的学习's drill-down into it
    assert any(f"/sources/{source.id}?highlight=" in leak for leak in before)

    if mode == "competition":
        competition = Competition(title="竞赛", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
                                  rule={"sections": []}, created_by_id=member.id)
        db.session.add(competition)
        db.session.commit()
        _start(member, mode, questions, now, competition_id=competition.id, deadline=competition.ends_at)
    else:
        _start(member, mode, questions, now)
    assert _leaks(client, urls) == []
    response = client.get(f"/sources/{source.id}?highlight={question_ids[0]}")
    assert response.status_code == 403 and exam_lock.MESSAGE in response.get_data(as_text=True)
    assert client.get(f"/sources/{source.id}").status_code == 200  # the material itself stays readable


def test_the_lock_ends_with_the_attempt(app, client, login, make_user, paper):
    source, questions = paper
    member = make_user()
    now = utcnow()
    attempt = _start(member, "exam", questions, now)
    login(member)
    url = f"/sources/{source.id}?highlight={questions[0].id}"
    assert client.get(url).status_code == 403
    engine.finalise_attempt(attempt, now=utcnow())
    assert "source-highlight" in client.get(url).get_data(as_text=True)


def test_an_attempt_past_its_deadline_no_longer_locks(app, make_user, paper):
    _, questions = paper
    member = make_user()
    now = utcnow()
    rule = engine.fixed_paper_rule([q.id for q in questions], time_limit_s=600)
    engine.start_attempt(member, "exam", rule, now=now, rng=Random(1), question_ids=[q.id for q in questions])
    assert exam_lock.sitting_exam(member.id, now + timedelta(seconds=599))
    assert not exam_lock.sitting_exam(member.id, now + timedelta(seconds=601))


def test_no_practice_or_review_with_keys_during_an_exam(app, client, login, make_user, paper):
    """Practice and 错题重练 show each key as the member answers: not while an exam is open (web and API)."""
    _, questions = paper
    member = make_user()
    now = utcnow()
    _, review = _answered_wrong(member, questions, now)
    _start(member, "exam", questions, now)
    login(member)
    saved = client.post(f"/quiz/attempts/{review.id}/answers/2", json={"given": _wrong_letter(review.answers[1])})
    assert saved.status_code == 403 and EXPLANATION not in saved.get_data(as_text=True)
    checked = client.post(f"/quiz/attempts/{review.id}/answer", data={"position": 2, "action": "check", "choice": "A"})
    assert checked.status_code == 403
    assert client.get(f"/api/v1/attempts/{review.id}").status_code == 403
    refused = client.post("/quiz/practice", data={"category": "", "question_type": "", "difficulty": "", "count": "10"}, follow_redirects=True)
    assert "交卷后才能练习" in refused.get_data(as_text=True)
    with pytest.raises(engine.QuizError, match="交卷后才能练习"):
        engine.start_attempt(member, "practice", engine.fixed_paper_rule([questions[0].id], feedback="immediate"),
                             now=now, rng=Random(3), question_ids=[questions[0].id])

"""Offline answering: daily papers handed out ahead of time without keys, taken in later under the
server's rules; Idempotency-Key replays; the browser's session cookie with its CSRF header."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, PointsEntry, Question, QuestionVersion
from quizapp.models.idempotency import IdempotencyRecord
from quizapp.services import idempotency
from quizapp.services.bank import versions
from quizapp.services.quizzes import offline_papers
from quizapp.services.quizzes.scoring import shown_letters
from tests.api.conftest import error_code
from tests.conftest import PASSWORD
from tests.quiz.conftest import NOW

TONIGHT = datetime(2024, 5, 6, 15, 59, tzinfo=timezone.utc)  # Monday 23:59 in Asia/Shanghai
PAPER_FIELDS = {"day", "token", "title", "expires_at", "questions"}
QUESTION_FIELDS = {"position", "type", "type_label", "stem", "options", "blanks"}


@pytest.fixture
def keyed_bank(bank, source):
    """A daily bank where every question has its own 解析, 原文摘录 and fill key, with current versions."""
    questions = []
    for kind, count in {"single": 6, "multiple": 4, "judge": 4, "fill": 4}.items():
        for number in range(count):
            tag = f"{kind}{number}"
            extra = {"answer": [[f"填空钥匙{tag}"], [f"第二空钥匙{tag}"]]} if kind == "fill" else {}
            questions += bank({kind: 1}, explanation=f"独有解析{tag}", quote=f"独有摘录{tag}", source_id=source.id, **extra)
    versions.snapshot_versions([question.id for question in questions])
    db.session.commit()
    return questions


@pytest.fixture(autouse=True)
def clock(time_machine):
    """Before any token is issued: access tokens live 15 minutes of this clock."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


def _papers(call, token) -> list[dict]:
    response = call("GET", "/api/v1/daily/offline-papers", token)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["papers"]


def _take(call, token, paper_token, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return call("POST", "/api/v1/daily/offline-attempts", token, json={"token": paper_token}, headers=headers)


def _pinned(app, paper_token) -> list:
    return URLSafeSerializer(app.config["SECRET_KEY"], salt=offline_papers.SALT).loads(paper_token)["q"]


def _key_strings(question: Question) -> list[str]:
    keys = [question.explanation, question.quote]
    if question.type == "fill":
        keys += [text for blank in question.answer for text in blank]
    return keys


def _rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_papers_for_today_and_two_days_carry_no_key_and_fetching_writes_nothing(app, keyed_bank, member_token, call, clock):
    before = [_rows(model) for model in (Attempt, AttemptAnswer, QuestionVersion, IdempotencyRecord)]
    papers = _papers(call, member_token)
    assert [paper["day"] for paper in papers] == ["2024-05-06", "2024-05-07", "2024-05-08"]
    assert papers[0]["title"] == "每日答题 5月6日"
    assert papers[0]["expires_at"] == "2024-05-07T00:00:00+08:00"  # local midnight
    assert _papers(call, member_token) == papers  # the same papers when fetched again
    assert [_rows(model) for model in (Attempt, AttemptAnswer, QuestionVersion, IdempotencyRecord)] == before

    text = json.dumps(papers, ensure_ascii=False)
    for key in ("answer", "right", "explanation", "quote", "is_correct", "feedback", "given"):
        assert f'"{key}"' not in text
    for paper in papers:
        assert set(paper) == PAPER_FIELDS
        assert all(set(question) == QUESTION_FIELDS for question in paper["questions"])
        asked = [db.session.get(Question, question_id) for question_id, _, _ in _pinned(app, paper["token"])]
        assert len(asked) == len(paper["questions"]) == 10
        for question in asked:
            for secret in _key_strings(question):
                assert secret not in text, f"{secret} leaked in an offline paper"
    fills = [question for question in papers[0]["questions"] if question["type"] == "fill"]
    assert fills and all(question["blanks"] == 2 and "（ 2 ）" in question["stem"] for question in fills)


def test_a_paper_taken_on_its_day_is_that_days_scored_daily_exactly_as_handed_out(app, keyed_bank, member_token, call, clock):
    paper = _papers(call, member_token)[0]
    taken = _take(call, member_token, paper["token"], key="take-1")
    assert taken.status_code == 201
    reply = taken.get_json()
    assert (reply["scored"], reply["late"], reply["message"]) == (True, False, "")
    attempt = reply["attempt"]
    assert (attempt["mode"], attempt["status"], attempt["question_count"]) == ("daily", "open", 10)

    shown = call("GET", f"/api/v1/attempts/{attempt['id']}", member_token).get_json()["questions"]
    assert [(q["position"], q["stem"], q["options"]) for q in shown] == \
        [(q["position"], q["stem"], q["options"]) for q in paper["questions"]]
    stored = db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt["id"])
                                .order_by(AttemptAnswer.position)).all()
    assert [[a.question_id, a.question_version_id, a.option_order] for a in stored] == _pinned(app, paper["token"])

    again = _take(call, member_token, paper["token"])  # another device, or a retry without the key
    assert (again.status_code, again.get_json()["attempt"]["id"]) == (200, attempt["id"])
    call("POST", f"/api/v1/attempts/{attempt['id']}/submit", member_token)
    after_submit = _take(call, member_token, paper["token"])
    assert (after_submit.status_code, after_submit.get_json()["attempt"]["id"]) == (200, attempt["id"])
    assert [paper["day"] for paper in _papers(call, member_token)] == ["2024-05-07", "2024-05-08"]  # today's is done


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": 5}, {"token": "x", "started_at": "昨天"},
                                  {"token": "x", "started_at": "2024-05-06T10:00:00"}, {"token": "x", "extra": 1}])
def test_bad_offline_attempt_requests_are_refused_in_chinese(member_token, call, body):
    response = call("POST", "/api/v1/daily/offline-attempts", member_token, json=body)
    assert (response.status_code, error_code(response)) == (422, "invalid_input")
    assert response.get_json()["error"]["fields"]


def test_no_papers_from_a_bank_too_small_for_the_daily(member_token, call):
    response = call("GET", "/api/v1/daily/offline-papers", member_token)
    assert (response.status_code, error_code(response)) == (409, "quiz_unavailable")
    assert "题" in response.get_json()["error"]["message"]


def test_tampered_foreign_and_future_papers_are_refused(app, keyed_bank, member, member_token, make_user, get_tokens,
                                                        call, clock):
    papers = _papers(call, member_token)
    other_token = get_tokens(make_user())["access_token"]
    forged = URLSafeSerializer("not-the-secret", salt=offline_papers.SALT).dumps(
        {"u": member.id, "d": "2024-05-06", "q": _pinned(app, papers[0]["token"])})
    for token, status, code in [(papers[0]["token"][:-3] + "abc", 400, "paper_invalid"), (forged, 400, "paper_invalid"),
                                ("garbage", 400, "paper_invalid"), (papers[0]["token"], 403, "paper_not_yours"),
                                (papers[1]["token"], 409, "paper_not_yet")]:
        response = _take(call, other_token if code == "paper_not_yours" else member_token, token)
        assert (response.status_code, error_code(response)) == (status, code)
        assert response.get_json()["error"]["message"]
    assert _rows(Attempt) == 0


def test_a_paper_arriving_after_its_day_is_kept_as_practice_with_an_honest_message(keyed_bank, member, get_tokens, call, clock):
    clock.move_to(TONIGHT, tick=False)  # fetched at 23:59 local, the member answers offline ...
    member_token = get_tokens(member)["access_token"]
    paper = _papers(call, member_token)[0]
    clock.move_to(TONIGHT + timedelta(minutes=2), tick=False)  # ... and the network returns after midnight
    taken = _take(call, member_token, paper["token"], key="late-1")
    assert taken.status_code == 201
    reply = taken.get_json()
    assert (reply["scored"], reply["late"], reply["attempt"]["mode"]) == (False, True, "practice")
    assert reply["message"] == "5月6日的每日答题在当天结束后才送达，已作为练习保存，按练习记分，不计入每日答题积分。"
    attempt_id = reply["attempt"]["id"]
    saved = call("PUT", f"/api/v1/attempts/{attempt_id}/answers/1", member_token, json={"given": ["A"]})
    assert saved.status_code == 200 and saved.get_json()["feedback"] is None  # scored on submit, like the daily
    result = call("POST", f"/api/v1/attempts/{attempt_id}/submit", member_token).get_json()
    assert result["status"] == "finished"
    assert db.session.scalar(select(func.count()).select_from(PointsEntry).where(PointsEntry.reason == "daily_quiz")) == 0
    assert _take(call, member_token, paper["token"]).get_json()["attempt"]["id"] == attempt_id


def test_a_paper_arriving_after_the_daily_was_taken_elsewhere_is_practice(keyed_bank, member_token, call, clock):
    paper = _papers(call, member_token)[0]
    online = call("POST", "/api/v1/daily", member_token).get_json()  # the member's other device
    call("POST", f"/api/v1/attempts/{online['id']}/submit", member_token)
    reply = _take(call, member_token, paper["token"]).get_json()
    assert (reply["attempt"]["mode"], reply["scored"], reply["late"]) == ("practice", False, False)
    assert "已在其他设备上作答" in reply["message"] and "不计入每日答题积分" in reply["message"]


def test_todays_open_daily_is_handed_out_as_it_is(keyed_bank, member_token, call, clock):
    online = call("POST", "/api/v1/daily", member_token).get_json()
    paper = _papers(call, member_token)[0]
    assert [q["stem"] for q in paper["questions"]] == [q["stem"] for q in online["questions"]]
    reply = _take(call, member_token, paper["token"])
    assert (reply.status_code, reply.get_json()["attempt"]["id"]) == (200, online["id"])


def _save(call, token, attempt_id, given, key):
    return call("PUT", f"/api/v1/attempts/{attempt_id}/answers/1", token, json={"given": given},
                headers={"Idempotency-Key": key})


def test_a_replayed_old_save_does_not_overwrite_the_newer_answer(keyed_bank, member_token, call, clock):
    attempt = _take(call, member_token, _papers(call, member_token)[0]["token"]).get_json()["attempt"]
    first = _save(call, member_token, attempt["id"], ["A"], "save-a")
    assert _save(call, member_token, attempt["id"], ["B"], "save-b").status_code == 200
    replay = _save(call, member_token, attempt["id"], ["A"], "save-a")
    assert (replay.status_code, replay.get_json()) == (first.status_code, first.get_json())
    assert replay.headers["Idempotent-Replayed"] == "true"
    shown = call("GET", f"/api/v1/attempts/{attempt['id']}", member_token).get_json()["questions"][0]
    assert shown["chosen"] == ["B"]
    reused = _save(call, member_token, attempt["id"], ["C"], "save-a")
    assert (reused.status_code, error_code(reused)) == (422, "idempotency_key_reused")


def _right_given(answer: AttemptAnswer):
    key = answer.version.answer
    if answer.version.type == "judge":
        return key
    if answer.version.type == "fill":
        return [blank[0] for blank in key]
    return shown_letters(answer.option_order, key)


def test_a_duplicate_submit_scores_once(keyed_bank, member, member_token, call, clock):
    papers = call("GET", "/api/v1/daily/offline-papers", member_token)
    taken = _take(call, member_token, papers.get_json()["papers"][0]["token"])
    attempt = taken.get_json()["attempt"]
    before_submit = [papers, taken]
    answers = db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt["id"])).all()
    for answer in answers:
        before_submit.append(call("PUT", f"/api/v1/attempts/{attempt['id']}/answers/{answer.position}", member_token,
                                  json={"given": _right_given(answer)}, headers={"Idempotency-Key": f"a{answer.position}"}))
    before_submit.append(call("GET", f"/api/v1/attempts/{attempt['id']}", member_token))
    keys = [secret for answer in answers for secret in _key_strings(answer.question)]
    explanations = [secret for answer in answers for secret in (answer.question.explanation, answer.question.quote)]
    for number, response in enumerate(before_submit):  # no key of the paper's questions before the final submission
        assert response.status_code in (200, 201)
        secrets = keys if number < 2 else explanations  # once answered, the blanks echo the member's own (right) words
        assert [secret for secret in secrets if secret in response.get_data(as_text=True)] == []
    results = [call("POST", f"/api/v1/attempts/{attempt['id']}/submit", member_token, headers={"Idempotency-Key": "submit-1"})
               for _ in range(2)]
    results.append(call("POST", f"/api/v1/attempts/{attempt['id']}/submit", member_token))  # no key: still once
    assert [response.status_code for response in results] == [200, 200, 200]
    assert results[0].get_json() == results[1].get_json() and results[0].get_json()["correct_count"] == 10
    entries = db.session.scalars(select(PointsEntry).where(PointsEntry.user_id == member.id)).all()
    assert [(entry.reason, entry.amount, entry.attempt_id) for entry in entries] == [("daily_quiz", 5, attempt["id"])]


def test_a_save_after_the_day_closed_is_refused_honestly(keyed_bank, member, get_tokens, call, clock):
    clock.move_to(TONIGHT, tick=False)
    member_token = get_tokens(member)["access_token"]
    attempt = _take(call, member_token, _papers(call, member_token)[0]["token"]).get_json()["attempt"]
    clock.move_to(TONIGHT + timedelta(minutes=2), tick=False)
    late = _save(call, member_token, attempt["id"], ["A"], "late-save")
    assert (late.status_code, error_code(late)) == (409, "attempt_expired")
    assert late.get_json()["error"]["message"] == "答题时间已到，这个答案没有保存；试卷已按之前保存的答案自动交卷。"
    again = _save(call, member_token, attempt["id"], ["B"], "later-save")
    assert (again.status_code, error_code(again)) == (409, "attempt_closed")
    assert "已经交卷" in again.get_json()["error"]["message"]


@pytest.mark.parametrize("key", ["", "x" * 101, "带中文"])
def test_a_bad_idempotency_key_is_refused(keyed_bank, member_token, call, key):
    response = call("POST", "/api/v1/daily", member_token, headers={"Idempotency-Key": key.encode().decode("latin-1")})
    assert (response.status_code, error_code(response)) == (400, "idempotency_key_invalid")
    assert _rows(Attempt) == 0


def test_a_key_of_one_member_is_not_anothers_and_old_keys_are_pruned(keyed_bank, member_token, make_user, get_tokens,
                                                                      call, clock, runner):
    other = get_tokens(make_user())["access_token"]
    headers = {"Idempotency-Key": "same-key"}
    mine = call("POST", "/api/v1/daily", member_token, headers=headers)
    theirs = call("POST", "/api/v1/daily", other, headers=headers)
    assert mine.get_json()["id"] != theirs.get_json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers
    assert idempotency.prune(now=NOW + timedelta(days=6)) == 0
    clock.move_to(NOW + timedelta(days=8))
    result = runner.invoke(args=["prune-idempotency-keys"])
    assert result.exit_code == 0 and "2" in result.output
    assert _rows(IdempotencyRecord) == 0


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_the_browser_uses_its_session_and_sends_the_csrf_token(keyed_bank, member, client, clock):
    form = client.get("/login").get_data(as_text=True)
    csrf = form.split('name="csrf-token" content="')[1].split('"')[0]
    assert client.post("/login", data={"username": member.username, "password": PASSWORD, "csrf_token": csrf}).status_code == 302
    papers = client.get("/api/v1/daily/offline-papers")
    assert papers.status_code == 200
    token = papers.get_json()["papers"][0]["token"]
    refused = client.post("/api/v1/daily/offline-attempts", json={"token": token})
    assert (refused.status_code, error_code(refused)) == (400, "csrf_invalid")
    taken = client.post("/api/v1/daily/offline-attempts", json={"token": token}, headers={"X-CSRFToken": csrf})
    assert taken.status_code == 201
    client.post("/logout", data={"csrf_token": csrf})
    assert error_code(client.get("/api/v1/daily/offline-papers")) == "invalid_token"


def test_two_requests_with_one_key_at_the_same_instant_run_once(app, keyed_bank, member_token, call):
    import threading

    attempt = _take(call, member_token, _papers(call, member_token)[0]["token"]).get_json()["attempt"]
    url = f"/api/v1/attempts/{attempt['id']}/submit"
    start, replies = threading.Barrier(2), []

    def submit():
        with app.app_context():
            client = app.test_client()
            start.wait()
            response = client.post(url, headers={"Authorization": f"Bearer {member_token}", "Idempotency-Key": "twice"})
            replies.append((response.status_code, response.headers.get("Idempotent-Replayed"),
                            error_code(response) if response.status_code != 200 else None))
            db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(replies) == 2 and set(replies) in ({(200, None, None), (200, "true", None)},
                                                  {(200, None, None), (409, None, "idempotency_key_in_progress")})
    assert db.session.scalar(select(func.count()).select_from(PointsEntry)) <= 1

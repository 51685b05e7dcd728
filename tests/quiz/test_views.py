import re
from datetime import timedelta
from random import Random

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, ReviewCard
from quizapp.models._types import utcnow
from quizapp.services.quizzes import engine, wrongbook
from tests.pages import text_of
from tests.quiz.conftest import SECRET_EXPLANATION, SECRET_FILL, SECRET_QUOTE, body, form_answer, rule
from tests.statements import recorded_statements

SECRETS = (SECRET_EXPLANATION, SECRET_FILL, SECRET_QUOTE)


def started(client) -> Attempt:
    response = client.post("/quiz/daily")
    assert response.status_code == 302
    attempt = db.session.scalar(select(Attempt).order_by(Attempt.id.desc()))
    assert response.location.endswith(f"/quiz/attempts/{attempt.id}")
    return attempt


def post_answer(client, attempt, position, action="next", right=True, **extra):
    answer = attempt.answers[position - 1]
    data = {"position": position, "action": action, **form_answer(answer, right), **extra}
    return client.post(f"/quiz/attempts/{attempt.id}/answer", data=data)


def test_daily_quiz_with_plain_forms_resume_submit_and_result(client, login, member, daily_bank):
    login(member)
    attempt = started(client)
    page = body(client.get(f"/quiz/attempts/{attempt.id}"))
    assert "第 <strong>1</strong> / 10&nbsp;题" in page and "答题卡" in page
    response = post_answer(client, attempt, 1)
    assert response.location.endswith(f"/quiz/attempts/{attempt.id}?q=2")
    post_answer(client, attempt, 2, right=False, action="goto-5")
    # Leaving and coming back: the home page offers to resume; the saved answer is shown again.
    home = body(client.get("/"))
    assert f"/quiz/attempts/{attempt.id}" in home and "已答 2/10" in home
    first = attempt.answers[0]
    shown = body(client.get(f"/quiz/attempts/{attempt.id}?q=1"))
    assert '已答 <span id="answered-count">2</span> 题' in shown and shown.count('class="btn btn-success') == 2
    for letter in form_answer(first).get("choice", []):
        assert re.search(rf'value="{letter}"\s+checked', shown)
    response = post_answer(client, attempt, 3, action="submit")
    assert response.location.endswith(f"/quiz/attempts/{attempt.id}/submit")
    confirm = body(client.get(response.location))
    assert "还有 <strong class=\"text-party\">7</strong> 题未作答" in confirm
    response = client.post(f"/quiz/attempts/{attempt.id}/submit")
    assert response.location.endswith(f"/quiz/attempts/{attempt.id}/result")
    result = body(client.get(response.location))
    assert "答对 <strong>2</strong>/10&nbsp;题" in result and SECRET_EXPLANATION in result and SECRET_QUOTE in result
    assert f"/sources/{first.question.source_id}?highlight={first.question.id}#passage" in result
    assert "查看原文" in result
    assert attempt.title in body(client.get("/quiz/history"))


def test_the_question_page_opens_at_the_first_unanswered_and_keeps_to_the_paper(client, login, member, daily_bank):
    login(member)
    attempt = started(client)
    post_answer(client, attempt, 1)
    post_answer(client, attempt, 2)
    assert "第 <strong>3</strong> / 10&nbsp;题" in body(client.get(f"/quiz/attempts/{attempt.id}"))
    assert "第 <strong>10</strong> / 10&nbsp;题" in body(client.get(f"/quiz/attempts/{attempt.id}?q=99"))
    assert "第 <strong>1</strong> / 10&nbsp;题" in body(client.get(f"/quiz/attempts/{attempt.id}?q=-4"))
    for position in range(3, 11):
        post_answer(client, attempt, position)
    assert "第 <strong>1</strong> / 10&nbsp;题" in body(client.get(f"/quiz/attempts/{attempt.id}"))  # all answered


def test_answering_every_question_submits_without_a_confirmation(client, login, member, daily_bank):
    login(member)
    attempt = started(client)
    for position in range(1, 10):
        post_answer(client, attempt, position)
    response = post_answer(client, attempt, 10, action="submit")
    assert response.location.endswith("/result")
    db.session.refresh(attempt)
    assert attempt.status == "finished" and attempt.correct_count == 10


def test_keys_never_reach_the_browser_before_the_answer_is_final(client, login, member, daily_bank):
    login(member)
    attempt = started(client)
    seen = [client.get("/"), client.get("/quiz/"), client.get("/quiz/history")]
    for answer in attempt.answers:
        seen.append(client.get(f"/quiz/attempts/{attempt.id}?q={answer.position}"))
        seen.append(client.post(f"/quiz/attempts/{attempt.id}/answers/{answer.position}",
                                json={"given": form_answer(answer)["blank"] if "blank" in form_answer(answer) else None}))
        seen.append(post_answer(client, attempt, answer.position))
    seen.append(client.get(f"/quiz/attempts/{attempt.id}/submit"))
    seen.append(client.get(f"/quiz/attempts/{attempt.id}/result"))  # open: sent back to the questions
    for response in seen:
        text = body(response)
        assert not any(secret in text for secret in SECRETS), response.request.path
        assert "data-answer=" not in text and "is_correct" not in text and "right" not in text
    client.post(f"/quiz/attempts/{attempt.id}/submit")
    assert all(secret in body(client.get(f"/quiz/attempts/{attempt.id}/result")) for secret in SECRETS)


def test_the_question_page_is_the_same_whatever_the_right_answer(client, login, member, bank):
    questions = bank({"single": 1, "multiple": 1})
    login(member)
    attempt = engine.start_attempt(member, "exam", rule(("single", 1), ("multiple", 1)), now=utcnow(), rng=Random(1))
    pages = []
    for answers in ((["A"], ["A", "B"]), (["D"], ["B", "C", "D"])):
        for question, answer in zip(questions, answers):
            question.answer = answer
        db.session.commit()
        pages.append([body(client.get(f"/quiz/attempts/{attempt.id}?q={n}")) for n in (1, 2)])
    assert pages[0] == pages[1]


def test_practice_shows_feedback_after_each_answer(client, login, member, daily_bank, make_category):
    login(member)
    response = client.post("/quiz/practice", data={"category": "", "question_type": "judge", "difficulty": "", "count": "5"})
    attempt = db.session.scalar(select(Attempt))
    assert response.location.endswith(f"/quiz/attempts/{attempt.id}") and attempt.mode == "practice"
    page = body(client.get(f"/quiz/attempts/{attempt.id}"))
    assert "确定" in page and SECRET_EXPLANATION not in page
    response = post_answer(client, attempt, 1, action="check", right=False)
    assert response.location.endswith("?q=1")
    page = body(client.get(response.location))
    assert "回答错误" in page and SECRET_EXPLANATION in page and SECRET_QUOTE in page and "查看原文" in page
    assert "disabled" in page
    response = client.post(f"/quiz/attempts/{attempt.id}/answer", data={"position": 2, "action": "next"})
    assert response.location.endswith("?q=3")  # moving on without answering is allowed
    assert SECRET_EXPLANATION not in body(client.get(f"/quiz/attempts/{attempt.id}?q=2"))


def test_a_practice_topic_without_questions_says_so(client, login, member, make_category, bank):
    make_category("党史/红色资源")
    bank({"single": 2}, category="党建")
    login(member)
    response = client.post("/quiz/practice", data={"category": "党史/红色资源", "question_type": "", "difficulty": "",
                                                    "count": "10"}, follow_redirects=True)
    assert "「党史/红色资源」类还没有可以练习的题目" in body(response)


def test_starting_an_exam_short_of_questions_names_the_shortfall(client, login, member, bank):
    bank({"single": 3})
    login(member)
    page = body(client.post("/quiz/exam", data={"preset": "quick"}, follow_redirects=True))
    assert "题库中单选题只有 3 道，规则需要 8 道" in page
    assert db.session.scalar(select(Attempt)) is None


@pytest.mark.parametrize("method, path", [
    ("get", "/quiz/attempts/{id}"),
    ("post", "/quiz/attempts/{id}/answer"),
    ("post", "/quiz/attempts/{id}/answers/1"),
    ("get", "/quiz/attempts/{id}/submit"),
    ("post", "/quiz/attempts/{id}/submit"),
    ("get", "/quiz/attempts/{id}/result"),
])
def test_someone_elses_attempt_is_not_found(client, login, member, make_user, bank, method, path):
    bank({"judge": 2})
    other = engine.start_attempt(make_user(), "exam", rule(("judge", 1)), now=utcnow(), rng=Random(1))
    login(member)
    payload = {"json": {"given": True}} if "answers/" in path else {"data": {"position": 1, "judge": "true"}}
    response = getattr(client, method)(path.format(id=other.id), **payload)
    assert response.status_code == 404
    db.session.refresh(other.answers[0])
    assert other.answers[0].given is None and other.status == "open"


def test_json_autosave_refuses_bad_input_clearly(client, login, member, bank):
    bank({"single": 1})
    login(member)
    attempt = engine.start_attempt(member, "exam", rule(("single", 1)), now=utcnow(), rng=Random(1))
    url = f"/quiz/attempts/{attempt.id}/answers"
    cases = [(f"{url}/1", {"given": ["Q"]}, 400, "选项「Q」不存在"),
             (f"{url}/7", {"given": ["A"]}, 400, "这份试卷没有第 7 题"),
             (f"{url}/1", {"answer": ["A"]}, 400, "缺少答案"),
             (f"{url}/1", ["A"], 400, "缺少答案")]
    for path, payload, status, message in cases:
        response = client.post(path, json=payload)
        assert (response.status_code, message in response.get_json()["error"]) == (status, True)
    assert attempt.answers[0].given is None
    ok = client.post(f"{url}/1", json={"given": ["B"]}).get_json()
    assert ok == {"ok": True, "position": 1, "answered": True}


def test_answers_after_the_deadline_are_refused_and_the_attempt_finalised(client, login, member, bank):
    bank({"judge": 2})
    login(member)
    long_ago = utcnow() - timedelta(minutes=5)
    attempt = engine.start_attempt(member, "exam", rule(("judge", 2), time_limit_s=60), now=long_ago, rng=Random(1))
    engine.save_answer(attempt, 1, True, now=long_ago + timedelta(seconds=30))
    response = client.post(f"/quiz/attempts/{attempt.id}/answers/2", json={"given": True})
    assert response.status_code == 409
    assert response.get_json()["error"].startswith("答题时间已到") and response.get_json()["finished"]
    db.session.refresh(attempt)
    assert attempt.status == "finished" and attempt.answers[1].given is None
    response = post_answer(client, attempt, 2)
    assert response.location.endswith("/result")
    assert "已经交卷" in body(client.get(response.location))


def test_opening_an_expired_attempt_finalises_it(client, login, member, bank):
    bank({"judge": 1})
    login(member)
    attempt = engine.start_attempt(member, "exam", rule(("judge", 1), time_limit_s=60),
                                    now=utcnow() - timedelta(minutes=2), rng=Random(1))
    response = client.get(f"/quiz/attempts/{attempt.id}", follow_redirects=True)
    assert "答题时间已到，已按已保存的答案自动交卷" in body(response)
    db.session.refresh(attempt)
    assert attempt.status == "finished"


def test_timed_attempts_show_a_countdown(client, login, member, bank):
    bank({"judge": 2})
    login(member)
    timed = engine.start_attempt(member, "exam", rule(("judge", 1), time_limit_s=600), now=utcnow(), rng=Random(1))
    assert re.search(r'id="countdown" data-remaining="(59\d|600)"', body(client.get(f"/quiz/attempts/{timed.id}")))
    untimed = engine.start_attempt(member, "daily", rule(("judge", 1)), now=utcnow(), rng=Random(1))
    assert 'id="countdown"' not in body(client.get(f"/quiz/attempts/{untimed.id}"))


def test_wrong_book_page_review_and_removal(client, login, member, daily_bank):
    login(member)
    attempt = started(client)
    for answer in attempt.answers[:2]:
        post_answer(client, attempt, answer.position, right=False)
    client.post(f"/quiz/attempts/{attempt.id}/submit")
    cards = db.session.scalars(select(ReviewCard)).all()
    page = body(client.get("/quiz/wrong-book"))
    assert "共 2 题" in page and all(card.question.stem in page for card in cards)
    response = client.post("/quiz/review")
    review = db.session.scalar(select(Attempt).where(Attempt.mode == "review"))
    assert response.location.endswith(f"/quiz/attempts/{review.id}") and review.question_count == 2
    response = client.post(f"/quiz/wrong-book/{cards[0].id}/remove", follow_redirects=True)
    assert "移出错题本" in body(response) and "共 1 题" in body(response)


def test_wrong_book_speaks_plainly_and_shows_the_key_explanation_and_passage(client, login, member, daily_bank, start):
    fill = next(question for question in daily_bank if question.type == "fill")
    attempt = start(rule(("fill", 1)), question_ids=[fill.id])
    engine.save_answer(attempt, 1, ["错的", "错的"], now=attempt.started_at)
    engine.finalise_attempt(attempt, now=attempt.started_at)
    login(member)
    page = text_of(client.get("/quiz/wrong-book"))
    card = db.session.scalar(select(ReviewCard))
    for words in (f"正确答案： {SECRET_FILL}；历史", "解析 " + SECRET_EXPLANATION, SECRET_QUOTE, "每周一学·测试", "查看原文",
                  f"再答对 {wrongbook.right_answers_to_leave(card)} 次就移出", "答错过 1 次"):
        assert words in page, words
    for jargon in ("FSRS", "稳定度", "连对", "待复习"):
        assert jargon not in page


def test_wrong_book_folds_each_key_under_a_summary(client, login, member, daily_bank, start):
    """The page stays short: each item's key, 解析 and passage sit in a closed <details> under its stem."""
    fill = next(question for question in daily_bank if question.type == "fill")
    attempt = start(rule(("fill", 1)), question_ids=[fill.id])
    engine.save_answer(attempt, 1, ["错的", "错的"], now=attempt.started_at)
    engine.finalise_attempt(attempt, now=attempt.started_at)
    login(member)
    page = body(client.get("/quiz/wrong-book"))
    folded = re.search(r'<details class="wrong-key">\s*<summary[^>]*>查看答案和解析</summary>(.*?)</details>', page, re.S)
    assert folded and page.index(fill.stem) < folded.start()
    for secret in (*SECRETS, "查看原文", "移出错题本"):
        assert secret in folded.group(1) and secret not in page[page.index("<article"):folded.start()], secret


def test_a_long_wrong_book_comes_in_pages_of_twenty(client, login, member, bank, start):
    questions = bank({"judge": 25})
    attempt = start(rule(("judge", 25)), question_ids=[question.id for question in questions])
    for position in range(1, 26):
        engine.save_answer(attempt, position, False, now=attempt.started_at)  # each judge question is true
    engine.finalise_attempt(attempt, now=attempt.started_at)
    login(member)
    first, second = (body(client.get(f"/quiz/wrong-book?page={number}")) for number in (1, 2))
    assert first.count("<article") == 20 and second.count("<article") == 5
    for page in (first, second):
        assert "今天到期复习 25 题，共 25 题" in page and "今天到期复习（25）" in page  # the whole book, every page
    assert "第 1/2 页" in first and "?page=2" in first and "上一页" not in first
    assert "第 2/2 页" in second and "?page=1" in second and "下一页" not in second
    assert body(client.get("/quiz/wrong-book?page=9")).count("<article") == 5  # past the end: the last page
    card_id = db.session.scalar(select(ReviewCard.id).order_by(ReviewCard.id.desc()))
    response = client.post(f"/quiz/wrong-book/{card_id}/remove?page=2")  # back to the page it was removed from
    assert response.location.endswith("/quiz/wrong-book?page=2")


def test_review_with_an_empty_book_explains(client, login, member):
    login(member)
    assert "错题本里没有题目" in body(client.post("/quiz/review", follow_redirects=True))


def test_pages_need_a_login(client):
    for path in ("/quiz/", "/quiz/history", "/quiz/wrong-book", "/quiz/attempts/1"):
        assert client.get(path).status_code == 302


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(client, url="/quiz/") -> str:
        return re.search(r'name="csrf-token" content="([^"]+)"', body(client.get(url))).group(1)

    def test_autosave_needs_the_csrf_header_and_a_long_exam_still_submits(self, client, member, bank, monkeypatch):
        import itsdangerous.timed

        bank({"judge": 1})
        client.post("/login", data={"username": member.username, "password": "secret-pass-1",
                                    "csrf_token": self.token(client, "/login")})
        attempt = engine.start_attempt(member, "exam", rule(("judge", 1), time_limit_s=3 * 3600), now=utcnow(),
                                        rng=Random(1))
        url = f"/quiz/attempts/{attempt.id}/answers/1"
        assert client.post(url, json={"given": True}).status_code == 400
        token = self.token(client)
        assert client.post(url, json={"given": True}, headers={"X-CSRFToken": token}).get_json()["ok"]
        later = itsdangerous.timed.time.time() + 2.5 * 3600
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)  # the exam ran 2.5 hours
        response = client.post(f"/quiz/attempts/{attempt.id}/submit", data={"csrf_token": token})
        assert response.status_code == 302 and response.location.endswith("/result")


def test_the_result_and_the_wrong_book_read_questions_and_sources_with_the_list(client, login, member, bank, start):
    """One statement reads the paper with every question and source (not one more per question or
    source), and one reads the book's cards with their questions."""
    from quizapp.models import Source

    sources = [Source(title=f"每周一学·第{number}期", text="第一段。") for number in range(4)]
    db.session.add_all(sources)
    db.session.commit()
    for source in sources:
        bank({"judge": 1}, source_id=source.id, quote="第一段。")
    attempt = start(rule(("judge", 4)))
    for position in range(1, 5):
        engine.save_answer(attempt, position, False, now=attempt.started_at)  # each judge question is true
    engine.finalise_attempt(attempt, now=attempt.started_at + timedelta(minutes=1))
    login(member)
    result_path = f"/quiz/attempts/{attempt.id}/result"
    db.session.expunge_all()  # nothing loaded beforehand: the pages read what they show
    reads = tables_read(client, result_path, "每周一学·第3期")
    assert reads.count("question") == 1 and reads.count("source") == 1
    reads = tables_read(client, "/quiz/wrong-book", "共 4 题")
    assert reads.count("review_card") == 1 and reads.count("question") == 1


def tables_read(client, path: str, expected: str) -> list[str]:
    """The tables named in the FROM clauses of the statements that GET `path` runs (after checking
    that the page shows `expected`)."""
    with recorded_statements() as statements:
        page = body(client.get(path))
    assert expected in page
    return [table for statement in statements
            for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', statement)]


def test_the_home_panel_shows_the_streak_and_points_that_finalising_keeps(client, login, member, bank, start):
    bank({"judge": 3})
    now = utcnow()
    for days_ago, right in ((3, 3), (1, 1), (0, 2)):  # practice: a point per right answer
        moment = now - timedelta(days=days_ago)
        attempt = start(rule(("judge", 3)), mode="practice", now=moment)
        for answer in attempt.answers[:right]:
            engine.save_answer(attempt, answer.position, answer.question.answer, now=moment)
        engine.finalise_attempt(attempt, now=moment)
    login(member)
    panel = text_of(client.get("/"))
    assert "连续学习 2 天" in panel and "今日积分 2" in panel and "总积分 6" in panel  # a day was missed before


def test_the_exam_says_it_is_timed_before_starting_and_offers_untimed_practice(client, login, member):
    login(member)
    page = text_of(client.get("/quiz/"))
    notice = page[page.index("模拟考试限时作答"):]
    assert notice.index("时间到自动交卷") < notice.index("先做专项练习") < notice.index("不计时")
    assert 'href="#practice"' in client.get("/quiz/").get_data(as_text=True)


def test_the_result_explains_half_points_for_a_partly_right_multiple_choice(client, login, member, bank, start):
    bank({"multiple": 2})
    attempt = start(rule(("multiple", 2)))
    right = attempt.answers[0].question.answer
    engine.save_answer(attempt, 1, right[:1], now=attempt.started_at)  # one of the right options only
    engine.finalise_attempt(attempt, now=attempt.started_at)
    login(member)
    page = text_of(client.get(f"/quiz/attempts/{attempt.id}/result"))
    assert "只选对一部分、没有选错的得一半分" in page
    assert "◐ 部分正确（少选，得一半分：0.5 分）" in page and "○ 未作答" in page  # words and icons, not colour alone

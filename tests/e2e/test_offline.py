"""Offline daily quiz on a phone (375 px): the home page, opened online, keeps today's paper on the device;
offline, the 每日答题 button opens it from the service worker's shell; answers survive a reload; 交卷 is
queued; back online the queue is sent once and the result appears. A replayed queue scores once. The
cached shell loads offline, in 长辈版 too."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, PointsEntry, Question, User
from quizapp.models._types import utcnow
from tests.e2e.accessibility import check_page
from tests.e2e.conftest import assert_fits_width, log_in, open_menu

PASSWORD = "Offline99"
QUESTIONS = 10
EXPLANATION = "离线答题的解析。"
SHAPES = {
    "single": (["全心全意为人民服务", "发展经济", "改革开放", "科教兴国"], ["A"]),
    "multiple": (["坚持党的领导", "坚持人民至上", "闭关锁国", "坚持理论创新"], ["A", "B", "D"]),
    "judge": ([], True),
    "fill": ([], [["人民"]]),
}


@pytest.fixture(scope="module")
def offline_bank(live_server):
    """Enough published questions of every type for the daily papers of three days."""
    with live_server.app.app_context():
        if db.session.scalar(select(func.count()).where(Question.key.like("offline-%"))) == 0:
            for number in range(40):
                kind = list(SHAPES)[number % 4]
                options, answer = SHAPES[kind]
                stem = f"离线答题第{number + 1}题：江山就是（　）。" if kind == "fill" else f"离线答题第{number + 1}题"
                db.session.add(Question(key=f"offline-{number}", type=kind, stem=stem, normalised_stem=stem,
                                        options=options, answer=answer, explanation=EXPLANATION,
                                        status="published", draw_key=(number * 0.618) % 1))
            db.session.commit()
    return live_server


def member_online_at_home(page, server, username: str, elder: bool = False) -> None:
    """Log in and open the home page online: the service worker takes control, today's paper is stored."""
    server.make_user(username, f"离线{username[-1]}", PASSWORD, group="第一党支部")
    log_in(page, server, username, PASSWORD)
    if elder:
        page.locator("#elder-offer").get_by_role("button", name="开启长辈版").click()
        expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))
    else:
        page.locator("#elder-offer").get_by_role("button", name="用标准版").click()
        expect(page.locator("#elder-offer")).to_have_count(0)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.locator("#offline-ready")).to_be_visible()


def answer_shown_question(page) -> None:
    """The first option, 正确, or text in every blank; then wait until it is kept on the device."""
    expect(page.locator("#answer-area .quiz-option, #answer-area input[name=blank]").first).to_be_visible()
    blanks = page.locator("#answer-area input[name=blank]")
    if blanks.count():
        for index in range(blanks.count()):
            blanks.nth(index).fill("人民")
        blanks.last.press("Tab")
    else:
        page.locator("#answer-area .quiz-option").first.click()
    expect(page.locator("#save-status")).to_have_text("已保存在本机")


def open_daily_offline(page) -> None:
    page.context.set_offline(True)
    page.get_by_role("button", name="每日答题").click()
    page.wait_for_url("**/offline/daily")
    expect(page.locator("#offline-banner")).to_contain_text("离线：答案已保存在本机，联网后自动提交")


def answer_everything_offline(page, screenshot, name: str) -> None:
    open_daily_offline(page)
    expect(page.locator(".quiz-header")).to_contain_text(f"第 1 / {QUESTIONS} 题")
    expect(page.locator("#online-only")).to_have_text("限时考试和竞赛需要联网进行。")
    assert_fits_width(page)
    screenshot(page, f"{name}-question")
    for position in range(1, QUESTIONS + 1):
        answer_shown_question(page)
        if position < QUESTIONS:
            page.get_by_role("button", name="下一题").click()
            expect(page.locator("#position")).to_have_text(str(position + 1))
    chosen = page.locator("#answer-area input:checked, #answer-area input[name=blank]").first.evaluate("e => e.value")
    page.reload()  # offline: the page comes from the shell, the answers from the device
    expect(page.locator("#answered-count")).to_have_text(str(QUESTIONS))
    expect(page.locator("#position")).to_have_text(str(QUESTIONS))
    assert page.locator("#answer-area input:checked, #answer-area input[name=blank]").first.evaluate("e => e.value") == chosen
    expect(page.locator(".answer-grid .btn-success")).to_have_count(QUESTIONS)
    page.locator(".quiz-nav").get_by_role("button", name="交卷").click()  # all answered: nothing to confirm
    expect(page.locator("#submitted-note")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text(str(QUESTIONS + 1))  # ten answers and the submission
    assert_fits_width(page)
    screenshot(page, f"{name}-queued")


def stored_queue(page) -> list:
    return page.evaluate("offlineStore.all('queue')")


def attempts_of(username: str) -> list[Attempt]:
    user_id = db.session.scalar(select(User.id).where(User.username == username))
    return db.session.scalars(select(Attempt).where(Attempt.user_id == user_id)).all()


def assert_scored_once(server, username: str) -> int:
    with server.app.app_context():
        attempts = attempts_of(username)
        user_id = attempts[0].user_id
        assert [(attempt.mode, attempt.status, attempt.answered_count) for attempt in attempts] == \
            [("daily", "finished", QUESTIONS)]
        entries = db.session.scalars(select(PointsEntry).where(PointsEntry.user_id == user_id)).all()
        assert len(entries) == 1 and entries[0].attempt_id == attempts[0].id
        assert entries[0].amount == min(attempts[0].correct_count, 5)
        return entries[0].amount


def stored_everything(page) -> str:
    return json.dumps(page.evaluate("""Promise.all(['papers', 'sheets', 'queue', 'attempts', 'meta']
                                       .map((name) => offlineStore.all(name)))"""), ensure_ascii=False)


def see_result_and_points(page, server, username: str, screenshot, name: str) -> None:
    link = page.get_by_role("link", name="已提交，查看成绩")
    expect(link).to_be_visible()
    expect(page.locator("#offline-outcomes")).not_to_contain_text("未能提交")  # every replay got the first answer
    expect(page.locator("#offline-outcomes")).not_to_contain_text("截止")
    kept = stored_everything(page)  # after the result came back with every key and 解析
    assert "离线答题" in kept and EXPLANATION not in kept and '"explanation"' not in kept and '"right"' not in kept
    expect(page.locator("#offline-outcomes")).to_contain_text(re.compile(r"离线作答的每日答题.*已提交：得 [0-9.]+/10 分"))
    expect(page.locator("#offline-banner")).to_be_hidden()
    screenshot(page, f"{name}-synced")
    points = assert_scored_once(server, username)
    with page.expect_navigation():
        link.click()
    expect(page.locator(".quiz-score")).to_contain_text(f"/ {QUESTIONS} 分")
    expect(page.locator(".result-counts")).to_contain_text(f"/{QUESTIONS} 题")
    expect(page.locator("#offline-outcomes")).to_be_empty()  # followed: no longer announced
    assert_fits_width(page)
    screenshot(page, f"{name}-result")
    page.goto(server.url + "/")
    expect(page.locator("#home-stats")).to_contain_text(f"今日积分 {points}")
    screenshot(page, f"{name}-home")
    caches = page.evaluate("""caches.keys().then((names) => Promise.all(names.map((name) => caches.open(name)
                              .then((cache) => cache.keys())))).then((lists) => lists.flat().map((r) => new URL(r.url).pathname))""")
    assert not [path for path in caches if not path.startswith(("/static/", "/bootstrap/static/"))
                and path not in ("/offline", "/offline/daily")], caches  # no page, no API answer was cached


def test_daily_quiz_offline_then_synced_once(phone_page, offline_bank, screenshot):
    page = phone_page
    member_online_at_home(page, offline_bank, "offline_a1")
    answer_everything_offline(page, screenshot, "offline-daily")
    page.context.set_offline(False)
    see_result_and_points(page, offline_bank, "offline_a1", screenshot, "offline-daily")


def test_a_replayed_queue_is_scored_once(phone_page, offline_bank, screenshot):
    page = phone_page
    member_online_at_home(page, offline_bank, "offline_b2", elder=True)
    answer_everything_offline(page, screenshot, "offline-elder")
    queue = stored_queue(page)
    assert [item["kind"] for item in queue] == ["start"] + ["save"] * QUESTIONS + ["submit"]
    assert len({item["key"] for item in queue}) == len(queue)
    page.context.set_offline(False)
    expect(page.get_by_role("link", name="已提交，查看成绩")).to_be_visible()
    # The whole queue again, twice, with the same keys (a retry after a lost answer, another tab...).
    replayed = []
    page.on("response", lambda response: replayed.append(response.url)
            if response.headers.get("idempotent-replayed") == "true" else None)
    for _replay in range(2):
        page.evaluate("""(queue) => Promise.all(queue.map((item) => offlineStore.put('queue', item)))
                         .then(() => offlineStore.meta('csrf')).then(offlineSync.run)""", queue)
        assert stored_queue(page) == []
    assert len(replayed) == 2 * len(queue)  # each one answered from the server's record, none run again
    see_result_and_points(page, offline_bank, "offline_b2", screenshot, "offline-elder")


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_cached_shell_loads_offline(phone_page, offline_bank, screenshot, elder):
    page = phone_page
    member_online_at_home(page, offline_bank, f"offline_shell{int(elder)}", elder=elder)
    screenshot(page, f"offline-home-ready-{'elder' if elder else 'standard'}")
    page.context.set_offline(True)
    page.goto(offline_bank.url + "/progress/me")  # any page out of reach: the offline page, from the cache
    expect(page.get_by_role("heading", name="暂时无法联网")).to_be_visible()
    expect(page.get_by_role("link", name="离线做每日答题")).to_be_visible()
    expect(page.get_by_text("限时考试和竞赛需要联网进行")).to_be_visible()
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b") if elder else re.compile(r"^(?!.*\belder\b)"))
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).backgroundColor") == "rgb(200, 16, 46)"
    assert_fits_width(page)
    check_page(page, elder)
    screenshot(page, f"offline-page-{'elder' if elder else 'standard'}")
    page.goto(offline_bank.url + "/")  # the home page: today's paper is on the device
    page.wait_for_url("**/offline/daily")
    expect(page.locator(".quiz-header")).to_contain_text(f"第 1 / {QUESTIONS} 题")
    expect(page.locator("#offline-banner")).to_contain_text("待提交 0 条")
    check_page(page, elder)
    page.get_by_role("link", name="回到首页").click()  # home would lead back here: the offline page instead
    page.wait_for_url(offline_bank.url + "/offline")
    expect(page.get_by_role("heading", name="暂时无法联网")).to_be_visible()
    page.context.set_offline(False)
    page.goto(offline_bank.url + "/offline/daily")
    page.get_by_role("link", name="回到首页").click()  # online: home itself
    page.wait_for_url(offline_bank.url + "/")
    expect(page.get_by_role("button", name="每日答题")).to_be_visible()


def submit_elsewhere(server, username: str, attempt_id: int) -> None:
    """The member submits on another device (a client of the API)."""
    other = server.app.test_client()
    tokens = other.post("/api/v1/tokens", json={"username": username, "password": PASSWORD}).get_json()
    response = other.post(f"/api/v1/attempts/{attempt_id}/submit",
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200 and response.get_json()["status"] == "finished"


def test_answers_sent_before_submission_continue_online_and_late_ones_are_reported(phone_page, offline_bank, screenshot):
    page, server = phone_page, offline_bank
    member_online_at_home(page, server, "offline_c3")
    open_daily_offline(page)
    answer_shown_question(page)
    page.get_by_role("button", name="下一题").click()
    answer_shown_question(page)
    expect(page.locator("#queue-count")).to_have_text("2")
    page.context.set_offline(False)  # the answers go, not submitted: the member may go on online
    carry_on = page.get_by_role("link", name="联网继续答题")
    expect(carry_on).to_be_visible()
    expect(page.locator("#offline-banner")).to_be_hidden()
    with server.app.app_context():
        (attempt,) = attempts_of("offline_c3")
        assert (attempt.mode, attempt.status, attempt.answered_count) == ("daily", "open", 2)
        attempt_id = attempt.id
    expect(carry_on).to_have_attribute("href", f"/quiz/attempts/{attempt_id}")
    submit_elsewhere(server, "offline_c3", attempt_id)
    page.context.set_offline(True)
    page.get_by_role("button", name="下一题").click()
    answer_shown_question(page)
    page.context.set_offline(False)
    outcome = page.locator("#offline-outcomes")
    expect(outcome).to_contain_text("1 个答案送达时答题已截止")
    expect(outcome.get_by_role("link", name="查看成绩")).to_have_attribute("href", f"/quiz/attempts/{attempt_id}/result")
    expect(page.locator("#quiz")).to_be_hidden()
    assert_fits_width(page)
    screenshot(page, "offline-closed")
    with server.app.app_context():
        (attempt,) = attempts_of("offline_c3")
        assert attempt.answered_count == 2


def test_a_paper_that_arrives_after_its_day_is_kept_as_practice(phone_page, offline_bank, screenshot, time_machine):
    page, server = phone_page, offline_bank
    member_online_at_home(page, server, "offline_d4")
    answer_everything_offline(page, screenshot, "offline-late")
    time_machine.move_to(utcnow() + timedelta(days=1))  # the server's clock: the member was offline all night
    page.context.set_offline(False)
    outcome = page.locator("#offline-outcomes")
    expect(outcome).to_contain_text("已作为练习保存，按练习记分，不计入每日答题积分")
    expect(outcome.get_by_role("link", name="已提交，查看成绩")).to_be_visible()
    screenshot(page, "offline-late-synced")
    with server.app.app_context():
        (attempt,) = attempts_of("offline_d4")
        assert (attempt.mode, attempt.status, attempt.answered_count) == ("practice", "finished", QUESTIONS)
        reasons = db.session.scalars(select(PointsEntry.reason).where(PointsEntry.user_id == attempt.user_id)).all()
        assert "daily_quiz" not in reasons  # not the day's daily quiz (a practice earns practice points)


def test_logging_out_empties_the_device(phone_page, offline_bank):
    page, server = phone_page, offline_bank
    member_online_at_home(page, server, "offline_e5")
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.goto(server.url + "/offline")
    assert stored_everything(page) == "[[], [], [], [], []]"
    assert page.evaluate("localStorage.getItem('quizapp.elder')") is None


def test_answers_wait_for_a_login_when_the_session_has_ended(phone_page, offline_bank):
    page, server = phone_page, offline_bank
    member_online_at_home(page, server, "offline_f6")
    open_daily_offline(page)
    answer_shown_question(page)
    page.context.clear_cookies()  # the session ended meanwhile (signed out on every device, expired)
    page.context.set_offline(False)
    expect(page.locator("#offline-state")).to_have_text("答案已保存在本机：请先登录，登录后自动提交")
    expect(page.locator("#queue-count")).to_have_text("1")
    log_in(page, server, "offline_f6", PASSWORD)  # the first page online sends the queue
    expect(page.get_by_role("link", name="联网继续答题")).to_be_visible()
    with server.app.app_context():
        (attempt,) = attempts_of("offline_f6")
        assert (attempt.mode, attempt.status, attempt.answered_count) == ("daily", "open", 1)

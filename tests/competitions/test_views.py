"""The competition pages through the test client: lists, entering, boards, big screen, results, export,
certificates, points boards, and the organisers' forms and buttons, with their permissions."""
import io
import re
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Competition, PointsEntry
from quizapp.services.progress import points, summaries
from tests.competitions.conftest import DURING, END, START

BEFORE = START - timedelta(days=1)


@contextmanager
def at(moment):
    """Freeze the views' clock (utcnow at the view edge) at `moment`."""
    with mock.patch("quizapp.views.competitions.utcnow", return_value=moment), \
            mock.patch("quizapp.views.competition_manage.utcnow", return_value=moment):
        yield


def body(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def as_user(client, login, org):
    def log_in(name):
        client.post("/logout")
        login(org[name])
        return org[name]
    return log_in


def test_index_lists_competitions_in_scope_by_state(client, as_user, make_competition, org):
    make_competition(title="一支部竞赛", groups=[org["first"]])
    make_competition(title="二支部竞赛", groups=[org["second"]])
    make_competition(title="下周竞赛", starts_at=END, ends_at=END + timedelta(hours=1))
    make_competition(title="草稿竞赛", announced_at=None)
    as_user("a")
    with at(DURING):
        page = body(client.get("/competitions/"))
    assert "一支部竞赛" in page and "下周竞赛" in page
    assert "二支部竞赛" not in page and "草稿竞赛" not in page and "新建竞赛" not in page
    assert page.index("一支部竞赛") < page.index("即将开始") < page.index("下周竞赛")


def test_home_page_panel(client, as_user, make_competition, org):
    make_competition(title="党史知识竞赛")
    as_user("a")
    with at(DURING):
        page = body(client.get("/"))
    assert 'id="competition-panel"' in page and "党史知识竞赛" in page and "进行中" in page


@pytest.mark.parametrize("user, overrides, status", [
    ("a", {}, 200),
    ("a", {"announced_at": None}, 404),
    ("d", {"groups": ["first"]}, 403),
    ("admin", {"announced_at": None}, 200),
    ("secretary", {"announced_at": None}, 404),  # not his competition
])
def test_detail_permissions(client, as_user, make_competition, org, user, overrides, status):
    if "groups" in overrides:
        overrides["groups"] = [org[name] for name in overrides["groups"]]
    competition = make_competition(**overrides)
    as_user(user)
    with at(DURING):
        assert client.get(f"/competitions/{competition.id}").status_code == status
    assert client.get("/competitions/999").status_code == 404


def test_enter_opens_the_engine_attempt(client, as_user, make_competition, bank):
    competition = make_competition()
    as_user("a")
    with at(DURING):
        response = client.post(f"/competitions/{competition.id}/enter")
        attempt = db.session.scalar(select(Attempt))
        assert response.status_code == 302 and response.location == f"/quiz/attempts/{attempt.id}"
        assert "继续答题" in body(client.get(f"/competitions/{competition.id}"))


def test_enter_outside_the_window_is_refused_with_the_reason(client, as_user, make_competition, bank):
    competition = make_competition()
    as_user("a")
    with at(END + timedelta(minutes=1)):
        response = client.post(f"/competitions/{competition.id}/enter", follow_redirects=True)
    assert "竞赛已于 2025-06-02 11:00 结束，不能再参加" in body(response)
    assert db.session.scalar(select(Attempt)) is None


@pytest.fixture
def results(make_competition, finish, org):
    competition = make_competition(groups=[org["committee"]], placing_points=[5])
    finish(org["a"], competition, 10, 100)
    finish(org["b"], competition, 5, 100)
    finish(org["c"], competition, 0, 100, correct=[False, False])
    return competition


def test_board_json(client, as_user, results, org):
    as_user("c")
    with at(DURING):
        data = client.get(f"/competitions/{results.id}/board.json").get_json()
    assert [(row["rank"], row["name"], row["score"]) for row in data["top"]] == [(1, "甲", "10"), (2, "乙", "5"), (3, "丙", "0")]
    assert (data["me"]["rank"], data["participants"], data["state"], data["remaining_s"]) == (3, 3, "open", 5400)
    assert [row["name"] for row in data["around"]] == ["甲", "乙", "丙"]
    assert [(row["name"], row["participants"], row["members"]) for row in data["branches"]] == [
        ("一支部", 2, 3), ("二支部", 1, 1)]


def test_hidden_board_shows_only_to_organisers(client, as_user, results):
    results.board_hidden = True
    db.session.commit()
    as_user("a")
    with at(DURING):
        data = client.get(f"/competitions/{results.id}/board.json").get_json()
        assert data["hidden"] and data["top"] == [] and data["me"] is None and data["participants"] == 3
        assert "排行榜暂不公开" in body(client.get(f"/competitions/{results.id}/board"))
        assert client.get(f"/competitions/{results.id}/board.json?screen=1").status_code == 403
        as_user("admin")
        assert len(client.get(f"/competitions/{results.id}/board.json").get_json()["top"]) == 3
        assert client.get(f"/competitions/{results.id}/board.json?screen=1").get_json()["hidden"]


def test_board_and_screen_pages(client, as_user, results):
    as_user("a")
    with at(DURING):
        page = body(client.get(f"/competitions/{results.id}/board"))
        assert f'data-board-url="/competitions/{results.id}/board.json"' in page and "1:30:00" in page
        assert client.get(f"/competitions/{results.id}/screen").status_code == 403
        as_user("admin")
        screen = body(client.get(f"/competitions/{results.id}/screen"))
    assert "screen-body" in screen and "board.json?screen=1" in screen and "甲" in screen and "navbar" not in screen


@pytest.mark.parametrize("user, now, published, status", [
    ("admin", DURING, False, 403),
    ("admin", END, False, 200),
    ("a", END, False, 403),
    ("a", END, True, 200),
])
def test_results_visibility(client, as_user, results, user, now, published, status):
    if published:
        results.results_published_at = END
        db.session.commit()
    as_user(user)
    with at(now):
        assert client.get(f"/competitions/{results.id}/results").status_code == status


def test_results_page_shows_distribution_and_hardest_questions(client, as_user, results):
    as_user("admin")
    with at(END):
        page = body(client.get(f"/competitions/{results.id}/results"))
    assert 'id="distribution"' in page and page.count("<rect") == 11  # 0 to 10 points
    rates = page[page.index('id="question-rates"'):]
    assert rates.index("33%") < rates.index("67%")  # question 2 (1 of 3 right) before question 1 (2 of 3)
    assert "成绩尚未公布" in page and "公布成绩" in page


def test_publish_then_certificate(client, as_user, results, org):
    as_user("admin")
    client.application.config["COMPETITION_MIN_ENTRANTS_FOR_PLACE_POINTS"] = 1  # the fixture has two entrants
    with at(END):
        response = client.post(f"/competitions/{results.id}/publish", follow_redirects=True)
        assert "成绩已公布，1 人获得名次积分" in body(response)
        assert db.session.scalar(select(PointsEntry.amount).where(PointsEntry.user_id == org["a"].id)) == 5
        page = body(client.get(f"/competitions/{results.id}/certificate/{org['a'].id}"))
        assert "荣誉证书" in page and "第 1&nbsp;名" in page and "甲" in page
        assert client.get(f"/competitions/{results.id}/certificate/{org['b'].id}").status_code == 404
        as_user("b")
        assert client.get(f"/competitions/{results.id}/certificate/{org['a'].id}").status_code == 403


def test_export_is_formula_safe(client, as_user, results, org):
    org["a"].name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    as_user("a")
    with at(END):
        assert client.get(f"/competitions/{results.id}/export.xlsx").status_code == 403
        as_user("admin")
        response = client.get(f"/competitions/{results.id}/export.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["个人排名", "支部排名", "题目正确率", "成绩分布"]
    people = book["个人排名"]
    assert [c.value for c in people[1]] == ["名次", "姓名", "组织", "成绩", "满分", "用时", "交卷时间"]
    assert people["B2"].value == '=HYPERLINK("http://x")' and people["B2"].data_type == "s"
    assert [row[0].value for row in people.iter_rows(min_row=2)] == [1, 2, 3]
    assert [c.value for c in book["支部排名"][2]][:4] == [1, "一支部", 2, 3]


@pytest.mark.parametrize("query, names", [
    ("", ["甲", "丙"]),
    ("?period=all", ["甲", "丙", "乙"]),
    ("?period=all&scope=group", ["甲", "乙"]),
])
def test_points_board_page(client, as_user, org, query, names):
    for name, amount, days in (("a", 5, 0), ("b", 2, 30), ("c", 3, 0)):
        day = (DURING - timedelta(days=days)).date()
        points.award(org[name].id, day, amount, "practice")
        summaries.record_points(org[name].id, day, amount)
    db.session.commit()
    as_user("a")
    with at(DURING):
        page = body(client.get(f"/competitions/points{query}"))
    table = page[page.index('id="points-board"'):]
    assert [name for name in ("甲", "乙", "丙") if f"<td>{name}</td>" in table] == sorted(names, key="甲乙丙".index)
    assert 'id="my-points"' in page


def test_points_board_of_a_group_needs_managing_it(client, as_user, org):
    as_user("secretary")
    assert client.get(f"/competitions/points?group_id={org['first'].id}").status_code == 200
    assert client.get(f"/competitions/points?group_id={org['second'].id}").status_code == 403
    assert client.get("/competitions/points?period=year").status_code == 404


# --- organisers -----------------------------------------------------------------------------

FORM = {"title": "七一知识竞赛", "scope": "all", "starts_at": "2025-06-02T09:00", "ends_at": "2025-06-02T11:00",
        "paper_kind": "rule", "count_single": "2", "count_multiple": "0", "count_judge": "0", "count_fill": "0",
        "points_single": "5", "points_multiple": "1", "points_judge": "1", "points_fill": "1", "attempts_allowed": "1",
        "feedback": "after_end", "participation_points": "1", "placing_points": "10，6, 3", "branch_index": "avg_x_rate",
        "announce": "y", "time_limit_min": "10", "multiple_partial": "y"}


def test_admin_creates_a_competition_through_the_form(client, as_user, bank):
    as_user("admin")
    with at(BEFORE):
        response = client.post("/competitions/new", data=FORM)
    competition = db.session.scalar(select(Competition))
    assert response.status_code == 302 and response.location == f"/competitions/{competition.id}"
    assert (competition.starts_at, competition.ends_at) == (START, END)  # 09:00 Shanghai = 01:00 UTC
    assert competition.placing_points == [10, 6, 3] and competition.time_limit_s == 600
    assert competition.announced_at == BEFORE


@pytest.mark.parametrize("user, changes, message", [
    ("admin", {"ends_at": "2025-06-02T08:00"}, "开始时间必须早于结束时间"),
    ("admin", {"count_single": "9"}, "题库中单选题只有 4 道，规则需要 9 道"),
    ("admin", {"placing_points": "十,5"}, "名次积分请填写用逗号分隔的整数"),
    ("admin", {"paper_kind": "fixed", "question_refs": ""}, "固定试卷请至少填写 1 道题"),
    ("admin", {"paper_kind": "fixed", "question_refs": "q-none"}, "第 1 题「q-none」在题库中不存在"),
    ("secretary", {"scope": "groups", "groups": ["second"]}, "不能选择组织"),
    ("secretary", {"scope": "all"}, "不是有效的选择"),
])
def test_form_refusals(client, as_user, bank, org, user, changes, message):
    as_user(user)
    if "groups" in changes:
        changes["groups"] = [org[name].id for name in changes["groups"]]
    with at(BEFORE):
        response = client.post("/competitions/new", data={**FORM, **changes})
    assert response.status_code == 200 and message in body(response)
    assert db.session.scalar(select(Competition)) is None


def test_members_cannot_organise(client, as_user, make_competition):
    competition = make_competition()
    as_user("a")
    assert client.get("/competitions/new").status_code == 403
    assert client.post(f"/competitions/{competition.id}/board-visibility/hide").status_code == 403


def test_secretary_creates_and_edits_for_his_branch(client, as_user, bank, org):
    as_user("secretary")
    with at(BEFORE):
        client.post("/competitions/new", data={**FORM, "scope": "groups", "groups": [org["first"].id], "announce": ""})
        competition = db.session.scalar(select(Competition))
        assert competition.announced_at is None and [g.name for g in competition.scope_groups] == ["一支部"]
        form_page = body(client.get(f"/competitions/{competition.id}/edit"))
        assert 'value="七一知识竞赛"' in form_page and "2025-06-02T09:00" in form_page
        client.post(f"/competitions/{competition.id}/edit", data={**FORM, "title": "改名", "scope": "groups",
                                                                  "groups": [org["first"].id]})
        client.post(f"/competitions/{competition.id}/announce")
    db.session.expire_all()
    assert (competition.title, competition.announced_at) == ("改名", BEFORE)


def test_hide_and_show_the_board(client, as_user, make_competition):
    competition = make_competition()
    as_user("admin")
    with at(DURING):
        client.post(f"/competitions/{competition.id}/board-visibility/hide")
        db.session.expire_all()
        assert competition.board_hidden
        client.post(f"/competitions/{competition.id}/board-visibility/show")
    db.session.expire_all()
    assert not competition.board_hidden


def test_no_competition_shows_one_plain_message_not_three_empty_boxes(client, as_user, org):
    as_user("a")
    page = body(client.get("/competitions/"))
    assert "目前没有知识竞赛" in page and "暂无" not in page
    assert 'id="competitions-open"' not in page


def test_only_sections_with_competitions_are_shown(client, as_user, make_competition, org):
    make_competition(title="一支部竞赛", groups=[org["first"]])
    as_user("a")
    with at(DURING):
        page = body(client.get("/competitions/"))
    assert 'id="competitions-open"' in page and 'id="competitions-scheduled"' not in page and "暂无" not in page


def test_the_new_competition_form_starts_from_sensible_values(client, as_user, org):
    as_user("secretary")
    page = body(client.get("/competitions/new"))
    first = org["first"].id
    assert re.search(rf'name="groups" value="{first}" id="group-{first}"\s+checked', page)  # his own branch
    counts = {kind: re.search(rf'id="count_{kind}"[^>]*value="(\d+)"', page).group(1)
              for kind in ("single", "multiple", "judge", "fill")}
    assert counts == {"single": "10", "multiple": "5", "judge": "5", "fill": "0"}
    advanced = page[page.index('id="advanced-settings"'):]
    assert advanced.startswith('id="advanced-settings">')  # folded until asked for
    assert "答题限时（分钟）" in advanced


def test_the_folded_settings_open_when_one_of_them_is_wrong(client, as_user, bank, org):
    as_user("admin")
    with at(DURING):
        page = body(client.post("/competitions/new", data={**FORM, "attempts_allowed": "99"}))
    assert 'id="advanced-settings" open>' in page and "可参加次数应在 1 到 20 之间" in page

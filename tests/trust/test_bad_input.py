"""Bad input never gives a 500 (issue 17, finding 7): every route of the url_map, swept with ids out of
PostgreSQL's integer range, negative ids, NUL bytes and dates outside what the database and the clock hold.
Each answers 400 or 404 with a Chinese message (or, for a query argument a page ignores, the page itself).
"""
from __future__ import annotations

import io

import pytest
from werkzeug.exceptions import NotFound

from tests.routes import fill, rules, with_query

HUGE_IDS = [2**31, 10**20, -1]
ID_ARGUMENTS = ("page", "highlight", "attempt", "group_id", "q", "top", "source", "difficulty", "position")
BAD_DATES = ["0001-01-01", "9999-12-30", "9999-12-31"]
NUL_FORM = {name: "甲\x00乙" for name in (
    "username", "name", "password", "new_password", "confirm", "title", "text", "stem", "q", "code", "invite_code",
    "secretaries", "answer", "explanation", "description", "question_refs", "category", "path", "token", "choice",
    "judge", "blank", "action", "placing_points", "starts_at", "ends_at")}


def _has_chinese(response) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in response.get_data(as_text=True))


def _check(response, url: str, allowed=(400, 404)) -> None:
    assert response.status_code != 500, url
    if allowed:
        assert response.status_code in allowed, (url, response.status_code)
    if response.status_code in (400, 404):
        assert _has_chinese(response), url


@pytest.fixture(params=["admin", "member"])
def viewer(request, login, make_user, make_group):
    user = make_user(role=request.param, group=make_group())
    login(user)
    return user


def test_out_of_range_ids_in_paths_are_not_found(app, client, viewer):
    swept = 0
    for method in ("GET", "POST"):
        for rule in rules(app, method):
            if "<int:" not in rule.rule:
                continue
            for number in HUGE_IDS:
                url = fill(rule, number)
                _check(client.open(url, method=method, data={"submit": "1"}), f"{method} {url}")
                swept += 1
    assert swept > 100  # the sweep reached the app's id routes


def test_out_of_range_numbers_in_query_arguments(app, client, viewer):
    for rule in rules(app, "GET"):
        for number in HUGE_IDS:
            url = with_query(fill(rule, 1), {name: number for name in ID_ARGUMENTS})
            _check(client.get(url), url, allowed=None)


def test_dates_outside_the_calendar_in_period_filters(app, client, viewer):
    for rule in rules(app, "GET"):
        for start, end in [(BAD_DATES[0], BAD_DATES[1]), (BAD_DATES[1], BAD_DATES[2]), (BAD_DATES[0], BAD_DATES[0])]:
            url = with_query(fill(rule, 1), {"period": "custom", "start": start, "end": end})
            _check(client.get(url), url, allowed=None)


def test_nul_bytes_in_forms_and_query_arguments_are_refused(app, client, viewer):
    for method in ("GET", "POST"):
        for rule in rules(app, method):
            url = fill(rule, 1)
            if method == "GET":
                response = client.get(with_query(url, {"q": "甲\x00乙", "next": "/\x00"}))
            else:
                response = client.post(url, data=NUL_FORM)
            _check(response, f"{method} {url}", allowed=None if response.status_code == 404 else (400, 404))


NUL_JSON = {"username": "甲\x00乙", "password": "x", "category": "甲\x00乙", "given": ["甲", "乙\x00"],
            "token": "甲\x00乙", "refresh_token": "甲\x00乙"}


def test_nul_bytes_in_json_bodies_are_refused(app, client, viewer):
    """The API and the autosave read JSON: a NUL there reached PostgreSQL (POST /api/v1/tokens with such a
    username, /api/v1/practice with such a category: 500)."""
    swept = 0
    for method in ("POST", "PUT"):
        for rule in rules(app, method):
            url = fill(rule, 1)
            response = client.open(url, method=method, json=NUL_JSON)
            _check(response, f"{method} {url}", allowed=None if response.status_code == 404 else (400,))
            swept += response.status_code == 400
    assert swept > 20
    response = client.post("/api/v1/practice", json={"category": "党史\x00"})
    assert response.status_code == 400 and "请求内容的字段「category」含有不允许的空字符" in response.get_json()["error"]["message"]
    response = client.post("/api/v1/tokens", json={"username": "甲\x00", "password": "x"})
    assert response.status_code == 400 and "「username」" in response.get_json()["error"]["message"]


COMPETITION_FORM = {"title": "竞赛", "scope": "all", "paper_kind": "fixed", "starts_at": "2026-12-10T09:00",
                    "ends_at": "2026-12-10T11:00", "attempts_allowed": "1", "participation_points": "0",
                    "feedback": "after_end", "branch_index": "avg_x_rate", "question_refs": "1",
                    **{f"{what}_{kind}": value for kind in ("single", "multiple", "judge", "fill")
                       for what, value in (("count", "0"), ("points", "1"))}}


@pytest.fixture
def admin(login, make_user):
    user = make_user(role="admin")
    login(user)
    return user


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-30T23:59", "9999-12-31T23:59"])
def test_competition_times_outside_the_calendar_are_named(client, admin, field, moment):
    response = client.post("/competitions/new", data={**COMPETITION_FORM, field: moment})
    assert response.status_code == 200
    label = "开始时间" if field == "starts_at" else "结束时间"
    assert f"{label}超出可选范围（2000-01-01 至 2099-12-31）" in response.get_data(as_text=True)


def test_a_twenty_digit_question_reference_is_reported_missing(client, admin, make_question):
    make_question()
    response = client.post("/competitions/new", data={**COMPETITION_FORM, "question_refs": "12345678901234567890"})
    assert response.status_code == 200
    assert "「12345678901234567890」在题库中不存在" in response.get_data(as_text=True)


def test_a_custom_period_outside_the_calendar_is_explained(client, admin):
    url = f"/progress/members/{admin.id}?period=custom&start=0001-01-01&end=0001-01-02"
    response = client.get(url, follow_redirects=True)
    assert "开始日期 0001-01-01 超出可选范围（2000-01-01 至 2099-12-31）" in response.get_data(as_text=True)


def test_nul_in_an_uploaded_source_text_is_refused(client, admin):
    data = {"title": "材料", "upload": (io.BytesIO("第一段\x00第二段".encode()), "a.txt")}
    response = client.post("/sources/new", data=data, content_type="multipart/form-data")
    assert "含有空字符（NUL" in response.get_data(as_text=True)


def test_nul_in_an_uploaded_question_file_is_refused(client, admin, tmp_path):
    text = "1. 党的根本宗旨是（ ）\nA. 全心全意为人民服务\x00\nB. 发展经济\n答案：A\n"
    response = client.post("/admin/questions/import", data={"file": (io.BytesIO(text.encode()), "q.txt")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "含有空字符（NUL" in response.get_data(as_text=True)


def test_a_nul_in_a_form_field_names_the_field(client, admin):
    response = client.post("/competitions/new", data={**COMPETITION_FORM, "title": "竞\x00赛"})
    assert response.status_code == 400
    assert "表单字段「title」含有不允许的空字符（NUL）" in response.get_data(as_text=True)


@pytest.mark.parametrize("number, routed", [(1, True), (2**31 - 1, True), (2**31, False), (10**10, False),
                                            (0, False), (999999999, True), (2147483639, True), (2147483657, False)])
def test_the_id_pattern_routes_exactly_the_database_range(app, number, routed):
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(f"/reports/questions/{number}/regrade", method="POST")
    except NotFound:
        assert not routed
    else:
        assert routed

"""The progress pages through the client: what a secretary, a member and an admin see.

The clock of the views is fixed at Friday 2026-11-20 10:00 Shanghai (the `studied` fixture's week).
"""
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.views import progress as progress_views
from tests.pages import text_of, text_of_html
from tests.progress.conftest import shanghai

NOW = shanghai("2026-11-20 10:00")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(progress_views, "utcnow", lambda: NOW)


def test_group_dashboard_for_its_secretary(client, login, studied):
    login(studied.secretary_a)
    response = client.get(f"/progress/groups/{studied.branch_a.id}?period=this_week")
    assert response.status_code == 200
    page = text_of(response)
    assert "本周（11月16日—11月22日）" in page and "已过 5 天（共 7 天）" in page
    assert "50.0%" in page and "2/4 人参学" in page
    assert "63.6%" in page  # 7 of 11
    assert "未参学名单（2 人）" in page
    assert "书记甲 从未学习" in page and "甲三 10 天未学习（最近 2026-11-10）" in page
    assert "甲离" not in page
    assert "党章 50.0% · 答对 2/4" in page and "党史 66.7% · 答对 4/6" in page
    assert '<svg viewBox="0 0 320 150" role="img" aria-label="近12周参学率与正确率"' in response.get_data(as_text=True)
    assert "查看数据表" in page


def test_the_dashboard_opens_on_the_last_7_days_with_the_others_one_tap_away(client, login, studied):
    login(studied.secretary_a)
    html = client.get(f"/progress/groups/{studied.branch_a.id}").get_data(as_text=True)
    page = text_of_html(html)
    assert "近7天（11月14日—11月20日）" in page and "共 7 天" in page
    quick = html[html.index('id="quick-periods"'):html.index('id="period-form"')]
    links = re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', quick)
    assert [label for _, label in links] == ["近7天", "本周", "上周", "本月"]
    assert all(href.startswith("?") for href, _ in links)  # the same page, another period
    this_week = text_of(client.get(f"/progress/groups/{studied.branch_a.id}" + links[1][0].replace("&amp;", "&")))
    assert "本周（11月16日—11月22日）" in this_week and "已过 5 天（共 7 天）" in this_week


@pytest.mark.parametrize("query, names", [
    ("", ["甲一", "甲二", "书记甲", "甲三"]),
    ("&sort=accuracy&dir=asc", ["书记甲", "甲三", "甲二", "甲一"]),
    ("&sort=name&dir=asc", ["书记甲", "甲一", "甲三", "甲二"]),  # code-point order
    ("&sort=bogus", ["甲一", "甲二", "书记甲", "甲三"]),
])
def test_member_table_sorts_by_column(client, login, studied, query, names):
    login(studied.secretary_a)
    html = client.get(f"/progress/groups/{studied.branch_a.id}?period=this_week{query}").get_data(as_text=True)
    table = html[html.index('id="member-table"'):]
    found = re.findall(r'/progress/members/\d+\?period=this_week">([^<]+)</a>', table)
    assert found == names


def test_custom_period_on_the_dashboard(client, login, studied):
    login(studied.secretary_a)
    page = text_of(client.get(f"/progress/groups/{studied.branch_a.id}?period=custom&start=2026-11-10&end=2026-11-18"))
    assert "自定义（11月10日—11月18日）" in page and "2/4 人参学" in page


@pytest.mark.parametrize("query, message", [
    ("period=custom&start=2026-11-20&end=2026-11-01", "开始日期 2026-11-20 晚于结束日期 2026-11-01"),
    ("period=custom&start=2026-01-01&end=2026-06-30", "所选时间范围共 181 天，最长不能超过 92 天"),
    ("period=custom&start=abc&end=2026-06-30", "开始日期「abc」格式不正确"),
    ("period=decade", "未知的时间范围「decade」"),
])
def test_a_bad_period_is_explained_and_the_default_shown(client, login, studied, query, message):
    login(studied.secretary_a)
    response = client.get(f"/progress/groups/{studied.branch_a.id}?sort=accuracy&{query}")
    assert response.status_code == 302
    assert response.location == f"/progress/groups/{studied.branch_a.id}?sort=accuracy"
    page = text_of(client.get(response.location))
    assert f"时间范围有误：{message}" in page
    assert "近7天（11月14日—11月20日）" in page


def test_export_matches_the_dashboard(client, login, studied):
    login(studied.secretary_a)
    response = client.get(f"/progress/groups/{studied.branch_a.id}/export?period=this_month")
    assert response.status_code == 200
    assert response.mimetype == progress_views.XLSX
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert "20261101-20261130.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    summary = dict([row for row in book["汇总"].iter_rows(min_row=2, values_only=True)])
    assert (summary["党员人数"], summary["参学人数"], summary["答题数"]) == (4, 3, 15)
    page = text_of(client.get(f"/progress/groups/{studied.branch_a.id}?period=this_month"))
    assert "3/4 人参学" in page and "75.0%" in page


@pytest.mark.parametrize("order", ["", "&sort=accuracy&dir=asc", "&sort=name&dir=asc", "&sort=last_day&dir=desc"])
def test_the_export_lists_members_in_the_page_order(client, login, studied, order):
    login(studied.secretary_a)
    html = client.get(f"/progress/groups/{studied.branch_a.id}?period=this_month{order}").get_data(as_text=True)
    table = html[html.index('id="member-table"'):]
    shown = re.findall(r'/progress/members/\d+\?period=this_month">([^<]+)</a>', table)
    export_url = re.search(r'id="export" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    book = load_workbook(io.BytesIO(client.get(export_url).data))
    exported = [row[0] for row in book["党员"].iter_rows(min_row=2, values_only=True)]
    assert exported == shown and len(shown) == 4


def test_bad_period_on_export_goes_back_to_the_dashboard(client, login, studied):
    login(studied.secretary_a)
    response = client.get(f"/progress/groups/{studied.branch_a.id}/export?period=custom&start=2026-11-02")
    assert response.status_code == 302 and response.location == f"/progress/groups/{studied.branch_a.id}"
    assert "需要填写结束日期" in text_of(client.get(response.location))


def test_member_drill_down_shows_the_attempts_and_answers(client, login, studied):
    login(studied.secretary_a)
    page = text_of(client.get(f"/progress/members/{studied.a1.id}"))
    assert "答题记录（2 次）" in page and "11-18 21:00" in page
    attempt = db.session.scalars(select(Attempt).filter_by(user_id=studied.a1.id).order_by(Attempt.finished_at)).first()
    page = text_of(client.get(f"/progress/members/{studied.a1.id}?attempt={attempt.id}"))
    assert "答对 2/3 题" in page
    assert page.count("正确答案：A") == 3 and "作答：B" in page
    assert "返回第一党支部" in page


def test_competition_answers_stay_hidden_until_revealed(client, login, studied):
    attempt = db.session.scalars(select(Attempt).filter_by(user_id=studied.a2.id)).one()
    attempt.reveal_at = NOW + timedelta(days=1)
    db.session.commit()
    login(studied.secretary_a)
    page = text_of(client.get(f"/progress/members/{studied.a2.id}?attempt={attempt.id}"))
    assert "答案将在活动结束后" in page and "正确答案" not in page


def test_my_study_page(client, login, studied, monkeypatch):
    monkeypatch.setattr(progress_views, "utcnow", lambda: shanghai("2026-11-23 12:00"))
    login(studied.a1)
    response = client.get("/progress/")
    page = text_of(response)
    assert "学习积分 5 本周 0" in page
    assert "连续学习 1 天 最近 2026-11-23" in page
    assert "答题次数 3 共 8 题 总正确率 62.5% 答对 5 题" in page
    assert "本周支部排名： 第 1 名 / 4 人（0 分）" in page  # nobody has points yet this week
    assert "本月支部排名： 第 1 名 / 4 人（5 分）" in page
    assert "党史 已掌握 2/6" in page and "党章 已掌握 1/3" in page
    assert "错题本待复习 0" in page
    html = response.get_data(as_text=True)
    assert html.count('class="study-day level-1') == 3  # the 16th, the 18th and the 23rd
    assert html.count('class="study-day level-0 future') == 6  # the rest of this week


def test_my_study_page_without_a_group(client, login, studied):
    login(studied.secretary_c)
    assert "加入党支部后可查看支部排名" in text_of(client.get("/progress/"))


def test_overview_for_the_committee_secretary(client, login, studied):
    login(studied.secretary_c)
    html = client.get("/progress/overview?period=this_week").get_data(as_text=True)
    tree = html[html.index('id="overview-tree"'):html.index('id="branch-ranking"')]
    assert re.findall(r'period=this_week">([^<]+)</a>', tree) == ["机关党委", "第一党支部", "第二党支部"]
    ranking = text_of_html(html[html.index('id="branch-ranking"'):])
    assert ranking.index("1 第二党支部 50.0% 100.0% 1.5") < ranking.index("2 第一党支部 50.0% 63.6% 1.8")


def test_overview_zooms_into_a_group(client, login, studied):
    login(studied.admin)
    page = text_of(client.get(f"/progress/overview?group_id={studied.branch_a.id}"))
    assert "第一党支部" in page and "第二党支部" not in page and "机关党委" not in page


def test_a_branch_secretary_sees_only_the_branch(client, login, studied):
    login(studied.secretary_a)
    page = text_of(client.get("/progress/overview"))
    assert "第一党支部" in page and "第二党支部" not in page


def test_groups_list_of_a_committee_secretary(client, login, studied):
    login(studied.secretary_c)
    html = client.get("/progress/groups").get_data(as_text=True)
    assert re.findall(r'<span class="text-break">([^<]+)</span>', html) == ["机关党委", "第一党支部", "第二党支部"]


def test_a_secretary_of_one_group_goes_straight_to_it(client, login, studied):
    login(studied.secretary_a)
    assert client.get("/progress/groups").location == f"/progress/groups/{studied.branch_a.id}"


def test_home_panel(client, login, studied):
    login(studied.secretary_a)
    page = text_of(client.get("/"))
    assert "本周学习积分 0" in page and "支部第 3/4 名" in page
    assert "第一党支部 本周参学率 50.0% 2 人未参学" in page

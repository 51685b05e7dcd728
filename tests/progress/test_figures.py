"""Every group figure on a small organisation whose right answers are worked out by hand
(who studied what: the `studied` fixture in conftest.py)."""
from datetime import date, timedelta

import pytest

from quizapp.services.progress import group_figures as figures
from quizapp.services.progress.periods import Period, named_period
from tests.progress.conftest import shanghai

TODAY = date(2026, 11, 20)
THIS_WEEK = named_period("this_week", TODAY)
LAST_WEEK = named_period("last_week", TODAY)
THIS_MONTH = named_period("this_month", TODAY)


def report(group, period, **sort):
    return figures.group_report(group.subtree_ids(), period, TODAY, **sort)


def member_rows(group, period, **sort):
    return report(group, period, **sort).rows


def by_name(rows):
    return {row.user.name: row for row in rows}


def test_member_table_for_this_week(studied):
    rows = by_name(member_rows(studied.branch_a, THIS_WEEK))
    assert set(rows) == {"书记甲", "甲一", "甲二", "甲三"}  # the inactive member is left out
    table = {name: (row.attempts, row.questions, row.correct, row.points, row.weakest) for name, row in rows.items()}
    assert table == {"甲一": (2, 7, 5, 5, "党史"), "甲二": (1, 4, 2, 2, "党章"),
                     "甲三": (0, 0, 0, 0, None), "书记甲": (0, 0, 0, 0, None)}
    assert rows["甲一"].accuracy == pytest.approx(5 / 7)
    assert rows["甲三"].accuracy is None
    assert rows["甲一"].last_day == date(2026, 11, 23)
    assert rows["书记甲"].last_day is None


@pytest.mark.parametrize("period, expected", [
    (LAST_WEEK, {"甲三": (1, 3, 1, 1)}),
    (THIS_MONTH, {"甲一": (3, 8, 5, 5), "甲二": (1, 4, 2, 2), "甲三": (1, 3, 1, 1)}),
    (Period("custom", date(2026, 11, 10), date(2026, 11, 18)), {"甲一": (2, 7, 5, 5), "甲三": (1, 3, 1, 1)}),
    (Period("custom", date(2026, 11, 17), date(2026, 11, 17)), {}),
    (Period("custom", date(2026, 11, 23), date(2026, 11, 23)), {"甲一": (1, 1, 0, 0)}),
])
def test_member_table_for_other_periods(studied, period, expected):
    rows = member_rows(studied.branch_a, period)
    found = {row.user.name: (row.attempts, row.questions, row.correct, row.points) for row in rows if row.studied}
    assert found == expected


def test_group_summary_and_participation(studied):
    summary = report(studied.branch_a, THIS_WEEK).summary
    assert (summary.members, summary.studied, summary.attempts, summary.questions, summary.correct,
            summary.points) == (4, 2, 3, 11, 7, 7)
    assert summary.participation == pytest.approx(0.5)
    assert summary.accuracy == pytest.approx(7 / 11)
    assert summary.points_per_member == pytest.approx(7 / 4)


def test_summary_of_a_group_without_members(app, make_group):
    summary = report(make_group(), THIS_WEEK).summary
    figures_shown = (summary.members, summary.participation, summary.accuracy, summary.points_per_member)
    assert figures_shown == (0, None, None, None)


def test_not_studied_list_longest_absent_first(studied):
    rows = report(studied.branch_a, THIS_WEEK).absent
    assert [(row.user.name, row.last_day, row.days_since) for row in rows] == [
        ("书记甲", None, None), ("甲三", date(2026, 11, 10), 10)]


@pytest.mark.parametrize("sort, descending, names", [
    ("points", True, ["甲一", "甲二", "书记甲", "甲三"]),  # ties in name order
    ("accuracy", True, ["甲一", "甲二", "书记甲", "甲三"]),
    ("accuracy", False, ["书记甲", "甲三", "甲二", "甲一"]),
    ("questions", False, ["书记甲", "甲三", "甲二", "甲一"]),
    ("last_day", True, ["甲一", "甲二", "甲三", "书记甲"]),
    ("no-such-column", True, ["甲一", "甲二", "书记甲", "甲三"]),
])
def test_member_table_sorting(studied, sort, descending, names):
    rows = member_rows(studied.branch_a, THIS_WEEK, sort=sort, descending=descending)
    assert [row.user.name for row in rows] == names


def test_category_accuracy_weakest_first(studied):
    ids = [member.id for member in figures.active_members([studied.branch_a.id])]
    rows = figures.category_accuracy(ids, THIS_WEEK)
    assert rows == report(studied.branch_a, THIS_WEEK).categories
    assert [(row.category, row.questions, row.correct) for row in rows] == [("党章", 4, 2), ("党史", 6, 4)]


def test_weakest_category_needs_enough_answers(studied, finish):
    # a2: 党章 1 of 3 right, 党史 1 of 1 (too few answers to count).
    assert figures.weakest_categories([studied.a2.id], THIS_WEEK) == {studied.a2.id: "党章"}
    # Two more wrong 党史 answers: 党史 1 of 3 ties 党章 1 of 3 on accuracy and answers; path order decides.
    finish(studied.a2, shanghai("2026-11-19 10:00"), [(studied.history[4], False), (studied.history[5], False)])
    assert figures.weakest_categories([studied.a2.id], THIS_WEEK) == {studied.a2.id: "党史"}
    # One more wrong 党章 answer: 党章 1 of 4 is now the weakest.
    finish(studied.a2, shanghai("2026-11-19 11:00"), [(studied.charter[0], False)])
    assert figures.weakest_categories([studied.a2.id], THIS_WEEK) == {studied.a2.id: "党章"}


def test_weekly_trend_of_a_group(studied):
    rows = figures.weekly_trend([studied.branch_a.id], THIS_WEEK.end, weeks=3)
    assert [(row.week, row.members, row.studied, row.questions, row.correct) for row in rows] == [
        (date(2026, 11, 2), 4, 0, 0, 0), (date(2026, 11, 9), 4, 1, 3, 1), (date(2026, 11, 16), 4, 2, 11, 7)]
    assert rows[2].participation == pytest.approx(0.5)
    assert rows[0].accuracy is None


def test_overview_rolls_figures_up_the_tree_and_ranks_siblings(studied):
    rows = figures.overview([studied.committee], THIS_WEEK)
    assert [(row.group.name, row.depth) for row in rows] == [("机关党委", 0), ("第一党支部", 1), ("第二党支部", 1)]
    found = {row.group.name: row for row in rows}
    committee, a, b = found["机关党委"].figures, found["第一党支部"].figures, found["第二党支部"].figures
    assert (committee.members, committee.studied, committee.questions, committee.correct, committee.points) == (
        6, 3, 14, 10, 10)
    assert (b.members, b.studied, b.accuracy, b.points_per_member) == (2, 1, 1.0, 1.5)
    assert a.participation == b.participation == 0.5
    assert (found["第二党支部"].rank, found["第一党支部"].rank) == (1, 2)  # equal 参学率, B more accurate
    assert [(rank, row.group.name) for rank, row in figures.branch_ranking(rows)] == [(1, "第二党支部"),
                                                                                    (2, "第一党支部")]


@pytest.mark.parametrize("period", [THIS_WEEK, LAST_WEEK, THIS_MONTH, Period("custom", date(2026, 11, 10),
                                                                                   date(2026, 11, 18))])
def test_overview_agrees_with_each_group_page(studied, period):
    for row in figures.overview([studied.committee], period):
        page = report(row.group, period).summary
        assert vars(row.figures) == vars(page), row.group.name


def test_overview_shows_a_root_below_another_only_once(studied):
    rows = figures.overview([studied.branch_a, studied.committee], THIS_WEEK)
    assert [row.group.name for row in rows] == ["机关党委", "第一党支部", "第二党支部"]


def test_equal_figures_share_a_rank(org):
    rows = figures.overview([org.committee], THIS_WEEK)  # nobody studied: both branches tie
    assert [(row.group.name, row.rank) for row in rows[1:]] == [("第一党支部", 1), ("第二党支部", 1)]


@pytest.mark.parametrize("keys, ranks", [
    ([], []), ([5], [1]), ([1, 2, 2, 3], [1, 2, 2, 4]), ([1, 1, 1], [1, 1, 1]),
])
def test_competition_ranks(keys, ranks):
    assert figures.competition_ranks(keys) == ranks


@pytest.mark.parametrize("period", [THIS_WEEK, LAST_WEEK, THIS_MONTH])
def test_week_and_month_rows_equal_the_sum_of_their_day_rows(studied, period):
    ids = [studied.a1.id, studied.a2.id, studied.a3.id, studied.b1.id]
    assert period.span[0] in ("week", "month")
    summed = {}
    for offset in range(period.days):
        day = period.start + timedelta(days=offset)
        for user_id, tally in figures.member_tallies(ids, Period("custom", day, day)).items():
            total = summed.setdefault(user_id, figures.Tally())
            for name in ("attempts", "questions", "correct", "points"):
                setattr(total, name, getattr(total, name) + getattr(tally, name))
    assert figures.member_tallies(ids, period) == summed
    assert summed

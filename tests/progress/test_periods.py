"""Periods: the named ones, custom ranges, and clear Chinese messages for bad ranges."""
from datetime import date

import pytest

from quizapp.services.progress.periods import MAX_PERIOD_DAYS, Period, PeriodError, parse_period, weeks_ending

FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize("args, start, end, span", [
    ({}, date(2026, 11, 14), date(2026, 11, 20), "day"),  # the last 7 days, today included
    ({"period": "last_7_days"}, date(2026, 11, 14), date(2026, 11, 20), "day"),
    ({"period": "this_week"}, date(2026, 11, 16), date(2026, 11, 22), "week"),
    ({"period": "last_week"}, date(2026, 11, 9), date(2026, 11, 15), "week"),
    ({"period": "this_month"}, date(2026, 11, 1), date(2026, 11, 30), "month"),
    ({"period": "last_month"}, date(2026, 10, 1), date(2026, 10, 31), "month"),
    ({"period": "custom", "start": "2026-11-03", "end": "2026-11-05"}, date(2026, 11, 3), date(2026, 11, 5), "day"),
    ({"period": "custom", "start": "2026-11-09", "end": "2026-11-15"}, date(2026, 11, 9), date(2026, 11, 15), "week"),
    ({"period": "custom", "start": "2026-02-01", "end": "2026-02-28"}, date(2026, 2, 1), date(2026, 2, 28), "month"),
    ({"period": "custom", "start": "2026-11-05", "end": "2026-11-05"}, date(2026, 11, 5), date(2026, 11, 5), "day"),
])
def test_parse_period(args, start, end, span):
    period = parse_period(args, today=FRIDAY)
    assert (period.start, period.end, period.span[0]) == (start, end, span)


@pytest.mark.parametrize("today, start, end", [
    (date(2026, 1, 14), date(2025, 12, 1), date(2025, 12, 31)),  # last month across a year
    (date(2024, 3, 31), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
])
def test_last_month(today, start, end):
    period = parse_period({"period": "last_month"}, today=today)
    assert (period.start, period.end) == (start, end)


def test_a_week_across_a_year_starts_on_monday():
    period = parse_period({"period": "this_week"}, today=date(2027, 1, 1))
    assert (period.start, period.end) == (date(2026, 12, 28), date(2027, 1, 3))
    assert period.label == "本周（2026年12月28日—2027年1月3日）"


def test_labels_and_query_args_round_trip():
    custom = Period("custom", date(2026, 11, 3), date(2026, 11, 5))
    assert custom.label == "自定义（11月3日—11月5日）"
    assert parse_period(custom.query_args(), today=FRIDAY) == custom
    week = parse_period({"period": "this_week"}, today=FRIDAY)
    assert week.query_args() == {"period": "this_week"}
    assert parse_period({}, today=FRIDAY).label == "近7天（11月14日—11月20日）"
    assert week.label == "本周（11月16日—11月22日）"


@pytest.mark.parametrize("args, message", [
    ({"period": "custom", "start": "2026-11-20", "end": "2026-11-01"}, "开始日期 2026-11-20 晚于结束日期 2026-11-01"),
    ({"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}, f"共 365 天，最长不能超过 {MAX_PERIOD_DAYS} 天"),
    ({"period": "custom", "start": "2026-11-01"}, "需要填写结束日期"),
    ({"period": "custom", "end": "2026-11-01"}, "需要填写开始日期"),
    ({"period": "custom", "start": "2026/11/01", "end": "2026-11-02"}, "开始日期「2026/11/01」格式不正确"),
    ({"period": "custom", "start": "2026-11-01", "end": "2026-02-30"}, "结束日期「2026-02-30」格式不正确"),
    ({"period": "yesterday"}, "未知的时间范围「yesterday」"),
])
def test_bad_periods_are_refused_with_a_clear_message(args, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(args, today=FRIDAY)


def test_the_longest_allowed_range():
    period = parse_period({"period": "custom", "start": "2026-08-01", "end": "2026-10-31"}, today=FRIDAY)
    assert period.days == MAX_PERIOD_DAYS


def test_weeks_ending():
    assert weeks_ending(date(2026, 11, 22), 3) == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]


@pytest.mark.parametrize("key, today, so_far, days", [
    ("this_week", date(2026, 11, 16), 1, 7),  # a Monday: the week has had one day
    ("this_week", date(2026, 11, 20), 5, 7),
    ("last_week", date(2026, 11, 16), 7, 7),
    ("this_month", date(2026, 11, 20), 20, 30),
    ("last_7_days", date(2026, 11, 16), 7, 7),
])
def test_days_so_far(key, today, so_far, days):
    period = parse_period({"period": key}, today=today)
    assert (period.days_so_far(today), period.days) == (so_far, days)


def test_a_custom_period_in_the_future_has_had_no_days():
    period = Period("custom", date(2026, 12, 1), date(2026, 12, 3))
    assert period.days_so_far(date(2026, 11, 20)) == 0

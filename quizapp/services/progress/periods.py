"""Periods of the progress pages: this week, last week, this month, last month or a custom range.

Days are local (TIMEZONE); weeks start on Monday. A period maps onto the summary rows that cover it
exactly: a whole week reads week rows, a whole calendar month reads month rows, anything else reads
day rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping

from quizapp.services import ServiceError
from quizapp.services.clock import SUPPORTED_RANGE, is_supported_day, week_start

MAX_PERIOD_DAYS = 92
# The dashboards open on the last 7 days: 本周 on a Monday holds a single day, and would show nearly
# everyone as not studied.
DEFAULT_PERIOD = "last_7_days"
PERIOD_CHOICES = {"last_7_days": "近7天", "this_week": "本周", "last_week": "上周", "this_month": "本月",
                  "last_month": "上月", "custom": "自定义"}
QUICK_PERIODS = ("last_7_days", "this_week", "last_week", "this_month")  # one tap away on every dashboard


class PeriodError(ServiceError):
    pass


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def days_so_far(self, today: date) -> int:
        """How many of the period's days have begun by `today` (0 for a period still to come)."""
        return max(0, min((today - self.start).days + 1, self.days))

    @property
    def label(self) -> str:
        with_year = self.start.year != self.end.year
        return f"{PERIOD_CHOICES[self.key]}（{_day_label(self.start, with_year)}—{_day_label(self.end, with_year)}）"

    @property
    def span(self) -> tuple[str, date, date]:
        """(span, first start, last start) of the summary rows that cover the period exactly."""
        if self.start == week_start(self.start) and self.days == 7:
            return "week", self.start, self.start
        if self.start.day == 1 and self.end == month_end(self.start):
            return "month", self.start, self.start
        return "day", self.start, self.end

    def query_args(self) -> dict:
        """The request arguments that select this period again (for links and the export)."""
        if self.key == "custom":
            return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.key}


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return next_month - timedelta(days=1)


def named_period(key: str, today: date) -> Period:
    if key == "last_7_days":
        return Period(key, today - timedelta(days=6), today)
    if key == "this_week":
        start = week_start(today)
    elif key == "last_week":
        start = week_start(today) - timedelta(days=7)
    elif key == "this_month":
        return Period(key, month_start(today), month_end(today))
    elif key == "last_month":
        previous = month_start(today) - timedelta(days=1)
        return Period(key, month_start(previous), previous)
    else:
        raise PeriodError(f"未知的时间范围「{key}」，可选：{'、'.join(PERIOD_CHOICES.values())}。")
    return Period(key, start, start + timedelta(days=6))


def parse_period(args: Mapping[str, str], *, today: date) -> Period:
    """The period named by request arguments `period` (and `start`, `end` for a custom range)."""
    key = (args.get("period") or DEFAULT_PERIOD).strip()
    if key != "custom":
        return named_period(key, today)
    start = _parse_day(args.get("start"), "开始日期")
    end = _parse_day(args.get("end"), "结束日期")
    if start > end:
        raise PeriodError(f"开始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}，请调换后重试。")
    period = Period("custom", start, end)
    if period.days > MAX_PERIOD_DAYS:
        raise PeriodError(f"所选时间范围共 {period.days} 天，最长不能超过 {MAX_PERIOD_DAYS} 天。")
    return period


def _parse_day(value: str | None, field: str) -> date:
    text = (value or "").strip()
    if not text:
        raise PeriodError(f"自定义时间范围需要填写{field}。")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{field}「{text[:20]}」格式不正确，应为 2026-11-01 这样的日期。") from None
    if not is_supported_day(day):
        raise PeriodError(f"{field} {day.isoformat()} 超出可选范围（{SUPPORTED_RANGE}）。")
    return day


def weeks_ending(day: date, count: int) -> list[date]:
    """The Mondays of the `count` weeks up to and including the week of `day`, oldest first."""
    last = week_start(day)
    return [last - timedelta(days=7 * back) for back in range(count - 1, -1, -1)]


def _day_label(day: date, with_year: bool) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if with_year else f"{day.month}月{day.day}日"

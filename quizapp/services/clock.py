"""Local study days and weeks (Asia/Shanghai by default; weeks start on Monday)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_day(moment: datetime) -> date:
    """The local calendar day of an aware datetime."""
    return moment.astimezone(zone()).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The aware [start, end) instants of a local day."""
    start = datetime.combine(day, time.min, tzinfo=zone())
    return start, start + timedelta(days=1)


# The calendar the app works in: dates outside it are refused where they are typed (period filters,
# competition times), so no date arithmetic or database column ever meets year 1 or year 9999.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)
SUPPORTED_RANGE = f"{EARLIEST_DAY.isoformat()} 至 {LATEST_DAY.isoformat()}"


def is_supported_day(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY

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

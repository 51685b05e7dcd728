"""Local study days and weeks (Asia/Shanghai by default; weeks start on Monday).

The zone is the app's TIMEZONE setting, handed in once by create_app (use_timezone)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_zone = ZoneInfo("Asia/Shanghai")


def use_timezone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone


def local_text(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An aware datetime as local wall-clock text ("" for None)."""
    return "" if moment is None else moment.astimezone(_zone).strftime(fmt)


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

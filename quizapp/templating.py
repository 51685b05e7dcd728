"""Template globals and filters shared by every page."""
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime(fmt)


def register(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["nav_items"] = nav_items


def nav_items(user) -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the navigation bar, by role."""
    items = [("main.index", "首页")]
    if not user.is_authenticated:
        return items
    if user.is_secretary or user.is_admin:
        items.append(("groups.mine", "我的支部"))
    if user.is_admin:
        items += [("admin.groups", "组织管理"), ("admin.users", "党员管理")]
    return items

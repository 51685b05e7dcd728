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


# (endpoint, label, roles that see it) in display order; None means every logged-in user.
NAVIGATION = [
    ("main.index", "首页", None),
    ("quiz.wrong_book", "错题本", None),
    ("sources.index", "学习园地", None),
    ("competitions.index", "知识竞赛", None),
    ("progress.me", "我的学习", None),
    ("groups.mine", "我的支部", {"secretary"}),
    ("progress.groups", "支部学习情况", {"secretary", "admin"}),
    ("questions.index", "题库管理", {"admin"}),
    ("admin.groups", "组织管理", {"admin"}),
    ("admin.users", "党员管理", {"admin"}),
]


def nav_items(user) -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the navigation bar: by role, and only pages that exist."""
    if not user.is_authenticated:
        return []
    views = current_app.view_functions
    return [(endpoint, label) for endpoint, label, roles in NAVIGATION
            if endpoint in views and (roles is None or user.role in roles)]

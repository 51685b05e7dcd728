"""Template globals and filters shared by every page, and the versioned URLs of static files."""
import hashlib
import os
import re
from functools import lru_cache

from flask import Flask, current_app, request

from quizapp.services.clock import local_text


def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return local_text(value, fmt)


FIGURE_AND_UNIT = re.compile(r"(\d) (?=[天题分次名人秒个])")


def whole_figures(text: str) -> str:
    """A figure kept with its unit by a no-break space ("20 题" never split across two lines), for
    texts written in Python (exam titles); templates write &nbsp; themselves."""
    return FIGURE_AND_UNIT.sub("\\1\u00a0", text)


def register(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["whole_figures"] = whole_figures
    app.jinja_env.globals["nav_items"] = nav_items
    app.url_defaults(version_static_url)
    app.after_request(cache_versioned_static)


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
    ("admin.audit_log", "审计日志", {"admin"}),
]


def nav_items(user) -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the navigation bar: by role, and only pages that exist."""
    if not user.is_authenticated:
        return []
    views = current_app.view_functions
    return [(endpoint, label) for endpoint, label, roles in NAVIGATION
            if endpoint in views and (roles is None or user.role in roles)]


# --- static files ---------------------------------------------------------------------------

STATIC_ENDPOINTS = {"static": None, "bootstrap.static": "bootstrap"}  # endpoint -> the blueprint serving it
A_YEAR_S = 365 * 24 * 3600


def version_static_url(endpoint: str, values: dict) -> None:
    """A static file's URL carries a hash of its content (?v=...), so that browsers may keep it for a
    year (cache_versioned_static) and still fetch a changed file at once, under its new URL: a phone
    opening a page does not ask again for the stylesheets and scripts it has."""
    if endpoint not in STATIC_ENDPOINTS or "filename" not in values:
        return
    blueprint = STATIC_ENDPOINTS[endpoint]
    folder = current_app.static_folder if blueprint is None else current_app.blueprints[blueprint].static_folder
    path = os.path.join(folder, values["filename"])
    try:
        modified = os.stat(path).st_mtime_ns
    except OSError:
        return  # no such file: the request will say so
    values["v"] = content_hash(path, modified)


@lru_cache(maxsize=256)
def content_hash(path: str, modified_ns: int) -> str:
    """The first 10 hex digits of the file's MD5 (the modification time keys the cache only)."""
    with open(path, "rb") as file:
        return hashlib.md5(file.read(), usedforsecurity=False).hexdigest()[:10]


def cache_versioned_static(response):
    """A static file asked for by a versioned URL may be kept for a year; others are checked each time."""
    if request.endpoint in STATIC_ENDPOINTS and "v" in request.args and response.status_code == 200:
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = A_YEAR_S
        response.cache_control.immutable = True
    return response

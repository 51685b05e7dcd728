"""The home page: what to study next; the menu page; the 长辈版 switch."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.services.people import preferences

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    # Each area adds its own panel to the home page through templates/<area>/_home_panel.html.
    return render_template("main/index.html")


@bp.route("/menu")
@login_required
def menu():
    """The ☰ menu as a page: what the button opens when JavaScript is off (or has not loaded)."""
    return render_template("main/menu.html")


@bp.route("/elder-mode", methods=["POST"])
@login_required
def elder_mode():
    on = request.form.get("elder") == "1"
    preferences.set_elder_mode(current_user, on)
    flash("已切换到长辈版：字更大，按钮更大。" if on else "已切换到标准版。", "success")
    return redirect(_local_path(request.form.get("next")) or url_for("main.index"))


def _local_path(target: str | None) -> str | None:
    """The page to go back to, only when it is a path on this site (never another host)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}

"""The home page: what to study next."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    # Each area adds its own panel to the home page through templates/<area>/_home_panel.html.
    return render_template("main/index.html")


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}

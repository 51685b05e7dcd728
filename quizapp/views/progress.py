"""我的学习 and the group dashboards (helper: progress)."""
from flask import Blueprint

bp = Blueprint("progress", __name__, url_prefix="/progress")

"""Competitions and leaderboards (helper: competitions)."""
from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/competitions")

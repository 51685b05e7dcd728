"""Admin question bank management and imports (helper: question bank web)."""
from flask import Blueprint

bp = Blueprint("questions", __name__, url_prefix="/admin/questions")

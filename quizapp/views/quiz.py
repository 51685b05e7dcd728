"""Taking quizzes in every mode (helper: quiz engine)."""
from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

"""学习园地: source reading pages and the 每周一学 generator review (helper: sources)."""
from flask import Blueprint

bp = Blueprint("sources", __name__, url_prefix="/sources")

"""Admin pages: the organisation tree and the people in it."""
from flask import Blueprint, render_template
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import StudyGroup, User
from quizapp.permissions import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/groups")
@admin_required
def groups():
    roots = db.session.scalars(select(StudyGroup).where(StudyGroup.parent_id.is_(None)).order_by(StudyGroup.name))
    return render_template("admin/groups.html", roots=list(roots))


@bp.route("/users")
@admin_required
def users():
    people = db.session.scalars(select(User).order_by(User.username))
    return render_template("admin/users.html", users=list(people))

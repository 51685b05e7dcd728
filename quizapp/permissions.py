"""Named permission helpers: every view is guarded through these, never by inline checks."""
from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.models import StudyGroup, User
from quizapp.services.people.groups import led_group_ids


def role_required(*roles: str):
    """Allow only logged-in users whose role is one of `roles` (admins always pass)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and not current_user.is_admin:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required("admin")


def can_manage_group(user: User, group: StudyGroup) -> bool:
    return user.is_admin or (user.is_secretary and group.id in led_group_ids(user))


def get_group_or_404(group_id: int, manage: bool = False) -> StudyGroup:
    group = db.session.get(StudyGroup, group_id) or abort(404)
    if manage and not can_manage_group(current_user, group):
        abort(403)
    return group


def can_view_member(user: User, member: User) -> bool:
    if user.is_admin or user.id == member.id:
        return True
    return user.is_secretary and member.group_id in led_group_ids(user)


def get_member_or_404(user_id: int) -> User:
    member = db.session.get(User, user_id) or abort(404)
    if not can_view_member(current_user, member):
        abort(403)
    return member


def password_change_gate():
    """Before-request hook: a user with a generated password must change it before anything else."""
    if request.endpoint in ("auth.change_password", "auth.logout", "static", "bootstrap.static", "pwa.service_worker",
                            "pwa.manifest", "pwa.offline", "pwa.offline_daily"):
        return None  # checked first: a static file needs no user loaded
    if request.path.startswith("/api/"):
        return None  # the API checks this itself for tokens and sessions alike (quizapp/api/auth.py)
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None

"""Members join a branch by invite code; secretaries see the groups they lead."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from quizapp.forms.auth import JoinGroupForm
from quizapp.models._types import utcnow
from quizapp.permissions import get_group_or_404, role_required
from quizapp.services import GroupError, audit
from quizapp.services.people import groups

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join():
    form = JoinGroupForm()
    if form.validate_on_submit():
        before = current_user.group_id
        try:
            group = groups.join_by_invite(current_user, form.code.data)
        except GroupError as error:
            form.code.errors.append(str(error))
        else:
            if group.id != before:  # a membership change, as an admin's (user.group)
                audit.record_committed(current_user.id, "user.group", audit.target("user", current_user.id),
                                       {"username": current_user.username, "from": before, "to": group.id,
                                        "via": "invite_code"}, utcnow())
            flash(f"已加入「{group.name}」。", "success")
            return redirect(url_for("main.index"))
    return render_template("groups/join.html", form=form)


@bp.route("/mine")
@role_required("secretary")
def mine():
    return render_template("groups/mine.html", groups=groups.top_groups(current_user), counts=groups.member_counts())


@bp.route("/<int:group_id>")
@role_required("secretary")
def detail(group_id: int):
    """A group the secretary leads (or one below it): its subgroups, secretaries and members."""
    group = get_group_or_404(group_id, manage=True)
    return render_template("groups/detail.html", group=group, counts=groups.member_counts())

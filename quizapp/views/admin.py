"""Admin pages: the organisation tree, the people in it, and the roster import."""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from quizapp.extensions import db
from quizapp.forms.admin import NO_GROUP, DownloadForm, GroupForm, RosterUploadForm, SecretariesForm, UserCreateForm, UserForm, UserSearchForm
from quizapp.models import StudyGroup, User
from quizapp.models._types import utcnow
from quizapp.permissions import admin_required, get_group_or_404
from quizapp.services import AccountError, GroupError, audit, downloads
from quizapp.services.people import accounts
from quizapp.services.people import groups as group_service
from quizapp.services.people import roster as roster_service

bp = Blueprint("admin", __name__, url_prefix="/admin")
USERS_PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_FILTER = {"active": True, "inactive": False}


def _group_choices(none_label: str, disabled_ids=frozenset()) -> list[tuple]:
    """Every group, indented by depth, for a select; groups in disabled_ids cannot be picked."""
    return [(NO_GROUP, none_label)] + [
        (group.id, "\u3000" * depth + group.name, {"disabled": True} if group.id in disabled_ids else {})
        for group, depth in group_service.tree()]


def _group_or_none(group_id: int | None) -> StudyGroup | None:
    return db.session.get(StudyGroup, group_id) if group_id else None


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _password_page(user: User, password: str, created: bool):
    """The one page that shows a generated password; never kept in any cache."""
    response = make_response(render_template("admin/password_issued.html", user=user, password=password,
                                             created=created))
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- groups ---------------------------------------------------------------------------------------

@bp.route("/groups")
@admin_required
def groups():
    return render_template("admin/groups.html", tree=group_service.tree(), counts=group_service.member_counts())


@bp.route("/groups/new", methods=["GET", "POST"])
@admin_required
def group_new():
    form = GroupForm()
    form.parent_id.choices = _group_choices("（无上级组织）")
    if form.validate_on_submit():
        try:
            group = group_service.save_group(form.name.data, form.kind.data, _group_or_none(form.parent_id.data))
        except GroupError as error:
            flash(str(error), "danger")
        else:
            flash(f"已创建「{group.name}」，可在下方指定书记。", "success")
            return redirect(url_for("admin.group_edit", group_id=group.id))
    return render_template("admin/group_form.html", form=form, group=None)


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
@admin_required
def group_edit(group_id: int):
    group = get_group_or_404(group_id)
    form = GroupForm(obj=group)
    form.parent_id.choices = _group_choices("（无上级组织）", disabled_ids=set(group.subtree_ids()))
    if form.validate_on_submit():
        try:
            group_service.save_group(form.name.data, form.kind.data, _group_or_none(form.parent_id.data), group)
        except GroupError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash("已保存。", "success")
            return redirect(url_for("admin.group_edit", group_id=group.id))
    secretaries_form = SecretariesForm(formdata=None, secretaries=[user.id for user in group.secretaries])
    secretaries_form.secretaries.choices = _candidate_choices(group)
    return render_template("admin/group_form.html", form=form, group=group, secretaries_form=secretaries_form)


def _candidate_choices(group: StudyGroup) -> list[tuple[int, str]]:
    return [(user.id, f"{user.name}（{user.username}）") for user in group_service.secretary_candidates(group)]


@bp.route("/groups/<int:group_id>/secretaries", methods=["POST"])
@admin_required
def group_secretaries(group_id: int):
    group = get_group_or_404(group_id)
    form = SecretariesForm()
    candidates = {user.id: user for user in group_service.secretary_candidates(group)}
    chosen = form.secretaries.data or []
    if not form.validate_on_submit() or any(user_id not in candidates for user_id in chosen):
        flash("所选人员不属于本组织，书记未更改。", "danger")
    else:
        group_service.set_secretaries(group, [candidates[user_id] for user_id in chosen])
        audit.record_committed(current_user.id, "group.secretaries", audit.target("group", group.id),
                               {"group": group.name, "secretary_ids": sorted(chosen)}, utcnow())
        flash(f"已更新「{group.name}」的书记。", "success")
    return redirect(url_for("admin.group_edit", group_id=group.id))


@bp.route("/groups/<int:group_id>/invite", methods=["POST"])
@admin_required
def group_invite(group_id: int):
    group = get_group_or_404(group_id)
    code = group_service.regenerate_invite(group)
    flash(f"新的邀请码是 {code}，原邀请码已失效。", "success")
    return redirect(url_for("admin.group_edit", group_id=group.id))


# ---- users ----------------------------------------------------------------------------------------

@bp.route("/users")
@admin_required
def users():
    form = UserSearchForm(request.args)
    form.group_id.choices = _group_choices("全部组织")
    form.validate()
    for field in form:
        if field.errors:  # a malformed filter is dropped, never an error page
            field.data = field.default
    query = accounts.user_query(form.q.data or "", _group_or_none(form.group_id.data), form.role.data or "",
                                STATUS_FILTER.get(form.status.data))
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=USERS_PER_PAGE, error_out=False)
    return render_template("admin/users.html", form=form, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    form = UserCreateForm()
    form.group_id.choices = _group_choices("（暂不分配）")
    if form.validate_on_submit():
        try:
            user, password = accounts.create_user(form.username.data, form.name.data, form.role.data,
                                                  form.group_id.data or None)
        except AccountError as error:
            flash(str(error), "danger")
        else:
            _audit("user.create", user, {"username": user.username, "role": user.role, "group_id": user.group_id})
            return _password_page(user, password, created=True)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    form.group_id.choices = _group_choices("（暂不分配）")
    if form.validate_on_submit():
        before = {"role": user.role, "group_id": user.group_id}
        try:
            accounts.update_user(user, name=form.name.data, role=form.role.data,
                                 group_id=form.group_id.data or None, acting=current_user)
        except AccountError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            _audit_changes(user, before)
            flash(f"已保存「{user.name}」的信息。", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@admin_required
def user_reset_password(user_id: int):
    user = _user_or_404(user_id)
    password = accounts.reset_password(user)
    _audit("user.password_reset", user, {"username": user.username})
    return _password_page(user, password, created=False)


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
@admin_required
def user_set_active(user_id: int, action: str):
    user = _user_or_404(user_id)
    try:
        accounts.set_active(user, action == "reactivate", acting=current_user)
    except AccountError as error:
        flash(str(error), "danger")
    else:
        _audit("user.reactivate" if user.active else "user.deactivate", user, {"username": user.username})
        flash(f"已{'恢复' if user.active else '停用'}「{user.name}」的账号。", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _audit(action: str, user: User, details: dict) -> None:
    """An account change the service has committed, recorded (services.audit)."""
    audit.record_committed(current_user.id, action, audit.target("user", user.id), details, utcnow())


def _audit_changes(user: User, before: dict) -> None:
    if user.role != before["role"]:
        _audit("user.role", user, {"username": user.username, "from": before["role"], "to": user.role})
    if user.group_id != before["group_id"]:
        _audit("user.group", user, {"username": user.username, "from": before["group_id"], "to": user.group_id})


# ---- roster import --------------------------------------------------------------------------------

@bp.route("/roster", methods=["GET", "POST"])
@admin_required
def roster():
    form, problems = RosterUploadForm(), []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = roster_service.import_roster(
                upload.read(), upload.filename, owner=current_user, now=utcnow(),
                max_rows=current_app.config["ROSTER_MAX_ROWS"], max_bytes=current_app.config["IMPORT_MAX_BYTES"])
        except roster_service.RosterError as error:
            flash(str(error), "danger")
            problems = error.problems
        else:
            audit.record_committed(current_user.id, "roster.import", "roster", {"file": upload.filename,
                                                                                "people": result.count}, utcnow())
            flash(f"已导入 {result.count} 人。请立即下载初始密码表：它只提供一次。", "success")
            return redirect(url_for("admin.roster"))
    return render_template("admin/roster.html", form=form, problems=problems, download_form=DownloadForm(),
                           pending=downloads.pending(current_user, now=utcnow()))


@bp.route("/roster/template")
@admin_required
def roster_template():
    return send_file(io.BytesIO(roster_service.template_sheet()), mimetype=XLSX, as_attachment=True,
                     download_name="党员名单模板.xlsx")


@bp.route("/roster/download", methods=["POST"])
@admin_required
def roster_download():
    form = DownloadForm()
    fetched = downloads.take(current_user, form.token.data or "", now=utcnow()) if form.validate() else None
    if fetched is None:
        flash("该初始密码表已下载过或已过期，不会再次提供；如有需要，请在党员管理中为相关人员重置密码。", "warning")
        return redirect(url_for("admin.roster"))
    audit.record_committed(current_user.id, "export.roster_passwords", "roster", {"file": fetched.filename},
                           utcnow())
    response = send_file(io.BytesIO(fetched.content), mimetype=XLSX, as_attachment=True,
                         download_name=fetched.filename)
    response.headers["Cache-Control"] = "no-store"
    return response



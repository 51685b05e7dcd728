"""The admins' audit log (filter, page, .xlsx) and the list of competition points with revocation.

Routes go on the admin blueprint; views/admin.py imports this module to register them.
"""
from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp.extensions import db
from quizapp.models._types import utcnow
from quizapp.permissions import admin_required
from quizapp.services import audit
from quizapp.services.clock import SUPPORTED_RANGE, is_supported_day
from quizapp.services.competitions import awards
from quizapp.services.competitions.awards import PointsRevokeError
from quizapp.templating import local_time
from quizapp.views.admin import XLSX, bp

PER_PAGE = 50


def _day(name: str, label: str) -> date | None:
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        flash(f"{label}「{text[:20]}」格式不正确，应为 2026-11-01 这样的日期，已忽略。", "warning")
        return None
    if not is_supported_day(day):
        flash(f"{label} {day.isoformat()} 超出可选范围（{SUPPORTED_RANGE}），已忽略。", "warning")
        return None
    return day


def _criteria() -> audit.AuditFilter:
    action = request.args.get("action", "")
    return audit.AuditFilter(action=action if action in audit.ACTIONS else "",
                             actor=(request.args.get("actor") or "").strip()[:100],
                             start=_day("start", "开始日期"), end=_day("end", "结束日期"))


@bp.route("/audit")
@admin_required
def audit_log():
    criteria = _criteria()
    page = db.paginate(audit.entries(criteria), page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    return render_template("admin/audit.html", page=page, criteria=criteria, actions=audit.ACTIONS,
                           action_label=audit.action_label, actor_label=audit.actor_label,
                           details_text=audit.details_text)


@bp.route("/audit/export.xlsx")
@admin_required
def audit_export():
    data = audit.export_xlsx(_criteria(), local_time)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=f"审计日志-{local_time(utcnow(), '%Y%m%d')}.xlsx")


@bp.route("/competition-points")
@admin_required
def competition_points_list():
    competition_id = request.args.get("competition", type=int)
    page = db.paginate(awards.awarded(competition_id), page=request.args.get("page", 1, type=int),
                       per_page=PER_PAGE, error_out=False)
    return render_template("admin/audit_points.html", page=page, awards=awards.as_awards(page.items),
                           competition_id=competition_id, form=FlaskForm())


@bp.route("/competition-points/<int:entry_id>/revoke", methods=["POST"])
@admin_required
def revoke_points(entry_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        awards.revoke(entry_id, acting_user=current_user, now=utcnow(),
                                  note=(request.form.get("note") or "").strip())
    except PointsRevokeError as error:
        flash(str(error), "danger")
    else:
        flash("已撤销这笔竞赛积分，成员的积分和排行已同步扣减。", "success")
    return redirect(request.form.get("back") if (request.form.get("back") or "").startswith("/admin/")
                    else url_for("admin.competition_points_list"))

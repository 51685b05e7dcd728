"""The organisers' competition pages: create, edit, publish a draft, hide the board, publish results.

Routes go on the competitions blueprint; views/competitions.py imports this module to register them.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.forms.competitions import CompetitionForm
from quizapp.models import Category, Competition, StudyGroup
from quizapp.models._types import utcnow
from quizapp.permissions import led_group_ids, role_required
from quizapp.services import ServiceError
from quizapp.services.competitions import lifecycle
from quizapp.services.competitions.awards import PointsPolicy
from quizapp.views.competitions import bp, get_competition_or_404


def _policy() -> PointsPolicy:
    return PointsPolicy.from_config(current_app.config)


def _form(competition: Competition | None = None) -> CompetitionForm:
    form = CompetitionForm()
    query = select(StudyGroup).order_by(StudyGroup.name)
    if not current_user.is_admin:
        query = query.where(StudyGroup.id.in_(led_group_ids(current_user)))
    paths = list(db.session.scalars(select(Category.path).order_by(Category.path)))
    form.set_choices(list(db.session.scalars(query)), paths, secretary=not current_user.is_admin)
    if competition is not None and not form.is_submitted():
        form.fill_from(competition)
    return form


@bp.route("/new", methods=["GET", "POST"])
@role_required("secretary")
def new():
    form = _form()
    if form.validate_on_submit():
        try:
            competition = lifecycle.save_competition(form.to_data(), acting_user=current_user, now=utcnow(),
                                                        announce=form.announce.data, policy=_policy())
        except ServiceError as error:
            flash(str(error), "danger")
        else:
            flash(f"已{'发布' if competition.announced_at else '保存草稿'}「{competition.title}」。", "success")
            return redirect(url_for("competitions.detail", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=None)


@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@role_required("secretary")
def edit(competition_id: int):
    competition = get_competition_or_404(competition_id, manage=True)
    form = _form(competition)
    if form.validate_on_submit():
        try:
            lifecycle.save_competition(form.to_data(), acting_user=current_user, now=utcnow(),
                                          competition=competition, announce=form.announce.data, policy=_policy())
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash("已保存。", "success")
            return redirect(url_for("competitions.detail", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=competition)


def _managed_post(competition_id: int) -> Competition:
    competition = get_competition_or_404(competition_id, manage=True)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return competition


@bp.route("/<int:competition_id>/announce", methods=["POST"])
@role_required("secretary")
def announce(competition_id: int):
    competition = _managed_post(competition_id)
    lifecycle.announce(competition, now=utcnow(), acting_user_id=current_user.id)
    flash("已发布，参赛范围内的党员可以在首页看到这场竞赛。", "success")
    return redirect(url_for("competitions.detail", competition_id=competition.id))


@bp.route("/<int:competition_id>/board-visibility/<any(hide, show):action>", methods=["POST"])
@role_required("secretary")
def board_visibility(competition_id: int, action: str):
    competition = _managed_post(competition_id)
    lifecycle.set_board_hidden(competition, action == "hide", now=utcnow(), acting_user_id=current_user.id)
    flash("排行榜已隐藏，只有组织者能看到。" if action == "hide" else "排行榜已公开。", "success")
    return redirect(url_for("competitions.detail", competition_id=competition.id))


@bp.route("/<int:competition_id>/publish", methods=["POST"])
@role_required("secretary")
def publish(competition_id: int):
    competition = _managed_post(competition_id)
    try:
        placed = lifecycle.publish_results(competition, now=utcnow(), policy=_policy(),
                                              acting_user_id=current_user.id)
    except ServiceError as error:
        flash(str(error), "danger")
        return redirect(url_for("competitions.detail", competition_id=competition.id))
    flash(f"成绩已公布{f'，{placed} 人获得名次积分' if placed else ''}。", "success")
    return redirect(url_for("competitions.results", competition_id=competition.id))

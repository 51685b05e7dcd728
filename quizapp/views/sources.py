"""学习园地: source reading pages, adding sources, and the 每周一学 generator review."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.forms.sources import SourceCreateForm
from quizapp.models import Question, Source
from quizapp.permissions import admin_required
from quizapp.services import sources as source_service
from quizapp.services.sources import SourceError

bp = Blueprint("sources", __name__, url_prefix="/sources")


@bp.route("/")
@login_required
def index():
    return render_template("sources/index.html", sources=source_service.list_sources(),
                           is_weekly_study=source_service.is_weekly_study)


@bp.route("/<int:source_id>")
@login_required
def show(source_id: int):
    source = db.session.get(Source, source_id) or abort(404)
    question = _highlight_question(source)
    blocks = source_service.layout(source, question.quote if question else "")
    return render_template("sources/show.html", source=source, blocks=blocks, question=question,
                           found=any(block.highlighted for block in blocks))


def _highlight_question(source: Source) -> Question | None:
    """The question named by ?highlight=, if it belongs to this source and the user may see it."""
    question_id = request.args.get("highlight", type=int)
    question = db.session.get(Question, question_id) if question_id else None
    if question is None or question.source_id != source.id:
        return None
    if question.status != "published" and not current_user.is_admin:
        return None
    return question


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = SourceCreateForm()
    if form.validate_on_submit():
        try:
            text = form.text.data or ""
            if form.upload.data:
                text = source_service.read_upload(form.upload.data.read(), form.upload.data.filename)
            source = source_service.create_source(form.title.data, text, publication=form.publication.data or "",
                                                  published_on=form.published_on.data, section=form.section.data or "")
        except SourceError as error:
            flash(str(error), "danger")
        else:
            flash(f"已添加学习材料「{source.title}」。", "success")
            return redirect(url_for("sources.show", source_id=source.id))
    return render_template("sources/new.html", form=form)

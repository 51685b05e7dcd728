"""学习园地: source reading pages, adding sources, and the 每周一学 generator review."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import undefer

from question_bank.draft import QUESTION_TYPES
from question_bank.llm_drafts import LLMSettings
from quizapp.exam_guard import refuse_during_exam
from quizapp.extensions import db
from quizapp.forms.questions import QuestionForm
from quizapp.forms.sources import SourceCreateForm
from quizapp.models import Candidate, Question, Source
from quizapp.models._types import utcnow
from quizapp.permissions import admin_required
from quizapp.services.bank import generation
from quizapp.services.bank import sources as source_service
from quizapp.services.bank.generation import GenerationError
from quizapp.services.bank.sources import SourceError

bp = Blueprint("sources", __name__, url_prefix="/sources")


@bp.route("/")
@login_required
def index():
    return render_template("sources/index.html", sources=source_service.list_sources(),
                           is_weekly_study=source_service.is_weekly_study)


@bp.route("/<int:source_id>")
@login_required
def show(source_id: int):
    source = db.session.get(Source, source_id, options=[undefer(Source.text)]) or abort(404)
    question = _highlight_question(source)
    blocks = source_service.layout(source, question.quote if question else "")
    return render_template("sources/show.html", source=source, blocks=blocks, question=question,
                           found=any(block.highlighted for block in blocks))


def _highlight_question(source: Source) -> Question | None:
    """The question named by ?highlight=, if it belongs to this source and the user may see it."""
    question_id = request.args.get("highlight", type=int)
    if question_id:
        refuse_during_exam()
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


@bp.route("/<int:source_id>/candidates")
@admin_required
def candidates(source_id: int):
    source = db.session.get(Source, source_id, options=[undefer(Source.text)]) or abort(404)
    generation.warm_up_drafter()
    counts = {state: len(generation.candidates_of(source, state)) for state in ("approved", "rejected")}
    pending = generation.candidates_of(source)
    return render_template("sources/candidates.html", source=source, counts=counts,
                           candidates=pending, form=FlaskForm(),
                           health=generation.batch_health(pending) if pending else None,
                           type_labels=QUESTION_TYPES, answer_text=generation.answer_text,
                           reading=generation.reading_summary(source.text),
                           structure_labels=generation.STRUCTURE_LABELS,
                           quote_context=generation.quote_context)


@bp.route("/<int:source_id>/generate", methods=["POST"])
@admin_required
def generate(source_id: int):
    source = db.session.get(Source, source_id) or abort(404)
    if FlaskForm().validate_on_submit():
        outcome = generation.generate_for_source(source, _llm_settings())
        flash(outcome.message(), "success" if outcome.added else "info")
    return redirect(url_for("sources.candidates", source_id=source.id))


def _llm_settings() -> LLMSettings | None:
    """The language model endpoint from the config, when one is set (off by default)."""
    config = current_app.config
    if not (config.get("LLM_URL") and config.get("LLM_MODEL")):
        return None
    return LLMSettings(config["LLM_URL"], config["LLM_MODEL"], config.get("LLM_API_KEY") or "")


@bp.route("/<int:source_id>/candidates/decide", methods=["POST"])
@admin_required
def decide(source_id: int):
    source = db.session.get(Source, source_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    chosen = _chosen_candidates(source, request.form.getlist("candidate", type=int))
    action = request.form.get("action")
    decide_with = {"approve": generation.approve, "reject": generation.reject}.get(action) or abort(400)
    try:
        count = decide_with(chosen, current_user, now=utcnow())
    except GenerationError as error:
        flash(str(error), "danger")
    else:
        flash(f"已采用并发布 {count} 道题。" if action == "approve" else f"已舍弃 {count} 道候选题。", "success")
    return redirect(url_for("sources.candidates", source_id=source.id))


def _chosen_candidates(source: Source, ids: list[int]) -> list[Candidate]:
    query = select(Candidate).where(Candidate.id.in_(ids), Candidate.source_id == source.id)
    return list(db.session.scalars(query))


@bp.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_candidate(candidate_id: int):
    candidate = db.session.get(Candidate, candidate_id) or abort(404)
    form = QuestionForm()
    if not form.is_submitted():
        form.fill_from(generation.draft_from_dict(candidate.draft), candidate.source_id)
    elif form.validate():
        draft, problems = form.to_draft()
        for message in form.show_problems(problems):
            flash(message, "danger")
        if not problems:
            try:
                generation.edit_candidate(candidate, draft)
            except GenerationError as error:
                flash(str(error), "danger")
            else:
                flash("候选题已修改。", "success")
                return redirect(url_for("sources.candidates", source_id=candidate.source_id))
    source = db.session.get(Source, candidate.source_id, options=[undefer(Source.text)])
    return render_template("sources/edit_candidate.html", form=form, candidate=candidate,
                           fields=CANDIDATE_FIELDS,
                           quote_context=generation.quote_context(source.text, candidate.draft))


# The generator fixes a candidate's key, source and status; the admin edits the rest.
CANDIDATE_FIELDS = ["type", "stem", "option_a", "option_b", "option_c", "option_d", "option_e", "option_f",
                    "option_g", "option_h", "answer", "explanation", "difficulty", "category", "tags", "quote"]

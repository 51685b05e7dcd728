"""题库管理: the question list, the editor, the member preview, categories and file imports."""
from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from question_bank.draft import QUESTION_TYPES, STATUSES
from question_bank.export import write_json, write_template, write_xlsx
from question_bank.problems import error_report_xlsx
from question_bank.readers.headers import FIELD_LABELS, OPTION_FIELDS
from quizapp.extensions import db
from quizapp.forms.questions import (
    CategoryCreateForm,
    CategoryMoveForm,
    CategoryRenameForm,
    ImportConfirmForm,
    ImportUploadForm,
    QuestionFilterForm,
    QuestionForm,
)
from quizapp.models import Category, Question, Source
from quizapp.models._types import utcnow
from quizapp.permissions import admin_required
from quizapp.services import audit
from quizapp.services.bank import bundle, import_uploads, imports
from quizapp.services.bank import import_batches as import_batches_service
from quizapp.services.bank import questions as service
from quizapp.services.bank.import_batches import ImportBatchError
from quizapp.services.bank.imports import QuestionImportError
from quizapp.services.bank.questions import QuestionError
from quizapp.services.quality import item_stats

bp = Blueprint("questions", __name__, url_prefix="/admin/questions")

PER_PAGE = 20
# action -> (status, verb in the message, button label)
BULK_ACTIONS = {"publish": ("published", "发布", "发布所选"), "retire": ("retired", "停用", "停用所选"),
                "draft": ("draft", "退回草稿", "退回草稿")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Targets offered in the column-mapping step: every field, options A–H only.
MAPPING_FIELDS = [(name, label) for name, label in FIELD_LABELS.items()
                  if not name.startswith("option_") or name in OPTION_FIELDS]


def _category_paths() -> list[str]:
    return list(db.session.scalars(select(Category.path).order_by(Category.path)))


def _source_choices() -> list[tuple[int, str]]:
    return [(s.id, s.title) for s in db.session.execute(select(Source.id, Source.title).order_by(Source.title))]


# ---- list, bulk status, preview -----------------------------------------------------------------

def _filter_form() -> QuestionFilterForm:
    form = QuestionFilterForm(request.args)
    form.category.choices = [("", "全部分类")] + [(path, path) for path in _category_paths()]
    form.source.choices = [("", "全部出处")] + _source_choices()
    return form


@bp.route("/")
@admin_required
def index():
    form = _filter_form()
    criteria = service.QuestionFilter()
    if form.validate():
        criteria = service.QuestionFilter(text=form.q.data or "", type=form.type.data, category=form.category.data,
                                          status=form.status.data, source_id=form.source.data,
                                          difficulty=form.difficulty.data, sort=form.sort.data,
                                          max_proportion=form.proportion.data / 100 if form.proportion.data else None)
    page = db.paginate(service.filter_questions(criteria), page=request.args.get("page", 1, type=int),
                       per_page=PER_PAGE, error_out=False)
    return render_template("questions/index.html", form=form, page=page, bulk_form=FlaskForm(),
                           actions=BULK_ACTIONS, figures=item_stats.current_figures([q.id for q in page.items]))


@bp.route("/health")
@admin_required
def health():
    status = request.args.get("status", "published")
    if status not in bundle.HEALTH_SCOPES:
        status = "published"
    return render_template("questions/health.html", health=bundle.bank_health_of(status), status=status,
                           scopes=bundle.HEALTH_SCOPES)


@bp.route("/bulk", methods=["POST"])
@admin_required
def bulk():
    if not FlaskForm().validate_on_submit():
        abort(400)
    status, verb, _ = BULK_ACTIONS.get(request.form.get("action", ""), (None, None, None))
    if status is None:
        abort(400)
    ids = request.form.getlist("ids", type=int)
    try:
        count = service.set_status(ids, status, acting_user=current_user)
    except QuestionError as error:
        flash(str(error), "warning")
    else:
        audit.record_committed(current_user.id, "question.status", "questions",
                               {"status": status, "count": count, "ids": ids[:500]}, utcnow())
        flash(f"已{verb} {count} 道题。", "success")
    back = request.form.get("back", "")
    return redirect(back if back.startswith(bp.url_prefix + "/") else url_for("questions.index"))


@bp.route("/<int:question_id>/preview")
@admin_required
def preview(question_id: int):
    question = db.session.get(Question, question_id) or abort(404)
    return render_template("questions/preview.html", question=question)


# ---- create and edit ----------------------------------------------------------------------------

def _editor(form: QuestionForm, question: Question | None):
    form.source.choices = [(0, "（无）")] + _source_choices()
    if form.is_submitted():
        valid = form.validate()  # CSRF and lengths; the question itself is judged by the validator
        draft, problems = form.to_draft()
        loose = form.show_problems(problems)
        if valid and not problems:
            source = db.session.get(Source, form.source.data) if form.source.data else None
            try:
                action = "question.create" if question is None else "question.edit"
                if question is None:
                    question = service.create_question(draft, acting_user=current_user, source=source)
                else:
                    service.update_question(question, draft, acting_user=current_user, source=source)
                audit.record_committed(current_user.id, action, audit.target("question", question.id),
                                       {"key": question.key}, utcnow())
            except QuestionError as error:
                db.session.rollback()
                loose.append(str(error))
            else:
                flash(f"已保存题目（编号 {question.key}）。", "success")
                return redirect(url_for("questions.preview", question_id=question.id))
        for message in loose:
            flash(message, "danger")
    return render_template("questions/form.html", form=form, question=question, category_paths=_category_paths())


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    return _editor(QuestionForm(), None)


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(question_id: int):
    question = db.session.get(Question, question_id) or abort(404)
    form = QuestionForm()
    if not form.is_submitted():
        form.fill_from(service.question_to_draft(question), question.source_id)
    return _editor(form, question)


# ---- categories ---------------------------------------------------------------------------------

@bp.route("/categories", methods=["GET", "POST"])
@admin_required
def categories():
    form = CategoryCreateForm()
    if form.validate_on_submit():
        try:
            category = service.create_category(form.path.data)
        except QuestionError as error:
            flash(str(error), "danger")
        else:
            flash(f"已添加分类「{category.path}」。", "success")
            return redirect(url_for("questions.categories"))
    rows = service.category_tree()
    parent_choices = [(0, "（顶层）")] + [(row.category.id, row.category.path) for row in rows]
    return render_template("questions/categories.html", form=form, rows=rows, parent_choices=parent_choices)


def _category_change(category_id: int, form: FlaskForm, change) -> object:
    category = db.session.get(Category, category_id) or abort(404)
    if form.validate_on_submit():
        try:
            change(category)
        except QuestionError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(f"分类已改为「{category.path}」。", "success")
    else:
        flash("；".join(message for messages in form.errors.values() for message in messages), "danger")
    return redirect(url_for("questions.categories"))


@bp.route("/categories/<int:category_id>/rename", methods=["POST"])
@admin_required
def rename_category(category_id: int):
    form = CategoryRenameForm()
    return _category_change(category_id, form, lambda category: service.rename_category(category, form.name.data))


@bp.route("/categories/<int:category_id>/move", methods=["POST"])
@admin_required
def move_category(category_id: int):
    form = CategoryMoveForm()

    def move(category):
        parent = db.session.get(Category, form.parent.data) if form.parent.data else None
        service.move_category(category, parent)

    return _category_change(category_id, form, move)


# ---- import and export --------------------------------------------------------------------------

def _uploads() -> Path:
    return Path(current_app.instance_path) / "imports"


def _pending(token: str) -> import_uploads.PendingUpload:
    try:
        return import_uploads.load_upload(_uploads(), token, current_user.id)
    except QuestionImportError as error:
        flash(str(error), "warning")
        abort(redirect(url_for("questions.import_upload")))


def _run_import(upload: import_uploads.PendingUpload, **options) -> imports.ImportReport:
    return imports.import_file(upload.data_path, upload.filename, mapping=upload.mapping,
                               limits=imports.limits_from_config(current_app.config), **options)


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = import_uploads.save_upload(_uploads(), form.file.data.read(), form.file.data.filename or "",
                                     current_user.id, now=utcnow())
        return redirect(url_for("questions.import_preview", token=upload.token))
    return render_template("questions/import.html", form=form)


@bp.route("/import/<token>")
@admin_required
def import_preview(token: str):
    upload = _pending(token)
    report = _run_import(upload, dry_run=True, skip_invalid=True)  # shows what a partial import would take
    return render_template("questions/import_preview.html", upload=upload, report=report,
                           confirm_form=ImportConfirmForm(), upload_form=ImportUploadForm(),
                           mapping_form=FlaskForm(), mapping_fields=MAPPING_FIELDS, type_labels=QUESTION_TYPES,
                           field_labels=FIELD_LABELS)


@bp.route("/import/<token>/problems.xlsx")
@admin_required
def import_problems(token: str):
    upload = _pending(token)
    report = _run_import(upload, dry_run=True)
    name = f"{Path(upload.filename).stem}-问题清单.xlsx"
    return send_file(io.BytesIO(error_report_xlsx(report.errors)), mimetype=XLSX, as_attachment=True,
                     download_name=name)


@bp.route("/import/<token>/mapping", methods=["POST"])
@admin_required
def import_mapping(token: str):
    upload = _pending(token)
    if not FlaskForm().validate_on_submit():
        abort(400)
    headers, targets = request.form.getlist("header"), request.form.getlist("target")
    currents = request.form.getlist("current") or [None] * len(headers)
    rows = [(header, current, imports.field_for(target) or "ignore")
            for header, current, target in zip(headers, currents, targets)]
    import_uploads.change_mapping(upload, rows)
    return redirect(url_for("questions.import_preview", token=token))


@bp.route("/import/<token>/confirm", methods=["POST"])
@admin_required
def import_confirm(token: str):
    upload = _pending(token)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        report = _run_import(upload, status=form.status.data or None, on_duplicate=form.on_duplicate.data,
                             skip_invalid=form.skip_invalid.data, acting_user=current_user, now=utcnow())
    except QuestionImportError as error:
        flash(str(error), "danger")
        return redirect(url_for("questions.import_preview", token=token))
    if not report.ok:
        flash(report.summary(), "danger")
        return redirect(url_for("questions.import_preview", token=token))
    upload.discard()
    flash(f"{report.summary()}可在“导入记录”中撤回这次导入。", "success")
    return redirect(url_for("questions.index", status=form.status.data or None))


@bp.route("/import/batches")
@admin_required
def import_batches():
    return render_template("questions/import_batches.html", batches=import_batches_service.recent_batches(),
                           withdraw_form=FlaskForm())


@bp.route("/import/batches/<int:batch_id>/withdraw", methods=["POST"])
@admin_required
def import_withdraw(batch_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        withdrawal = import_batches_service.withdraw_batch(batch_id, acting_user=current_user, now=utcnow())
    except ImportBatchError as error:
        flash(str(error), "warning")
    else:
        flash(withdrawal.summary(), "success")
    return redirect(url_for("questions.import_batches"))


@bp.route("/import/template.xlsx")
@admin_required
def import_template():
    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name="题目导入模板.xlsx")


@bp.route("/export.<any(xlsx, json):kind>")
@admin_required
def export(kind: str):
    status = request.args.get("status", "")
    drafts = service.drafts_for_export(status if status in STATUSES else "", request.args.get("category", ""))
    buffer = io.BytesIO()
    (write_xlsx if kind == "xlsx" else write_json)(drafts, buffer)
    buffer.seek(0)
    mimetype = XLSX if kind == "xlsx" else "application/json"
    return send_file(buffer, mimetype=mimetype, as_attachment=True, download_name=f"题库导出.{kind}")

"""Importing question files: validate the whole file, find duplicates, then write it in one transaction.

The web upload and `flask import-questions` both call `import_file`, so a file is judged the same
way everywhere. Nothing is written when any problem is found; a dry run only reports.
"""
from __future__ import annotations

import json
import random
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from question_bank.draft import QUESTION_TYPES, STATUSES, QuestionDraft, RowError
from question_bank.readers import Limits, read_questions
from question_bank.readers.headers import ALIAS_TO_FIELD, FIELD_LABELS, IGNORE, normalise_header
from quizapp.extensions import db
from quizapp.models import Category, Question, User
from quizapp.models._types import utcnow
from quizapp.services import ServiceError
from quizapp.services.question_versions import snapshot_versions
from quizapp.services.questions import (
    ensure_category,
    ensure_source,
    has_source,
    QuestionError,
    load_source_keys,
    new_key,
    problems_of,
    question_values,
    split_path,
    stem_key,
    storage_problems,
)

ON_DUPLICATE = {"skip": "跳过", "update": "更新"}
IMPORT_STATUSES = ("draft", "published")


class QuestionImportError(ServiceError):
    pass


@dataclass
class Duplicate:
    """A row that matches a question already in the bank, or an earlier row of the same file."""

    file: str
    row: int
    stem: str
    reason: str  # Chinese, e.g. 编号相同（Q-001）
    existing_id: int | None = None  # None when it repeats an earlier row of the file

    @property
    def in_file(self) -> bool:
        return self.existing_id is None


@dataclass
class ImportReport:
    file: str = ""
    total: int = 0
    counts_by_type: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    skipped: int = 0
    dry_run: bool = False
    on_duplicate: str = "skip"

    @property
    def ok(self) -> bool:
        return not self.errors

    def type_summary(self) -> str:
        return "，".join(f"{QUESTION_TYPES[code]} {count}" for code, count in self.counts_by_type.items())

    def summary(self) -> str:
        """One Chinese line: what was (or, in a dry run, would be) done."""
        if not self.ok:
            return f"共 {len(self.errors)} 个问题，未导入任何题目。"
        verb = "将" if self.dry_run else "已"
        head = "试运行，未写入数据库。" if self.dry_run else ""
        return (f"{head}共 {self.total} 道题（{self.type_summary()}）：{verb}新增 {self.created} 道，"
                f"{verb}更新 {self.updated} 道，{verb}跳过 {self.skipped} 道重复题。")


@dataclass
class _Plan:
    new: list[QuestionDraft] = field(default_factory=list)
    updates: list[tuple[int, QuestionDraft]] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    taken_keys: set[str] = field(default_factory=set)
    stems: dict[int, str] = field(default_factory=dict)  # id(draft) -> normalised stem, computed once


def _find_duplicates(drafts: list[QuestionDraft], on_duplicate: str) -> _Plan:
    """Sort drafts into new, updates and skipped, with one query for the whole bank."""
    by_key: dict[str, int] = {}
    by_stem: dict[tuple[str, str], int] = {}
    for question_id, key, kind, stem in db.session.execute(
            select(Question.id, Question.key, Question.type, Question.normalised_stem)):
        by_key[key] = question_id
        by_stem.setdefault((kind, stem), question_id)
    plan = _Plan(taken_keys=set(by_key))
    first_row: dict[tuple[str, str], int] = {}
    for draft in drafts:
        plan.stems[id(draft)] = stem_key(draft)
        stem = (draft.type, plan.stems[id(draft)])
        if stem in first_row:
            plan.duplicates.append(Duplicate(draft.origin_file, draft.origin_row, draft.stem,
                                             f"与文件中第{first_row[stem]}行题干相同"))
            continue
        first_row[stem] = draft.origin_row
        existing, reason = _match(draft, stem, by_key, by_stem)
        if existing is None:
            plan.new.append(draft)
            continue
        plan.duplicates.append(Duplicate(draft.origin_file, draft.origin_row, draft.stem, reason, existing))
        if on_duplicate == "update":
            plan.updates.append((existing, draft))
    return plan


def _match(draft, stem, by_key, by_stem) -> tuple[int | None, str]:
    if draft.key and draft.key in by_key:
        return by_key[draft.key], f"编号相同（{draft.key}）"
    if stem in by_stem:
        return by_stem[stem], "题库中已有题干相同的题"
    return None, ""


def _missing_categories(drafts: list[QuestionDraft], known: set[str]) -> list[str]:
    missing = set()
    for path in {draft.category for draft in drafts if draft.category}:
        try:
            names = split_path(path)
        except QuestionError:
            continue  # reported as a problem already
        missing.update(p for p in ("/".join(names[:n]) for n in range(1, len(names) + 1)) if p not in known)
    return sorted(missing)


@dataclass
class _Writer:
    acting_user: User | None
    rng: random.Random
    now: datetime
    categories: dict[str, Category] = field(default_factory=dict)
    sources: dict[tuple, int] = field(default_factory=dict)
    category_ids: dict[str, int | None] = field(default_factory=dict)  # per distinct path text

    def category_id(self, path: str) -> int | None:
        if path not in self.category_ids:
            self.category_ids[path] = ensure_category(path, self.categories).id if path else None
        return self.category_ids[path]

    def placement(self, draft: QuestionDraft) -> dict:
        source_id = ensure_source(draft.source, self.sources) if has_source(draft.source) else None
        return {"category_id": self.category_id(draft.category), "source_id": source_id}

    def row(self, draft: QuestionDraft, stem: str) -> dict:
        user_id = self.acting_user.id if self.acting_user else None
        return {**question_values(draft, stem), **self.placement(draft), "updated_by_id": user_id,
                "updated_at": self.now}

    def write(self, plan: _Plan) -> None:
        rows = []
        for draft in plan.new:
            key = draft.key or new_key(self.rng, plan.taken_keys)
            plan.taken_keys.add(key)
            rows.append({**self.row(draft, plan.stems[id(draft)]), "key": key, "draw_key": self.rng.random(),
                         "created_by_id": self.acting_user.id if self.acting_user else None,
                         "created_at": self.now})
        changes = [{**self.row(draft, plan.stems[id(draft)]), "id": question_id, **({"key": draft.key} if draft.key else {})}
                   for question_id, draft in plan.updates]
        if rows:
            # Core executemany: the ORM's bulk path costs more than the insert itself here.
            db.session.execute(insert(Question.__table__), rows)
        if changes:
            db.session.execute(update(Question), changes)
            snapshot_versions([change["id"] for change in changes], acting_user_id=changes[0]["updated_by_id"], now=self.now)


def import_drafts(drafts: list[QuestionDraft], *, status: str | None = None, on_duplicate: str = "skip",
                  acting_user: User | None = None, dry_run: bool = False, file: str = "",
                  now: datetime | None = None, rng: random.Random | None = None) -> ImportReport:
    """Validate all `drafts`, then (unless a dry run or anything is wrong) write them in one transaction."""
    return _run(drafts, problems_of(drafts, file), status=status, on_duplicate=on_duplicate,
                acting_user=acting_user, dry_run=dry_run, file=file, now=now, rng=rng)


def import_file(source, filename: str, *, mapping: dict[str, str] | None = None, limits: Limits | None = None,
                **options) -> ImportReport:
    """Read a question file of any supported format and import it (options as for import_drafts)."""
    result = read_questions(source, filename, mapping=mapping, limits=limits)
    # The reader has already run the validator over every draft.
    errors = result.errors + storage_problems(result.drafts)
    report = _run(result.drafts, errors, file=filename, **options)
    report.unknown_headers = result.unknown_headers
    return report


def _check_options(status: str | None, on_duplicate: str) -> None:
    if status is not None and status not in STATUSES:
        raise QuestionImportError(f"导入状态「{status}」不存在。")
    if on_duplicate not in ON_DUPLICATE:
        raise QuestionImportError(f"重复题的处理方式「{on_duplicate}」不存在（skip 或 update）。")


def _run(drafts: list[QuestionDraft], errors: list[RowError], *, status: str | None = None,
         on_duplicate: str = "skip", acting_user: User | None = None, dry_run: bool = False, file: str = "",
         now: datetime | None = None, rng: random.Random | None = None) -> ImportReport:
    _check_options(status, on_duplicate)
    if status is not None:
        drafts = [replace(draft, status=status) for draft in drafts]
    plan = _find_duplicates(drafts, on_duplicate)
    known_paths = set(db.session.scalars(select(Category.path)))
    report = ImportReport(
        file=file, total=len(drafts), counts_by_type=_counts(drafts), errors=errors,
        duplicates=plan.duplicates, new_categories=_missing_categories(plan.new + [d for _, d in plan.updates],
                                                                       known_paths),
        created=len(plan.new), updated=len(plan.updates), skipped=len(drafts) - len(plan.new) - len(plan.updates),
        dry_run=dry_run, on_duplicate=on_duplicate)
    if report.ok and not dry_run:
        _commit(plan, _Writer(acting_user, rng or random.Random(), now or utcnow()))
    else:
        db.session.rollback()  # end the read transaction: on SQLite it holds the write lock
    return report


def _commit(plan: _Plan, writer: _Writer) -> None:
    try:
        writer.categories = {c.path: c for c in db.session.scalars(select(Category))}
        writer.sources = load_source_keys()
        writer.write(plan)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise QuestionImportError("写入数据库时出错，未导入任何题目，请稍后重试。") from error


def _counts(drafts: list[QuestionDraft]) -> dict[str, int]:
    counts = Counter(draft.type for draft in drafts)
    return {code: counts[code] for code in QUESTION_TYPES if counts[code]}


def limits_from_config(config) -> Limits:
    return Limits(max_bytes=config["IMPORT_MAX_BYTES"], max_rows=config["IMPORT_MAX_ROWS"])


def field_for(target: str) -> str:
    """A mapping target as a field name: "stem", "题干" and "题目内容" all mean the stem."""
    target = target.strip()
    if target in FIELD_LABELS or target in ("", IGNORE):
        return target
    if target in ("忽略", "不导入"):
        return IGNORE
    return ALIAS_TO_FIELD.get(normalise_header(target), target)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`表头=字段` pairs as a header -> field mapping."""
    mapping = {}
    for pair in pairs:
        header, separator, target = pair.partition("=")
        if not separator or not header.strip():
            raise QuestionImportError(f"表头映射「{pair}」应写成 表头=字段，如 题目内容=题干")
        mapping[header.strip()] = field_for(target)
    return mapping


# ---- the uploaded file between preview and confirm ------------------------------------------------
# The file stays on the server under a random token: the confirm step re-reads it, so no draft
# ever travels through the browser.

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
UPLOAD_LIFETIME = timedelta(hours=24)
EXPIRED = "导入文件已过期或不存在，请重新上传。"


@dataclass
class PendingUpload:
    folder: Path
    token: str
    filename: str
    user_id: int
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def data_path(self) -> Path:
        return self.folder / f"{self.token}.upload"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.token}.json"

    def save_meta(self) -> None:
        meta = {"filename": self.filename, "user_id": self.user_id, "mapping": self.mapping}
        self.meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    def discard(self) -> None:
        self.data_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)


def save_upload(folder: Path, data: bytes, filename: str, user_id: int, *, now: datetime) -> PendingUpload:
    """Keep an uploaded file for the preview and confirm steps; older leftovers are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    _purge(folder, now)
    upload = PendingUpload(folder, secrets.token_urlsafe(24), Path(filename).name or "upload", user_id)
    upload.data_path.write_bytes(data)
    upload.save_meta()
    return upload


def load_upload(folder: Path, token: str, user_id: int) -> PendingUpload:
    """The upload `token` of this user, or QuestionImportError when it is unknown, expired or not theirs."""
    if not TOKEN_RE.match(token):
        raise QuestionImportError(EXPIRED)
    meta_path = folder / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise QuestionImportError(EXPIRED) from error
    upload = PendingUpload(folder, token, meta["filename"], meta["user_id"], meta.get("mapping") or {})
    if upload.user_id != user_id or not upload.data_path.exists():
        raise QuestionImportError(EXPIRED)
    return upload


def _purge(folder: Path, now: datetime) -> None:
    cutoff = (now - UPLOAD_LIFETIME).timestamp()
    for path in folder.iterdir():
        if path.suffix in (".upload", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)

"""Importing question files: validate the whole file, find duplicates, then write it in one transaction.

The web upload and `flask import-questions` both call `import_file`, so a file is judged the same
way everywhere. Nothing is written when any problem is found, unless the caller asks to skip the
questions with problems (`skip_invalid`); a dry run only reports. A written file is recorded as an
ImportBatch (see import_batches for withdrawing one); duplicates are found by import_matching.
"""
from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from question_bank.draft import QUESTION_TYPES, STATUSES, QuestionDraft, RowError
from question_bank.health import HealthReport, bank_health
from question_bank.readers import Limits, read_questions
from question_bank.readers.headers import ALIAS_TO_FIELD, FIELD_LABELS, IGNORE, normalise_header
from quizapp.extensions import db
from quizapp.models import Category, ImportBatch, Question, User
from quizapp.models._types import utcnow
from quizapp.services import ServiceError, audit
from quizapp.services.bank.import_matching import ON_DUPLICATE, Duplicate, Plan, plan_import
from quizapp.services.bank.questions import (
    QuestionError,
    ensure_category,
    ensure_source,
    has_source,
    load_source_keys,
    new_key,
    problems_of,
    question_values,
    split_path,
    storage_problems,
)
from quizapp.services.bank.versions import snapshot_versions

IMPORT_STATUSES = ("draft", "published")


class QuestionImportError(ServiceError):
    pass


@dataclass
class ImportReport:
    file: str = ""
    total: int = 0
    counts_by_type: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    field_map: dict[str, str] = field(default_factory=dict)
    found: str = ""  # what a file from another app was found to hold
    created: int = 0
    updated: int = 0
    skipped: int = 0
    invalid: int = 0  # questions with problems, left out when skip_invalid was asked for
    dry_run: bool = False
    on_duplicate: str = "skip"
    skip_invalid: bool = False
    batch_id: int | None = None
    health: HealthReport | None = None  # the bank health report of a previewed file

    @property
    def file_errors(self) -> list[RowError]:
        """Problems of the file as a whole (no row): nothing can be imported while there is one."""
        return [error for error in self.errors if not error.row]

    @property
    def ok(self) -> bool:
        """Whether the import goes (or went) ahead."""
        if self.skip_invalid:
            return not self.file_errors and self.total > self.invalid
        return not self.errors

    def type_summary(self) -> str:
        return "，".join(f"{QUESTION_TYPES[code]} {count}" for code, count in self.counts_by_type.items())

    def summary(self) -> str:
        """One Chinese line: what was (or, in a dry run, would be) done."""
        if not self.ok:
            return f"共 {len(self.errors)} 个问题，未导入任何题目。"
        verb = "将" if self.dry_run else "已"
        head = "试运行，未写入数据库。" if self.dry_run else ""
        left_out = f"{verb}跳过 {self.invalid} 道有问题的题，" if self.invalid else ""
        return (f"{head}共 {self.total} 道题（{self.type_summary()}）：{left_out}{verb}新增 {self.created} 道，"
                f"{verb}更新 {self.updated} 道，{verb}跳过 {self.skipped} 道重复题。")

    @property
    def valid(self) -> int:
        return self.total - self.invalid


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

    def write(self, plan: Plan, batch_id: int | None) -> None:
        rows = []
        for draft in plan.new:
            key = draft.key or new_key(self.rng, plan.taken_keys)
            plan.taken_keys.add(key)
            rows.append({**self.row(draft, plan.stems[id(draft)]), "key": key, "draw_key": self.rng.random(),
                         "created_by_id": self.acting_user.id if self.acting_user else None,
                         "created_at": self.now, "import_batch_id": batch_id})
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
    """Read a question file of any supported format and import it (options as for import_drafts).

    A file that is written is recorded as an ImportBatch (name, SHA-256, counts), and the questions
    it creates carry the batch's id, so that the batch can be withdrawn.
    """
    data = _file_bytes(source, limits or Limits())
    result = read_questions(source if data is None else data, filename, mapping=mapping, limits=limits)
    # The reader has already run the validator over every draft.
    errors = result.errors + storage_problems(result.drafts)
    batch = BatchFile(Path(filename).name, hashlib.sha256(data or b"").hexdigest())
    report = _run(result.drafts, errors, file=filename, batch=batch, **options)
    report.unknown_headers, report.warnings = result.unknown_headers, result.warnings
    report.field_map, report.found = result.field_map, result.found
    if report.dry_run and result.drafts:
        report.health = bank_health(result.drafts)
    return report


def _file_bytes(source, limits: Limits) -> bytes | None:
    """The file's bytes, read once for the reader and the checksum; None for a file on disk that
    is too large (the reader refuses it by its size without reading it)."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        return path.read_bytes() if path.stat().st_size <= limits.max_bytes else None
    return source.read(limits.max_bytes + 1)


def _check_options(status: str | None, on_duplicate: str) -> None:
    if status is not None and status not in STATUSES:
        raise QuestionImportError(f"导入状态「{status}」不存在。")
    if on_duplicate not in ON_DUPLICATE:
        raise QuestionImportError(f"重复题的处理方式「{on_duplicate}」不存在（skip、update 或 new）。")


@dataclass(frozen=True)
class BatchFile:
    name: str
    sha256: str


def _invalid_rows(errors: list[RowError]) -> set[tuple[str, int]]:
    return {(error.file, error.row) for error in errors if error.row}


def _run(drafts: list[QuestionDraft], errors: list[RowError], *, status: str | None = None,
         on_duplicate: str = "skip", acting_user: User | None = None, dry_run: bool = False, file: str = "",
         now: datetime | None = None, rng: random.Random | None = None, skip_invalid: bool = False,
         batch: BatchFile | None = None) -> ImportReport:
    _check_options(status, on_duplicate)
    if status is not None:
        drafts = [replace(draft, status=status) for draft in drafts]
    invalid = _invalid_rows(errors)
    good = [d for d in drafts if (d.origin_file, d.origin_row) not in invalid and (file, d.origin_row) not in invalid]
    # questions so malformed that no draft came of them (e.g. a JSON item that is not an object)
    unread = len({row for _, row in invalid} - {d.origin_row for d in drafts})
    plan = plan_import(good if skip_invalid else drafts, on_duplicate)
    known_paths = set(db.session.scalars(select(Category.path)))
    report = ImportReport(
        file=file, total=len(drafts) + unread, counts_by_type=_counts(drafts), errors=errors,
        duplicates=plan.duplicates, new_categories=_missing_categories(plan.new + [d for _, d in plan.updates],
                                                                       known_paths),
        created=len(plan.new), updated=len(plan.updates), invalid=len(drafts) - len(good) + unread,
        dry_run=dry_run, on_duplicate=on_duplicate, skip_invalid=skip_invalid)
    report.skipped = len(good if skip_invalid else drafts) - report.created - report.updated
    if report.ok and not dry_run:
        writer = _Writer(acting_user, rng or random.Random(), now or utcnow())
        report.batch_id = _commit(plan, writer, batch, report)
    else:
        db.session.rollback()  # end the read transaction: on SQLite it holds the write lock
    return report


def _commit(plan: Plan, writer: _Writer, batch: BatchFile | None, report: ImportReport) -> int | None:
    try:
        writer.categories = {c.path: c for c in db.session.scalars(select(Category))}
        writer.sources = load_source_keys()
        batch_id = _record_batch(batch, writer, report) if batch else None
        writer.write(plan, batch_id)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise QuestionImportError("写入数据库时出错，未导入任何题目，请稍后重试。") from error
    return batch_id


def _record_batch(batch: BatchFile, writer: _Writer, report: ImportReport) -> int:
    row = ImportBatch(file_name=batch.name[:255], sha256=batch.sha256, created_at=writer.now,
                      created_by_id=writer.acting_user.id if writer.acting_user else None,
                      created=report.created, updated=report.updated, skipped=report.skipped,
                      invalid=report.invalid)
    db.session.add(row)
    db.session.flush()
    audit.record(writer.acting_user.id if writer.acting_user else None, "question.import",
                 audit.target("import_batch", row.id),
                 {"file": row.file_name, "sha256": row.sha256, "created": row.created, "updated": row.updated,
                  "skipped": row.skipped, "invalid": row.invalid}, writer.now)
    return row.id


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

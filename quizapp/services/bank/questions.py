"""The question bank in the database: questions, the category tree, search and bulk status changes."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from question_bank.draft import QUESTION_TYPES, STATUSES, QuestionDraft, RowError, SourceRef
from question_bank.text import canonical_blanks, normalise_stem
from question_bank.validate import validate
from quizapp.extensions import db
from quizapp.models import Category, Question, Source, User
from quizapp.models._types import utcnow
from quizapp.services import ServiceError
from quizapp.services.bank.versions import pin_versions
from quizapp.services.quality import item_stats

NORMALISED_STEM_LENGTH = 500  # the column's width; longer stems compare on their first 500 characters
CATEGORY_NAME_LENGTH = 100
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class QuestionError(ServiceError):
    pass


# ---- drafts <-> columns -------------------------------------------------------------------------

def stem_key(draft: QuestionDraft) -> str:
    """The normalised stem stored with a question and used to find duplicates."""
    return normalise_stem(draft.stem)[:NORMALISED_STEM_LENGTH]


def question_values(draft: QuestionDraft, normalised_stem: str | None = None) -> dict:
    """Column values a draft sets on a question (not key, category, source or bookkeeping)."""
    stem = canonical_blanks(draft.stem) if draft.type == "fill" else draft.stem
    return {
        "type": draft.type, "stem": stem,
        "normalised_stem": stem_key(draft) if normalised_stem is None else normalised_stem,
        "options": list(draft.options), "answer": draft.answer, "explanation": draft.explanation,
        "difficulty": draft.difficulty, "tags": list(draft.tags), "status": draft.status,
        "quote": draft.quote,
    }


def new_key(rng: random.Random, taken=frozenset()) -> str:
    """A random external key for a question that came without one (64 bits: collisions are rare)."""
    while (key := f"q{rng.getrandbits(64):016x}") in taken:
        pass
    return key


def _category_problem(path: str) -> str:
    try:
        split_path(path)
    except QuestionError as error:
        return str(error)
    return ""


def storage_problems(drafts: list[QuestionDraft], file: str = "") -> list[RowError]:
    """What the validator leaves to the database side: category names that fit, real source dates."""
    category_problems = {path: _category_problem(path) for path in {d.category for d in drafts if d.category}}
    problems = []
    for draft in drafts:
        where = (file or draft.origin_file, draft.origin_row)
        if category_problems.get(draft.category):
            problems.append(RowError(*where, "分类", category_problems[draft.category]))
        if ISO_DATE.match(draft.source.date):  # other forms are the validator's to report
            try:
                date.fromisoformat(draft.source.date)
            except ValueError:
                problems.append(RowError(*where, "出处", f"日期「{draft.source.date}」不存在"))
    return problems


def problems_of(drafts: list[QuestionDraft], file: str = "") -> list[RowError]:
    """Every reason not to store `drafts`: the validator's findings and the storage checks."""
    return validate(drafts, file) + storage_problems(drafts, file)


def source_ref(source: Source | None) -> SourceRef:
    if source is None:
        return SourceRef()
    day = source.published_on.isoformat() if source.published_on else ""
    return SourceRef(title=source.title, file=source.file or "", section=source.section or "", date=day)


def question_to_draft(question: Question) -> QuestionDraft:
    """The question as a draft, as export writes it and the edit form shows it."""
    return QuestionDraft(
        type=question.type, stem=question.stem, options=list(question.options or []),
        answer=question.answer, explanation=question.explanation or "", difficulty=question.difficulty,
        category=question.category.path if question.category else "", tags=list(question.tags or []),
        status=question.status, source=source_ref(question.source), quote=question.quote or "",
        key=question.key,
    )


# ---- categories ---------------------------------------------------------------------------------

def split_path(path: str) -> list[str]:
    """The names of a category path, checked: "党史 / 百年奋斗" -> ["党史", "百年奋斗"]."""
    names = [name.strip() for name in path.replace("／", "/").split("/")]
    names = [name for name in names if name]
    if not names:
        raise QuestionError("分类名称不能为空。")
    for name in names:
        check_category_name(name)
    return names


def check_category_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise QuestionError("分类名称不能为空。")
    if "/" in name or "／" in name:
        raise QuestionError(f"分类名称「{name}」不能含有“/”（“/”用来分隔上下级）。")
    if len(name) > CATEGORY_NAME_LENGTH:
        raise QuestionError(f"分类名称「{name[:20]}…」太长（最多 {CATEGORY_NAME_LENGTH} 字）。")
    return name


def ensure_category(path: str, known: dict[str, Category] | None = None) -> Category:
    """The category at `path`, creating it and any missing parents (flushed, not committed).

    `known` maps paths to categories already loaded (bulk imports pass one for all rows).
    """
    names = split_path(path)
    prefixes = ["/".join(names[:depth]) for depth in range(1, len(names) + 1)]
    if known is None:
        known = {c.path: c for c in db.session.scalars(select(Category).where(Category.path.in_(prefixes)))}
    parent = None
    for name, prefix in zip(names, prefixes):
        category = known.get(prefix)
        if category is None:
            category = Category(name=name, path=prefix, parent=parent)
            db.session.add(category)
            db.session.flush()
            known[prefix] = category
        parent = category
    return parent


def create_category(path: str) -> Category:
    names = split_path(path)
    clean = "/".join(names)
    if db.session.scalar(select(Category.id).where(Category.path == clean)):
        raise QuestionError(f"分类「{clean}」已存在。")
    category = ensure_category(clean)
    db.session.commit()
    return category


def rename_category(category: Category, name: str) -> Category:
    name = check_category_name(name)
    parent_path = category.parent.path + "/" if category.parent else ""
    _repath(category, parent_path + name)
    category.name = name
    db.session.commit()
    return category


def move_category(category: Category, parent: Category | None) -> Category:
    if parent is not None and (parent.id == category.id or parent.path.startswith(category.path + "/")):
        raise QuestionError(f"不能把分类「{category.path}」移到它自己或它的下级分类之下。")
    _repath(category, (parent.path + "/" if parent else "") + category.name)
    category.parent = parent
    db.session.commit()
    return category


def _repath(category: Category, new_path: str) -> None:
    """Give `category` the path `new_path` and its whole subtree the matching paths."""
    if new_path == category.path:
        return
    if db.session.scalar(select(Category.id).where(Category.path == new_path)):
        raise QuestionError(f"分类「{new_path}」已存在。")
    old_prefix = category.path + "/"
    subtree = db.session.scalars(select(Category).where(Category.path.startswith(old_prefix, autoescape=True)))
    for child in subtree:
        child.path = new_path + "/" + child.path[len(old_prefix):]
    category.path = new_path


@dataclass
class TreeRow:
    category: Category
    depth: int
    question_count: int  # questions in this category itself, not its subtree


def category_tree() -> list[TreeRow]:
    """Every category in tree order (parents before children, siblings by path)."""
    counts = dict(db.session.execute(
        select(Question.category_id, func.count()).where(Question.category_id.is_not(None))
        .group_by(Question.category_id)).all())
    categories = db.session.scalars(select(Category).order_by(Category.path))
    return [TreeRow(c, c.path.count("/"), counts.get(c.id, 0)) for c in categories]


def category_subtree_filter(path: str):
    return (Category.path == path) | Category.path.startswith(path + "/", autoescape=True)


# ---- sources ------------------------------------------------------------------------------------

def has_source(ref: SourceRef) -> bool:
    """A source needs a title or a file name; a bare date or section names nothing."""
    return bool(ref.title or ref.file)


def source_lookup_key(ref: SourceRef) -> tuple:
    return ("file", ref.file) if ref.file else ("title", ref.title, ref.date)


def load_source_keys() -> dict[tuple, int]:
    """Lookup key -> source id for every source (text not loaded)."""
    rows = db.session.execute(select(Source.id, Source.file, Source.title, Source.published_on)).all()
    keys = {}
    for source_id, file, title, published_on in rows:
        day = published_on.isoformat() if published_on else ""
        keys.setdefault(("title", title, day), source_id)
        if file:
            keys[("file", file)] = source_id
    return keys


def ensure_source(ref: SourceRef, known: dict[tuple, int]) -> int:
    """The id of the source `ref` names, creating it (flushed) when it is not known yet."""
    lookup = source_lookup_key(ref)
    if lookup not in known:
        source = Source(title=ref.title or ref.file, file=ref.file or None, section=ref.section,
                        published_on=date.fromisoformat(ref.date) if ref.date else None, articles=[])
        db.session.add(source)
        db.session.flush()
        known[lookup] = source.id
    return known[lookup]


# ---- one question -------------------------------------------------------------------------------

def _check(draft: QuestionDraft) -> None:
    problems = problems_of([draft])
    if problems:
        raise QuestionError("题目有误：" + "；".join(str(problem) for problem in problems))


def _place(question: Question, draft: QuestionDraft, source: Source | None) -> None:
    question.category_id = ensure_category(draft.category).id if draft.category else None
    if source is not None:
        question.source_id = source.id
    elif has_source(draft.source):
        question.source_id = ensure_source(draft.source, load_source_keys())
    else:
        question.source_id = None


def _new_question(draft: QuestionDraft, acting_user: User | None, rng: random.Random, now: datetime) -> Question:
    user_id = acting_user.id if acting_user else None
    question = Question(key=draft.key or new_key(rng), draw_key=rng.random(), created_by_id=user_id,
                        updated_by_id=user_id, created_at=now, updated_at=now)
    db.session.add(question)
    return question


def _write(question: Question, draft: QuestionDraft, acting_user: User | None, source: Source | None,
           now: datetime) -> Question:
    for name, value in question_values(draft).items():
        setattr(question, name, value)
    _place(question, draft, source)
    question.updated_by_id = acting_user.id if acting_user else None
    question.updated_at = now
    db.session.flush()
    pin_versions([question], acting_user_id=question.updated_by_id, now=now)
    return question


def upsert_question(draft: QuestionDraft, *, acting_user: User | None = None, source: Source | None = None,
                    commit: bool = True, rng: random.Random | None = None, now: datetime | None = None) -> Question:
    """Create the question, or update the one with the draft's key (idempotent re-import)."""
    _check(draft)
    now = now or utcnow()
    question = db.session.scalar(select(Question).where(Question.key == draft.key)) if draft.key else None
    if question is None:
        question = _new_question(draft, acting_user, rng or random.Random(), now)
    _write(question, draft, acting_user, source, now)
    if commit:
        db.session.commit()
    return question


def find_same_stem(draft: QuestionDraft, exclude_id: int | None = None) -> Question | None:
    query = select(Question).where(Question.type == draft.type, Question.normalised_stem == stem_key(draft))
    if exclude_id is not None:
        query = query.where(Question.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def _refuse_duplicates(draft: QuestionDraft, exclude_id: int | None) -> None:
    if draft.key:
        owner = db.session.scalar(select(Question.id).where(Question.key == draft.key))
        if owner is not None and owner != exclude_id:
            raise QuestionError(f"编号「{draft.key}」已被另一道题使用。")
    same = find_same_stem(draft, exclude_id)
    if same is not None:
        raise QuestionError(f"题库中已有题干相同的{QUESTION_TYPES[draft.type]}（编号 {same.key}）。")


def create_question(draft: QuestionDraft, *, acting_user: User, source: Source | None = None,
                    rng: random.Random | None = None, now: datetime | None = None) -> Question:
    """A new question from the admin's form; a used key or an existing same stem is refused."""
    _check(draft)
    _refuse_duplicates(draft, None)
    now = now or utcnow()
    question = _new_question(draft, acting_user, rng or random.Random(), now)
    _write(question, draft, acting_user, source, now)
    db.session.commit()
    return question


def update_question(question: Question, draft: QuestionDraft, *, acting_user: User,
                    source: Source | None = None, now: datetime | None = None) -> Question:
    _check(draft)
    _refuse_duplicates(draft, question.id)
    if draft.key:
        question.key = draft.key
    _write(question, draft, acting_user, source, now or utcnow())
    db.session.commit()
    return question


def set_status(ids: list[int], status: str, *, acting_user: User, now: datetime | None = None,
               commit: bool = True) -> int:
    """Publish, retire or return to draft the questions `ids`; retiring never deletes anything."""
    if status not in STATUSES:
        raise QuestionError(f"状态「{status}」不存在。")
    if not ids:
        raise QuestionError("请先选择题目。")
    result = db.session.execute(
        update(Question).where(Question.id.in_(ids), Question.status != status)
        .values(status=status, updated_by_id=acting_user.id, updated_at=now or utcnow()))
    if commit:
        db.session.commit()
    return result.rowcount


# ---- search and export --------------------------------------------------------------------------

@dataclass
class QuestionFilter:
    text: str = ""
    type: str = ""
    category: str = ""  # a path: the category and everything below it
    status: str = ""
    source_id: int | None = None
    difficulty: int | None = None
    sort: str = ""  # one of item_stats.STAT_SORTS, or newest first
    max_proportion: float | None = None  # only questions right less often than this (current version)


def filter_questions(criteria: QuestionFilter) -> Select:
    """The questions matching `criteria`, newest first."""
    query = select(Question).options(selectinload(Question.category), selectinload(Question.source))
    if criteria.text.strip():
        query = query.where(Question.stem.icontains(criteria.text.strip(), autoescape=True))
    if criteria.type:
        query = query.where(Question.type == criteria.type)
    if criteria.status:
        query = query.where(Question.status == criteria.status)
    if criteria.difficulty:
        query = query.where(Question.difficulty == criteria.difficulty)
    if criteria.source_id:
        query = query.where(Question.source_id == criteria.source_id)
    if criteria.category:
        query = query.join(Question.category).where(category_subtree_filter(criteria.category))
    return item_stats.with_current_stats(query.order_by(Question.id.desc()), criteria.sort, criteria.max_proportion)


def drafts_for_export(status: str = "", category: str = "") -> list[QuestionDraft]:
    """Questions as drafts in key order, filtered like the list page."""
    query = filter_questions(QuestionFilter(status=status, category=category)).order_by(None).order_by(Question.id)
    return [question_to_draft(question) for question in db.session.scalars(query)]

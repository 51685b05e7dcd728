"""Paper rules and the stratified random draw of a paper from the question bank.

A rule is a list of sections (type, count, points, category subtree, difficulty). Each question of a
section is drawn at its own random point r in [0, 1): the first published question of the stratum
with draw_key >= r (wrapping round to 0) that is not yet taken. Every query is an index seek with a
small LIMIT (ix_question_draw, or ix_question_draw_category once per category of the subtree), so the
cost does not grow with the bank, and the same rng on the same bank gives the same paper. The first
page of every point of a section is read in one statement (a round trip per section, not per question);
a walk that needs more reads on, page by page.
"""
from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from random import Random
from typing import Iterable

from sqlalchemy import bindparam, func, literal_column, or_, select, tuple_, union_all

from question_bank.draft import DIFFICULTIES, QUESTION_TYPES
from question_bank.health import quote_identity
from quizapp.extensions import db
from quizapp.models import Category, Question
from quizapp.services import ServiceError

FEEDBACK = {"immediate": "每答一题即显示对错", "after_submit": "交卷后显示答案", "after_end": "活动结束后显示答案"}
MAX_SECTION_COUNT = 200
MAX_POINTS = 100
MAX_TIME_LIMIT_S = 6 * 3600
FIRST_PAGE, NEXT_PAGE = 4, 32  # rows read per step of a draw's walk along draw_key
MAX_SAME_QUOTE_REDRAWS = 8  # bounds a draw from a bank where most questions share a few passages
BATCHED_SEEKS = 32  # first pages of a section's points read in one statement: at most this many index seeks


class QuizError(ServiceError):
    pass


@dataclass
class RuleSection:
    type: str
    count: int
    points: float = 1.0
    category_path: str | None = None
    difficulty: int | None = None

    def __post_init__(self):
        if self.type not in QUESTION_TYPES:
            raise QuizError(f"规则中的题型「{self.type}」不存在")
        if not isinstance(self.count, int) or not 1 <= self.count <= MAX_SECTION_COUNT:
            raise QuizError(f"{self.type_label}的题数须为 1 到 {MAX_SECTION_COUNT} 之间的整数")
        if not isinstance(self.points, (int, float)) or not 0 < self.points <= MAX_POINTS:
            raise QuizError(f"{self.type_label}的每题分值须大于 0 且不超过 {MAX_POINTS}")
        if self.difficulty is not None and self.difficulty not in DIFFICULTIES:
            raise QuizError(f"{self.type_label}的难度须为 1（易）、2（中）或 3（难）")
        self.category_path = (self.category_path or "").strip("/ ") or None

    @property
    def type_label(self) -> str:
        return QUESTION_TYPES[self.type]

    def describe(self) -> str:
        """「党史」类难度为“难”的多选题 / 题库中的多选题."""
        where = f"「{self.category_path}」类" if self.category_path else "题库中"
        level = f"难度为“{DIFFICULTIES[self.difficulty]}”的" if self.difficulty else ""
        return f"{where}{level}{self.type_label}"


@dataclass
class PaperRule:
    sections: list[RuleSection]
    time_limit_s: int | None = None
    shuffle_options: bool = True
    multiple_partial: bool = True
    feedback: str = "after_submit"
    title: str = ""

    def __post_init__(self):
        if not self.sections:
            raise QuizError("规则中至少要有一种题型")
        if self.time_limit_s is not None and not 60 <= self.time_limit_s <= MAX_TIME_LIMIT_S:
            raise QuizError(f"答题时间须在 1 到 {MAX_TIME_LIMIT_S // 3600} 小时之间")
        if self.feedback not in FEEDBACK:
            raise QuizError(f"反馈方式「{self.feedback}」不存在")

    @property
    def question_count(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def max_score(self) -> float:
        return sum(section.count * section.points for section in self.sections)

    def points_for_type(self, question_type: str) -> float:
        return next((section.points for section in self.sections if section.type == question_type), 1.0)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PaperRule:
        try:
            sections = [RuleSection(**section) for section in data.get("sections") or []]
            options = {key: data[key] for key in ("time_limit_s", "shuffle_options", "multiple_partial",
                                                  "feedback", "title") if key in data}
            return cls(sections=sections, **options)
        except TypeError as error:
            raise QuizError("规则格式不正确") from error


def category_ids(path: str) -> list[int]:
    """Ids of the category at `path` and of every category below it; QuizError if there is none."""
    query = select(Category.id).where(or_(Category.path == path, Category.path.startswith(path + "/", autoescape=True)))
    ids = list(db.session.scalars(query.order_by(Category.id)))
    if not ids:
        raise QuizError(f"分类「{path}」不存在")
    return ids


@dataclass
class _Stratum:
    """The published questions of one section: its type, category subtree and difficulty."""

    section: RuleSection
    categories: list[int] | None

    def conditions(self) -> list:
        conditions = [Question.status == "published", Question.type == self.section.type]
        if self.section.difficulty is not None:
            conditions.append(Question.difficulty == self.section.difficulty)
        return conditions

    def draw_at(self, point: float, first_page: list, taken: set[int], avoided: set[int]) -> int | None:
        """The first question from `point` on that is not taken, preferring one not avoided.

        The walk reads pages in draw_key order and stops at the first fresh question, so it reads at
        most len(taken | avoided) + 1 rows (or the stratum, when that is smaller); its first page was
        read beforehand, with those of the section's other points (first_pages).
        """
        fallback = None
        for question_id in self._walk(point, first_page):
            if question_id in taken:
                continue
            if question_id not in avoided:
                return question_id
            fallback = fallback or question_id
        return fallback

    def _walk(self, point: float, first_page: list):
        """Question ids from `point` up to 1, then from 0 up to `point` (wrapping round once)."""
        for lower, upper in ((point, None), (0.0, point)):
            size = FIRST_PAGE
            rows = first_page if upper is None else self._page(lower, upper, None, size)
            while True:
                yield from (row[0] for row in rows)
                if len(rows) < size:
                    break
                size = NEXT_PAGE
                rows = self._page(lower, upper, (rows[-1][1], rows[-1][0]), size)

    def first_pages(self, points: list[float]) -> list[list]:
        """The first page of each point's walk, (id, draw_key) rows in draw_key order: one statement for
        up to BATCHED_SEEKS index seeks (a seek per point and category)."""
        categories = tuple(self.categories or [None])
        chunk = max(1, BATCHED_SEEKS // len(categories))
        pages: list[list] = []
        for start in range(0, len(points), chunk):
            batch = points[start:start + chunk]
            statement = _first_pages_statement(self.section.difficulty is not None, len(batch), categories)
            values = {"type": self.section.type, "difficulty": self.section.difficulty,
                      **{f"lower_{number}": point for number, point in enumerate(batch)}}
            found: list[list] = [[] for _ in batch]
            for number, question_id, draw_key in db.session.execute(statement, values):
                found[number].append((question_id, draw_key))
            pages += [sorted(page, key=lambda row: (row[1], row[0])) for page in found]
        return pages

    def _page(self, lower: float, upper: float | None, after: tuple[float, int] | None, size: int) -> list:
        shape = (self.section.difficulty is not None, after is not None, upper is not None, size)
        values = {"type": self.section.type, "difficulty": self.section.difficulty, "lower": lower, "upper": upper,
                  "after_key": after and after[0], "after_id": after and after[1]}
        branches = [_seek_statement(*shape, category) for category in self.categories or [None]]
        return db.session.execute(_merged(branches, size), values).all()

    def available(self, skip: set[int]) -> int:
        """Error path only: how many questions of the stratum are left."""
        query = select(func.count()).select_from(Question).where(*self.conditions())
        if self.categories is not None:
            query = query.where(Question.category_id.in_(self.categories))
        if skip:
            query = query.where(Question.id.not_in(sorted(skip)))
        return db.session.scalar(query)


@functools.lru_cache(maxsize=1024)
def _seek_statement(by_difficulty: bool, paging: bool, bounded: bool, size: int, category: int | None,
                    lower: str = "lower"):
    """One page of a stratum's walk along draw_key (of one category, or of every one), built once per
    shape: the values are bound parameters, shared by the branches of a subtree's union; `lower`
    names the walk's starting point (first_pages reads several points at once)."""
    query = select(Question.id, Question.draw_key).where(Question.status == "published",
                                                         Question.type == bindparam("type"))
    if by_difficulty:
        query = query.where(Question.difficulty == bindparam("difficulty"))
    if paging:  # past the last row read, ties on draw_key broken by id
        after_key = bindparam("after_key", type_=Question.draw_key.type)
        query = query.where(Question.draw_key >= after_key,
                            tuple_(Question.draw_key, Question.id) > tuple_(after_key, bindparam("after_id")))
    else:
        query = query.where(Question.draw_key >= bindparam(lower, type_=Question.draw_key.type))
    if bounded:
        query = query.where(Question.draw_key < bindparam("upper", type_=Question.draw_key.type))
    if category is not None:
        query = query.where(Question.category_id == category)
    return query.order_by(Question.draw_key, Question.id).limit(size)


def _merged(branches: list, size: int):
    """The first `size` rows, in draw_key order, of the seeks of a subtree's categories."""
    if len(branches) == 1:
        return branches[0]
    merged = union_all(*(select(branch.subquery()) for branch in branches)).subquery()
    return select(merged).order_by(merged.c.draw_key, merged.c.id).limit(size)


@functools.lru_cache(maxsize=256)
def _first_pages_statement(by_difficulty: bool, points: int, categories: tuple[int | None, ...]):
    """The first pages of `points` walks (from lower_0, lower_1 ...), each row tagged with its point."""
    def first_page(number: int):
        seeks = [_seek_statement(by_difficulty, False, False, FIRST_PAGE, category, f"lower_{number}")
                 for category in categories]
        page = _merged(seeks, FIRST_PAGE).subquery()
        return select(literal_column(str(number)).label("point"), page.c.id, page.c.draw_key)

    pages = [first_page(number) for number in range(points)]
    return pages[0] if points == 1 else union_all(*pages)


def draw_paper(rule: PaperRule, rng: Random, exclude_ids: Iterable[int] = (), *,
               avoid_ids: Iterable[int] = (), prefer_ids: Iterable[int] = ()) -> list[Question]:
    """Draw the questions of `rule` in section order; QuizError names any shortfall exactly.

    exclude_ids are never drawn; avoid_ids only when nothing else is left (questions seen recently);
    prefer_ids go first into the sections they fit (questions due in the wrong-answer book).
    Two questions of one type drawn from the same passage (quote) would prompt each other's answers:
    a paper that holds such a pair is drawn again with the later one avoided, so it stays only when
    its stratum has nothing else left, or in a bank where most questions share a few passages (which
    the health report flags) after MAX_SAME_QUOTE_REDRAWS draws. Banks without such pairs are drawn once.
    """
    excluded = set(exclude_ids)
    avoided = set(avoid_ids) - excluded
    preferred = _preferred_questions(prefer_ids, excluded)
    same_quote: set[int] = set()
    for _ in range(MAX_SAME_QUOTE_REDRAWS):
        fitting = [question for question in preferred if question.id not in same_quote]
        questions = questions_by_id(_draw_ids(rule, rng, excluded, avoided | same_quote, fitting))
        clashes = _same_quote_clashes(questions) - same_quote
        if not clashes:
            break
        same_quote |= clashes
    return questions


def _draw_ids(rule: PaperRule, rng: Random, excluded: set[int], avoided: set[int],
              preferred: list[Question]) -> list[int]:
    taken: list[int] = []
    for section in rule.sections:
        stratum = _Stratum(section, category_ids(section.category_path) if section.category_path else None)
        picks = [question.id for question in preferred if _fits(question, stratum)][: section.count]
        preferred = [question for question in preferred if question.id not in picks]
        blocked = excluded | set(taken)
        points = [rng.random() for _ in range(section.count - len(picks))]
        for point, first_page in zip(points, stratum.first_pages(points)):
            drawn = stratum.draw_at(point, first_page, blocked | set(picks), avoided)
            if drawn is None:
                raise QuizError(_shortfall(stratum, blocked))
            picks.append(drawn)
        taken.extend(picks)
    return taken


def _same_quote_clashes(questions: list[Question]) -> set[int]:
    """Ids of the questions whose type and quote (folded) an earlier question of the paper has."""
    seen: set[tuple[str, str]] = set()
    clashes = set()
    for question in questions:
        identity = quote_identity(question.quote or "")
        if not identity:
            continue
        if (question.type, identity) in seen:
            clashes.add(question.id)
        seen.add((question.type, identity))
    return clashes


QUESTIONS_BY_ID = select(Question).where(Question.id.in_(bindparam("ids", expanding=True)))


def questions_by_id(ids: list[int]) -> list[Question]:
    """The questions with these ids, in this order (ids not found are left out)."""
    found = {question.id: question for question in db.session.scalars(QUESTIONS_BY_ID, {"ids": ids})}
    return [found[question_id] for question_id in ids if question_id in found]


def _preferred_questions(ids: Iterable[int], excluded: set[int]) -> list[Question]:
    wanted = [question_id for question_id in dict.fromkeys(ids) if question_id not in excluded]
    if not wanted:
        return []
    return [question for question in questions_by_id(wanted) if question.status == "published"]


def _fits(question: Question, stratum: _Stratum) -> bool:
    section = stratum.section
    return (question.type == section.type
            and (section.difficulty is None or question.difficulty == section.difficulty)
            and (stratum.categories is None or question.category_id in stratum.categories))


def _shortfall(stratum: _Stratum, blocked: set[int]) -> str:
    """「党史」类多选题只有 3 道，规则需要 5 道 (counting is on this error path only)."""
    section = stratum.section
    total = stratum.available(set())
    usable = stratum.available(blocked) if blocked else total
    if usable == total:
        return f"{section.describe()}只有 {total} 道，规则需要 {section.count} 道"
    return (f"{section.describe()}可用的只有 {usable} 道（另有 {total - usable} 道已用于本卷其他部分或被排除），"
            f"规则需要 {section.count} 道")


def _exam(title: str, minutes: int, *sections: tuple[str, int, float]) -> PaperRule:
    return PaperRule([RuleSection(kind, count, points) for kind, count, points in sections],
                     time_limit_s=minutes * 60, title=title)


EXAM_PRESETS = {
    "quick": _exam("模拟考试（20 题，20 分钟）", 20, ("single", 8, 4), ("multiple", 4, 6), ("judge", 6, 4), ("fill", 2, 10)),
    "standard": _exam("模拟考试（55 题，60 分钟）", 60, ("single", 15, 2), ("multiple", 10, 3), ("judge", 20, 1),
                      ("fill", 10, 2)),
}
PRACTICE_SIZES = (5, 10, 20)


def practice_rule(category_path: str | None, question_type: str | None = None, difficulty: int | None = None,
                  count: int = 10) -> PaperRule:
    """A 专项练习 of up to `count` questions, spread over the types the topic has (immediate feedback)."""
    types = [question_type] if question_type else list(QUESTION_TYPES)
    probe = [RuleSection(kind, count, category_path=category_path, difficulty=difficulty) for kind in types]
    caps = {section.type: _available_up_to(section) for section in probe}
    counts = dict.fromkeys(types, 0)
    while sum(counts.values()) < count and any(counts[kind] < caps[kind] for kind in types):
        for kind in types:
            if counts[kind] < caps[kind] and sum(counts.values()) < count:
                counts[kind] += 1
    if not any(counts.values()):
        raise QuizError(f"{probe[0].describe() if question_type else _topic(category_path, difficulty)}还没有可以练习的题目")
    sections = [RuleSection(kind, number, category_path=category_path, difficulty=difficulty)
                for kind, number in counts.items() if number]
    title = f"专项练习 · {category_path}" if category_path else "专项练习"
    return PaperRule(sections, feedback="immediate", title=title[:100])


def _topic(category_path: str | None, difficulty: int | None) -> str:
    where = f"「{category_path}」类" if category_path else "题库中"
    return where + (f"难度为“{DIFFICULTIES[difficulty]}”的" if difficulty else "")


def _available_up_to(section: RuleSection) -> int:
    """min(available, section.count), reading at most section.count rows per category."""
    stratum = _Stratum(section, category_ids(section.category_path) if section.category_path else None)
    seen: set[int] = set()
    for category in stratum.categories or [None]:
        query = select(Question.id).where(*stratum.conditions())
        if category is not None:
            query = query.where(Question.category_id == category)
        seen.update(db.session.scalars(query.limit(section.count - len(seen))))
        if len(seen) >= section.count:
            break
    return len(seen)

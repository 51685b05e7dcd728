"""Group figures of the progress pages, read from the summary rows. Pages and export call these.

A group's figures cover its active members and those of every group below it, as they are now.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from sqlalchemy import case, func, select

from quizapp.extensions import db
from quizapp.models import Category, CategoryStat, MemberTotal, StudyGroup, StudyStat, User
from quizapp.services.periods import Period, weeks_ending

WEAKEST_MIN_QUESTIONS = 3  # a member's weakest 知识点 needs at least this many answers in the period
TREND_WEEKS = 12
SORT_KEYS = {
    "name": lambda row: row.user.name,
    "attempts": lambda row: row.attempts,
    "questions": lambda row: row.questions,
    "accuracy": lambda row: -1 if row.accuracy is None else row.accuracy,
    "points": lambda row: row.points,
    "last_day": lambda row: row.last_day or date.min,
}


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass
class Tally:
    attempts: int = 0
    questions: int = 0
    correct: int = 0
    points: int = 0

    @property
    def accuracy(self) -> float | None:
        return ratio(self.correct, self.questions)


@dataclass
class MemberRow(Tally):
    user: User = None
    last_day: date | None = None
    weakest: str | None = None  # path of the weakest 知识点 in the period

    @property
    def studied(self) -> bool:
        return self.attempts > 0


@dataclass
class GroupSummary(Tally):
    members: int = 0
    studied: int = 0

    @property
    def participation(self) -> float | None:
        return ratio(self.studied, self.members)

    @property
    def points_per_member(self) -> float | None:
        return ratio(self.points, self.members)

    def add(self, other: GroupSummary) -> None:
        for name in ("attempts", "questions", "correct", "points", "members", "studied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class CategoryRow(Tally):
    category: str = ""


@dataclass
class NotStudiedRow:
    user: User
    last_day: date | None
    days_since: int | None  # None: never studied


@dataclass
class WeekRow(GroupSummary):
    week: date = None


@dataclass
class OverviewRow:
    group: StudyGroup
    depth: int
    figures: GroupSummary
    rank: int = 0  # among its siblings
    children: list = field(default_factory=list)


def period_filter(model, period: Period) -> list:
    span, first, last = period.span
    return [model.span == span, model.start >= first, model.start <= last]


def active_members(group: StudyGroup) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.group_id.in_(group.subtree_ids()), User.active).order_by(User.name, User.id)))


def member_tallies(user_ids: Iterable[int], period: Period) -> dict[int, Tally]:
    columns = [func.sum(getattr(StudyStat, name)) for name in ("attempts", "questions", "correct", "points")]
    query = (select(StudyStat.user_id, *columns)
             .where(StudyStat.user_id.in_(list(user_ids)), *period_filter(StudyStat, period))
             .group_by(StudyStat.user_id))
    return {user_id: Tally(*(int(value or 0) for value in values)) for user_id, *values in db.session.execute(query)}


def member_table(group: StudyGroup, period: Period, sort: str = "points", descending: bool = True) -> list[MemberRow]:
    """One row per active member: quizzes, questions, accuracy, points, last study day, weakest 知识点."""
    members = active_members(group)
    ids = [member.id for member in members]
    tallies = member_tallies(ids, period)
    last_days = dict(db.session.execute(select(MemberTotal.user_id, MemberTotal.last_day)
                                        .where(MemberTotal.user_id.in_(ids))).all())
    weakest = weakest_categories(ids, period)
    rows = [MemberRow(**vars(tallies.get(member.id, Tally())), user=member, last_day=last_days.get(member.id),
                      weakest=weakest.get(member.id)) for member in members]
    return sort_rows(rows, sort, descending)


def sort_rows(rows: list[MemberRow], sort: str, descending: bool) -> list[MemberRow]:
    key = SORT_KEYS.get(sort, SORT_KEYS["points"])
    rows = sorted(rows, key=lambda row: (row.user.name, row.user.id))  # ties keep name order
    return sorted(rows, key=key, reverse=descending)


def summarise(rows: list[MemberRow]) -> GroupSummary:
    """The group's figures for the period, from its member rows (so table and summary agree)."""
    summary = GroupSummary(members=len(rows), studied=sum(row.studied for row in rows))
    for row in rows:
        summary.add(GroupSummary(row.attempts, row.questions, row.correct, row.points))
    return summary


def not_studied(rows: list[MemberRow], today: date) -> list[NotStudiedRow]:
    """未参学名单: members without a finished quiz in the period, longest absent first."""
    absent = [NotStudiedRow(row.user, row.last_day, (today - row.last_day).days if row.last_day else None)
              for row in rows if not row.studied]
    return sorted(absent, key=lambda row: (row.last_day is not None, row.last_day or date.min, row.user.name))


def _category_sums(user_ids: list[int], period: Period, *group_by):
    return db.session.execute(
        select(*group_by, Category.path, func.sum(CategoryStat.questions), func.sum(CategoryStat.correct))
        .join(Category, Category.id == CategoryStat.category_id)
        .where(CategoryStat.user_id.in_(user_ids), *period_filter(CategoryStat, period))
        .group_by(*group_by, Category.path))


def category_accuracy(user_ids: list[int], period: Period) -> list[CategoryRow]:
    """Accuracy per 知识点 over the members' answers in the period, weakest first."""
    rows = [CategoryRow(questions=int(questions), correct=int(correct), category=path)
            for path, questions, correct in _category_sums(user_ids, period)]
    return sorted(rows, key=lambda row: (row.accuracy, -row.questions, row.category))


def weakest_categories(user_ids: list[int], period: Period) -> dict[int, str]:
    """Each member's 知识点 of lowest accuracy in the period (at least WEAKEST_MIN_QUESTIONS answers)."""
    best: dict[int, tuple] = {}
    for user_id, path, questions, correct in _category_sums(user_ids, period, CategoryStat.user_id):
        if questions >= WEAKEST_MIN_QUESTIONS:
            key = (correct / questions, -questions, path)
            best[user_id] = min(best.get(user_id, key), key)
    return {user_id: key[2] for user_id, key in best.items()}


def weekly_trend(group: StudyGroup, last_day: date, weeks: int = TREND_WEEKS) -> list[WeekRow]:
    """Participation and accuracy by week, for the weeks up to the one containing last_day."""
    starts, group_ids = weeks_ending(last_day, weeks), group.subtree_ids()
    members = _member_count(group_ids)
    query = (select(StudyStat.start, func.count(case((StudyStat.attempts > 0, 1))),
                    func.sum(StudyStat.questions), func.sum(StudyStat.correct), func.sum(StudyStat.points))
             .join(User, User.id == StudyStat.user_id)
             .where(User.group_id.in_(group_ids), User.active, StudyStat.span == "week",
                    StudyStat.start.in_(starts))
             .group_by(StudyStat.start))
    found = {start: values for start, *values in db.session.execute(query)}
    rows = []
    for start in starts:
        studied, questions, correct, points = (int(value or 0) for value in found.get(start, (0, 0, 0, 0)))
        rows.append(WeekRow(questions=questions, correct=correct, points=points, members=members,
                            studied=studied, week=start))
    return rows


def _member_count(group_ids: list[int]) -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.group_id.in_(group_ids), User.active))


def group_figures_by_group(group_ids: list[int], period: Period) -> dict[int, GroupSummary]:
    """Each group's own members' figures (not those below it), in one query."""
    span, first, last = period.span
    per_member = (select(StudyStat.user_id, func.sum(StudyStat.attempts).label("attempts"),
                         func.sum(StudyStat.questions).label("questions"),
                         func.sum(StudyStat.correct).label("correct"), func.sum(StudyStat.points).label("points"))
                  .where(*period_filter(StudyStat, period)).group_by(StudyStat.user_id).subquery())
    query = (select(User.group_id, func.count(User.id), func.count(case((per_member.c.attempts > 0, 1))),
                    func.sum(per_member.c.attempts), func.sum(per_member.c.questions),
                    func.sum(per_member.c.correct), func.sum(per_member.c.points))
             .outerjoin(per_member, per_member.c.user_id == User.id)
             .where(User.group_id.in_(group_ids), User.active).group_by(User.group_id))
    figures = {}
    for group_id, members, studied, *sums in db.session.execute(query):
        attempts, questions, correct, points = (int(value or 0) for value in sums)
        figures[group_id] = GroupSummary(attempts, questions, correct, points, members=members, studied=studied)
    return figures


def visible_tree(roots: list[StudyGroup]) -> list[tuple[StudyGroup, int]]:
    """(group, depth) for the roots and every group below them, in tree order (one query).
    A root that lies below another root is shown only in its place under that one."""
    groups = list(db.session.scalars(select(StudyGroup).order_by(StudyGroup.name)))
    children: dict[int | None, list[StudyGroup]] = {}
    for group in groups:
        children.setdefault(group.parent_id, []).append(group)
    ordered: list[tuple[StudyGroup, int]] = []

    def walk(group: StudyGroup, depth: int) -> None:
        ordered.append((group, depth))
        for child in children.get(group.id, []):
            walk(child, depth + 1)

    root_ids = {root.id for root in roots}
    for root in sorted(roots, key=lambda group: group.name):
        if not any(ancestor.id in root_ids for ancestor in root.ancestors()):
            walk(root, 0)
    return ordered


def overview(roots: list[StudyGroup], period: Period) -> list[OverviewRow]:
    """The organisation tree under `roots`: each group's figures including the groups below it,
    and its rank among its siblings (participation, then accuracy, then points per member)."""
    tree = visible_tree(roots)
    own = group_figures_by_group([group.id for group, _ in tree], period)
    rows = [OverviewRow(group, depth, GroupSummary()) for group, depth in tree]
    by_id = {row.group.id: row for row in rows}
    for row in rows:
        if row.depth > 0:
            by_id[row.group.parent_id].children.append(row)
    for row in reversed(rows):  # children come after their parent, so sum bottom-up
        row.figures.add(own.get(row.group.id, GroupSummary()))
        for child in row.children:
            row.figures.add(child.figures)
        _rank_siblings(row.children)
    _rank_siblings([row for row in rows if row.depth == 0])
    return rows


def ranking_key(figures: GroupSummary) -> tuple:
    return (-(figures.participation or 0), -(figures.accuracy or 0), -(figures.points_per_member or 0))


def competition_ranks(keys: list) -> list[int]:
    """Ranks of already sorted keys, equal keys sharing a rank: 1, 2, 2, 4."""
    ranks: list[int] = []
    for position, key in enumerate(keys):
        ranks.append(ranks[-1] if position and keys[position - 1] == key else position + 1)
    return ranks


def _rank_siblings(rows: list[OverviewRow]) -> None:
    ordered = sorted(rows, key=lambda row: ranking_key(row.figures))
    for row, rank in zip(ordered, competition_ranks([ranking_key(row.figures) for row in ordered])):
        row.rank = rank


def branch_ranking(rows: list[OverviewRow]) -> list[tuple[int, OverviewRow]]:
    """The 党支部 of an overview side by side, best first, with their ranks."""
    branches = sorted((row for row in rows if row.group.kind == "branch"),
                      key=lambda row: (ranking_key(row.figures), row.group.name))
    return list(zip(competition_ranks([ranking_key(row.figures) for row in branches]), branches))

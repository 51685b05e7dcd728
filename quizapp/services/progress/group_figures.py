"""Group figures of the progress pages, read from the summary rows. Pages and export call these.

A group's figures cover its active members and those of every group below it, as they are now.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from sqlalchemy import Select, and_, case, func, select

from quizapp.extensions import db
from quizapp.models import Category, CategoryStat, MemberTotal, StudyGroup, StudyStat, User
from quizapp.services.progress.periods import Period, weeks_ending

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
    user: Member = None
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
    user: Member
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


def read(query):
    """Rows of a read-only query of plain columns, through the session's connection: the figures
    read hundreds of rows per page and need none of the ORM's per-row work."""
    return db.session.connection().execute(query)


def period_filter(model, period: Period) -> list:
    """The summary rows of the period. A week or a month is one start: equality lets the planner walk
    the covering (span, start, user_id, ...) index in member order, never the table."""
    span, first, last = period.span
    if first == last:
        return [model.span == span, model.start == first]
    return [model.span == span, model.start >= first, model.start <= last]


@dataclass(frozen=True)
class Member:
    """A member as the progress pages and the export show him or her."""
    id: int
    name: str
    username: str
    group_name: str
    last_day: date | None  # the last day with a finished quiz, whatever the period


@dataclass
class GroupReport:
    """Everything the group dashboard and the export show for a period, read in a few queries."""
    rows: list[MemberRow]
    summary: GroupSummary
    categories: list[CategoryRow]
    absent: list[NotStudiedRow]


def member_ids(group_ids: list[int]):
    """The ids of the groups' active members, as a subquery (cheaper to send than a long list)."""
    return select(User.id).where(User.group_id.in_(group_ids), User.active)


def active_members(group_ids: list[int]) -> list[Member]:
    query = (select(User.id, User.name, User.username, StudyGroup.name, MemberTotal.last_day)
             .join(StudyGroup, StudyGroup.id == User.group_id)
             .outerjoin(MemberTotal, MemberTotal.user_id == User.id)
             .where(User.group_id.in_(group_ids), User.active).order_by(User.name, User.id))
    return [Member(*row) for row in read(query)]


def member_tallies(user_ids: Iterable[int] | Select, period: Period) -> dict[int, Tally]:
    columns = [func.sum(getattr(StudyStat, name)) for name in ("attempts", "questions", "correct", "points")]
    ids = user_ids if isinstance(user_ids, Select) else list(user_ids)
    query = (select(StudyStat.user_id, *columns)
             .where(StudyStat.user_id.in_(ids), *period_filter(StudyStat, period))
             .group_by(StudyStat.user_id))
    return {user_id: Tally(*(int(value or 0) for value in values)) for user_id, *values in read(query)}


def group_report(group_ids: list[int], period: Period, today: date, sort: str = "points",
                 descending: bool = True) -> GroupReport:
    """The members (of these groups) with their figures for the period, the group's summary, its
    知识点 weakest first, and the 未参学名单."""
    members, ids = active_members(group_ids), member_ids(group_ids)
    tallies, cells = member_tallies(ids, period), _category_cells(ids, period)
    weakest, nothing = _weakest(cells), Tally()
    rows = []
    for member in members:
        tally = tallies.get(member.id, nothing)
        rows.append(MemberRow(tally.attempts, tally.questions, tally.correct, tally.points, user=member,
                              last_day=member.last_day, weakest=weakest.get(member.id)))
    rows = sort_rows(rows, sort, descending)
    return GroupReport(rows, summarise(rows), _by_category(cells), not_studied(rows, today))


def sort_rows(rows: list[MemberRow], sort: str, descending: bool) -> list[MemberRow]:
    key = SORT_KEYS.get(sort, SORT_KEYS["points"])
    rows = sorted(rows, key=lambda row: (row.user.name, row.user.id))  # ties keep name order
    return sorted(rows, key=key, reverse=descending)


def summarise(rows: list[MemberRow]) -> GroupSummary:
    """The group's figures for the period, from its member rows (so table and summary agree)."""
    return GroupSummary(sum(row.attempts for row in rows), sum(row.questions for row in rows),
                        sum(row.correct for row in rows), sum(row.points for row in rows),
                        members=len(rows), studied=sum(row.attempts > 0 for row in rows))


def not_studied(rows: list[MemberRow], today: date) -> list[NotStudiedRow]:
    """未参学名单: members without a finished quiz in the period, longest absent first."""
    absent = [NotStudiedRow(row.user, row.last_day, (today - row.last_day).days if row.last_day else None)
              for row in rows if not row.studied]
    return sorted(absent, key=lambda row: (row.last_day is not None, row.last_day or date.min, row.user.name))


def _category_cells(user_ids: list[int] | Select, period: Period) -> list[tuple[int, str, int, int]]:
    """(user id, 知识点 path, questions, correct) for the members in the period."""
    cells = read(
        select(CategoryStat.user_id, CategoryStat.category_id, func.sum(CategoryStat.questions),
               func.sum(CategoryStat.correct))
        .where(CategoryStat.user_id.in_(user_ids), *period_filter(CategoryStat, period))
        .group_by(CategoryStat.user_id, CategoryStat.category_id)).all()
    paths = dict(read(select(Category.id, Category.path).where(
        Category.id.in_({cell[1] for cell in cells}))).all()) if cells else {}
    return [(user_id, paths[category_id], int(questions), int(correct))
            for user_id, category_id, questions, correct in cells]


def _by_category(cells) -> list[CategoryRow]:
    sums: dict[str, CategoryRow] = {}
    for _, path, questions, correct in cells:
        row = sums.setdefault(path, CategoryRow(category=path))
        row.questions, row.correct = row.questions + questions, row.correct + correct
    return sorted(sums.values(), key=lambda row: (row.accuracy, -row.questions, row.category))


def _weakest(cells) -> dict[int, str]:
    best: dict[int, tuple] = {}
    for user_id, path, questions, correct in cells:
        if questions >= WEAKEST_MIN_QUESTIONS:
            key = (correct / questions, -questions, path)
            best[user_id] = min(best.get(user_id, key), key)
    return {user_id: key[2] for user_id, key in best.items()}


def category_accuracy(user_ids: list[int], period: Period) -> list[CategoryRow]:
    """Accuracy per 知识点 over the members' answers in the period, weakest first."""
    return _by_category(_category_cells(user_ids, period))


def weakest_categories(user_ids: list[int], period: Period) -> dict[int, str]:
    """Each member's 知识点 of lowest accuracy in the period (at least WEAKEST_MIN_QUESTIONS answers)."""
    return _weakest(_category_cells(user_ids, period))


def weekly_trend(group_ids: list[int], last_day: date, weeks: int = TREND_WEEKS) -> list[WeekRow]:
    """Participation and accuracy by week of the groups' current active members, for the weeks up to
    the one containing last_day: at most one row per member and week is read."""
    starts = weeks_ending(last_day, weeks)
    query = (select(StudyStat.start, func.count(case((StudyStat.attempts > 0, 1))),
                    func.sum(StudyStat.questions), func.sum(StudyStat.correct), func.sum(StudyStat.points))
             .where(StudyStat.user_id.in_(member_ids(group_ids)), StudyStat.span == "week",
                    StudyStat.start >= starts[0], StudyStat.start <= starts[-1])
             .group_by(StudyStat.start))
    found = {start: values for start, *values in read(query)}
    members = read(select(func.count()).select_from(member_ids(group_ids).subquery())).scalar()
    rows = []
    for start in starts:
        studied, questions, correct, points = (int(value or 0) for value in found.get(start, (0, 0, 0, 0)))
        rows.append(WeekRow(questions=questions, correct=correct, points=points, members=members,
                            studied=studied, week=start))
    return rows


def group_figures_by_group(group_ids: list[int], period: Period) -> dict[int, GroupSummary]:
    """Each group's own members' figures (not those below it), in one query whose cost is the number
    of members times the days of the period, whatever the length of the history."""
    studied = case((StudyStat.attempts > 0, User.id))
    query = (select(User.group_id, func.count(func.distinct(User.id)), func.count(func.distinct(studied)),
                    *(func.sum(getattr(StudyStat, name)) for name in ("attempts", "questions", "correct", "points")))
             .outerjoin(StudyStat, and_(StudyStat.user_id == User.id, *period_filter(StudyStat, period)))
             .where(User.group_id.in_(group_ids), User.active).group_by(User.group_id))
    figures = {}
    for group_id, members, studied_count, *sums in read(query):
        attempts, questions, correct, points = (int(value or 0) for value in sums)
        figures[group_id] = GroupSummary(attempts, questions, correct, points, members=members, studied=studied_count)
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

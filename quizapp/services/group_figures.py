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


def period_filter(model, period: Period) -> list:
    span, first, last = period.span
    return [model.span == span, model.start >= first, model.start <= last]


def by_span(query, model):
    """Read `model` through its covering (span, start, user_id, ...) index on SQLite. SQLite's planner
    may otherwise look each member's rows up in the table, a cost that grows with the history."""
    return query.with_hint(model, f"INDEXED BY ix_{model.__tablename__}_span_start_user", "sqlite")


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


def active_members(group_ids: list[int]) -> list[Member]:
    query = (select(User.id, User.name, User.username, StudyGroup.name, MemberTotal.last_day)
             .join(StudyGroup, StudyGroup.id == User.group_id)
             .outerjoin(MemberTotal, MemberTotal.user_id == User.id)
             .where(User.group_id.in_(group_ids), User.active).order_by(User.name, User.id))
    return [Member(*row) for row in db.session.execute(query)]


def member_tallies(user_ids: Iterable[int], period: Period) -> dict[int, Tally]:
    columns = [func.sum(getattr(StudyStat, name)) for name in ("attempts", "questions", "correct", "points")]
    query = by_span(select(StudyStat.user_id, *columns)
                    .where(StudyStat.user_id.in_(list(user_ids)), *period_filter(StudyStat, period))
                    .group_by(StudyStat.user_id), StudyStat)
    return {user_id: Tally(*(int(value or 0) for value in values)) for user_id, *values in db.session.execute(query)}


def group_report(group_ids: list[int], period: Period, today: date, sort: str = "points",
                 descending: bool = True) -> GroupReport:
    """The members (of these groups) with their figures for the period, the group's summary, its
    知识点 weakest first, and the 未参学名单."""
    members = active_members(group_ids)
    ids = [member.id for member in members]
    tallies, cells = member_tallies(ids, period), _category_cells(ids, period)
    weakest = _weakest(cells)
    rows = sort_rows([MemberRow(**vars(tallies.get(member.id, Tally())), user=member, last_day=member.last_day,
                                weakest=weakest.get(member.id)) for member in members], sort, descending)
    return GroupReport(rows, summarise(rows), _by_category(cells), not_studied(rows, today))


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


def _category_cells(user_ids: list[int], period: Period) -> list[tuple[int, str, int, int]]:
    """(user id, 知识点 path, questions, correct) for the members in the period.

    Summed here rather than by GROUP BY: a week or a month is already one row per member and 知识点.
    """
    sums: dict[tuple[int, int], list[int]] = {}
    for user_id, category_id, questions, correct in db.session.execute(by_span(
            select(CategoryStat.user_id, CategoryStat.category_id, CategoryStat.questions, CategoryStat.correct)
            .where(CategoryStat.user_id.in_(user_ids), *period_filter(CategoryStat, period)), CategoryStat)):
        cell = sums.setdefault((user_id, category_id), [0, 0])
        cell[0], cell[1] = cell[0] + questions, cell[1] + correct
    paths = dict(db.session.execute(select(Category.id, Category.path).where(
        Category.id.in_({category_id for _, category_id in sums}))).all()) if sums else {}
    return [(user_id, paths[category_id], questions, correct)
            for (user_id, category_id), (questions, correct) in sums.items()]


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


def weekly_trend(user_ids: list[int], last_day: date, weeks: int = TREND_WEEKS) -> list[WeekRow]:
    """Participation and accuracy by week of these members (a group's current active members), for
    the weeks up to the one containing last_day: at most one row per member and week is read."""
    starts = weeks_ending(last_day, weeks)
    query = by_span(select(StudyStat.start, func.count(case((StudyStat.attempts > 0, 1))),
                           func.sum(StudyStat.questions), func.sum(StudyStat.correct), func.sum(StudyStat.points))
                    .where(StudyStat.user_id.in_(user_ids), StudyStat.span == "week", StudyStat.start.in_(starts))
                    .group_by(StudyStat.start), StudyStat)
    found = {start: values for start, *values in db.session.execute(query)}
    rows = []
    for start in starts:
        studied, questions, correct, points = (int(value or 0) for value in found.get(start, (0, 0, 0, 0)))
        rows.append(WeekRow(questions=questions, correct=correct, points=points, members=len(user_ids),
                            studied=studied, week=start))
    return rows


def group_figures_by_group(group_ids: list[int], period: Period) -> dict[int, GroupSummary]:
    """Each group's own members' figures (not those below it), in two queries.

    Each member's period is summed first, from the covering index alone (by_span), and only then
    joined to the members.
    """
    in_groups = [User.group_id.in_(group_ids), User.active]
    figures = {group_id: GroupSummary(members=count) for group_id, count in db.session.execute(
        select(User.group_id, func.count(User.id)).where(*in_groups).group_by(User.group_id))}
    names = ("attempts", "questions", "correct", "points")
    per_member = by_span(select(StudyStat.user_id, *(func.sum(getattr(StudyStat, name)).label(name) for name in names))
                         .where(*period_filter(StudyStat, period)).group_by(StudyStat.user_id), StudyStat).subquery()
    query = (select(User.group_id, func.count(case((per_member.c.attempts > 0, 1))),
                    *(func.sum(per_member.c[name]) for name in names))
             .join(User, User.id == per_member.c.user_id).where(*in_groups).group_by(User.group_id))
    for group_id, studied, *sums in db.session.execute(query):
        summary = figures[group_id]
        summary.studied = studied
        summary.attempts, summary.questions, summary.correct, summary.points = (int(value or 0) for value in sums)
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

"""Leaderboards: the individual and branch boards of a competition, and the points boards.

The individual board orders entries by best score (high first), then time used (less first), then
the earlier submission; entries equal on all three share a rank (RANK semantics: 1, 1, 3). It reads
competition entries and score counts only, never answers:
- the top N are one index walk (ix_competition_entry_board) ranked with RANK() over that prefix,
  which is exact because every entry ranked above one in the prefix is in the prefix too;
- a participant's rank is 1 + the participants with a higher score (a sum over the few distinct
  scores in competition_score_count) + those with the same score who did better on time or
  submission (an index range inside one score), so it does not walk the whole board.

The branch board ranks the groups by an index chosen per competition (Competition.branch_index):
- avg_x_rate (default): average best score of the participants × participation rate, which equals
  the group's score sum ÷ its members in scope: every member counts, a member who did not take part
  counts 0, so a large branch gains nothing from its size and a small one cannot win with one star;
- average: the participants' average (groups without participants last);
- rate: participation rate, the average breaking ties.
Participation rate is participants ÷ members in scope (capped at 1 when people left the group).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select, tuple_

from quizapp.extensions import db
from quizapp.models import (Competition, CompetitionEntry, CompetitionGroupStat, CompetitionScoreCount, PointsEntry,
                            StudyGroup, User)
from quizapp.services.clock import week_start

Entry = CompetitionEntry
BOARD_ORDER = (Entry.best_score.desc(), Entry.time_used_s.asc(), Entry.submitted_at.asc(), Entry.user_id.asc())
REVERSED_ORDER = (Entry.best_score.asc(), Entry.time_used_s.desc(), Entry.submitted_at.desc(), Entry.user_id.desc())
POINTS_PERIODS = {"week": "本周", "month": "本月", "all": "累计"}


@dataclass
class BoardRow:
    rank: int
    user_id: int
    name: str
    group_name: str
    score: float
    max_score: float
    time_used_s: int
    submitted_at: datetime | None = None


@dataclass
class IndividualBoard:
    top: list[BoardRow]
    me: BoardRow | None  # None when the user has not finished an attempt
    around: list[BoardRow]  # the user's neighbours and the user, in board order
    participants: int


def _rows_query():
    return (select(Entry.user_id, User.name, func.coalesce(StudyGroup.name, "").label("group_name"), Entry.best_score,
                   Entry.max_score, Entry.time_used_s, Entry.submitted_at)
            .join(User, User.id == Entry.user_id).outerjoin(StudyGroup, StudyGroup.id == Entry.group_id))


def _finished(competition_id: int):
    return and_(Entry.competition_id == competition_id, Entry.best_score.is_not(None))


def top_rows(competition: Competition, limit: int) -> list[BoardRow]:
    prefix = (select(Entry.user_id).where(_finished(competition.id)).order_by(*BOARD_ORDER).limit(limit).subquery())
    rank = func.rank().over(order_by=(Entry.best_score.desc(), Entry.time_used_s.asc(), Entry.submitted_at.asc()))
    query = (_rows_query().add_columns(rank.label("rank")).join(prefix, prefix.c.user_id == Entry.user_id)
             .where(Entry.competition_id == competition.id).order_by(*BOARD_ORDER))
    return [_board_row(row, row.rank) for row in db.session.execute(query)]


def _board_row(row, rank: int) -> BoardRow:
    return BoardRow(rank=rank, user_id=row.user_id, name=row.name, group_name=row.group_name, score=row.best_score,
                    max_score=row.max_score, time_used_s=row.time_used_s, submitted_at=row.submitted_at)


def rank_of(competition_id: int, score: float, time_used_s: int, submitted_at: datetime) -> int:
    """1 + the number of participants strictly ahead of this result."""
    higher = db.session.scalar(select(func.coalesce(func.sum(CompetitionScoreCount.entries), 0)).where(
        CompetitionScoreCount.competition_id == competition_id, CompetitionScoreCount.score > score))
    same_score_ahead = db.session.scalar(select(func.count()).where(
        Entry.competition_id == competition_id, Entry.best_score == score,
        tuple_(Entry.time_used_s, Entry.submitted_at) < tuple_(time_used_s, submitted_at)))
    return 1 + higher + same_score_ahead


def participant_count(competition_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(CompetitionScoreCount.entries), 0)).where(
        CompetitionScoreCount.competition_id == competition_id))


def _beyond(competition_id: int, row: BoardRow, ahead: bool, limit: int) -> list:
    """Up to `limit` rows next to `row` in board order, nearest first (ahead: better ones). Inside one
    score the rest of the board order is ascending, so a row-value comparison walks the index."""
    rest = tuple_(Entry.time_used_s, Entry.submitted_at, Entry.user_id)
    mine = tuple_(row.time_used_s, row.submitted_at, row.user_id)
    same_score = and_(Entry.best_score == row.score, rest < mine if ahead else rest > mine)
    other_score = Entry.best_score > row.score if ahead else Entry.best_score < row.score
    order = REVERSED_ORDER if ahead else BOARD_ORDER
    found = []
    for condition in (same_score, other_score):
        if len(found) < limit:
            query = _rows_query().where(_finished(competition_id), condition).order_by(*order)
            found += db.session.execute(query.limit(limit - len(found))).all()
    return found


def _ranked_window(competition_id: int, rows: list) -> list[BoardRow]:
    """Ranks for a run of consecutive board rows, from the rank and position of the first one."""
    first = rows[0]
    rank = rank_of(competition_id, first.best_score, first.time_used_s, first.submitted_at)
    equal_before = db.session.scalar(select(func.count()).where(
        Entry.competition_id == competition_id, Entry.best_score == first.best_score,
        Entry.time_used_s == first.time_used_s, Entry.submitted_at == first.submitted_at,
        Entry.user_id < first.user_id))
    position, ranked, previous = rank + equal_before, [], None
    for offset, row in enumerate(rows):
        key = (row.best_score, row.time_used_s, row.submitted_at)
        if previous is not None and key != previous[0]:
            rank = position + offset
        ranked.append(_board_row(row, rank))
        previous = (key, rank)
    return ranked


def individual_board(competition: Competition, *, user: User | None = None, top: int = 50,
                     neighbours: int = 2) -> IndividualBoard:
    rows = top_rows(competition, top)
    participants = participant_count(competition.id)
    mine = None if user is None else db.session.execute(
        _rows_query().where(_finished(competition.id), Entry.user_id == user.id)).first()
    if mine is None:
        return IndividualBoard(top=rows, me=None, around=[], participants=participants)
    me = _board_row(mine, 0)
    above = list(reversed(_beyond(competition.id, me, True, neighbours)))
    window = _ranked_window(competition.id, [*above, mine, *_beyond(competition.id, me, False, neighbours)])
    me = window[len(above)]
    return IndividualBoard(top=rows, me=me, around=window, participants=participants)


def placed_entries(competition: Competition, places: int) -> list[tuple[int, CompetitionEntry]]:
    """(rank, entry) of every participant ranked within the first `places` (ties share a place)."""
    if places <= 0:
        return []
    ranked = select(Entry.id, func.rank().over(order_by=BOARD_ORDER[:3]).label("rank")).where(
        _finished(competition.id)).subquery()
    query = select(Entry, ranked.c.rank).join(ranked, ranked.c.id == Entry.id).where(ranked.c.rank <= places)
    return [(rank, entry) for entry, rank in db.session.execute(query.order_by(ranked.c.rank, Entry.user_id))]


def all_ranked_rows(competition: Competition) -> list[BoardRow]:
    """The whole board (for the results export)."""
    rank = func.rank().over(order_by=BOARD_ORDER[:3])
    query = _rows_query().add_columns(rank.label("rank")).where(_finished(competition.id)).order_by(*BOARD_ORDER)
    return [_board_row(row, row.rank) for row in db.session.execute(query)]


# --- branch board ---------------------------------------------------------------------------

@dataclass
class BranchRow:
    rank: int
    group_id: int
    name: str
    participants: int
    members: int
    average: float
    rate: float
    index: float


def _branch_index(kind: str, average: float, rate: float, participants: int) -> tuple:
    """Sort key (larger is better) and the index value shown."""
    if kind == "average":
        return (participants > 0, round(average, 9)), average
    if kind == "rate":
        return (round(rate, 9), round(average, 9)), rate
    return (round(average * rate, 9),), average * rate


def branch_board(competition: Competition) -> list[BranchRow]:
    query = (select(CompetitionGroupStat, StudyGroup.name).join(StudyGroup)
             .where(CompetitionGroupStat.competition_id == competition.id,
                    or_(CompetitionGroupStat.members_in_scope > 0, CompetitionGroupStat.participants > 0)))
    scored = []
    for stat, name in db.session.execute(query):
        members = max(stat.members_in_scope, stat.participants)
        average = stat.score_sum / stat.participants if stat.participants else 0.0
        rate = stat.participants / members if members else 0.0
        key, index = _branch_index(competition.branch_index, average, rate, stat.participants)
        scored.append((key, BranchRow(0, stat.group_id, name, stat.participants, members, average, rate, index)))
    scored.sort(key=lambda item: (tuple(-value for value in item[0]), item[1].name))
    for position, (key, row) in enumerate(scored, 1):
        row.rank = scored[position - 2][1].rank if position > 1 and scored[position - 2][0] == key else position
    return [row for _, row in scored]


# --- points boards --------------------------------------------------------------------------

@dataclass
class PointsRow:
    rank: int
    user_id: int
    name: str
    group_name: str
    points: int


def period_start(period: str, today: date) -> date | None:
    if period == "week":
        return week_start(today)
    if period == "month":
        return today.replace(day=1)
    return None


def points_board(*, period: str, today: date, group_ids: list[int] | None = None, user: User | None = None,
                 top: int = 50) -> tuple[list[PointsRow], PointsRow | None]:
    """(top rows, the user's row or None) of points earned in the period, among members of group_ids
    (None: the whole organisation)."""
    start = period_start(period, today)
    totals = select(PointsEntry.user_id, func.sum(PointsEntry.amount).label("points"))
    if start is not None:
        totals = totals.where(PointsEntry.day >= start, PointsEntry.day < today + timedelta(days=1))
    totals = totals.group_by(PointsEntry.user_id).subquery()
    ranked = (select(User.id.label("user_id"), User.name, func.coalesce(StudyGroup.name, "").label("group_name"),
                     totals.c.points, func.rank().over(order_by=totals.c.points.desc()).label("rank"))
              .join(totals, totals.c.user_id == User.id).outerjoin(StudyGroup, StudyGroup.id == User.group_id)
              .where(User.active, totals.c.points > 0))
    if group_ids is not None:
        ranked = ranked.where(User.group_id.in_(group_ids))
    ranked = ranked.subquery()
    rows = db.session.execute(select(ranked).order_by(ranked.c.rank, ranked.c.user_id).limit(top)).all()
    mine = None if user is None else db.session.execute(select(ranked).where(ranked.c.user_id == user.id)).first()
    as_row = lambda row: PointsRow(row.rank, row.user_id, row.name, row.group_name, int(row.points))  # noqa: E731
    return [as_row(row) for row in rows], (as_row(mine) if mine else None)

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
from datetime import date, datetime

from sqlalchemy import Integer, and_, bindparam, cast, func, literal, null, or_, select, tuple_, union_all

from quizapp.extensions import db
from quizapp.models import Competition, CompetitionEntry, CompetitionGroupStat, CompetitionScoreCount, MemberTotal, StudyGroup, StudyStat, User
from quizapp.services.progress.group_figures import period_filter
from quizapp.services.progress.periods import named_period

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


def _finished(competition_id):
    return and_(Entry.competition_id == competition_id, Entry.best_score.is_not(None))


def _board_row(row, rank: int) -> BoardRow:
    return BoardRow(rank=rank, user_id=row.user_id, name=row.name, group_name=row.group_name, score=row.best_score,
                    max_score=row.max_score, time_used_s=row.time_used_s, submitted_at=row.submitted_at)


# The statements of the individual board are built once with bound parameters: a viewer's rank
# and neighbours then cost two executions and no statement building, whatever the size of the board.
# Limits are written into the SQL (literal_execute), so that PostgreSQL can reuse one generic plan
# instead of planning the statement again at every execution.
COMPETITION, LIMIT = bindparam("competition_id"), bindparam("limit", type_=Integer, literal_execute=True)
SCORE, TIME = bindparam("score"), bindparam("time_used_s")
SUBMITTED, USER = bindparam("submitted_at", type_=Entry.submitted_at.type), bindparam("user_id")
ABOVE = bindparam("above", type_=Integer, literal_execute=True)  # the neighbours above, and one more


def _top_statement():
    prefix = select(Entry.user_id).where(_finished(COMPETITION)).order_by(*BOARD_ORDER).limit(LIMIT).subquery()
    rank = func.rank().over(order_by=(Entry.best_score.desc(), Entry.time_used_s.asc(), Entry.submitted_at.asc()))
    return (_rows_query().add_columns(rank.label("rank")).join(prefix, prefix.c.user_id == Entry.user_id)
            .where(Entry.competition_id == COMPETITION).order_by(*BOARD_ORDER))


def _score_sum(*conditions):
    return select(func.coalesce(func.sum(CompetitionScoreCount.entries), 0)).where(
        CompetitionScoreCount.competition_id == COMPETITION, *conditions).scalar_subquery()


def _standing() -> list:
    """Of one result: (entries ahead on a higher score, ahead on the same score, equal but listed
    before, participants)."""
    same_score = and_(Entry.competition_id == COMPETITION, Entry.best_score == SCORE)
    ahead = select(func.count()).where(same_score,
                                       tuple_(Entry.time_used_s, Entry.submitted_at) < tuple_(TIME, SUBMITTED))
    equal_before = select(func.count()).where(same_score, Entry.time_used_s == TIME, Entry.submitted_at == SUBMITTED,
                                              Entry.user_id < USER)
    ahead, equal_before = (count.correlate_except(Entry).scalar_subquery() for count in (ahead, equal_before))
    return [_score_sum(CompetitionScoreCount.score > SCORE).label("higher"), ahead.label("ahead"),
            equal_before.label("equal_before"), _score_sum().label("participants")]


def _walks() -> list:
    """Four index walks from one result: inside its score the rest of the board order is ascending,
    so a row-value comparison bounds the walk; across scores the index is walked from that score on."""
    rest, mine = tuple_(Entry.time_used_s, Entry.submitted_at, Entry.user_id), tuple_(TIME, SUBMITTED, USER)
    return [(and_(Entry.best_score == SCORE, rest < mine), REVERSED_ORDER, ABOVE),
            (Entry.best_score > SCORE, REVERSED_ORDER, ABOVE),
            (and_(Entry.best_score == SCORE, rest > mine), BOARD_ORDER, LIMIT),
            (Entry.best_score < SCORE, BOARD_ORDER, LIMIT)]


def _viewer_statement():
    """From the viewer's result: the viewer's row with its standing (walk 4) and the neighbours
    (walks 0-3), in one statement. Names are joined once, outside the walks: PostgreSQL plans the
    statement at every request, and a smaller plan is a quicker one."""
    columns = (Entry.user_id, Entry.group_id, Entry.best_score, Entry.max_score, Entry.time_used_s,
               Entry.submitted_at)
    no_standing = [cast(null(), Integer).label(column.name) for column in _standing()]
    own = select(*columns, literal(4).label("walk"), *_standing()).where(Entry.competition_id == COMPETITION,
                                                                         Entry.user_id == USER)
    found = union_all(own, *(
        select(select(*columns, literal(number).label("walk"), *no_standing)
               .where(_finished(COMPETITION), condition).order_by(*order).limit(limit).subquery())
        for number, (condition, order, limit) in enumerate(_walks()))).subquery()
    return (select(found.c.user_id, User.name, func.coalesce(StudyGroup.name, "").label("group_name"),
                   *(found.c[name] for name in ("best_score", "max_score", "time_used_s", "submitted_at", "walk",
                                                "higher", "ahead", "equal_before", "participants")))
            .join(User, User.id == found.c.user_id).outerjoin(StudyGroup, StudyGroup.id == found.c.group_id))


TOP = _top_statement()
ENTRY = _rows_query().where(_finished(COMPETITION), Entry.user_id == USER)
STANDING = select(*_standing())
VIEWER = _viewer_statement()
PARTICIPANTS = select(_score_sum())


def _run(statement, params: dict):
    """Execute a prepared statement on the session's connection (Core rows, no ORM bookkeeping)."""
    return db.session.connection().execute(statement, params)


def top_rows(competition: Competition, limit: int) -> list[BoardRow]:
    return [_board_row(row, row.rank) for row in _run(TOP, {"competition_id": competition.id, "limit": limit})]


def participant_count(competition_id: int) -> int:
    return _run(PARTICIPANTS, {"competition_id": competition_id}).scalar_one()


def _result(competition_id: int, row) -> dict:
    return {"competition_id": competition_id, "score": row.best_score, "time_used_s": row.time_used_s,
            "submitted_at": row.submitted_at, "user_id": row.user_id}


def _board_key(row) -> tuple:
    return (-row.best_score, row.time_used_s, row.submitted_at, row.user_id)


def individual_board(competition: Competition, *, user: User | None = None, top: int = 50,
                     neighbours: int = 2) -> IndividualBoard:
    """The top rows, and the user's rank with his or her neighbours: three statements at any size."""
    rows = top_rows(competition, top)
    return _with_user(competition, rows, user, neighbours)


def boards(competition: Competition, *, user: User | None = None, top: int = 50,
           neighbours: int = 2) -> tuple[IndividualBoard, list[BranchRow]]:
    """Both boards as a viewer sees them."""
    return individual_board(competition, user=user, top=top, neighbours=neighbours), branch_board(competition)


def _with_user(competition: Competition, rows: list[BoardRow], user: User | None, neighbours: int) -> IndividualBoard:
    entry = None if user is None else _run(ENTRY, {"competition_id": competition.id, "user_id": user.id}).first()
    if entry is None:
        return IndividualBoard(top=rows, me=None, around=[], participants=participant_count(competition.id))
    found = _run(VIEWER, {**_result(competition.id, entry), "limit": neighbours, "above": neighbours + 1}).all()
    mine = next(row for row in found if row.walk == 4)
    above = sorted((row for row in found if row.walk < 2), key=_board_key)
    below = sorted((row for row in found if row.walk in (2, 3)), key=_board_key)[:neighbours]
    shown_above = above[len(above) - neighbours:] if neighbours else []
    window = [*shown_above, mine, *below]
    position = 1 + mine.higher + mine.ahead + mine.equal_before - len(shown_above)  # of the window's first row
    rank = position
    if len(above) > len(shown_above) and _tie_key(above[-len(shown_above) - 1]) == _tie_key(window[0]):
        higher, ahead, _, _ = _run(STANDING, _result(competition.id, window[0])).one()  # a tie from above the window
        rank = 1 + higher + ahead
    ranked = _ranked_window(window, rank, position)
    return IndividualBoard(top=rows, me=ranked[len(shown_above)], around=ranked, participants=mine.participants)


def _tie_key(row) -> tuple:
    return (row.best_score, row.time_used_s, row.submitted_at)


def _ranked_window(rows: list, rank: int, position: int) -> list[BoardRow]:
    """Ranks for a run of consecutive board rows from the rank and position of the first one."""
    ranked, previous = [], None
    for offset, row in enumerate(rows):
        if previous is not None and _tie_key(row) != previous:
            rank = position + offset
        ranked.append(_board_row(row, rank))
        previous = _tie_key(row)
    return ranked


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


Stat = CompetitionGroupStat
BRANCHES = (select(Stat.group_id, StudyGroup.name, Stat.participants, Stat.score_sum, Stat.members_in_scope)
            .join(StudyGroup, StudyGroup.id == Stat.group_id)
            .where(Stat.competition_id == COMPETITION, or_(Stat.members_in_scope > 0, Stat.participants > 0)))


def branch_board(competition: Competition) -> list[BranchRow]:
    scored = []
    for group_id, name, participants, score_sum, members_in_scope in _run(BRANCHES, {"competition_id": competition.id}):
        members = max(members_in_scope, participants)
        average = score_sum / participants if participants else 0.0
        rate = participants / members if members else 0.0
        key, index = _branch_index(competition.branch_index, average, rate, participants)
        scored.append((key, BranchRow(0, group_id, name, participants, members, average, rate, index)))
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


def period_points(period: str, today: date):
    """(user_id, points) of every member with points in the period: a week's or a month's StudyStat row,
    or the MemberTotal. These summaries hold exactly the ledger's sums (progress.py keeps them as points
    are awarded, rebuild-stats recomputes them from the ledger), one row per member, so a board does not
    add up a ledger that grows every day."""
    if period == "all":
        return select(MemberTotal.user_id, MemberTotal.points)
    return select(StudyStat.user_id, StudyStat.points).where(
        *period_filter(StudyStat, named_period(f"this_{period}", today)))


def points_board(*, period: str, today: date, group_ids: list[int] | None = None, user: User | None = None,
                 top: int = 50) -> tuple[list[PointsRow], PointsRow | None]:
    """(top rows, the user's row or None) of points earned in the period, among members of group_ids
    (None: the whole organisation)."""
    totals = period_points(period, today).subquery()
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

"""Competitions: state, scope, entering, the freeze at the end, publishing results.

A competition is a configuration of the quiz engine: entering starts an ordinary attempt in mode
"competition" whose deadline is the competition's end, and the engine's finalise_attempt calls
record_attempt in its own transaction. The pieces live in three modules, all reachable from here:
competition_settings (create and edit, with every check), competition_entries (record_attempt, the
summaries and the rebuild) and this one.

The engine's modules import this one, so they are imported inside the functions that need them.
"""
from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import and_, exists, or_, select, update

from quizapp.extensions import db
from quizapp.models import Attempt, Competition, CompetitionEntry, CompetitionScope, User
from quizapp.services import ServiceError, audit
from quizapp.services.clock import local_day, local_text
from quizapp.services.competitions import awards, leaderboard
from quizapp.services.competitions.awards import PointsPolicy

# The public API of competitions in one place (views, CLI, the engine):
from quizapp.services.competitions.entries import (  # noqa: F401
    COMPETITION_BY_ID,
    PLACE_REASON,
    count_members,
    insert_entry_if_missing,
    locked_entry,
    rebuild_entries,
    record_attempt,
    refresh_group_stats,
)
from quizapp.services.competitions.settings import CompetitionData, CompetitionError, save_competition  # noqa: F401
from quizapp.services.progress import points, summaries
from quizapp.services.quizzes.engine import finalise_attempt, start_attempt
from quizapp.services.quizzes.papers import PaperRule


def announce(competition: Competition, *, now: datetime, acting_user_id: int | None = None) -> None:
    """Publish a draft so that members in scope see it."""
    if competition.announced_at is None:
        competition.announced_at = now
        audit.record(acting_user_id, "competition.announce", audit.target("competition", competition.id),
                     {"title": competition.title}, now)
        db.session.commit()


def set_board_hidden(competition: Competition, hidden: bool, *, now: datetime, acting_user_id: int | None = None) -> None:
    competition.board_hidden = hidden
    audit.record(acting_user_id, "competition.board", audit.target("competition", competition.id),
                 {"title": competition.title, "hidden": hidden}, now)
    db.session.commit()


def find(competition_id: int, *, now: datetime) -> Competition | None:
    """The competition as it stands at `now`, or None. One that has ended is frozen first if the
    freeze-competitions job has not got to it yet (see freeze), so that every reader sees final results."""
    competition = db.session.scalars(COMPETITION_BY_ID, {"competition_id": competition_id}).first()
    if competition is not None:
        freeze(competition, now=now)
    return competition


def can_manage(user: User, competition: Competition) -> bool:
    return user.is_admin or (user.is_secretary and competition.created_by_id == user.id)


# --- scope ------------------------------------------------------------------------------------

def lineage_ids(user: User) -> list[int]:
    """The user's group and every group above it."""
    if user.group is None:
        return []
    return [user.group.id, *(group.id for group in user.group.ancestors())]


def _in_scope_clause(user: User):
    chosen = exists().where(CompetitionScope.competition_id == Competition.id,
                            CompetitionScope.group_id.in_(lineage_ids(user)))
    return or_(Competition.whole_organisation, chosen)


def in_scope(user: User, competition: Competition) -> bool:
    if user.group_id is None:
        return False
    if competition.whole_organisation:
        return True
    return bool(set(lineage_ids(user)) & {group.id for group in competition.scope_groups})


def visible_competitions(user: User, now: datetime) -> dict[str, list[Competition]]:
    """Announced competitions in the user's scope, by state: open, scheduled, ended (incl. published)."""
    found = {"open": [], "scheduled": [], "ended": []}
    if user.group_id is None:
        return found
    query = (select(Competition).where(Competition.announced_at.is_not(None), _in_scope_clause(user))
             .order_by(Competition.starts_at.desc()))
    for competition in db.session.scalars(query):
        state = competition.state(now)
        found["ended" if state == "published" else state].append(competition)
    return found


def upcoming_and_open(user: User, now: datetime) -> list[Competition]:
    """For the home page: announced, in scope, not yet ended; open ones first."""
    if user.group_id is None:
        return []
    query = (select(Competition).where(Competition.announced_at.is_not(None), Competition.ends_at > now,
                                       Competition.results_published_at.is_(None), _in_scope_clause(user))
             .order_by(Competition.starts_at))
    return sorted(db.session.scalars(query), key=lambda c: c.state(now) != "open")


def managed_competitions(user: User) -> list[Competition]:
    query = select(Competition).order_by(Competition.starts_at.desc())
    if not user.is_admin:
        query = query.where(Competition.created_by_id == user.id)
    return list(db.session.scalars(query))


# --- taking part ----------------------------------------------------------------------------

def entry_of(user: User, competition: Competition) -> CompetitionEntry | None:
    return db.session.scalar(select(CompetitionEntry).where(CompetitionEntry.competition_id == competition.id,
                                                            CompetitionEntry.user_id == user.id))


def open_attempt(user: User, competition: Competition) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.user_id == user.id, Attempt.competition_id == competition.id,
                                                   Attempt.status == "open"))


def check_can_enter(user: User, competition: Competition, now: datetime) -> None:
    state = competition.state(now)
    if state in ("draft", "scheduled"):
        raise CompetitionError(f"竞赛尚未开始，开始时间：{_local(competition.starts_at)}")
    if state != "open":
        raise CompetitionError(f"竞赛已于 {_local(competition.ends_at)} 结束，不能再参加")
    if not in_scope(user, competition):
        raise CompetitionError("您不在本竞赛的参赛范围内")


def enter(user: User, competition: Competition, *, now: datetime, rng: random.Random) -> Attempt:
    """Start an attempt (or return the one still open); refused outside the window, scope or limit."""

    check_can_enter(user, competition, now)
    insert_entry_if_missing(competition.id, user.id, user.group_id)
    entry = locked_entry(competition.id, user.id)  # serialises two enters of one member
    current = open_attempt(user, competition)
    if current is not None:
        db.session.commit()
        return current
    if entry.attempts_used >= competition.attempts_allowed:
        db.session.rollback()
        raise CompetitionError(f"本竞赛每人可参加 {competition.attempts_allowed} 次，您已全部用完")
    entry.attempts_used += 1
    if user.group_id is not None:
        count_members(competition.id, user.group_id)
    try:
        attempt = start_attempt(user, "competition", PaperRule.from_dict(competition.rule), now=now, rng=rng,
                                competition_id=competition.id, question_ids=competition.question_ids,
                                deadline=competition.ends_at)
    except ServiceError:
        db.session.rollback()
        raise
    db.session.commit()
    return attempt


def _local(moment: datetime) -> str:
    return local_text(moment)


# --- the end --------------------------------------------------------------------------------

def freeze(competition: Competition, *, now: datetime) -> int:
    """After the end: finalise the attempts still open (the engine scores them at their deadline)."""

    if now < competition.ends_at:
        return 0
    still_open = db.session.scalars(select(Attempt).where(Attempt.competition_id == competition.id,
                                                          Attempt.status == "open")).all()
    if not still_open and competition.frozen_at is not None:
        return 0  # the usual case for a page of an ended competition: nothing to write
    for attempt in still_open:
        finalise_attempt(attempt, now=now)
    refresh_group_stats(competition)
    db.session.execute(update(Competition).where(Competition.id == competition.id, Competition.frozen_at.is_(None))
                       .values(frozen_at=now))  # a job on another host may have stamped it first
    db.session.commit()
    return len(still_open)


def freeze_ended(*, now: datetime) -> int:
    """Freeze every ended competition that still has open attempts (for a periodic job)."""
    pending = select(Competition).where(Competition.ends_at <= now, exists().where(
        and_(Attempt.competition_id == Competition.id, Attempt.status == "open")))
    return sum(freeze(competition, now=now) for competition in db.session.scalars(pending).all())


def publish_results(competition: Competition, *, now: datetime, policy: PointsPolicy | None = None,
                    acting_user_id: int | None = None) -> int:
    """Publish the results once ended: reveal the board and award the placing points (within the
    policy of services.competitions.awards); returns the members placed."""
    if now < competition.ends_at:
        raise CompetitionError("竞赛结束后才能公布成绩")
    freeze(competition, now=now)
    claimed = db.session.execute(update(Competition).where(Competition.id == competition.id,
                                                           Competition.results_published_at.is_(None))
                                 .values(results_published_at=now, board_hidden=False)).rowcount
    if not claimed:
        db.session.rollback()
        raise CompetitionError("成绩已经公布过了")
    participants = leaderboard.participant_count(competition.id)
    places = awards.place_points(competition, participants, policy or awards.DEFAULT_POLICY)
    winners, day = leaderboard.placed_entries(competition, len(places)), local_day(now)
    for rank, entry in winners:
        granted = points.award(entry.user_id, day, places[rank - 1], PLACE_REASON, entry.best_attempt_id)
        summaries.record_points(entry.user_id, day, granted)  # 我的学习 counts them at once
    audit.record(acting_user_id, "competition.publish", audit.target("competition", competition.id),
                 {"title": competition.title, "participants": participants, "places_awarded": len(winners),
                  "place_points": places}, now)
    db.session.commit()
    db.session.refresh(competition)
    return len(winners)


def participant_count(competition: Competition) -> int:
    """Participants with a finished attempt (from the score counts, not a walk over the entries)."""
    return leaderboard.participant_count(competition.id)


def attempts_of(user: User, competition: Competition) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(Attempt.user_id == user.id,
                                                         Attempt.competition_id == competition.id)
                                   .order_by(Attempt.started_at)))


def entries_by_competition(user: User, competition_ids: list[int]) -> dict[int, CompetitionEntry]:
    query = select(CompetitionEntry).where(CompetitionEntry.user_id == user.id,
                                           CompetitionEntry.competition_id.in_(competition_ids))
    return {entry.competition_id: entry for entry in db.session.scalars(query)}


def board_hidden_for(user: User | None, competition: Competition) -> bool:
    """A hidden board is hidden from everyone but its organisers (user None: a public screen)."""
    return competition.board_hidden and (user is None or not can_manage(user, competition))


def results_visible_to(user: User, competition: Competition, now: datetime) -> bool:
    """Organisers see results once the competition has ended; participants once they are published."""
    if can_manage(user, competition):
        return now >= competition.ends_at
    return competition.results_published_at is not None

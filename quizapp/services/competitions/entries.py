"""The rows boards read: entries, group stats, score counts and question stats of competitions.

record_attempt runs inside the engine's finalise transaction (no commit here). Every shared row is
changed by an atomic upsert (INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n), and rows are
touched in one fixed order (entry, the member's points, group stat, score counts by score, question
stats by id, the competition's board version), so concurrent finalisations neither lose an update
nor deadlock one another. The rows that many participants share come last, the competition's own
row (every better result bumps it) at the very end: PostgreSQL holds each lock until the commit, and
another participant's finalise waits for it only that long.
"""
from __future__ import annotations

from sqlalchemy import bindparam, case, delete, func, select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptAnswer,
    Competition,
    CompetitionEntry,
    CompetitionGroupStat,
    CompetitionQuestionStat,
    CompetitionScoreCount,
    StudyGroup,
    User,
)
from quizapp.services.clock import local_day
from quizapp.services.progress import points, summaries
from quizapp.services.upserts import upsert

# The ledger's reason codes (points.REASONS) for a competition's own points: taking part (once per
# competition, on the first finished attempt) and placing (when results are published).
PARTICIPATION_REASON = "competition_entry"
PLACE_REASON = "competition_place"


# Statements of every finalise (and, for the competition, of every board poll), built once.
COMPETITION_BY_ID = select(Competition).where(Competition.id == bindparam("competition_id"))
LOCKED_ENTRY = (select(CompetitionEntry).where(CompetitionEntry.competition_id == bindparam("competition_id"),
                                               CompetitionEntry.user_id == bindparam("user_id"))
                .with_for_update().execution_options(populate_existing=True))


def insert_entry_if_missing(competition_id: int, user_id: int, group_id: int | None) -> None:
    upsert(CompetitionEntry, [{"competition_id": competition_id, "user_id": user_id, "group_id": group_id,
                               "attempts_used": 0, "attempts_finished": 0}], keys=("competition_id", "user_id"))


def locked_entry(competition_id: int, user_id: int) -> CompetitionEntry:
    """The entry, locked for this transaction (a row lock on PostgreSQL; SQLite locks the database)."""
    return db.session.scalars(LOCKED_ENTRY, {"competition_id": competition_id, "user_id": user_id}).one_or_none()


def attempt_key(score: float, time_used_s: int, submitted_at) -> tuple:
    """Smaller is better: higher score, then less time, then the earlier submission."""
    return (-score, time_used_s, submitted_at)


def record_attempt(attempt: Attempt) -> None:
    """Update the entry, the group and score summaries and the question stats for a finished attempt."""
    competition = db.session.scalars(COMPETITION_BY_ID, {"competition_id": attempt.competition_id}).first()
    if competition is None or attempt.status != "finished":
        return
    entry = locked_entry(competition.id, attempt.user_id)
    if entry is None:  # an attempt that did not come through enter(), e.g. one loaded by hand
        insert_entry_if_missing(competition.id, attempt.user_id, attempt.user.group_id)
        entry = locked_entry(competition.id, attempt.user_id)
    first, old_score = entry.submitted_at is None, entry.best_score
    entry.attempts_finished += 1
    entry.attempts_used = max(entry.attempts_used, entry.attempts_finished)
    improved = first or (attempt_key(attempt.score, attempt.time_used_s, attempt.finished_at)
                         < attempt_key(entry.best_score, entry.time_used_s, entry.submitted_at))
    if improved:
        _take_best(entry, attempt)
    db.session.flush()
    if first and competition.participation_points:
        _award_participation(attempt, competition.participation_points)
    if improved and entry.group_id is not None:
        _add_to_group(competition.id, entry.group_id, int(first), entry.best_score - (old_score or 0.0))
    if improved and (first or old_score != entry.best_score):
        _move_score(competition.id, None if first else old_score, entry.best_score)
    _count_answers(competition.id, attempt)


def _award_participation(attempt: Attempt, amount: int) -> None:
    """The points for taking part, in the ledger and (like the placing points) in the member's
    summaries, which the engine has already written for this attempt."""
    day = local_day(attempt.finished_at)
    granted = points.award(attempt.user_id, day, amount, PARTICIPATION_REASON, attempt.id,
                           member_locked=True)  # finalise holds the lock
    summaries.record_points(attempt.user_id, day, granted)


def _take_best(entry: CompetitionEntry, attempt: Attempt) -> None:
    entry.best_attempt_id = attempt.id
    entry.best_score, entry.max_score = attempt.score, attempt.max_score
    entry.time_used_s, entry.submitted_at = attempt.time_used_s, attempt.finished_at


def members_in_groups(group_ids) -> dict[int, int]:
    """Active members (admins aside) of each group."""
    query = (select(User.group_id, func.count()).where(User.group_id.in_(group_ids), User.active,
                                                         User.role != "admin").group_by(User.group_id))
    return dict(db.session.execute(query).all())


def _add_to_group(competition_id: int, group_id: int, participants: int, score: float) -> None:
    """Participation only; the members in scope are counted by refresh_group_stats and count_members."""
    upsert(CompetitionGroupStat, [{"competition_id": competition_id, "group_id": group_id, "participants": participants,
                                   "score_sum": score, "members_in_scope": 0}],
           keys=("competition_id", "group_id"), add=("participants", "score_sum"))


def count_members(competition_id: int, group_id: int) -> None:
    """Recount one group's members in scope (when one of them enters; no commit)."""
    members = members_in_groups([group_id]).get(group_id, 0)
    upsert(CompetitionGroupStat, [{"competition_id": competition_id, "group_id": group_id, "participants": 0,
                                   "score_sum": 0.0, "members_in_scope": members}],
           keys=("competition_id", "group_id"), assign=("members_in_scope",))


def _move_score(competition_id: int, old: float | None, new: float) -> None:
    """One participant's best score moves from `old` (None: a first result) to `new`, in one upsert."""
    rows = sorted([(new, 1)] + ([(old, -1)] if old is not None else []))
    upsert(CompetitionScoreCount, [{"competition_id": competition_id, "score": score, "entries": delta}
                                   for score, delta in rows], keys=("competition_id", "score"), add=("entries",))


def _count_answers(competition_id: int, attempt: Attempt) -> None:
    rows = [{"competition_id": competition_id, "question_id": answer.question_id, "answered": 1,
             "correct": int(bool(answer.is_correct))}
            for answer in sorted(attempt.answers, key=lambda answer: answer.question_id)]
    upsert(CompetitionQuestionStat, rows, keys=("competition_id", "question_id"), add=("answered", "correct"))


def scope_group_ids(competition: Competition) -> list[int]:
    """Every group in scope: all groups, or the chosen ones and every group below them."""
    if competition.whole_organisation:
        return list(db.session.scalars(select(StudyGroup.id)))
    return sorted({group_id for group in competition.scope_groups for group_id in group.subtree_ids()})


def refresh_group_stats(competition: Competition) -> None:
    """Recount the members in scope of every group (no commit); participation is left as it is.
    Run when a competition is saved, at the freeze and by the rebuild; during the competition a
    group is recounted when one of its members enters (count_members)."""
    members = members_in_groups(scope_group_ids(competition))
    known = select(CompetitionGroupStat.group_id).where(CompetitionGroupStat.competition_id == competition.id)
    rows = [{"competition_id": competition.id, "group_id": group_id, "participants": 0, "score_sum": 0.0,
             "members_in_scope": members.get(group_id, 0)}
            for group_id in sorted(set(members) | set(db.session.scalars(known)))]
    upsert(CompetitionGroupStat, rows, keys=("competition_id", "group_id"), assign=("members_in_scope",))


# --- rebuild --------------------------------------------------------------------------------

def rebuild_entries(competition: Competition) -> int:
    """Recompute entries and every summary of a competition from its attempts; returns the entries."""
    entries = rebuild_rows(competition)
    db.session.commit()
    return entries


def rebuild_rows(competition: Competition) -> int:
    """rebuild_entries in the caller's transaction (a regrade rebuilds the competitions it touches)."""
    for model in (CompetitionGroupStat, CompetitionScoreCount, CompetitionQuestionStat):
        db.session.execute(delete(model).where(model.competition_id == competition.id))
    entries = _rebuild_entry_rows(competition)
    _rebuild_group_stats(competition)
    _rebuild_score_counts(competition)
    _rebuild_question_stats(competition)
    return entries


def _rebuild_entry_rows(competition: Competition) -> int:
    attempts = db.session.scalars(select(Attempt).where(Attempt.competition_id == competition.id)
                                  .order_by(Attempt.user_id, Attempt.id)).all()
    by_user: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_user.setdefault(attempt.user_id, []).append(attempt)
    entries = {entry.user_id: entry for entry in db.session.scalars(
        select(CompetitionEntry).where(CompetitionEntry.competition_id == competition.id))}
    for user_id in set(by_user) | set(entries):
        entry = entries.get(user_id) or _new_entry(competition, user_id)
        _reset_entry(entry, by_user.get(user_id, []))
    db.session.flush()
    return len(set(by_user) | set(entries))


def _new_entry(competition: Competition, user_id: int) -> CompetitionEntry:
    entry = CompetitionEntry(competition_id=competition.id, user_id=user_id,
                             group_id=db.session.get(User, user_id).group_id)
    db.session.add(entry)
    return entry


def _reset_entry(entry: CompetitionEntry, attempts: list[Attempt]) -> None:
    finished = [attempt for attempt in attempts if attempt.status == "finished"]
    entry.attempts_used, entry.attempts_finished = len(attempts), len(finished)
    entry.best_attempt_id = entry.best_score = entry.max_score = entry.time_used_s = entry.submitted_at = None
    if finished:
        _take_best(entry, min(finished, key=lambda a: attempt_key(a.score, a.time_used_s, a.finished_at)))


def _rebuild_group_stats(competition: Competition) -> None:
    query = (select(CompetitionEntry.group_id, func.count(), func.sum(CompetitionEntry.best_score))
             .where(CompetitionEntry.competition_id == competition.id, CompetitionEntry.submitted_at.is_not(None),
                    CompetitionEntry.group_id.is_not(None))
             .group_by(CompetitionEntry.group_id))
    rows = [{"competition_id": competition.id, "group_id": group_id, "participants": count, "score_sum": total,
             "members_in_scope": 0} for group_id, count, total in db.session.execute(query)]
    upsert(CompetitionGroupStat, rows, keys=("competition_id", "group_id"))
    refresh_group_stats(competition)


def _rebuild_score_counts(competition: Competition) -> None:
    query = (select(CompetitionEntry.best_score, func.count())
             .where(CompetitionEntry.competition_id == competition.id, CompetitionEntry.submitted_at.is_not(None))
             .group_by(CompetitionEntry.best_score))
    rows = [{"competition_id": competition.id, "score": score, "entries": count}
            for score, count in db.session.execute(query)]
    upsert(CompetitionScoreCount, rows, keys=("competition_id", "score"))


def _rebuild_question_stats(competition: Competition) -> None:
    query = (select(AttemptAnswer.question_id, func.count(),
                    func.sum(case((AttemptAnswer.is_correct.is_(True), 1), else_=0)))
             .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
             .where(Attempt.competition_id == competition.id, Attempt.status == "finished")
             .group_by(AttemptAnswer.question_id).order_by(AttemptAnswer.question_id))
    rows = [{"competition_id": competition.id, "question_id": question_id, "answered": count, "correct": correct}
            for question_id, count, correct in db.session.execute(query)]
    upsert(CompetitionQuestionStat, rows, keys=("competition_id", "question_id"))

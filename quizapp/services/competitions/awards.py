"""知识竞赛 points under control (issue 17, item 7).

- What an organiser below admin (a branch secretary) may set is capped: participation points and each
  place's points (PointsPolicy, from the configuration). The cap is checked when the competition is
  saved and applied again at publication, by who created it, so a changed setting or role cannot
  slip past it.
- No place points at all unless the competition had at least `min_entrants_for_places` participants
  with a finished attempt: winning alone is no win.
- An admin sees every competition award (awarded) and can revoke one (revoke): a negative ledger row
  naming the entry it cancels (unique, so an award is revoked once), on the award's own day and
  attempt, and the same amount taken off the summaries, so `rebuild-stats` still equals the
  incremental rows. Each revocation goes into the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp import config as config_module
from quizapp.extensions import db
from quizapp.models import Attempt, Competition, PointsEntry, User
from quizapp.services import ServiceError, audit
from quizapp.services.progress import summaries

PARTICIPATION_REASON = "competition_entry"
PLACE_REASON = "competition_place"
REVOKED_REASON = "competition_revoked"
AWARD_REASONS = (PARTICIPATION_REASON, PLACE_REASON)


class PointsRevokeError(ServiceError):
    pass


@dataclass(frozen=True)
class PointsPolicy:
    organiser_max_participation: int
    organiser_max_place: int
    min_entrants_for_places: int

    @classmethod
    def from_config(cls, config: Mapping) -> PointsPolicy:
        return cls(config["COMPETITION_ORGANISER_MAX_PARTICIPATION_POINTS"],
                   config["COMPETITION_ORGANISER_MAX_PLACE_POINTS"],
                   config["COMPETITION_MIN_ENTRANTS_FOR_PLACE_POINTS"])


DEFAULT_POLICY = PointsPolicy.from_config(config_module.DEFAULTS)


def check_organiser_points(participation: int, places: list[int], organiser: User, policy: PointsPolicy) -> list[str]:
    """The problems with the points an organiser sets (none for an admin)."""
    if organiser.is_admin:
        return []
    problems = []
    if participation > policy.organiser_max_participation:
        problems.append(f"支部书记组织的竞赛，参与积分最多 {policy.organiser_max_participation} 分")
    if any(points > policy.organiser_max_place for points in places):
        problems.append(f"支部书记组织的竞赛，每个名次的积分最多 {policy.organiser_max_place} 分")
    return problems


def place_points(competition: Competition, participants: int, policy: PointsPolicy) -> list[int]:
    """The points of places 1, 2, ... to award at publication: none below the entrants needed, and
    each within the organiser's cap unless an admin created the competition."""
    if participants < policy.min_entrants_for_places:
        return []
    creator = db.session.get(User, competition.created_by_id)
    if creator is not None and creator.is_admin:
        return list(competition.placing_points)
    return [min(points, policy.organiser_max_place) for points in competition.placing_points]


# --- the admin's list and revocation ---------------------------------------------------------

@dataclass
class Award:
    entry: PointsEntry
    member: User
    competition: Competition | None
    revoked: bool


def awarded(competition_id: int | None = None):
    """A select of the competition awards (ledger entries), newest first; as_awards() adds the rest."""
    query = (select(PointsEntry).where(PointsEntry.reason.in_(AWARD_REASONS))
             .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()))
    if competition_id is not None:
        query = query.where(PointsEntry.attempt_id.in_(select(Attempt.id).where(Attempt.competition_id == competition_id)))
    return query


def as_awards(entries: list[PointsEntry]) -> list[Award]:
    """The entries with their member, competition and whether revoked (three queries for a page)."""
    members = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_({entry.user_id for entry in entries})))}
    competitions = dict(db.session.execute(
        select(Attempt.id, Competition).join(Competition, Competition.id == Attempt.competition_id)
        .where(Attempt.id.in_({entry.attempt_id for entry in entries if entry.attempt_id}))).all())
    revoked = set(db.session.scalars(select(PointsEntry.revokes_id).where(
        PointsEntry.revokes_id.in_([entry.id for entry in entries]))))
    return [Award(entry, members[entry.user_id], competitions.get(entry.attempt_id), entry.id in revoked)
            for entry in entries]


def revoke(entry_id: int, *, acting_user: User, now: datetime, note: str = "") -> PointsEntry:
    """Cancel one competition award (admins only); commits."""
    if not acting_user.is_admin:
        raise PointsRevokeError("只有管理员可以撤销竞赛积分")
    entry = db.session.get(PointsEntry, entry_id)
    if entry is None or entry.reason not in AWARD_REASONS:
        raise PointsRevokeError("这条记录不是知识竞赛积分，不能撤销")
    revocation = PointsEntry(user_id=entry.user_id, day=entry.day, amount=-entry.amount, reason=REVOKED_REASON,
                             attempt_id=entry.attempt_id, revokes_id=entry.id, created_at=now)
    db.session.add(revocation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise PointsRevokeError("这笔积分已经撤销过了") from None
    summaries.record_points(entry.user_id, entry.day, -entry.amount)
    audit.record(acting_user.id, "points.revoke", audit.target("points_entry", entry.id),
                 {"member_id": entry.user_id, "amount": entry.amount, "reason": entry.reason,
                  "day": entry.day.isoformat(), "note": note[:200]}, now)
    db.session.commit()
    return revocation

"""学习积分: a ledger of PointsEntry rows, one per award with its reason; totals are sums of it.

Reason codes and their rules (day = the member's local study day, services.clock):

| reason      | earned by                                   | amount                         | cap per day |
|-------------|---------------------------------------------|--------------------------------|-------------|
| daily_quiz  | finishing the 每日答题                       | 1 per correct answer           | 5, once a day (the first finished daily quiz counts) |
| practice    | finishing a 专项练习                         | 1 per correct answer           | 5           |
| exam        | finishing a 模拟考试                         | 1 per tenth of the full score  | 10          |
| review      | finishing a 错题重练                         | 1 per correct answer           | 3           |
| competition_entry | taking part in a 知识竞赛 (first finished attempt) | set by the organiser | 100 |
| competition_place | a place when the results are published      | set by the organiser           | 1000        |
| competition_revoked | an admin revoking one of the two above      | minus the revoked award        | —           |

知识竞赛 attempts earn no engine points: the competition awards its own two reasons
(services.competitions.entries); their caps only guard against misconfiguration. What an organiser
below admin may set, and the entrants a competition needs for place points, are services.competitions.awards'.

award() runs in the caller's transaction (finalise_attempt's) under a lock on the member's row, so two
attempts finalised at the same instant cannot both fill the same cap: it takes the lock itself unless
the caller holds it already (finalise does, from its start).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select

from quizapp.extensions import db
from quizapp.models import Attempt, PointsEntry, User
from quizapp.services.quizzes.papers import QuizError


@dataclass(frozen=True)
class Reason:
    label: str
    daily_cap: int
    once_per_day: bool = False


REASONS = {
    "daily_quiz": Reason("每日答题", 5, once_per_day=True),
    "practice": Reason("专项练习", 5),
    "exam": Reason("模拟考试", 10),
    "review": Reason("错题重练", 3),
    "competition_entry": Reason("知识竞赛参与", 100),
    "competition_place": Reason("知识竞赛名次", 1000),
    # Never awarded: the negative row of an admin's revocation (services.competitions.awards).
    "competition_revoked": Reason("撤销知识竞赛积分", 0),
    # Corrections written by a regrade (services.quality.regrades); caps are applied when they are computed.
    "regrade": Reason("题目更正后重新评分", 0),
    "place_regrade": Reason("题目更正后竞赛名次调整", 0),
}
MODE_REASONS = {"daily": "daily_quiz", "practice": "practice", "exam": "exam", "review": "review"}


# Statements that every finalise runs, built once (their cache keys are then memoised).
LOCK_MEMBER = select(User.id).where(User.id == bindparam("user_id")).with_for_update()
_OF_DAY = (PointsEntry.user_id == bindparam("user_id"), PointsEntry.day == bindparam("day"))
EARNED_ON = select(func.coalesce(func.sum(PointsEntry.amount), 0)).where(*_OF_DAY)
EARNED_FOR = (select(func.coalesce(func.sum(PointsEntry.amount), 0), func.count())  # points and entries
              .where(*_OF_DAY, PointsEntry.reason == bindparam("reason")))


def lock_member(user_id: int) -> None:
    """Row lock on the member (PostgreSQL); SQLite already serialises writers with BEGIN IMMEDIATE."""
    db.session.execute(LOCK_MEMBER, {"user_id": user_id})


def earned_on(user_id: int, day: date, reason: str | None = None) -> int:
    if reason is None:
        return db.session.scalar(EARNED_ON, {"user_id": user_id, "day": day})
    return _earned_for(user_id, day, reason)[0]


def _earned_for(user_id: int, day: date, reason: str) -> tuple[int, int]:
    """(points, entries) of the member's day under one reason."""
    return tuple(db.session.execute(EARNED_FOR, {"user_id": user_id, "day": day, "reason": reason}).one())


def award(user_id: int, day: date, amount: int, reason: str, attempt_id: int | None = None, *,
          member_locked: bool = False) -> int:
    """Write what is left of `amount` under the reason's daily cap; return the points granted.
    member_locked: the caller holds lock_member(user_id) in this transaction already."""
    rule = REASONS.get(reason)
    if rule is None:
        raise QuizError(f"积分原因「{reason}」不存在")
    if amount <= 0:
        return 0
    if not member_locked:
        lock_member(user_id)
    earned, entries = _earned_for(user_id, day, reason)
    if rule.once_per_day and entries:
        return 0
    granted = min(amount, rule.daily_cap - earned)
    if granted <= 0:
        return 0
    db.session.add(PointsEntry(user_id=user_id, day=day, amount=granted, reason=reason, attempt_id=attempt_id))
    db.session.flush()
    return granted


def award_for_attempt(attempt: Attempt) -> int:
    """The points a just-finalised attempt earns (table above); finalise holds the member's lock."""
    reason = MODE_REASONS.get(attempt.mode)
    if reason is None:
        return 0
    amount = points_for(attempt.mode, attempt.score, attempt.max_score, attempt.correct_count)
    return award(attempt.user_id, attempt.study_day, amount, reason, attempt_id=attempt.id, member_locked=True)


def points_for(mode: str, score: float, max_score: float, correct_count: int) -> int:
    """What an attempt earns before the daily cap (the table above)."""
    if MODE_REASONS.get(mode) == "exam":
        return int(score * 10 // max_score) if max_score else 0
    return correct_count


def ledger(user_id: int, limit: int = 50) -> list[PointsEntry]:
    query = (select(PointsEntry).where(PointsEntry.user_id == user_id)
             .order_by(PointsEntry.day.desc(), PointsEntry.id.desc()).limit(limit))
    return list(db.session.scalars(query))

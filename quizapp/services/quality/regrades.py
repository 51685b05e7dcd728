"""Regrading the past answers to a question version after its key was fixed.

The admin chooses (a) "none": past results stand; (b) "credit": every answer to the old version
gets full points; (c) "rekey": answers are scored against the new version's key and re-pinned to it
(the result page then shows the new key and 解析 beside what was answered); the answers of papers
still open are re-pinned too, so that they are scored against the new key when handed in. The preview is the same
plan the regrade applies, computed without writing: attempts, members, competitions and points.

Applying writes, in one transaction: the answers and attempt scores; points ledger corrections
(reason "regrade": each affected day's awards replayed in finishing order under the reason's cap,
so a day's cap still holds); the wrong-answer book (a card that only wrong answers now regraded
right put there leaves the book; a newly wrong answer adds or reopens a card); item statistics (the
attempts' contributions taken out and put back); the competitions' entries and summaries, and for
published results the placing points (corrections under "place_regrade"); then the members'
progress summaries are recomputed from the raw rows. A Regrade row records who, when, why, how and
what changed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from fsrs import Card
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import aliased, contains_eager

from quizapp.extensions import db
from quizapp.models import (
    REGRADE_MODES,
    Attempt,
    AttemptAnswer,
    Competition,
    ItemChoiceStat,
    ItemStat,
    PointsEntry,
    QuestionVersion,
    Regrade,
    RegradeCompetition,
    ReviewCard,
    User,
)
from quizapp.services import ServiceError, audit
from quizapp.services.clock import local_day
from quizapp.services.competitions import entries, leaderboard
from quizapp.services.competitions.awards import DEFAULT_POLICY, PointsPolicy, place_points
from quizapp.services.progress import summaries
from quizapp.services.progress.points import MODE_REASONS, REASONS, lock_member, points_for
from quizapp.services.quality import item_stats
from quizapp.services.quizzes import scoring
from quizapp.services.upserts import upsert

REASON_LENGTH = 1000


class RegradeError(ServiceError):
    pass


@dataclass
class RegradePlan:
    old_version: QuestionVersion
    new_version: QuestionVersion
    mode: str
    answers: list[AttemptAnswer] = field(default_factory=list)  # every answer the regrade rewrites
    outcomes: dict[int, scoring.Outcome] = field(default_factory=dict)  # answer id -> new outcome
    scores: dict[int, tuple[float, int]] = field(default_factory=dict)  # changed attempt id -> (score, correct)
    points: dict[int, int] = field(default_factory=dict)  # attempt id -> ledger correction
    attempts: dict[int, Attempt] = field(default_factory=dict)  # attempts whose score changes
    place_points: int = 0  # placing-point corrections of published competitions (known once applied)

    @property
    def member_ids(self) -> set[int]:
        return {attempt.user_id for attempt in self.attempts.values()}

    @property
    def competition_ids(self) -> set[int]:
        return {a.competition_id for a in self.attempts.values() if a.competition_id is not None}

    @property
    def points_total(self) -> int:
        return sum(self.points.values())


def versions_of(question_id: int) -> tuple[QuestionVersion, QuestionVersion]:
    """(the version before the latest, the latest): what a regrade moves from and to."""
    versions = db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question_id)
                                  .order_by(QuestionVersion.number.desc()).limit(2)).all()
    if len(versions) < 2:
        raise RegradeError("这道题只有一个版本：请先修改题目（例如改正答案），再决定是否重新评分。")
    return versions[1], versions[0]


def key_changed(question_id: int) -> bool:
    """Whether the latest edit changed the key (or the type): then past answers may need regrading."""
    try:
        old, new = versions_of(question_id)
    except RegradeError:
        return False
    return (old.type, old.answer) != (new.type, new.answer)


def plan(question_id: int, mode: str) -> RegradePlan:
    """What a regrade of the previous version's answers would change (nothing is written)."""
    if mode not in REGRADE_MODES:
        raise RegradeError("请选择重新评分的方式：不改变、一律给分或按新答案重新评分。")
    old, new = versions_of(question_id)
    result = RegradePlan(old, new, mode)
    if mode == "none":
        return result
    if mode == "rekey" and (old.type != new.type or len(old.options) != len(new.options)):
        raise RegradeError("新版本的题型或选项个数与旧版本不同，不能按新答案评分；可以选择一律给分。")
    answers = db.session.scalars(select(AttemptAnswer).join(AttemptAnswer.attempt)
                                 .options(contains_eager(AttemptAnswer.attempt))  # one query, not one per attempt
                                 .where(AttemptAnswer.question_version_id == old.id, Attempt.status == "finished")
                                 .order_by(AttemptAnswer.id)).all()
    for answer in answers:
        outcome = _outcome(answer, new, mode)
        changed = (outcome.is_correct, outcome.score) != (answer.is_correct is True, answer.score)
        if changed or mode == "rekey":  # rekey re-pins every answer to the new version
            result.answers.append(answer)
            result.outcomes[answer.id] = outcome
        if changed:
            attempt = result.attempts.setdefault(answer.attempt_id, answer.attempt)
            score, correct = result.scores.get(attempt.id, (attempt.score, attempt.correct_count))
            result.scores[attempt.id] = (round(score - answer.score + outcome.score, 2),
                                         correct - (answer.is_correct is True) + outcome.is_correct)
    result.points = _point_corrections(result)
    return result


def _outcome(answer: AttemptAnswer, new: QuestionVersion, mode: str) -> scoring.Outcome:
    if mode == "credit":
        return scoring.Outcome(True, answer.points)
    return scoring.score_answer(new, answer.given, answer.points,
                                multiple_partial=answer.attempt.rule.get("multiple_partial", True))


def _point_corrections(result: RegradePlan) -> dict[int, int]:
    """Replay the awards of every (member, day, reason) the changed attempts belong to, in finishing
    order under the reason's cap, with the new scores; the corrections are target − what was granted."""
    groups = {(a.user_id, a.study_day, MODE_REASONS[a.mode]) for a in result.attempts.values() if a.mode in MODE_REASONS}
    corrections = {}
    for user_id, day, reason in sorted(groups):
        modes = [mode for mode, code in MODE_REASONS.items() if code == reason]
        day_attempts = db.session.scalars(select(Attempt).where(
            Attempt.user_id == user_id, Attempt.study_day == day, Attempt.mode.in_(modes), Attempt.status == "finished")
            .order_by(Attempt.finished_at, Attempt.id)).all()
        granted = dict(db.session.execute(
            select(PointsEntry.attempt_id, func.sum(PointsEntry.amount))
            .where(PointsEntry.attempt_id.in_([a.id for a in day_attempts]),
                   PointsEntry.reason.in_((reason, "regrade"))).group_by(PointsEntry.attempt_id)).all())
        rule, earned, awarded_once = REASONS[reason], 0, False
        for attempt in day_attempts:
            score, correct = result.scores.get(attempt.id, (attempt.score, attempt.correct_count))
            amount = points_for(attempt.mode, score, attempt.max_score, correct)
            target = 0 if amount <= 0 or (rule.once_per_day and awarded_once) else max(0, min(amount, rule.daily_cap - earned))
            earned, awarded_once = earned + target, awarded_once or target > 0
            if target != int(granted.get(attempt.id) or 0):
                corrections[attempt.id] = target - int(granted.get(attempt.id) or 0)
    return corrections


def apply(question_id: int, mode: str, reason: str, *, acting_user: User, now: datetime,
          policy: PointsPolicy = DEFAULT_POLICY) -> Regrade:
    """Regrade as planned, update everything derived from the answers, record it, and commit."""
    reason = (reason or "").strip()
    if not reason:
        raise RegradeError("请写明重新评分的原因（会记录在案）。")
    if len(reason) > REASON_LENGTH:
        raise RegradeError(f"原因最多 {REASON_LENGTH} 字（现在 {len(reason)} 字）。")
    result = plan(question_id, mode)
    for user_id in sorted(result.member_ids):
        lock_member(user_id)
    touched = sorted({answer.attempt_id for answer in result.answers})
    before = _item_rows(touched)
    _write_answers(result)
    if mode == "rekey":
        _repin_open_answers(result)
    _write_points(result, now)
    _review_wrong_book(result, now)
    db.session.flush()
    db.session.expire_all()
    _apply_item_rows(before, _item_rows(touched))
    place_members = _regrade_competitions(result, now, policy)
    members = sorted(result.member_ids | place_members)
    if members:
        summaries.rebuild_members(members)
    regrade = Regrade(question_id=question_id, old_version_id=result.old_version.id,
                      new_version_id=result.new_version.id, mode=mode, reason=reason,
                      attempts_changed=len(result.attempts), members_changed=len(members),
                      points_changed=result.points_total + result.place_points, created_by_id=acting_user.id,
                      created_at=now)
    db.session.add(regrade)
    db.session.flush()
    db.session.add_all(RegradeCompetition(regrade_id=regrade.id, competition_id=c) for c in sorted(result.competition_ids))
    audit.record(acting_user.id, "question.regrade", audit.target("question", question_id),
                 {"regrade": regrade.id, "mode": mode, "reason": reason, "attempts": regrade.attempts_changed,
                  "members": regrade.members_changed, "points": regrade.points_changed}, now)
    db.session.commit()
    return regrade


def _write_answers(result: RegradePlan) -> None:
    table = AttemptAnswer.__table__
    version_id = result.new_version.id if result.mode == "rekey" else result.old_version.id
    for answer in result.answers:
        outcome = result.outcomes[answer.id]
        db.session.execute(update(table).where(table.c.id == answer.id).values(
            is_correct=outcome.is_correct, score=outcome.score, question_version_id=version_id))
    attempts = Attempt.__table__
    for attempt_id, (score, correct) in sorted(result.scores.items()):
        db.session.execute(update(attempts).where(attempts.c.id == attempt_id).values(score=score, correct_count=correct))


def _repin_open_answers(result: RegradePlan) -> None:
    """Answers to the old version in papers not yet handed in move to the new version (same type and
    number of options, so their option order still holds): finalising scores them against the new key."""
    table = AttemptAnswer.__table__
    open_attempts = select(Attempt.id).where(Attempt.status == "open")
    db.session.execute(update(table).where(table.c.question_version_id == result.old_version.id,
                                           table.c.attempt_id.in_(open_attempts))
                       .values(question_version_id=result.new_version.id))


def _write_points(result: RegradePlan, now: datetime) -> None:
    for attempt_id, amount in sorted(result.points.items()):
        attempt = result.attempts.get(attempt_id) or db.session.get(Attempt, attempt_id)
        db.session.add(PointsEntry(user_id=attempt.user_id, day=attempt.study_day, amount=amount, reason="regrade",
                                   attempt_id=attempt_id, created_at=now))


def _review_wrong_book(result: RegradePlan, now: datetime) -> None:
    """Cards follow the regraded answers (attempts whose keys are still hidden never touch the book)."""
    question_id = result.old_version.question_id
    for answer in result.answers:
        outcome, attempt = result.outcomes[answer.id], answer.attempt
        was_wrong = answer.is_answered and answer.is_correct is not True
        now_wrong = answer.is_answered and not outcome.is_correct
        if attempt.reveal_at is not None or was_wrong == now_wrong:
            continue
        card = db.session.scalar(select(ReviewCard).where(ReviewCard.user_id == attempt.user_id,
                                                          ReviewCard.question_id == question_id))
        if now_wrong:
            _reopen(card, attempt.user_id, question_id, now)
        elif card is not None and card.active:
            card.wrong_count = max(0, card.wrong_count - 1)
            if card.wrong_count == 0:  # no wrong answer of the member's put it there any more
                card.active, card.left_at, card.left_reason = False, now, "regraded"


def _reopen(card: ReviewCard | None, user_id: int, question_id: int, now: datetime) -> None:
    if card is None:
        db.session.add(ReviewCard(user_id=user_id, question_id=question_id, card=Card(card_id=question_id, due=now).to_dict(),
                                  due=now, active=True, wrong_count=1, right_streak=0, added_at=now))
        return
    card.wrong_count += 1
    card.right_streak = 0
    if not card.active:
        card.active, card.left_at, card.left_reason, card.due = True, None, None, now


def _item_rows(attempt_ids: list[int]) -> tuple[dict, dict]:
    """The item-statistics contributions of these attempts as they stand."""
    stats, choices = {}, {}
    if not attempt_ids:
        return stats, choices
    attempts = db.session.execute(select(Attempt.id, Attempt.score, Attempt.max_score, Attempt.time_used_s,
                                         Attempt.question_count).where(Attempt.id.in_(attempt_ids))).all()
    answers = defaultdict(list)
    for row in db.session.execute(
            select(AttemptAnswer.attempt_id, AttemptAnswer.question_version_id, AttemptAnswer.question_id,
                   QuestionVersion.type, AttemptAnswer.given, AttemptAnswer.is_correct)
            .join(QuestionVersion, QuestionVersion.id == AttemptAnswer.question_version_id)
            .where(AttemptAnswer.attempt_id.in_(attempt_ids))):
        answers[row.attempt_id].append(tuple(row)[1:])
    for attempt in attempts:
        seconds = attempt.time_used_s / attempt.question_count if attempt.question_count else 0.0
        rows, chosen = item_stats.contributions(attempt.score, attempt.max_score, seconds, answers[attempt.id])
        _add_rows(stats, rows, item_stats.SUM_FIELDS, 1)
        _add_rows(choices, chosen, ("chosen", "strong_chosen"), 1)
    return stats, choices


def _add_rows(total: dict, rows: dict, fields: tuple, sign: int) -> None:
    for key, row in rows.items():
        into = total.setdefault(key, {**row, **{name: 0 for name in fields}})
        for name in fields:
            into[name] += sign * row[name]


def _apply_item_rows(before: tuple[dict, dict], after: tuple[dict, dict]) -> None:
    for index, (model, keys, fields) in enumerate(((ItemStat, ("question_version_id",), item_stats.SUM_FIELDS),
                                                   (ItemChoiceStat, ("question_version_id", "choice"),
                                                    ("chosen", "strong_chosen")))):
        net: dict = {}
        _add_rows(net, after[index], fields, 1)
        _add_rows(net, before[index], fields, -1)
        upsert(model, [net[key] for key in sorted(net)], keys, add=fields)
    # A version no longer answered (rekey moved its answers) keeps no empty rows, as a rebuild would.
    versions = sorted({key if isinstance(key, int) else key[0] for key in before[0]})
    item_stats.refresh_flags(sorted(set(versions) | set(after[0])))
    db.session.execute(delete(ItemStat).where(ItemStat.question_version_id.in_(versions), ItemStat.attempts == 0))
    db.session.execute(delete(ItemChoiceStat).where(ItemChoiceStat.question_version_id.in_(versions),
                                                    ItemChoiceStat.chosen == 0))


def _regrade_competitions(result: RegradePlan, now: datetime, policy: PointsPolicy) -> set[int]:
    """Rebuild the competitions' rows; for published results, correct the placing points. Returns the
    members whose placing points changed."""
    result.place_points, changed = 0, set()
    for competition_id in sorted(result.competition_ids):
        competition = db.session.get(Competition, competition_id)
        entries.rebuild_rows(competition)
        if competition.results_published_at is not None:
            changed |= _correct_places(competition, result, now, policy)
    return changed


PLACE_REASONS = ("competition_place", "place_regrade")


def _correct_places(competition: Competition, result: RegradePlan, now: datetime, policy: PointsPolicy) -> set[int]:
    """Placing points as publication would award them now (under the same points policy), less what
    was granted; a member whose placing points an admin revoked gets none back."""
    db.session.flush()
    attempt_ids = select(Attempt.id).where(Attempt.competition_id == competition.id)
    places = place_points(competition, leaderboard.participant_count(competition.id), policy)
    revoked = _revoked_place_members(attempt_ids)
    target = defaultdict(int)
    best = {}
    for rank, entry in leaderboard.placed_entries(competition, len(places)):
        if entry.user_id not in revoked:
            target[entry.user_id] += places[rank - 1]
        best[entry.user_id] = entry.best_attempt_id
    granted = defaultdict(int)
    for user_id, attempt_id, amount in db.session.execute(
            select(PointsEntry.user_id, PointsEntry.attempt_id, PointsEntry.amount)
            .where(PointsEntry.attempt_id.in_(attempt_ids), PointsEntry.reason.in_(PLACE_REASONS))):
        granted[user_id] += amount
        best.setdefault(user_id, attempt_id)
    for user_id, amount in revoked.items():
        granted[user_id] += amount
    changed = set()
    for user_id in sorted(set(target) | set(granted)):
        amount = target[user_id] - granted[user_id]
        if amount:
            db.session.add(PointsEntry(user_id=user_id, day=local_day(now), amount=amount, reason="place_regrade",
                                       attempt_id=best[user_id], created_at=now))
            result.place_points += amount
            changed.add(user_id)
    return changed


def _revoked_place_members(attempt_ids) -> dict[int, int]:
    """Member -> the (negative) total of the revocations of their placing points in this competition."""
    award = aliased(PointsEntry)
    query = (select(PointsEntry.user_id, func.sum(PointsEntry.amount)).join(award, award.id == PointsEntry.revokes_id)
             .where(award.attempt_id.in_(attempt_ids), award.reason.in_(PLACE_REASONS)).group_by(PointsEntry.user_id))
    return dict(db.session.execute(query).all())


def regrades_of_competition(competition_id: int) -> list[Regrade]:
    """The regrades that changed a competition's results (its results page notes them)."""
    query = (select(Regrade).join(RegradeCompetition, RegradeCompetition.regrade_id == Regrade.id)
             .where(RegradeCompetition.competition_id == competition_id).order_by(Regrade.created_at))
    return list(db.session.scalars(query))

"""Item statistics per question version: attempts, proportion correct, discrimination, choices, time.

Kept as running sums in the finalise transaction (record_attempt, two executemany upserts) and
recomputed from the raw answers by rebuild_all (`flask rebuild-stats`); tests check both agree.

Discrimination is the point-biserial correlation between an answer being fully right (1/0) and the
attempt's share of its maximum score x:  r = (M1 − M0) / s · √(p(1 − p)), where M1 and M0 are the mean
x of right and of other answers, s the (population) standard deviation of x and p the proportion
right. Every term is a running sum (n, Σx, Σx², Σx over right answers), so a finalise adds to it in
O(1). The upper-lower 27% index was not chosen: its groups are ranks over all attempts, which shift
with every new attempt and cannot be kept up incrementally. x includes the item itself (uncorrected),
which lifts r slightly on short papers; it is a screening figure, not a verdict.

"Strong" attempts are those with x ≥ STRONG_SHARE (a fixed threshold for the same reason: a top-27%
group is not incremental). A distractor that strong attempts choose more often than the key is a
sign of a wrong key.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, ItemChoiceStat, ItemStat, Question, QuestionVersion
from quizapp.services.upserts import upsert

STRONG_SHARE = 0.8
SUM_FIELDS = ("attempts", "correct", "share_sum", "share_square_sum", "correct_share_sum", "strong_attempts",
              "strong_correct", "seconds_sum")


def choices_of(kind: str, given) -> list[str]:
    """The options an answer chose, as counted: original letters, or T/F for 判断; none for 填空."""
    if given is None or kind == "fill":
        return []
    if kind == "judge":
        return ["T" if given else "F"]
    return list(given)


def _share(score: float, max_score: float) -> float:
    return score / max_score if max_score else 0.0


def contributions(attempt_score: float, max_score: float, seconds: float, answers) -> tuple[dict, dict]:
    """(stat sums by version id, choice counts by (version id, choice)) of one attempt's answers;
    `answers` yields (version id, question id, type, given, is_correct)."""
    x = _share(attempt_score, max_score)
    strong = x >= STRONG_SHARE
    stats, choices = {}, {}
    for version_id, question_id, kind, given, is_correct in answers:
        right = is_correct is True
        stats[version_id] = {
            "question_version_id": version_id, "question_id": question_id, "attempts": 1, "correct": int(right),
            "share_sum": x, "share_square_sum": x * x, "correct_share_sum": x if right else 0.0,
            "strong_attempts": int(strong), "strong_correct": int(strong and right), "seconds_sum": seconds}
        for choice in choices_of(kind, given):
            choices[(version_id, choice)] = {"question_version_id": version_id, "choice": choice, "chosen": 1,
                                             "strong_chosen": int(strong)}
    return stats, choices


def record_attempt(attempt: Attempt) -> None:
    """Add a just-scored attempt to its versions' statistics (in the caller's transaction; rows in
    version-id order, so concurrent finalises never wait on each other in a cycle)."""
    seconds = attempt.time_used_s / attempt.question_count if attempt.question_count else 0.0
    stats, choices = contributions(
        attempt.score, attempt.max_score, seconds,
        ((a.question_version_id, a.question_id, a.version.type, a.given, a.is_correct) for a in attempt.answers))
    upsert(ItemStat, [stats[key] for key in sorted(stats)], ("question_version_id",), add=SUM_FIELDS)
    upsert(ItemChoiceStat, [choices[key] for key in sorted(choices)], ("question_version_id", "choice"),
           add=("chosen", "strong_chosen"))
    refresh_flags(sorted(stats))


def rebuild_all(batch_size: int = 2000) -> dict[str, int]:
    """Recompute every item statistic from the finished attempts' answers, and commit. Written apart
    from record_attempt (sums over the raw rows), so that comparing the two checks both."""
    db.session.execute(delete(ItemChoiceStat))
    db.session.execute(delete(ItemStat))
    stats: dict[int, Counter] = defaultdict(Counter)
    questions: dict[int, int] = {}
    choices: dict[tuple, Counter] = defaultdict(Counter)
    last_id = 0
    while True:
        attempts = db.session.execute(
            select(Attempt.id, Attempt.score, Attempt.max_score, Attempt.time_used_s, Attempt.question_count)
            .where(Attempt.status == "finished", Attempt.id > last_id).order_by(Attempt.id).limit(batch_size)).all()
        if not attempts:
            break
        last_id = attempts[-1].id
        answers = defaultdict(list)
        for row in db.session.execute(
                select(AttemptAnswer.attempt_id, AttemptAnswer.question_version_id, AttemptAnswer.question_id,
                       QuestionVersion.type, AttemptAnswer.given, AttemptAnswer.is_correct)
                .join(QuestionVersion, QuestionVersion.id == AttemptAnswer.question_version_id)
                .where(AttemptAnswer.attempt_id.in_([a.id for a in attempts]))):
            answers[row.attempt_id].append(tuple(row)[1:])
        for attempt in attempts:
            seconds = attempt.time_used_s / attempt.question_count if attempt.question_count else 0.0
            rows, chosen = contributions(attempt.score, attempt.max_score, seconds, answers[attempt.id])
            for version_id, row in rows.items():
                questions[version_id] = row["question_id"]
                stats[version_id].update({name: row[name] for name in SUM_FIELDS})
            for key, row in chosen.items():
                choices[key].update(chosen=row["chosen"], strong_chosen=row["strong_chosen"])
    stat_rows = [{"question_version_id": v, "question_id": questions[v], **{n: sums[n] for n in SUM_FIELDS}}
                 for v, sums in sorted(stats.items())]
    choice_rows = [{"question_version_id": v, "choice": c, "chosen": sums["chosen"],
                    "strong_chosen": sums["strong_chosen"]} for (v, c), sums in sorted(choices.items())]
    if stat_rows:
        db.session.execute(insert(ItemStat), stat_rows)
    if choice_rows:
        db.session.execute(insert(ItemChoiceStat), choice_rows)
    refresh_flags()
    db.session.commit()
    return {"item_rows": len(stat_rows)}


# ---- reading -------------------------------------------------------------------------------------

@dataclass
class ItemFigures:
    """The figures of one version, derived from its sums."""

    version_id: int
    attempts: int
    correct: int
    proportion: float | None
    discrimination: float | None
    average_seconds: float | None
    choices: dict[str, int] = field(default_factory=dict)
    strong_choices: dict[str, int] = field(default_factory=dict)
    strong_attempts: int = 0


def point_biserial(n: int, correct: int, share_sum: float, share_square_sum: float,
                   correct_share_sum: float) -> float | None:
    """r_pb from the running sums; None when undefined (everyone right, nobody right, or no spread)."""
    if n < 2 or correct in (0, n):
        return None
    variance = share_square_sum / n - (share_sum / n) ** 2
    if variance <= 1e-12:
        return None
    p = correct / n
    mean_right = correct_share_sum / correct
    mean_other = (share_sum - correct_share_sum) / (n - correct)
    return (mean_right - mean_other) / math.sqrt(variance) * math.sqrt(p * (1 - p))


def figures_of(stat: ItemStat, choices: list[ItemChoiceStat] = ()) -> ItemFigures:
    n = stat.attempts
    return ItemFigures(
        version_id=stat.question_version_id, attempts=n, correct=stat.correct,
        proportion=stat.correct / n if n else None,
        discrimination=point_biserial(n, stat.correct, stat.share_sum, stat.share_square_sum,
                                      stat.correct_share_sum),
        average_seconds=stat.seconds_sum / n if n else None,
        choices={c.choice: c.chosen for c in choices}, strong_choices={c.choice: c.strong_chosen for c in choices},
        strong_attempts=stat.strong_attempts)


def figures_for_versions(version_ids: list[int]) -> dict[int, ItemFigures]:
    """Figures of the given versions (those never answered are absent)."""
    if not version_ids:
        return {}
    stats = db.session.scalars(select(ItemStat).where(ItemStat.question_version_id.in_(version_ids))).all()
    choices = defaultdict(list)
    for choice in db.session.scalars(select(ItemChoiceStat).where(ItemChoiceStat.question_version_id.in_(version_ids))
                                     .order_by(ItemChoiceStat.question_version_id, ItemChoiceStat.choice)):
        choices[choice.question_version_id].append(choice)
    return {stat.question_version_id: figures_of(stat, choices[stat.question_version_id]) for stat in stats}


def _current_version_id():
    """The latest version of the stat's question (correlated)."""
    later = aliased(QuestionVersion)
    return select(func.max(later.id)).where(later.question_id == ItemStat.question_id).scalar_subquery()


def current_figures(question_ids: list[int]) -> dict[int, ItemFigures]:
    """question id -> the figures of its current version, for questions answered in it."""
    if not question_ids:
        return {}
    versions = dict(db.session.execute(select(ItemStat.question_id, ItemStat.question_version_id).where(
        ItemStat.question_id.in_(question_ids), ItemStat.question_version_id == _current_version_id())).all())
    figures = figures_for_versions(list(versions.values()))
    return {question_id: figures[version_id] for question_id, version_id in versions.items()}


# ---- the question list: sort and filter by the current version's figures ---------------------------

STAT_SORTS = {"proportion": "正确率从低到高", "discrimination": "区分度从低到高", "attempts": "作答从多到少"}


def _signed_r_squared():
    """sign(r)·r² from the sums (orders like r, with no square root, which SQLite may lack):
    r = (n·Σxy − c·Σx) / √(c(n−c)(n·Σx² − (Σx)²)); NULL where r is undefined."""
    n, c = ItemStat.attempts, ItemStat.correct
    top = n * ItemStat.correct_share_sum - c * ItemStat.share_sum
    bottom = c * (n - c) * (n * ItemStat.share_square_sum - ItemStat.share_sum * ItemStat.share_sum)
    return top * func.abs(top) / func.nullif(case((bottom > 1e-12, bottom), else_=0), 0)


def with_current_stats(query, sort: str = "", max_proportion: float | None = None):
    """The question query joined to its current version's statistics, sorted and/or filtered by them."""
    if not sort and max_proportion is None:
        return query
    query = query.outerjoin(ItemStat, (ItemStat.question_id == Question.id)
                            & (ItemStat.question_version_id == _current_version_id()))
    proportion = ItemStat.correct * 1.0 / func.nullif(ItemStat.attempts, 0)
    if max_proportion is not None:
        query = query.where(proportion < max_proportion)
    order = {"proportion": proportion.asc().nulls_last(), "discrimination": _signed_r_squared().asc().nulls_last(),
             "attempts": func.coalesce(ItemStat.attempts, 0).desc()}.get(sort)
    return query.order_by(None).order_by(order, Question.id.desc()) if order is not None else query


# ---- 可疑题目 --------------------------------------------------------------------------------------

SUSPICIOUS_MIN_ATTEMPTS = 20
HARD_PROPORTION = 0.2


def _negative_discrimination():
    """r < 0 without a square root: M1 < M0  ⇔  Σx(right)·n < Σx·right (0 < right < n)."""
    return ((ItemStat.correct > 0) & (ItemStat.correct < ItemStat.attempts)
            & (ItemStat.correct_share_sum * ItemStat.attempts
               < ItemStat.share_sum * ItemStat.correct - 1e-9 * ItemStat.attempts * ItemStat.attempts))


def _strong_prefer_a_distractor():
    """For 单选 and 判断 the strong attempts that chose the key are exactly strong_correct, so any option
    chosen by more strong attempts is a distractor (多选 is left out: partial choices blur it). Only
    when the key has less than half of the strong attempts can another option have more, so the
    choice rows are read for those versions alone."""
    chosen_more = (select(ItemChoiceStat.question_version_id)
                   .where(ItemChoiceStat.question_version_id == ItemStat.question_version_id,
                          ItemChoiceStat.strong_chosen > ItemStat.strong_correct).exists())
    kind = select(QuestionVersion.type).where(QuestionVersion.id == ItemStat.question_version_id).scalar_subquery()
    return (ItemStat.strong_correct * 2 < ItemStat.strong_attempts) & kind.in_(("single", "judge")) & chosen_more


def _flag_statement(some: bool):
    """UPDATE item_stat.suspicious from its sums and choices: for the versions named, or all (built once).
    Kept as a column so that the 可疑题目 page reads the flagged rows through an index instead of
    judging every version on every visit (bench/item_stats.py)."""
    flag = or_(_negative_discrimination(), ItemStat.correct < HARD_PROPORTION * ItemStat.attempts,
               _strong_prefer_a_distractor())
    table = ItemStat.__table__
    query = update(table).values(suspicious=case((flag, True), else_=False))
    if some:
        query = query.where(table.c.question_version_id.in_(bindparam("version_ids", expanding=True)))
    return query


FLAG_SOME, FLAG_ALL = _flag_statement(True), _flag_statement(False)


def refresh_flags(version_ids: list[int] | None = None) -> None:
    """Recompute the 可疑 flag of these versions (all when None), in the caller's transaction."""
    if version_ids is None:
        db.session.execute(FLAG_ALL)
    elif version_ids:
        db.session.execute(FLAG_SOME, {"version_ids": sorted(version_ids)})


def suspicious_query(min_attempts: int = SUSPICIOUS_MIN_ATTEMPTS):
    """Current versions of questions in use with at least `min_attempts` answers that discriminate
    negatively, are right less than 20% of the time, or whose strong attempts prefer a distractor
    (the flag kept with the sums); the hardest first. Reads the summary rows only."""
    return (select(ItemStat, Question, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == ItemStat.question_version_id)
            .join(Question, Question.id == ItemStat.question_id)
            .where(ItemStat.suspicious.is_(True), ItemStat.attempts >= min_attempts,
                   ItemStat.question_version_id == _current_version_id(), Question.status != "retired")
            .order_by((ItemStat.correct * 1.0 / ItemStat.attempts), Question.id))


@dataclass
class SuspiciousPage:
    total: int
    rows: list[tuple]  # (question, version, figures, reasons)


def suspicious_page(min_attempts: int, page: int, per_page: int) -> SuspiciousPage:
    query = suspicious_query(min_attempts)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    figures = figures_for_versions([stat.question_version_id for stat, _, _ in found])
    rows = []
    for stat, question, version in found:
        item = figures[stat.question_version_id]
        rows.append((question, version, item, reasons(item, version.type, version.answer)))
    return SuspiciousPage(total, rows)


def reasons(figures: ItemFigures, kind: str, key) -> list[str]:
    """Why a version is on the 可疑题目 list, in words."""
    found = []
    if figures.discrimination is not None and figures.discrimination < 0:
        found.append(f"区分度为负（{figures.discrimination:.2f}）")
    if figures.proportion is not None and figures.proportion < HARD_PROPORTION:
        found.append(f"正确率仅 {figures.proportion:.0%}")
    keys = {"T" if key else "F"} if kind == "judge" else set(key or [])
    if kind in ("single", "judge"):
        for choice, count in figures.strong_choices.items():
            if choice not in keys and count > sum(figures.strong_choices.get(k, 0) for k in keys):
                found.append(f"高分党员选「{choice_label(choice)}」多于正确答案")
    return found


def choice_label(choice: str) -> str:
    return {"T": "正确", "F": "错误"}.get(choice, choice)

"""Keeping the progress summary rows current: record_attempt (incremental) and rebuild_all.

record_attempt runs inside finalise_attempt's transaction and never commits. Every write is an
upsert that adds to the row (INSERT ... ON CONFLICT DO UPDATE), so two attempts of one member
finalised at the same instant both count, on SQLite and on PostgreSQL; rows are written in one
order (day, week, month; categories and questions by id; the total last) so that two such
transactions never wait on each other in a cycle.

Points in the summaries are the ledger entries linked to the attempt (PointsEntry.attempt_id),
on the ledger's own day; finalise awards them just before and hands them to record_attempt, and a
competition's place points, awarded at publication to the best attempt, are added then by record_points.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, case, delete, func, insert, select, update

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, CategoryStat, MemberTotal, PointsEntry, Question, QuestionStat, StudyStat
from quizapp.services.clock import local_day, week_start
from quizapp.services.progress.periods import month_start
from quizapp.services.upserts import INSERTS, dialect, upsert, upsert_statement

STUDY_FIELDS = ("attempts", "questions", "correct", "points", "score", "max_score", "time_used_s")
TOTAL_FIELDS = ("attempts", "questions", "correct", "points")


def span_starts(day: date) -> list[tuple[str, date]]:
    """The (span, start) of the day, week and month rows a study day adds to."""
    return [("day", day), ("week", week_start(day)), ("month", month_start(day))]


def record_attempt(attempt: Attempt, points: dict[date, int] | None = None) -> None:
    """Add a just-finalised attempt to the summary rows, in the caller's transaction (no commit).
    `points`: the attempt's ledger points by day, when the caller has just awarded them (finalise);
    otherwise they are read from the ledger."""
    if attempt.status != "finished" or attempt.finished_at is None:
        raise ValueError(f"attempt {attempt.id} is not finished")
    day = study_day(attempt.study_day, attempt.finished_at)
    results = [(answer.question_id, answer.is_correct is True) for answer in attempt.answers]
    counts = {"attempts": 1, "questions": len(results), "correct": sum(ok for _, ok in results),
              "score": attempt.score, "max_score": attempt.max_score, "time_used_s": attempt.time_used_s}
    if points is None:
        points = _points_of_attempt(attempt.id)
    _add_study(attempt.user_id, day, {**counts, "points": points.get(day, 0)})
    for points_day, amount in points.items():
        if points_day != day:
            _add_study(attempt.user_id, points_day, {"points": amount})
    _add_categories(attempt.user_id, day, _category_counts(attempt.answers))
    _note_latest_answers(attempt.user_id, results, attempt.finished_at)
    _add_total(attempt.user_id, day, {**counts, "points": sum(points.values())})


def record_points(user_id: int, day: date, amount: int) -> None:
    """Add points awarded after their attempt was recorded (a competition's participation points, and
    its places at publication) to the day, week and month rows and the total, as a rebuild counts them;
    study counts and the streak stay as they are. A negative amount takes revoked points off
    (services.competitions.awards). In the caller's transaction."""
    if amount == 0:
        return
    _add_study(user_id, day, {"points": amount})
    upsert(MemberTotal, [{"user_id": user_id, "attempts": 0, "questions": 0, "correct": 0, "points": amount,
                          "last_day": None, "streak": 0}], ("user_id",), add=("points",))


def study_day(day: date | None, finished_at: datetime) -> date:
    """The attempt's local study day, as finalise stored it (or derived from its finish)."""
    return day or local_day(finished_at)


def _add_study(user_id: int, day: date, counts: dict) -> None:
    values = {name: counts.get(name, 0) for name in STUDY_FIELDS}
    rows = [{"user_id": user_id, "span": span, "start": start, **values} for span, start in span_starts(day)]
    upsert(StudyStat, rows, ("user_id", "span", "start"), add=STUDY_FIELDS)


POINTS_OF_ATTEMPT = (select(PointsEntry.day, func.sum(PointsEntry.amount))
                     .where(PointsEntry.attempt_id == bindparam("attempt_id")).group_by(PointsEntry.day))


def _points_of_attempt(attempt_id: int) -> dict[date, int]:
    return {day: int(amount) for day, amount in db.session.execute(POINTS_OF_ATTEMPT, {"attempt_id": attempt_id})
            if amount}


def _category_counts(answers) -> dict[int, Counter]:
    """{category_id: Counter(questions, correct)}; questions without a category have no 知识点 row.
    (Finalise loads the questions with the paper, so this reads nothing more.)"""
    counts: dict[int, Counter] = {}
    for answer in answers:
        category_id = answer.question.category_id
        if category_id is not None:
            counts.setdefault(category_id, Counter()).update(questions=1, correct=int(answer.is_correct is True))
    return counts


def _add_categories(user_id: int, day: date, counts: dict[int, Counter]) -> None:
    rows = [{"user_id": user_id, "span": span, "start": start, "category_id": category_id,
             "questions": count["questions"], "correct": count["correct"]}
            for span, start in span_starts(day) for category_id, count in sorted(counts.items())]
    upsert(CategoryStat, rows, ("user_id", "span", "start", "category_id"), add=("questions", "correct"))


def _note_latest_answers(user_id: int, results: list[tuple[int, bool]], moment: datetime) -> None:
    if results:
        db.session.execute(_latest_answer_statement(dialect()), [
            {"user_id": user_id, "question_id": qid, "last_correct": ok, "last_answered_at": moment}
            for qid, ok in sorted(results)])


@lru_cache(maxsize=None)
def _latest_answer_statement(dialect_name: str):
    """Upsert of a QuestionStat that keeps the later answer (built once: see services.upserts)."""
    table = QuestionStat.__table__
    statement = INSERTS[dialect_name](table)
    new = statement.excluded
    is_newer = new.last_answered_at >= table.c.last_answered_at
    return statement.on_conflict_do_update(
        index_elements=["user_id", "question_id"],
        set_={"last_correct": case((is_newer, new.last_correct), else_=table.c.last_correct),
              "last_answered_at": case((is_newer, new.last_answered_at), else_=table.c.last_answered_at)})


@lru_cache(maxsize=None)
def _total_statement(dialect_name: str):
    """Upsert adding to a MemberTotal, returning its (last_day, streak) as stored."""
    return upsert_statement(dialect_name, MemberTotal, ("user_id",), add=TOTAL_FIELDS).returning(
        MemberTotal.last_day, MemberTotal.streak)


TOTALS = MemberTotal.__table__.c  # Core: no ORM bulk-update step
SET_RUN = (update(MemberTotal.__table__).where(TOTALS.user_id == bindparam("member_id"))
           .values(last_day=bindparam("new_last_day", type_=TOTALS.last_day.type), streak=bindparam("new_streak")))


def _add_total(user_id: int, day: date, counts: dict) -> None:
    row = {"user_id": user_id, "last_day": day, "streak": 1, **{name: counts[name] for name in TOTAL_FIELDS}}
    # The upsert also locks the row (PostgreSQL) until commit, so the streak update below is safe.
    last_day, streak = db.session.execute(_total_statement(dialect()), row).one()
    if day == last_day:
        return
    if day == last_day + timedelta(days=1):
        last_day, streak = day, streak + 1
    elif day > last_day:
        last_day, streak = day, 1
    else:  # an attempt finalised late, on an earlier day: it may join up the current run
        streak = _run_ending(user_id, last_day)
    db.session.execute(SET_RUN, {"member_id": user_id, "new_last_day": last_day, "new_streak": streak})


def _run_ending(user_id: int, last_day: date) -> int:
    """The number of consecutive study days ending on last_day, read from the day rows."""
    days = db.session.scalars(
        select(StudyStat.start).where(StudyStat.user_id == user_id, StudyStat.span == "day",
                                      StudyStat.start <= last_day, StudyStat.attempts > 0)
        .order_by(StudyStat.start.desc()))
    return consecutive_run(days, last_day)


def consecutive_run(days_descending, last_day: date) -> int:
    expected, run = last_day, 0
    for day in days_descending:
        if day != expected:
            break
        run, expected = run + 1, expected - timedelta(days=1)
    return run


def rebuild_all(batch_size: int = 500) -> dict[str, int]:
    """Recompute every summary row from the finished attempts and the ledger, and commit.

    Written apart from record_attempt (plain sums over the raw rows), so that comparing the two
    checks both. Members are processed in batches to bound memory.
    """
    for model in (CategoryStat, QuestionStat, StudyStat, MemberTotal):
        db.session.execute(delete(model))
    user_ids = list(db.session.scalars(
        select(Attempt.user_id).where(Attempt.status == "finished").distinct().order_by(Attempt.user_id)))
    written = Counter()
    for first in range(0, len(user_ids), batch_size):
        batch = _Rebuild(user_ids[first:first + batch_size])
        written.update(batch.write())
    db.session.commit()
    return {"members": len(user_ids), **written}


def rebuild_members(user_ids: list[int]) -> None:
    """Recompute the summary rows of these members alone, in the caller's transaction (a regrade)."""
    for model in (CategoryStat, QuestionStat, StudyStat, MemberTotal):
        db.session.execute(delete(model).where(model.user_id.in_(user_ids)))
    _Rebuild(user_ids).write()


class _Rebuild:
    """The summary rows of a batch of members, summed in Python from their raw rows."""

    def __init__(self, user_ids: list[int]):
        self.study: dict[tuple, dict] = {}
        self.categories: dict[tuple, dict] = {}
        self.latest: dict[tuple, tuple[bool, datetime]] = {}
        self.day_of: dict[int, date] = {}
        finished = [Attempt.status == "finished", Attempt.user_id.in_(user_ids)]
        order = (Attempt.finished_at, Attempt.id)
        for row in db.session.execute(
                select(Attempt.id, Attempt.user_id, Attempt.study_day, Attempt.finished_at, Attempt.score,
                       Attempt.max_score, Attempt.time_used_s).where(*finished).order_by(*order)):
            self._add_attempt(row)
        for row in db.session.execute(
                select(Attempt.user_id, Attempt.id, Attempt.finished_at, AttemptAnswer.question_id,
                       AttemptAnswer.is_correct, Question.category_id)
                .join(AttemptAnswer, AttemptAnswer.attempt_id == Attempt.id)
                .join(Question, Question.id == AttemptAnswer.question_id).where(*finished).order_by(*order)):
            self._add_answer(row)
        for user_id, day, amount in db.session.execute(
                select(PointsEntry.user_id, PointsEntry.day, func.sum(PointsEntry.amount))
                .join(Attempt, Attempt.id == PointsEntry.attempt_id).where(*finished)
                .group_by(PointsEntry.user_id, PointsEntry.day)):
            self._add(self.study, user_id, day, (), {"points": int(amount)})

    def _add(self, table: dict, user_id: int, day: date, extra_key: tuple, values: dict) -> None:
        for span, start in span_starts(day):
            row = table.setdefault((user_id, span, start, *extra_key), {})
            for name, value in values.items():
                row[name] = row.get(name, 0) + value

    def _add_attempt(self, row) -> None:
        day = self.day_of[row.id] = study_day(row.study_day, row.finished_at)
        self._add(self.study, row.user_id, day, (), {"attempts": 1, "score": row.score,
                                                     "max_score": row.max_score, "time_used_s": row.time_used_s})

    def _add_answer(self, row) -> None:
        day, correct = self.day_of[row.id], int(row.is_correct is True)
        self._add(self.study, row.user_id, day, (), {"questions": 1, "correct": correct})
        if row.category_id is not None:
            self._add(self.categories, row.user_id, day, (row.category_id,), {"questions": 1, "correct": correct})
        self.latest[(row.user_id, row.question_id)] = (bool(correct), row.finished_at)

    def write(self) -> dict[str, int]:
        study = [{"user_id": u, "span": s, "start": d, **{f: v.get(f, 0) for f in STUDY_FIELDS}}
                 for (u, s, d), v in self.study.items()]
        categories = [{"user_id": u, "span": s, "start": d, "category_id": c, **v}
                      for (u, s, d, c), v in self.categories.items()]
        latest = [{"user_id": u, "question_id": q, "last_correct": ok, "last_answered_at": at}
                  for (u, q), (ok, at) in self.latest.items()]
        totals = self._totals(study)
        for model, rows in ((StudyStat, study), (CategoryStat, categories), (QuestionStat, latest),
                            (MemberTotal, totals)):
            if rows:
                db.session.execute(insert(model), rows)
        return {"study_rows": len(study), "category_rows": len(categories), "question_rows": len(latest)}

    @staticmethod
    def _totals(study: list[dict]) -> list[dict]:
        totals: dict[int, dict] = {}
        study_days: dict[int, list[date]] = {}
        for row in study:
            if row["span"] != "day":
                continue
            total = totals.setdefault(row["user_id"], {name: 0 for name in TOTAL_FIELDS})
            for name in TOTAL_FIELDS:
                total[name] += row[name]
            if row["attempts"]:
                study_days.setdefault(row["user_id"], []).append(row["start"])
        for user_id, total in totals.items():
            days = sorted(study_days.get(user_id, []), reverse=True)
            last_day = days[0] if days else None
            total.update(user_id=user_id, last_day=last_day, streak=consecutive_run(days, last_day) if days else 0)
        return list(totals.values())

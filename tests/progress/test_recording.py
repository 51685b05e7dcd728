"""record_attempt keeps the summary rows current; rebuild_all recomputes them from the raw rows."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, CategoryStat, MemberTotal, PointsEntry, QuestionStat, StudyStat
from quizapp.services.progress import summaries
from tests.progress.conftest import shanghai


def study_rows(user_id: int) -> dict[tuple, tuple]:
    rows = db.session.scalars(select(StudyStat).where(StudyStat.user_id == user_id))
    return {(row.span, row.start): (row.attempts, row.questions, row.correct, row.points) for row in rows}


def dump_all() -> dict[str, set]:
    """Every summary row as plain tuples, for comparing incremental with rebuilt."""
    def rows(model, *columns):
        return {tuple(getattr(row, name) for name in columns) for row in db.session.scalars(select(model))}
    return {
        "study": rows(StudyStat, "user_id", "span", "start", "attempts", "questions", "correct", "points",
                      "score", "max_score", "time_used_s"),
        "category": rows(CategoryStat, "user_id", "span", "start", "category_id", "questions", "correct"),
        "question": rows(QuestionStat, "user_id", "question_id", "last_correct", "last_answered_at"),
        "total": rows(MemberTotal, "user_id", "attempts", "questions", "correct", "points", "last_day", "streak"),
    }


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 22), [("day", date(2026, 11, 22)), ("week", date(2026, 11, 16)), ("month", date(2026, 11, 1))]),
    (date(2026, 11, 23), [("day", date(2026, 11, 23)), ("week", date(2026, 11, 23)), ("month", date(2026, 11, 1))]),
    (date(2026, 12, 1), [("day", date(2026, 12, 1)), ("week", date(2026, 11, 30)), ("month", date(2026, 12, 1))]),
])
def test_span_starts(app, day, expected):
    assert summaries.span_starts(day) == expected


@pytest.mark.parametrize("moment, day, week, month", [
    (shanghai("2026-11-22 23:30"), date(2026, 11, 22), date(2026, 11, 16), date(2026, 11, 1)),  # Sunday night
    (datetime(2026, 11, 22, 16, 30, tzinfo=timezone.utc), date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 1)),
    (datetime(2026, 11, 30, 15, 59, tzinfo=timezone.utc), date(2026, 11, 30), date(2026, 11, 30), date(2026, 11, 1)),
    (datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc), date(2026, 12, 1), date(2026, 11, 30), date(2026, 12, 1)),
])
def test_an_attempt_counts_on_its_shanghai_day_week_and_month(org, finish, moment, day, week, month):
    finish(org.a1, moment, [(org.history[0], True), (org.history[1], False)])
    assert study_rows(org.a1.id) == {("day", day): (1, 2, 1, 1), ("week", week): (1, 2, 1, 1),
                                     ("month", month): (1, 2, 1, 1)}


def test_attempts_of_a_day_add_up_and_only_their_own_points_count(org, finish):
    finish(org.a1, shanghai("2026-11-18 09:00"), [(org.history[0], True), (org.charter[0], True)])
    finish(org.a1, shanghai("2026-11-18 20:00"), [(org.history[0], False), (org.loose, True)], points=0)
    finish(org.a1, shanghai("2026-11-19 08:00"), [(org.history[1], True)], points=4)
    # A ledger entry of no attempt, and one of another member, stay out of a1's summaries.
    db.session.add_all([PointsEntry(user_id=org.a1.id, day=date(2026, 11, 18), amount=7, reason="practice"),
                        PointsEntry(user_id=org.a2.id, day=date(2026, 11, 18), amount=3, reason="practice")])
    db.session.commit()
    rows = study_rows(org.a1.id)
    assert rows[("day", date(2026, 11, 18))] == (2, 4, 3, 2)
    assert rows[("day", date(2026, 11, 19))] == (1, 1, 1, 4)
    assert rows[("week", date(2026, 11, 16))] == (3, 5, 4, 6)
    assert rows[("month", date(2026, 11, 1))] == (3, 5, 4, 6)
    total = db.session.get(MemberTotal, org.a1.id)
    assert (total.attempts, total.questions, total.correct, total.points) == (3, 5, 4, 6)


def test_category_rows_leave_out_questions_without_a_category(org, finish):
    finish(org.a1, shanghai("2026-11-18 09:00"),
           [(org.history[0], True), (org.history[1], False), (org.charter[0], False), (org.loose, True)])
    rows = {(row.span, row.category_id): (row.questions, row.correct)
            for row in db.session.scalars(select(CategoryStat).where(CategoryStat.user_id == org.a1.id))}
    history, charter = org.history[0].category_id, org.charter[0].category_id
    assert rows == {(span, category): counts for span in ("day", "week", "month")
                    for category, counts in ((history, (2, 1)), (charter, (1, 0)))}


def test_latest_answer_wins_even_when_recorded_out_of_order(org, finish):
    question = org.history[0]
    finish(org.a1, shanghai("2026-11-20 09:00"), [(question, True)])
    finish(org.a1, shanghai("2026-11-19 09:00"), [(question, False)])  # finalised late, but older
    row = db.session.get(QuestionStat, (org.a1.id, question.id))
    assert (row.last_correct, row.last_answered_at) == (True, shanghai("2026-11-20 09:00"))
    finish(org.a1, shanghai("2026-11-21 09:00"), [(question, False)])
    db.session.refresh(row)
    assert (row.last_correct, row.last_answered_at) == (False, shanghai("2026-11-21 09:00"))


@pytest.mark.parametrize("days, last_day, streak", [
    (["11-18"], "11-18", 1),
    (["11-18", "11-18"], "11-18", 1),  # twice on one day is one study day
    (["11-18", "11-19", "11-20"], "11-20", 3),
    (["11-18", "11-19", "11-21"], "11-21", 1),  # a gap starts a new run
    (["11-30", "12-01"], "12-01", 2),  # across a month
    (["11-18", "11-20", "11-19"], "11-20", 3),  # a late finalisation fills the gap
    (["11-17", "11-20", "11-18"], "11-20", 1),  # a late one that does not reach the last day
    (["11-20", "11-10"], "11-20", 1),
])
def test_streak_of_consecutive_study_days(org, finish, days, last_day, streak):
    for day in days:
        finish(org.a1, shanghai(f"2026-{day} 12:00"), [(org.history[0], True)])
    total = db.session.get(MemberTotal, org.a1.id)
    assert (total.last_day, total.streak) == (date.fromisoformat(f"2026-{last_day}"), streak)


def test_record_attempt_refuses_an_open_attempt(org, finish):
    attempt = finish(org.a1, shanghai("2026-11-18 09:00"), [(org.history[0], True)], record=False)
    attempt.status, attempt.finished_at = "open", None
    with pytest.raises(ValueError):
        summaries.record_attempt(attempt)


def test_record_attempt_does_not_commit(org, finish):
    finish(org.a1, shanghai("2026-11-18 09:00"), [(org.history[0], True)], commit=False)
    db.session.rollback()
    assert study_rows(org.a1.id) == {}
    assert db.session.scalar(select(Attempt)) is None


def _history(org, finish) -> None:
    """A few weeks of study by several members, some attempts finalised out of order."""
    plan = [
        (org.a1, "2026-11-02 08:00", [(org.history[0], True), (org.history[1], False), (org.charter[0], True)]),
        (org.a1, "2026-11-03 23:30", [(org.history[0], False), (org.loose, True)]),
        (org.a1, "2026-11-04 00:10", [(org.history[2], True)]),
        (org.a2, "2026-11-05 12:00", [(org.charter[1], False), (org.charter[2], False)]),
        (org.a1, "2026-11-02 22:00", [(org.history[3], True)]),  # late, earlier day
        (org.b1, "2026-11-30 23:59", [(org.history[0], True), (org.charter[0], True)]),
        (org.b1, "2026-12-01 00:01", [(org.history[0], False)]),
        (org.a2, "2026-11-04 12:00", []),  # an empty paper still counts as a quiz
    ]
    for user, when, results in plan:
        finish(user, shanghai(when), results)


def test_rebuild_gives_exactly_what_the_incremental_updates_gave(org, finish):
    _history(org, finish)
    incremental = dump_all()
    assert len(incremental["study"]) > 10 and incremental["total"]
    report = summaries.rebuild_all(batch_size=2)
    assert dump_all() == incremental
    assert report["members"] == 3


def test_rebuild_repairs_damaged_rows_and_ignores_open_attempts(org, finish):
    _history(org, finish)
    incremental = dump_all()
    finish(org.a3, shanghai("2026-11-06 09:00"), [(org.history[0], True)], record=False).status = "open"
    db.session.execute(StudyStat.__table__.update().values(correct=99))
    db.session.execute(MemberTotal.__table__.delete())
    db.session.commit()
    summaries.rebuild_all()
    assert dump_all() == incremental


def test_rebuild_stats_command(org, finish, runner):
    _history(org, finish)
    incremental = dump_all()
    db.session.execute(StudyStat.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["rebuild-stats"])
    assert result.exit_code == 0, result.output
    assert "3 名党员" in result.output
    assert dump_all() == incremental


def test_streak_helper_matches_a_hand_count(app):
    days = [date(2026, 11, 20) - timedelta(days=n) for n in (0, 1, 2, 4)]
    assert summaries.consecutive_run(days, date(2026, 11, 20)) == 3
    assert summaries.consecutive_run(days, date(2026, 11, 21)) == 0

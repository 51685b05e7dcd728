"""One member's figures (我的学习 and the drill-down), read from the summary rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Category, MemberTotal, Question, QuestionStat, StudyStat, User
from quizapp.services.clock import day_bounds, week_start
from quizapp.services.progress.group_figures import TREND_WEEKS, Tally, member_tallies, ratio
from quizapp.services.progress.periods import Period, named_period, weeks_ending
from quizapp.services.quizzes import wrongbook

MASTERY_WINDOW_DAYS = 90  # "answered right recently": the latest answer, given within this many days
STRIP_WEEKS = 12


@dataclass
class Snapshot:
    total: Tally
    week_points: int
    streak: int
    last_day: date | None
    due_reviews: int


@dataclass
class WeekPoint(Tally):
    week: date = None


@dataclass
class MasteryRow:
    category: str
    mastered: int
    total: int

    @property
    def share(self) -> float | None:
        return ratio(self.mastered, self.total)


@dataclass
class Rank:
    period: Period
    rank: int
    of: int
    points: int


def current_streak(last_day: date | None, streak: int, today: date) -> int:
    """Consecutive study days up to today, or up to yesterday while today is still open."""
    return streak if last_day is not None and last_day >= today - timedelta(days=1) else 0


def standing(user_id: int, today: date) -> tuple[int, int]:
    """(points total, current streak) from the member's MemberTotal row, which finalise keeps current."""
    row = db.session.get(MemberTotal, user_id)
    return (row.points, current_streak(row.last_day, row.streak, today)) if row else (0, 0)


def snapshot(user: User, *, today: date, now: datetime) -> Snapshot:
    """Points total and this week, streak, quizzes and accuracy overall, due reviews."""
    row = db.session.get(MemberTotal, user.id, populate_existing=True)
    total = Tally(row.attempts, row.questions, row.correct, row.points) if row else Tally()
    week = member_tallies([user.id], named_period("this_week", today)).get(user.id, Tally())
    last_day, streak = (row.last_day, row.streak) if row else (None, 0)
    return Snapshot(total, week.points, current_streak(last_day, streak, today), last_day,
                    wrongbook.due_count(user.id, now))  # the wrong-answer book's own rule of "due today"


def accuracy_trend(user_id: int, last_day: date, weeks: int = TREND_WEEKS) -> list[WeekPoint]:
    starts = weeks_ending(last_day, weeks)
    found = {row.start: row for row in db.session.scalars(select(StudyStat).where(
        StudyStat.user_id == user_id, StudyStat.span == "week", StudyStat.start.in_(starts)))}
    return [WeekPoint(*(_tally_of(found.get(start))), week=start) for start in starts]


def _tally_of(row: StudyStat | None) -> tuple:
    return (row.attempts, row.questions, row.correct, row.points) if row else (0, 0, 0, 0)


def study_strip(user_id: int, today: date, weeks: int = STRIP_WEEKS) -> list[list[tuple[date, int]]]:
    """(day, quizzes) for the last weeks, one list of seven days (Monday first) per week."""
    first = week_start(today) - timedelta(days=7 * (weeks - 1))
    found = dict(db.session.execute(select(StudyStat.start, StudyStat.attempts).where(
        StudyStat.user_id == user_id, StudyStat.span == "day", StudyStat.start >= first,
        StudyStat.start <= first + timedelta(days=7 * weeks - 1))).all())
    return [[(day, found.get(day, 0)) for day in (first + timedelta(days=7 * week + weekday) for weekday in range(7))]
            for week in range(weeks)]


def mastery(user_id: int, now: datetime) -> list[MasteryRow]:
    """Per 知识点: published questions whose latest answer, within MASTERY_WINDOW_DAYS, was right."""
    published = [Question.status == "published", Question.category_id.is_not(None)]
    totals = db.session.execute(select(Category.id, Category.path, func.count(Question.id))
                                .join(Question, Question.category_id == Category.id)
                                .where(*published).group_by(Category.id, Category.path))
    mastered = dict(db.session.execute(
        select(Question.category_id, func.count(QuestionStat.question_id))
        .join(Question, Question.id == QuestionStat.question_id)
        .where(QuestionStat.user_id == user_id, QuestionStat.last_correct, *published,
               QuestionStat.last_answered_at >= now - timedelta(days=MASTERY_WINDOW_DAYS))
        .group_by(Question.category_id)).all())
    rows = [MasteryRow(path, mastered.get(category_id, 0), total) for category_id, path, total in totals]
    return sorted(rows, key=lambda row: row.category)


def rank_in_group(user: User, period: Period) -> Rank | None:
    """The member's rank by points among the active members of his or her own group (1, 2, 2, 4)."""
    if user.group_id is None or not user.active:
        return None
    ids = list(db.session.scalars(select(User.id).where(User.group_id == user.group_id, User.active)))
    points = {user_id: tally.points for user_id, tally in member_tallies(ids, period).items()}
    mine = points.get(user.id, 0)
    return Rank(period, 1 + sum(1 for user_id in ids if points.get(user_id, 0) > mine), len(ids), mine)


def attempts_in(user: User, period: Period) -> list[Attempt]:
    """The member's finished attempts in the period, newest first."""
    start, end = day_bounds(period.start)[0], day_bounds(period.end)[1]
    return list(db.session.scalars(select(Attempt).where(
        Attempt.user_id == user.id, Attempt.status == "finished", Attempt.finished_at >= start,
        Attempt.finished_at < end).order_by(Attempt.finished_at.desc())))

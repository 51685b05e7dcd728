"""Daily papers handed out ahead of time for offline answering (without keys), and taken in later.

A paper is not stored: its token, signed with the app's secret, names the member, the local day and
each question with the version it is shown in and its option order, so the server can open exactly
that paper when the answers arrive. Papers are drawn by the daily quiz's own rule and preferences,
with a Random seeded from an HMAC of member and day: fetching again gives the same papers. Today's
daily already open on a page is handed out as it is. Handing out papers writes nothing.

Taking a paper in stays under the server's rules: on its day, with no other daily that day, it opens
that day's daily attempt; a paper that arrives after its day, or when the day's daily was taken on
another device, opens a practice attempt with the same paper (not scored), so nothing is lost.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, Question, QuestionVersion, User
from quizapp.services.bank.versions import current_versions
from quizapp.services.clock import day_bounds, local_day
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.papers import QuizError, draw_paper

DAYS_AHEAD = 2
SALT = "quizapp-offline-daily-paper"


class PaperInvalid(QuizError):
    pass


class PaperNotYours(QuizError):
    pass


class PaperNotYet(QuizError):
    pass


@dataclass(frozen=True)
class PaperQuestion:
    """What present_question reads of an attempt answer, for a paper not stored yet."""

    position: int
    version: Question | QuestionVersion
    option_order: list[int]
    given: None = None


@dataclass(frozen=True)
class OfflinePaper:
    day: date
    token: str
    question_ids: list[int]
    questions: list  # PaperQuestion, or the open attempt's AttemptAnswer

    @property
    def title(self) -> str:
        return f"{engine.DAILY_RULE.title} {day_label(self.day)}"

    @property
    def expires_at(self) -> datetime:
        return day_bounds(self.day)[1]


@dataclass(frozen=True)
class Taken:
    attempt: Attempt
    created: bool
    scored: bool
    late: bool
    message: str


def day_label(day: date) -> str:
    return f"{day.month}月{day.day}日"


def papers_for(user: User, *, now: datetime, secret: str) -> list[OfflinePaper]:
    """Today's paper (unless today's daily is finished) and those of the next DAYS_AHEAD days."""
    today = local_day(now)
    days = [today + timedelta(days=ahead) for ahead in range(DAYS_AHEAD + 1)]
    daily = _daily_attempt(user.id, today)
    papers = [_from_attempt(daily, today, secret)] if daily is not None and daily.is_open else []
    if daily is not None:
        days.remove(today)
    drawn = _draw(user.id, days, engine.daily_preferences(user.id, now), {qid for paper in papers for qid in paper.question_ids},
                  secret)
    versions = current_versions([question for _, _, questions in drawn for question in questions])
    return papers + [_paper(user.id, day, rng, questions, versions, secret) for day, rng, questions in drawn]


def _seed(secret: str, user_id: int, day: date) -> int:
    digest = hmac.new(secret.encode(), f"{SALT}:{user_id}:{day.isoformat()}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def _draw(user_id: int, days: list[date], preferences: dict, taken: set[int], secret: str) -> list[tuple]:
    """(day, its Random, its questions) for each day; a day's paper avoids the questions of the papers before it."""
    drawn = []
    for day in days:
        rng = Random(_seed(secret, user_id, day))
        questions = draw_paper(engine.DAILY_RULE, rng, avoid_ids=preferences["avoid_ids"] | taken,
                               prefer_ids=[qid for qid in preferences["prefer_ids"] if qid not in taken])
        taken |= {question.id for question in questions}
        drawn.append((day, rng, questions))
    return drawn


def _paper(user_id: int, day: date, rng: Random, questions: list[Question], versions: dict, secret: str) -> OfflinePaper:
    shown = [PaperQuestion(position, versions.get(question.id, question),
                           engine.option_order(question, engine.DAILY_RULE.shuffle_options, rng))
             for position, question in enumerate(questions, 1)]
    pinned = [[question.id, versions[question.id].id if question.id in versions else None, item.option_order]
              for question, item in zip(questions, shown)]
    return OfflinePaper(day, _sign(secret, user_id, day, pinned), [question.id for question in questions], shown)


def _from_attempt(attempt: Attempt, day: date, secret: str) -> OfflinePaper:
    answers = engine.load_paper(attempt)
    pinned = [[answer.question_id, answer.question_version_id, answer.option_order] for answer in answers]
    return OfflinePaper(day, _sign(secret, attempt.user_id, day, pinned), [row[0] for row in pinned], answers)


def _sign(secret: str, user_id: int, day: date, pinned: list) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"u": user_id, "d": day.isoformat(), "q": pinned})


@dataclass(frozen=True)
class _Paper:
    user_id: int
    day: date
    question_ids: list[int]
    versions: dict[int, int]
    orders: dict[int, list[int]]


def _read(secret: str, token: str) -> _Paper:
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token)
        pinned = [(int(qid), version, [int(place) for place in order]) for qid, version, order in data["q"]]
        return _Paper(int(data["u"]), date.fromisoformat(data["d"]), [qid for qid, _, _ in pinned],
                      {qid: int(version) for qid, version, _ in pinned if version is not None},
                      {qid: order for qid, _, order in pinned})
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise PaperInvalid("这份离线试卷无法识别（可能已损坏），请联网后重新打开每日答题。") from error


def take(user: User, token: str, *, now: datetime, secret: str) -> Taken:
    """Open (or find again) the attempt of a paper handed out before; the same paper gives the same attempt."""
    paper = _read(secret, token)
    if paper.user_id != user.id:
        raise PaperNotYours("这份离线试卷不是发给当前账号的，请用领取试卷的账号提交。")
    today = local_day(now)
    if paper.day > today:
        raise PaperNotYet(f"这是{day_label(paper.day)}的每日答题，到当天才能开始。")
    existing = _attempt_of_paper(user.id, paper)
    if existing is not None:
        return _taken(existing, paper.day, created=False)
    daily = _daily_attempt(user.id, paper.day)
    if paper.day == today and daily is None:
        attempt = _start(user, paper, "daily", engine.DAILY_RULE, now)
    else:
        rule = engine.fixed_paper_rule(paper.question_ids, title=_practice_title(paper.day))
        attempt = _start(user, paper, "practice", rule, now)
    return _taken(attempt, paper.day, created=True)


def _start(user: User, paper: _Paper, mode: str, rule, now: datetime) -> Attempt:
    return engine.start_attempt(user, mode, rule, now=now, rng=Random(paper.day.toordinal()),
                                 question_ids=paper.question_ids,
                                 title=rule.title, pinned_versions=paper.versions, option_orders=paper.orders)


def _practice_title(day: date) -> str:
    return f"{engine.DAILY_RULE.title} {day_label(day)}（离线补交）"


def _taken(attempt: Attempt, day: date, *, created: bool) -> Taken:
    if attempt.mode == "daily":
        return Taken(attempt, created, scored=True, late=False, message="")
    late = local_day(attempt.started_at) > day
    reason = "在当天结束后才送达" if late else "送达前，当天的每日答题已在其他设备上作答"
    return Taken(attempt, created, scored=False, late=late,
                 message=f"{day_label(day)}的每日答题{reason}，已作为练习保存，按练习记分，不计入每日答题积分。")


def _daily_of(day: date):
    """A daily attempt of that local day: open (its slot), or finished that day."""
    return and_(Attempt.mode == "daily", or_(Attempt.open_slot == f"daily:{day.isoformat()}", Attempt.study_day == day))


def _daily_attempt(user_id: int, day: date) -> Attempt | None:
    query = select(Attempt).where(Attempt.user_id == user_id, _daily_of(day)).order_by(Attempt.id).limit(1)
    return db.session.scalars(query).first()


def _attempt_of_paper(user_id: int, paper: _Paper) -> Attempt | None:
    practice = and_(Attempt.mode == "practice", Attempt.title == _practice_title(paper.day))
    for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == user_id, or_(_daily_of(paper.day), practice))):
        asked = select(AttemptAnswer.question_id).where(AttemptAnswer.attempt_id == attempt.id).order_by(AttemptAnswer.position)
        if list(db.session.scalars(asked)) == paper.question_ids:
            return attempt
    return None

"""Synthetic history for bench/dashboards.py: an organisation, raw attempts and their summary rows.

Everything is bulk-inserted with SQLAlchemy Core (so datetimes are stored exactly as the app stores
them), member by member in batches. Whether a member studies on a day, and how, is decided by a
random generator seeded with (member, day): a database with a tenth of the history holds exactly
the last tenth of the full one, so both serve identical pages for this week.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, event
from werkzeug.security import generate_password_hash

from quizapp import config
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptAnswer,
    Category,
    CategoryStat,
    GroupSecretary,
    MemberTotal,
    PointsEntry,
    Question,
    QuestionStat,
    QuestionVersion,
    StudyGroup,
    StudyStat,
    User,
)
from quizapp.services.progress.periods import month_start

ZONE = ZoneInfo("Asia/Shanghai")
PASSWORD = "bench-pass-1"
CATEGORIES, QUESTIONS_PER_CATEGORY, PAPER = 10, 50, 5
BATCH = 250
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


def build(url: str, *, groups: int, members: int, days: int, today: date, seed: int = 1) -> dict[str, int]:
    engine = create_engine(config.database_url(url))
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        @event.listens_for(engine, "connect")
        def fast_load(connection, _record):  # a throw-away file: no journal, no fsync while loading
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-200000"):
                connection.execute(f"PRAGMA {pragma}")

    db.metadata.create_all(engine)
    counts: dict[str, int] = defaultdict(int)
    with engine.begin() as connection:
        member_groups, questions = _organisation(connection, groups, members)
    first_day = today - timedelta(days=days - 1)
    ids = {"attempt": 0, "answer": 0, "points": 0}
    for start in range(0, members, BATCH):
        rows = _History(ids, questions)
        for user_id, _group_id in member_groups[start:start + BATCH]:
            rows.member(user_id, first_day, today, seed)
        with engine.begin() as connection:
            for model, batch in rows.tables().items():
                if batch:
                    connection.execute(model.__table__.insert(), batch)
                    counts[model.__tablename__] += len(batch)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        # Statistics for the planner (and, on PostgreSQL, the visibility map for index-only scans).
        connection.exec_driver_sql("ANALYZE" if sqlite else "VACUUM ANALYZE")
    engine.dispose()
    return dict(counts)


def _organisation(connection, groups: int, members: int):
    """A 党委 over `groups` branches, a secretary each, `members` members; the question bank."""
    password_hash = generate_password_hash(PASSWORD, method="scrypt")

    def people(**values) -> dict:
        return {"password_hash": password_hash, "active": True, "must_change_password": False, "created_at": EPOCH,
                **values}

    branches = [{"id": 1, "name": "机关党委", "kind": "committee", "parent_id": None, "invite_code": "BENCH000",
                 "created_at": EPOCH}]
    branches += [{"id": 1 + n, "name": f"第{n}党支部", "kind": "branch", "parent_id": 1, "invite_code": f"BENCH{n:03d}",
                  "created_at": EPOCH} for n in range(1, groups + 1)]
    connection.execute(StudyGroup.__table__.insert(), branches)
    users = [people(id=1, username="admin", name="管理员", role="admin", group_id=None)]
    users += [people(id=1 + n, username=f"secretary{n}", name=f"书记{n}", role="secretary", group_id=1 + n)
              for n in range(1, groups + 1)]
    first_member = groups + 2
    member_groups = [(first_member + n, 2 + n % groups) for n in range(members)]
    users += [people(id=user_id, username=f"member{user_id}", name=f"党员{user_id}", role="member", group_id=group_id)
              for user_id, group_id in member_groups]
    connection.execute(User.__table__.insert(), users)
    connection.execute(GroupSecretary.__table__.insert(),
                       [{"user_id": 1 + n, "group_id": 1 + n} for n in range(1, groups + 1)])
    connection.execute(Category.__table__.insert(),
                       [{"id": c + 1, "name": f"知识点{c + 1}", "path": f"党史/知识点{c + 1}", "parent_id": None}
                        for c in range(CATEGORIES)])
    questions = {c + 1: [] for c in range(CATEGORIES)}
    rows = []
    for number in range(1, CATEGORIES * QUESTIONS_PER_CATEGORY + 1):
        category = (number - 1) % CATEGORIES + 1
        questions[category].append(number)
        rows.append({"id": number, "key": f"bench-{number}", "type": "single", "stem": f"第{number}题",
                     "normalised_stem": f"第{number}题", "options": ["甲", "乙", "丙", "丁"], "answer": ["A"],
                     "explanation": "", "difficulty": 2, "category_id": category, "tags": [], "status": "published",
                     "quote": "", "draw_key": number / 1000, "created_at": EPOCH, "updated_at": EPOCH})
    connection.execute(Question.__table__.insert(), rows)
    connection.execute(QuestionVersion.__table__.insert(), [  # version 1 of question n has id n
        {"id": row["id"], "question_id": row["id"], "number": 1, "created_at": EPOCH,
         **{name: row[name] for name in ("type", "stem", "options", "answer", "explanation", "quote")}} for row in rows])
    return member_groups, questions


class _History:
    """The raw rows and summary rows of a batch of members."""

    def __init__(self, ids: dict, questions: dict[int, list[int]]):
        self.ids, self.questions = ids, questions
        self.attempts, self.answers, self.points, self.totals = [], [], [], []
        self.study: dict[tuple, list] = {}
        self.categories: dict[tuple, list] = {}
        self.latest: dict[tuple, tuple] = {}

    def member(self, user_id: int, first_day: date, today: date, seed: int) -> None:
        habit = random.Random(seed * 1_000_003 + user_id)
        keen, skill = habit.uniform(0.3, 0.95), habit.uniform(0.4, 0.95)
        studied, sums = [], [0, 0, 0, 0]
        day = first_day
        while day <= today:
            rng = random.Random(f"{seed}:{user_id}:{day.toordinal()}")
            if rng.random() < keen:
                _add(sums, self._attempt(user_id, day, rng, skill))
                studied.append(day)
            day += timedelta(days=1)
        self._total(user_id, studied, sums)

    def _attempt(self, user_id: int, day: date, rng: random.Random, skill: float) -> list[int]:
        """One daily quiz of PAPER questions of one category; returns [attempts, questions, correct, points]."""
        self.ids["attempt"] += 1
        attempt_id = self.ids["attempt"]
        finished = datetime.combine(day, time(7), tzinfo=ZONE) + timedelta(seconds=rng.randrange(15 * 3600))
        finished = finished.astimezone(timezone.utc)
        category = rng.randrange(CATEGORIES) + 1
        picked = rng.sample(self.questions[category], PAPER)
        rights = [rng.random() < skill for _ in picked]
        correct, points = sum(rights), min(sum(rights), 5)
        self.attempts.append({
            "id": attempt_id, "user_id": user_id, "mode": "daily", "title": "每日答题", "rule": {}, "seed": 1,
            "status": "finished", "started_at": finished - timedelta(minutes=4), "finished_at": finished,
            "study_day": day, "score": float(correct), "max_score": float(PAPER), "correct_count": correct,
            "question_count": PAPER, "time_used_s": 240})
        for position, (question_id, right) in enumerate(zip(picked, rights), 1):
            self.ids["answer"] += 1
            self.answers.append({"id": self.ids["answer"], "attempt_id": attempt_id, "position": position,
                                 "question_id": question_id, "question_version_id": question_id,
                                 "option_order": [0, 1, 2, 3], "points": 1.0,
                                 "given": ["A" if right else "B"], "answered_at": finished,
                                 "is_correct": right, "score": float(right)})
            self.latest[(user_id, question_id)] = (right, finished)
        if points:
            self.ids["points"] += 1
            self.points.append({"id": self.ids["points"], "user_id": user_id, "day": day, "amount": points,
                                "reason": "daily_quiz", "attempt_id": attempt_id, "created_at": finished})
        values = [1, PAPER, correct, points, float(correct), float(PAPER), 240]
        for span, start in (("day", day), ("week", day - timedelta(days=day.weekday())), ("month", month_start(day))):
            _add(self.study.setdefault((user_id, span, start), [0] * 7), values)
            _add(self.categories.setdefault((user_id, span, start, category), [0, 0]), [PAPER, correct])
        return values[:4]

    def _total(self, user_id: int, studied: list[date], sums: list[int]) -> None:
        if not studied:
            return
        streak = 1
        while streak < len(studied) and studied[-streak - 1] == studied[-1] - timedelta(days=streak):
            streak += 1
        self.totals.append({"user_id": user_id, "attempts": sums[0], "questions": sums[1], "correct": sums[2],
                            "points": sums[3], "last_day": studied[-1], "streak": streak})

    def tables(self) -> dict:
        fields = ("attempts", "questions", "correct", "points", "score", "max_score", "time_used_s")
        return {
            Attempt: self.attempts, AttemptAnswer: self.answers, PointsEntry: self.points, MemberTotal: self.totals,
            StudyStat: [{"user_id": u, "span": s, "start": d, **dict(zip(fields, v))}
                        for (u, s, d), v in self.study.items()],
            CategoryStat: [{"user_id": u, "span": s, "start": d, "category_id": c, "questions": q, "correct": k}
                           for (u, s, d, c), (q, k) in self.categories.items()],
            QuestionStat: [{"user_id": u, "question_id": q, "last_correct": ok, "last_answered_at": at}
                           for (u, q), (ok, at) in self.latest.items()],
        }


def _add(total: list, values: list) -> None:
    for index, value in enumerate(values):
        total[index] += value

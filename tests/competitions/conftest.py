"""Factories for the competition tests: an organisation, competitions, and finished attempts built directly."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, Competition
from quizapp.services.bank.versions import snapshot_versions
from quizapp.services.clock import local_day
from quizapp.services.competitions import lifecycle

START = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)  # Monday 09:00 in Shanghai
END = START + timedelta(hours=2)
DURING = START + timedelta(minutes=30)
RULE = {"sections": [{"type": "single", "count": 2, "points": 5.0, "category_path": None, "difficulty": None}],
        "time_limit_s": 600, "shuffle_options": True, "multiple_partial": True, "feedback": "after_end", "title": ""}


@pytest.fixture
def org(app, make_group, make_user):
    """A 党委 with two 支部 (三支部 sits outside it), a secretary for 一支部, and members."""
    committee = make_group(name="机关党委", kind="committee")
    first = make_group(name="一支部", parent=committee)
    second = make_group(name="二支部", parent=committee)
    outside = make_group(name="三支部")
    secretary = make_user(role="secretary", name="书记甲", group=first)
    first.secretaries.append(secretary)
    db.session.commit()
    return {
        "committee": committee, "first": first, "second": second, "outside": outside, "secretary": secretary,
        "admin": make_user(role="admin", name="管理员"),
        "a": make_user(name="甲", group=first), "b": make_user(name="乙", group=first),
        "c": make_user(name="丙", group=second), "d": make_user(name="丁", group=outside),
    }


@pytest.fixture
def make_competition(org):
    def make(**overrides) -> Competition:
        values = {"title": "党史知识竞赛", "starts_at": START, "ends_at": END, "rule": RULE, "time_limit_s": 600,
                  "announced_at": START - timedelta(days=1), "created_by_id": org["admin"].id, "feedback": "after_end"}
        groups = overrides.pop("groups", None)
        competition = Competition(**{**values, **overrides})
        if groups is not None:
            competition.whole_organisation, competition.scope_groups = False, groups
        db.session.add(competition)
        db.session.flush()
        lifecycle.refresh_group_stats(competition)
        db.session.commit()
        return competition

    return make


@pytest.fixture
def finish(make_question):
    """Record a finished attempt the way finalise_attempt does: write it, call record_attempt, commit."""
    questions = []

    def do_finish(user, competition, score, time_used_s=100, finished_at=None, correct=None) -> Attempt:
        finished_at = finished_at or DURING
        correct = correct if correct is not None else [score >= 5, score >= 10]
        while len(questions) < len(correct):
            questions.append(make_question())
        attempt = Attempt(user_id=user.id, mode="competition", competition_id=competition.id, rule=competition.rule,
                          seed=1, status="finished", started_at=finished_at - timedelta(seconds=time_used_s),
                          finished_at=finished_at, study_day=local_day(finished_at), score=score, max_score=10.0,
                          correct_count=sum(correct), question_count=len(correct), time_used_s=time_used_s)
        versions = snapshot_versions([q.id for q in questions])
        attempt.answers = [AttemptAnswer(position=i, question_id=q.id, question_version_id=versions[q.id],
                                         given=["A"], is_correct=right,
                                         score=5.0 if right else 0.0, points=5.0)
                           for i, (q, right) in enumerate(zip(questions, correct))]
        db.session.add(attempt)
        db.session.flush()
        lifecycle.record_attempt(attempt)
        db.session.commit()
        return attempt

    return do_finish


def shown_letter(answer, original: str = "A") -> str:
    """The letter under which the member sees the option that is originally `original`."""
    order = answer.option_order or list(range(len(answer.question.options)))
    return "ABCDEFGH"[order.index("ABCDEFGH".index(original))]


@pytest.fixture
def bank(app, make_question):
    """Four published single-choice questions whose right answer is A."""
    return [make_question() for _ in range(4)]


@pytest.fixture
def take():
    """Enter a competition through the engine, answer `right` questions right and the rest wrong, submit."""
    import random

    from quizapp.services.quizzes import engine

    def do_take(user, competition, right: int, started=DURING, seconds=100):
        attempt = lifecycle.enter(user, competition, now=started, rng=random.Random(user.id))
        for number, answer in enumerate(engine.load_paper(attempt)):
            letter = shown_letter(answer) if number < right else shown_letter(answer, "B")
            engine.save_answer(attempt, answer.position, letter, now=started + timedelta(seconds=1))
        return engine.finalise_attempt(attempt, now=started + timedelta(seconds=seconds))

    return do_take

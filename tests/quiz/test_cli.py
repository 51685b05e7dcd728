from datetime import timedelta
from random import Random

from sqlalchemy import func, select

from quizapp.demo import seed, seed_history
from quizapp.extensions import db
from quizapp.models import Attempt, MemberTotal, PointsEntry, ReviewCard, User
from quizapp.models._types import utcnow
from quizapp.services.clock import local_day
from quizapp.services.quizzes import engine
from tests.quiz.conftest import NOW, rule


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_finalise_expired_command(runner, bank, start, make_user):
    bank({"judge": 2})
    start(rule(("judge", 1), time_limit_s=60), user=make_user(), now=utcnow() - timedelta(minutes=5))
    start(rule(("judge", 1), time_limit_s=3600), user=make_user(), now=utcnow())
    result = runner.invoke(args=["finalise-expired"])
    assert result.exit_code == 0 and "已自动交卷 1 份超时的答卷" in result.output
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.status == "open")) == 1


def test_demo_history_skips_without_published_questions(app, bank):
    seed(db.session)
    bank({"single": 5}, status="draft")
    result = seed_history(db.session, now=NOW, rng=Random(1))
    assert result.attempts == 0 and "题库中还没有已发布的题目" in result.skipped
    assert count(Attempt) == 0


def test_demo_history_creates_weeks_of_realistic_quizzes_once(app, bank):
    seed(db.session)
    bank({"single": 12, "multiple": 6, "judge": 10, "fill": 6}, category="党史/百年奋斗")
    result = seed_history(db.session, now=NOW, rng=Random(1), days=7)
    assert result.attempts > 60 and not result.skipped
    attempts = db.session.scalars(select(Attempt)).all()
    assert {a.status for a in attempts} == {"finished"} and {a.mode for a in attempts} >= {"daily", "practice", "exam"}
    days = {a.study_day for a in attempts}
    assert min(days) == local_day(NOW) - timedelta(days=7) and max(days) == local_day(NOW) - timedelta(days=1)
    scores = [a.score / a.max_score for a in attempts]
    assert 0.3 < sum(scores) / len(scores) < 0.95 and len(set(scores)) > 5  # some right, some wrong, varied
    assert count(PointsEntry) > 0 and count(ReviewCard) > 0
    member = db.session.scalar(select(User).where(User.username == "member1"))
    assert db.session.get(MemberTotal, member.id).points == sum(e.amount for e in db.session.scalars(
        select(PointsEntry).where(PointsEntry.user_id == member.id)))
    again = seed_history(db.session, now=NOW, rng=Random(2))
    assert again.attempts == 0 and "已有答题记录" in again.skipped and count(Attempt) == len(attempts)


def test_seed_demo_command_reports_the_history(runner, bank, monkeypatch):
    monkeypatch.setattr("quizapp.demo.HISTORY_DAYS", 3)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "题库中还没有已发布的题目" in result.output
    bank({"single": 8, "multiple": 4, "judge": 6, "fill": 4})
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "演示数据已存在" in result.output and "已生成最近 3 天的" in result.output
    assert min(a.study_day for a in db.session.scalars(select(Attempt))) == local_day(utcnow()) - timedelta(days=3)
    assert engine.open_attempts(db.session.scalar(select(User.id).where(User.username == "member1"))) == []

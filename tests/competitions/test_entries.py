"""Entries and summaries kept at finalise: best-of-N, group stats, score counts, question stats,
participation points, and the rebuild that must give exactly what the incremental updates gave."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import CompetitionEntry, CompetitionGroupStat, CompetitionQuestionStat, CompetitionScoreCount, PointsEntry
from quizapp.services.competitions import lifecycle
from tests.competitions.conftest import DURING


def entry(competition, user) -> CompetitionEntry:
    db.session.expire_all()
    return lifecycle.entry_of(user, competition)


def group_stat(competition, group) -> tuple:
    stat = db.session.get(CompetitionGroupStat, (competition.id, group.id))
    return stat.participants, stat.score_sum, stat.members_in_scope


def score_counts(competition) -> dict:
    rows = db.session.scalars(select(CompetitionScoreCount).where(CompetitionScoreCount.competition_id == competition.id))
    return {row.score: row.entries for row in rows if row.entries}


def question_stats(competition) -> dict:
    rows = db.session.scalars(select(CompetitionQuestionStat)
                              .where(CompetitionQuestionStat.competition_id == competition.id))
    return {row.question_id: (row.answered, row.correct) for row in rows}


def test_best_of_n_keeps_the_best_attempt(make_competition, finish, org):
    competition = make_competition(attempts_allowed=3)
    user = org["a"]
    first = finish(user, competition, 5, 100, DURING)
    best = finish(user, competition, 10, 200, DURING + timedelta(minutes=5))
    finish(user, competition, 10, 300, DURING + timedelta(minutes=10))  # same score, slower: not better
    finish(user, competition, 0, 50, DURING + timedelta(minutes=20))
    row = entry(competition, user)
    assert (row.best_attempt_id, row.best_score, row.time_used_s, row.submitted_at) == (
        best.id, 10, 200, best.finished_at)
    assert (row.attempts_finished, row.attempts_used) == (4, 4)
    assert first.id != best.id
    assert group_stat(competition, org["first"]) == (1, 10.0, 3)
    assert score_counts(competition) == {10.0: 1}


def test_same_score_in_less_time_is_better(make_competition, finish, org):
    competition = make_competition(attempts_allowed=2)
    finish(org["a"], competition, 5, 300, DURING)
    faster = finish(org["a"], competition, 5, 100, DURING + timedelta(minutes=10))
    assert entry(competition, org["a"]).best_attempt_id == faster.id
    assert group_stat(competition, org["first"]) == (1, 5.0, 3)


def test_group_stats_sum_each_participant_once(make_competition, finish, org):
    competition = make_competition(groups=[org["committee"]])
    finish(org["a"], competition, 5)
    finish(org["b"], competition, 10)
    finish(org["c"], competition, 5)
    assert group_stat(competition, org["first"]) == (2, 15.0, 3)
    assert group_stat(competition, org["second"]) == (1, 5.0, 1)
    assert score_counts(competition) == {5.0: 2, 10.0: 1}
    assert db.session.get(CompetitionGroupStat, (competition.id, org["outside"].id)) is None


def test_question_stats_count_every_finished_attempt(make_competition, finish, org):
    competition = make_competition(attempts_allowed=2)
    first = finish(org["a"], competition, 5, correct=[True, False])
    finish(org["a"], competition, 10, correct=[True, True])
    finish(org["b"], competition, 0, correct=[False, False])
    q1, q2 = [answer.question_id for answer in first.answers]
    assert question_stats(competition) == {q1: (3, 2), q2: (3, 1)}


def test_participation_points_once_per_competition(make_competition, finish, org):
    competition = make_competition(attempts_allowed=2, participation_points=3)
    finish(org["a"], competition, 5)
    finish(org["a"], competition, 10)
    rows = db.session.scalars(select(PointsEntry).where(PointsEntry.reason == "competition_entry")).all()
    assert [(row.user_id, row.amount) for row in rows] == [(org["a"].id, 3)]


def test_participation_points_reach_the_members_summaries_as_a_rebuild_counts_them(make_competition, take, bank, org):
    """Through the engine (enter, answer, finalise): 我的学习 and the points boards read the summaries."""
    from quizapp.models import MemberTotal
    from quizapp.services.progress import summaries
    from tests.progress.test_recording import dump_all

    competition = make_competition(attempts_allowed=2, participation_points=3)
    take(org["a"], competition, right=2)
    take(org["a"], competition, right=1, started=DURING + timedelta(minutes=5))
    incremental = dump_all()
    ledger = db.session.scalar(select(func.sum(PointsEntry.amount)).where(PointsEntry.user_id == org["a"].id))
    assert ledger == 3 and db.session.get(MemberTotal, org["a"].id).points == ledger
    summaries.rebuild_all()
    assert dump_all() == incremental


def snapshot(competition) -> dict:
    db.session.expire_all()
    entries = db.session.scalars(select(CompetitionEntry).where(CompetitionEntry.competition_id == competition.id))
    stats = db.session.scalars(select(CompetitionGroupStat).where(CompetitionGroupStat.competition_id == competition.id))
    return {
        "entries": sorted((e.user_id, e.group_id, e.attempts_used, e.attempts_finished, e.best_attempt_id, e.best_score,
                           e.max_score, e.time_used_s, e.submitted_at) for e in entries),
        "groups": sorted((s.group_id, s.participants, s.score_sum, s.members_in_scope) for s in stats),
        "scores": score_counts(competition),
        "questions": question_stats(competition),
    }


def test_rebuild_equals_incremental(make_competition, finish, org, runner):
    competition = make_competition(attempts_allowed=3, groups=[org["committee"]])
    plan = [("a", 5, 100), ("a", 10, 300), ("a", 10, 200), ("b", 0, 50), ("c", 10, 100), ("secretary", 5, 80)]
    for minute, (name, score, seconds) in enumerate(plan):
        finish(org[name], competition, score, seconds, DURING + timedelta(minutes=minute))
    incremental = snapshot(competition)
    assert len(incremental["entries"]) == 4 and incremental["scores"] == {10.0: 2, 5.0: 1, 0.0: 1}
    db.session.execute(CompetitionEntry.__table__.update().values(best_score=0, attempts_used=9))
    db.session.execute(CompetitionGroupStat.__table__.delete())
    db.session.commit()
    assert snapshot(competition) != incremental
    result = runner.invoke(args=["rebuild-entries", "--competition", str(competition.id)])
    assert result.exit_code == 0, result.output
    assert "4" in result.output
    assert snapshot(competition) == incremental


def test_rebuild_of_an_unknown_competition(runner):
    result = runner.invoke(args=["rebuild-entries", "--competition", "999"])
    assert result.exit_code != 0 and "竞赛（编号 999）不存在" in result.output
    assert "Error" not in result.output


@pytest.mark.parametrize("points, count, scores, labels, counts", [
    (5.0, 2, [10, 10, 5, 0, 7.5], [str(n) for n in range(11)], [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2]),
    (10.0, 10, [100, 99.5, 90, 89, 0], ["0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89",
                                        "90–100"], [1, 0, 0, 0, 0, 0, 0, 0, 1, 3]),
    (5.0, 5, [25, 3], ["0–2", "3–5", "6–8", "9–11", "12–14", "15–17", "18–20", "21–23", "24–25"],
     [0, 1, 0, 0, 0, 0, 0, 0, 1]),
])
def test_score_distribution(make_competition, finish, make_user, org, points, count, scores, labels, counts):
    from quizapp.services.competitions import results
    rule = {"sections": [{"type": "single", "count": count, "points": points}]}
    competition = make_competition(rule=rule)
    for score in scores:
        finish(make_user(group=org["first"]), competition, score)
    bins = results.score_distribution(competition)
    assert ([b.label for b in bins], [b.count for b in bins]) == (labels, counts)

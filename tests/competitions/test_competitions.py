"""Competition settings and their checks, states, scope, entering, the freeze at the end, results."""
import random
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Competition, CompetitionEntry, PointsEntry
from quizapp.services.competitions import lifecycle
from quizapp.services.competitions.awards import PointsPolicy
from quizapp.services.competitions.lifecycle import CompetitionData, CompetitionError
from quizapp.services.quizzes import engine
from tests.competitions.conftest import DURING, END, START, shown_letter
from tests.statements import recorded_statements, writes

BEFORE = START - timedelta(days=2)
SECTIONS = [{"type": "single", "count": 2, "points": 5.0}]
FEW_ENTRANTS = PointsPolicy(organiser_max_participation=5, organiser_max_place=20, min_entrants_for_places=1)


def data(**overrides) -> CompetitionData:
    values = {"title": "党史知识竞赛", "starts_at": START, "ends_at": END, "sections": SECTIONS, "time_limit_s": 600}
    return CompetitionData(**{**values, **overrides})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- creating and editing -------------------------------------------------------------------

def test_admin_creates_a_random_paper_competition(org, bank):
    competition = lifecycle.save_competition(data(placing_points=[10, 6, 3]), acting_user=org["admin"], now=BEFORE,
                                                announce=True)
    assert competition.state(BEFORE) == "scheduled" and competition.whole_organisation
    assert competition.rule["sections"][0]["count"] == 2 and competition.rule["time_limit_s"] == 600
    assert competition.question_ids is None and competition.placing_points == [10, 6, 3]


def test_fixed_paper_by_keys_and_ids(org, bank, make_question):
    judge = make_question(type="judge", options=[], answer=True)
    refs = [bank[2].key, str(judge.id), bank[0].key]
    competition = lifecycle.save_competition(data(question_refs=refs, points_by_type={"judge": 2.0}),
                                                acting_user=org["admin"], now=BEFORE)
    assert competition.question_ids == [bank[2].id, judge.id, bank[0].id]
    assert sorted((s["type"], s["count"], s["points"]) for s in competition.rule["sections"]) == [
        ("judge", 1, 2.0), ("single", 2, 1.0)]
    assert competition.state(BEFORE) == "draft"


def test_secretary_creates_for_the_groups_he_leads(org, bank):
    competition = lifecycle.save_competition(data(whole_organisation=False, group_ids=[org["first"].id]),
                                                acting_user=org["secretary"], now=BEFORE)
    assert [g.name for g in competition.scope_groups] == ["一支部"]
    assert competition.created_by_id == org["secretary"].id


@pytest.mark.parametrize("overrides, user, message", [
    ({"title": "  "}, "admin", "请填写竞赛名称"),
    ({"starts_at": END, "ends_at": START}, "admin", "开始时间必须早于结束时间"),
    ({"starts_at": END, "ends_at": END}, "admin", "开始时间必须早于结束时间"),
    ({"ends_at": BEFORE - timedelta(minutes=1), "starts_at": BEFORE - timedelta(hours=1)}, "admin", "结束时间已经过去"),
    ({"attempts_allowed": 0}, "admin", "可参加次数应在 1 到 20 之间"),
    ({"time_limit_s": 30}, "admin", "答题限时至少 1 分钟"),
    ({"participation_points": -1}, "admin", "参与积分应在 0 到 100 之间"),
    ({"placing_points": [5, 2000]}, "admin", "名次积分应在 0 到 1000 之间"),
    ({"whole_organisation": False}, "admin", "请至少选择一个参赛组织"),
    ({"whole_organisation": False, "group_ids": [999]}, "admin", "参赛组织（编号 999）不存在"),
    ({}, "secretary", "支部书记只能为自己负责的组织创建竞赛"),
    ({"whole_organisation": False, "group_ids": ["second"]}, "secretary", "您不是「二支部」的书记"),
    ({"whole_organisation": False, "group_ids": ["committee"]}, "secretary", "您不是「机关党委」的书记"),
    ({}, "a", "只有管理员和支部书记可以组织竞赛"),
    ({"sections": [{"type": "single", "count": 5, "points": 1.0}]}, "admin", "题库中单选题只有 4 道，规则需要 5 道"),
    ({"sections": [{"type": "multiple", "count": 1, "points": 1.0}]}, "admin", "题库中多选题只有 0 道，规则需要 1 道"),
    ({"sections": [{"type": "single", "count": 0, "points": 1.0}]}, "admin", "规则中至少要有一种题型"),
    ({"question_refs": ["nope"]}, "admin", "第 1 题「nope」在题库中不存在"),
    ({"question_refs": []}, "admin", "固定试卷至少需要 1 道题"),
    ({"question_refs": ["draft-q"]}, "admin", "第 1 题「draft-q」尚未发布"),
])
def test_bad_settings_are_refused_and_nothing_is_written(org, bank, make_question, overrides, user, message):
    make_question(key="draft-q", status="draft")
    overrides = {key: [org[v].id if isinstance(v, str) else v for v in value] if key == "group_ids" else value
                 for key, value in overrides.items()}
    with pytest.raises(CompetitionError, match=message):
        lifecycle.save_competition(data(**overrides), acting_user=org[user], now=BEFORE, announce=True)
    db.session.rollback()
    assert count(Competition) == 0


def test_every_problem_is_reported_at_once(org, bank):
    with pytest.raises(CompetitionError) as caught:
        lifecycle.save_competition(data(title="", attempts_allowed=0, starts_at=END, ends_at=START),
                                      acting_user=org["admin"], now=BEFORE)
    assert str(caught.value).count("；") == 2


def test_edit_before_start_may_change_everything(org, bank):
    competition = lifecycle.save_competition(data(), acting_user=org["admin"], now=BEFORE, announce=True)
    changed = data(title="新名称", attempts_allowed=3, whole_organisation=False, group_ids=[org["second"].id])
    lifecycle.save_competition(changed, acting_user=org["admin"], now=BEFORE, competition=competition)
    assert (competition.title, competition.attempts_allowed, [g.name for g in competition.scope_groups]) == (
        "新名称", 3, ["二支部"])


def test_an_edit_writes_the_competition_row_after_the_group_stats_as_a_finalise_does(org, bank):
    competition = lifecycle.save_competition(data(), acting_user=org["admin"], now=BEFORE, announce=True)
    with recorded_statements() as recorded:
        lifecycle.save_competition(data(title="新名称"), acting_user=org["admin"], now=BEFORE,
                                      competition=competition)
    statements = [statement.lstrip() for statement in recorded]
    group_stats = [n for n, s in enumerate(statements) if s.startswith("INSERT INTO competition_group_stat")]
    own_row = [n for n, s in enumerate(statements) if s.startswith("UPDATE competition SET")]
    assert group_stats and own_row and max(group_stats) < min(own_row)
    assert db.session.get(Competition, competition.id).title == "新名称"


@pytest.mark.parametrize("change, allowed", [
    ({"title": "新名称", "description": "说明", "board_hidden": True, "placing_points": [5]}, True),
    ({"attempts_allowed": 2}, False),
    ({"ends_at": END + timedelta(hours=1)}, False),
    ({"sections": [{"type": "single", "count": 1, "points": 5.0}]}, False),
    ({"whole_organisation": False, "group_ids": ["first"]}, False),
])
def test_once_open_only_presentation_may_change(org, bank, change, allowed):
    competition = lifecycle.save_competition(data(), acting_user=org["admin"], now=BEFORE, announce=True)
    change = {k: [org[v].id for v in value] if k == "group_ids" else value for k, value in change.items()}
    update = replace(data(), **change)
    if allowed:
        lifecycle.save_competition(update, acting_user=org["admin"], now=DURING, competition=competition)
        assert competition.title == update.title and competition.board_hidden == update.board_hidden
    else:
        with pytest.raises(CompetitionError, match="竞赛已开始"):
            lifecycle.save_competition(update, acting_user=org["admin"], now=DURING, competition=competition)
        db.session.rollback()
        assert db.session.get(Competition, competition.id).attempts_allowed == 1


# --- state and scope ------------------------------------------------------------------------

@pytest.mark.parametrize("announced, published, now, state", [
    (False, False, DURING, "draft"),
    (True, False, START - timedelta(seconds=1), "scheduled"),
    (True, False, START, "open"),
    (True, False, END - timedelta(seconds=1), "open"),
    (True, False, END, "ended"),
    (True, True, END + timedelta(hours=1), "published"),
])
def test_state_follows_the_times(make_competition, announced, published, now, state):
    competition = make_competition(announced_at=BEFORE if announced else None,
                                   results_published_at=END if published else None)
    assert competition.state(now) == state


@pytest.mark.parametrize("scope, member, expected", [
    (None, "a", True),            # whole organisation
    (None, "admin", False),       # not in any group
    (["committee"], "a", True),   # a chosen parent covers its branches
    (["committee"], "c", True),
    (["committee"], "d", False),  # a branch outside the chosen parent
    (["first"], "c", False),      # a sibling branch
    (["first", "outside"], "d", True),
])
def test_scope(make_competition, org, scope, member, expected):
    groups = None if scope is None else [org[name] for name in scope]
    competition = make_competition(groups=groups)
    assert lifecycle.in_scope(org[member], competition) is expected
    visible = [c.id for cs in lifecycle.visible_competitions(org[member], DURING).values() for c in cs]
    assert (competition.id in visible) is expected
    assert (competition in lifecycle.upcoming_and_open(org[member], DURING)) is expected


def test_home_panel_lists_open_first_and_leaves_out_drafts_and_ended(make_competition, org):
    later = make_competition(title="以后", starts_at=END, ends_at=END + timedelta(hours=1))
    running = make_competition(title="进行中")
    make_competition(title="草稿", announced_at=None)
    make_competition(title="已结束", starts_at=START - timedelta(hours=3), ends_at=START - timedelta(hours=1))
    assert lifecycle.upcoming_and_open(org["a"], DURING) == [running, later]


# --- entering -------------------------------------------------------------------------------

def enter(user, competition, now=DURING):
    return lifecycle.enter(user, competition, now=now, rng=random.Random(1))


def test_enter_starts_an_engine_attempt_with_the_end_as_deadline(make_competition, org, bank):
    competition = make_competition(time_limit_s=None, rule={**make_competition().rule, "time_limit_s": None})
    attempt = enter(org["a"], competition)
    assert (attempt.mode, attempt.competition_id, attempt.deadline, attempt.reveal_at) == (
        "competition", competition.id, END, END)
    assert len(attempt.answers) == 2 and lifecycle.entry_of(org["a"], competition).attempts_used == 1


def test_time_limit_is_the_deadline_when_it_comes_first(make_competition, org, bank):
    attempt = enter(org["a"], make_competition())
    assert attempt.deadline == DURING + timedelta(seconds=600)


def test_enter_twice_returns_the_open_attempt(make_competition, org, bank):
    competition = make_competition(attempts_allowed=2)
    assert enter(org["a"], competition).id == enter(org["a"], competition).id
    assert lifecycle.entry_of(org["a"], competition).attempts_used == 1


def test_fixed_paper_gives_everyone_the_same_questions(make_competition, org, bank):
    competition = make_competition(question_ids=[bank[3].id, bank[1].id])
    papers = [[a.question_id for a in enter(org[name], competition).answers] for name in ("a", "c")]
    assert papers == [[bank[3].id, bank[1].id]] * 2


@pytest.mark.parametrize("now, member, overrides, message", [
    (START - timedelta(seconds=1), "a", {}, "竞赛尚未开始"),
    (END, "a", {}, "竞赛已于 2025-06-02 11:00 结束"),
    (DURING, "a", {"announced_at": None}, "竞赛尚未开始"),
    (DURING, "d", {"groups": ["first", "second"]}, "您不在本竞赛的参赛范围内"),
    (DURING, "admin", {}, "您不在本竞赛的参赛范围内"),
])
def test_enter_refused_outside_window_or_scope(make_competition, org, bank, now, member, overrides, message):
    if "groups" in overrides:
        overrides["groups"] = [org[name] for name in overrides["groups"]]
    competition = make_competition(**overrides)
    with pytest.raises(CompetitionError, match=message):
        enter(org[member], competition, now)
    assert count(Attempt) == 0 and count(CompetitionEntry) == 0


def test_attempts_beyond_the_limit_are_refused(make_competition, org, bank):
    competition = make_competition(attempts_allowed=2)
    for minute in (0, 20):
        attempt = enter(org["a"], competition, DURING + timedelta(minutes=minute))
        engine.finalise_attempt(attempt, now=DURING + timedelta(minutes=minute + 1))
    with pytest.raises(CompetitionError, match="每人可参加 2 次，您已全部用完"):
        enter(org["a"], competition, DURING + timedelta(minutes=40))
    assert count(Attempt) == 2 and lifecycle.entry_of(org["a"], competition).attempts_used == 2


def test_a_shortfall_when_entering_changes_nothing(make_competition, org, bank):
    rule = {**make_competition().rule, "sections": [{"type": "multiple", "count": 1, "points": 1.0}]}
    competition = make_competition(rule=rule)
    with pytest.raises(engine.QuizError, match="多选题只有 0 道"):
        enter(org["a"], competition)
    assert count(CompetitionEntry) == 0 and count(Attempt) == 0


def test_best_of_n_through_the_engine(make_competition, org, bank, take):
    competition = make_competition(attempts_allowed=3)
    take(org["a"], competition, right=1, started=DURING)
    best = take(org["a"], competition, right=2, started=DURING + timedelta(minutes=15), seconds=200)
    take(org["a"], competition, right=2, started=DURING + timedelta(minutes=30), seconds=300)
    db.session.expire_all()
    entry = lifecycle.entry_of(org["a"], competition)
    assert (entry.best_attempt_id, entry.best_score, entry.time_used_s, entry.attempts_finished) == (best.id, 10, 200, 3)


# --- the end --------------------------------------------------------------------------------

def test_freeze_finalises_open_attempts_at_the_deadline_and_refuses_late_answers(make_competition, org, bank):
    competition = make_competition(rule={**make_competition().rule, "time_limit_s": None})
    attempt = enter(org["a"], competition, END - timedelta(minutes=5))
    first = engine.load_paper(attempt)[0]
    engine.save_answer(attempt, first.position, shown_letter(first), now=END - timedelta(minutes=1))
    assert lifecycle.freeze(competition, now=END - timedelta(seconds=1)) == 0
    assert lifecycle.freeze(competition, now=END + timedelta(minutes=3)) == 1
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert (attempt.status, attempt.finished_at, attempt.score) == ("finished", END, 5.0)
    entry = lifecycle.entry_of(org["a"], competition)
    assert (entry.best_score, entry.submitted_at, entry.time_used_s) == (5.0, END, 300)
    with pytest.raises(engine.QuizError, match="已经交卷"):
        engine.save_answer(attempt, 2, "A", now=END + timedelta(minutes=4))


def test_a_late_answer_finalises_at_the_deadline(make_competition, org, bank):
    competition = make_competition(rule={**make_competition().rule, "time_limit_s": None})
    attempt = enter(org["a"], competition, END - timedelta(minutes=5))
    with pytest.raises(engine.AttemptExpired):
        engine.save_answer(attempt, 1, "A", now=END + timedelta(seconds=1))
    db.session.expire_all()
    assert lifecycle.entry_of(org["a"], competition).submitted_at == END


def test_freeze_ended_covers_every_ended_competition(make_competition, org, bank, runner):
    competition = make_competition()
    enter(org["a"], competition, END - timedelta(minutes=1))
    enter(org["b"], competition, END - timedelta(minutes=1))
    assert lifecycle.freeze_ended(now=END) == 2
    assert lifecycle.freeze_ended(now=END) == 0


def test_publish_results_awards_placing_points_once(make_competition, finish, org):
    competition = make_competition(placing_points=[10, 5])
    for name, score in (("a", 10), ("b", 10), ("c", 5)):
        finish(org[name], competition, score, 100, DURING)
    with pytest.raises(CompetitionError, match="竞赛结束后才能公布成绩"):
        lifecycle.publish_results(competition, now=END - timedelta(seconds=1))
    assert lifecycle.publish_results(competition, now=END, policy=FEW_ENTRANTS) == 2
    rows = db.session.execute(select(PointsEntry.user_id, PointsEntry.amount)
                              .where(PointsEntry.reason == "competition_place")).all()
    assert sorted(rows) == sorted([(org["a"].id, 10), (org["b"].id, 10)])  # a tie for 1st; nobody is 2nd
    assert competition.state(END) == "published" and not competition.board_hidden
    with pytest.raises(CompetitionError, match="成绩已经公布过了"):
        lifecycle.publish_results(competition, now=END)
    assert count(PointsEntry) == 2


def test_entering_recounts_the_members_of_the_entrants_group(make_competition, make_user, org, bank):
    from quizapp.models import CompetitionGroupStat
    competition = make_competition()
    assert db.session.get(CompetitionGroupStat, (competition.id, org["first"].id)).members_in_scope == 3
    make_user(group=org["first"])  # joins after the competition was saved
    enter(org["a"], competition)
    db.session.expire_all()
    assert db.session.get(CompetitionGroupStat, (competition.id, org["first"].id)).members_in_scope == 4


def test_freeze_writes_once_then_only_reads(make_competition, org):
    competition = make_competition()
    assert lifecycle.freeze(competition, now=END) == 0 and competition.frozen_at == END
    with recorded_statements() as statements:
        lifecycle.freeze(competition, now=END + timedelta(minutes=1))
    db.session.expire_all()
    assert competition.frozen_at == END and writes(statements) == []


def test_placing_points_reach_the_members_totals_as_a_rebuild_counts_them(make_competition, finish, org):
    from quizapp.models import MemberTotal
    from quizapp.services.clock import local_day
    from quizapp.services.competitions import leaderboard
    from quizapp.services.progress import summaries
    from tests.progress.test_recording import dump_all
    competition = make_competition(placing_points=[10, 5])
    for name, score in (("a", 10), ("b", 5)):
        summaries.record_attempt(finish(org[name], competition, score, 100, DURING))  # the summaries too
    db.session.commit()
    lifecycle.publish_results(competition, now=END, policy=FEW_ENTRANTS)
    incremental = dump_all()
    for name, expected in (("a", 10), ("b", 5)):
        ledger = db.session.scalar(select(func.sum(PointsEntry.amount)).where(PointsEntry.user_id == org[name].id))
        assert db.session.get(MemberTotal, org[name].id).points == ledger >= expected
    board, _ = leaderboard.points_board(period="all", today=local_day(END))
    assert {row.user_id: row.points for row in board} == dict(db.session.execute(
        select(PointsEntry.user_id, func.sum(PointsEntry.amount)).group_by(PointsEntry.user_id)).all())
    summaries.rebuild_all()
    assert dump_all() == incremental

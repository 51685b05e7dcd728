"""The individual board (ranking rules, ties, own rank and neighbours), the branch board and points boards."""
import random
from datetime import date, timedelta

import pytest

from quizapp.extensions import db
from quizapp.services.competitions import leaderboard
from quizapp.services.progress import points, summaries
from tests.competitions.conftest import DURING

T = DURING


def expected_ranks(results: dict) -> dict:
    """Rank by the rules, worked out the slow way: 1 + the number of results strictly better."""
    keys = {name: (-score, time, at) for name, (score, time, at) in results.items()}
    return {name: 1 + sum(other < key for other in keys.values()) for name, key in keys.items()}


@pytest.fixture
def people(make_user, org):
    return lambda count: [make_user(name=f"选手{n:02d}", group=org["first"]) for n in range(count)]


@pytest.mark.parametrize("results, ranks", [
    # higher score first
    ({"p0": (10, 100, T), "p1": (5, 50, T)}, {"p0": 1, "p1": 2}),
    # same score: less time first
    ({"p0": (10, 100, T), "p1": (10, 90, T)}, {"p1": 1, "p0": 2}),
    # same score and time: earlier submission first
    ({"p0": (10, 100, T + timedelta(seconds=5)), "p1": (10, 100, T)}, {"p1": 1, "p0": 2}),
    # equal on all three: shared rank, the next one skips (1, 1, 3)
    ({"p0": (10, 100, T), "p1": (10, 100, T), "p2": (5, 100, T)}, {"p0": 1, "p1": 1, "p2": 3}),
])
def test_ranking_rules_and_tie_breaks(make_competition, finish, people, results, ranks):
    competition = make_competition()
    users = people(len(results))
    for user, (score, time, at) in zip(users, results.values()):
        finish(user, competition, score, time, at)
    names = {user.name: key for user, key in zip(users, results)}
    board = leaderboard.individual_board(competition, top=10)
    assert {names[row.name]: row.rank for row in board.top} == ranks
    assert [row.rank for row in board.top] == sorted(ranks.values())
    assert board.participants == len(results)


def test_own_rank_and_neighbours_outside_the_top(make_competition, finish, people):
    competition = make_competition()
    users = people(10)
    for number, user in enumerate(users):
        finish(user, competition, score=10 - number, time_used_s=100)
    board = leaderboard.individual_board(competition, user=users[6], top=3, neighbours=2)
    assert [row.name for row in board.top] == ["选手00", "选手01", "选手02"]
    assert (board.me.name, board.me.rank) == ("选手06", 7)
    assert [(row.name, row.rank) for row in board.around] == [
        ("选手04", 5), ("选手05", 6), ("选手06", 7), ("选手07", 8), ("选手08", 9)]


@pytest.mark.parametrize("position, names", [
    (0, ["选手00", "选手01", "选手02"]),  # first: nobody above
    (4, ["选手02", "选手03", "选手04"]),  # last: nobody below
])
def test_neighbours_at_the_ends_of_the_board(make_competition, finish, people, position, names):
    competition = make_competition()
    users = people(5)
    for number, user in enumerate(users):
        finish(user, competition, score=10 - number)
    board = leaderboard.individual_board(competition, user=users[position], top=1, neighbours=2)
    assert [row.name for row in board.around] == names
    assert board.me.rank == position + 1


def test_member_without_a_result_has_no_rank(make_competition, finish, people):
    competition = make_competition()
    first, second = people(2)
    finish(first, competition, 10)
    board = leaderboard.individual_board(competition, user=second)
    assert board.me is None and board.around == [] and len(board.top) == 1


def test_every_rank_and_window_matches_the_rules_with_many_ties(make_competition, finish, people):
    """Random results from a few scores, times and instants, so that ties of every kind occur."""
    competition = make_competition()
    rng = random.Random(7)
    users = people(30)
    results = {}
    for user in users:
        result = (rng.choice([0, 5, 10]), rng.choice([60, 90]), T + timedelta(seconds=rng.choice([0, 1])))
        results[user.name] = result
        finish(user, competition, *result)
    ranks = expected_ranks(results)
    board = leaderboard.individual_board(competition, top=12)
    assert [(row.name, row.rank) for row in board.top] == [(row.name, ranks[row.name]) for row in board.top]
    assert [ranks[row.name] for row in board.top] == sorted(ranks.values())[:12]
    for user in users:
        board = leaderboard.individual_board(competition, user=user, top=1, neighbours=3)
        assert board.me.rank == ranks[user.name]
        assert all(row.rank == ranks[row.name] for row in board.around)
        keys = [(-row.score, row.time_used_s, row.submitted_at) for row in board.around]
        assert keys == sorted(keys) and user.name in [row.name for row in board.around]


def test_placed_entries_share_places_on_ties(make_competition, finish, people):
    competition = make_competition()
    users = people(4)
    for user, score in zip(users, [10, 10, 5, 0]):
        finish(user, competition, score)
    placed = leaderboard.placed_entries(competition, 2)
    assert [(rank, entry.user_id) for rank, entry in placed] == [(1, users[0].id), (1, users[1].id)]
    assert [rank for rank, _ in leaderboard.placed_entries(competition, 3)] == [1, 1, 3]


# --- branch board ---------------------------------------------------------------------------

@pytest.fixture
def two_branches(make_competition, finish, make_user, org):
    """一支部: 10 members, 2 take part scoring 10 and 8 (average 9, rate 0.2, index 1.8).
    二支部: 3 members, all take part scoring 6, 6, 3 (average 5, rate 1.0, index 5.0)."""
    first_members = [org["secretary"], org["a"], org["b"]] + [make_user(group=org["first"]) for _ in range(7)]
    second_members = [org["c"], make_user(group=org["second"]), make_user(group=org["second"])]
    competition = make_competition(groups=[org["committee"]])
    for user, score in zip(first_members, [10, 8]):
        finish(user, competition, score)
    for user, score in zip(second_members, [6, 6, 3]):
        finish(user, competition, score)
    return competition


@pytest.mark.parametrize("index, order, values", [
    ("avg_x_rate", ["二支部", "一支部"], [5.0, 1.8]),
    ("average", ["一支部", "二支部"], [9.0, 5.0]),
    ("rate", ["二支部", "一支部"], [1.0, 0.2]),
])
def test_branch_index_on_a_hand_built_example(two_branches, index, order, values):
    two_branches.branch_index = index
    board = leaderboard.branch_board(two_branches)
    assert [row.name for row in board] == order
    assert [row.index for row in board] == pytest.approx(values)
    first = next(row for row in board if row.name == "一支部")
    assert (first.participants, first.members, first.average, first.rate) == (2, 10, 9.0, 0.2)


def test_branch_board_shows_groups_in_scope_without_participants(two_branches, make_group, make_user, org):
    board = leaderboard.branch_board(two_branches)
    assert "三支部" not in [row.name for row in board]  # outside the scope
    assert [row.rank for row in board] == [1, 2]


def test_branch_board_ties_share_a_rank(make_competition, finish, org):
    competition = make_competition(groups=[org["first"], org["second"]])
    finish(org["a"], competition, 10)
    finish(org["c"], competition, 10)
    board = leaderboard.branch_board(competition)
    # 一支部 has 3 members (secretary, 甲, 乙), 二支部 one (丙): different indexes, no tie.
    assert [(row.name, row.rank) for row in board] == [("二支部", 1), ("一支部", 2)]
    finish(org["b"], competition, 10)
    finish(org["secretary"], competition, 10)
    assert [row.rank for row in leaderboard.branch_board(competition)] == [1, 1]


# --- points boards --------------------------------------------------------------------------

TODAY = date(2025, 6, 18)  # a Wednesday


@pytest.fixture
def ledger(org):
    rows = [("a", date(2025, 6, 16), 5), ("a", date(2025, 5, 30), 20), ("b", date(2025, 6, 17), 8),
            ("c", date(2025, 6, 2), 9), ("c", date(2025, 6, 18), 1), ("d", date(2025, 6, 18), 8)]
    for name, day, amount in rows:  # as publishing a competition's places writes them: ledger and summaries
        points.award(org[name].id, day, amount, "competition_place")
        summaries.record_points(org[name].id, day, amount)
    db.session.commit()
    return org


@pytest.mark.parametrize("period, group, expected", [
    ("week", None, [("乙", 8, 1), ("丁", 8, 1), ("甲", 5, 3), ("丙", 1, 4)]),
    ("month", None, [("丙", 10, 1), ("乙", 8, 2), ("丁", 8, 2), ("甲", 5, 4)]),
    ("all", None, [("甲", 25, 1), ("丙", 10, 2), ("乙", 8, 3), ("丁", 8, 3)]),
    ("week", "first", [("乙", 8, 1), ("甲", 5, 2)]),
    ("all", "committee", [("甲", 25, 1), ("丙", 10, 2), ("乙", 8, 3)]),
])
def test_points_boards(ledger, period, group, expected):
    group_ids = None if group is None else ledger[group].subtree_ids()
    rows, mine = leaderboard.points_board(period=period, today=TODAY, group_ids=group_ids, user=ledger["a"])
    assert sorted((row.name, row.points, row.rank) for row in rows) == sorted(expected)
    assert [row.rank for row in rows] == sorted(row.rank for row in rows)
    assert (mine.points, mine.rank) == next((points, rank) for name, points, rank in expected if name == "甲")


def test_points_board_top_and_missing_member(ledger, make_user):
    rows, mine = leaderboard.points_board(period="all", today=TODAY, top=2, user=make_user())
    assert [row.name for row in rows] == ["甲", "丙"] and mine is None


# --- both boards as a viewer sees them -----------------------------------------------------

def test_boards_follow_every_recorded_attempt(make_competition, finish, people, org):
    competition = make_competition(groups=[org["committee"]])
    first, second = people(2)
    finish(first, competition, 5)
    board, branches = leaderboard.boards(competition, user=first, top=10)
    assert [row.name for row in board.top] == ["选手00"] and branches[0].participants == 1
    finish(second, competition, 10)
    board, branches = leaderboard.boards(competition, user=first, top=10)
    assert [row.name for row in board.top] == ["选手01", "选手00"] and board.me.rank == 2
    assert branches[0].participants == 2


def test_the_branch_board_follows_the_branch_index(two_branches):
    assert leaderboard.boards(two_branches)[1][0].name == "二支部"
    two_branches.branch_index = "average"
    db.session.commit()
    assert leaderboard.boards(two_branches)[1][0].name == "一支部"

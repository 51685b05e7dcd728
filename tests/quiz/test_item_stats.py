"""Item statistics against hand-computed values, and rebuild equal to incremental upkeep."""
from __future__ import annotations

import math
import re
from datetime import timedelta
from random import Random

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import ItemChoiceStat, ItemStat
from quizapp.services.quality import item_stats
from quizapp.services.quizzes import engine
from tests.quiz.conftest import NOW, rule

PAPER = rule(("single", 1), ("judge", 1))


@pytest.fixture
def four_members(make_user, make_typed):
    """Four members answer the same two questions (a single with key A, a judge with key 正确):
    right/right (x = 1), right/wrong (0.5), B/right (0.5), B/wrong (0): used 60, 80, 100, 120 s."""
    single, judge = make_typed("single"), make_typed("judge")
    plans = [(0, True, 60), (0, False, 80), (1, True, 100), (1, False, 120)]
    for number, (option, judge_right, seconds) in enumerate(plans):
        member = make_user()
        attempt = engine.start_attempt(member, "exam", PAPER, now=NOW, rng=Random(number))
        for answer in attempt.answers:
            if answer.question_id == single.id:
                engine.save_answer(attempt, answer.position, "ABCD"[answer.option_order.index(option)], now=NOW)
            else:
                engine.save_answer(attempt, answer.position, "true" if judge_right else "false", now=NOW)
        engine.finalise_attempt(attempt, now=NOW + timedelta(seconds=seconds))
    return single, judge


def _version_of(question_id: int) -> int:
    return db.session.scalar(select(ItemStat.question_version_id).where(ItemStat.question_id == question_id))


def test_figures_of_a_small_fixture_by_hand(four_members):
    single, judge = four_members
    figures = item_stats.figures_for_versions([_version_of(single.id)])[_version_of(single.id)]
    # n = 4, right = 2, x = (1, .5, .5, 0): M1 = .75, M0 = .25, s² = 1.5/4 − .5² = .125, p = .5
    assert (figures.attempts, figures.correct, figures.proportion) == (4, 2, 0.5)
    assert figures.discrimination == pytest.approx(0.5 / math.sqrt(0.125) * 0.5)  # 0.7071
    assert figures.choices == {"A": 2, "B": 2}
    assert figures.strong_choices == {"A": 1, "B": 0} and figures.strong_attempts == 1  # only x = 1 is strong
    assert figures.average_seconds == pytest.approx((60 + 80 + 100 + 120) / 2 / 4)  # each paper has 2 questions
    judge_figures = item_stats.figures_for_versions([_version_of(judge.id)])[_version_of(judge.id)]
    assert judge_figures.choices == {"T": 2, "F": 2}
    assert judge_figures.discrimination == pytest.approx(0.7071, abs=1e-4)


@pytest.mark.parametrize(("sums", "expected"), [
    ((4, 2, 2.0, 1.5, 1.5), 0.5 / math.sqrt(0.125) * 0.5),
    ((4, 2, 2.0, 1.5, 0.5), -0.5 / math.sqrt(0.125) * 0.5),  # the right answers came from the weaker attempts
    ((4, 4, 2.0, 1.5, 2.0), None),  # everyone right
    ((4, 0, 2.0, 1.5, 0.0), None),  # nobody right
    ((3, 1, 1.5, 0.75, 0.5), None),  # every attempt scored the same: no spread
    ((1, 1, 1.0, 1.0, 1.0), None),
])
def test_point_biserial_from_sums(sums, expected):
    result = item_stats.point_biserial(*sums)
    assert result == (pytest.approx(expected) if expected is not None else None)


def _snapshot() -> tuple[list, list]:
    stats = [(s.question_version_id, s.question_id, s.attempts, s.correct, round(s.share_sum, 9),
              round(s.share_square_sum, 9), round(s.correct_share_sum, 9), s.strong_attempts, s.strong_correct,
              round(s.seconds_sum, 9), s.suspicious) for s in db.session.scalars(select(ItemStat).order_by(ItemStat.question_version_id))]
    choices = [(c.question_version_id, c.choice, c.chosen, c.strong_chosen)
               for c in db.session.scalars(select(ItemChoiceStat).order_by(ItemChoiceStat.question_version_id,
                                                                           ItemChoiceStat.choice))]
    return stats, choices


def test_rebuild_equals_incremental(four_members, runner):
    incremental = _snapshot()
    assert incremental[0]
    result = runner.invoke(args=["rebuild-stats"])
    assert result.exit_code == 0 and "2 个题目版本的统计" in result.output
    assert _snapshot() == incremental


def _answer(member, paper, choices: dict, seed: int) -> None:
    """member answers the paper: question id -> original option index, or True/False for 判断."""
    attempt = engine.start_attempt(member, "exam", paper, now=NOW, rng=Random(seed))
    for answer in attempt.answers:
        choice = choices[answer.question_id]
        given = ("true" if choice else "false") if isinstance(choice, bool) else "ABCD"[answer.option_order.index(choice)]
        engine.save_answer(attempt, answer.position, given, now=NOW)
    engine.finalise_attempt(attempt, now=NOW + timedelta(seconds=60))


@pytest.fixture
def wrong_key_answered(make_user, make_typed):
    """The single's key says C (option 2), but the members who do well choose A (option 0).
    Papers: the single and four judges (key 正确). Three members choose A and get every judge right
    (x = 4/5, strong); two choose A and get one judge right (x = 1/5); one chooses C and no judge (x = 1/5).
    Single: right 1 of 6 (17%); M1 = .2 < M0 = (3·.8 + 2·.2)/5 = .56, so r < 0; strong members chose A 3, C 0."""
    single = make_typed("single", answer=["C"])
    judges = [make_typed("judge") for _ in range(4)]
    paper = rule(("single", 1), ("judge", 4))
    plans = [(0, 4)] * 3 + [(0, 1)] * 2 + [(2, 0)]
    for seed, (option, judges_right) in enumerate(plans):
        choices = {single.id: option, **{judge.id: number < judges_right for number, judge in enumerate(judges)}}
        _answer(make_user(), paper, choices, seed)
    return single, judges


def test_suspicious_lists_a_wrong_key_with_its_reasons(client, login, make_user, wrong_key_answered):
    single, judges = wrong_key_answered
    found = item_stats.suspicious_page(5, 1, 20)
    assert found.total == 1
    [(question, version, figures, reasons)] = found.rows
    assert question.id == single.id and figures.proportion == pytest.approx(1 / 6)
    assert figures.discrimination < 0 and figures.strong_choices == {"A": 3, "C": 0}
    assert reasons == [f"区分度为负（{figures.discrimination:.2f}）", "正确率仅 17%", "高分党员选「A」多于正确答案"]
    assert item_stats.suspicious_page(7, 1, 20).total == 0  # fewer answers than asked for
    login(make_user(role="admin"))
    page = client.get("/reports/suspicious?min=5").get_data(as_text=True)
    assert single.stem in page and "高分党员选「A」多于正确答案" in page and judges[0].stem not in page


def test_the_question_list_sorts_and_filters_by_the_figures(client, login, make_user, make_typed, wrong_key_answered):
    single, judges = wrong_key_answered  # right: single 1/6, judge 0 5/6, judges 1–3 3/6
    unanswered = make_typed("judge")
    login(make_user(role="admin"))

    def listed(query: str) -> list[int]:
        page = client.get(f"/admin/questions/?{query}").get_data(as_text=True)
        return [int(found) for found in re.findall(r'data-question-id="(\d+)"', page)]

    by_proportion = listed("sort=proportion")
    assert by_proportion[0] == single.id and by_proportion[-2:] == [judges[0].id, unanswered.id]
    assert listed("sort=discrimination")[0] == single.id  # the only negative one
    assert listed("sort=attempts")[-1] == unanswered.id
    assert listed("proportion=20") == [single.id]
    page = client.get("/admin/questions/?proportion=20").get_data(as_text=True)
    assert "作答 6 · 正确率 17% · 区分度 -" in page

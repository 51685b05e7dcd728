from collections import Counter
from random import Random

import pytest

from quizapp.services.quizzes import papers
from quizapp.services.quizzes.papers import EXAM_PRESETS, PaperRule, QuizError, RuleSection, draw_paper, practice_rule
from tests.quiz.conftest import rule
from tests.statements import recorded_statements


def test_draw_gives_the_counts_by_type_without_duplicates(bank):
    bank({"single": 8, "multiple": 6, "judge": 6, "fill": 5})
    paper = draw_paper(rule(("single", 4), ("multiple", 3), ("judge", 2), ("fill", 5)), Random(7))
    assert [q.type for q in paper] == ["single"] * 4 + ["multiple"] * 3 + ["judge"] * 2 + ["fill"] * 5
    assert len({q.id for q in paper}) == len(paper)


def test_same_seed_same_bank_same_paper_and_other_seeds_differ(bank):
    bank({"single": 30})
    paper_rule = rule(("single", 5))
    first = [q.id for q in draw_paper(paper_rule, Random(42))]
    assert [q.id for q in draw_paper(paper_rule, Random(42))] == first
    others = {tuple(q.id for q in draw_paper(paper_rule, Random(seed))) for seed in range(10)}
    assert len(others) > 5


def test_every_question_can_be_drawn(bank):
    questions = bank({"judge": 6})
    drawn = Counter(q.id for seed in range(300) for q in draw_paper(rule(("judge", 1)), Random(seed)))
    assert set(drawn) == {q.id for q in questions}


def test_only_published_questions_are_drawn(bank):
    published = bank({"single": 2})
    bank({"single": 3}, status="draft")
    bank({"single": 3}, status="retired")
    for seed in range(20):
        assert {q.id for q in draw_paper(rule(("single", 2)), Random(seed))} == {q.id for q in published}


def test_category_subtree_and_difficulty_strata(bank):
    inside = bank({"single": 3}, category="党史/百年奋斗", difficulty=3)
    inside += bank({"single": 2}, category="党史", difficulty=3)
    bank({"single": 4}, category="党史/百年奋斗", difficulty=1)
    bank({"single": 5}, category="党的理论", difficulty=3)
    bank({"single": 5}, category="党史其他", difficulty=3)  # a sibling whose name merely starts alike
    paper_rule = PaperRule([RuleSection("single", 5, category_path="党史", difficulty=3)])
    for seed in range(10):
        assert {q.id for q in draw_paper(paper_rule, Random(seed))} == {q.id for q in inside}


@pytest.mark.parametrize("section, have, message", [
    (RuleSection("multiple", 5, category_path="党史"), {"multiple": 3}, "「党史」类多选题只有 3 道，规则需要 5 道"),
    (RuleSection("fill", 2), {"single": 4}, "题库中填空题只有 0 道，规则需要 2 道"),
    (RuleSection("judge", 4, difficulty=3), {"judge": 1}, "题库中难度为“难”的判断题只有 1 道，规则需要 4 道"),
])
def test_shortfall_names_category_type_and_counts(bank, section, have, message):
    bank(have, category="党史", difficulty=3)
    with pytest.raises(QuizError) as raised:
        draw_paper(PaperRule([section]), Random(1))
    assert str(raised.value) == message


def test_shortfall_counts_questions_taken_by_an_earlier_section(bank):
    bank({"single": 4}, category="党史", difficulty=2)
    paper_rule = PaperRule([RuleSection("single", 3, category_path="党史"), RuleSection("single", 2, difficulty=2)])
    with pytest.raises(QuizError, match="题库中难度为“中”的单选题可用的只有 1 道（另有 3 道已用于本卷其他部分或被排除），规则需要 2 道"):
        draw_paper(paper_rule, Random(1))


def test_unknown_category_is_refused(bank):
    bank({"single": 2})
    with pytest.raises(QuizError, match="分类「不存在的分类」不存在"):
        draw_paper(PaperRule([RuleSection("single", 1, category_path="不存在的分类")]), Random(1))


def test_excluded_never_avoided_last_preferred_first(bank):
    questions = bank({"single": 6})
    excluded, avoided, preferred = questions[0].id, {q.id for q in questions[1:4]}, questions[5].id
    for seed in range(20):
        paper = draw_paper(rule(("single", 4)), Random(seed), exclude_ids=[excluded], avoid_ids=avoided,
                           prefer_ids=[preferred])
        ids = [q.id for q in paper]
        assert ids[0] == preferred and excluded not in ids
        assert questions[4].id in ids  # the only fresh one is always taken before the avoided ones


def test_preferred_questions_go_only_where_they_fit(bank):
    judge = bank({"judge": 1})[0]
    singles = bank({"single": 3})
    paper = draw_paper(rule(("single", 2)), Random(3), prefer_ids=[judge.id, singles[2].id])
    assert judge not in paper and paper[0] == singles[2]


def test_drawing_reads_a_bounded_number_of_rows(app, bank):
    """Every query on the success path is a seek with LIMIT; no ORDER BY random(), no full read."""
    bank({"single": 40, "judge": 40})
    with recorded_statements() as statements:
        draw_paper(rule(("single", 3), ("judge", 3)), Random(5))
    seeks = [s for s in statements if "draw_key >=" in s]
    full_reads = [s for s in statements if s not in seeks and s.startswith("SELECT")]
    assert seeks and all("LIMIT" in s for s in seeks)
    assert len(full_reads) == 1 and "question.id IN" in full_reads[0]  # only the 6 drawn rows
    assert not any("random" in s.lower() for s in statements)
    assert not any("count(" in s.lower() for s in statements)


@pytest.mark.parametrize("section, message", [
    ({"type": "essay", "count": 1}, "题型「essay」不存在"),
    ({"type": "single", "count": 0}, "单选题的题数须为 1 到 200 之间的整数"),
    ({"type": "single", "count": 2, "points": -1}, "单选题的每题分值须大于 0"),
    ({"type": "judge", "count": 2, "difficulty": 5}, "判断题的难度须为 1（易）、2（中）或 3（难）"),
    ({"type": "single", "cnt": 2}, "规则格式不正确"),
])
def test_bad_rules_are_refused(section, message):
    with pytest.raises(QuizError, match=message):
        PaperRule.from_dict({"sections": [section]})


@pytest.mark.parametrize("options, message", [
    ({"sections": []}, "至少要有一种题型"),
    ({"time_limit_s": 10}, "答题时间须在 1 到 6 小时之间"),
    ({"feedback": "never"}, "反馈方式「never」不存在"),
])
def test_bad_rule_options_are_refused(options, message):
    with pytest.raises(QuizError, match=message):
        PaperRule.from_dict({"sections": [{"type": "single", "count": 1}], **options})


def test_rule_round_trips_through_a_dict():
    paper_rule = PaperRule([RuleSection("fill", 2, 3.0, "党史", 2)], time_limit_s=600, shuffle_options=False,
                           multiple_partial=False, feedback="after_end", title="竞赛")
    assert PaperRule.from_dict(paper_rule.to_dict()) == paper_rule
    assert paper_rule.max_score == 6.0 and paper_rule.question_count == 2


def test_exam_presets_are_full_marks_100():
    assert {key: preset.max_score for key, preset in EXAM_PRESETS.items()} == {"quick": 100, "standard": 100}


def test_practice_rule_spreads_over_the_types_the_topic_has(bank):
    bank({"single": 1, "judge": 9}, category="党史")
    bank({"multiple": 5}, category="党建")
    practice = practice_rule("党史", count=5)
    assert {s.type: s.count for s in practice.sections} == {"single": 1, "judge": 4}
    assert practice.feedback == "immediate"
    assert {s.type: s.count for s in practice_rule("党史", count=20).sections} == {"single": 1, "judge": 9}
    assert {s.type: s.count for s in practice_rule("党史", "judge", count=5).sections} == {"judge": 5}


def test_practice_rule_on_an_empty_topic(bank, make_category):
    make_category("党史")
    bank({"single": 1}, category="党建")
    with pytest.raises(QuizError, match="「党史」类还没有可以练习的题目"):
        practice_rule("党史")
    with pytest.raises(QuizError, match="「党建」类难度为“难”的单选题还没有可以练习的题目"):
        practice_rule("党建", "single", difficulty=3)


def test_walk_pages_past_taken_questions_and_ties_in_draw_key(bank):
    questions = bank({"judge": 45}, draw_key=0.5)  # all tied: pages must break ties by id
    paper = draw_paper(rule(("judge", 45)), Random(1))
    assert sorted(q.id for q in paper) == sorted(q.id for q in questions)


@pytest.mark.parametrize("batch", [1, 5])
def test_reading_the_first_pages_together_draws_the_same_paper(bank, monkeypatch, batch):
    """A section's first pages are read in batches of seeks; the batch size never changes the paper."""
    bank({"single": 20}, category="党史/百年奋斗")
    bank({"single": 20}, category="党史")
    seen = bank({"judge": 40})[::2]
    paper_rule = PaperRule([RuleSection("single", 12, category_path="党史"), RuleSection("judge", 35)])
    together = [q.id for q in draw_paper(paper_rule, Random(9), avoid_ids={q.id for q in seen})]
    monkeypatch.setattr(papers, "BATCHED_SEEKS", batch)
    assert [q.id for q in draw_paper(paper_rule, Random(9), avoid_ids={q.id for q in seen})] == together


def test_avoided_questions_fill_in_only_when_nothing_fresh_is_left(bank):
    questions = bank({"judge": 40})
    fresh = questions[-1]
    paper = draw_paper(rule(("judge", 2)), Random(4), avoid_ids={q.id for q in questions[:-1]})
    assert paper[0] == fresh and paper[1] in questions[:-1]

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptAnswer, PointsEntry
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.engine import AttemptExpired, finalise_attempt, finalise_expired, save_answer
from quizapp.services.quizzes.papers import QuizError
from quizapp.services.quizzes.scoring import shown_letters
from tests.quiz.conftest import NOW, rule
from tests.statements import recorded_statements

LOCAL_MIDNIGHT = datetime(2024, 5, 6, 16, 0, tzinfo=timezone.utc)  # 2024-05-07 00:00 in Asia/Shanghai


def right_shown(answer):
    """The right answer as the member would give it (letters as shown, judge bool, blanks)."""
    question = answer.question
    if question.type in ("single", "multiple"):
        return shown_letters(answer.option_order, question.answer)
    if question.type == "fill":
        return [options[0] for options in question.answer]
    return question.answer


def test_start_draws_the_paper_and_sets_points_and_deadline(bank, start):
    bank({"single": 3, "fill": 2})
    attempt = start(rule(("single", 2, 2.0), ("fill", 1, 5.0), time_limit_s=600))
    assert [(a.position, a.question.type, a.points) for a in attempt.answers] == [
        (1, "single", 2.0), (2, "single", 2.0), (3, "fill", 5.0)]
    assert attempt.max_score == 9.0 and attempt.question_count == 3
    assert attempt.deadline == NOW + timedelta(seconds=600) and attempt.status == "open"


def test_start_writes_the_paper_in_one_insert_of_its_answers(bank, start):
    bank({"single": 6, "judge": 4})
    with recorded_statements() as statements:
        attempt = start(rule(("single", 6), ("judge", 4)))
    answer_inserts = [sql for sql in statements if sql.lstrip().upper().startswith("INSERT INTO ATTEMPT_ANSWER")]
    assert len(answer_inserts) == 1  # an executemany, not one INSERT ... RETURNING per answer
    assert db.session.scalar(select(func.count()).where(AttemptAnswer.attempt_id == attempt.id)) == 10
    assert [answer.position for answer in attempt.answers] == list(range(1, 11))


@pytest.mark.parametrize("time_limit_s, hard, expected", [
    (None, None, LOCAL_MIDNIGHT),  # untimed: closes at local midnight
    (600, None, NOW + timedelta(minutes=10)),
    (600, NOW + timedelta(minutes=5), NOW + timedelta(minutes=5)),  # the competition ends first
    (600, NOW + timedelta(hours=5), NOW + timedelta(minutes=10)),
    (None, NOW + timedelta(days=3), NOW + timedelta(days=3)),
])
def test_deadline_is_the_earlier_of_time_limit_and_hard_end(bank, start, time_limit_s, hard, expected):
    bank({"single": 2})
    attempt = start(rule(("single", 1), time_limit_s=time_limit_s), deadline=hard)
    assert attempt.deadline == expected


def test_same_seed_gives_same_paper_and_option_order(bank, start, make_user):
    bank({"single": 10, "multiple": 6})
    paper_rule = rule(("single", 3), ("multiple", 2))
    first = start(paper_rule, user=make_user(), seed=9)
    second = start(paper_rule, user=make_user(), seed=9)
    assert first.seed == second.seed
    assert [(a.question_id, a.option_order) for a in first.answers] == [(a.question_id, a.option_order) for a in second.answers]


def test_options_are_shuffled_per_attempt_unless_the_rule_says_not(bank, start, make_user):
    bank({"multiple": 1})
    orders = {tuple(start(rule(("multiple", 1)), user=make_user(), seed=seed).answers[0].option_order) for seed in range(12)}
    assert len(orders) > 3
    plain = start(rule(("multiple", 1), shuffle_options=False), user=make_user())
    assert plain.answers[0].option_order == [0, 1, 2, 3]


def test_options_whose_explanation_names_letters_keep_their_order(bank, start, make_user):
    bank({"multiple": 1}, explanation="故选ABC：前三项都是原文所说。")
    orders = {tuple(start(rule(("multiple", 1)), user=make_user(), seed=seed).answers[0].option_order) for seed in range(12)}
    assert orders == {(0, 1, 2, 3)}  # the letters of the 解析 are the letters the member sees


def test_open_attempt_of_the_same_quiz_is_resumed_not_doubled(bank, start):
    bank({"single": 5})
    paper_rule = rule(("single", 2))
    first = start(paper_rule, seed=1)
    assert start(paper_rule, seed=2).id == first.id
    assert start(rule(("single", 3)), seed=3).id != first.id  # another paper is another quiz
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 2


def test_the_database_refuses_two_open_attempts_in_one_slot(bank, start):
    bank({"single": 2})
    attempt = start(rule(("single", 1)))
    db.session.add(Attempt(user_id=attempt.user_id, mode="exam", rule={}, seed=1, open_slot=attempt.open_slot))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


def test_fixed_paper_keeps_order_and_validates(bank, start):
    questions = bank({"single": 2, "judge": 1})
    ids = [questions[2].id, questions[0].id]
    attempt = start(rule(("single", 1), ("judge", 1)), question_ids=ids)
    assert [a.question_id for a in attempt.answers] == ids
    with pytest.raises(QuizError, match="重复"):
        start(rule(("single", 1)), mode="practice", question_ids=[ids[0], ids[0]])
    with pytest.raises(QuizError, match="第 2 题已不存在"):
        start(rule(("single", 1)), mode="practice", question_ids=[ids[0], 99999])


@pytest.mark.parametrize("mode, options, message", [
    ("essay", {}, "答题模式「essay」不存在"),
    ("competition", {}, "必须指定竞赛"),
    ("exam", {"competition_id": 3}, "只有知识竞赛"),
    ("competition", {"competition_id": 3, "deadline": NOW}, "截止时间已过"),
])
def test_bad_starts_are_refused(bank, start, mode, options, message):
    bank({"single": 2})
    with pytest.raises(QuizError, match=message):
        start(rule(("single", 1)), mode=mode, **options)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_answers_are_stored_in_original_letters_and_scored_by_the_original_answer(bank, start):
    bank({"single": 1, "multiple": 1}, )
    attempt = start(rule(("single", 1), ("multiple", 1)), seed=4)
    single, multiple = attempt.answers
    assert single.option_order != [0, 1, 2, 3] or multiple.option_order != [0, 1, 2, 3]
    save_answer(attempt, 1, right_shown(single), now=NOW)
    save_answer(attempt, 2, right_shown(multiple), now=NOW)
    assert single.given == ["A"] and multiple.given == ["A", "B", "D"]
    finished = finalise_attempt(attempt, now=NOW + timedelta(minutes=3))
    assert (finished.score, finished.correct_count, finished.time_used_s) == (2.0, 2, 180)


def test_autosave_overwrites_and_clears_and_survives_a_new_session(bank, start):
    bank({"multiple": 2})
    attempt = start(rule(("multiple", 2)))
    save_answer(attempt, 1, ["A"], now=NOW)
    save_answer(attempt, 1, ["B", "C"], now=NOW)
    save_answer(attempt, 2, ["A"], now=NOW)
    save_answer(attempt, 2, [], now=NOW, clear=True)  # emptied by the member (an empty answer alone keeps it)
    attempt_id = attempt.id
    db.session.expunge_all()
    reloaded = db.session.get(Attempt, attempt_id)
    first, second = reloaded.answers
    assert shown_letters(first.option_order, first.given) == ["B", "C"] and first.answered_at == NOW
    assert second.given is None and second.answered_at is None and reloaded.answered_count == 1


@pytest.mark.parametrize("position, given, message", [
    (3, ["A"], "这份试卷没有第 3 题"),
    (0, ["A"], "这份试卷没有第 0 题"),
    (1, ["Z"], "选项「Z」不存在"),
    (1, ["A", "B"], "单选题只能选一个选项"),
    (2, ["a", "b", "c"], "只有 2 个空"),
    (2, ["长" * 500], "超过 200 个字"),
])
def test_bad_answers_change_nothing(bank, start, position, given, message):
    bank({"single": 1})
    bank({"fill": 1})
    attempt = start(rule(("single", 1), ("fill", 1)))
    save_answer(attempt, 1, ["A"], now=NOW)
    before = [(a.given, a.answered_at) for a in attempt.answers]
    attempt_id = attempt.id
    with pytest.raises(QuizError, match=message):
        save_answer(attempt, position, given, now=NOW + timedelta(seconds=5))
    db.session.rollback()
    db.session.expunge_all()
    assert [(a.given, a.answered_at) for a in db.session.get(Attempt, attempt_id).answers] == before


def test_immediate_feedback_scores_at_once_and_locks_the_answer(bank, start):
    bank({"judge": 2})
    attempt = start(rule(("judge", 2), feedback="immediate"), mode="practice")
    with pytest.raises(QuizError, match="请先作答"):
        save_answer(attempt, 1, None, now=NOW)
    saved = save_answer(attempt, 1, False, now=NOW)
    assert saved.is_final and (saved.is_correct, saved.score) == (False, 0.0)
    assert not attempt.answers[1].is_final
    with pytest.raises(QuizError, match="第 1 题已经作答，不能修改"):
        save_answer(attempt, 1, True, now=NOW)


@pytest.mark.parametrize("feedback, closed_meanwhile, message", [
    ("after_submit", "status", "已经交卷"),
    ("immediate", "answer", "第 1 题已经作答，不能修改"),
])
def test_a_save_checks_again_when_it_writes(bank, start, feedback, closed_meanwhile, message):
    """What the request read may be stale (SQLite reads outside the write lock): the UPDATE decides."""
    bank({"judge": 2})
    attempt = start(rule(("judge", 2), feedback=feedback), mode="practice")
    first = attempt.answers[0]
    if closed_meanwhile == "status":  # submitted by another request since this one read the attempt
        stale = update(Attempt).where(Attempt.id == attempt.id).values(status="finished")
    else:  # answered by another request since this one read the answer
        stale = update(AttemptAnswer).where(AttemptAnswer.id == first.id).values(given=True, answered_at=NOW)
    db.session.execute(stale.execution_options(synchronize_session=False))
    engine.commit_keeping_state()  # the loaded objects keep what they read before
    with pytest.raises(QuizError, match=message):
        save_answer(attempt, 1, False, now=NOW)
    db.session.expire_all()
    assert first.given is (None if closed_meanwhile == "status" else True)


def test_answers_after_the_deadline_are_refused_and_the_attempt_is_finalised(bank, start):
    bank({"judge": 2})
    attempt = start(rule(("judge", 2), time_limit_s=60))
    save_answer(attempt, 1, True, now=NOW + timedelta(seconds=59))
    with pytest.raises(AttemptExpired, match="答题时间已到，这个答案没有保存"):
        save_answer(attempt, 2, True, now=NOW + timedelta(seconds=60))
    assert attempt.status == "finished" and attempt.answers[1].given is None
    assert attempt.finished_at == NOW + timedelta(seconds=60) and attempt.correct_count == 1
    with pytest.raises(QuizError, match="已经交卷"):
        save_answer(attempt, 2, True, now=NOW + timedelta(seconds=61))


def test_finalise_after_the_deadline_counts_only_until_the_deadline(bank, start):
    bank({"judge": 1})
    attempt = start(rule(("judge", 1), time_limit_s=300))
    save_answer(attempt, 1, True, now=NOW + timedelta(seconds=10))
    finalise_attempt(attempt, now=NOW + timedelta(hours=3))
    assert attempt.finished_at == NOW + timedelta(seconds=300) and attempt.time_used_s == 300


def test_finalise_is_idempotent(bank, start):
    bank({"judge": 1})
    attempt = start(rule(("judge", 1)), mode="daily")
    save_answer(attempt, 1, True, now=NOW)
    finalise_attempt(attempt, now=NOW + timedelta(minutes=1))
    again = finalise_attempt(attempt, now=NOW + timedelta(minutes=9))
    assert again.finished_at == NOW + timedelta(minutes=1) and again.score == 1.0
    assert db.session.scalar(select(func.count()).select_from(PointsEntry)) == 1


def test_finalise_expired_closes_only_attempts_past_their_deadline(bank, start, make_user):
    bank({"judge": 3})
    late = start(rule(("judge", 1), time_limit_s=60), user=make_user())
    save_answer(late, 1, True, now=NOW)
    running = start(rule(("judge", 1), time_limit_s=3600), user=make_user())
    untimed = start(rule(("judge", 1)), user=make_user())
    assert finalise_expired(now=NOW + timedelta(minutes=5)) == 1
    assert finalise_expired(now=NOW + timedelta(minutes=5)) == 0
    states = {a.id: (a.status, a.score) for a in db.session.scalars(select(Attempt))}
    assert states == {late.id: ("finished", 1.0), running.id: ("open", 0.0), untimed.id: ("open", 0.0)}
    assert finalise_expired(now=LOCAL_MIDNIGHT) == 2


def test_an_expired_attempt_in_the_slot_is_finalised_and_a_new_one_started(bank, start):
    bank({"judge": 3})
    paper_rule = rule(("judge", 1), time_limit_s=60)
    first = start(paper_rule)
    second = start(paper_rule, now=NOW + timedelta(minutes=2))
    assert second.id != first.id
    db.session.refresh(first)
    assert first.status == "finished" and first.open_slot is None


def test_daily_prefers_unseen_questions_and_brings_back_due_wrong_ones(bank, start):
    questions = bank({"judge": 6})
    day_one = start(rule(("judge", 3)), mode="daily")
    for answer in day_one.answers:
        save_answer(day_one, answer.position, not answer.question.answer, now=NOW)  # all wrong
    finalise_attempt(day_one, now=NOW)
    seen = {a.question_id for a in day_one.answers}
    next_day = NOW + timedelta(days=1, hours=1)
    day_two = start(rule(("judge", 4)), mode="daily", now=next_day, seed=5)
    ids = [a.question_id for a in day_two.answers]
    assert set(ids[:3]) == seen  # due in the wrong-answer book, first
    assert ids[3] in {q.id for q in questions} - seen


@pytest.mark.parametrize("seed", range(4))
def test_daily_avoids_what_was_seen_while_it_can(bank, start, seed):
    questions = bank({"judge": 4})
    first = start(rule(("judge", 2)), mode="daily", seed=seed)
    for answer in first.answers:
        save_answer(first, answer.position, answer.question.answer, now=NOW)  # all right: nothing due
    finalise_attempt(first, now=NOW)
    second = start(rule(("judge", 2)), mode="daily", now=NOW + timedelta(minutes=1), seed=seed + 10)
    seen_first, seen_second = ({a.question_id for a in attempt.answers} for attempt in (first, second))
    assert seen_first | seen_second == {q.id for q in questions}
    finalise_attempt(second, now=NOW + timedelta(minutes=1))
    third = start(rule(("judge", 2)), mode="daily", now=NOW + timedelta(minutes=2), seed=seed + 20)
    assert len(third.answers) == 2  # everything seen: it draws from the seen ones rather than fall short


def test_results_by_type(bank, start):
    bank({"single": 2, "judge": 1})
    attempt = start(rule(("single", 2), ("judge", 1)))
    save_answer(attempt, 1, right_shown(attempt.answers[0]), now=NOW)
    save_answer(attempt, 3, not attempt.answers[2].question.answer, now=NOW)
    finalise_attempt(attempt, now=NOW)
    assert engine.results_by_type(attempt) == [
        {"type": "single", "label": "单选题", "right": 1, "unanswered": 1},
        {"type": "judge", "label": "判断题", "wrong": 1}]


def test_competition_attempt_reveals_after_the_end(bank, start):
    bank({"judge": 1})
    end = NOW + timedelta(hours=2)
    attempt = start(rule(("judge", 1), feedback="after_end"), mode="competition", competition_id=7, deadline=end)
    finalise_attempt(attempt, now=NOW + timedelta(minutes=5))
    assert attempt.reveal_at == end and not attempt.keys_visible(NOW + timedelta(hours=1))
    assert attempt.keys_visible(end)


def test_answer_rows_are_unique_per_attempt_and_question(bank, start):
    bank({"judge": 2})
    attempt = start(rule(("judge", 1)))
    first = attempt.answers[0]
    db.session.add(AttemptAnswer(attempt_id=attempt.id, position=2, question_id=first.question_id,
                                 question_version_id=first.question_version_id))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()

from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, ReviewCard
from quizapp.services.quizzes import wrongbook
from quizapp.services.quizzes.engine import finalise_attempt, save_answer
from quizapp.services.quizzes.papers import QuizError
from tests.quiz.conftest import NOW, rule
from tests.quiz.test_concurrency import run_together


@pytest.fixture
def answer_once(start):
    """answer_once(question, right, when) -> finalise a one-question exam answered right or wrong."""
    seeds = iter(range(1000))

    def answer(question, right: bool, when=NOW, mode="exam"):
        attempt = start(rule(("judge", 1)), mode=mode, now=when, question_ids=[question.id], seed=next(seeds))
        save_answer(attempt, 1, question.answer if right else not question.answer, now=when)
        return finalise_attempt(attempt, now=when)

    return answer


def card_of(member, question) -> ReviewCard | None:
    return db.session.scalar(select(ReviewCard).where(ReviewCard.user_id == member.id,
                                                      ReviewCard.question_id == question.id))


def test_a_wrong_answer_enters_the_book_due_within_a_day(bank, member, answer_once):
    question = bank({"judge": 1})[0]
    answer_once(question, right=False)
    card = card_of(member, question)
    assert card.active and card.wrong_count == 1 and card.right_streak == 0
    assert card.due == NOW + timedelta(days=1)
    assert wrongbook.due_count(member.id, NOW) == 0  # due tomorrow, not today
    assert wrongbook.due_count(member.id, NOW + timedelta(days=1)) == 1


def test_right_answers_push_the_review_out_and_a_wrong_one_brings_it_back(bank, member, answer_once):
    question = bank({"judge": 1})[0]
    answer_once(question, right=False)
    intervals, when = [], NOW
    for _ in range(2):
        when = card_of(member, question).due
        answer_once(question, right=True, when=when)
        intervals.append(card_of(member, question).due - when)
    assert intervals[0] >= timedelta(days=2) and intervals[1] > intervals[0]
    when = card_of(member, question).due
    answer_once(question, right=False, when=when)
    card = card_of(member, question)
    assert card.due - when <= timedelta(days=1) and card.wrong_count == 2 and card.right_streak == 0


def test_mastered_after_three_right_answers_spread_over_days(bank, member, answer_once):
    question = bank({"judge": 1})[0]
    answer_once(question, right=False)
    for _ in range(wrongbook.MASTERY_STREAK):
        assert card_of(member, question).active
        answer_once(question, right=True, when=card_of(member, question).due)
    card = card_of(member, question)
    assert not card.active and card.left_reason == "mastered"
    assert wrongbook.stability_days(card) >= wrongbook.MASTERY_STABILITY_DAYS
    answer_once(question, right=False, when=card.due + timedelta(days=30))  # forgotten: back in the book
    assert card_of(member, question).active and card_of(member, question).left_reason is None


def test_three_right_answers_in_one_sitting_do_not_master_it(bank, member, answer_once):
    question = bank({"judge": 1})[0]
    answer_once(question, right=False)
    for minutes in (10, 20, 30, 40):
        answer_once(question, right=True, when=NOW + timedelta(minutes=minutes))
    card = card_of(member, question)
    assert card.active and card.right_streak == 4
    assert wrongbook.stability_days(card) < wrongbook.MASTERY_STABILITY_DAYS


def test_right_answers_to_questions_not_in_the_book_and_unanswered_ones_add_nothing(bank, member, start):
    bank({"judge": 2})
    attempt = start(rule(("judge", 2)))
    save_answer(attempt, 1, attempt.answers[0].question.answer, now=NOW)
    finalise_attempt(attempt, now=NOW)
    assert db.session.scalars(select(ReviewCard)).all() == []


def test_half_right_multiple_choice_counts_as_wrong(bank, member, start):
    bank({"multiple": 1})
    attempt = start(rule(("multiple", 1), shuffle_options=False))
    save_answer(attempt, 1, ["A"], now=NOW)
    finalise_attempt(attempt, now=NOW)
    assert attempt.score == 0.5 and card_of(member, attempt.answers[0].question).active


def test_hidden_competition_answers_stay_out_of_the_book(bank, member, start):
    question = bank({"judge": 1})[0]
    attempt = start(rule(("judge", 1), feedback="after_end"), mode="competition", competition_id=1,
                    deadline=NOW + timedelta(hours=1), question_ids=[question.id])
    save_answer(attempt, 1, not question.answer, now=NOW)
    finalise_attempt(attempt, now=NOW)
    assert card_of(member, question) is None


def test_book_lists_the_most_overdue_first_and_review_papers_take_them(bank, member, answer_once):
    questions = bank({"judge": 3})
    for offset, question in zip((2, 0, 1), questions):
        answer_once(question, right=False, when=NOW + timedelta(hours=offset))
    book = wrongbook.book(member.id)
    assert [card.question_id for card in book] == [questions[1].id, questions[2].id, questions[0].id]
    assert wrongbook.review_question_ids(member.id, NOW, limit=2) == [questions[1].id, questions[2].id]


def test_remove_by_hand(bank, member, make_user, answer_once):
    question = bank({"judge": 1})[0]
    answer_once(question, right=False)
    card = card_of(member, question)
    with pytest.raises(QuizError, match="错题本中没有这道题"):
        wrongbook.remove(make_user().id, card.id, now=NOW)  # someone else's card
    wrongbook.remove(member.id, card.id, now=NOW)
    assert not card.active and card.left_reason == "removed" and wrongbook.book(member.id) == []
    with pytest.raises(QuizError, match="错题本中没有这道题"):
        wrongbook.remove(member.id, card.id, now=NOW)
    with pytest.raises(QuizError, match="错题本里没有题目"):
        wrongbook.review_question_ids(member.id, NOW)


def test_one_attempt_updates_every_card_it_touches(bank, member, make_user, answer_once, start):
    """New wrong, wrong again, right in the book, right after mastery, right not in the book: one finalise."""
    new, again, good, mastered, absent = bank({"judge": 5})
    answer_once(mastered, right=False)
    for _ in range(wrongbook.MASTERY_STREAK):
        answer_once(mastered, right=True, when=card_of(member, mastered).due)
    mastered_due = card_of(member, mastered).due
    for question in (again, good):
        answer_once(question, right=False)
    other = make_user()
    theirs = start(rule(("judge", 1)), user=other, question_ids=[good.id])
    save_answer(theirs, 1, not good.answer, now=NOW)
    finalise_attempt(theirs, now=NOW)
    when = NOW + timedelta(days=2)
    attempt = start(rule(("judge", 5)), now=when, question_ids=[q.id for q in (new, again, good, mastered, absent)])
    for position, right in enumerate((False, False, True, True, True), 1):
        question = attempt.answers[position - 1].question
        save_answer(attempt, position, question.answer if right else not question.answer, now=when)
    finalise_attempt(attempt, now=when)

    assert (card_of(member, new).wrong_count, card_of(member, new).due) == (1, when + timedelta(days=1))
    assert card_of(member, again).wrong_count == 2 and card_of(member, again).right_streak == 0
    assert card_of(member, good).right_streak == 1 and card_of(member, good).due > when + timedelta(days=1)
    assert not card_of(member, mastered).active and card_of(member, mastered).due == mastered_due
    assert card_of(member, absent) is None
    assert (card_of(other, good).right_streak, card_of(other, good).due) == (0, NOW + timedelta(days=1))


def test_two_attempts_finalised_at_once_add_one_card(app, bank, member, start):
    """The member's lock keeps a second finalise from adding the same card between read and insert."""
    question = bank({"judge": 1})[0]
    attempt_ids = []
    for title in ("甲", "乙"):  # two quizzes of the same question, open together
        attempt = start(rule(("judge", 1), title=title), question_ids=[question.id])
        save_answer(attempt, 1, not question.answer, now=NOW)
        attempt_ids.append(attempt.id)
    db.session.remove()

    def submit(index, after_read, before_read):
        for barrier in (before_read, after_read):
            if barrier:
                barrier.wait()
        return finalise_attempt(db.session.get(Attempt, attempt_ids[index]), now=NOW + timedelta(seconds=index)).status

    assert run_together(app, submit) == ["finished", "finished"]
    cards = db.session.scalars(select(ReviewCard)).all()
    assert [(card.question_id, card.wrong_count) for card in cards] == [(question.id, 2)]


@pytest.mark.parametrize("rights_in_one_sitting", [0, 1, 4])
def test_right_answers_to_leave_is_what_it_then_takes(bank, member, answer_once, rights_in_one_sitting):
    """The count the 错题本 shows ("再答对 N 次就移出") follows the rule: answering right on each review
    day takes exactly that many answers, even after a streak that did not master it (连对 4 次 but still in)."""
    question = bank({"judge": 1})[0]
    answer_once(question, right=False)
    for minutes in range(rights_in_one_sitting):
        answer_once(question, right=True, when=NOW + timedelta(minutes=10 * (minutes + 1)))
    promised = wrongbook.right_answers_to_leave(card_of(member, question))
    assert 1 <= promised < wrongbook.PLAN_LIMIT
    taken = 0
    while card_of(member, question).active:
        answer_once(question, right=True, when=card_of(member, question).due)
        taken += 1
    assert taken == promised

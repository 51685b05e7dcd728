"""错题本: every question a member got wrong, scheduled for review with FSRS.

- A wrong (or half-right) answer in any mode puts the question in the book, or brings it back, and
  rates the card Again: it is due again within a day.
- A right answer to a question in the book rates the card Good: FSRS pushes the next review out
  (about 2, 6, 17 days ... when reviewed on time).
- Mastery rule: the question leaves the book after MASTERY_STREAK right answers in a row once its
  FSRS stability has reached MASTERY_STABILITY_DAYS days, i.e. it was remembered across spaced
  reviews, not three times in one sitting. A later wrong answer puts it back.
- The member can remove a question by hand; unanswered questions do not enter the book.
Learning steps are off (reviews happen in daily quizzes, not minutes apart) and so is fuzzing, so
schedules are exact and testable.
"""
from __future__ import annotations

from datetime import datetime, timezone

from fsrs import Card, Rating, Scheduler
from sqlalchemy import Integer, bindparam, func, insert, select, update
from sqlalchemy.orm import joinedload

from quizapp.extensions import db
from quizapp.models import Attempt, ReviewCard
from quizapp.services.clock import day_bounds, local_day
from quizapp.services.quizzes.papers import QuizError

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
MASTERY_STREAK = 3
MASTERY_STABILITY_DAYS = 7.0
REVIEW_PAPER_SIZE = 10
UPDATE_CARD = update(ReviewCard.__table__).where(ReviewCard.__table__.c.id == bindparam("card_id"))
INSERT_CARD = insert(ReviewCard.__table__)
CARDS_OF = select(ReviewCard.id, ReviewCard.question_id, ReviewCard.card, ReviewCard.right_streak, ReviewCard.wrong_count,
                  ReviewCard.active).where(ReviewCard.user_id == bindparam("user_id"),
                                           ReviewCard.question_id.in_(bindparam("question_ids", expanding=True)))


def record_attempt(attempt: Attempt, *, now: datetime) -> None:
    """Update the book from a just-finalised attempt (caller's transaction) in three statements at most.

    The cards are read in one SELECT, reviewed in Python, and written by one UPDATE and one INSERT
    executed with a parameter set per card (Core statements: a ReviewCard object loaded earlier in
    the session is stale until the caller's commit expires it). The caller holds the member's lock
    (points.lock_member; SQLite: the write lock), so no other finalise adds the same card between
    the SELECT and the INSERT.
    An attempt whose answers stay hidden until later (a competition's "after_end") is left out: a
    review would show the keys before the competition is over.
    """
    answered = {answer.question_id: answer.is_correct for answer in attempt.answers if answer.is_answered}
    if not answered or attempt.reveal_at is not None:
        return
    found = db.session.execute(CARDS_OF, {"user_id": attempt.user_id, "question_ids": list(answered)})
    cards = {row.question_id: row for row in found}
    changed, added = [], []
    for question_id, correct in answered.items():
        card = cards.get(question_id)
        if card is not None and (card.active or not correct):
            changed.append({"card_id": card.id, **_reviewed(card.card, card.right_streak, card.wrong_count, correct, now)})
        elif not correct:  # a right answer to a question not in the book adds nothing
            new = Card(card_id=question_id, due=now).to_dict()
            added.append({"user_id": attempt.user_id, "question_id": question_id, "added_at": now,
                          **_reviewed(new, 0, 0, correct, now)})
    if changed:
        db.session.execute(UPDATE_CARD, changed)
    if added:
        db.session.execute(INSERT_CARD, added)


def _reviewed(card: dict, right_streak: int, wrong_count: int, correct: bool, now: datetime) -> dict:
    """A card's new columns after one review: Good for a right answer, Again (back in the book) for a
    wrong one. Only cards in the book are rated Good, so a card stays in it unless mastered now."""
    rating = Rating.Good if correct else Rating.Again
    scheduled, _log = SCHEDULER.review_card(Card.from_dict(card), rating, now.astimezone(timezone.utc))
    right_streak = right_streak + 1 if correct else 0
    mastered = right_streak >= MASTERY_STREAK and scheduled.stability >= MASTERY_STABILITY_DAYS
    return {"card": scheduled.to_dict(), "due": scheduled.due, "right_streak": right_streak,
            "wrong_count": wrong_count + (not correct), "active": not mastered,
            "left_at": now if mastered else None, "left_reason": "mastered" if mastered else None}


def stability_days(card: ReviewCard) -> float:
    return card.card.get("stability") or 0.0


PLAN_LIMIT = 10


def right_answers_to_leave(card: ReviewCard) -> int:
    """How many more right answers, each given on its review day, take the question out of the book:
    the mastery rule played forward on the card's own FSRS state (at most PLAN_LIMIT)."""
    state, streak = Card.from_dict(card.card), card.right_streak
    for count in range(1, PLAN_LIMIT + 1):
        state, _log = SCHEDULER.review_card(state, Rating.Good, state.due)
        streak += 1
        if streak >= MASTERY_STREAK and state.stability >= MASTERY_STABILITY_DAYS:
            return count
    return PLAN_LIMIT


def _active(user_id: int):
    return select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.active.is_(True))


def due_until(now: datetime) -> datetime:
    """Cards due before the end of the member's local day count as due today."""
    return day_bounds(local_day(now))[1]


def book(user_id: int, *, limit: int = 500) -> list[ReviewCard]:
    """Active cards with their questions (one query), the most overdue first (so what is due today
    leads the list)."""
    query = _active(user_id).options(joinedload(ReviewCard.question)).order_by(ReviewCard.due, ReviewCard.id)
    return list(db.session.scalars(query.limit(limit)))


def due_count(user_id: int, now: datetime) -> int:
    query = select(func.count()).select_from(ReviewCard).where(
        ReviewCard.user_id == user_id, ReviewCard.active.is_(True), ReviewCard.due < due_until(now))
    return db.session.scalar(query)


DUE_QUESTIONS = (select(ReviewCard.question_id)
                 .where(ReviewCard.user_id == bindparam("user_id"), ReviewCard.active.is_(True),
                        ReviewCard.due < bindparam("due_until", type_=ReviewCard.due.type))
                 .order_by(ReviewCard.due).limit(bindparam("limit", type_=Integer, literal_execute=True)))


def due_question_ids(user_id: int, now: datetime, limit: int) -> list[int]:
    return list(db.session.scalars(DUE_QUESTIONS, {"user_id": user_id, "due_until": due_until(now), "limit": limit}))


def review_question_ids(user_id: int, now: datetime, limit: int = REVIEW_PAPER_SIZE) -> list[int]:
    """A review paper: the cards due today, topped up with the next ones due; QuizError if the book is empty."""
    ids = [card.question_id for card in db.session.scalars(_active(user_id).order_by(ReviewCard.due).limit(limit))]
    if not ids:
        raise QuizError("错题本里没有题目，先去答题吧。")
    return ids


def remove(user_id: int, card_id: int, *, now: datetime) -> ReviewCard:
    card = db.session.get(ReviewCard, card_id)
    if card is None or card.user_id != user_id or not card.active:
        raise QuizError("错题本中没有这道题。")
    card.active, card.left_at, card.left_reason = False, now, "removed"
    db.session.commit()
    return card

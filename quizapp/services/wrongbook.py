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
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, ReviewCard
from quizapp.services.clock import day_bounds, local_day
from quizapp.services.papers import QuizError

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
MASTERY_STREAK = 3
MASTERY_STABILITY_DAYS = 7.0
REVIEW_PAPER_SIZE = 10


def record_attempt(attempt: Attempt, *, now: datetime) -> None:
    """Update the book from a just-finalised attempt (caller's transaction).

    An attempt whose answers stay hidden until later (a competition's "after_end") is left out: a
    review would show the keys before the competition is over.
    """
    answered = [answer for answer in attempt.answers if answer.is_answered]
    if not answered or attempt.reveal_at is not None:
        return
    question_ids = [answer.question_id for answer in answered]
    query = select(ReviewCard).where(ReviewCard.user_id == attempt.user_id, ReviewCard.question_id.in_(question_ids))
    cards = {card.question_id: card for card in db.session.scalars(query)}
    for answer in answered:
        card = cards.get(answer.question_id)
        if answer.is_correct:
            if card is not None and card.active:
                _review(card, Rating.Good, now)
        else:
            _record_wrong(attempt.user_id, answer.question_id, card, now)
    db.session.flush()


def _record_wrong(user_id: int, question_id: int, card: ReviewCard | None, now: datetime) -> None:
    if card is None:
        card = ReviewCard(user_id=user_id, question_id=question_id, card=Card(card_id=question_id, due=now).to_dict(),
                          due=now, wrong_count=0, added_at=now)
        db.session.add(card)
    card.wrong_count += 1
    card.active, card.left_at, card.left_reason = True, None, None
    _review(card, Rating.Again, now)


def _review(card: ReviewCard, rating: Rating, now: datetime) -> None:
    scheduled, _log = SCHEDULER.review_card(Card.from_dict(card.card), rating, now.astimezone(timezone.utc))
    card.card, card.due = scheduled.to_dict(), scheduled.due
    card.right_streak = card.right_streak + 1 if rating == Rating.Good else 0
    if card.right_streak >= MASTERY_STREAK and scheduled.stability >= MASTERY_STABILITY_DAYS:
        card.active, card.left_at, card.left_reason = False, now, "mastered"


def stability_days(card: ReviewCard) -> float:
    return card.card.get("stability") or 0.0


def _active(user_id: int):
    return select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.active.is_(True))


def due_until(now: datetime) -> datetime:
    """Cards due before the end of the member's local day count as due today."""
    return day_bounds(local_day(now))[1]


def book(user_id: int, *, limit: int = 500) -> list[ReviewCard]:
    """Active cards, the most overdue first (so what is due today leads the list)."""
    return list(db.session.scalars(_active(user_id).order_by(ReviewCard.due, ReviewCard.id).limit(limit)))


def due_count(user_id: int, now: datetime) -> int:
    query = select(func.count()).select_from(ReviewCard).where(
        ReviewCard.user_id == user_id, ReviewCard.active.is_(True), ReviewCard.due < due_until(now))
    return db.session.scalar(query)


def due_question_ids(user_id: int, now: datetime, limit: int) -> list[int]:
    query = _active(user_id).where(ReviewCard.due < due_until(now)).order_by(ReviewCard.due).limit(limit)
    return [card.question_id for card in db.session.scalars(query)]


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

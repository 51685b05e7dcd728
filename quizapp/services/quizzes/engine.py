"""Attempts: start (draw a paper), autosave answers, finalise exactly once, expire by server time.

One engine serves every mode; a competition is one more configuration (mode="competition", its
rule or fixed question ids, and its end as a hard deadline).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime, timedelta
from random import Random

from sqlalchemy import String, bindparam, cast, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from question_bank.draft import QUESTION_TYPES
from question_bank.text import names_option_letters
from quizapp.database import commit_keeping_state
from quizapp.extensions import db
from quizapp.models import MODES, Attempt, AttemptAnswer, Question, User
from quizapp.services.bank.versions import follow_rekeys, pin_versions
from quizapp.services.clock import day_bounds, local_day
from quizapp.services.competitions import entries
from quizapp.services.progress import points, summaries
from quizapp.services.quality import item_stats
from quizapp.services.quizzes import exam_lock, scoring, wrongbook
from quizapp.services.quizzes.papers import PaperRule, QuizError, RuleSection, draw_paper, questions_by_id

__all__ = ["QuizError", "start_attempt", "save_answer", "finalise_attempt", "finalise_expired"]

DAILY_RULE = PaperRule(sections=[RuleSection("single", 4), RuleSection("multiple", 2),
                                 RuleSection("judge", 2), RuleSection("fill", 2)], title="每日答题")
RECENT_ATTEMPTS_SEEN = 30  # daily quizzes avoid the questions of the member's last 30 attempts
DAILY_WRONG_QUOTA = 3  # ... and bring back up to 3 questions due in the wrong-answer book


class AttemptExpired(QuizError):
    pass


CLOSED_MESSAGE = "本次答题已经交卷，答案不能再修改。"


def start_attempt(user: User, mode: str, rule: PaperRule, *, now: datetime, rng: Random,
                  competition_id: int | None = None, question_ids: list[int] | None = None,
                  deadline: datetime | None = None, title: str | None = None,
                  pinned_versions: dict[int, int] | None = None,
                  option_orders: dict[int, list[int]] | None = None) -> Attempt:
    """Draw a paper and open an attempt, or return the member's open attempt of the same quiz.
    A paper handed out before (offline) names its questions, and may pin their versions and option orders."""
    _check_mode(mode, competition_id, deadline, now)
    if rule.feedback == "immediate" and exam_lock.sitting_exam(user.id, now):
        raise QuizError(exam_lock.PRACTICE_MESSAGE)
    slot = _slot(mode, rule, now, competition_id)
    existing = _open_in_slot(user.id, slot, now)
    if existing is not None:
        return existing
    seed = rng.randrange(2**31)
    paper_rng = Random(seed)
    if question_ids is not None:
        questions = _fixed_paper(question_ids)
    else:
        questions = draw_paper(rule, paper_rng, **_preferences(user.id, mode, now))
    attempt = Attempt(user_id=user.id, mode=mode, title=title or rule.title or MODES[mode],
                      competition_id=competition_id, rule=rule.to_dict(), seed=seed, status="open",
                      open_slot=slot, started_at=now, deadline=_deadline(rule, now, deadline),
                      reveal_at=deadline if rule.feedback == "after_end" else None,
                      question_count=len(questions))
    versions = {**pin_versions(questions, acting_user_id=None, now=now), **follow_rekeys(pinned_versions or {})}
    orders = option_orders or {question.id: option_order(question, rule.shuffle_options, paper_rng) for question in questions}
    answers = [{"position": position, "question_id": question.id, "question_version_id": versions[question.id],
                "option_order": orders[question.id],
                "points": rule.points_for_type(question.type)} for position, question in enumerate(questions, 1)]
    attempt.max_score = sum(answer["points"] for answer in answers)
    db.session.add(attempt)
    try:
        db.session.flush()
    except IntegrityError:  # the same quiz was started at the same instant in another request
        db.session.rollback()
        existing = _open_in_slot(user.id, slot, now)
        if existing is None:
            raise
        return existing
    _insert_answers(attempt, answers)
    commit_keeping_state()
    return attempt


INSERT_ANSWERS = insert(AttemptAnswer)


def _insert_answers(attempt: Attempt, answers: list[dict]) -> None:
    """One executemany without RETURNING: SQLite cannot batch the ORM's ordered RETURNING of new ids and
    would send one INSERT per answer. attempt.answers loads on first use."""
    db.session.execute(INSERT_ANSWERS, [{"attempt_id": attempt.id, **answer} for answer in answers])


def fixed_paper_rule(question_ids: list[int], **options) -> PaperRule:
    """A rule describing a fixed paper (one section per type present), e.g. a 错题重练."""
    types = Counter(db.session.scalars(select(Question.type).where(Question.id.in_(question_ids))))
    if not types:
        raise QuizError("试卷中没有题目")
    return PaperRule([RuleSection(kind, types[kind]) for kind in QUESTION_TYPES if types[kind]], **options)


def review_rule(question_ids: list[int]) -> PaperRule:
    """The 错题重练 paper: the member's due cards, each answer shown right or wrong at once."""
    return fixed_paper_rule(question_ids, feedback="immediate", title="错题重练")


def _check_mode(mode: str, competition_id: int | None, deadline: datetime | None, now: datetime) -> None:
    if mode not in MODES:
        raise QuizError(f"答题模式「{mode}」不存在")
    if (mode == "competition") != (competition_id is not None):
        raise QuizError("只有知识竞赛需要、也必须指定竞赛")
    if deadline is not None and deadline <= now:
        raise QuizError("答题截止时间已过，不能再开始")


def _slot(mode: str, rule: PaperRule, now: datetime, competition_id: int | None) -> str:
    """Names the quiz for the one-open-attempt-per-quiz constraint."""
    if mode == "daily":
        return f"daily:{local_day(now).isoformat()}"
    if mode == "competition":
        return f"competition:{competition_id}"
    if mode == "review":
        return "review"
    digest = hashlib.sha1(json.dumps(rule.to_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"{mode}:{digest[:20]}"


OPEN_IN_SLOT = select(Attempt).where(Attempt.user_id == bindparam("user_id"), Attempt.open_slot == bindparam("slot"))


def _open_in_slot(user_id: int, slot: str, now: datetime) -> Attempt | None:
    attempt = db.session.scalar(OPEN_IN_SLOT, {"user_id": user_id, "slot": slot})
    if attempt is not None and attempt.is_expired(now):
        finalise_attempt(attempt, now=now)
        return None
    return attempt


def _deadline(rule: PaperRule, now: datetime, hard: datetime | None) -> datetime:
    """Time limit and/or the hard end (a competition's); an untimed attempt closes at local midnight."""
    limits = [hard] if hard is not None else []
    if rule.time_limit_s:
        limits.append(now + timedelta(seconds=rule.time_limit_s))
    return min(limits) if limits else day_bounds(local_day(now))[1]


def _fixed_paper(question_ids: list[int]) -> list[Question]:
    if not question_ids:
        raise QuizError("试卷中没有题目")
    if len(set(question_ids)) != len(question_ids):
        raise QuizError("试卷中有重复的题目")
    questions = questions_by_id(question_ids)
    if len(questions) < len(question_ids):
        found = {question.id for question in questions}
        missing = next(position for position, question_id in enumerate(question_ids, 1) if question_id not in found)
        raise QuizError(f"试卷中的第 {missing} 题已不存在")
    return questions


def _seen_recently_statement():
    recent = (select(Attempt.id).where(Attempt.user_id == bindparam("user_id")).order_by(Attempt.id.desc())
              .limit(RECENT_ATTEMPTS_SEEN))
    return select(AttemptAnswer.question_id).where(AttemptAnswer.attempt_id.in_(recent.scalar_subquery()))


SEEN_RECENTLY = _seen_recently_statement()


def _preferences(user_id: int, mode: str, now: datetime) -> dict:
    return daily_preferences(user_id, now) if mode == "daily" else {}


def daily_preferences(user_id: int, now: datetime) -> dict:
    """draw_paper's preferences for a member's daily quiz: avoid what was seen lately, bring back due 错题."""
    seen = db.session.scalars(SEEN_RECENTLY, {"user_id": user_id})
    return {"avoid_ids": set(seen), "prefer_ids": wrongbook.due_question_ids(user_id, now, DAILY_WRONG_QUOTA)}


def option_order(question: Question, shuffle: bool, rng: Random) -> list[int]:
    """The order the options are shown in; a 解析 that names options by letter keeps the stored order."""
    if question.type not in ("single", "multiple"):
        return []
    order = list(range(len(question.options)))
    if shuffle and not names_option_letters(question.explanation):
        rng.shuffle(order)
    return order


PAPER = (select(AttemptAnswer).where(AttemptAnswer.attempt_id == bindparam("attempt_id"))
         .options(joinedload(AttemptAnswer.question, innerjoin=True).joinedload(Question.source),
                  joinedload(AttemptAnswer.version, innerjoin=True))
         .order_by(AttemptAnswer.position)
         .execution_options(populate_existing=True))


def load_paper(attempt: Attempt) -> list[AttemptAnswer]:
    """The answers with their questions and sources in one query, instead of one query per question
    and per source (the feedback names the source); they are also attempt.answers from then on (no
    second query for whoever reads that)."""
    answers = list(db.session.scalars(PAPER, {"attempt_id": attempt.id}))
    set_committed_value(attempt, "answers", answers)
    return answers


def answer_card(attempt: Attempt) -> list[tuple[int, bool]]:
    """(position, answered) of every question: the 答题卡, without loading the answers themselves."""
    query = (select(AttemptAnswer.position, AttemptAnswer.answered_at.is_not(None))
             .where(AttemptAnswer.attempt_id == attempt.id).order_by(AttemptAnswer.position))
    return [(position, bool(answered)) for position, answered in db.session.execute(query)]


def _members_answer(position, *columns):
    """The member's answer at `position` with its attempt and question (statements built once: their
    cache keys are then memoised)."""
    return (select(AttemptAnswer, *columns).join(AttemptAnswer.attempt)
            .options(contains_eager(AttemptAnswer.attempt), joinedload(AttemptAnswer.question),
                     joinedload(AttemptAnswer.version, innerjoin=True))
            .where(AttemptAnswer.attempt_id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"),
                   AttemptAnswer.position == position))


def _question_page_query(position):
    """The statement of question_page: the answer and the positions answered (the 答题卡)."""
    answered = (select(func.aggregate_strings(cast(AttemptAnswer.position, String), ","))
                .where(AttemptAnswer.attempt_id == bindparam("attempt_id"), AttemptAnswer.answered_at.is_not(None))
                .scalar_subquery())
    return _members_answer(position, answered)


FIRST_UNANSWERED = func.coalesce(select(func.min(AttemptAnswer.position)).where(
    AttemptAnswer.attempt_id == bindparam("attempt_id"), AttemptAnswer.answered_at.is_(None)).scalar_subquery(), 1)
QUESTION_PAGE_AT = _question_page_query(bindparam("position"))
QUESTION_PAGE_FIRST_UNANSWERED = _question_page_query(FIRST_UNANSWERED)


def question_page(user_id: int, attempt_id: int, position: int | None) -> tuple[AttemptAnswer, list[tuple[int, bool]]] | None:
    """The member's answer at `position` (by default the first unanswered) with its attempt and question,
    and the 答题卡, in one query; None when the attempt is not the member's or has no such position."""
    query = QUESTION_PAGE_FIRST_UNANSWERED if position is None else QUESTION_PAGE_AT
    row = db.session.execute(query, {"attempt_id": attempt_id, "user_id": user_id, "position": position}).first()
    if row is None:
        return None
    answer, answered_positions = row
    done = {int(number) for number in answered_positions.split(",")} if answered_positions else set()
    return answer, [(number, number in done) for number in range(1, answer.attempt.question_count + 1)]


MEMBERS_ANSWER = _members_answer(bindparam("position"))


def members_answer(user_id: int, attempt_id: int, position: int) -> AttemptAnswer | None:
    """The answer at `position` of the member's attempt, with the attempt and the question, in one query;
    None when the attempt is not the member's or has no such position."""
    return db.session.scalars(MEMBERS_ANSWER, {"attempt_id": attempt_id, "user_id": user_id, "position": position}).first()


ATTEMPT_OF_MEMBER = select(Attempt).where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))


def attempt_of_member(user_id: int, attempt_id: int) -> Attempt | None:
    """The attempt if it is this member's; someone else's is as absent as a missing one."""
    return db.session.scalars(ATTEMPT_OF_MEMBER, {"attempt_id": attempt_id, "user_id": user_id}).first()


ANSWER_AT = (select(AttemptAnswer).options(joinedload(AttemptAnswer.question), joinedload(AttemptAnswer.version))
             .where(AttemptAnswer.attempt_id == bindparam("attempt_id"), AttemptAnswer.position == bindparam("position")))


def _find_answer(attempt: Attempt, position: int) -> AttemptAnswer | None:
    if not isinstance(position, int):
        return None
    return db.session.scalars(ANSWER_AT, {"attempt_id": attempt.id, "position": position}).first()


def save_answer(attempt: Attempt, position: int, given, *, now: datetime,
                answer: AttemptAnswer | None = None, clear: bool = False) -> AttemptAnswer:
    """Autosave one answer (`given` in the letters as shown). Refused after the deadline or submission.
    `answer` is the one at `position` with its question, when the caller has loaded it (members_answer).
    An empty answer replaces a saved one only when the member asked to `clear` it: a page shown again
    from the browser's history has nothing ticked, and moving on from it must not wipe the answer.

    Everything is read and checked first; then one conditional UPDATE writes the answer only while
    the attempt is still open (and, with immediate feedback, only a first answer), holding SQLite's
    write lock or PostgreSQL's share lock on the attempt (which a finalise waits for) for that alone.
    """
    answer = answer or _find_answer(attempt, position)
    if not attempt.is_open:
        raise QuizError(CLOSED_MESSAGE)
    if attempt.is_expired(now):
        if not _finalise(attempt, now):
            raise QuizError(CLOSED_MESSAGE)
        raise AttemptExpired("答题时间已到，这个答案没有保存；试卷已按之前保存的答案自动交卷。")
    if answer is None:
        raise QuizError(f"这份试卷没有第 {position} 题")
    if attempt.immediate_feedback and answer.is_answered:
        raise QuizError(f"第 {position} 题已经作答，不能修改。")
    stored = scoring.parse_given(answer.version, answer.option_order, given)
    if attempt.immediate_feedback and stored is None:
        raise QuizError("请先作答再确定。")
    if stored is None and answer.is_answered and not clear:
        return answer
    outcome = scoring.score_answer(answer.version, stored, answer.points, multiple_partial=_partial(attempt))
    values = {"given": stored, "answered_at": now if stored is not None else None, "is_correct": None, "score": 0.0}
    if attempt.immediate_feedback:
        values.update(is_correct=outcome.is_correct, score=outcome.score)
    _write_while_open(attempt, answer, values)
    return answer


def _answer_update(first_answer_only: bool):
    """UPDATE one answer while its attempt is still open (and, if asked, not yet answered); built once."""
    attempts, answers = Attempt.__table__.c, AttemptAnswer.__table__.c  # Core: no ORM bulk-update step
    still_open = (select(attempts.id).where(attempts.id == bindparam("open_attempt_id"), attempts.status == "open")
                  .with_for_update(read=True).exists())
    query = update(AttemptAnswer.__table__).where(answers.id == bindparam("answer_id"), still_open)
    if first_answer_only:
        query = query.where(answers.answered_at.is_(None))
    columns = ("given", "answered_at", "is_correct", "score")
    return query.values({name: bindparam(f"new_{name}", type_=answers[name].type) for name in columns})


ANSWER_UPDATES = {first_only: _answer_update(first_only) for first_only in (False, True)}


def _write_while_open(attempt: Attempt, answer: AttemptAnswer, values: dict) -> None:
    parameters = {"open_attempt_id": attempt.id, "answer_id": answer.id, **{f"new_{key}": value for key, value in values.items()}}
    if db.session.execute(ANSWER_UPDATES[attempt.immediate_feedback], parameters).rowcount != 1:
        db.session.rollback()
        db.session.refresh(attempt, ["status"])
        raise QuizError(CLOSED_MESSAGE if not attempt.is_open else f"第 {answer.position} 题已经作答，不能修改。")
    commit_keeping_state()
    for key, value in values.items():
        set_committed_value(answer, key, value)


def _partial(attempt: Attempt) -> bool:
    return attempt.rule.get("multiple_partial", True)


def finalise_attempt(attempt: Attempt, *, now: datetime) -> Attempt:
    """Score and close the attempt exactly once, whoever calls first; later calls return the result."""
    _finalise(attempt, now)
    return attempt


def _claim_statement():
    """Close an attempt if it is still open (built once)."""
    columns = Attempt.__table__.c  # Core: no ORM bulk-update step
    return (update(Attempt.__table__).where(columns.id == bindparam("claimed_id"), columns.status == "open")
            .values(status="finished", open_slot=None,
                    finished_at=bindparam("new_finished_at", type_=columns.finished_at.type),
                    study_day=bindparam("new_study_day", type_=columns.study_day.type)))


CLAIM = _claim_statement()


def _finalise(attempt: Attempt, now: datetime) -> bool:
    finished_at = min(now, attempt.deadline) if attempt.deadline else now
    closed = {"status": "finished", "open_slot": None, "finished_at": finished_at, "study_day": local_day(finished_at)}
    claimed = db.session.execute(CLAIM, {"claimed_id": attempt.id, "new_finished_at": finished_at,
                                         "new_study_day": closed["study_day"]})
    if claimed.rowcount != 1:  # another request finalised it first
        db.session.rollback()
        db.session.refresh(attempt)
        return False
    for key, value in closed.items():  # what the claim wrote; nothing else of an attempt changes while open
        set_committed_value(attempt, key, value)
    points.lock_member(attempt.user_id)
    answers = load_paper(attempt)  # also attempt.answers, which the recorders below read
    _score(attempt, answers)
    wrongbook.record_attempt(attempt, now=finished_at)
    granted = points.award_for_attempt(attempt)
    summaries.record_attempt(attempt, points={attempt.study_day: granted})
    item_stats.record_attempt(attempt)
    if attempt.competition_id is not None:
        entries.record_attempt(attempt)
    db.session.commit()
    return True


SCORE_ANSWER = (update(AttemptAnswer.__table__).where(AttemptAnswer.__table__.c.id == bindparam("answer_id"))
                .values(is_correct=bindparam("new_is_correct"), score=bindparam("new_score")))


def _score(attempt: Attempt, answers: list[AttemptAnswer]) -> None:
    """Score every answer, written by one UPDATE executed once per answer (no unit-of-work flush)."""
    outcomes = [scoring.score_answer(answer.version, answer.given, answer.points, multiple_partial=_partial(attempt))
                for answer in answers]
    db.session.execute(SCORE_ANSWER, [{"answer_id": answer.id, "new_is_correct": outcome.is_correct,
                                       "new_score": outcome.score} for answer, outcome in zip(answers, outcomes)])
    for answer, outcome in zip(answers, outcomes):
        set_committed_value(answer, "is_correct", outcome.is_correct)
        set_committed_value(answer, "score", outcome.score)
    attempt.score = round(sum(answer.score for answer in answers), 2)
    attempt.correct_count = sum(1 for answer in answers if answer.is_correct)
    attempt.time_used_s = max(0, int((attempt.finished_at - attempt.started_at).total_seconds()))


def expire_if_due(attempt: Attempt, *, now: datetime) -> bool:
    """Finalise an open attempt whose deadline has passed; True if this call did it."""
    return attempt.is_expired(now) and _finalise(attempt, now)


def finalise_expired(*, now: datetime, batch: int = 500) -> int:
    """Finalise every open attempt past its deadline with what was saved; return how many."""
    count = 0
    while True:
        query = (select(Attempt.id).where(Attempt.status == "open", Attempt.deadline <= now)
                 .order_by(Attempt.deadline, Attempt.id).limit(batch))
        ids = list(db.session.scalars(query))
        db.session.rollback()
        if not ids:
            return count
        count += sum(_finalise(db.session.get(Attempt, attempt_id), now) for attempt_id in ids)


def open_attempts(user_id: int) -> list[Attempt]:
    query = select(Attempt).where(Attempt.user_id == user_id, Attempt.status == "open").order_by(Attempt.started_at.desc())
    return list(db.session.scalars(query))


def daily_done_today(user_id: int, now: datetime) -> Attempt | None:
    query = (select(Attempt).where(Attempt.user_id == user_id, Attempt.mode == "daily",
                                   Attempt.study_day == local_day(now)).order_by(Attempt.finished_at).limit(1))
    return db.session.scalar(query)


def results_by_type(attempt: Attempt) -> list[dict]:
    """Right / wrong / unanswered per question type, in the order types are shown."""
    tally: dict[str, Counter] = {}
    for answer in attempt.answers:
        state = "unanswered" if not answer.is_answered else ("right" if answer.is_correct else "wrong")
        tally.setdefault(answer.version.type, Counter())[state] += 1
    return [{"type": code, "label": label, **tally[code]} for code, label in QUESTION_TYPES.items() if code in tally]

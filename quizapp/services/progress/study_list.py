"""三会一课 study list: a branch's weakest questions in a period, for the secretary's dashboard.

Read from the summary rows (QuestionStat: each member's latest answer to each question), never from
the answers: a question counts for a member whose latest answer to it fell in the period, and its
proportion correct is the share of those members whose latest answer was right. Questions answered
by fewer than MIN_MEMBERS members are left out (one member's slip is not a branch's weakness), and
retired questions too.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select

from quizapp.extensions import db
from quizapp.models import Question, QuestionStat, Source
from quizapp.services.clock import day_bounds
from quizapp.services.progress.group_figures import member_ids
from quizapp.services.progress.periods import Period

MIN_MEMBERS = 3
LIST_SIZE = 10


@dataclass
class WeakQuestion:
    question_id: int
    stem: str
    type_label: str
    answer_text: str
    quote: str
    source_title: str
    members: int
    correct: int

    @property
    def proportion(self) -> float:
        return self.correct / self.members


def weakest_questions(group_ids: list[int], period: Period, *, limit: int = LIST_SIZE,
                      min_members: int = MIN_MEMBERS) -> list[WeakQuestion]:
    """The questions the groups' members got wrong most in the period, the weakest first."""
    start, end = day_bounds(period.start)[0], day_bounds(period.end)[1]
    members = func.count()
    correct = func.sum(cast(QuestionStat.last_correct, Integer))
    tallies = (select(QuestionStat.question_id, members.label("members"), correct.label("correct"))
               .where(QuestionStat.user_id.in_(member_ids(group_ids)), QuestionStat.last_answered_at >= start,
                      QuestionStat.last_answered_at < end)
               .group_by(QuestionStat.question_id).having(members >= min_members).subquery())
    query = (select(Question, Source.title, tallies.c.members, tallies.c.correct)
             .join(tallies, tallies.c.question_id == Question.id).outerjoin(Source, Source.id == Question.source_id)
             .where(Question.status != "retired")
             .order_by((tallies.c.correct * 1.0 / tallies.c.members), tallies.c.members.desc(), Question.id)
             .limit(limit))
    return [WeakQuestion(question.id, question.stem, question.type_label, question.answer_text, question.quote or "",
                         title or "", members, int(correct or 0))
            for question, title, members, correct in db.session.execute(query)]

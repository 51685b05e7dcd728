"""Who may open the quiz pages (collected by tests/test_access_matrix.py).

An attempt belongs to its member alone: for everyone else it does not exist (404, nothing leaks).
The member sits the world's exam, so the 错题本 (keys, 解析) is closed to him or her (exam lock).
"""
from random import Random

from quizapp.extensions import db
from quizapp.models import Question
from quizapp.models._types import utcnow
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.papers import PaperRule, RuleSection
from tests.access import LOGGED_IN, Page, expect

OWNER_ONLY = expect(member=200, secretary=404, other_secretary=404, admin=404)
STARTS = expect(member=302, secretary=302, other_secretary=302, admin=302)
MISSING = expect(member=404, secretary=404, other_secretary=404, admin=404)

ACCESS = [
    Page("/quiz/", LOGGED_IN),
    Page("/quiz/history", LOGGED_IN),
    Page("/quiz/wrong-book", expect(member=403)),
    Page("/quiz/daily", STARTS, method="POST"),
    Page("/quiz/review", STARTS, method="POST"),
    Page("/quiz/attempts/{attempt}", OWNER_ONLY),
    Page("/quiz/attempts/{attempt}/submit", OWNER_ONLY),
    Page("/quiz/attempts/{attempt}/result", expect(member=302, secretary=404, other_secretary=404, admin=404)),
    Page("/quiz/attempts/{attempt}/answer", expect(member=302, secretary=404, other_secretary=404, admin=404),
         method="POST", data={"position": "1", "judge": "true"}),
    Page("/quiz/attempts/{missing}", MISSING),
    Page("/quiz/attempts/{missing}/result", MISSING),
    Page("/quiz/wrong-book/{missing}/remove", STARTS, method="POST"),
]


def prepare(world) -> dict:
    question = Question(key="access-judge", type="judge", stem="判断题", normalised_stem="判断题", answer=True,
                        status="published", draw_key=0.5)
    db.session.add(question)
    db.session.commit()
    rule = PaperRule([RuleSection("judge", 1)], time_limit_s=3600)
    attempt = engine.start_attempt(world["member"], "exam", rule, now=utcnow(), rng=Random(1))
    return {"attempt": attempt.id}

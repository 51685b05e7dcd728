"""Who may open the 纠错 pages (collected by tests/test_access_matrix.py): members see their own reports;
the queue and its actions are the admins'; a report names an attempt of the member's own."""
from datetime import timedelta
from random import Random

from quizapp.extensions import db
from quizapp.models import Question
from quizapp.models._types import utcnow
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.papers import PaperRule, RuleSection
from tests.access import ADMIN_ONLY, LOGGED_IN, Page, expect

ACCESS = [
    Page("/reports/mine", LOGGED_IN),
    Page("/reports/queue", ADMIN_ONLY),
    Page("/reports/suspicious", ADMIN_ONLY),
    Page("/reports/questions/{question}/resolve", expect(member=403, secretary=403, other_secretary=403, admin=302),
         method="POST", data={"outcome": "dismissed", "reply": "理由"}),
    Page("/reports/attempts/{attempt}/1", expect(member=200, secretary=404, other_secretary=404, admin=404)),
    Page("/reports/attempts/{attempt}/1", expect(member=302, secretary=404, other_secretary=404, admin=404),
         method="POST", data={"reason": "typo"}),
]


def prepare(world) -> dict:
    question = Question(key="access-report", type="judge", stem="纠错判断题", normalised_stem="纠错判断题", answer=True,
                        status="published", draw_key=0.25)
    db.session.add(question)
    db.session.commit()
    now = utcnow()
    attempt = engine.start_attempt(world["member"], "exam", PaperRule([RuleSection("judge", 1)]), now=now,
                                    rng=Random(2))
    engine.finalise_attempt(attempt, now=now + timedelta(seconds=1))
    return {"attempt": attempt.id, "question": question.id}

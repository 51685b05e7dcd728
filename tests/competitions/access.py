"""Who may open the competition pages (collected by tests/test_access_matrix.py).

Members see announced competitions in their scope; organisers (admins, and the secretary who created
one) see and manage their own; results open to organisers at the end and to members once published.
"""
from datetime import timedelta

from quizapp.extensions import db
from quizapp.models import Competition, CompetitionEntry
from quizapp.models._types import utcnow
from tests.access import ADMIN_ONLY, GROUP_LEADERS, LEADERS, LOGGED_IN, Page, expect

EVERYONE_REFUSED = expect(member=403, secretary=403, other_secretary=403, admin=403)
MISSING = expect(member=404, secretary=404, other_secretary=404, admin=404)
ADMIN_POSTS = expect(member=403, secretary=403, other_secretary=403, admin=302)
RULE = {"sections": [{"type": "judge", "count": 1, "points": 1.0, "category_path": None, "difficulty": None}],
        "time_limit_s": None, "shuffle_options": True, "multiple_partial": True, "feedback": "after_end", "title": ""}

ACCESS = [
    Page("/competitions/", LOGGED_IN),
    Page("/competitions/points", LOGGED_IN),
    Page("/competitions/points?group_id={group}", GROUP_LEADERS),
    Page("/competitions/new", LEADERS),
    Page("/competitions/{open}", LOGGED_IN),
    Page("/competitions/{branch}", expect(other_secretary=403)),
    Page("/competitions/{draft}", expect(member=404, secretary=404, other_secretary=404)),
    Page("/competitions/{missing}", MISSING),
    Page("/competitions/{open}/edit", ADMIN_ONLY),
    Page("/competitions/{branch}/edit", GROUP_LEADERS),
    Page("/competitions/{open}/board", LOGGED_IN),
    Page("/competitions/{open}/board.json", LOGGED_IN),
    Page("/competitions/{open}/board.json?screen=1", ADMIN_ONLY),
    Page("/competitions/{open}/screen", ADMIN_ONLY),
    Page("/competitions/{branch}/screen", GROUP_LEADERS),
    Page("/competitions/{open}/results", EVERYONE_REFUSED),
    Page("/competitions/{ended}/results", ADMIN_ONLY),
    Page("/competitions/{published}/results", LOGGED_IN),
    Page("/competitions/{ended}/export.xlsx", ADMIN_ONLY),
    Page("/competitions/{open}/export.xlsx", EVERYONE_REFUSED),
    Page("/competitions/{published}/certificate/{member}", expect(secretary=403, other_secretary=403)),
    Page("/competitions/{published}/certificate/{other_member}", expect(member=403, secretary=403, other_secretary=403, admin=404)),
    Page("/competitions/{open}/enter", expect(member=302, secretary=302, other_secretary=302, admin=302), method="POST"),
    Page("/competitions/{branch}/enter", expect(member=302, secretary=302, other_secretary=403, admin=302),
         method="POST"),
    Page("/competitions/{open}/board-visibility/hide", ADMIN_POSTS, method="POST"),
    Page("/competitions/{branch}/board-visibility/hide",
         expect(member=403, secretary=302, other_secretary=403, admin=302), method="POST"),
    Page("/competitions/{draft}/announce", ADMIN_POSTS, method="POST"),
    Page("/competitions/{ended}/publish", ADMIN_POSTS, method="POST"),
]


def prepare(world) -> dict:
    now = utcnow()
    hour = timedelta(hours=1)

    def make(title, starts, ends, creator="admin", announced=True, published=False, groups=None):
        competition = Competition(title=title, starts_at=starts, ends_at=ends, rule=RULE,
                                  created_by_id=world[creator].id, announced_at=now - 3 * hour if announced else None,
                                  results_published_at=ends if published else None,
                                  frozen_at=ends if ends < now else None)  # as the freeze-competitions job leaves it
        if groups:
            competition.whole_organisation, competition.scope_groups = False, [world[name] for name in groups]
        db.session.add(competition)
        db.session.flush()
        return competition

    published = make("已公布", now - 3 * hour, now - hour, published=True)
    db.session.add(CompetitionEntry(competition_id=published.id, user_id=world["member"].id,
                                    group_id=world["group"].id, attempts_used=1, attempts_finished=1, best_score=1.0,
                                    max_score=1.0, time_used_s=30, submitted_at=now - 2 * hour))
    ids = {"open": make("进行中", now - hour, now + hour).id,
           "branch": make("本支部", now - hour, now + hour, creator="secretary", groups=["group"]).id,
           "draft": make("草稿", now + hour, now + 2 * hour, announced=False).id,
           "ended": make("已结束", now - 3 * hour, now - hour).id,
           "published": published.id}
    db.session.commit()
    return ids

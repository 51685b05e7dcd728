"""Who may open the progress pages (collected by tests/test_access_matrix.py)."""
from datetime import datetime, timezone

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.access import GROUP_LEADERS, LEADERS, LOGGED_IN, Page, expect

NOT_FOUND_FOR_LEADERS = expect(member=403, secretary=404, other_secretary=404, admin=404)
OTHER_GROUP_LEADERS = expect(member=403, secretary=403, other_secretary=200, admin=200)
REVERSED = "period=custom&start=2026-11-20&end=2026-11-01"

ACCESS = [
    Page("/progress/", LOGGED_IN),
    # A secretary leading one group goes straight to its dashboard.
    Page("/progress/groups", expect(member=403, secretary=302, other_secretary=302, admin=200)),
    Page("/progress/groups/{group}", GROUP_LEADERS),
    Page("/progress/groups/{other_group}", OTHER_GROUP_LEADERS),
    Page("/progress/groups/{missing}", NOT_FOUND_FOR_LEADERS),
    Page("/progress/groups/{group}?" + REVERSED, expect(member=403, secretary=302, other_secretary=403, admin=302)),
    Page("/progress/groups/{group}/export", GROUP_LEADERS),
    Page("/progress/groups/{other_group}/export?period=last_week", OTHER_GROUP_LEADERS),
    Page("/progress/groups/{missing}/export", NOT_FOUND_FOR_LEADERS),
    Page("/progress/groups/{group}/export?" + REVERSED,
         expect(member=403, secretary=302, other_secretary=403, admin=302)),
    Page("/progress/members/{member}", expect(other_secretary=403)),
    Page("/progress/members/{other_member}", expect(member=403, secretary=403)),
    Page("/progress/members/{secretary}", expect(member=403, other_secretary=403)),
    Page("/progress/members/{missing}", expect(member=404, secretary=404, other_secretary=404, admin=404)),
    Page("/progress/members/{other_member}?attempt={other_attempt}", expect(member=403, secretary=403)),
    # Someone else's attempt under this member's page is not found, for everyone who may see the page.
    Page("/progress/members/{member}?attempt={other_attempt}",
         expect(member=404, secretary=404, other_secretary=403, admin=404)),
    Page("/progress/members/{member}?attempt={missing}", expect(member=404, secretary=404, other_secretary=403,
                                                                admin=404)),
    Page("/progress/overview", LEADERS),
    Page("/progress/overview?group_id={other_group}", OTHER_GROUP_LEADERS),
    Page("/progress/overview?group_id={missing}", NOT_FOUND_FOR_LEADERS),
]


def prepare(world) -> dict:
    moment = datetime(2026, 11, 18, 4, 0, tzinfo=timezone.utc)
    attempt = Attempt(user_id=world["other_member"].id, mode="daily", rule={}, seed=1, status="finished",
                      started_at=moment, finished_at=moment)
    db.session.add(attempt)
    db.session.commit()
    return {"other_attempt": attempt.id}

"""Who may open the audit log and the competition points pages (collected by tests/test_access_matrix.py)."""
from datetime import date

from quizapp.extensions import db
from quizapp.models import PointsEntry
from tests.access import ADMIN_ONLY, Page, expect

ADMIN_POSTS = expect(member=403, secretary=403, other_secretary=403, admin=302)

ACCESS = [
    Page("/admin/audit", ADMIN_ONLY),
    Page("/admin/audit?action=user.role&actor=x&start=2026-01-01&end=2026-12-31&page=2", ADMIN_ONLY),
    Page("/admin/audit/export.xlsx", ADMIN_ONLY),
    Page("/admin/competition-points", ADMIN_ONLY),
    Page("/admin/competition-points?competition={missing}", ADMIN_ONLY),
    Page("/admin/competition-points/{award}/revoke", ADMIN_POSTS, method="POST"),
    Page("/admin/competition-points/{missing}/revoke", ADMIN_POSTS, method="POST"),
]


def prepare(world) -> dict:
    award = PointsEntry(user_id=world["member"].id, day=date(2026, 12, 1), amount=10, reason="competition_place")
    db.session.add(award)
    db.session.commit()
    return {"award": award.id}

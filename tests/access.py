"""Shapes for the access matrix (tests/test_access_matrix.py): pages, viewers and expected statuses.

An area adds its pages in tests/<area>/access.py:

    from tests.access import ADMIN_ONLY, LOGGED_IN, Page, expect

    ACCESS = [
        Page("/quiz/daily", LOGGED_IN),
        Page("/competitions/{competition}/edit", ADMIN_ONLY),
        Page("/progress/groups/{group}", expect(member=403, other_secretary=403)),
        Page("/quiz/{attempt}/submit", expect(member=302, ...), method="POST", data={...}),
    ]

    def prepare(world) -> dict:  # optional: more placeholders for the paths above
        return {"competition": make_competition(...).id}

Placeholders every table may use: {group} (a 党支部 led by `secretary`, where `member` belongs),
{other_group} (led by `other_secretary`), {member}, {other_member}, {secretary}, {missing} (an id that
does not exist). `world` (given to prepare) holds those objects by the same names, plus `admin`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

VIEWERS = ("anonymous", "member", "secretary", "other_secretary", "admin")


def expect(anonymous: int = 302, member: int = 200, secretary: int = 200, other_secretary: int = 200,
           admin: int = 200) -> dict[str, int]:
    """Expected status per viewer; 302 for anonymous means a redirect to the login page."""
    return {"anonymous": anonymous, "member": member, "secretary": secretary,
            "other_secretary": other_secretary, "admin": admin}


PUBLIC = expect(anonymous=200)
LOGGED_IN = expect()
LEADERS = expect(member=403)  # any secretary, and admins
GROUP_LEADERS = expect(member=403, other_secretary=403)  # the secretary of {group}, and admins
ADMIN_ONLY = expect(member=403, secretary=403, other_secretary=403)


@dataclass(frozen=True)
class Page:
    path: str
    expected: dict[str, int]
    method: str = "GET"
    data: dict = field(default_factory=dict)

"""Who may open which page: every page × (anonymous, member, secretary of this group, secretary of
another group, admin) → expected status (302 to login / 403 / 404 / 200).

The foundation's table is below; every other area keeps its own table in tests/<area>/access.py
(see tests/access.py for the shape), found here automatically.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from quizapp.extensions import db
from tests.access import ADMIN_ONLY, GROUP_LEADERS, LEADERS, LOGGED_IN, PUBLIC, VIEWERS, Page, expect
from tests.statements import recorded_statements, writes

NOT_FOUND_FOR_LEADERS = expect(member=403, secretary=404, other_secretary=404, admin=404)

FOUNDATION = [
    Page("/healthz", PUBLIC),
    Page("/login", expect(anonymous=200, member=302, secretary=302, other_secretary=302, admin=302)),
    Page("/logout", expect(member=302, secretary=302, other_secretary=302, admin=302), method="POST"),
    Page("/", LOGGED_IN),
    Page("/password", LOGGED_IN),
    Page("/groups/join", LOGGED_IN),
    Page("/groups/mine", LEADERS),
    Page("/groups/{group}", GROUP_LEADERS),
    Page("/groups/{missing}", NOT_FOUND_FOR_LEADERS),
    Page("/admin/groups", ADMIN_ONLY),
    Page("/admin/groups/new", ADMIN_ONLY),
    Page("/admin/groups/{group}", ADMIN_ONLY),
    Page("/admin/groups/{missing}", expect(member=403, secretary=403, other_secretary=403, admin=404)),
    Page("/admin/groups/{group}/invite", expect(member=403, secretary=403, other_secretary=403, admin=302),
         method="POST"),
    Page("/admin/groups/{group}/secretaries", expect(member=403, secretary=403, other_secretary=403, admin=302),
         method="POST", data={"secretaries": "{member}", "submit": "保存书记"}),
    Page("/admin/users", ADMIN_ONLY),
    Page("/admin/users/new", ADMIN_ONLY),
    Page("/admin/users/{member}", ADMIN_ONLY),
    Page("/admin/users/{missing}", expect(member=403, secretary=403, other_secretary=403, admin=404)),
    Page("/admin/users/{other_member}/reset-password", ADMIN_ONLY, method="POST"),
    Page("/admin/users/{other_member}/deactivate", expect(member=403, secretary=403, other_secretary=403, admin=302),
         method="POST"),
    Page("/admin/roster", ADMIN_ONLY),
    Page("/admin/roster/template", ADMIN_ONLY),
    Page("/admin/roster/download", expect(member=403, secretary=403, other_secretary=403, admin=302),
         method="POST", data={"token": "unknown"}),
]


def _area_modules() -> dict[str, object]:
    here = Path(__file__).parent
    return {path.parent.name: importlib.import_module(f"tests.{path.parent.name}.access")
            for path in sorted(here.glob("*/access.py"))}


AREAS = _area_modules()
TABLES = {"foundation": FOUNDATION, **{name: module.ACCESS for name, module in AREAS.items()}}
CASES = [pytest.param(area, page, viewer, id=f"{area}:{page.method} {page.path}:{viewer}")
         for area, table in TABLES.items() for page in table for viewer in VIEWERS]


def test_every_table_names_every_viewer():
    for area, table in TABLES.items():
        for page in table:
            assert set(page.expected) == set(VIEWERS), f"{area}: {page.path}"


@pytest.fixture
def world(app, make_group, make_user) -> dict:
    group, other_group = make_group(name="本支部"), make_group(name="他支部")
    secretary = make_user(role="secretary", group=group)
    other_secretary = make_user(role="secretary", group=other_group)
    group.secretaries.append(secretary)
    other_group.secretaries.append(other_secretary)
    db.session.commit()
    return {"group": group, "other_group": other_group, "secretary": secretary, "other_secretary": other_secretary,
            "member": make_user(group=group), "other_member": make_user(group=other_group),
            "admin": make_user(role="admin")}


def _placeholders(area: str, world: dict) -> dict[str, object]:
    values = {name: thing.id for name, thing in world.items()}
    values["missing"] = 987654
    prepare = getattr(AREAS.get(area), "prepare", None)
    if prepare is not None:
        values.update(prepare(world))
    return values


@pytest.mark.parametrize("area, page, viewer", CASES)
def test_access(client, login, world, area, page, viewer):
    values = _placeholders(area, world)
    if viewer != "anonymous":
        login(world[viewer])
    data = {key: str(value).format(**values) for key, value in page.data.items()}
    with recorded_statements() as statements:
        response = client.open(page.path.format(**values), method=page.method, data=data)
    assert response.status_code == page.expected[viewer]
    if page.method == "GET":
        # The one write a GET may make is its audit row: downloading members' records is itself recorded.
        assert [statement for statement in writes(statements) if "audit_entry" not in statement] == [], \
            "GET never writes"
    if viewer == "anonymous" and response.status_code == 302:
        assert response.location.startswith("/login")

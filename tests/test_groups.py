"""Groups: joining by invite code, the secretary's 我的支部 pages, and the group services."""
import pytest

from quizapp.extensions import db
from quizapp.models import StudyGroup, User
from quizapp.services import GroupError
from quizapp.services.people import groups as group_service


def body(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def tree(app, make_group):
    """党委 → (总支 → 一支部), 二支部."""
    committee = make_group(name="机关党委", kind="committee", invite_code="COMMITTE")
    general = make_group(name="总支", kind="general_branch", parent=committee)
    return {"committee": committee, "general": general,
            "first": make_group(name="一支部", parent=general, invite_code="FIRST001"),
            "second": make_group(name="二支部", parent=committee, invite_code="SECOND01")}


# ---- joining by invite code -----------------------------------------------------------------------

@pytest.mark.parametrize("code", ["FIRST001", " first001 "])
def test_member_joins_a_branch_by_invite_code(client, login, make_user, tree, code):
    member = make_user()
    login(member)
    response = client.post("/groups/join", data={"code": code}, follow_redirects=True)
    assert "已加入「一支部」" in body(response)
    db.session.expire_all()
    assert db.session.get(User, member.id).group_id == tree["first"].id


@pytest.mark.parametrize("code, message", [
    ("NOSUCH00", "邀请码无效，请向支部书记确认。"),
    ("COMMITTE", "只能通过邀请码加入党支部。"),
    ("", "请输入邀请码"),
])
def test_join_refusals(client, login, make_user, tree, code, message):
    member = make_user()
    login(member)
    response = client.post("/groups/join", data={"code": code})
    assert message in body(response)
    db.session.expire_all()
    assert db.session.get(User, member.id).group_id is None


def test_regenerated_code_replaces_the_old_one(app, make_user, tree):
    member = make_user()
    new_code = group_service.regenerate_invite(tree["first"])
    with pytest.raises(GroupError):
        group_service.join_by_invite(member, "FIRST001")
    assert group_service.join_by_invite(member, new_code.lower()) == tree["first"]


def test_home_page_invites_a_member_without_a_branch(client, login, make_user):
    login(make_user())
    assert "输入邀请码加入" in body(client.get("/"))


# ---- the secretary's pages ------------------------------------------------------------------------

@pytest.fixture
def general_secretary(make_user, tree):
    secretary = make_user(role="secretary", name="总支书记", group=tree["first"])
    tree["general"].secretaries.append(secretary)
    db.session.commit()
    return secretary


def test_mine_lists_the_groups_a_secretary_leads(client, login, general_secretary, tree):
    login(general_secretary)
    page = body(client.get("/groups/mine"))
    assert "总支" in page and f"/groups/{tree['general'].id}" in page
    assert "二支部" not in page and "机关党委" not in page


def test_group_page_shows_subgroups_and_members(client, login, make_user, general_secretary, tree):
    make_user(name="在册党员", group=tree["first"])
    make_user(name="停用党员", group=tree["first"], active=False)
    login(general_secretary)
    general = body(client.get(f"/groups/{tree['general'].id}"))
    assert "一支部" in general and f"/groups/{tree['first'].id}" in general
    first = body(client.get(f"/groups/{tree['first'].id}"))
    assert "在册党员" in first and "停用党员" in first and "已停用" in first
    assert "党员（2 人）" in first  # the secretary and the active member; the deactivated one is not counted
    assert "FIRST001" in first


@pytest.mark.parametrize("group, status", [("general", 200), ("first", 200), ("second", 403), ("committee", 403)])
def test_secretary_sees_only_groups_led_and_below(client, login, general_secretary, tree, group, status):
    login(general_secretary)
    assert client.get(f"/groups/{tree[group].id}").status_code == status


def test_mine_for_an_admin_starts_at_the_roots(client, login, make_user, tree):
    login(make_user(role="admin"))
    page = body(client.get("/groups/mine"))
    assert "机关党委" in page and "总支" not in page


# ---- services -------------------------------------------------------------------------------------

def test_tree_orders_parents_before_children(tree):
    assert [(group.name, depth) for group, depth in group_service.tree()] == [
        ("机关党委", 0), ("二支部", 1), ("总支", 1), ("一支部", 2)]


def test_member_counts_count_active_members_only(make_user, tree):
    make_user(group=tree["first"])
    make_user(group=tree["first"], active=False)
    make_user(group=tree["second"])
    assert group_service.member_counts() == {tree["first"].id: 1, tree["second"].id: 1}


def test_secretary_candidates(make_user, tree):
    below = make_user(username="below", group=tree["first"])
    make_user(username="gone", group=tree["first"], active=False)
    make_user(username="boss", group=tree["first"], role="admin")
    make_user(username="elsewhere", group=tree["second"])
    leader = make_user(username="leader", group=tree["second"], role="secretary")
    tree["general"].secretaries.append(leader)
    db.session.commit()
    assert [user.username for user in group_service.secretary_candidates(tree["general"])] == ["below", "leader"]
    assert below in group_service.secretary_candidates(tree["committee"])


@pytest.mark.parametrize("parent", ["general", "first"])
def test_save_group_refuses_a_cycle(tree, parent):
    committee = tree["committee"]
    with pytest.raises(GroupError, match="上级组织不能是本组织或其下级组织"):
        group_service.save_group("机关党委", "committee", tree[parent], committee)


def test_save_group_refuses_unknown_kind(tree):
    with pytest.raises(GroupError, match="未知的组织类型"):
        group_service.save_group("新组织", "club", None)
    assert db.session.query(StudyGroup).count() == 4


@pytest.mark.parametrize("role, expected", [("admin", ["机关党委"]), ("secretary", ["二支部"]), ("member", [])])
def test_top_groups(make_user, tree, role, expected):
    user = make_user(role=role)
    if role == "secretary":
        tree["second"].secretaries.append(user)
        db.session.commit()
    assert [group.name for group in group_service.top_groups(user)] == expected

"""Admin pages: groups (tree, create, edit, secretaries, invite codes) and users (list, create, edit,
reset password, deactivate)."""
import re

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import StudyGroup, User
from tests.conftest import PASSWORD


@pytest.fixture
def admin(make_user, login):
    user = make_user(role="admin", name="管理员甲")
    login(user)
    return user


def body(response) -> str:
    return response.get_data(as_text=True)


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


# ---- groups ---------------------------------------------------------------------------------------

def test_tree_lists_parents_before_children_with_member_counts(client, admin, make_group, make_user):
    committee = make_group(name="机关党委", kind="committee")
    branch = make_group(name="一支部", parent=committee)
    make_group(name="二支部", parent=committee)
    make_user(group=branch)
    make_user(group=branch, active=False)
    page = body(client.get("/admin/groups"))
    assert page.index("机关党委") < page.index("一支部") < page.index("二支部")
    assert re.search(r"一支部.*?1 人", page, re.S)


def test_create_group_under_a_parent(client, admin, make_group):
    committee = make_group(name="机关党委", kind="committee")
    response = client.post("/admin/groups/new", data={"name": " 新支部 ", "kind": "branch",
                                                       "parent_id": committee.id})
    group = db.session.scalar(select(StudyGroup).where(StudyGroup.name == "新支部"))
    assert response.status_code == 302 and response.location == f"/admin/groups/{group.id}"
    assert group.parent_id == committee.id and group.kind == "branch" and len(group.invite_code) == 8


@pytest.mark.parametrize("data, message", [
    ({"name": "", "kind": "branch", "parent_id": 0}, "请填写组织名称"),
    ({"name": "甲", "kind": "club", "parent_id": 0}, "不是有效的选择"),
    ({"name": "甲", "kind": "branch", "parent_id": 999}, "不是有效的选择"),
    ({"name": "已有支部", "kind": "branch", "parent_id": 0}, "组织名称「已有支部」已存在"),
])
def test_create_group_refusals(client, admin, make_group, data, message):
    make_group(name="已有支部")
    response = client.post("/admin/groups/new", data=data)
    assert response.status_code == 200 and message in body(response)
    assert db.session.scalar(select(func.count()).select_from(StudyGroup)) == 1


def test_edit_group_renames_and_moves_it(client, admin, make_group):
    old_parent, new_parent = make_group(name="甲党委", kind="committee"), make_group(name="乙党委", kind="committee")
    branch = make_group(name="支部", parent=old_parent)
    response = client.post(f"/admin/groups/{branch.id}", data={"name": "第三支部", "kind": "branch",
                                                               "parent_id": new_parent.id})
    assert response.status_code == 302
    branch = fresh(StudyGroup, branch.id)
    assert (branch.name, branch.parent_id) == ("第三支部", new_parent.id)


@pytest.mark.parametrize("new_parent", ["self", "child", "grandchild"])
def test_edit_group_refuses_a_cycle(client, admin, make_group, new_parent):
    top = make_group(name="党委", kind="committee")
    child = make_group(name="总支", kind="general_branch", parent=top)
    grandchild = make_group(name="支部", parent=child)
    target = {"self": top, "child": child, "grandchild": grandchild}[new_parent]
    response = client.post(f"/admin/groups/{top.id}", data={"name": "党委", "kind": "committee",
                                                            "parent_id": target.id})
    assert "上级组织不能是本组织或其下级组织" in body(response)
    assert fresh(StudyGroup, top.id).parent_id is None


def test_edit_page_disables_the_group_and_its_descendants_as_parents(client, admin, make_group):
    top = make_group(name="党委", kind="committee")
    child = make_group(name="支部", parent=top)
    other = make_group(name="别的党委", kind="committee")
    page = body(client.get(f"/admin/groups/{top.id}"))
    assert re.search(rf'<option disabled value="{child.id}"', page)
    assert re.search(rf'<option disabled value="{top.id}"', page)
    assert re.search(rf'<option value="{other.id}"', page)


def test_assign_and_remove_secretaries(client, admin, make_group, make_user):
    branch = make_group()
    chosen, other = make_user(group=branch), make_user(group=branch)
    client.post(f"/admin/groups/{branch.id}/secretaries", data={"secretaries": [chosen.id], "submit": "保存书记"})
    branch = fresh(StudyGroup, branch.id)
    assert [user.id for user in branch.secretaries] == [chosen.id]
    assert fresh(User, chosen.id).role == "secretary" and fresh(User, other.id).role == "member"
    client.post(f"/admin/groups/{branch.id}/secretaries", data={"submit": "保存书记"})
    assert fresh(StudyGroup, branch.id).secretaries == []


def test_secretary_must_belong_to_the_group_or_below(client, admin, make_group, make_user):
    branch, elsewhere = make_group(), make_group()
    outsider = make_user(group=elsewhere)
    response = client.post(f"/admin/groups/{branch.id}/secretaries",
                           data={"secretaries": [outsider.id], "submit": "保存书记"}, follow_redirects=True)
    assert "所选人员不属于本组织" in body(response)
    assert fresh(StudyGroup, branch.id).secretaries == []


def test_committee_secretary_may_come_from_a_branch_below(client, admin, make_group, make_user):
    committee = make_group(kind="committee")
    member = make_user(group=make_group(parent=committee))
    client.post(f"/admin/groups/{committee.id}/secretaries", data={"secretaries": [member.id], "submit": "保存书记"})
    assert [user.id for user in fresh(StudyGroup, committee.id).secretaries] == [member.id]


def test_regenerate_invite_code(client, admin, make_group):
    branch = make_group(invite_code="OLDCODE1")
    response = client.post(f"/admin/groups/{branch.id}/invite", follow_redirects=True)
    code = fresh(StudyGroup, branch.id).invite_code
    assert code != "OLDCODE1" and f"新的邀请码是 {code}" in body(response)


# ---- users ----------------------------------------------------------------------------------------

@pytest.fixture
def people(make_group, make_user):
    committee = make_group(name="机关党委", kind="committee")
    first, second = make_group(name="一支部", parent=committee), make_group(name="二支部", parent=committee)
    return {
        "zhang": make_user(username="zhangwei", name="张伟", group=first),
        "li": make_user(username="lina", name="李娜", group=second, role="secretary"),
        "wang": make_user(username="WangFang", name="王芳", group=second, active=False),
        "groups": {"committee": committee, "first": first, "second": second},
    }


def listed(response) -> set[str]:
    pattern = r'href="/admin/users/\d+">.*?<span class="fw-semibold text-break">(\S+)'
    return set(re.findall(pattern, body(response), re.S))


@pytest.mark.parametrize("query, expected", [
    ("", {"张伟", "李娜", "王芳", "管理员甲"}),
    ("q=张", {"张伟"}),
    ("q=wang", {"王芳"}),  # usernames match case-insensitively
    ("q=%25", set()),  # a literal %, not a wildcard
    ("group_id={committee}", {"张伟", "李娜", "王芳"}),  # a group includes the groups below it
    ("group_id={second}", {"李娜", "王芳"}),
    ("role=secretary", {"李娜"}),
    ("status=inactive", {"王芳"}),
    ("status=active&group_id={second}", {"李娜"}),
    ("group_id=abc&role=nonsense", {"张伟", "李娜", "王芳", "管理员甲"}),  # malformed filters are dropped
])
def test_user_search_and_filters(client, admin, people, query, expected):
    ids = {name: group.id for name, group in people["groups"].items()}
    response = client.get("/admin/users?" + query.format(**ids))
    assert response.status_code == 200
    assert listed(response) == expected


def test_user_list_is_paginated(client, admin, make_user):
    for number in range(24):
        make_user(username=f"p{number:02d}", name=f"分页{number:02d}")
    first, second = client.get("/admin/users?q=分页"), client.get("/admin/users?q=分页&page=2")
    assert len(listed(first)) == 20 and len(listed(second)) == 4
    assert "第 1 / 2 页" in body(first) and "q=%E5%88%86%E9%A1%B5&amp;page=2" in body(first)


def test_create_user_shows_the_initial_password_once(client, admin, make_group):
    branch = make_group()
    response = client.post("/admin/users/new", data={"name": "赵六", "username": "zhaoliu", "role": "member",
                                                     "group_id": branch.id})
    password = re.search(r'id="issued-password">(\w+)<', body(response)).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    user = db.session.scalar(select(User).where(User.username == "zhaoliu"))
    assert user.check_password(password) and user.must_change_password and user.group_id == branch.id
    assert password not in body(client.get(f"/admin/users/{user.id}"))


def test_created_secretary_leads_the_group(client, admin, make_group):
    branch = make_group()
    client.post("/admin/users/new", data={"name": "书记", "username": "shuji", "role": "secretary",
                                          "group_id": branch.id})
    assert [user.username for user in fresh(StudyGroup, branch.id).secretaries] == ["shuji"]


@pytest.mark.parametrize("data, message", [
    ({"name": "甲", "username": "taken", "role": "member", "group_id": 0}, "用户名「taken」已被使用"),
    ({"name": "甲", "username": "TAKEN", "role": "member", "group_id": 0}, "已被使用"),
    ({"name": "甲", "username": "zhang san", "role": "member", "group_id": 0}, "用户名不能包含空格"),
    ({"name": "", "username": "x1", "role": "member", "group_id": 0}, "请填写姓名"),
    ({"name": "甲", "username": "", "role": "member", "group_id": 0}, "请填写用户名"),
    ({"name": "甲", "username": "x2", "role": "root", "group_id": 0}, "不是有效的选择"),
])
def test_create_user_refusals(client, admin, make_user, data, message):
    make_user(username="taken")
    response = client.post("/admin/users/new", data=data)
    assert message in body(response)
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_edit_user(client, admin, make_group, make_user):
    branch = make_group()
    user = make_user()
    response = client.post(f"/admin/users/{user.id}", data={"name": "新名字", "role": "member", "group_id": branch.id})
    assert response.status_code == 302
    user = fresh(User, user.id)
    assert (user.name, user.group_id) == ("新名字", branch.id)


def test_demoting_a_secretary_ends_leadership(client, admin, make_group, make_user):
    branch = make_group()
    secretary = make_user(role="secretary", group=branch)
    branch.secretaries.append(secretary)
    db.session.commit()
    client.post(f"/admin/users/{secretary.id}", data={"name": secretary.name, "role": "member", "group_id": branch.id})
    assert fresh(StudyGroup, branch.id).secretaries == []


def test_admin_cannot_change_own_role(client, admin):
    response = client.post(f"/admin/users/{admin.id}", data={"name": "管理员甲", "role": "member", "group_id": 0})
    assert "不能修改自己的角色" in body(response)
    assert fresh(User, admin.id).role == "admin"


def test_reset_password(client, admin, make_user):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/reset-password")
    password = re.search(r'id="issued-password">(\w+)<', body(response)).group(1)
    user = fresh(User, user.id)
    assert user.check_password(password) and not user.check_password(PASSWORD) and user.must_change_password


def test_deactivate_and_reactivate(app, client, admin, make_user):
    user = make_user()
    other = app.test_client()

    def as_other(method: str, url: str, **kwargs):
        db.session.commit()  # end the test's own transaction: SQLite writers take the lock at BEGIN
        with app.app_context():  # a context of its own, so that no logged-in user is shared through `g`
            return getattr(other, method)(url, **kwargs)

    credentials = {"username": user.username, "password": PASSWORD}
    assert as_other("post", "/login", data=credentials).status_code == 302
    assert as_other("get", "/").status_code == 200
    client.post(f"/admin/users/{user.id}/deactivate")
    assert fresh(User, user.id).active is False
    assert as_other("get", "/").status_code == 302  # the open session ends too
    assert "用户名或密码错误" in body(as_other("post", "/login", data=credentials))
    client.post(f"/admin/users/{user.id}/reactivate")
    assert as_other("post", "/login", data=credentials).status_code == 302


def test_admin_cannot_deactivate_self(client, admin):
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "不能停用自己的账号" in body(response) and fresh(User, admin.id).active


@pytest.mark.parametrize("url", ["/admin/users/999", "/admin/groups/999"])
def test_unknown_ids_are_404(client, admin, url):
    assert client.get(url).status_code == 404


# ---- CSRF -----------------------------------------------------------------------------------------

class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @pytest.fixture
    def world(self, client, make_user, make_group):
        admin = make_user(role="admin")
        branch = make_group(invite_code="KEEPCODE")
        member = make_user(group=branch)
        token = self.token(client, "/login")
        client.post("/login", data={"username": admin.username, "password": PASSWORD, "csrf_token": token})
        return {"admin": admin, "branch": branch, "member": member}

    @staticmethod
    def token(client, url: str) -> str:
        return re.search(r'name="csrf-token" content="([^"]+)"', body(client.get(url))).group(1)

    POSTS = [
        ("/admin/groups/new", {"name": "新支部", "kind": "branch", "parent_id": 0}),
        ("/admin/groups/{branch}/invite", {}),
        ("/admin/users/new", {"name": "新人", "username": "newbie", "role": "member", "group_id": 0}),
        ("/admin/users/{member}/reset-password", {}),
        ("/admin/users/{member}/deactivate", {}),
    ]

    @staticmethod
    def state(world) -> tuple:
        member, branch = fresh(User, world["member"].id), fresh(StudyGroup, world["branch"].id)
        return (db.session.scalar(select(func.count()).select_from(StudyGroup)),
                db.session.scalar(select(func.count()).select_from(User)),
                branch.invite_code, member.password_hash, member.active)

    @pytest.mark.parametrize("url, data", POSTS)
    def test_admin_post_without_token_is_refused(self, client, world, url, data):
        before = self.state(world)
        response = client.post(url.format(branch=world["branch"].id, member=world["member"].id), data=data)
        assert response.status_code == 400 and "安全令牌" in body(response)
        assert self.state(world) == before

    @pytest.mark.parametrize("url, data", POSTS)
    def test_admin_post_with_token_is_accepted(self, client, world, url, data):
        before = self.state(world)
        data = {**data, "csrf_token": self.token(client, "/admin/groups")}
        response = client.post(url.format(branch=world["branch"].id, member=world["member"].id), data=data)
        assert response.status_code in (200, 302)
        assert self.state(world) != before

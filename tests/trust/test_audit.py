"""The audit log (issue 17, item 9): each recorded action class leaves one row naming who, what and
whom; the log is append-only, filterable and exportable by admins, and also written as a log line."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question
from quizapp.models._types import utcnow
from quizapp.models.audit import AuditEntry
from quizapp.services import audit
from quizapp.services.clock import local_day
from tests.test_roster import GOOD, branches, csv_bytes  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
COMPETITION_FORM = {"title": "审计竞赛", "scope": "all", "paper_kind": "fixed", "starts_at": "2099-01-10T09:00",
                    "ends_at": "2099-01-10T11:00", "attempts_allowed": "1", "participation_points": "0",
                    "feedback": "after_end", "branch_index": "avg_x_rate",
                    **{f"{what}_{kind}": value for kind in ("single", "multiple", "judge", "fill")
                       for what, value in (("count", "0"), ("points", "1"))}}


def recorded(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def admin(client, login, make_user):
    user = make_user(role="admin", name="审计管理员")
    login(user)
    return user


def test_account_actions_are_recorded(client, admin, make_user, make_group):
    group = make_group()
    member = make_user(group=group)
    client.post(f"/admin/users/{member.id}", data={"name": member.name, "role": "secretary", "group_id": group.id})
    client.post(f"/admin/users/{member.id}/reset-password")
    client.post(f"/admin/users/{member.id}/deactivate")
    client.post(f"/admin/users/{member.id}/reactivate")
    client.post("/admin/users/new", data={"name": "新人", "username": "xinren", "role": "member", "group_id": 0})
    client.post(f"/admin/groups/{group.id}/secretaries", data={"secretaries": [member.id], "submit": "保存书记"})
    (role,) = recorded("user.role")
    assert (role.actor_id, role.target, role.details["from"], role.details["to"]) == (
        admin.id, f"user:{member.id}", "member", "secretary")
    for action in ("user.password_reset", "user.deactivate", "user.reactivate"):
        assert [entry.target for entry in recorded(action)] == [f"user:{member.id}"], action
    assert recorded("user.create")[0].details["username"] == "xinren"
    assert recorded("group.secretaries")[0].details["secretary_ids"] == [member.id]
    assert recorded("user.group") == []  # the group did not change


def test_joining_a_branch_by_invite_code_is_recorded(client, login, make_user, make_group):
    first, second = make_group(name="一支部", invite_code="FIRST001"), make_group(name="二支部", invite_code="SECOND01")
    member = make_user(group=first)
    login(member)
    client.post("/groups/join", data={"code": "SECOND01"})
    client.post("/groups/join", data={"code": "SECOND01"})  # already there: nothing changed
    (moved,) = recorded("user.group")
    assert (moved.actor_id, moved.target, moved.details["from"], moved.details["to"]) == (
        member.id, f"user:{member.id}", first.id, second.id)


def test_a_refused_change_records_nothing(client, admin):
    client.post(f"/admin/users/{admin.id}/deactivate")  # an admin cannot deactivate himself
    assert recorded("user.deactivate") == []


def test_roster_import_and_password_download_are_recorded(client, admin, branches):  # noqa: F811
    client.post("/admin/roster", data={"file": (io.BytesIO(csv_bytes(GOOD)), "名单.csv")},
                content_type="multipart/form-data")
    from quizapp.models.downloads import OneTimeDownload
    token = db.session.scalar(select(OneTimeDownload.token))
    client.post("/admin/roster/download", data={"token": token})
    assert recorded("roster.import")[0].details == {"file": "名单.csv", "people": 3}
    assert recorded("export.roster_passwords")[0].actor_id == admin.id


def test_question_actions_are_recorded(client, admin, make_question):
    question = make_question()
    client.post("/admin/questions/bulk", data={"action": "retire", "ids": [question.id]})
    (retired,) = recorded("question.status")
    assert retired.details["status"] == "retired" and retired.details["ids"] == [question.id]
    text = "1. 党的根本宗旨是（ ）\nA. 全心全意为人民服务\nB. 发展经济\n答案：A\n"
    response = client.post("/admin/questions/import", data={"file": (io.BytesIO(text.encode()), "q.txt")},
                           content_type="multipart/form-data")
    token = response.location.rsplit("/", 1)[-1]
    client.post(f"/admin/questions/import/{token}/confirm", data={"status": "published", "on_duplicate": "skip"})
    assert len(recorded("question.import")) == 1


def test_question_edit_is_recorded(client, admin, make_question):
    question = make_question()
    page = client.get(f"/admin/questions/{question.id}/edit")
    assert page.status_code == 200
    data = {"type": "single", "stem": "改过的题干：党的根本宗旨是什么？", "option_a": "全心全意为人民服务",
            "option_b": "发展经济", "answer": "A", "difficulty": "2", "key": question.key, "source": "0"}
    client.post(f"/admin/questions/{question.id}/edit", data=data)
    assert db.session.get(Question, question.id).stem.startswith("改过的题干")
    assert recorded("question.edit")[0].target == f"question:{question.id}"


def test_new_questions_and_approved_candidates_are_recorded(client, admin):
    data = {"type": "single", "stem": "新题：党的根本宗旨是什么？", "option_a": "全心全意为人民服务",
            "option_b": "发展经济", "answer": "A", "difficulty": "2", "source": "0"}
    client.post("/admin/questions/new", data=data)
    created = db.session.scalar(select(Question).where(Question.stem == data["stem"]))
    assert [entry.target for entry in recorded("question.create")] == [f"question:{created.id}"]
    from quizapp.services.bank import generation, sources
    from tests.sources.test_generation import TEXT
    source = sources.create_source("社会主义核心价值观", TEXT, section="每周一学")
    generation.generate_for_source(source)
    ids = [candidate.id for candidate in generation.candidates_of(source)][:2]
    client.post(f"/sources/{source.id}/candidates/decide", data={"action": "approve", "candidate": ids})
    (approved,) = recorded("question.approve")
    assert approved.target == f"source:{source.id}" and len(approved.details["question_ids"]) == 2


def test_competition_actions_and_exports_are_recorded(client, admin, make_question, make_group):
    make_question()
    client.post("/competitions/new", data={**COMPETITION_FORM, "question_refs": "1"})
    (created,) = recorded("competition.create")
    competition_id = int(created.target.split(":")[1])
    client.post(f"/competitions/{competition_id}/board-visibility/hide")
    assert recorded("competition.board")[0].details["hidden"] is True
    group = make_group()
    client.get(f"/progress/groups/{group.id}/export")
    assert recorded("export.group")[0].target == f"group:{group.id}"


def test_publish_and_competition_export_are_recorded(app, client, admin, make_question):
    from quizapp.models import Competition
    now = utcnow()
    competition = Competition(title="已结束", starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1),
                              rule={"sections": []}, created_by_id=admin.id, announced_at=now - timedelta(days=1))
    db.session.add(competition)
    db.session.commit()
    client.post(f"/competitions/{competition.id}/publish")
    assert recorded("competition.publish")[0].details["participants"] == 0
    client.get(f"/competitions/{competition.id}/export.xlsx")
    assert recorded("export.competition")[0].target == f"competition:{competition.id}"


def test_the_log_is_append_only(app, admin):
    entry = audit.record(admin.id, "user.role", "user:1", {}, utcnow())
    db.session.commit()
    entry.action = "user.create"
    with pytest.raises(ValueError, match="只能追加"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(ValueError, match="只能追加"):
        db.session.commit()


def test_each_entry_is_also_a_structured_log_line(app, admin, capsys):
    """On the process's stderr (gunicorn's, a command's) as one JSON object, with no logging set up by the
    deployment: the logger at its default level used to drop these INFO records."""
    now = utcnow()
    audit.record(admin.id, "user.password_reset", "user:7", {"username": "甲"}, now)
    (line,) = [json.loads(text) for text in capsys.readouterr().err.splitlines() if '"action"' in text]
    assert line == {"action": "user.password_reset", "actor_id": admin.id, "target": "user:7",
                    "details": {"username": "甲"}, "at": now.isoformat()}


def test_log_lines_reach_stderr_in_a_process_without_logging_set_up(tmp_path):
    script = ("from quizapp import create_app\nfrom quizapp.services import audit\nfrom quizapp.models._types import utcnow\n"
              "app = create_app()\nwith app.app_context():\n"
              "    audit.record(None, 'user.role', 'user:1', {'to': 'admin'}, utcnow())\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QUIZAPP_", "FLASK_"))}
    env.update(QUIZAPP_INSTANCE_PATH=str(tmp_path), QUIZAPP_SECRET_KEY="k" * 32)
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stderr.strip().splitlines()[-1])["details"] == {"to": "admin"}


def test_admins_filter_page_and_export_the_log(client, admin, make_user):
    other = make_user(role="admin", username="other_admin")
    now = utcnow()
    for number in range(55):
        audit.record(admin.id, "user.role", f"user:{number}", {"n": number}, now - timedelta(minutes=number))
    audit.record(other.id, "points.revoke", "points_entry:1", {}, now - timedelta(days=40))
    db.session.commit()
    first = client.get("/admin/audit").get_data(as_text=True)
    assert "共 56 条记录" in first and "第 1 / 2 页" in first and first.count('class="list-group-item audit-entry"') == 50
    by_action = client.get("/admin/audit?action=points.revoke").get_data(as_text=True)
    assert "共 1 条记录" in by_action and "撤销竞赛积分" in by_action
    by_actor = client.get("/admin/audit?actor=other_admin").get_data(as_text=True)
    assert "共 1 条记录" in by_actor
    day = local_day(now - timedelta(days=40))  # the filter speaks of local days
    by_dates = client.get(f"/admin/audit?start={day}&end={day}").get_data(as_text=True)
    assert "共 1 条记录" in by_dates
    bad = client.get("/admin/audit?start=0001-01-01").get_data(as_text=True)
    assert "超出可选范围" in bad and "共 56 条记录" in bad
    workbook = load_workbook(io.BytesIO(client.get("/admin/audit/export.xlsx?action=user.role").data))
    rows = list(workbook.active.values)
    assert rows[0] == ("时间", "操作人", "操作", "对象", "详情") and len(rows) == 56
    assert rows[1][1] == "审计管理员（%s）" % admin.username and rows[1][2] == "修改角色"


def test_admins_see_and_revoke_competition_points(client, admin, make_user):
    from datetime import date

    from quizapp.models import MemberTotal, PointsEntry
    member = make_user(name="获奖者")
    award = PointsEntry(user_id=member.id, day=date(2026, 12, 1), amount=10, reason="competition_place")
    db.session.add_all([award, MemberTotal(user_id=member.id, points=10)])
    db.session.commit()
    page = client.get("/admin/competition-points").get_data(as_text=True)
    assert "获奖者" in page and "10 分" in page and "名次积分" in page and "已撤销</span>" not in page
    response = client.post(f"/admin/competition-points/{award.id}/revoke", data={"note": "一人参赛"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已撤销这笔竞赛积分" in page and "已撤销</span>" in page
    assert db.session.get(MemberTotal, member.id).points == 0
    assert recorded("points.revoke")[0].details["note"] == "一人参赛"
    again = client.post(f"/admin/competition-points/{award.id}/revoke", follow_redirects=True)
    assert "这笔积分已经撤销过了" in again.get_data(as_text=True)

"""The audit log (issue 17, item 9): who did what to what, and when, for the actions that change
people's roles, records and points or take personal data out of the app.

record() adds one row in the caller's transaction (the action and its record commit together, or
neither does) and writes the same as a structured log line (logger "quizapp.audit", the fields under
`extra["audit"]`; log_to_stderr() makes them one JSON object per line on stderr, unless the deployment
gave the logger handlers of its own). Nothing here updates or deletes a row: the model refuses both.

Action codes (ACTIONS below) are what the admin's filter offers; `target` is "<kind>:<id>" (e.g.
"user:12"), `details` a small JSON object of what changed.
"""
from __future__ import annotations

import io
import json
import logging
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from openpyxl import Workbook
from sqlalchemy import select

from question_bank.spreadsheet import append_row
from quizapp.extensions import db
from quizapp.models import User
from quizapp.models.audit import AuditEntry
from quizapp.services.clock import day_bounds

logger = logging.getLogger("quizapp.audit")

ACTIONS = {
    "user.create": "创建账号",
    "user.role": "修改角色",
    "user.group": "调整所属组织",
    "user.password_reset": "重置密码",
    "user.deactivate": "停用账号",
    "user.reactivate": "启用账号",
    "group.secretaries": "任免书记",
    "roster.import": "批量导入名册",
    "question.import": "导入题目",
    "question.batch_withdraw": "撤回导入批次",
    "question.create": "新建题目",
    "question.approve": "采用候选题",
    "question.edit": "修改题目",
    "question.status": "修改题目状态",
    "question.regrade": "更正后重新评分",
    "competition.create": "创建竞赛",
    "competition.edit": "修改竞赛",
    "competition.announce": "发布竞赛",
    "competition.board": "隐藏/显示排行榜",
    "competition.publish": "公布竞赛成绩",
    "points.revoke": "撤销竞赛积分",
    "export.group": "导出支部成绩",
    "export.competition": "导出竞赛成绩",
    "export.roster_passwords": "下载名册初始密码",
}


def record(actor_id: int | None, action: str, target: str, details: dict | None, now: datetime) -> AuditEntry:
    """Append one entry (no commit: it belongs to the caller's transaction) and log it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(created_at=now, actor_id=actor_id, action=action, target=target[:200], details=details or {})
    db.session.add(entry)
    logger.info("audit %s %s by %s", action, target, actor_id if actor_id is not None else "server",
                extra={"audit": {"action": action, "actor_id": actor_id, "target": target, "details": details or {},
                                 "at": now.isoformat()}})
    return entry


class JsonLines(logging.Handler):
    """Each audit record as one JSON object on the process's stderr as it is when written (gunicorn's
    worker, a flask command)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(json.dumps(record.audit, ensure_ascii=False, default=str) + "\n")
            sys.stderr.flush()
        except Exception:  # logging must never break the action it records
            self.handleError(record)


def log_to_stderr() -> None:
    """Make the log lines reach stderr: the logger's default level (WARNING) dropped them. A logger that
    the deployment configured (handlers of its own) is left as it is."""
    if logger.handlers:
        return
    logger.setLevel(logging.INFO)
    logger.addHandler(JsonLines())
    logger.propagate = False  # once, not again through handlers the root logger may have


def target(kind: str, thing_id: int | None) -> str:
    return f"{kind}:{thing_id}"


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""  # a username or a name, exactly
    start: date | None = None
    end: date | None = None  # inclusive


def entries(criteria: AuditFilter):
    """A select of the entries matching `criteria`, newest first (for pagination or the export)."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if criteria.action:
        query = query.where(AuditEntry.action == criteria.action)
    if criteria.actor:
        actors = select(User.id).where((User.username == criteria.actor) | (User.name == criteria.actor))
        query = query.where(AuditEntry.actor_id.in_(actors))
    if criteria.start is not None:
        query = query.where(AuditEntry.created_at >= day_bounds(criteria.start)[0])
    if criteria.end is not None:
        query = query.where(AuditEntry.created_at < day_bounds(criteria.end)[0] + timedelta(days=1))
    return query


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def actor_label(entry: AuditEntry) -> str:
    return f"{entry.actor.name}（{entry.actor.username}）" if entry.actor else "服务器命令"


EXPORT_LIMIT = 50000


def export_xlsx(criteria: AuditFilter, local_time) -> bytes:
    """The matching entries as a workbook (at most EXPORT_LIMIT, newest first)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "审计日志"
    append_row(sheet, ["时间", "操作人", "操作", "对象", "详情"])
    for entry in db.session.scalars(entries(criteria).limit(EXPORT_LIMIT)):
        append_row(sheet, [local_time(entry.created_at, "%Y-%m-%d %H:%M:%S"), actor_label(entry),
                        action_label(entry.action), entry.target, details_text(entry.details)])
    for column, width in zip("ABCDE", (20, 24, 16, 20, 60)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def details_text(details: dict) -> str:
    return "；".join(f"{key}：{value}" for key, value in (details or {}).items())


def record_committed(actor_id: int | None, action: str, target: str, details: dict | None, now: datetime) -> None:
    """Record and commit at once, for an action whose own transaction is over: an export (a GET request
    that only read: an access log is the point of an audit log, so this is its one write) or an account
    change a service has just committed."""
    record(actor_id, action, target, details, now)
    db.session.commit()

"""答题纠错: members report questions they think are wrong; admins fix, retire or dismiss with a reply.

A member may report a question once (a database constraint), and only a question whose key he or
she has been shown: after submission once answers are revealed, or after answering with immediate
feedback. An admin resolves all open reports of a question at once. "Fixed" needs a version newer
than the one reported (the admin edits the question first, through the usual edit path); "retired"
retires the question; "dismissed" needs a reply saying why.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import REPORT_OUTCOMES, REPORT_REASONS, AttemptAnswer, Question, QuestionReport, QuestionVersion, User
from quizapp.services import ServiceError
from quizapp.services.bank.questions import set_status

TEXT_LENGTH = 500
REPLY_LENGTH = 1000
ALREADY_REPORTED = "你已经报告过这道题，处理结果见「我的纠错」。"


class ReportError(ServiceError):
    pass


def reportable_answer(user_id: int, attempt_id: int, position: int, now: datetime) -> AttemptAnswer:
    """The member's answer at `position`, if its key has been shown to him or her (else ReportError)."""
    query = (select(AttemptAnswer).join(AttemptAnswer.attempt)
             .where(AttemptAnswer.attempt_id == attempt_id, AttemptAnswer.position == position))
    answer = db.session.scalar(query)
    if answer is None or answer.attempt.user_id != user_id:
        raise ReportError("没有找到这道题。")
    attempt = answer.attempt
    shown = (not attempt.is_open and attempt.keys_visible(now)) or (attempt.immediate_feedback and answer.is_answered)
    if not shown:
        raise ReportError("公布答案之后才能报告这道题。")
    return answer


def report_question(user_id: int, attempt_id: int, position: int, reason: str, text: str, *,
                    now: datetime) -> QuestionReport:
    """File the member's report on the question at `position` of his or her attempt."""
    if reason not in REPORT_REASONS:
        raise ReportError("请选择纠错类型（答案有误、题干有歧义、选项有误、错别字或其他）。")
    text = (text or "").strip()
    if len(text) > TEXT_LENGTH:
        raise ReportError(f"补充说明最多 {TEXT_LENGTH} 字（现在 {len(text)} 字）。")
    answer = reportable_answer(user_id, attempt_id, position, now)
    if db.session.scalar(select(QuestionReport.id).where(QuestionReport.user_id == user_id,
                                                         QuestionReport.question_id == answer.question_id)):
        raise ReportError(ALREADY_REPORTED)
    report = QuestionReport(user_id=user_id, question_id=answer.question_id,
                            question_version_id=answer.question_version_id, attempt_id=attempt_id,
                            reason=reason, text=text, status="open", reply="", created_at=now)
    db.session.add(report)
    try:
        db.session.commit()
    except IntegrityError:  # the same report sent twice at once: the constraint keeps one
        db.session.rollback()
        raise ReportError(ALREADY_REPORTED) from None
    return report


def reports_of(user_id: int) -> list[QuestionReport]:
    """我的纠错: the member's own reports with the version reported, newest first."""
    query = (select(QuestionReport).where(QuestionReport.user_id == user_id)
             .options(selectinload(QuestionReport.version)).order_by(QuestionReport.id.desc()))
    return list(db.session.scalars(query))


@dataclass
class QueueItem:
    question: Question
    reports: list[QuestionReport]
    reasons: Counter = field(default_factory=Counter)
    current_version: int = 1

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def reason_labels(self) -> list[tuple[str, int]]:
        return [(REPORT_REASONS[code], self.reasons[code]) for code in REPORT_REASONS if self.reasons[code]]


def queue() -> list[QueueItem]:
    """Open reports grouped by question, the most reported first."""
    reports = db.session.scalars(
        select(QuestionReport).where(QuestionReport.status == "open")
        .options(selectinload(QuestionReport.question).selectinload(Question.source),
                 selectinload(QuestionReport.user), selectinload(QuestionReport.version))
        .order_by(QuestionReport.id)).all()
    items: dict[int, QueueItem] = {}
    for report in reports:
        item = items.setdefault(report.question_id, QueueItem(report.question, []))
        item.reports.append(report)
        item.reasons[report.reason] += 1
    numbers = _current_numbers(list(items))
    for question_id, item in items.items():
        item.current_version = numbers.get(question_id, 1)
    return sorted(items.values(), key=lambda item: (-item.count, item.reports[0].id))


def open_report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(QuestionReport).where(QuestionReport.status == "open"))


def _current_numbers(question_ids: list[int]) -> dict[int, int]:
    if not question_ids:
        return {}
    query = (select(QuestionVersion.question_id, func.max(QuestionVersion.number))
             .where(QuestionVersion.question_id.in_(question_ids)).group_by(QuestionVersion.question_id))
    return dict(db.session.execute(query).all())


def resolve(question_id: int, outcome: str, reply: str, *, acting_user: User, now: datetime) -> int:
    """Close every open report of the question with `outcome` and `reply`; returns how many."""
    if outcome not in REPORT_OUTCOMES or outcome == "open":
        raise ReportError("处理方式只能是已修正、停用或不采纳。")
    reply = (reply or "").strip()
    if len(reply) > REPLY_LENGTH:
        raise ReportError(f"回复最多 {REPLY_LENGTH} 字（现在 {len(reply)} 字）。")
    if outcome == "dismissed" and not reply:
        raise ReportError("不采纳时请写明理由，回复会告知报告的党员。")
    open_reports = list(db.session.scalars(select(QuestionReport).where(
        QuestionReport.question_id == question_id, QuestionReport.status == "open")))
    if not open_reports:
        raise ReportError("这道题没有待处理的纠错。")
    if outcome == "fixed" and not _edited_since(question_id, open_reports):
        raise ReportError("题目还没有修改：请先修改并保存题目，再标记为已修正。")
    if outcome == "retired":
        set_status([question_id], "retired", acting_user=acting_user, now=now, commit=False)
    db.session.execute(update(QuestionReport).where(QuestionReport.id.in_([r.id for r in open_reports]))
                       .values(status=outcome, reply=reply, resolved_at=now, resolved_by_id=acting_user.id))
    db.session.commit()
    return len(open_reports)


def _edited_since(question_id: int, reports: list[QuestionReport]) -> bool:
    """Whether the question has a version newer than every reported one."""
    newest = db.session.scalar(select(func.max(QuestionVersion.id)).where(QuestionVersion.question_id == question_id))
    return newest is not None and newest > max(report.question_version_id for report in reports)

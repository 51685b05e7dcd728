"""Creating and editing competitions: every setting checked, every problem reported at once, and
nothing written unless all is well (the paper is test-drawn, so a bank that is short says what is short).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select

from question_bank.draft import QUESTION_TYPES
from quizapp.extensions import db
from quizapp.models import BRANCH_INDEXES, FEEDBACK_CHOICES, Competition, Question, StudyGroup, User
from quizapp.models._types import MAX_ID
from quizapp.services import ServiceError, audit
from quizapp.services.competitions.awards import DEFAULT_POLICY, PointsPolicy, check_organiser_points
from quizapp.services.competitions.entries import refresh_group_stats
from quizapp.services.people.groups import led_group_ids
from quizapp.services.quizzes.papers import PaperRule, QuizError, RuleSection, draw_paper

MAX_ATTEMPTS = 20
MAX_FIXED_QUESTIONS = 200
MAX_PLACES = 10
MAX_PARTICIPATION_POINTS = 100
MAX_PLACE_POINTS = 1000
# Settings that decide who may take part and on what terms; frozen once the competition opens.
LOCKED_WHEN_OPEN = ("whole_organisation", "starts_at", "ends_at", "rule", "question_ids", "time_limit_s",
                    "attempts_allowed", "feedback")


class CompetitionError(ServiceError):
    pass


@dataclass
class CompetitionData:
    """Everything an organiser sets. sections: RuleSection fields for a random paper; question_refs:
    question keys or ids for a fixed paper (then points_by_type gives each question's points)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    whole_organisation: bool = True
    group_ids: list[int] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    question_refs: list[str] | None = None
    points_by_type: dict[str, float] = field(default_factory=dict)
    time_limit_s: int | None = None
    attempts_allowed: int = 1
    feedback: str = "after_end"
    multiple_partial: bool = True
    participation_points: int = 0
    placing_points: list[int] = field(default_factory=list)
    branch_index: str = "avg_x_rate"
    board_hidden: bool = False


# --- creating and editing -------------------------------------------------------------------

def save_competition(data: CompetitionData, *, acting_user: User, now: datetime,
                     competition: Competition | None = None, announce: bool = False,
                     policy: PointsPolicy | None = None) -> Competition:
    """Create (competition=None) or update a competition; every problem is reported at once."""
    not_started = competition is None or competition.state(now) in ("draft", "scheduled")
    problems = _check_settings(data, acting_user, now, not_started)
    problems += check_organiser_points(data.participation_points, data.placing_points, acting_user,
                                       policy or DEFAULT_POLICY)
    question_ids, rule = _build_paper(data, problems)
    if problems:
        raise CompetitionError("；".join(problems))
    values = _column_values(data, rule, question_ids)
    # A running competition's own row is written last, after its group stats, as every finalise
    # writes them (services.competitions.entries): two transactions never wait for each other's lock.
    with db.session.no_autoflush:
        if competition is None:
            competition = Competition(created_by_id=acting_user.id, **values)
            db.session.add(competition)
        else:
            _check_locked(competition, values, data.group_ids, now)
            for name, value in values.items():
                setattr(competition, name, value)
        competition.scope_groups = [] if data.whole_organisation else _groups(data.group_ids)
        if announce and competition.announced_at is None:
            competition.announced_at = now
        created = competition.id is None
        if created:
            db.session.flush()  # a new competition: its id, for the group stats
        refresh_group_stats(competition)
    audit.record(acting_user.id, "competition.create" if created else "competition.edit",
                 audit.target("competition", competition.id), _audit_details(data), now)
    db.session.commit()
    return competition


def _audit_details(data: CompetitionData) -> dict:
    return {"title": data.title.strip(), "starts_at": data.starts_at.isoformat(), "ends_at": data.ends_at.isoformat(),
            "scope": "all" if data.whole_organisation else sorted(data.group_ids),
            "participation_points": data.participation_points, "placing_points": list(data.placing_points)}


def _check_settings(data: CompetitionData, user: User, now: datetime, not_started: bool) -> list[str]:
    problems = []
    if not data.title.strip():
        problems.append("请填写竞赛名称")
    if data.starts_at >= data.ends_at:
        problems.append("开始时间必须早于结束时间")
    if not_started and data.ends_at <= now:
        problems.append("结束时间已经过去")
    if not 1 <= data.attempts_allowed <= MAX_ATTEMPTS:
        problems.append(f"可参加次数应在 1 到 {MAX_ATTEMPTS} 之间")
    if data.time_limit_s is not None and data.time_limit_s < 60:
        problems.append("答题限时至少 1 分钟")
    if data.feedback not in FEEDBACK_CHOICES:
        problems.append(f"未知的答案显示方式：{data.feedback}")
    if data.branch_index not in BRANCH_INDEXES:
        problems.append(f"未知的支部排名指数：{data.branch_index}")
    if not 0 <= data.participation_points <= MAX_PARTICIPATION_POINTS:
        problems.append(f"参与积分应在 0 到 {MAX_PARTICIPATION_POINTS} 之间")
    if any(not 0 <= points <= MAX_PLACE_POINTS for points in data.placing_points):
        problems.append(f"名次积分应在 0 到 {MAX_PLACE_POINTS} 之间")
    if len(data.placing_points) > MAX_PLACES:
        problems.append(f"名次积分最多设置前 {MAX_PLACES} 名")
    problems.extend(_check_scope(data, user))
    return problems


def _check_scope(data: CompetitionData, user: User) -> list[str]:
    if not (user.is_admin or user.is_secretary):
        return ["只有管理员和支部书记可以组织竞赛"]
    if data.whole_organisation:
        return [] if user.is_admin else ["支部书记只能为自己负责的组织创建竞赛，不能面向全体党员"]
    if not data.group_ids:
        return ["请至少选择一个参赛组织"]
    groups = {group.id: group for group in _groups(data.group_ids)}
    problems = [f"参赛组织（编号 {group_id}）不存在" for group_id in data.group_ids if group_id not in groups]
    if not user.is_admin:
        allowed = led_group_ids(user)
        problems += [f"您不是「{group.name}」的书记，不能为其创建竞赛" for group in groups.values()
                     if group.id not in allowed]
    return problems


def _groups(ids: list[int]) -> list[StudyGroup]:
    return list(db.session.scalars(select(StudyGroup).where(StudyGroup.id.in_(ids)).order_by(StudyGroup.name)))


def _build_paper(data: CompetitionData, problems: list[str]) -> tuple[list[int] | None, dict | None]:
    """(question ids of a fixed paper or None, the PaperRule as a dict); problems are appended."""

    common = {"time_limit_s": data.time_limit_s, "feedback": data.feedback, "multiple_partial": data.multiple_partial}
    try:
        if data.question_refs is not None:
            questions = _fixed_questions(data.question_refs, problems)
            counts = {kind: sum(q.type == kind for q in questions) for kind in QUESTION_TYPES}
            sections = [RuleSection(type=kind, count=count, points=data.points_by_type.get(kind, 1.0))
                        for kind, count in counts.items() if count]
            rule = PaperRule(sections=sections, **common) if sections else None
            return [q.id for q in questions], rule.to_dict() if rule else None
        rule = PaperRule(sections=[RuleSection(**section) for section in data.sections if section.get("count")],
                         **common)
        draw_paper(rule, random.Random(0))
    except QuizError as error:
        problems.append(f"试卷：{error}")
        return None, None
    return None, rule.to_dict()


def _fixed_questions(refs: list[str], problems: list[str]) -> list[Question]:
    refs = [ref.strip() for ref in refs if ref.strip()]
    if not refs:
        problems.append("固定试卷至少需要 1 道题")
    if len(refs) > MAX_FIXED_QUESTIONS:
        problems.append(f"固定试卷最多 {MAX_FIXED_QUESTIONS} 道题，现有 {len(refs)} 道")
        return []
    ids = [int(ref) for ref in refs if ref.isdigit() and int(ref) <= MAX_ID]  # a longer number is no id
    found = db.session.scalars(select(Question).where(or_(Question.key.in_(refs), Question.id.in_(ids)))).all()
    by_ref = {q.key: q for q in found} | {str(q.id): q for q in found}
    questions, seen = [], set()
    for number, ref in enumerate(refs, 1):
        question = by_ref.get(ref)
        if question is None:
            problems.append(f"第 {number} 题「{ref}」在题库中不存在")
        elif question.status != "published":
            problems.append(f"第 {number} 题「{ref}」尚未发布")
        elif question.id in seen:
            problems.append(f"第 {number} 题「{ref}」重复了")
        else:
            seen.add(question.id)
            questions.append(question)
    return questions


def _column_values(data: CompetitionData, rule: dict, question_ids: list[int] | None) -> dict:
    return {
        "title": data.title.strip(), "description": data.description.strip(),
        "whole_organisation": data.whole_organisation, "starts_at": data.starts_at, "ends_at": data.ends_at,
        "rule": rule, "question_ids": question_ids, "time_limit_s": data.time_limit_s,
        "attempts_allowed": data.attempts_allowed, "feedback": data.feedback,
        "participation_points": data.participation_points, "placing_points": list(data.placing_points),
        "branch_index": data.branch_index, "board_hidden": data.board_hidden,
    }


def _check_locked(competition: Competition, values: dict, group_ids: list[int], now: datetime) -> None:
    if competition.state(now) in ("draft", "scheduled"):
        return
    changed = [name for name in LOCKED_WHEN_OPEN if getattr(competition, name) != values[name]]
    old_scope = {group.id for group in competition.scope_groups}
    if changed or old_scope != (set() if values["whole_organisation"] else set(group_ids)):
        raise CompetitionError("竞赛已开始，只能修改名称、说明、积分和排行榜设置；"
                               "时间、范围、试卷、限时和次数不能再改")

"""The 每周一学 generator in the app: draft candidates from a source, review them, publish approved ones."""
from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import select

from question_bank.draft import QuestionDraft, SourceRef
from quizapp.extensions import db
from quizapp.models import Candidate, Source, User
from quizapp.services import ServiceError
from question_bank.generate import generate_candidates
from question_bank.validate import validate
from quizapp.services.questions import upsert_question


class GenerationError(ServiceError):
    pass


def source_ref(source: Source) -> SourceRef:
    date = source.published_on.isoformat() if source.published_on else ""
    return SourceRef(title=source.title, file=source.file or f"source-{source.id}", section=source.section, date=date)


def draft_to_dict(draft: QuestionDraft) -> dict:
    return dataclasses.asdict(draft)


def draft_from_dict(data: dict) -> QuestionDraft:
    return QuestionDraft(**{**data, "source": SourceRef(**data.get("source", {}))})


def answer_text(draft: dict) -> str:
    """The answer of a draft as an admin reads it: 'AC', '正确', '人民/人民群众；历史'."""
    answer = draft.get("answer")
    if draft.get("type") == "judge":
        return "正确" if answer else "错误"
    if draft.get("type") == "fill":
        return "；".join("/".join(alternatives) for alternatives in answer or [])
    return "".join(answer or [])


def generate_for_source(source: Source) -> int:
    """Store the generator's new candidates for `source`; keys seen before (any state) are skipped."""

    drafts = generate_candidates(source.text, source_ref(source))
    seen = set(db.session.scalars(select(Candidate.key).where(Candidate.key.in_([d.key for d in drafts]))))
    fresh = [draft for draft in drafts if draft.key not in seen]
    db.session.add_all(Candidate(source_id=source.id, key=draft.key, draft=draft_to_dict(draft)) for draft in fresh)
    db.session.commit()
    return len(fresh)


def candidates_of(source: Source, state: str = "pending") -> list[Candidate]:
    query = select(Candidate).where(Candidate.source_id == source.id, Candidate.state == state).order_by(Candidate.id)
    return list(db.session.scalars(query))


def edit_candidate(candidate: Candidate, draft: QuestionDraft) -> None:
    """Replace a pending candidate's draft after the admin edited it (the caller has validated it)."""
    _require_pending([candidate])
    draft.key, draft.source, draft.status = candidate.key, draft_from_dict(candidate.draft).source, "draft"
    candidate.draft = draft_to_dict(draft)
    db.session.commit()


def approve(candidates: list[Candidate], acting_user: User, *, now: datetime) -> int:
    """Publish each candidate as a question linked to its source, all or nothing."""

    _require_pending(candidates)
    drafts = [draft_from_dict(candidate.draft) for candidate in candidates]
    problems = validate(drafts)
    if problems:
        raise GenerationError("以下候选题有问题，请先修改：" + "；".join(str(problem) for problem in problems))
    for candidate, draft in zip(candidates, drafts):
        draft.status = "published"
        candidate.question = upsert_question(draft, acting_user=acting_user, source=candidate.source, commit=False)
        _decide(candidate, "approved", acting_user, now)
    db.session.commit()
    return len(candidates)


def reject(candidates: list[Candidate], acting_user: User, *, now: datetime) -> int:
    _require_pending(candidates)
    for candidate in candidates:
        _decide(candidate, "rejected", acting_user, now)
    db.session.commit()
    return len(candidates)


def _decide(candidate: Candidate, state: str, user: User, now: datetime) -> None:
    candidate.state, candidate.decided_by_id, candidate.decided_at = state, user.id, now


def _require_pending(candidates: list[Candidate]) -> None:
    if not candidates:
        raise GenerationError("请先选择候选题。")
    decided = [c for c in candidates if c.state != "pending"]
    if decided:
        raise GenerationError(f"有 {len(decided)} 道候选题已审核过，不能再次处理。")

"""The 每周一学 generator in the app: draft candidates from a source, review them, publish approved ones."""
from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import select

from question_bank.draft import QuestionDraft, SourceRef
from question_bank.generate import draft_text
from question_bank.health import HealthReport, bank_health
from question_bank.llm_drafts import LLMSettings
from question_bank.validate import validate
from quizapp.extensions import db
from quizapp.models import Candidate, Source, User
from quizapp.services import ServiceError, audit
from quizapp.services.bank.questions import upsert_question


class GenerationError(ServiceError):
    pass


def source_ref(source: Source) -> SourceRef:
    date = source.published_on.isoformat() if source.published_on else ""
    return SourceRef(title=source.title, file=source.file or f"source-{source.id}", section=source.section, date=date)


def draft_to_dict(draft: QuestionDraft, review: dict | None = None) -> dict:
    """A draft as stored with its candidate; ``review`` (what the reviewer is shown beside it:
    the structure it was read from, what a false statement changed, the quote's offset) rides
    along under "review"."""
    data = dataclasses.asdict(draft)
    if review:
        data["review"] = review
    return data


def draft_from_dict(data: dict) -> QuestionDraft:
    fields = {key: value for key, value in data.items() if key != "review"}
    return QuestionDraft(**{**fields, "source": SourceRef(**data.get("source", {}))})


STRUCTURE_LABELS = {"list": "列举", "definition": "定义", "event": "带日期的事件",
                    "chain": "以…为…表述", "statements": "几条表述", "post": "任职表述",
                    "formulation": "提法", "number": "数字表述",
                    "llm": "大模型草拟"}
FOUND_LABELS = {"lists": "列举", "definitions": "定义", "events": "带日期的事件",
                "chains": "以…为…表述", "posts": "任职表述", "formulations": "提法",
                "numbers": "数字表述"}


@dataclasses.dataclass
class GenerateOutcome:
    """What one press of 生成候选题 did: new candidates, all drafts, why none (Chinese)."""

    added: int
    drafted: int
    why_none: str
    llm_summary: str = ""

    def message(self) -> str:
        llm = f"（{self.llm_summary}）" if self.llm_summary else ""
        if self.added:
            return f"生成了 {self.added} 道新的候选题。{llm}"
        if self.drafted:
            return f"这份材料能出的 {self.drafted} 道候选题都已生成过（待审核、已采用或已舍弃），没有新的。{llm}"
        return f"没有生成候选题：{self.why_none}{llm}"


def warm_up_drafter() -> None:
    """Start loading the drafter's word dictionary in the background (about 2 s, once per
    process), so the first 生成候选题 does not wait for it."""
    from question_bank.studytext.segment import warm_up

    warm_up()


def reading_summary(text: str) -> str:
    """What the drafter reads in ``text``: "列举 2 处 · 定义 1 处 · …" (Chinese)."""
    from question_bank.generate import reading_counts

    counts = reading_counts(text)
    return " · ".join(f"{FOUND_LABELS[kind]} {count} 处" for kind, count in counts.items())


def quote_context(text: str, draft: dict, width: int = 40) -> tuple[str, str, str]:
    """(before, quote, after): the quote where it stands in ``text``, with some words around."""
    offset = (draft.get("review") or {}).get("offset", -1)
    quote = draft.get("quote") or ""
    if offset is None or offset < 0 or text[offset:offset + len(quote)] != quote:
        offset = text.find(quote) if quote else -1
    if offset < 0:
        return "", quote, ""
    end = offset + len(quote)
    return text[max(0, offset - width):offset], quote, text[end:end + width]


def answer_text(draft: dict) -> str:
    """The answer of a draft as an admin reads it: 'AC', '正确', '人民/人民群众；历史'."""
    answer = draft.get("answer")
    if draft.get("type") == "judge":
        return "正确" if answer else "错误"
    if draft.get("type") == "fill":
        return "；".join("/".join(alternatives) for alternatives in answer or [])
    return "".join(answer or [])


def generate_for_source(source: Source, llm: LLMSettings | None = None) -> GenerateOutcome:
    """Store the generator's new candidates for `source` (and, with `llm`, the language model's
    checked drafts); keys seen before (any state) are skipped."""

    drafting = draft_text(source.text, source_ref(source))
    drafts, llm_summary = drafting.drafts, ""
    if llm:
        from question_bank.llm_drafts import llm_drafts

        result = llm_drafts(source.text, source_ref(source), llm)
        llm_summary = result.summary()
        for draft in result.drafts:
            drafting.notes[draft.key] = {"structure": "llm", "change": "",
                                         "offset": source.text.find(draft.quote)}
        drafts = drafts + result.drafts
    seen = set(db.session.scalars(select(Candidate.key).where(Candidate.key.in_([d.key for d in drafts]))))
    fresh = [draft for draft in drafts if draft.key not in seen]
    db.session.add_all(Candidate(source_id=source.id, key=draft.key,
                                 draft=draft_to_dict(draft, drafting.notes.get(draft.key)))
                       for draft in fresh)
    db.session.commit()
    return GenerateOutcome(len(fresh), len(drafts), drafting.why_none() if not drafts else "",
                           llm_summary)


def candidates_of(source: Source, state: str = "pending") -> list[Candidate]:
    query = select(Candidate).where(Candidate.source_id == source.id, Candidate.state == state).order_by(Candidate.id)
    return list(db.session.scalars(query))


def batch_health(candidates: list[Candidate]) -> HealthReport:
    """The bank health report of a batch of drafts under review (guessable patterns, near-duplicates)."""
    return bank_health([draft_from_dict(candidate.draft) for candidate in candidates])


def edit_candidate(candidate: Candidate, draft: QuestionDraft) -> None:
    """Replace a pending candidate's draft after the admin edited it (the caller has validated it)."""
    _require_pending([candidate])
    draft.key, draft.source, draft.status = candidate.key, draft_from_dict(candidate.draft).source, "draft"
    candidate.draft = draft_to_dict(draft, candidate.draft.get("review"))
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
    db.session.flush()
    audit.record(acting_user.id, "question.approve", audit.target("source", candidates[0].source_id),
                 {"question_ids": [candidate.question.id for candidate in candidates],
                  "candidate_ids": [candidate.id for candidate in candidates]}, now)
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

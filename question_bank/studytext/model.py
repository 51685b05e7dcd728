"""What a study text is read into: lists, definitions and 以…为… chains, each with its offsets."""
from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass
class Enumeration:
    """A list of items found in the text, with what it is a list of (if the text says so)."""

    items: list[str]
    spans: list[Span]  # where each item stands in the text
    name: str | None  # e.g. "“四个意识”", "国家层面的价值目标"
    topic: str | None
    quote: str  # verbatim passage containing the whole list
    rule: str  # the passage as one readable line, for explanations
    sentence: Span | None = None  # the sentence the list stands in (inline lists only)
    complete: bool = True  # False when the text says "等"


@dataclass
class Definition:
    """A sentence "X是Y"."""

    term: str
    body: str
    topic: str | None
    quote: str
    kind: str = "is"  # "is" (X是Y), "title" (a title line over its statement), "attribute"


@dataclass
class RoleChain:
    """Clauses "以A为宗旨，以B为根本" of one sentence: (item, role, span of item)."""

    entries: list[tuple[str, str, Span]]
    topic: str | None
    quote: str
    context: Span  # from the sentence start (if short) to the end of the last clause
    starts_sentence: bool = True


@dataclass
class StudyText:
    text: str
    enumerations: list[Enumeration] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    chains: list[RoleChain] = field(default_factory=list)
    events: list = field(default_factory=list)  # DatedEvent
    posts: list = field(default_factory=list)  # PostGroup: who held which post
    formulations: list = field(default_factory=list)  # Formulation: “三步走” with its verb
    numbers: list = field(default_factory=list)  # NumberFact: "出席代表共755名"
    pairs: list = field(default_factory=list)  # PairedList: kinds each described by a pair

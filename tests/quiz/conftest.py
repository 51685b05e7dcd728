"""Factories of the quiz engine's tests: a small bank by type, category and difficulty; rules; attempts."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone
from random import Random

import pytest

from quizapp.extensions import db
from quizapp.models import Category
from quizapp.services.quizzes import engine
from quizapp.services.quizzes.papers import PaperRule, RuleSection

NOW = datetime(2024, 5, 6, 2, 0, tzinfo=timezone.utc)  # Monday 10:00 in Asia/Shanghai

SHAPES = {
    "single": {"options": ["全心全意为人民服务", "发展经济", "改革开放", "科教兴国"], "answer": ["A"]},
    "multiple": {"options": ["坚持党的领导", "坚持人民至上", "闭关锁国", "坚持理论创新"], "answer": ["A", "B", "D"]},
    "judge": {"options": [], "answer": True},
    "fill": {"options": [], "answer": [["人民", "人民群众"], ["历史"]]},
}
FILL_STEM = "江山就是（　），（　）就是江山——第{n}题"
_fill_numbers = itertools.count(1)


@pytest.fixture
def member(app, make_user):
    return make_user()


@pytest.fixture
def make_category(app):
    def make(path: str) -> Category:
        parent = None
        for depth in range(1, path.count("/") + 2):
            prefix = "/".join(path.split("/")[:depth])
            category = db.session.scalar(db.select(Category).where(Category.path == prefix))
            if category is None:
                category = Category(name=prefix.split("/")[-1], path=prefix, parent=parent)
                db.session.add(category)
                db.session.flush()
            parent = category
        db.session.commit()
        return parent

    return make


@pytest.fixture
def make_typed(app, make_question, make_category):
    """make_typed("fill", category="党史/百年", difficulty=3, **overrides) -> a valid question of that type."""

    def make(kind: str, category: str | None = None, **overrides):
        values = dict(SHAPES[kind], type=kind)
        if kind == "fill":
            values["stem"] = FILL_STEM.format(n=next(_fill_numbers))
        if category:
            values["category_id"] = make_category(category).id
        return make_question(**{**values, **overrides})

    return make


@pytest.fixture
def bank(make_typed):
    """bank({"single": 5, "judge": 3}, category=..., difficulty=...) -> the questions made."""

    def make(counts: dict[str, int], **overrides):
        return [make_typed(kind, **overrides) for kind, number in counts.items() for _ in range(number)]

    return make


def rule(*sections, **options) -> PaperRule:
    """rule(("single", 2), ("judge", 1, 2.0)) -> a PaperRule; a section is (type, count[, points])."""
    return PaperRule([RuleSection(*section) for section in sections], **options)


@pytest.fixture
def start(member):
    def do_start(paper: PaperRule | None = None, mode: str = "exam", user=None, now=NOW, seed=1, **options):
        return engine.start_attempt(user or member, mode, paper or rule(("single", 2)), now=now, rng=Random(seed),
                                     **options)

    return do_start


SECRET_EXPLANATION = "解析：只在答题结束后出现的解析文字"
SECRET_QUOTE = "只在答题结束后出现的原文摘录"
SECRET_FILL = "只在答题结束后出现的填空答案"


@pytest.fixture
def source(app):
    from quizapp.models import Source

    item = Source(title="每周一学·测试", text=f"第一段。\n{SECRET_QUOTE}\n第三段。")
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture
def daily_bank(bank, source):
    """Enough questions of every type for the daily quiz, each with 解析, 原文摘录 and a source."""
    secrets = {"explanation": SECRET_EXPLANATION, "quote": SECRET_QUOTE, "source_id": source.id}
    questions = bank({"single": 5, "multiple": 3, "judge": 3}, **secrets)
    return questions + bank({"fill": 3}, answer=[[SECRET_FILL], ["历史"]], **secrets)


def body(response) -> str:
    return response.get_data(as_text=True)


def form_answer(answer, right: bool = True) -> dict:
    """The plain form fields that answer `answer` right (or wrong), as the page would post them."""
    from quizapp.services.quizzes.scoring import shown_letters

    question = answer.question
    if question.type == "judge":
        return {"judge": "true" if question.answer == right else "false"}
    if question.type == "fill":
        return {"blank": [options[0] if right else "不对" for options in question.answer]}
    letters = shown_letters(answer.option_order, question.answer)
    if not right:
        letters = [letter for letter in "ABCD" if letter not in letters][:1]
    return {"choice": letters}

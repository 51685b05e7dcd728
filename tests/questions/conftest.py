"""Factories for the question bank tests: admins, drafts, spreadsheet rows, counts of what is stored."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from question_bank.draft import QuestionDraft, SourceRef
from quizapp.extensions import db
from quizapp.models import Category, Question, Source
from tests.question_bank.filemakers import TEMPLATE_HEADER, make_xlsx

GOOD_ROWS = [
    ["单选题", "中国共产党第一次全国代表大会在（　）召开。", "北京", "上海", "广州", "武汉", "B", "中共一大在上海开幕。",
     "易", "党史/新民主主义革命时期", "中共一大", "", "", "T-001"],
    ["多选题", "“三大法宝”包括（　）。", "统一战线", "武装斗争", "党的建设", "土地革命", "ABC", "", "中",
     "党史/新民主主义革命时期", "", "", "", "T-002"],
    ["判断题", "遵义会议是党的历史上一个生死攸关的转折点。", "", "", "", "", "对", "", "易", "党史", "", "", "", "T-003"],
    ["填空题", "为中国人民谋（　），为中华民族谋（　）。", "", "", "", "", "幸福；复兴", "", "易", "党史/新时代", "", "", "",
     "T-004"],
]


def counts() -> dict[str, int]:
    """How many questions, categories and sources are stored (a failed import must leave these alone)."""
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Question, Category, Source)}


def xlsx(*rows: list[object], header: list[str] = TEMPLATE_HEADER) -> bytes:
    return make_xlsx([header, *rows])


@pytest.fixture
def app_config(request):
    """Configuration overrides, given with @pytest.mark.parametrize("app_config", [...], indirect=True)."""
    return getattr(request, "param", {})


@pytest.fixture(autouse=True)
def _instance_path(tmp_path, monkeypatch):
    """Uploads waiting for confirmation go to the instance folder: a temporary one in tests."""
    monkeypatch.setenv("QUIZAPP_INSTANCE_PATH", str(tmp_path / "instance"))


@pytest.fixture(autouse=True)
def _app_context(_instance_path, app):
    """Every test here talks to the database, so every test gets the app (and its context)."""
    return app


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", name="题库管理员")


@pytest.fixture
def admin_client(client, login, admin):
    login(admin)
    return client


@pytest.fixture
def make_draft():
    numbers = iter(range(1, 100000))

    def make(**overrides) -> QuestionDraft:
        number = next(numbers)
        values = dict(type="single", stem=f"第{number}题：党的根本宗旨是什么？",
                      options=["全心全意为人民服务", "发展经济", "改革开放"], answer=["A"],
                      explanation="宗旨。", difficulty=2, category="党史", status="published",
                      key="", origin_row=number + 1)
        return QuestionDraft(**{**values, **overrides})

    return make


def full_drafts() -> list[QuestionDraft]:
    """One draft per type with every field filled, for round trips."""
    source = SourceRef(title="党的十九大报告", section="报告", date="2017-10-18", file="report19.txt")
    return [
        QuestionDraft(type="single", stem="<script>alert(1)</script>党的根本宗旨是（　）。",
                      options=["全心全意为人民服务", "<b>发展</b>", "=1+1"], answer=["A"], explanation="解析<i>一</i>",
                      difficulty=1, category="党史/百年奋斗", tags=["宗旨", "根本"], status="published",
                      source=source, quote="全心全意为人民服务是党的根本宗旨。", key="RT-1"),
        QuestionDraft(type="multiple", stem="三大法宝是（　）。", options=["统一战线", "武装斗争", "党的建设", "土地革命"],
                      answer=["A", "B", "C"], explanation="", difficulty=3, category="党史", tags=[],
                      status="draft", key="RT-2"),
        QuestionDraft(type="judge", stem="遵义会议是生死攸关的转折点。", answer=False, explanation="x",
                      difficulty=2, category="", tags=["遵义"], status="retired", key="RT-3"),
        QuestionDraft(type="fill", stem="为中国人民谋（　），为中华民族谋（　）。", answer=[["幸福", "幸福生活"], ["复兴"]],
                      explanation="", difficulty=2, category="党史/新时代", status="published",
                      source=SourceRef(title="无文件的出处", date="2021-07-01"), key="RT-4"),
    ]

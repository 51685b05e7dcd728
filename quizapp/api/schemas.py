"""Marshmallow schemas of the JSON API: they validate requests and document responses (OpenAPI)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from question_bank.draft import DIFFICULTIES, QUESTION_TYPES
from quizapp.services.quizzes.papers import PRACTICE_SIZES


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True


class Credentials(Strict):
    username = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, validate=validate.Length(1, 256))


class RefreshRequest(Strict):
    refresh_token = fields.String(required=True, validate=validate.Length(1, 200))


class Tokens(Strict):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"description": "总是 Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "访问令牌的有效秒数"})
    refresh_token = fields.String(required=True)
    refresh_expires_in = fields.Integer(required=True, metadata={"description": "刷新令牌的有效秒数"})


class Me(Strict):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    role_label = fields.String(required=True)
    group_id = fields.Integer(required=True, allow_none=True)
    group_name = fields.String(required=True, allow_none=True)


class PracticeRequest(Strict):
    category = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500),
                             metadata={"description": "知识点路径，如“党史/百年”；不填为全部知识点"})
    question_type = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(list(QUESTION_TYPES)))
    difficulty = fields.Integer(load_default=None, allow_none=True, validate=validate.OneOf(list(DIFFICULTIES)))
    count = fields.Integer(load_default=10, validate=validate.OneOf(PRACTICE_SIZES))


class AnswerRequest(Strict):
    given = fields.Raw(required=True, allow_none=True, metadata={
        "description": "单选/多选：所选字母的列表（按本卷显示的顺序，如 [\"A\", \"C\"]）；判断：true/false；"
                       "填空：每空一个字符串的列表；null 表示清空"})


class Option(Strict):
    letter = fields.String(required=True)
    text = fields.String(required=True)


class Feedback(Strict):
    is_correct = fields.Boolean(required=True)
    score = fields.Float(required=True)
    points = fields.Float(required=True)
    answered = fields.Boolean(required=True)
    given = fields.String(required=True, metadata={"description": "所作答案，按本卷显示的字母"})
    right = fields.String(required=True, metadata={"description": "正确答案"})
    explanation = fields.String(required=True, metadata={"description": "解析"})
    quote = fields.String(required=True, allow_none=True, metadata={"description": "原文摘录"})
    source_title = fields.String(required=True)
    source_url = fields.String(required=True, allow_none=True)


class PaperQuestion(Strict):
    position = fields.Integer(required=True)
    type = fields.String(required=True)
    type_label = fields.String(required=True)
    stem = fields.String(required=True)
    options = fields.List(fields.Nested(Option), required=True)
    chosen = fields.List(fields.String(), required=True)
    judge = fields.Boolean(required=True, allow_none=True)
    blanks = fields.List(fields.String(), required=True)
    answered = fields.Boolean(required=True)
    feedback = fields.Nested(Feedback, required=True, allow_none=True,
                             metadata={"description": "只在该题答案已定（交卷后，或练习中每答一题后）时给出"})


class AttemptSummary(Strict):
    id = fields.Integer(required=True)
    mode = fields.String(required=True)
    mode_label = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "open 答题中 / finished 已交卷"})
    feedback = fields.String(required=True, metadata={"description": "immediate / after_submit / after_end"})
    started_at = fields.DateTime(required=True)
    deadline = fields.DateTime(required=True, allow_none=True)
    question_count = fields.Integer(required=True)


class Attempt(AttemptSummary):
    questions = fields.List(fields.Nested(PaperQuestion), required=True)


class SavedAnswer(Strict):
    position = fields.Integer(required=True)
    answered = fields.Boolean(required=True)
    feedback = fields.Nested(Feedback, required=True, allow_none=True)


class TypeTally(Strict):
    type = fields.String(required=True)
    label = fields.String(required=True)
    right = fields.Integer(required=True)
    wrong = fields.Integer(required=True)
    unanswered = fields.Integer(required=True)


class Result(AttemptSummary):
    score = fields.Float(required=True)
    max_score = fields.Float(required=True)
    correct_count = fields.Integer(required=True)
    finished_at = fields.DateTime(required=True, allow_none=True)
    keys_visible = fields.Boolean(required=True, metadata={"description": "竞赛可能在活动结束后才公布答案"})
    by_type = fields.List(fields.Nested(TypeTally), required=True)
    questions = fields.List(fields.Nested(PaperQuestion), required=True,
                            metadata={"description": "答案、解析与原文摘录；keys_visible 为 false 时为空"})


class Progress(Strict):
    points_total = fields.Integer(required=True)
    points_this_week = fields.Integer(required=True)
    streak_days = fields.Integer(required=True)
    last_study_day = fields.Date(required=True, allow_none=True)
    attempts = fields.Integer(required=True)
    questions = fields.Integer(required=True)
    correct = fields.Integer(required=True)
    due_reviews = fields.Integer(required=True)
    daily_done_today = fields.Boolean(required=True)


class CompetitionItem(Strict):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    state = fields.String(required=True, metadata={"description": "open 进行中 / scheduled 未开始"})
    state_label = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    time_limit_s = fields.Integer(required=True, allow_none=True)
    attempts_allowed = fields.Integer(required=True)


class ErrorBody(Strict):
    code = fields.String(required=True, metadata={"description": "稳定的错误代码，如 not_found、attempt_closed"})
    message = fields.String(required=True, metadata={"description": "中文说明"})
    field_problems = fields.Dict(data_key="fields", keys=fields.String(), values=fields.String(),
                                 metadata={"description": "出错的字段及原因"})


class Error(Strict):
    error = fields.Nested(ErrorBody, required=True)

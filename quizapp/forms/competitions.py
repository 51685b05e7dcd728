"""The organiser's competition form; it turns into services.competitions.lifecycle.CompetitionData."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from question_bank.draft import DIFFICULTIES, QUESTION_TYPES
from quizapp.forms.admin import ChineseForm
from quizapp.models import BRANCH_INDEXES, FEEDBACK_CHOICES, Competition
from quizapp.services.clock import SUPPORTED_RANGE, is_supported_day, zone
from quizapp.services.competitions.lifecycle import CompetitionData

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]  # the first is what <input type=datetime-local> reads
NUMBER_LIST = re.compile(r"^\s*\d+(\s*[,，、\s]\s*\d+)*\s*$")


def _supported_day(form, field) -> None:
    if field.data and not is_supported_day(field.data.date()):
        raise ValidationError(f"{field.label.text}超出可选范围（{SUPPORTED_RANGE}）")


def _count(label: str, default: int):
    return IntegerField(label, default=default,
                        validators=[InputRequired(f"请填写{label}"), NumberRange(0, 200, "题数应在 0 到 200 之间")])


def _points(label: str):
    return FloatField(label, default=1.0, validators=[InputRequired(f"请填写{label}"), NumberRange(0.5, 100, "分值应在 0.5 到 100 之间")])


class CompetitionForm(ChineseForm):
    title = StringField("竞赛名称", validators=[DataRequired("请填写竞赛名称"), Length(max=200)])
    description = TextAreaField("说明", validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    scope = RadioField("参赛范围", choices=[("all", "全体党员"), ("groups", "指定组织（含其下级组织）")], default="all")
    groups = SelectMultipleField("参赛组织", coerce=int, validate_choice=False)
    starts_at = DateTimeLocalField("开始时间", format=LOCAL_FORMATS, validators=[InputRequired("请填写开始时间"), _supported_day])
    ends_at = DateTimeLocalField("结束时间", format=LOCAL_FORMATS, validators=[InputRequired("请填写结束时间"), _supported_day])
    paper_kind = RadioField("试卷", choices=[("rule", "随机组卷：每人的题型、难度、题量相同"),
                                           ("fixed", "固定试卷：人人答同一组题")], default="rule")
    # A 20-question paper a member finishes in about a quarter of an hour; 填空 (typing on a phone) left out.
    count_single, count_multiple = _count("单选题数", 10), _count("多选题数", 5)
    count_judge, count_fill = _count("判断题数", 5), _count("填空题数", 0)
    points_single, points_multiple = _points("单选每题分值"), _points("多选每题分值")
    points_judge, points_fill = _points("判断每题分值"), _points("填空每题分值")
    category = SelectField("知识点", choices=[("", "不限")], default="", validate_choice=False)
    difficulty = SelectField("难度", choices=[("", "不限"), *((str(k), v) for k, v in DIFFICULTIES.items())], default="")
    question_refs = TextAreaField("固定试卷的题目", validators=[Length(max=20000)], render_kw={"rows": 4},
                                  description="每行一个题目编号或题目键，按出题顺序排列")
    time_limit_min = IntegerField("答题限时（分钟）", validators=[Optional(), NumberRange(1, 360, "限时应在 1 到 360 分钟之间")],
                                  description="留空则不限时（竞赛结束时自动交卷）")
    attempts_allowed = IntegerField("每人可参加次数", default=1,
                                    validators=[InputRequired("请填写可参加次数"), NumberRange(1, 20, "可参加次数应在 1 到 20 之间")],
                                    description="多于 1 次时按最好的一次计成绩")
    feedback = SelectField("答案和解析", choices=list(FEEDBACK_CHOICES.items()), default="after_end")
    multiple_partial = BooleanField("多选题少选得一半分", default=True)
    participation_points = IntegerField("参与积分", default=0,
                                        validators=[InputRequired("请填写参与积分"), NumberRange(0, 100, "参与积分应在 0 到 100 之间")])
    placing_points = StringField("名次积分", validators=[Optional(), Length(max=100)],
                                 description="第 1、2、3… 名的积分，用逗号分隔，例如 10,6,3；留空则不设")
    branch_index = SelectField("支部排名指数", choices=list(BRANCH_INDEXES.items()), default="avg_x_rate",
                               description="平均分 × 参赛率：未参赛的党员按 0 分计，人多人少的支部同样公平")
    board_hidden = BooleanField("竞赛进行中隐藏排行榜（结束后公布）")
    announce = BooleanField("保存后立即发布（不勾选则存为草稿）", default=True)
    submit = SubmitField("保存")

    def set_choices(self, groups, category_paths: list[str], secretary: bool) -> None:
        self.groups.choices = [(group.id, f"{group.name}（{group.kind_label}）") for group in groups]
        self.category.choices = [("", "不限"), *((path, path) for path in category_paths)]
        if secretary:
            self.scope.choices = [("groups", "指定组织（含其下级组织）")]
            if not self.is_submitted():
                self.scope.data = "groups"
                self.groups.data = self.groups.data or [group.id for group in groups]  # the secretary's own

    def validate_placing_points(self, field) -> None:
        if field.data and not NUMBER_LIST.match(field.data):
            raise ValidationError("名次积分请填写用逗号分隔的整数，例如 10,6,3")

    def validate_groups(self, field) -> None:
        allowed = {value for value, _ in self.groups.choices}
        unknown = [value for value in field.data or [] if value not in allowed]
        if unknown:
            raise ValidationError(f"不能选择组织（编号 {unknown[0]}）")

    def validate_question_refs(self, field) -> None:
        if self.paper_kind.data == "fixed" and not _refs(field.data):
            raise ValidationError("固定试卷请至少填写 1 道题")

    def to_data(self) -> CompetitionData:
        fixed = self.paper_kind.data == "fixed"
        sections = [] if fixed else [
            {"type": kind, "count": getattr(self, f"count_{kind}").data, "points": getattr(self, f"points_{kind}").data,
             "category_path": self.category.data or None,
             "difficulty": int(self.difficulty.data) if self.difficulty.data else None}
            for kind in QUESTION_TYPES]
        return CompetitionData(
            title=self.title.data, description=self.description.data or "",
            whole_organisation=self.scope.data == "all", group_ids=list(self.groups.data or []),
            starts_at=_aware(self.starts_at.data), ends_at=_aware(self.ends_at.data),
            sections=sections, question_refs=_refs(self.question_refs.data) if fixed else None,
            points_by_type={kind: getattr(self, f"points_{kind}").data for kind in QUESTION_TYPES},
            time_limit_s=self.time_limit_min.data * 60 if self.time_limit_min.data else None,
            attempts_allowed=self.attempts_allowed.data, feedback=self.feedback.data,
            multiple_partial=self.multiple_partial.data, participation_points=self.participation_points.data,
            placing_points=[int(n) for n in re.split(r"[,，、\s]+", (self.placing_points.data or "").strip()) if n],
            branch_index=self.branch_index.data, board_hidden=self.board_hidden.data)

    def fill_from(self, competition: Competition) -> None:
        """Put a saved competition into the form (for editing)."""
        self.title.data, self.description.data = competition.title, competition.description
        self.scope.data = "all" if competition.whole_organisation else "groups"
        self.groups.data = [group.id for group in competition.scope_groups]
        self.starts_at.data, self.ends_at.data = _local(competition.starts_at), _local(competition.ends_at)
        self.paper_kind.data = "fixed" if competition.is_fixed_paper else "rule"
        self.question_refs.data = "\n".join(str(i) for i in competition.question_ids or [])
        for section in competition.rule.get("sections", []):
            getattr(self, f"points_{section['type']}").data = section["points"]
            if not competition.is_fixed_paper:
                getattr(self, f"count_{section['type']}").data = section["count"]
                self.category.data = section.get("category_path") or ""
                self.difficulty.data = str(section.get("difficulty") or "")
        self.time_limit_min.data = competition.time_limit_s // 60 if competition.time_limit_s else None
        self.attempts_allowed.data, self.feedback.data = competition.attempts_allowed, competition.feedback
        self.multiple_partial.data = competition.rule.get("multiple_partial", True)
        self.participation_points.data = competition.participation_points
        self.placing_points.data = ",".join(str(n) for n in competition.placing_points)
        self.branch_index.data, self.board_hidden.data = competition.branch_index, competition.board_hidden


def _refs(text: str | None) -> list[str]:
    return [ref for ref in re.split(r"[\s,，、]+", text or "") if ref]


def _aware(local: datetime | None) -> datetime | None:
    return local.replace(tzinfo=zone()).astimezone(timezone.utc) if local else None


def _local(moment: datetime) -> datetime:
    return moment.astimezone(zone()).replace(tzinfo=None)

"""Forms of the question bank pages: the filter bar, the question editor, categories and imports."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from question_bank.draft import DIFFICULTIES, OPTION_LETTERS, QUESTION_TYPES, STATUSES, QuestionDraft, RowError
from question_bank.export import draft_to_row
from question_bank.readers import SUPPORTED_EXTENSIONS
from question_bank.readers.fields import RawQuestion, build_draft
from question_bank.readers.headers import FIELD_LABELS
from quizapp.services.bank.imports import IMPORT_STATUSES, ON_DUPLICATE
from quizapp.services.bank.questions import problems_of
from quizapp.services.quality.item_stats import STAT_SORTS

OPTION_FIELDS = [f"option_{letter.lower()}" for letter in OPTION_LETTERS]
TEXT_FIELDS = ["stem", *OPTION_FIELDS, "answer", "explanation", "category", "tags", "quote", "key"]
# A problem's field (Chinese, as the validator names it) -> the form field showing it.
FIELD_BY_LABEL = {label: name for name, label in FIELD_LABELS.items()} | {"选项": "option_a"}


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class QuestionFilterForm(FlaskForm):
    """The filter bar of the question list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("题干", validators=[Optional(), Length(max=200)], render_kw={"placeholder": "搜索题干"})
    type = SelectField("题型", choices=[("", "全部题型"), *QUESTION_TYPES.items()], default="")
    category = SelectField("分类", choices=[("", "全部分类")], default="", validate_choice=False)
    status = SelectField("状态", choices=[("", "全部状态"), *STATUSES.items()], default="")
    source = SelectField("出处", choices=[("", "全部出处")], default="", coerce=_int_or_none, validate_choice=False)
    difficulty = SelectField("难度", choices=[("", "全部难度"), *((str(k), f"难度：{v}") for k, v in DIFFICULTIES.items())],
                             default="", coerce=_int_or_none)
    sort = SelectField("排序", choices=[("", "最新在前"), *STAT_SORTS.items()], default="")
    proportion = SelectField("正确率", choices=[("", "正确率不限"), ("20", "正确率低于20%"), ("50", "正确率低于50%")],
                             default="", coerce=_int_or_none)


class QuestionForm(FlaskForm):
    """Create or edit one question; parsed and validated exactly as an imported row is."""

    type = SelectField("题型", choices=list(QUESTION_TYPES.items()), default="single")
    stem = TextAreaField("题干", render_kw={"rows": 3},
                         description="填空题用（　）或 ___ 标出每个空")
    option_a = StringField("选项A")
    option_b = StringField("选项B")
    option_c = StringField("选项C")
    option_d = StringField("选项D")
    option_e = StringField("选项E")
    option_f = StringField("选项F")
    option_g = StringField("选项G")
    option_h = StringField("选项H")
    answer = StringField("答案", description="选择题填字母（如 B 或 ACD）；判断题填 对 或 错；"
                                     "填空题各空用；分隔，同一空的几个答案用 / 分隔")
    explanation = TextAreaField("解析", render_kw={"rows": 3})
    difficulty = SelectField("难度", choices=[(str(k), v) for k, v in DIFFICULTIES.items()], default="2")
    category = StringField("分类", description="用 / 表示层级，如 党史/百年奋斗；不存在的分类会自动建立",
                           render_kw={"list": "category-paths"})
    tags = StringField("标签", description="多个标签用逗号或空格分隔")
    source = SelectField("出处", coerce=int, choices=[(0, "（无）")], default=0, validate_choice=False)
    quote = TextAreaField("原文摘录", render_kw={"rows": 3})
    key = StringField("编号", description="题目的唯一编号；不填则自动生成")
    status = SelectField("状态", choices=list(STATUSES.items()), default="draft")
    submit = SubmitField("保存")

    def fill_from(self, draft: QuestionDraft, source_id: int | None) -> None:
        row = draft_to_row(draft)
        for name in TEXT_FIELDS:
            getattr(self, name).data = row.get(name, "")
        self.type.data, self.status.data = draft.type, draft.status
        self.difficulty.data = str(draft.difficulty)
        self.source.data = source_id or 0

    def to_draft(self) -> tuple[QuestionDraft, list[RowError]]:
        """The draft the form describes and every problem with it (parsing, then validation)."""
        raw = RawQuestion(row=0, values={name: getattr(self, name).data or "" for name in TEXT_FIELDS},
                          options=[getattr(self, name).data or "" for name in OPTION_FIELDS])
        raw.values.update(type=self.type.data, difficulty=self.difficulty.data, status=self.status.data)
        draft, errors = build_draft(raw, "")
        reported = {error.field for error in errors}
        return draft, errors + [e for e in problems_of([draft]) if e.field not in reported]

    def show_problems(self, problems: list[RowError]) -> list[str]:
        """Attach problems to their fields; return those that belong to no field."""
        loose = []
        for problem in problems:
            name = FIELD_BY_LABEL.get(problem.field)
            if name and hasattr(self, name):
                getattr(self, name).errors = [*getattr(self, name).errors, problem.message]
            else:
                loose.append(str(problem))
        return loose


class CategoryCreateForm(FlaskForm):
    path = StringField("新分类", validators=[DataRequired("请填写分类名称"), Length(max=200)],
                       render_kw={"placeholder": "如 党史/百年奋斗"},
                       description="用 / 表示层级；上级分类不存在时一并建立")
    submit = SubmitField("添加")


class CategoryRenameForm(FlaskForm):
    name = StringField("新名称", validators=[DataRequired("请填写新名称"), Length(max=100)])
    submit = SubmitField("改名")


class CategoryMoveForm(FlaskForm):
    parent = SelectField("移到", coerce=int, choices=[(0, "（顶层）")], validate_choice=False)
    submit = SubmitField("移动")


class ImportUploadForm(FlaskForm):
    file = FileField("题目文件", validators=[FileRequired("请选择要导入的文件")],
                     description="支持 " + " ".join(SUPPORTED_EXTENSIONS) + "；内容会先预览，确认后才导入",
                     render_kw={"accept": ",".join(SUPPORTED_EXTENSIONS)})
    submit = SubmitField("上传并预览")


class ImportConfirmForm(FlaskForm):
    on_duplicate = RadioField("重复题", choices=[(k, f"{v}重复题") for k, v in ON_DUPLICATE.items()],
                              default="skip")
    status = SelectField("导入为", choices=[("", "按文件中的状态")] + [(s, STATUSES[s]) for s in IMPORT_STATUSES],
                         default="")
    skip_invalid = BooleanField("只导入没有问题的题，跳过有问题的题")
    submit = SubmitField("确认导入")

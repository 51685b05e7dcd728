from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from quizapp.models import REGRADE_MODES, REPORT_REASONS

OUTCOME_CHOICES = [("fixed", "已修正（先修改并保存题目）"), ("retired", "停用这道题"), ("dismissed", "不采纳")]


class ReportForm(FlaskForm):
    reason = RadioField("纠错类型", choices=list(REPORT_REASONS.items()), validators=[InputRequired("请选择纠错类型")])
    text = TextAreaField("补充说明（选填）")
    back = StringField()


class ResolveForm(FlaskForm):
    outcome = SelectField("处理方式", choices=OUTCOME_CHOICES, validators=[InputRequired("请选择处理方式")])
    reply = TextAreaField("回复报告的党员")


class RegradeForm(FlaskForm):
    mode = SelectField("过去的作答", choices=list(REGRADE_MODES.items()), validators=[InputRequired("请选择评分方式")])
    reason = TextAreaField("原因（记录在案）", validators=[InputRequired("请写明原因")])

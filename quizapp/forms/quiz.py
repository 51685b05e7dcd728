from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired

from question_bank.draft import DIFFICULTIES, QUESTION_TYPES
from quizapp.services.quizzes.papers import EXAM_PRESETS, PRACTICE_SIZES


class PracticeStartForm(FlaskForm):
    category = SelectField("知识点", validate_choice=True)
    question_type = SelectField("题型", choices=[("", "不限"), *QUESTION_TYPES.items()])
    difficulty = SelectField("难度", choices=[("", "不限"), *((str(k), v) for k, v in DIFFICULTIES.items())])
    count = SelectField("题数", choices=[(str(n), f"{n} 题") for n in PRACTICE_SIZES], default="10",
                        validators=[InputRequired("请选择题数")])
    submit = SubmitField("开始练习")

    def set_categories(self, paths: list[str]) -> None:
        self.category.choices = [("", "全部知识点"), *((path, path) for path in paths)]


class ExamStartForm(FlaskForm):
    preset = RadioField("试卷", choices=[(key, rule.title) for key, rule in EXAM_PRESETS.items()], default="quick",
                        validators=[DataRequired("请选择试卷")])
    submit = SubmitField("开始考试")

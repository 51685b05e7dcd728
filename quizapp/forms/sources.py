from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class SourceCreateForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("请填写标题"), Length(max=300)])
    publication = StringField("出处（报刊）", validators=[Optional(), Length(max=100)])
    published_on = DateField("日期", validators=[Optional()])
    section = StringField("栏目", validators=[Optional(), Length(max=100)], default="每周一学",
                          description="例如：每周一学、党建")
    text = TextAreaField("正文", validators=[Optional()], render_kw={"rows": 12},
                         description="粘贴学习材料全文；也可以上传文件")
    upload = FileField("或上传文件（.txt / .md / .docx / .pdf）",
                       validators=[FileAllowed(["txt", "md", "docx", "pdf"], "只支持 .txt、.md、.docx 或 .pdf 文件")])
    submit = SubmitField("保存")

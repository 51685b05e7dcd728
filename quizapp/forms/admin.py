"""Forms of the admin pages: groups, users, roster import."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.models import GROUP_KINDS, ROLES

NO_GROUP = 0  # the select value for "none", since a SelectField with coerce=int cannot hold None


class ChineseForm(FlaskForm):
    """WTForms' own messages (e.g. 不是有效的选择) in Chinese, without Flask-Babel."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)


class GroupForm(ChineseForm):
    name = StringField("组织名称", validators=[DataRequired("请填写组织名称"), Length(max=100, message="组织名称最多 100 个字")])
    kind = SelectField("组织类型", choices=list(GROUP_KINDS.items()), default="branch")
    parent_id = SelectField("上级组织", coerce=int, default=NO_GROUP)
    submit = SubmitField("保存")


class SecretariesForm(ChineseForm):
    # Choices are checked in the view against the candidates, with a Chinese message.
    secretaries = SelectMultipleField("支部书记", coerce=int, validate_choice=False,
                                      widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    submit = SubmitField("保存书记")


class UserForm(ChineseForm):
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64, message="姓名最多 64 个字")])
    role = SelectField("角色", choices=list(ROLES.items()), default="member",
                       description="新添加的支部书记自动负责其所属支部；其他负责关系在「组织管理」中指定")
    group_id = SelectField("所属支部", coerce=int, default=NO_GROUP)
    submit = SubmitField("保存")


class UserCreateForm(UserForm):
    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=64, message="用户名最多 64 个字符")],
                           description="用于登录，不能重复，不能含空格")
    submit = SubmitField("创建")


class UserSearchForm(ChineseForm):
    """The filters of the user list, read from the query string."""

    class Meta:
        csrf = False

    q = StringField("姓名或用户名", validators=[Optional(), Length(max=64)])
    group_id = SelectField("组织", coerce=int, default=NO_GROUP)
    role = SelectField("角色", choices=[("", "全部角色"), *ROLES.items()], default="")
    status = SelectField("状态", choices=[("", "全部状态"), ("active", "正常"), ("inactive", "已停用")], default="")


class RosterUploadForm(ChineseForm):
    file = FileField("名单文件（.xlsx 或 .csv）", validators=[
        FileRequired("请选择名单文件"), FileAllowed(["xlsx", "csv"], "只支持 .xlsx 或 .csv 文件")])
    submit = SubmitField("检查并导入")


class DownloadForm(ChineseForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField("下载初始密码表")

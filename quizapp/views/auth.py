"""Log in, log out (on every device), change password."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from quizapp.extensions import limiter
from quizapp.forms.auth import LoginForm, PasswordChangeForm
from quizapp.services import AccountError, accounts

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    return "login-account:" + request.form.get("username", "").strip().lower()


def _failed(response) -> bool:
    return response.status_code != 302  # a successful login redirects


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
               methods=["POST"], deduct_when=_failed,
               error_message="该账号登录失败次数过多，请 15 分钟后再试。")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed,
               error_message="登录失败次数过多，请 15 分钟后再试。")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash("用户名或密码错误。", "danger")
    return render_template("auth/login.html", form=form)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.index")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ends every session of the user, so a session or remember cookie copied earlier stops working."""
    accounts.end_sessions(current_user)
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/sessions/end", methods=["POST"])
@login_required
def sign_out_everywhere():
    if not FlaskForm().validate_on_submit():
        abort(400)
    accounts.end_sessions(current_user)
    logout_user()
    flash("已在所有设备上退出登录，请重新登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.new.data)
        except AccountError as error:
            form.new.errors.append(str(error))
        else:
            remembered = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)  # this device stays in
            flash("密码已修改，其他设备上的登录已失效。", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)

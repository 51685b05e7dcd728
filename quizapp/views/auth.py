"""Log in, log out, change password."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.extensions import limiter
from quizapp.forms.auth import LoginForm, PasswordChangeForm
from quizapp.services import AccountError, accounts

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    payload = request.get_json(silent=True) if request.is_json else None
    username = payload.get("username") if isinstance(payload, dict) else request.form.get("username")
    return "login-account:" + (username if isinstance(username, str) else "").strip().lower()


def login_limits(failed):
    """The login rate limits (per account, per address), counting only attempts for which failed(response).

    Shared by this page and the API's POST /api/v1/tokens, so both draw on the same budget.
    """
    def decorator(view):
        view = limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], scope="login-address",
                                    methods=["POST"], deduct_when=failed,
                                    error_message="登录失败次数过多，请 15 分钟后再试。")(view)
        return limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], scope="login-account",
                                    key_func=_account_key, methods=["POST"], deduct_when=failed,
                                    error_message="该账号登录失败次数过多，请 15 分钟后再试。")(view)

    return decorator


@bp.route("/login", methods=["GET", "POST"])
@login_limits(lambda response: response.status_code != 302)  # a successful login redirects
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
    logout_user()
    flash("您已退出登录。", "info")
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
            flash("密码已修改。", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)

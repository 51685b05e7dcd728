"""Log in, log out (on every device), change password."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import parse as parse_limit

from quizapp.extensions import limiter
from quizapp.forms.auth import LoginForm, PasswordChangeForm
from quizapp.services import AccountError
from quizapp.services.people import accounts

bp = Blueprint("auth", __name__)
KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_ACCOUNTS_PER_DEVICE = 5  # a family's shared computer


ADDRESS_REFUSED = "登录失败次数过多，请 {minutes} 分钟后再试。"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Per address, failures are limited (a spray over many names). Per address and per account, every
    attempt is counted before the password is checked, in one atomic step of the limiter's storage, so
    that concurrent guesses cannot outrun the limits; a correct password gives the address its count back
    and resets the account's. A device where the account logged in before counts apart from all others:
    an attacker elsewhere cannot lock the owner out there."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        if not count_address():
            flash(ADDRESS_REFUSED.format(minutes=limit_minutes("LOGIN_LIMIT_PER_ADDRESS")), "danger")
            return render_template("auth/login.html", form=form), 429
        account = accounts.login_key(form.username.data)
        bucket = "known" if account in _known_accounts() else "new"
        if not count_attempt(account, bucket):
            flash(f"该账号登录失败次数过多，请 {limit_minutes()} 分钟后再试；"
                  "在以前登录过此账号的设备上可以照常登录。", "danger")
            return render_template("auth/login.html", form=form), 429
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            forget_attempts(account, bucket)
            login_user(user, remember=form.remember.data)
            response = redirect(_safe_next(request.args.get("next")))
            _remember_device(response, account)
            return response
        flash("用户名或密码错误。", "danger")
    return render_template("auth/login.html", form=form)


def _limit(setting: str = "LOGIN_LIMIT_PER_ACCOUNT"):
    return parse_limit(current_app.config[setting])


def _limits_on() -> bool:
    return current_app.config.get("RATELIMIT_ENABLED", True)


def limit_minutes(setting: str = "LOGIN_LIMIT_PER_ACCOUNT") -> int:
    return max(1, _limit(setting).get_expiry() // 60)


def count_address() -> bool:
    """Count one attempt from the client's address; False once it is over its limit. The login page and
    the API's token requests share the budget; a successful login gives its count back (refund_address),
    so only failures use it up (a branch logging in together from one office is not refused)."""
    return not _limits_on() or limiter.limiter.hit(_limit("LOGIN_LIMIT_PER_ADDRESS"), "login-address", get_remote_address())


def refund_address() -> None:
    if _limits_on():
        limiter.limiter.hit(_limit("LOGIN_LIMIT_PER_ADDRESS"), "login-address", get_remote_address(), cost=-1)


def count_attempt(account: str, bucket: str) -> bool:
    """Count one attempt; False once the account (on this kind of device) is over its limit. The API's
    token requests count in the "new" bucket (they carry no device cookie), on the same budget."""
    return not _limits_on() or limiter.limiter.hit(_limit(), "login-account", account, bucket)


def forget_attempts(account: str, bucket: str) -> None:
    """A correct password: the account's count starts again, and the address gets this attempt back."""
    if _limits_on():
        limiter.limiter.clear(_limit(), "login-account", account, bucket)
        refund_address()


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def _known_accounts() -> list[str]:
    """The accounts (login keys) that logged in on this device, from its signed cookie."""
    cookie = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not cookie:
        return []
    try:
        accounts_seen = _device_serializer().loads(cookie, max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400)
    except BadData:
        return []
    return [item for item in accounts_seen if isinstance(item, str)] if isinstance(accounts_seen, list) else []


def _remember_device(response, account: str) -> None:
    seen = [account] + [item for item in _known_accounts() if item != account]
    response.set_cookie(KNOWN_DEVICE_COOKIE, _device_serializer().dumps(seen[:KNOWN_ACCOUNTS_PER_DEVICE]),
                        max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])


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
            flash("密码已修改。其他设备上的登录已失效。", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)

"""Who calls the API: a Bearer access token, or (with no Authorization header) the browser's session.

A request authenticated by the session cookie that changes state must carry the page's CSRF token in
the X-CSRFToken header (as the pages' own fetches do), so a page on another site cannot act through a
member's browser; Bearer requests need none (a browser never adds the header by itself). The token
endpoints draw on the login page's rate limits.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import current_app, g, request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf.csrf import CSRFError

from quizapp.api import schemas
from quizapp.api.tokens import issue, revoke, rotate, user_of_access_token
from quizapp.errors import ApiError
from quizapp.extensions import csrf
from quizapp.models import User
from quizapp.models._types import utcnow
from quizapp.services.people import accounts
from quizapp.views.auth import ADDRESS_REFUSED, count_address, count_attempt, forget_attempts, limit_minutes

bp = Blueprint("api_tokens", __name__, url_prefix="/api/v1/tokens", description="令牌：用户名和密码换取访问令牌")
PUBLIC_ENDPOINTS = {"api_tokens.create", "api_tokens.refresh", "api_tokens.delete"}


def api_user() -> User:
    """The user of this API request (authenticate_request has run before every member view)."""
    return g.api_user


def authenticate_request() -> None:
    """before_request of the member API: a valid Bearer token of an active user, or a logged-in
    browser session (with the CSRF header when the request changes state), or 401."""
    header = request.headers.get("Authorization")
    if header is None and current_user.is_authenticated:
        _check_csrf()
        user = current_user._get_current_object()
    else:
        scheme, _, token = (header or "").partition(" ")
        user = None
        if scheme.lower() == "bearer" and token.strip():
            user = user_of_access_token(token.strip(), secret=current_app.config["SECRET_KEY"], now=utcnow())
    if user is None:
        raise ApiError(401, "invalid_token", "缺少访问令牌，或令牌无效、已过期、已撤销，请重新获取。")
    if user.must_change_password:
        raise ApiError(403, "password_change_required", "请先在网页上修改初始密码，再使用接口。")
    g.api_user = user


def _check_csrf() -> None:
    """As the pages: POST/PUT/PATCH/DELETE (WTF_CSRF_METHODS), unless CSRF is switched off (tests)."""
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return
    try:
        csrf.protect()
    except CSRFError as error:
        raise ApiError(400, "csrf_invalid", "缺少或无效的安全令牌（X-CSRFToken），请刷新页面后重试。") from error


@bp.route("", methods=["POST"], endpoint="create")
@bp.doc(security=[])
@bp.arguments(schemas.Credentials)
@bp.response(201, schemas.Tokens)
@bp.alt_response(401, schema=schemas.Error, description="用户名或密码错误")
@bp.alt_response(429, schema=schemas.Error, description="登录失败次数过多")
def create(credentials: dict):
    """用用户名和密码换取访问令牌（15 分钟）和刷新令牌（30 天）。与网页登录共用失败次数限制。"""
    if not count_address():
        raise ApiError(429, "rate_limited", ADDRESS_REFUSED.format(minutes=limit_minutes("LOGIN_LIMIT_PER_ADDRESS")))
    account = accounts.login_key(credentials["username"])
    if not count_attempt(account, "new"):
        raise ApiError(429, "rate_limited", f"该账号登录失败次数过多，请 {limit_minutes()} 分钟后再试。")
    user = accounts.authenticate(credentials["username"], credentials["password"])
    if user is None:
        raise ApiError(401, "bad_credentials", "用户名或密码错误。")
    forget_attempts(account, "new")
    return asdict(issue(user, secret=current_app.config["SECRET_KEY"], now=utcnow()))


@bp.route("/refresh", methods=["POST"], endpoint="refresh")
@bp.doc(security=[])
@bp.arguments(schemas.RefreshRequest)
@bp.response(201, schemas.Tokens)
@bp.alt_response(401, schema=schemas.Error, description="刷新令牌无效、已过期或已撤销")
def refresh(body: dict):
    """用刷新令牌换一对新令牌；旧的刷新令牌随即失效（再次使用会撤销该用户的全部令牌）。"""
    pair = rotate(body["refresh_token"], secret=current_app.config["SECRET_KEY"], now=utcnow())
    if pair is None:
        raise ApiError(401, "invalid_refresh_token", "刷新令牌无效、已过期或已撤销，请重新登录。")
    return asdict(pair)


@bp.route("", methods=["DELETE"], endpoint="delete")
@bp.doc(security=[])
@bp.arguments(schemas.RefreshRequest)
@bp.response(204)
@bp.alt_response(404, schema=schemas.Error, description="没有这个刷新令牌")
def delete(body: dict):
    """撤销刷新令牌，以及用它取得的访问令牌（退出登录）。"""
    if not revoke(body["refresh_token"], now=utcnow()):
        raise ApiError(404, "unknown_refresh_token", "没有这个刷新令牌。")
    return None

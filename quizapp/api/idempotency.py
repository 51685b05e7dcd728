"""The Idempotency-Key header of the API's state-changing requests (POST/PUT), in one decorator.

    @bp.route(...)
    @idempotent(bp)
    @bp.arguments(...) / @bp.response(...)

A request with a key runs once: its status and JSON body are kept per (user, key) (services.idempotency)
and a retry with the same key gets them again (header Idempotent-Replayed: true) without running the
view, so a replayed old save never overwrites a newer answer and a replayed submit scores once.
"""
from __future__ import annotations

import functools
import re

from flask import current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from quizapp.api import schemas
from quizapp.api.auth import api_user
from quizapp.errors import ApiError
from quizapp.extensions import db
from quizapp.models._types import utcnow
from quizapp.services import idempotency

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,100}")
PARAMETER = {"in": "header", "name": HEADER, "required": False,
             "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[\\x21-\\x7e]+$"},
             "description": "幂等键（如 UUID，1–100 个可见 ASCII 字符）：同一用户用同一个键重发的请求不再执行，"
                            "直接返回第一次的状态码和内容（响应头 Idempotent-Replayed: true）。保留 7 天。"}


def idempotent(bp: Blueprint):
    def decorate(view):
        @functools.wraps(view)
        def run(*args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            if not KEY_PATTERN.fullmatch(key):
                raise ApiError(400, "idempotency_key_invalid", "Idempotency-Key 须为 1–100 个可见 ASCII 字符。")
            return _once(view, key, args, kwargs)

        run = Blueprint.doc(parameters=[PARAMETER])(run)
        run = bp.alt_response(400, schema=schemas.Error, description="Idempotency-Key 格式不正确")(run)
        run = bp.alt_response(409, schema=schemas.Error, description="同一 Idempotency-Key 的请求仍在处理中")(run)
        return bp.alt_response(422, schema=schemas.Error, description="Idempotency-Key 已用于另一个请求")(run)

    return decorate


def _once(view, key: str, args, kwargs):
    user_id, now = api_user().id, utcnow()
    print_ = idempotency.fingerprint(request.method, request.path, request.get_data())
    stored = idempotency.claim(user_id, key, print_, now=now)
    if stored is not None:
        return _replay(stored, print_)
    try:
        response = current_app.make_response(view(*args, **kwargs))
    except HTTPException as error:
        db.session.rollback()
        response = current_app.make_response(current_app.handle_user_exception(error))
    except Exception:
        idempotency.release(user_id, key)
        raise
    if response.status_code < 500 and response.is_json:
        idempotency.store(user_id, key, print_, response.status_code, response.get_data(as_text=True), now=now)
    else:
        idempotency.release(user_id, key)
    return response


def _replay(stored: idempotency.Stored, print_: str):
    if stored.fingerprint != print_:
        raise ApiError(422, "idempotency_key_reused", "这个 Idempotency-Key 已用于另一个请求，请为每个新请求使用新的键。")
    if stored.status_code is None:
        raise ApiError(409, "idempotency_key_in_progress", "相同的请求正在处理中，请稍后再试。")
    return current_app.response_class(stored.body, status=stored.status_code, mimetype="application/json",
                                      headers={"Idempotent-Replayed": "true"})

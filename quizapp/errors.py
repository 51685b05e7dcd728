"""Chinese error pages; under /api/ errors as JSON {"error": {"code": ..., "message": ...}}."""
from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "请求有误",
    401: "请先登录",
    403: "没有权限访问此页面",
    404: "页面不存在",
    405: "不支持此操作",
    409: "操作与当前状态冲突",
    413: "上传的文件太大",
    422: "提交的内容有误",
    429: "操作过于频繁，请稍后再试",
    500: "服务器出错了，请稍后再试",
}
# The API's stable error codes by HTTP status; an ApiError names a more precise one.
API_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid_input",
             429: "rate_limited", 500: "server_error"}


class ApiError(HTTPException):
    """An API refusal with its own stable code and Chinese message, e.g. ApiError(409, "attempt_closed", "...")."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.fields = fields


def _render(code: int, error=None, detail: str = ""):
    message = MESSAGES.get(code, "出错了")
    if request.path.startswith("/api/"):
        return _api_body(code, error, detail or message), code
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=message, detail=detail), code
    return render_template("errors/error.html", code=code, message=message, detail=detail), code


def _api_body(code: int, error, message: str):
    body = {"code": getattr(error, "error_code", None) or API_CODES.get(code, "error"), "message": message}
    fields = getattr(error, "fields", None) or _field_problems(error)
    if fields:
        body["fields"] = fields
    return jsonify(error=body)


# marshmallow's English messages, as the member's client shows them
FIELD_MESSAGES = {"Missing data for required field.": "缺少此项", "Unknown field.": "不认识的字段",
                  "Field may not be null.": "不能为空"}


def _field_problems(error) -> dict:
    """webargs puts a request's validation errors in error.data["messages"] as {location: {field: [..]}}."""
    messages = (getattr(error, "data", None) or {}).get("messages") or {}
    found = {}
    for problems in messages.values():
        for field, texts in (problems.items() if isinstance(problems, dict) else ()):
            text = texts[0] if isinstance(texts, list) and texts and isinstance(texts[0], str) else ""
            found[field] = FIELD_MESSAGES.get(text, "格式不正确或取值不允许")
    return found


def register(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: _render(code, e, _detail(e)))
    app.register_error_handler(ApiError, lambda e: _render(e.code, e, e.description))
    app.register_error_handler(CSRFError, lambda e: _render(400, e, "表单已过期或缺少安全令牌，请刷新页面后重试。"))


def _detail(error) -> str:
    if getattr(error, "code", None) == 413:
        return f"一次上传不能超过 {_size(current_app.config['MAX_CONTENT_LENGTH'])}。"
    if getattr(error, "code", None) == 422 and _field_problems(error):
        return "提交的内容有误：" + "；".join(f"{field}：{text}" for field, text in _field_problems(error).items())
    description = getattr(error, "description", "") or ""
    # Werkzeug's default descriptions are English; show only our own Chinese details.
    return description if any("\u4e00" <= ch <= "\u9fff" for ch in description) else ""


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} KB"

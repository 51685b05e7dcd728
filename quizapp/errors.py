"""Chinese error pages; a JSON error for a request that asks for JSON (the boards' polling)."""
from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: "请求有误",
    403: "没有权限访问此页面",
    404: "页面不存在",
    405: "不支持此操作",
    413: "上传的文件太大",
    429: "操作过于频繁，请稍后再试",
    500: "服务器出错了，请稍后再试",
}


def _render(code: int, detail: str = ""):
    message = MESSAGES.get(code, "出错了")
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=message, detail=detail), code
    return render_template("errors/error.html", code=code, message=message, detail=detail), code


def register(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: _render(code, _detail(e)))
    app.register_error_handler(CSRFError, lambda e: _render(400, "表单已过期或缺少安全令牌，请刷新页面后重试。"))


def _detail(error) -> str:
    if getattr(error, "code", None) == 413:
        return f"一次上传不能超过 {_size(current_app.config['MAX_CONTENT_LENGTH'])}。"
    description = getattr(error, "description", "") or ""
    # Werkzeug's default descriptions are English; show only our own Chinese details.
    return description if any("\u4e00" <= ch <= "\u9fff" for ch in description) else ""


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} KB"

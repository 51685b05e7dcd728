"""The versioned JSON API under /api/v1/ (flask-smorest): OpenAPI 3.1 at /api/v1/openapi.json and a
Swagger UI at /api/v1/docs served from the swagger-ui-py package's files (no CDN)."""
from __future__ import annotations

from pathlib import Path

import swagger_ui
from flask import Blueprint, Flask, send_from_directory
from flask_smorest import Api

from quizapp.api import schemas
from quizapp.extensions import csrf

SWAGGER_UI_FILES = Path(swagger_ui.__file__).parent / "static"
assets = Blueprint("api_docs_assets", __name__, url_prefix="/api/v1/docs/assets")


@assets.route("/<path:filename>")
def asset(filename: str):
    return send_from_directory(SWAGGER_UI_FILES, filename, max_age=86400)


class QuizApi(Api):
    """quizapp/errors.py answers every error, under /api/ as JSON: no second handler from flask-smorest."""

    ERROR_SCHEMA = schemas.Error

    def _register_error_handlers(self):
        return None


def register(app: Flask) -> None:
    from quizapp.api import auth, member, offline, pwa

    app.config.update(API_TITLE="学习答题接口", API_VERSION="v1", OPENAPI_VERSION="3.1.0",
                      OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
                      OPENAPI_SWAGGER_UI_PATH="docs", OPENAPI_SWAGGER_UI_URL="/api/v1/docs/assets/")
    api = QuizApi(app, spec_kwargs={"security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in (auth.bp, member.bp, offline.bp):
        csrf.exempt(blueprint)  # auth.py checks CSRF itself, for requests authenticated by the session cookie
        api.register_blueprint(blueprint)
    app.register_blueprint(assets)
    app.register_blueprint(pwa.bp)

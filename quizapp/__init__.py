"""学习答题 (以测促学): the web application."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, session
from flask_login import user_loaded_from_cookie
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import config as config_module
from quizapp import database
from quizapp.extensions import bootstrap, csrf, db, limiter, login_manager, migrate
from quizapp.services import audit, clock

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("QUIZAPP_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
    )
    _load_config(app, test_config)
    _trust_proxies(app)
    clock.use_timezone(app.config["TIMEZONE"])
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(config_module.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.from_environment())
        _require_secret_key(app)
    else:
        app.config.update(test_config)
    app.config.update(config_module.cookie_settings(app.config))
    uri = app.config["SQLALCHEMY_DATABASE_URI"] or f"sqlite:///{Path(app.instance_path) / 'quizapp.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.database_url(uri)
    if uri.startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def _require_secret_key(app: Flask) -> None:
    """Refuse to build an app that could sign forgeable cookies. The flask commands alone may run
    without a key: `flask init-db` is what writes one into the instance folder on a new machine."""
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or config_module.read_key_file(app.instance_path)
    problem = config_module.secret_key_problem(app.config["SECRET_KEY"])
    if not problem:
        return
    if app.config["SECRET_KEY"] or os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        raise config_module.SecretKeyError(config_module.secret_key_message(problem))

    @app.before_request
    def refuse_without_key():  # `flask run` before init-db: serve nothing that needs a session
        return config_module.secret_key_message(problem), 503, {"Content-Type": "text/plain; charset=utf-8"}


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies the client's address is the one they add to X-Forwarded-For
    (the login limits count per address); without them every client would share the proxy's address."""
    if (proxies := app.config["TRUSTED_PROXIES"]) > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _init_extensions(app: Flask) -> None:
    app.json.ensure_ascii = False  # JSON answers carry Chinese as written (the boards, the API's messages)
    db.init_app(app)
    with app.app_context():
        database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = app.config["SESSION_PROTECTION"]
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "warning"
    login_manager.needs_refresh_message = "为了安全，请重新登录。"
    user_loaded_from_cookie.connect(_bind_remembered_session, app)
    audit.log_to_stderr()


def _bind_remembered_session(_app: Flask, user) -> None:
    """A session restored from the remember cookie gets the identifier that "strong" session protection
    checks; without it the next request took the session for a stolen one and logged the device out."""
    session["_id"] = login_manager._session_identifier_generator()


def _register_blueprints(app: Flask) -> None:
    from quizapp import api, cli, errors, headers, input_guard, templating
    from quizapp.permissions import password_change_gate
    from quizapp.views import (
        admin,
        admin_audit,  # noqa: F401  (adds the audit log and points pages to admin.bp)
        auth,
        competition_manage,  # noqa: F401  (adds the organisers' pages to competitions.bp)
        competitions,
        groups,
        main,
        progress,
        questions,
        quiz,
        reports,
        sources,
    )

    input_guard.register(app)  # first: the blueprints' rules bind its id converter
    for module in (auth, main, admin, groups, quiz, questions, sources, progress, competitions, reports):
        app.register_blueprint(module.bp)
    app.before_request(password_change_gate)
    errors.register(app)
    headers.register(app)
    templating.register(app)
    cli.register(app)
    api.register(app)

"""学习答题 (以测促学): the web application."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from quizapp import config as config_module, database
from quizapp.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

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
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(config_module.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.from_environment())
    else:
        app.config.update(test_config)
    uri = app.config["SQLALCHEMY_DATABASE_URI"] or f"sqlite:///{Path(app.instance_path) / 'quizapp.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.database_url(uri)
    if uri.startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def _init_extensions(app: Flask) -> None:
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


def _register_blueprints(app: Flask) -> None:
    from quizapp import api, cli, errors, templating
    from quizapp.permissions import password_change_gate
    from quizapp.views import admin, auth, competitions, groups, main, progress, questions, quiz, sources

    for module in (auth, main, admin, groups, quiz, questions, sources, progress, competitions):
        app.register_blueprint(module.bp)
    app.before_request(password_change_gate)
    errors.register(app)
    templating.register(app)
    cli.register(app)
    api.register(app)

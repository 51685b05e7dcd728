"""flask commands that set an installation up: the database, the first admin, demo data."""
from __future__ import annotations

import random

import click
from flask import current_app
from flask_migrate import upgrade

from quizapp import config
from quizapp.cli.common import fail
from quizapp.demo import DEMO_LOGINS, DEMO_PASSWORD, seed, seed_history
from quizapp.extensions import db
from quizapp.models._types import utcnow
from quizapp.services import AccountError
from quizapp.services.bank import bundle
from quizapp.services.bank.imports import QuestionImportError
from quizapp.services.people import accounts


@click.command("init-db", help="把数据库升级到最新结构，并载入内置学习材料和题库。")
def init_db():
    _ensure_secret_key()
    upgrade()
    try:
        report = bundle.load_bundled()
    except QuestionImportError as error:
        fail(str(error))
    click.echo(f"数据库已就绪。内置学习材料新增 {report.sources_added} 篇；内置题库：{report.summary()}")


def _ensure_secret_key() -> None:
    """A machine with no key configured gets a random one of its own (never a published default)."""
    if current_app.config["SECRET_KEY"]:
        return
    path = config.write_key_file(current_app.instance_path)
    click.echo(f"已生成随机会话密钥：{path}（请勿提交或外传；生产环境请改用 QUIZAPP_SECRET_KEY）")


@click.command("create-admin", help="创建管理员账号。")
@click.option("--username", prompt="用户名", help="登录用的用户名")
@click.option("--name", default="管理员", show_default=True, help="显示的姓名")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt=True, help="登录密码")
def create_admin(username: str, name: str, password: str):
    try:
        accounts.check_new_password(password, username)
        accounts.create_user(username, name, role="admin", password=password)
    except AccountError as error:
        fail(str(error))
    click.echo(f"管理员「{username}」已创建。")


@click.command("seed-demo", help="创建演示数据（可重复运行）：一个党委、两个支部、书记和党员，以及最近几周的答题记录。")
def seed_demo():
    click.echo("演示数据已创建。" if seed(db.session) else "演示数据已存在，未做更改。")
    history = seed_history(db.session, now=utcnow(), rng=random.Random(2024))
    click.echo(history.skipped or f"已生成最近 {history.days} 天的 {history.attempts} 次答题记录。")
    click.echo("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
    for username, label in DEMO_LOGINS:
        click.echo(f"  {username:<12} {label}")


COMMANDS: list = [init_db, create_admin, seed_demo]

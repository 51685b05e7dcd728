"""flask --app quizapp <command>: database set-up, accounts, demo data."""
from __future__ import annotations

import random

import click
from flask import Flask
from flask_migrate import upgrade

from quizapp.extensions import db
from quizapp.services import AccountError, accounts


def register(app: Flask) -> None:
    from quizapp import cli_bank, cli_competitions, cli_progress, cli_quiz

    for command in [init_db, create_admin, seed_demo, *cli_bank.COMMANDS, *cli_quiz.COMMANDS,
                    *cli_progress.COMMANDS, *cli_competitions.COMMANDS]:
        app.cli.add_command(command)


@click.command("init-db")
def init_db():
    """Migrate the database to the newest schema and load the bundled question bank."""
    from quizapp.services import bank
    from quizapp.services.imports import QuestionImportError

    upgrade()
    try:
        added, report = bank.load_bundled()
    except QuestionImportError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"数据库已就绪。内置学习材料新增 {added} 篇；内置题库：{report.summary()}")


@click.command("create-admin")
@click.option("--username", prompt="用户名")
@click.option("--name", default="管理员", show_default=True)
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt=True)
def create_admin(username: str, name: str, password: str):
    """Create an administrator account."""
    try:
        accounts.check_new_password(password, username)
        accounts.create_user(username, name, role="admin", password=password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"管理员「{username}」已创建。")


@click.command("seed-demo")
def seed_demo():
    """Create the demo organisation (idempotent): one 党委, two 支部, secretaries and members."""
    from quizapp.demo import DEMO_LOGINS, DEMO_PASSWORD, seed, seed_history
    from quizapp.models._types import utcnow

    click.echo("演示数据已创建。" if seed(db.session) else "演示数据已存在，未做更改。")
    history = seed_history(db.session, now=utcnow(), rng=random.Random(2024))
    click.echo(history.skipped or f"已生成最近 {history.days} 天的 {history.attempts} 次答题记录。")
    click.echo("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
    for username, label in DEMO_LOGINS:
        click.echo(f"  {username:<12} {label}")

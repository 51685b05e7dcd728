"""flask --app quizapp backup [DIR] / restore FILE: copies of the whole database, and putting one back.

- SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent snapshot of the live
  file while the app keeps running; a restore copies the backup over the database the same way, after
  checking the backup is an intact database of this app, and first backs the current one up.
- PostgreSQL: pg_dump -Fc (custom format, consistent under load: one snapshot) and pg_restore --clean.
  The password goes to the tools in PGPASSWORD, never on their command line.
- Retention: --keep N removes all but the newest N backups in the directory (names sort by time).

Self-contained on purpose (registered by quizapp.cli like the other command modules).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import URL, make_url

from quizapp.cli.common import fail

PREFIX = "quizapp-"
SUFFIXES = {"sqlite": ".sqlite", "postgresql": ".dump"}


@click.command("backup", help="备份数据库到 DIR（默认 instance/backups）。SQLite 在线备份，PostgreSQL 用 pg_dump。")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--keep", type=click.IntRange(min=1), default=None, help="只保留最新的 N 份备份，删除更早的")
def backup(directory: Path | None, keep: int | None):
    url = _database_url()
    directory = directory or Path(current_app.instance_path) / "backups"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{PREFIX}{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}{SUFFIXES[_kind(url)]}"
    if _kind(url) == "sqlite":
        backup_sqlite(Path(url.database), target)
    else:
        _run_tool("pg_dump", ["--format=custom", "--no-owner", f"--file={target}"], url)
    removed = prune(directory, _kind(url), keep) if keep else []
    click.echo(f"已备份到 {target}（{target.stat().st_size / 1024:.0f} KB）。"
               + (f"按 --keep {keep} 删除了 {len(removed)} 份较早的备份。" if removed else ""))


@click.command("restore", help="用备份文件 FILE 覆盖当前数据库（先自动备份当前数据库）。")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="不再询问，直接恢复")
def restore(file: Path, yes: bool):
    url = _database_url()
    if not file.is_file():
        fail(f"备份文件 {file} 不存在。")
    if not yes and not click.confirm(f"将用 {file.name} 覆盖当前数据库，此前的数据会被替换。继续吗？", default=False):
        fail("已取消，数据库未改动。")
    if _kind(url) == "sqlite":
        problem = check_sqlite_backup(file)
        if problem:
            fail(f"不能恢复 {file}：{problem}")
        database = Path(url.database)
        if database.exists():
            safety = database.with_name(f"{database.stem}-before-restore-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.sqlite")
            backup_sqlite(database, safety)
            click.echo(f"恢复前已把当前数据库备份到 {safety}。")
        backup_sqlite(file, database)
    else:
        _run_tool("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(file)], url)
    click.echo(f"已从 {file} 恢复数据库。请重启应用，并运行 flask --app quizapp db upgrade 以防备份早于当前版本。")


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy the SQLite database `source` to `target` as one consistent snapshot (online: writers of
    other connections wait at most for the copy; the copy is written beside and renamed into place)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source) as origin, sqlite3.connect(partial) as copy:
        origin.backup(copy)  # all pages in one step: one read transaction, one snapshot
    copy.close()
    origin.close()
    os.replace(partial, target)


def check_sqlite_backup(file: Path) -> str | None:
    """Why `file` is not an intact backup of this app's database (None: it is)."""
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as connection:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return "文件已损坏（完整性检查未通过）"
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        connection.close()
    except sqlite3.DatabaseError:
        return "不是 SQLite 数据库文件"
    if not {"alembic_version", "user", "attempt"} <= tables:
        return "不是本系统的数据库备份（缺少 user / attempt / alembic_version 表）"
    return None


def prune(directory: Path, kind: str, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups of this kind in `directory`; returns the removed."""
    backups = sorted(directory.glob(f"{PREFIX}*{SUFFIXES[kind]}"))
    removed = backups[:-keep] if len(backups) > keep else []
    for path in removed:
        path.unlink()
    return removed


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in SUFFIXES:
        fail(f"不支持备份 {backend} 数据库（只支持 SQLite 和 PostgreSQL）。")
    if backend == "sqlite" and not url.database:
        fail("内存中的 SQLite 数据库无法备份。")
    return backend


def _run_tool(tool: str, arguments: list[str], url: URL) -> None:
    program = shutil.which(tool)
    if program is None:
        fail(f"未找到 {tool}：请安装 PostgreSQL 客户端工具（Debian/Ubuntu：apt install postgresql-client，"
             "版本不低于服务器）后重试。")
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    command = [program, *arguments, f"--dbname={plain}"]
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{tool} 失败（退出码 {result.returncode}）：", result.stderr.strip()[-2000:])


COMMANDS: list = [backup, restore]

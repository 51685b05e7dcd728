"""flask commands of the question bank: import-questions and export-questions."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from question_bank.draft import STATUSES
from question_bank.export import write_json, write_xlsx
from quizapp.cli.common import Choice, fail
from quizapp.extensions import db
from quizapp.models import Category
from quizapp.services.imports import (
    IMPORT_STATUSES,
    ON_DUPLICATE,
    ImportReport,
    QuestionImportError,
    import_file,
    limits_from_config,
    parse_mapping,
)
from quizapp.services.questions import drafts_for_export

WRITERS = {".json": write_json, ".xlsx": write_xlsx}
DUPLICATES_SHOWN = 20


def _echo_duplicates(report: ImportReport) -> None:
    if not report.duplicates:
        return
    click.echo(f"重复题 {len(report.duplicates)} 道：")
    for duplicate in report.duplicates[:DUPLICATES_SHOWN]:
        click.echo(f"  第{duplicate.row}行：{duplicate.reason}")
    if len(report.duplicates) > DUPLICATES_SHOWN:
        click.echo(f"  ……另有 {len(report.duplicates) - DUPLICATES_SHOWN} 道")


@click.command("import-questions", help="导入题目文件（.xlsx .csv .txt .docx .json .gift .aiken）："
                                        "全部检查通过才写入，有错则一道也不写入。")
@click.argument("file")
@click.option("--dry-run", is_flag=True, help="只检查并报告，不写入数据库")
@click.option("--status", type=Choice(IMPORT_STATUSES), help="所有题目以此状态导入（默认按文件）")
@click.option("--map", "pairs", multiple=True, metavar="表头=字段", help="指定无法识别的表头，如 题目内容=题干")
@click.option("--on-duplicate", type=Choice(list(ON_DUPLICATE)), default="skip", show_default=True,
              help="重复题（编号相同，或题型和题干相同）跳过还是更新")
def import_questions(file: str, dry_run: bool, status: str | None, pairs: tuple[str, ...], on_duplicate: str):
    if not Path(file).is_file():
        fail(f"文件不存在：{file}")
    try:
        report = import_file(Path(file), Path(file).name, mapping=parse_mapping(list(pairs)),
                             limits=limits_from_config(current_app.config), status=status,
                             on_duplicate=on_duplicate, dry_run=dry_run)
    except QuestionImportError as error:
        fail(str(error))
    if not report.ok:
        hint = [f"无法识别的表头：{'、'.join(report.unknown_headers)}（可用 --map 表头=字段 指定）"]
        fail(*map(str, report.errors), *(hint if report.unknown_headers else []), report.summary())
    _echo_duplicates(report)
    if report.new_categories:
        click.echo(f"{'将' if dry_run else '已'}新建分类：{'、'.join(report.new_categories)}")
    click.echo(report.summary())


@click.command("export-questions", help="把题目导出为 .json 或 .xlsx 文件（列与导入模板相同）。")
@click.argument("file")
@click.option("--status", type=Choice(list(STATUSES)), help="只导出此状态的题目")
@click.option("--category", default="", help="只导出此分类及其下级分类，如 党史/百年奋斗")
def export_questions(file: str, status: str | None, category: str):
    writer = WRITERS.get(Path(file).suffix.lower())
    if writer is None:
        fail(f"只能导出为 .json 或 .xlsx 文件：{file}")
    category = category.strip().strip("/")
    if category and db.session.scalar(select(Category.id).where(Category.path == category)) is None:
        fail(f"分类「{category}」不存在。")
    drafts = drafts_for_export(status or "", category)
    writer(drafts, file)
    click.echo(f"已导出 {len(drafts)} 道题：{file}")


COMMANDS: list = [import_questions, export_questions]

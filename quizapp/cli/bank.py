"""flask commands of the question bank: import-questions and export-questions."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from question_bank.draft import STATUSES
from question_bank.export import write_json, write_xlsx
from question_bank.problems import error_report_xlsx, group_by_reason
from quizapp.cli.common import Choice, fail
from quizapp.extensions import db
from quizapp.models import Category
from quizapp.services.bank.imports import (
    IMPORT_STATUSES,
    ON_DUPLICATE,
    ImportReport,
    QuestionImportError,
    import_file,
    limits_from_config,
    parse_mapping,
)
from quizapp.services.bank.questions import drafts_for_export

WRITERS = {".json": write_json, ".xlsx": write_xlsx}
DUPLICATES_SHOWN = 20
ERRORS_SHOWN = 20


def _echo_duplicates(report: ImportReport) -> None:
    if not report.duplicates:
        return
    click.echo(f"重复题 {len(report.duplicates)} 道：")
    for duplicate in report.duplicates[:DUPLICATES_SHOWN]:
        match = f"（题库中的 #{duplicate.existing_id}）" if duplicate.existing_id else ""
        click.echo(f"  第{duplicate.row}行：{duplicate.reason}{match}")
    if len(report.duplicates) > DUPLICATES_SHOWN:
        click.echo(f"  ……另有 {len(report.duplicates) - DUPLICATES_SHOWN} 道")


def _problem_lines(report: ImportReport, report_file: str | None) -> list[str]:
    """A summary first (counts by type, problems grouped by reason), then at most 20 problems."""
    lines = [f"读到 {report.total} 道题（{report.type_summary() or '无'}），发现 {len(report.errors)} 个问题："]
    lines += [f"  {group.line()}" for group in group_by_reason(report.errors)[:ERRORS_SHOWN]]
    lines += ["前几个问题："] + [f"  {error}" for error in report.errors[:ERRORS_SHOWN]]
    rest = len(report.errors) - ERRORS_SHOWN
    if rest > 0:
        where = f"完整列表已写入 {report_file}" if report_file else "用 --report 文件.xlsx 保存完整列表"
        lines.append(f"  ……另有 {rest} 个问题，{where}")
    if report.unknown_headers:
        lines.append(f"无法识别的表头或字段：{'、'.join(report.unknown_headers)}（可用 --map 表头=字段 指定）")
    return lines


def _write_report(report: ImportReport, report_file: str | None) -> None:
    if report_file:
        Path(report_file).write_bytes(error_report_xlsx(report.errors))


@click.command("import-questions", help="导入题目文件（.xlsx .csv .txt .md .docx .json .js .vue .xml .gift .aiken）："
                                        "默认全部检查通过才写入；--skip-invalid 只导入没有问题的题。")
@click.argument("file")
@click.option("--dry-run", is_flag=True, help="只检查并报告，不写入数据库")
@click.option("--status", type=Choice(IMPORT_STATUSES), help="所有题目以此状态导入（默认按文件）")
@click.option("--map", "pairs", multiple=True, metavar="表头=字段", help="指定无法识别的表头或字段，如 题目内容=题干")
@click.option("--on-duplicate", type=Choice(list(ON_DUPLICATE)), default="skip", show_default=True,
              help="重复题（编号相同，或题型、题干和选项都相同）跳过、更新还是作为新题导入")
@click.option("--skip-invalid", is_flag=True, help="导入没有问题的题，跳过有问题的题")
@click.option("--report", "report_file", metavar="文件.xlsx", help="把全部问题写入此 .xlsx（文件、行、字段、问题）")
def import_questions(file: str, dry_run: bool, status: str | None, pairs: tuple[str, ...], on_duplicate: str,
                     skip_invalid: bool, report_file: str | None):
    if not Path(file).is_file():
        fail(f"文件不存在：{file}")
    try:
        report = import_file(Path(file), Path(file).name, mapping=parse_mapping(list(pairs)),
                             limits=limits_from_config(current_app.config), status=status,
                             on_duplicate=on_duplicate, dry_run=dry_run, skip_invalid=skip_invalid)
    except QuestionImportError as error:
        fail(str(error))
    if report.found:
        click.echo(f"文件内容：{report.found}")
    for warning in report.warnings:
        click.echo(f"提示：{warning}")
    _write_report(report, report_file)
    if not report.ok:
        fail(*_problem_lines(report, report_file), report.summary())
    if report.errors:
        click.echo("\n".join(_problem_lines(report, report_file)))
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

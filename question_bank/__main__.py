"""Command line: python -m question_bank validate|convert|generate ...

    validate FILE... [--map 表头=字段 ...] [--report R.xlsx]
                                          counts by type and the health report of the files as one
                                          bank, or the problems (exit 1): all of them when few, else
                                          grouped by reason and the first 20; --report writes every
                                          one to an .xlsx
    convert IN OUT [--map 表头=字段 ...]   read any supported format, write .json or .xlsx
    generate TEXT_FILE -o OUT.json        candidate questions from a study text
    generate --report DIR [--sheet S.csv|.xlsx] [--marks M.csv]
                                          per text drafts by type and structure, a sheet to
                                          mark each draft, and the marked rates
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from question_bank.draft import QUESTION_TYPES
from question_bank.export import write_json, write_xlsx
from question_bank.health import bank_health
from question_bank.problems import error_report_xlsx, group_by_reason
from question_bank.readers import ReadResult, read_questions

WRITERS = {".json": write_json, ".xlsx": write_xlsx}


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, separator, field = pair.partition("=")
        if not separator or not header.strip():
            raise SystemExit(f"表头映射「{pair}」应写成 表头=字段，如 题目内容=stem")
        mapping[header.strip()] = field.strip()
    return mapping


def _read(path: str, pairs: list[str]) -> ReadResult:
    if not Path(path).is_file():
        raise SystemExit(f"找不到文件：{path}")
    return read_questions(path, path, mapping=_mapping(pairs))


ERRORS_SHOWN = 20


def _report_problems(results: list[ReadResult], report_file: str | None = None) -> int:
    """Every problem when there are few; else a summary grouped by reason and the first 20."""
    errors = [error for result in results for error in result.errors]
    if report_file:
        Path(report_file).write_bytes(error_report_xlsx(errors))
    many = len(errors) > ERRORS_SHOWN
    if many:
        print(f"{'；'.join(_summary(result) for result in results)}，发现 {len(errors)} 个问题：")
        print("\n".join(f"  {group.line()}" for group in group_by_reason(errors)[:ERRORS_SHOWN]))
        print("前几个问题：")
    for error in errors[:ERRORS_SHOWN]:
        print(f"  {error}" if many else error)
    if many:
        where = f"完整列表已写入 {report_file}" if report_file else "用 --report 文件.xlsx 保存完整列表"
        print(f"  ……另有 {len(errors) - ERRORS_SHOWN} 个问题，{where}")
    for result in results:
        if result.unknown_headers:
            print(f"无法识别的表头：{'、'.join(result.unknown_headers)}（可用 --map 表头=字段 指定）")
    print(f"共 {len(errors)} 个问题，未导入任何题目。")
    return 1


def _summary(result: ReadResult) -> str:
    counts = result.counts_by_type()
    parts = "，".join(f"{QUESTION_TYPES[code]} {count}" for code, count in counts.items())
    return f"共 {len(result.drafts)} 道题：{parts}"


def validate_command(args: argparse.Namespace) -> int:
    """Each file is checked on its own; the health report judges them together, as one bank (a bank
    kept in several files, such as the bundled one, is guessable or near-duplicate as a whole)."""
    results = [_read(path, args.map) for path in args.files]
    for result in results:
        for warning in result.warnings:
            print(f"提示：{warning}")
    if any(result.errors for result in results):
        return _report_problems([result for result in results if result.errors], args.report)
    for path, result in zip(args.files, results):
        print(_summary(result) if len(results) == 1 else f"{path}：{_summary(result)}")
    print("\n".join(bank_health([draft for result in results for draft in result.drafts]).lines()))
    return 0


def convert_command(args: argparse.Namespace) -> int:
    writer = WRITERS.get(Path(args.output).suffix.lower())
    if writer is None:
        raise SystemExit(f"只能转换为 {' 或 '.join(WRITERS)} 文件：{args.output}")
    result = _read(args.input, args.map)
    if result.errors:
        return _report_problems([result])
    writer(result.drafts, args.output)
    print(f"{_summary(result)}；已写入 {args.output}")
    return 0


def generate_command(args: argparse.Namespace) -> int:
    from question_bank.generate import GenerateError, generate_file

    if args.report:
        return report_command(args)
    if not args.text_file or not args.output:
        raise SystemExit("请给出学习材料文件和 -o 输出文件，或用 --report 目录 生成质量报告")
    try:
        count = generate_file(args.text_file, args.output)
    except GenerateError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"已生成 {count} 道候选题：{args.output}")
    return 0


def report_command(args: argparse.Namespace) -> int:
    from question_bank import quality

    folder = Path(args.report)
    if not folder.is_dir():
        raise SystemExit(f"找不到目录：{args.report}")
    reports = quality.draft_folder(folder)
    for line in quality.summary_lines(reports):
        print(line)
    marks = {}
    if args.marks:
        try:
            marks = quality.read_marks(args.marks)
        except (OSError, ValueError, KeyError) as error:
            raise SystemExit(f"标注文件读不了：{error}") from None
        rates = quality.measure(reports, marks)
        print(f"已标注 {rates.marked} 道：正确 {rates.share('correct'):.1%}，"
              f"有缺陷 {rates.share('flawed'):.1%}，错误 {rates.share('wrong'):.1%}；"
              f"未标注 {len(rates.unmarked)} 道")
    sheet = args.sheet or "drafting_report.csv"
    quality.write_sheet(quality.sheet_rows(reports, marks), sheet)
    print(f"标注表：{sheet}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m question_bank", description="题库文件工具")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="检查题目文件（几个文件合起来做题库体检）")
    validate.add_argument("files", nargs="+", metavar="file")
    validate.add_argument("--map", action="append", default=[], metavar="表头=字段")
    validate.add_argument("--report", metavar="文件.xlsx", help="把全部问题写入此 .xlsx（文件、行、字段、问题）")
    validate.set_defaults(run=validate_command)
    convert = commands.add_parser("convert", help="转换题目文件格式（按扩展名）")
    convert.add_argument("input")
    convert.add_argument("output")
    convert.add_argument("--map", action="append", default=[], metavar="表头=字段")
    convert.set_defaults(run=convert_command)
    generate = commands.add_parser("generate", help="从学习材料生成候选题")
    generate.add_argument("text_file", nargs="?")
    generate.add_argument("-o", "--output")
    generate.add_argument("--report", metavar="目录", help="对目录中每篇 .txt/.md 出题并报告")
    generate.add_argument("--sheet", metavar="标注表", help="标注表文件（.csv 或 .xlsx）")
    generate.add_argument("--marks", metavar="标注.csv", help="已有的标注，用来计算正确率")
    generate.set_defaults(run=generate_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

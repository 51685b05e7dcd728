"""Benchmark: importing a 10,000-question .xlsx, and a 5,000-question JSON bank exported by another
app, each against openpyxl's bare read of the same bank as .xlsx.

    .venv/bin/python bench/import_bank.py [--questions 10000] [--foreign-questions 5000] [--rounds 3]
    .venv/bin/python bench/import_bank.py --guards     # only the bounded-reading guards

With --guards it instead times the refusal of hostile .xlsx files, each in a fresh process that reads
it with question_bank.readers (file-size limit lifted): 27.6 million empty rows without <dimension>,
bare (<row/>) and numbered (<row r="…" spans="1:2"/>), refused by the declared sizes and, with those
checks off ("streamed"), by the rows counted while streaming; and 1,000,000 rows of data. Each must be
refused in under 5 s and 300 MB.

Each round runs, in fresh processes: openpyxl's bare read (read-only mode, every row iterated; timed
inside its process); the import as the 导入 page runs it, in an app already started (read, validate,
plan and write; timed inside its process, like the bare read; the judged ratio); and the full CLI import
(`flask --app quizapp import-questions`, timed from outside, so interpreter and app start-up count, about
2 s of it: printed, not judged), each into a new SQLite file. The import's peak memory is the
child's own high-water mark (VmHWM, written by the child as it exits): its ru_maxrss would also count this
process's memory, which a child inherits across fork and exec. Medians are reported (see shared/DESIGN.md).

The project's bytecode is compiled once before the rounds, into a temporary PYTHONPYCACHEPREFIX, as an
installed deployment has it: a machine that sets PYTHONDONTWRITEBYTECODE would otherwise recompile
every module of the app in every round.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from question_bank.draft import QuestionDraft, SourceRef  # noqa: E402
from question_bank.export import write_xlsx  # noqa: E402

RATIO_TARGET = 2.5
MEMORY_TARGET_MB = 300
GUARD_SECONDS = 5
CATEGORIES = [f"党史/{era}/{topic}" for era in ("新民主主义革命时期", "社会主义革命和建设时期", "改革开放", "新时代")
              for topic in ("重要会议", "重要人物", "重要文献", "理论创新", "党的建设")]
SOURCES = [SourceRef(title=f"每周一学第{n}期", section="每周一学", date=f"2023-{n % 12 + 1:02d}-01") for n in range(20)]

# Run first in every child: at exit, write the child's peak resident memory (kB) to BENCH_PEAK_FILE.
RECORD_PEAK = """
import atexit as _atexit, os as _os
def _record_peak():
    with open("/proc/self/status") as _status:
        _kb = next(int(_line.split()[1]) for _line in _status if _line.startswith("VmHWM:"))
    with open(_os.environ["BENCH_PEAK_FILE"], "w") as _out:
        _out.write(str(_kb))
_atexit.register(_record_peak)
"""
# `python -c RUN_MODULE module args…` runs the module as `python -m module args…` would.
RUN_MODULE = RECORD_PEAK + """
import runpy, sys
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""

# Timed inside the child, so the reference leaves out interpreter start-up (the import does not).
BARE_READ = """
import sys, time, openpyxl
start, cpu_start = time.perf_counter(), time.process_time()
workbook = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = sum(1 for sheet in workbook.worksheets for _ in sheet.iter_rows(values_only=True))
workbook.close()
print(time.perf_counter() - start, time.process_time() - cpu_start)
"""
# Reads a hostile .xlsx as the importer does; prints the seconds spent and the first problem.
GUARD_READ = """
import sys, time
from question_bank.readers import Limits, read_questions
data = open(sys.argv[1], "rb").read()
declared = sys.argv[2] == "declared"  # else the declared-size checks are off: only streaming counts
limits = Limits(max_bytes=len(data)) if declared else Limits(
    max_bytes=len(data), max_compression_ratio=10 ** 9, max_unzipped_bytes=10 ** 12)
start = time.perf_counter()
result = read_questions(data, "题库.xlsx", limits=limits)
print(time.perf_counter() - start, len(result.drafts), result.errors[0].message if result.errors else "")
"""
# The import as the 导入 page runs it, in an app already started: read, validate, plan and write,
# timed inside the child like the bare read (the CLI round below also counts start-up).
IN_APP_IMPORT = """
import sys, time
from pathlib import Path
from quizapp import create_app
from quizapp.services.bank.imports import import_file, limits_from_config
app = create_app()
with app.app_context():
    start, cpu_start = time.perf_counter(), time.process_time()
    report = import_file(Path(sys.argv[1]), Path(sys.argv[1]).name, limits=limits_from_config(app.config))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
assert report.ok and report.created, report.summary()
print(elapsed, cpu)
"""
CREATE_SCHEMA = """
from quizapp import create_app
from quizapp.extensions import db
with create_app().app_context():
    db.create_all()
"""


def make_draft(number: int, rng: random.Random) -> QuestionDraft:
    kind = ("single", "multiple", "judge", "fill")[number % 4]
    stem = f"第{number}题：关于党的历史，下列说法中符合史实的是（　）。{'学习' * rng.randint(0, 20)}"
    draft = QuestionDraft(type=kind, stem=stem, explanation="解析：" + "以史为鉴，开创未来。" * rng.randint(1, 6),
                          difficulty=rng.randint(1, 3), category=rng.choice(CATEGORIES), tags=["党史", f"标签{number % 50}"],
                          source=rng.choice(SOURCES), quote="原文摘录" * rng.randint(0, 10), key=f"B-{number:05d}")
    if kind in ("single", "multiple"):
        draft.options = [f"选项{letter}：第{number}题的第{index + 1}个说法" for index, letter in enumerate("ABCD")]
        draft.answer = ["B"] if kind == "single" else sorted(rng.sample("ABCD", 2))
    elif kind == "judge":
        draft.stem, draft.answer = f"第{number}题：遵义会议是党的历史上生死攸关的转折点。", rng.random() < 0.5
    else:
        draft.stem, draft.answer = f"第{number}题：为中国人民谋（　），为中华民族谋（　）。", [["幸福"], ["复兴"]]
    return draft


TYPE_CODES = {"single": 1, "multiple": 2, "judge": 3, "fill": 4}


def foreign_record(number: int, draft: QuestionDraft) -> dict:
    """The draft as another quiz app exports it: English field names, a numeric type code, the answer
    as letters (choices), 正确/错误 (judge) or the blanks' words, fields of its own that we ignore."""
    if draft.type == "judge":
        answer = "正确" if draft.answer else "错误"
    elif draft.type == "fill":
        answer = "；".join(blank[0] for blank in draft.answer)
    else:
        answer = "".join(draft.answer)
    record = {"id": number, "type": TYPE_CODES[draft.type], "content": draft.stem, "answer": answer,
              "analysis": draft.explanation, "chapter": draft.category, "score": 2, "createTime": "2024-05-01"}
    if draft.options:
        record["options"] = [f"{letter}. {text}" for letter, text in zip("ABCD", draft.options)]
    return record


@dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system: steadier than wall time on a shared machine
    peak_mb: float
    output: str


def run_measured(args: list[str], env: dict) -> Run:
    """Time, CPU time, peak resident memory and output of one child process.

    ``args`` is [python, "-c", code, …] or [python, "-m", module, …].
    """
    python, flag, target, *rest = args
    code = RECORD_PEAK + target if flag == "-c" else RUN_MODULE
    child = [python, "-c", code, *rest] if flag == "-c" else [python, "-c", code, target, *rest]
    with tempfile.NamedTemporaryFile(prefix="bench-peak-") as peak_file:
        start = time.perf_counter()
        process = subprocess.Popen(child, env={**env, "BENCH_PEAK_FILE": peak_file.name}, cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        output = process.stdout.read().decode()
        process.stdout.close()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{' '.join(args)} failed:\n{output}")
        peak_kb = int(Path(peak_file.name).read_text())
    return Run(elapsed, usage.ru_utime + usage.ru_stime, peak_kb / 1024, output)


def compiled_environment(cache: Path) -> dict:
    """The children's environment, with the project's modules byte-compiled into `cache`."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(cache), QUIZAPP_SECRET_KEY=secrets.token_hex(32))
    subprocess.run([sys.executable, "-m", "compileall", "-q", "quizapp", "question_bank"], env=env, cwd=ROOT, check=True)
    return env


def fresh_database(folder: Path, name: str, env: dict) -> dict:
    """The environment of a child that works on a new, empty SQLite database under `folder`."""
    instance = folder / f"instance-{name}"
    round_env = {**env, "QUIZAPP_DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite'}",
                 "QUIZAPP_INSTANCE_PATH": str(instance)}
    subprocess.run([sys.executable, "-c", CREATE_SCHEMA], env=round_env, cwd=ROOT, check=True)
    return round_env


def import_round(bank: Path, folder: Path, number: int, env: dict) -> tuple[Run, Run]:
    """The import inside a started app (timed inside), then the CLI import (timed from outside)."""
    in_app = run_measured([sys.executable, "-c", IN_APP_IMPORT, str(bank)],
                          fresh_database(folder, f"{bank.suffix[1:]}-app-{number}", env))
    flask = [sys.executable, "-m", "flask", "--app", "quizapp", "import-questions", str(bank)]
    return in_app, run_measured(flask, fresh_database(folder, f"{bank.suffix[1:]}-cli-{number}", env))


def measure(bank: Path, workbook: Path, folder: Path, rounds: int, env: dict) -> tuple[list, list, list]:
    """Per round: openpyxl's bare read of `workbook`, then the import of `bank` in a started app and
    by the CLI. The first two are (wall, cpu) timed inside their process."""
    bare, in_app, cli = [], [], []
    for number in range(rounds):
        wall, cpu = run_measured([sys.executable, "-c", BARE_READ, str(workbook)], env).output.split()
        bare.append((float(wall), float(cpu)))
        app_run, cli_run = import_round(bank, folder, number, env)
        in_app.append(tuple(float(figure) for figure in app_run.output.split()[-2:]))
        cli.append(cli_run)
        print(f"round {number + 1}: bare read {bare[-1][0]:.2f} s (cpu {bare[-1][1]:.2f}), "
              f"import in the app {in_app[-1][0]:.2f} s (cpu {in_app[-1][1]:.2f}), "
              f"CLI with start-up {cli_run.seconds:.2f} s (cpu {cli_run.cpu_seconds:.2f}), "
              f"peak {max(app_run.peak_mb, cli_run.peak_mb):.0f} MB")
    return bare, in_app, cli


def guards(folder: Path, env: dict) -> None:
    """Time and peak memory of refusing each hostile file, in a fresh process each."""
    from tests.question_bank.filemakers import make_huge_sheet, numbered_rows

    numbered_empty = lambda first, count: b"".join(b'<row r="%d" spans="1:2"/>' % n  # noqa: E731
                                                   for n in range(first, first + count))
    empty, numbered = make_huge_sheet(27_600_000), make_huge_sheet(27_600_000, numbered_empty)
    cases = [("27.6M empty rows", empty, "declared"), ("27.6M empty rows, streamed", empty, "streamed"),
             ("27.6M numbered empty rows", numbered, "declared"),
             ("27.6M numbered empty rows, streamed", numbered, "streamed"),
             ("1,000,000 rows of data", make_huge_sheet(1_000_000, numbered_rows), "declared")]
    for name, data, checks in cases:
        path = folder / "hostile.xlsx"
        path.write_bytes(data)
        run = run_measured([sys.executable, "-c", GUARD_READ, str(path), checks], env)
        seconds, drafts, message = run.output.strip().split(" ", 2)
        ok = float(seconds) < GUARD_SECONDS and run.peak_mb < MEMORY_TARGET_MB and drafts == "0"
        print(f"bench guard {name} ({len(data) / 1024 / 1024:.1f} MiB): refused in {float(seconds):.2f} s "
              f"(target < {GUARD_SECONDS}), peak_memory_mb = {run.peak_mb:.0f} (target < {MEMORY_TARGET_MB}) "
              f"{'ok' if ok else 'SHORT'}\n  {message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10000)
    parser.add_argument("--foreign-questions", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--guards", action="store_true", help="only time the refusal of hostile .xlsx files")
    options = parser.parse_args()
    if options.guards:
        with tempfile.TemporaryDirectory(prefix="bench-guards-") as tmp:
            guards(Path(tmp), compiled_environment(Path(tmp) / "pycache"))
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        env = compiled_environment(folder / "pycache")
        rng = random.Random(2021)
        drafts = [make_draft(n, rng) for n in range(1, max(options.questions, options.foreign_questions) + 1)]
        workbook = folder / "bank.xlsx"
        write_xlsx(drafts[: options.questions], workbook)
        print(f"{options.questions} questions, {workbook.stat().st_size / 1024 / 1024:.1f} MiB")
        report("import_bank", *measure(workbook, workbook, folder, options.rounds, env), options.rounds)

        foreign = drafts[: options.foreign_questions]
        foreign_xlsx, foreign_json = folder / "foreign.xlsx", folder / "foreign.json"
        write_xlsx(foreign, foreign_xlsx)
        records = [foreign_record(number, draft) for number, draft in enumerate(foreign, start=1)]
        foreign_json.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        print(f"{options.foreign_questions} questions as another app's JSON, "
              f"{foreign_json.stat().st_size / 1024 / 1024:.1f} MiB (reference: the same bank's .xlsx)")
        report("import_bank foreign_json", *measure(foreign_json, foreign_xlsx, folder, options.rounds, env),
               options.rounds)


def report(name: str, bare: list[tuple[float, float]], in_app: list[tuple[float, float]], cli: list[Run],
           rounds: int) -> None:
    bare_s = statistics.median(wall for wall, _ in bare)
    import_s = statistics.median(wall for wall, _ in in_app)
    cpu_ratio = statistics.median(cpu for _, cpu in in_app) / statistics.median(cpu for _, cpu in bare)
    cli_s = statistics.median(run.seconds for run in cli)
    peak = max(run.peak_mb for run in cli)
    ratio = import_s / bare_s
    print(f"bare_read_s = {bare_s:.2f}, import_s = {import_s:.2f} in a started app (medians of {rounds}); "
          f"cpu-time ratio {cpu_ratio:.2f}; the CLI with interpreter and app start-up {cli_s:.2f} s "
          f"({cli_s / bare_s:.2f}x)")
    print(f"bench {name}: import_s/bare_read_s = {ratio:.2f} (target <= {RATIO_TARGET}) "
          f"{'ok' if ratio <= RATIO_TARGET else 'SHORT'}")
    print(f"bench {name}: peak_memory_mb = {peak:.0f} (target < {MEMORY_TARGET_MB}) "
          f"{'ok' if peak < MEMORY_TARGET_MB else 'SHORT'}")


if __name__ == "__main__":
    main()

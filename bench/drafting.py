"""Benchmark: drafting questions from a 6,000-character text (rule-based path), target < 2 s.

    .venv/bin/python bench/drafting.py [--texts DIR] [--chars 6000] [--rounds 5]

The text is the .txt files of DIR (default ../shared/texts-dev, third-party texts kept outside the
repository) joined and cut to --chars characters, so it holds real lists, definitions and dated
events. "cold" is the first call in a fresh process, timed inside it: jieba's dictionary and the
traditional-to-simplified converter load during it, as on the first 生成候选题 after a restart.
"warm" is the median of --rounds further calls in this process. Both print with the target.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from question_bank.draft import SourceRef  # noqa: E402
from question_bank.generate import draft_text  # noqa: E402

TARGET_S = 2.0
COLD = """
import sys, time
sys.path.insert(0, {root!r})
text = open({path!r}, encoding="utf-8").read()
started = time.perf_counter()
from question_bank.draft import SourceRef
from question_bank.generate import draft_text
drafts = draft_text(text, SourceRef(title="bench", file="bench.txt")).drafts
print(time.perf_counter() - started, len(drafts))
"""


def bench_text(folder: Path, chars: int) -> str:
    parts = [path.read_text(encoding="utf-8-sig") for path in sorted(folder.glob("*.txt"))]
    if not parts:
        raise SystemExit(f"no .txt files in {folder}")
    text = "\n".join(parts)
    return (text * (chars // len(text) + 1))[:chars]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", default=str(ROOT.parent / "shared" / "texts-dev"))
    parser.add_argument("--chars", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    text = bench_text(Path(args.texts), args.chars)
    scratch = ROOT / ".bench_drafting.txt"
    scratch.write_text(text, encoding="utf-8")
    try:
        cold = subprocess.run([sys.executable, "-c", COLD.format(root=str(ROOT), path=str(scratch))],
                              capture_output=True, text=True, check=True).stdout.split()
    finally:
        scratch.unlink()
    source = SourceRef(title="bench", file="bench.txt")
    draft_text(text, source)  # load jieba and the converter in this process
    times = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        drafts = draft_text(text, source).drafts
        times.append(time.perf_counter() - started)
    warm = statistics.median(times)
    print(f"text: {len(text)} characters from {args.texts}")
    print(f"cold (fresh process, imports + jieba + converter load + drafting): {float(cold[0]):.2f} s, "
          f"{cold[1]} drafts")
    print(f"warm (median of {args.rounds}): {warm:.3f} s, {len(drafts)} drafts")
    print(f"target < {TARGET_S:.0f} s: cold {'met' if float(cold[0]) < TARGET_S else 'NOT met'}, "
          f"warm {'met' if warm < TARGET_S else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Run every benchmark script in this folder, one after another, each in its own process.

Usage: ``python benchmarks/run.py [--quick] [name ...]`` (names like ``build``, ``cli``,
``traverse``). Each script prints its own table; measurements are ratios against a baseline in
the same run. ``--quick`` is passed to the scripts that take it (``bench_cli.py``: the curated
store only, about a minute).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


#: Scripts that take ``--quick``.
QUICK = {"bench_cli"}


def main(names: list[str]) -> int:
    quick = "--quick" in names
    names = [n for n in names if n != "--quick"]
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    failures = 0
    for script in scripts:
        print(f"\n# {script.stem}\n", flush=True)
        extra = ["--quick"] if quick and script.stem in QUICK else []
        result = subprocess.run([sys.executable, str(script), *extra], check=False)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

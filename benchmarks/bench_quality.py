"""Benchmark: answer quality against independent ground truth (issue 12), and how long it takes.

Prints the table of ``careerkg evaluate`` (each measure beside its baseline, tuned on the dev
half, reported on the test half) and the seconds each measure took. Needs an imported store:

    careerkg import all ../shared/datasets --store /tmp/eval-store
    python benchmarks/bench_quality.py --store /tmp/eval-store [--only related,crosswalk]

Without ``--store`` it imports ``../shared/datasets`` into a temporary store first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rich.console import Console

from careerkg.cli.evaluate import row_notes, rows_table
from careerkg.quality import MEASURES, evaluate
from careerkg.store import OxigraphStore

DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def run(store_path: Path, measures: list[str], sample: int | None) -> None:
    store = OxigraphStore(store_path, read_only=True)
    rows, seconds = [], {}
    for name in measures:
        started = time.perf_counter()
        rows += evaluate(store, [name], free_text_sample=sample)
        seconds[name] = time.perf_counter() - started
    console = Console(width=250)
    console.print(rows_table(rows))
    for line in row_notes(rows):
        console.print(f"  {line}", soft_wrap=True)
    console.print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an imported store folder (opened read-only)")
    parser.add_argument("--only", help="comma-separated measures: " + ", ".join(MEASURES))
    parser.add_argument("--sample", type=int, default=2000, help="free-text labels per half (0: all)")
    args = parser.parse_args()
    measures = args.only.split(",") if args.only else list(MEASURES)
    if args.store:
        run(args.store, measures, args.sample or None)
        return
    from careerkg.imports import import_all

    if not DATASETS.is_dir():
        print(f"skipped: no {DATASETS} (give --store an imported store)")
        return
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-quality-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        import_all(store, DATASETS, progress=False)
        store.close()
        run(Path(tmp) / "store", measures, args.sample or None)


if __name__ == "__main__":
    main()

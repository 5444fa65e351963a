"""Benchmark: full curated + O*NET + ESCO + crosswalk import.

Runs each measurement in its own subprocess (so peak memory is that run's own) and prints a
markdown table:

- careerkg: ``import_all`` into a new embedded Oxigraph store on disk (the default store kind);
- baseline: the same pipeline into rdflib's memory store (``open_store("memory")``);
- raw floor: pyoxigraph bulk-loading the N-Quads exported from the careerkg store (the same
  graph), into a new on-disk store.

Times are wall-clock medians; CPU is user + system time of all the run's threads (careerkg
overlaps its Python work with Oxigraph's bulk loads, so on a busy machine CPU tells how much
work each pipeline does). Triples are counted after the timed part.

Usage: .venv/bin/python benchmarks/bench_import.py [--datasets ../shared/datasets] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(mode: str, datasets: Path, work: Path) -> dict[str, float]:
    if mode == "floor":
        import pyoxigraph as ox

        cpu, started = _cpu_seconds(), time.perf_counter()
        store = ox.Store(str(work / "floor-store"))
        store.bulk_load(path=str(work / "full.nq"), format=ox.RdfFormat.N_QUADS)
        store.flush()
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        triples = len(store)  # counted outside the timed part, like the others
    else:
        from careerkg.imports import import_all
        from careerkg.store import open_store

        cpu, started = _cpu_seconds(), time.perf_counter()
        store = open_store("memory" if mode == "baseline" else work / "store")
        import_all(store, datasets, progress=False)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        triples = store.count()
    if mode == "careerkg":
        store.dump(work / "full.nq")
    return {"seconds": seconds, "cpu": cpu, "peak_mib": _peak_mib(), "triples": triples}


def measure(mode: str, datasets: Path, work: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", mode, "--datasets", str(datasets), "--work", str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true", help="skip the rdflib-memory run")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.datasets, args.work)))
        return
    if not (args.datasets / "onet").is_dir():
        print(f"| skipped: no datasets at {args.datasets} |")
        return
    results: dict[str, list[dict[str, float]]] = {"careerkg": [], "floor": [], "baseline": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="careerkg-bench-") as tmp:
            work = Path(tmp)
            results["careerkg"].append(measure("careerkg", args.datasets, work))
            results["floor"].append(measure("floor", args.datasets, work))
            if not args.no_baseline:
                results["baseline"].append(measure("baseline", args.datasets, work))

    def med(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in results[mode])

    ours = med("careerkg", "seconds")
    print(f"Full import of {args.datasets} (curated + O*NET + ESCO + crosswalk), median of {args.repeat}\n")
    print("| pipeline | time (s) | CPU (s) | peak RSS (MiB) | triples | time vs careerkg |")
    print("|---|---:|---:|---:|---:|---:|")
    labels = {
        "careerkg": "careerkg import_all -> Oxigraph on disk",
        "floor": "raw floor: pyoxigraph bulk_load of the exported N-Quads",
        "baseline": "baseline: same pipeline -> rdflib memory store",
    }
    for mode in ("careerkg", "floor", "baseline"):
        if not results[mode]:
            continue
        seconds = med(mode, "seconds")
        print(
            f"| {labels[mode]} | {seconds:.1f} | {med(mode, 'cpu'):.1f} | {med(mode, 'peak_mib'):.0f} | "
            f"{int(med(mode, 'triples')):,} | {seconds / ours:.2f}x |"
        )
    print()
    runs = ", ".join(f"{r['seconds']:.1f}" for r in results["careerkg"])
    floors = ", ".join(f"{r['seconds']:.1f}" for r in results["floor"])
    print(f"careerkg runs: {runs} s; raw floor runs: {floors} s")
    print(f"careerkg / raw floor = {ours / med('floor', 'seconds'):.2f} (goal <= 2, aim <= 1.5)")
    print(f"careerkg CPU / raw floor CPU = {med('careerkg', 'cpu') / med('floor', 'cpu'):.2f}")
    if results["baseline"] and med("baseline", "triples") != med("careerkg", "triples"):
        print("WARNING: the baseline and careerkg hold different numbers of triples")
    if results["baseline"]:
        print(f"baseline / careerkg = {med('baseline', 'seconds') / ours:.2f} (goal >= 3)")
    print(f"careerkg peak = {med('careerkg', 'peak_mib') / 1024:.2f} GiB (goal <= 2), time goal <= 60 s")


if __name__ == "__main__":
    main()

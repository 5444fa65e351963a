"""Benchmark: building the curated graph, and reading a career profile back.

Measures the default store (embedded Oxigraph on disk) against rdflib's in-memory store in the
same run and prints a table with the ratios. Run: ``python benchmarks/bench_build.py``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from careerkg import CareerGraph
from careerkg.data.build import validate_data
from careerkg.store import MemoryStore, OxigraphStore

REPEAT = 5


def _median_seconds(func, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []
    validate = _median_seconds(validate_data, 3)
    rows.append(("validate data/ (YAML + references + SHACL)", f"{validate * 1000:.0f} ms", "-", "-"))

    with tempfile.TemporaryDirectory(prefix="careerkg-bench-") as tmp:
        counter = iter(range(1000))

        def build_oxigraph() -> None:
            kg = CareerGraph.open(OxigraphStore(Path(tmp) / f"s{next(counter)}"), autobuild=False)
            kg.build()
            kg.close()

        def build_memory() -> None:
            kg = CareerGraph.open(MemoryStore(), autobuild=False)
            kg.build()

        ox_build = _median_seconds(build_oxigraph)
        mem_build = _median_seconds(build_memory)
        rows.append(
            (
                "build curated graph",
                f"{ox_build * 1000:.0f} ms",
                f"{mem_build * 1000:.0f} ms",
                f"{mem_build / ox_build:.2f}x",
            )
        )

        store_dir = Path(tmp) / "kept"
        oxigraph = CareerGraph.open(OxigraphStore(store_dir))
        memory = CareerGraph.open(MemoryStore())
        triples = oxigraph.store.count()
        rows.append(("triples", f"{triples:,}", f"{memory.store.count():,}", "-"))
        rows.append(("store size on disk", f"{_folder_size(store_dir) / 2**20:.1f} MiB", "(memory)", "-"))

        def profile(kg: CareerGraph) -> None:
            kg.career("machine learning engineer")

        ox_show = _median_seconds(lambda: profile(oxigraph), 20)
        mem_show = _median_seconds(lambda: profile(memory), 20)
        rows.append(
            (
                "career profile (show) warm",
                f"{ox_show * 1000:.1f} ms",
                f"{mem_show * 1000:.1f} ms",
                f"{mem_show / ox_show:.1f}x",
            )
        )
        stats_ox = _median_seconds(oxigraph.stats, 5)
        stats_mem = _median_seconds(memory.stats, 5)
        rows.append(
            (
                "stats counts",
                f"{stats_ox * 1000:.1f} ms",
                f"{stats_mem * 1000:.1f} ms",
                f"{stats_mem / stats_ox:.1f}x",
            )
        )
        oxigraph.close()

    print("## Build and read (curated data)\n")
    print("| measurement | default store (Oxigraph on disk) | baseline (rdflib memory) | speed-up |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

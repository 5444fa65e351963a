"""Benchmark careerkg traversal on the full imported graph (curated + O*NET + ESCO + crosswalk).

    .venv/bin/python benchmarks/bench_traverse.py [--store DIR] [--datasets DIR] [--repeat N]

Without --store, the graph is imported from ../shared/datasets into a temporary on-disk store
(about a minute); rows whose data is absent are skipped. Every row is measured next to a
baseline in the same run, with the ratio (baseline / careerkg):

- views: first build (nothing cached) vs loading the pickles from disk vs the in-memory cache;
- related / similar / gap: warm careerkg call vs the same answer computed with SPARQL per call;
- paths: warm call vs the same search with the career-career view rebuilt per call;
- cold CLI: a new ``careerkg`` process per call, store on disk, views already cached, against
  the same call when the views must be rebuilt (``careerkg path``, which builds both).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from careerkg import CareerGraph, NotFound  # noqa: E402
from careerkg.network.build import career_career_graph  # noqa: E402
from careerkg.network.traverse import paths  # noqa: E402
from careerkg.network.views import Views  # noqa: E402
from careerkg.store import OxigraphStore  # noqa: E402
from careerkg.store.cache import StateCache  # noqa: E402

CAREERS = ["15-1252.00", "29-1141.00", "software engineer", "11-1021.00", "15-2051.00"]
PAIRS = [
    ("software engineer", "machine learning engineer"),
    ("15-1252.00", "15-2051.00"),
    ("29-1141.00", "11-9111.00"),
    ("data analyst", "data scientist"),
]

SIMILAR_SPARQL = """
SELECT ?o (SUM(?w) AS ?shared) WHERE {
  { $c ckg:essentialSkill ?s } UNION { $c ckg:optionalSkill ?s }
  { ?o ckg:essentialSkill ?s BIND(1.0 AS ?w) } UNION { ?o ckg:optionalSkill ?s BIND(0.5 AS ?w) }
  FILTER(?o != $c)
} GROUP BY ?o ORDER BY DESC(?shared) LIMIT 10"""

GAP_SPARQL = """
SELECT ?s ?label ?held WHERE {
  { $b ckg:essentialSkill ?s } UNION { $b ckg:optionalSkill ?s }
  OPTIONAL { ?s skos:prefLabel ?label }
  BIND(EXISTS { { $a ckg:essentialSkill ?s } UNION { $a ckg:optionalSkill ?s } } AS ?held)
}"""

RELATED_SPARQL = """
SELECT ?o ?p ?label WHERE {
  VALUES ?p { ckg:relatedCareer ckg:collaboratesWith ckg:specializationOf
              skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch }
  { $c ?p ?o } UNION { ?o ?p $c }
  ?o a ckg:Career . OPTIONAL { ?o skos:prefLabel ?label }
}"""


def timed(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def sparql(store: OxigraphStore, query: str, **iris: str) -> list:
    text = query
    for name, iri in iris.items():
        text = text.replace(f"${name}", f"<{iri}>")
    return list(store.query_raw(text))


def open_full(args: argparse.Namespace) -> tuple[CareerGraph, Path, Path | None]:
    if args.store:
        store_dir = Path(args.store)
        return CareerGraph.open(OxigraphStore(store_dir)), store_dir, None
    datasets = Path(args.datasets)
    if not (datasets / "onet").is_dir():
        sys.exit(f"no datasets at {datasets}: pass --store or --datasets")
    from careerkg.imports import import_all

    tmp = Path(tempfile.mkdtemp(prefix="careerkg-bench-"))
    store_dir = tmp / "store"
    store = OxigraphStore(store_dir)
    print(f"importing {datasets} into {store_dir} ...", file=sys.stderr)
    import_all(store, datasets, progress=False)
    return CareerGraph.open(store), store_dir, tmp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an on-disk store with the full graph already imported")
    parser.add_argument("--datasets", default=str(REPO.parent / "shared" / "datasets"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    kg, store_dir, tmp = open_full(args)
    store = kg.store
    assert isinstance(store, OxigraphStore)
    rows: list[tuple[str, float, str, float]] = []
    try:
        # -- views: first build vs disk cache vs memory cache
        cache = Path(tempfile.mkdtemp(prefix="careerkg-views-"))
        views = Views(store, cache=StateCache(store, folder=cache))
        started = time.perf_counter()
        views.career_skill()
        views.career_career()
        first = (time.perf_counter() - started) * 1000
        fresh = Views(store, cache=StateCache(store, folder=cache))
        started = time.perf_counter()
        fresh.career_skill()
        fresh.career_career()
        disk = (time.perf_counter() - started) * 1000
        memory = timed(lambda: (fresh.career_skill(), fresh.career_career()), args.repeat)
        rows.append(("views: load pickles (new process)", disk, "first build", first))
        rows.append(("views: in-memory cache (warm)", memory, "first build", first))
        shutil.rmtree(cache, ignore_errors=True)

        cs = kg.views.career_skill()
        kg.views.career_career()
        resolved = {name: kg._node(name) for name in CAREERS}
        for name in CAREERS:
            kg.related(name)
        # -- warm calls vs SPARQL per call
        ours = statistics.median(timed(lambda n=n: kg.related(n), args.repeat) for n in CAREERS)
        base = statistics.median(
            timed(lambda n=n: sparql(store, RELATED_SPARQL, c=resolved[n]), args.repeat) for n in CAREERS
        )
        rows.append(("related (warm, median over careers)", ours, "SPARQL per call", base))
        ours = statistics.median(timed(lambda n=n: kg.similar(n, k=10), args.repeat) for n in CAREERS)
        base = statistics.median(
            timed(lambda n=n: sparql(store, SIMILAR_SPARQL, c=resolved[n]), args.repeat) for n in CAREERS
        )
        rows.append(("similar k=10 (warm)", ours, "SPARQL overlap per call", base))
        pairs = [(a, b) for a, b in PAIRS if _known(kg, a) and _known(kg, b)]
        ours = statistics.median(timed(lambda p=p: kg.skill_gap(*p), args.repeat) for p in pairs)
        base = statistics.median(
            timed(lambda p=p: sparql(store, GAP_SPARQL, a=kg._node(p[0]), b=kg._node(p[1])), args.repeat)
            for p in pairs
        )
        rows.append(("gap (warm)", ours, "SPARQL per call", base))
        ours = statistics.median(timed(lambda p=p: kg.paths(*p, k=3), args.repeat) for p in pairs)
        a, b = kg._node(pairs[0][0]), kg._node(pairs[0][1])
        base = timed(lambda: paths(career_career_graph(cs), a, b, k=3, skills=cs), 1)
        rows.append(("paths k=3 (warm)", ours, "career-career view rebuilt per call", base))
        ours = timed(lambda: kg.transitions("15-1252.00", k=10), args.repeat)
        rows.append(("transitions k=10 (warm)", ours, "-", float("nan")))

        # -- cold CLI calls, views cached on disk (close ours first: the store is locked while open)
        kg.close()
        exe = str(Path(sys.executable).with_name("careerkg"))
        env = {**os.environ, "CAREERKG_STORE": str(store_dir)}
        subprocess.run([exe, "similar", "15-1252.00"], env=env, capture_output=True, check=True)
        subprocess.run([exe, "path", *pairs[0]], env=env, capture_output=True, check=True)
        # Baseline: the same cold call when the cached views are gone (so they are rebuilt).
        shutil.rmtree(store_dir / "views", ignore_errors=True)
        rebuild = timed(
            lambda: subprocess.run([exe, "path", *pairs[0]], env=env, capture_output=True, check=True), 1
        )
        for argv in (
            ["similar", "15-1252.00"],
            ["gap", *pairs[0]],
            ["related", "15-1252.00"],
            ["path", *pairs[0]],
        ):
            cold = timed(
                lambda argv=argv: subprocess.run([exe, *argv], env=env, capture_output=True, check=True), 5
            )
            rows.append((f"cold CLI: careerkg {argv[0]}", cold, "cold CLI, views not cached", rebuild))
    finally:
        kg.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    stats = cs
    careers = sum(1 for _, d in stats.nodes(data=True) if d["kind"] == "career")
    print(
        f"Full graph: {careers:,} careers, {stats.number_of_nodes() - careers:,} skills, "
        f"{stats.number_of_edges():,} career-skill edges; medians of {args.repeat} runs (cold CLI: 5).\n"
    )
    print("| measurement | careerkg (ms) | baseline | baseline (ms) | ratio |")
    print("|---|---:|---|---:|---:|")
    for name, ours, base_name, base in rows:
        ratio = f"{base / ours:.1f}x" if base == base and ours > 0 else "-"
        base_text = f"{base:,.1f}" if base == base else "-"
        print(f"| {name} | {ours:,.1f} | {base_name} | {base_text} | {ratio} |")


def _known(kg: CareerGraph, name: str) -> bool:
    try:
        kg._node(name)
    except NotFound:
        return False
    return True


if __name__ == "__main__":
    main()

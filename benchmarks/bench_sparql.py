"""Benchmark: the example queries on the full imported graph, and the SPARQL server.

    .venv/bin/python benchmarks/bench_sparql.py [--datasets ../shared/datasets] [--store DIR]
                                                [--repeat 15] [--baseline-cap 60] [--only 03,05]

1. Builds (or reuses with --store) an embedded Oxigraph store with curated + O*NET + ESCO +
   crosswalk (``careerkg.imports.import_all``), dumps it and loads the same quads into rdflib's
   memory store (the baseline). Every example query is then timed on both in the same run:
   careerkg through its user-facing path (``careerkg.sparql.run_query``: policy check,
   Oxigraph, rows converted to cells, as ``careerkg query`` and the server use it), rdflib
   through ``Dataset.query`` with its rows materialized. Medians; ratio = rdflib / careerkg.
   The baseline runs once first under a timer (``--baseline-cap`` seconds, SIGALRM: rdflib's
   evaluator is pure Python, so the alarm interrupts it) and is reported as ``>N s`` when it
   does not finish; it is repeated only while it stays cheap. Both answers are compared (row
   counts) so a rewrite that changed the answer shows up. Queries whose header says ``# Scans:``
   read a whole class of links by nature and are held to the ratio only, not to 10 ms.
   Without the datasets it runs on the curated graph only.
2. Starts ``careerkg serve`` on the store and sends ``--requests`` simple lookups from
   ``--clients`` concurrent keep-alive clients on loopback: requests/s, errors, p50/p99.
   Meanwhile one hostile cartesian-product query is sent and must come back 503 at the timeout.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import http.client
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from careerkg.sparql import example_queries, run_query
from careerkg.store import MemoryStore, OxigraphStore

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"
LOOKUP = "SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }"
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TARGET_MS = 10.0
TARGET_RATIO = 30.0


def build_store(path: Path, datasets: Path) -> OxigraphStore:
    store = OxigraphStore(path)
    from careerkg.build import CURATED, build

    if not store.has_graph(CURATED):
        build(store)
    if datasets.is_dir():
        from careerkg.imports import import_all
        from careerkg.namespaces import graph_iri

        if not store.has_graph(graph_iri("esco")):
            started = time.perf_counter()
            import_all(store, datasets)
            print(f"imported {datasets} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return store


def load_copies(
    store: OxigraphStore, rdflib_memory: bool, oxigraph_memory: bool
) -> tuple[MemoryStore | None, OxigraphStore | None]:
    """The same quads in rdflib's memory store (the baseline) and in an in-memory Oxigraph."""
    memory = in_memory = None
    if not (rdflib_memory or oxigraph_memory):
        return None, None
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "all.nq"
        store.dump(file)
        if rdflib_memory:
            memory = MemoryStore()
            started = time.perf_counter()
            memory.dataset.parse(file, format="nquads")
            print(f"rdflib memory store loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if oxigraph_memory:
            import pyoxigraph as ox

            in_memory = OxigraphStore(None)
            started = time.perf_counter()
            in_memory.ox.bulk_load(path=str(file), format=ox.RdfFormat.N_QUADS)
            print(f"in-memory Oxigraph loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return memory, in_memory


def scans(text: str) -> bool:
    """Whether the query's header says it reads a whole class of links (``# Scans: ...``)."""
    for line in text.splitlines():
        if not line.startswith("#"):
            return False
        if line.lstrip("# ").lower().startswith("scans:"):
            return True
    return False


def time_careerkg(store: OxigraphStore, text: str, repeat: int) -> tuple[float, int]:
    """Median ms of the user-facing path, and the answer's size (rows, or triples)."""
    result = run_query(store, text)  # warm: page cache, parsed prefixes
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run_query(store, text)
        times.append((time.perf_counter() - started) * 1000)
    size = result.triple_count() if result.returns_graph else len(result.rows)
    if result.form == "ASK":
        size = 1
    return statistics.median(times), size


class _Cap(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - signal handler
    raise _Cap()


def _rdflib_once(memory: MemoryStore, text: str) -> int:
    result = memory.query(text)  # rdflib Dataset.query with the project prefixes
    if result.type == "ASK":
        bool(result.askAnswer)
        return 1
    return len(list(result))


def time_rdflib(memory: MemoryStore, text: str, repeat: int, cap: float) -> tuple[float | None, int | None]:
    """Median ms of rdflib's Dataset.query (rows materialized); (None, None) past ``cap`` s.

    The first run is timed under an alarm; repeats follow only while the total stays under
    ``cap`` / 4, so one slow query cannot eat the whole run.
    """
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        times: list[float] = []
        size = None
        for _ in range(max(1, repeat)):
            signal.setitimer(signal.ITIMER_REAL, cap)
            started = time.perf_counter()
            try:
                size = _rdflib_once(memory, text)
            except _Cap:
                return None, None
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append((time.perf_counter() - started) * 1000)
            if sum(times) > cap * 1000 / 4:
                break
        return statistics.median(times), size
    finally:
        signal.signal(signal.SIGALRM, previous)


def bench_queries(
    store: OxigraphStore,
    memory: MemoryStore | None,
    repeat: int,
    base_repeat: int,
    cap: float,
    only: set[str] | None = None,
    in_memory: OxigraphStore | None = None,
) -> None:
    print(
        f"\n## Example queries ({store.count():,} quads; careerkg: median of {repeat} runs of "
        f"run_query on the embedded Oxigraph store; rdflib: Dataset.query on its memory store, "
        f"median of up to {base_repeat}, capped at {cap:g} s)\n"
    )
    extra = " oxigraph-memory ms | its ratio |" if in_memory is not None else ""
    print(
        f"| query | scans | rows | careerkg ms | rdflib memory ms | ratio | <= {TARGET_MS:g} ms "
        f"| >= {TARGET_RATIO:g}x |{extra}"
    )
    print("|---|:-:|---:|---:|---:|---:|:-:|:-:|" + ("---:|---:|" if in_memory is not None else ""))
    for name, _, text in example_queries():
        if only and not any(name.startswith(o) for o in only):
            continue
        scan = scans(text)
        ms, rows = time_careerkg(store, text, repeat)
        fast = "scan" if scan else ("yes" if ms <= TARGET_MS else "**no**")
        base = base_rows = None
        if memory is None:
            base_cell, ratio_cell, enough = "–", "–", "–"
        else:
            base, base_rows = time_rdflib(memory, text, base_repeat, cap)
            if base is None:
                base_cell, ratio_cell, enough = f">{cap * 1000:,.0f}", f">{cap * 1000 / ms:,.0f}x", "yes"
            else:
                ratio = base / ms
                base_cell, ratio_cell = f"{base:,.1f}", f"{ratio:,.1f}x"
                enough = "yes" if ratio >= TARGET_RATIO else "**no**"
                if base_rows != rows:
                    base_cell += f" (**{base_rows} rows**)"
        tail = ""
        if in_memory is not None:
            mem_ms, mem_rows = time_careerkg(in_memory, text, repeat)
            mem_ratio = (
                "–"
                if memory is None
                else (f">{cap * 1000 / mem_ms:,.0f}x" if base is None else f"{base / mem_ms:,.1f}x")
            )
            tail = f" {mem_ms:,.2f}{'' if mem_rows == rows else f' (**{mem_rows} rows**)'} | {mem_ratio} |"
        print(
            f"| {name} | {'yes' if scan else ''} | {rows} | {ms:,.2f} | {base_cell} | {ratio_cell} "
            f"| {fast} | {enough} |{tail}",
            flush=True,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_server(path: Path, requests: int, clients: int, workers: int) -> None:
    port = free_port()
    careerkg = str(Path(sys.executable).parent / "careerkg")
    server = subprocess.Popen(
        [
            careerkg,
            "serve",
            "--store",
            str(path),
            "--port",
            str(port),
            "--timeout",
            "2",
            "--workers",
            str(workers),
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        target = "/sparql?" + urllib.parse.urlencode({"query": LOOKUP})
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", target)
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        per_client = requests // clients

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine = []
            bad = 0
            for _ in range(per_client):
                started = time.perf_counter()
                try:
                    conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
                    response = conn.getresponse()
                    body = response.read()
                    if response.status != 200 or b"Data Scientist" not in body:
                        bad += 1
                except OSError:
                    bad += 1
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                mine.append((time.perf_counter() - started) * 1000)
            with lock:
                latencies.extend(mine)
                errors[0] += bad

        hostile_result: list[tuple[int, float]] = []

        def hostile() -> None:
            time.sleep(0.5)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": HOSTILE}))
            response = conn.getresponse()
            response.read()
            hostile_result.append((response.status, time.perf_counter() - started))

        threads = [threading.Thread(target=client) for _ in range(clients)]
        bad_thread = threading.Thread(target=hostile)
        started = time.perf_counter()
        for t in threads:
            t.start()
        bad_thread.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        bad_thread.join()
        latencies.sort()
        total = len(latencies)
        p50 = latencies[total // 2]
        p99 = latencies[int(total * 0.99) - 1]
        print(f"\n## Server: {total:,} lookups, {clients} concurrent clients, {workers} query workers\n")
        print("| requests/s | errors | p50 ms | p99 ms | hostile query (timeout 2 s) |")
        print("|---:|---:|---:|---:|---|")
        status, seconds = hostile_result[0]
        print(
            f"| {total / elapsed:.0f} | {errors[0]} | {p50:.1f} | {p99:.1f} | HTTP {status} after "
            f"{seconds:.1f} s |"
        )
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--store", type=Path, help="reuse (or create) the benchmark store here")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline-repeat", type=int, default=5)
    parser.add_argument("--baseline-cap", type=float, default=60.0, help="seconds per rdflib query")
    parser.add_argument("--only", help="comma-separated query name prefixes, e.g. 03,05")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true", help="skip the rdflib memory store")
    parser.add_argument("--no-server", action="store_true", help="skip the server benchmark")
    parser.add_argument(
        "--oxigraph-memory",
        action="store_true",
        help="also time the queries on an in-memory Oxigraph holding the same quads",
    )
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-") as tmp:
        path = args.store or Path(tmp) / "store"
        store = build_store(path, args.datasets)
        memory, in_memory = load_copies(store, not args.no_baseline, args.oxigraph_memory)
        bench_queries(store, memory, args.repeat, args.baseline_repeat, args.baseline_cap, only, in_memory)
        memory = in_memory = None
        store.close()
        if not args.no_server:
            bench_server(path, args.requests, args.clients, args.workers)


if __name__ == "__main__":
    main()

"""Benchmark: the example queries on the full imported graph, and the SPARQL server.

    .venv/bin/python benchmarks/bench_sparql.py [--datasets ../shared/datasets] [--store DIR]
                                                [--repeat 15] [--requests 10000] [--clients 8]

1. Builds (or reuses with --store) an embedded Oxigraph store with curated + O*NET + ESCO +
   crosswalk (``careerkg.imports.import_all``), dumps it and loads the same quads into rdflib's
   memory store (the baseline), then times every example query on both in the same run
   (medians; ratio = rdflib / Oxigraph). Without the datasets it runs on the curated graph only.
2. Starts ``careerkg serve`` on the store and sends ``--requests`` simple lookups from
   ``--clients`` concurrent keep-alive clients on loopback: requests/s, errors, p50/p99.
   Meanwhile one hostile cartesian-product query is sent and must come back 503 at the timeout.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import http.client
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


def load_memory(store: OxigraphStore) -> MemoryStore:
    memory = MemoryStore()
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "all.nq"
        store.dump(file)
        started = time.perf_counter()
        memory.dataset.parse(file, format="nquads")
        print(f"rdflib memory store loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return memory


def median_ms(store, text: str, repeat: int) -> tuple[float, int]:
    times = []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = run_query(store, text)
        times.append((time.perf_counter() - started) * 1000)
        rows = len(result.rows) if not result.returns_graph else result.triple_count()
    return statistics.median(times), rows


def bench_queries(store: OxigraphStore, memory: MemoryStore | None, repeat: int, base_repeat: int) -> None:
    print(
        f"\n## Example queries ({store.count():,} quads; median of {repeat} runs, rdflib of {base_repeat})\n"
    )
    print("| query | rows | oxigraph ms | rdflib memory ms | ratio |")
    print("|---|---:|---:|---:|---:|")
    for name, _, text in example_queries():
        run_query(store, text)  # warm
        ms, rows = median_ms(store, text, repeat)
        if memory is not None:
            base, _ = median_ms(memory, text, base_repeat)
            print(f"| {name} | {rows} | {ms:.2f} | {base:.1f} | {base / ms:.0f}x |")
        else:
            print(f"| {name} | {rows} | {ms:.2f} | – | – |")


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
    parser.add_argument("--baseline-repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true", help="skip the rdflib memory store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-") as tmp:
        path = args.store or Path(tmp) / "store"
        store = build_store(path, args.datasets)
        memory = None if args.no_baseline else load_memory(store)
        bench_queries(store, memory, args.repeat, args.baseline_repeat)
        memory = None
        store.close()
        bench_server(path, args.requests, args.clients, args.workers)


if __name__ == "__main__":
    main()

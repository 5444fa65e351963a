"""Benchmark: the example queries on the full imported graph, and the SPARQL server.

    .venv/bin/python benchmarks/bench_sparql.py [--datasets ../shared/datasets] [--store DIR]
                                                [--repeat 15] [--baseline-cap 60] [--only 03,05]
                                                [--queries DIR] [--server-modes memory,disk]

1. Builds (or reuses with --store) an embedded Oxigraph store with curated + O*NET + ESCO +
   crosswalk (``careerkg.imports.import_all``). The same quads are then held three ways: the
   store on disk (the default store, as one-shot ``careerkg query`` reads it) and its in-memory
   copy (``careerkg.store.replica.memory_replica``: what ``careerkg serve`` workers and
   ``CareerGraph.open(in_memory=True)`` answer from), each in a timer process of its own as in
   a server worker, and rdflib's memory store (the baseline, loaded from the same snapshot) in
   the main process. Every example query is timed on all three in the same run: careerkg
   through its user-facing path (``careerkg.sparql.run_query``: policy check, Oxigraph, rows
   converted to cells, as ``careerkg query`` and the server workers run it), rdflib through
   ``Dataset.query`` with its rows materialized. careerkg is timed half before and half after
   the baseline (at least --repeat runs and 0.3 s in all, so fast queries get hundreds of
   runs), so that a drift of the machine's speed shows in both. Medians; ratio = rdflib /
   careerkg.
   The baseline runs once first under a timer (``--baseline-cap`` seconds, SIGALRM: rdflib's
   evaluator is pure Python, so the alarm interrupts it) and is reported as ``>N s`` when it
   does not finish; it is repeated only while it stays cheap. Answers are compared (row
   counts) so a rewrite that changed the answer shows up. Queries whose header says ``# Scans:``
   read a whole class of links by nature and are held to the ratio only, not to 10 ms.
   The targets are judged on the in-memory copy, the store the server answers from.
   Without the datasets it runs on the curated graph only.
2. Starts ``careerkg serve`` on the store (in memory, then --on-disk) and sends ``--requests``
   simple lookups from ``--clients`` concurrent keep-alive clients on loopback: requests/s,
   errors, p50/p99. Meanwhile one hostile cartesian-product query is sent and must come back
   503 at the timeout.
3. ``careerkg serve`` (in memory, its default limits) against ``oxigraph serve-read-only
   --union-default-graph`` (the binary of the ``oxigraph`` PyPI package) on the same store's
   live generation: one server at a time, the same client (``--clients`` keep-alive
   http.client threads, ``--requests`` label lookups with their prefixes written out, after a
   warm-up), ``--rounds`` rounds in alternation; medians and ratio = careerkg / Oxigraph.
   ``--oxigraph-only --store DIR`` runs only this part.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
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
    from careerkg.data.build import CURATED, build

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


def _timer_main(conn, path: str, which: str) -> None:  # its own process, like a server worker
    store = OxigraphStore(Path(path), read_only=True)
    started = time.perf_counter()
    if which == "memory":
        from careerkg.store.replica import memory_replica

        store = memory_replica(store)
    conn.send(time.perf_counter() - started)
    while (request := conn.recv()) is not None:
        text, repeat, budget = request
        conn.send(time_careerkg(store, text, repeat, budget))


class Timer:
    """careerkg's side of the measurement, in a process of its own holding one store: the
    store on disk, or its in-memory copy as a ``careerkg serve`` worker holds it. The rdflib
    baseline runs in the main process, so no engine's heap (rdflib's is several GB) or caches
    slow another's."""

    def __init__(self, path: Path, which: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_timer_main, args=(child, str(path), which), daemon=True)
        self.process.start()
        self.load_seconds = self.conn.recv()

    def time(self, text: str, repeat: int, budget: float) -> tuple[list[float], int]:
        self.conn.send((text, repeat, budget))
        return self.conn.recv()

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(10)


def load_baseline(snapshot: Path) -> MemoryStore:
    """The same quads in rdflib's memory store."""
    memory = MemoryStore()
    started = time.perf_counter()
    memory.dataset.parse(snapshot, format="nquads")
    print(f"rdflib memory store loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return memory


def scans(text: str) -> bool:
    """Whether the query's header says it reads a whole class of links (``# Scans: ...``)."""
    for line in text.splitlines():
        if not line.startswith("#"):
            return False
        if line.lstrip("# ").lower().startswith("scans:"):
            return True
    return False


def time_careerkg(
    store: OxigraphStore, text: str, repeat: int, budget: float = 0.3
) -> tuple[list[float], int]:
    """Times (ms) of the user-facing path (at least ``repeat`` runs and ``budget`` seconds, at
    most 500 runs), and the answer's size (rows, or triples)."""
    result = run_query(store, text)  # warm: page cache, parsed prefixes
    times: list[float] = []
    begun = time.perf_counter()
    while len(times) < repeat or (time.perf_counter() - begun < budget and len(times) < 500):
        started = time.perf_counter()
        result = run_query(store, text)
        times.append((time.perf_counter() - started) * 1000)
    size = result.triple_count() if result.returns_graph else len(result.rows)
    if result.form == "ASK":
        size = 1
    return times, size


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
    disk: Timer,
    in_memory: Timer,
    memory: MemoryStore | None,
    repeat: int,
    base_repeat: int,
    cap: float,
    only: set[str] | None = None,
    folder: Path | None = None,
) -> None:
    print(
        f"\n## Example queries ({store.count():,} quads; careerkg: median of run_query on the "
        f"store on disk and on its in-memory copy, >= {repeat} runs and 0.3 s each, half before "
        f"and half after the baseline; rdflib: Dataset.query on its memory store, median of up to "
        f"{base_repeat}, capped at {cap:g} s)\n"
    )
    print(
        f"| query | scans | rows | on disk ms | in memory ms | rdflib memory ms | ratio (in memory) "
        f"| ratio (on disk) | <= {TARGET_MS:g} ms | >= {TARGET_RATIO:g}x |"
    )
    print("|---|:-:|---:|---:|---:|---:|---:|---:|:-:|:-:|")
    for name, _, text in example_queries(folder):
        if only and not any(name.startswith(o) for o in only):
            continue
        scan = scans(text)
        half = max(1, repeat // 2)
        disk_times, rows = disk.time(text, half, 0.15)
        mem_times, mem_rows = in_memory.time(text, half, 0.15)
        base = base_rows = None
        if memory is not None:
            base, base_rows = time_rdflib(memory, text, base_repeat, cap)
        more_disk, _ = disk.time(text, half, 0.15)
        more_mem, _ = in_memory.time(text, half, 0.15)
        disk_ms = statistics.median(disk_times + more_disk)
        mem_ms = statistics.median(mem_times + more_mem)
        fast = "scan" if scan else ("yes" if mem_ms <= TARGET_MS else "**no**")
        rows_cell = str(rows) if mem_rows == rows else f"{rows} (**{mem_rows} in memory**)"
        if memory is None:
            base_cell, ratio_cell, disk_ratio_cell, enough = "–", "–", "–", "–"
        elif base is None:
            base_cell = f">{cap * 1000:,.0f}"
            ratio_cell, disk_ratio_cell = f">{cap * 1000 / mem_ms:,.0f}x", f">{cap * 1000 / disk_ms:,.0f}x"
            enough = "yes"
        else:
            base_cell = f"{base:,.1f}" + ("" if base_rows == rows else f" (**{base_rows} rows**)")
            ratio_cell, disk_ratio_cell = f"{base / mem_ms:,.1f}x", f"{base / disk_ms:,.1f}x"
            enough = "yes" if base / mem_ms >= TARGET_RATIO else "**no**"
        print(
            f"| {name} | {'yes' if scan else ''} | {rows_cell} | {disk_ms:,.2f} | {mem_ms:,.2f} "
            f"| {base_cell} | {ratio_cell} | {disk_ratio_cell} | {fast} | {enough} |",
            flush=True,
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The label lookup with its prefixes written out, so that any SPARQL server can answer it.
PORTABLE_LOOKUP = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX career: <https://w3id.org/careerkg/career/>\n" + LOOKUP
)


def _load_threads(port, target, requests, clients, latencies, errors, elapsed_box):
    """A function that sends ``requests`` GETs of ``target`` from ``clients`` keep-alive
    clients (threads, http.client) and fills ``latencies`` (ms), ``errors`` and the wall time."""
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

    def run() -> None:
        threads = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed_box[0] = time.perf_counter() - started

    return run


def _percentiles(latencies: list[float]) -> tuple[int, float, float]:
    latencies.sort()
    total = len(latencies)
    return total, latencies[total // 2], latencies[max(0, int(total * 0.99) - 1)]


def _wait_ready(port: int, target: str, seconds: float = 120.0) -> float:
    """Seconds until the server at ``port`` answers ``target`` (inf if it never does)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", target)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    return float("inf")


def _measure(port: int, requests: int, clients: int) -> tuple[float, int, float, float]:
    """(requests/s, errors, p50 ms, p99 ms) of the portable label lookup at ``/sparql``."""
    return _measure_path(port, "/sparql", requests, clients)


def _oxigraph_binary() -> str | None:
    import shutil

    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


#: An ASGI app answering every request with the lookup's answer, run by uvicorn as careerkg
#: serve is: what the HTTP stack alone can do on this machine (no query, no routing).
CONSTANT_APP = r"""
import sys, uvicorn
BODY = (b'{"head":{"vars":["l"]},"results":{"bindings":[{"l":{"type":"literal",'
        b'"value":"Data Scientist","xml:lang":"en"}}]}}')
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/sparql-results+json"),
        (b"content-length", str(len(BODY)).encode())]})
    await send({"type": "http.response.body", "body": BODY})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


#: ``careerkg serve`` with uvicorn's pure-Python HTTP parser (h11) and asyncio's event loop, which
#: is what it ran on before httptools and uvloop were dependencies: what those two bring.
H11_SERVE = r"""
import functools, sys, uvicorn
uvicorn.run = functools.partial(uvicorn.run, http="h11", loop="asyncio")
from careerkg.cli import main
sys.argv = ["careerkg", *sys.argv[1:]]
main()
"""


def bench_against_oxigraph(
    path: Path,
    requests: int,
    clients: int,
    workers: int,
    rounds: int = 2,
    base: Path | None = None,
    base_store: Path | None = None,
) -> None:
    """``careerkg serve`` (in memory, its defaults and limits) against ``oxigraph
    serve-read-only --union-default-graph`` on the same store, one server at a time, the same
    client and query (the label lookup with its prefixes written out), ``rounds`` times in
    alternation: medians of requests/s, p50, p99; ratio = careerkg / Oxigraph."""
    binary = _oxigraph_binary()
    print(
        f"\n## careerkg serve against Oxigraph's own server: {requests:,} label lookups from {clients} "
        f"keep-alive clients (after {min(400, requests)} to warm up), servers one at a time, "
        f"{rounds} rounds, medians\n"
    )
    if binary is None:
        print("(not measured: no `oxigraph` binary; `pip install oxigraph` provides it)")
        return
    current = path / "CURRENT"  # the live generation: the RocksDB folder Oxigraph reads
    data_dir = path / (current.read_text().strip() if current.exists() else "gen-0")
    careerkg = str(Path(sys.executable).parent / "careerkg")
    target = "/sparql?" + urllib.parse.urlencode({"query": PORTABLE_LOOKUP})
    names = ["oxigraph", "careerkg", "careerkg-h11", "careerkg-nocache", "constant"]
    base_bin = base / "bin" / "careerkg" if base else None
    if base_bin is not None and base_bin.exists() and base_store is not None:
        names.append("base")
    results: dict[str, list[tuple[float, int, float, float]]] = {n: [] for n in names}
    starts: dict[str, list[float]] = {n: [] for n in names}
    memory_at: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(rounds):
        for name in names:
            port = free_port()
            if name == "oxigraph":
                argv = [
                    binary,
                    "serve-read-only",
                    "--location",
                    str(data_dir),
                    "--union-default-graph",
                    "--bind",
                    f"127.0.0.1:{port}",
                ]
                url_target = target.replace("/sparql?", "/query?")
            elif name == "constant":
                argv = [sys.executable, "-c", CONSTANT_APP, str(port)]
                url_target = target
            elif name == "base":
                argv = [
                    str(base_bin),
                    "serve",
                    "--store",
                    str(base_store),
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                ]
                url_target = target
            else:
                argv = [
                    careerkg,
                    "serve",
                    "--store",
                    str(path),
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                ]
                if name == "careerkg-nocache":
                    argv += ["--result-cache", "0"]
                elif name == "careerkg-h11":
                    argv[:1] = [sys.executable, "-c", H11_SERVE]
                url_target = target
            log_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
            server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log_file)
            try:
                starts[name].append(_wait_ready(port, url_target, 300))
                if name.startswith("careerkg") or name == "base":  # until it answers from memory
                    began = time.perf_counter()
                    while time.perf_counter() - began < 300:
                        log_file.seek(0)
                        text = log_file.read().decode(errors="replace")
                        if "quads in memory" in text or "now answer from memory" in text:
                            break
                        time.sleep(0.2)
                    memory_at[name].append(starts[name][-1] + time.perf_counter() - began)
                endpoint = "/query" if name == "oxigraph" else "/sparql"
                rate, errors, p50, p99 = _measure_path(port, endpoint, requests, clients)
                results[name].append((rate, errors, p50, p99))
            finally:
                server.terminate()
                try:
                    server.wait(10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(5)
                log_file.close()
    print("| server | first answer s | in memory s | requests/s | errors | p50 ms | p99 ms | ratio (req/s) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    medians = {}
    for name, label in (
        ("oxigraph", "`oxigraph serve-read-only --union-default-graph`"),
        ("careerkg", "`careerkg serve` (in memory, limits on)"),
        ("careerkg-h11", "`careerkg serve` on h11 and asyncio (no httptools, no uvloop)"),
        ("careerkg-nocache", "`careerkg serve --result-cache 0` (every query to a worker)"),
        ("base", "today's `careerkg serve` (the baseline checkout)"),
        ("constant", "uvicorn alone, a constant answer (the HTTP stack's ceiling)"),
    ):
        if name not in names:
            continue
        rows = results[name]
        medians[name] = tuple(statistics.median(r[i] for r in rows) for i in range(4))
        rate, _, p50, p99 = medians[name]
        errors = sum(r[1] for r in rows)
        ratio = "1.00x" if name == "oxigraph" else f"{rate / medians['oxigraph'][0]:.2f}x"
        loaded = f"{statistics.median(memory_at[name]):.1f}" if memory_at[name] else "–"
        print(
            f"| {label} | {statistics.median(starts[name]):.1f} | {loaded} | {rate:,.0f} | {errors} "
            f"| {p50:.1f} | {p99:.1f} | {ratio} |",
            flush=True,
        )
    per_round = ", ".join(f"{n} {[round(r[0]) for r in results[n]]}" for n in names)
    print(f"\nper round (req/s): {per_round}; target >= 0.5x")


def _measure_path(port: int, path: str, requests: int, clients: int) -> tuple[float, int, float, float]:
    """(requests/s, errors, p50 ms, p99 ms) of the portable label lookup at ``path``, after a
    warm-up of up to 400 requests."""
    target = path + "?" + urllib.parse.urlencode({"query": PORTABLE_LOOKUP})
    warm_latencies, warm_errors, warm_box = [], [0], [0.0]
    _load_threads(port, target, min(400, requests), clients, warm_latencies, warm_errors, warm_box)()
    latencies, errors, box = [], [0], [0.0]
    _load_threads(port, target, requests, clients, latencies, errors, box)()
    total, p50, p99 = _percentiles(latencies)
    return total / box[0], errors[0], p50, p99


def bench_server(path: Path, requests: int, clients: int, workers: int, mode: str) -> str:
    """One row of the server table: ``mode`` is "memory" (the default) or "disk" (--on-disk)."""
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
            "--in-memory" if mode == "memory" else "--on-disk",
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        target = "/sparql?" + urllib.parse.urlencode({"query": LOOKUP})
        started = time.perf_counter()
        for _ in range(1200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", target)
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        ready = time.perf_counter() - started
        latencies, errors, elapsed_box = [], [0], [0.0]
        threads = _load_threads(port, target, requests, clients, latencies, errors, elapsed_box)

        hostile_result: list[tuple[int, float]] = []

        def hostile() -> None:
            time.sleep(0.5)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": HOSTILE}))
            response = conn.getresponse()
            response.read()
            hostile_result.append((response.status, time.perf_counter() - started))

        bad_thread = threading.Thread(target=hostile)
        bad_thread.start()
        threads()
        elapsed = elapsed_box[0]
        bad_thread.join()
        total, p50, p99 = _percentiles(latencies)
        status, seconds = hostile_result[0]
        return (
            f"| {'in memory' if mode == 'memory' else 'on disk (--on-disk)'} | {ready:.1f} "
            f"| {total / elapsed:.0f} | {errors[0]} | {p50:.1f} | {p99:.1f} "
            f"| HTTP {status} after {seconds:.1f} s |"
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
    parser.add_argument("--queries", type=Path, help="time the .rq files of this folder instead")
    parser.add_argument("--server-modes", default="memory,disk", help="serve modes to measure")
    parser.add_argument("--no-oxigraph", action="store_true", help="skip careerkg serve against oxigraph's")
    parser.add_argument(
        "--oxigraph-only",
        action="store_true",
        help="only the comparison with oxigraph's server (needs --store)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the comparison with oxigraph")
    parser.add_argument("--base", type=Path, help="a venv with today's careerkg, also served")
    parser.add_argument("--base-store", type=Path, help="the baseline's own copy of the store")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    if args.oxigraph_only:
        if not args.store:
            parser.error("--oxigraph-only needs --store (a built store)")
        bench_against_oxigraph(
            args.store, args.requests, args.clients, args.workers, args.rounds, args.base, args.base_store
        )
        return
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-") as tmp:
        path = args.store or Path(tmp) / "store"
        store = build_store(path, args.datasets)
        from careerkg.store.replica import snapshot_file

        started = time.perf_counter()
        snapshot = snapshot_file(path)
        print(f"snapshot ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        disk, in_memory = Timer(path, "disk"), Timer(path, "memory")
        print(f"in-memory copy loaded in {in_memory.load_seconds:.1f} s", file=sys.stderr)
        memory = None if args.no_baseline else load_baseline(snapshot)
        bench_queries(
            store,
            disk,
            in_memory,
            memory,
            args.repeat,
            args.baseline_repeat,
            args.baseline_cap,
            only,
            args.queries,
        )
        disk.close()
        in_memory.close()
        memory = None
        store.close()
        if not args.no_server:
            print(
                f"\n## Server: {args.requests:,} lookups, {args.clients} concurrent keep-alive clients, "
                f"{args.workers} query workers\n"
            )
            print(
                "| workers answer from | start s | requests/s | errors | p50 ms | p99 ms "
                "| hostile query (timeout 2 s) |"
            )
            print("|---|---:|---:|---:|---:|---:|---|")
            for mode in args.server_modes.split(","):
                print(bench_server(path, args.requests, args.clients, args.workers, mode), flush=True)
            if not args.no_oxigraph:
                bench_against_oxigraph(path, args.requests, args.clients, args.workers, args.rounds)


if __name__ == "__main__":
    main()

"""careerkg.store.pool and careerkg.store.replica: worker processes answering from memory or from disk."""

from __future__ import annotations

import os
import threading
import time

import pytest

from careerkg import CareerGraph
from careerkg.errors import StoreError
from careerkg.sparql import Timeout, example_queries, run_query
from careerkg.store import OxigraphStore
from careerkg.store.pool import OutOfMemory, Overloaded, QueryPool
from careerkg.store.replica import memory_replica, snapshot_file

HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NAMES = "SELECT ?name WHERE { GRAPH <urn:test> { ?s <urn:name> ?name } } ORDER BY ?name"
#: Each BIND doubles the string: 16 characters times 2^40, unless something stops it.
DOUBLING = (
    'SELECT (STRLEN(?x40) AS ?n) WHERE { VALUES ?x0 { "aaaaaaaaaaaaaaaa" } '
    + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(40))
    + " }"
)


def _small_store(path) -> OxigraphStore:
    store = OxigraphStore(path)
    store.update("INSERT DATA { GRAPH <urn:test> { <urn:a> <urn:name> 'first' } }")
    return store


@pytest.fixture(scope="module")
def memory_pool(curated_kg):
    with QueryPool(curated_kg.store.path, workers=2, in_memory=True) as pool:
        yield pool


def test_memory_pool_answers_every_example_like_the_store(curated_kg, memory_pool):
    assert memory_pool.quads == curated_kg.store.count()
    for name, _, text in example_queries():
        expected = run_query(curated_kg.store, text)
        got = memory_pool.execute(text)
        if expected.returns_graph:
            assert sorted(got.ntriples.splitlines()) == sorted(expected.ntriples.splitlines()), name
        else:  # GROUP_CONCAT's order is the engine's choice: compare its parts as sets
            assert _unordered(got.values()) == _unordered(expected.values()), name


def _size_soon(pool: QueryPool, expected: int = 2) -> int:
    """The pool's size once it is ``expected``, or after 2.5 s."""
    for _ in range(50):
        if pool.size == expected:
            break
        time.sleep(0.05)
    return pool.size


def _reaped(process, seconds: float = 5) -> None:
    """Wait until ``process`` (killed) is reaped. Not ``join(seconds)``: that waits for the end
    of its sentinel pipe, which the workers it forked hold too, so it always took the full
    ``seconds`` while the workers lived."""
    deadline = time.monotonic() + seconds
    while process.exitcode is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.exitcode is not None, "the killed loader was not reaped"


def _unordered(rows):
    return [tuple(tuple(sorted(str(v).split(", "))) for v in row) for row in rows]


@pytest.mark.serial  # asserts a time bound: runs alone
def test_memory_pool_kills_a_runaway_query_and_keeps_answering(memory_pool):
    started = time.monotonic()
    with pytest.raises(Timeout, match=r"longer than the 0\.5 s timeout"):
        memory_pool.execute(HOSTILE, timeout=0.5)
    assert time.monotonic() - started < 3
    # The killed worker is replaced by a new fork of the loaded copy within moments.
    assert _size_soon(memory_pool) == 2
    lookup = "SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }"
    assert [memory_pool.execute(lookup).values() for _ in range(4)] == [[("Data Scientist",)]] * 4


def test_memory_pool_moves_to_the_new_state_after_a_write(tmp_path):
    store = _small_store(tmp_path / "store")
    store.close()
    with QueryPool(tmp_path / "store", workers=2, in_memory=True) as pool:
        assert pool.execute(NAMES).values() == [("first",)]
        writer = OxigraphStore(tmp_path / "store")
        writer.update("INSERT DATA { GRAPH <urn:test> { <urn:b> <urn:name> 'second' } }")
        writer.close()
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline:
            seen = pool.execute(NAMES).values()
            if seen == [("first",), ("second",)]:
                break
            time.sleep(0.1)
        assert seen == [("first",), ("second",)]
        assert _size_soon(pool) == 2  # the workers of the old copy are replaced in the background
    snapshots = sorted(p.name for p in (tmp_path / "store" / "views").glob("snapshot-*.nq"))
    assert snapshots == [f"snapshot-{OxigraphStore(tmp_path / 'store', read_only=True).state()}.nq"]


def test_disk_pool_sees_a_write_at_the_next_query(tmp_path):
    _small_store(tmp_path / "store").close()
    with QueryPool(tmp_path / "store", workers=1) as pool:
        assert pool.execute(NAMES).values() == [("first",)]
        writer = OxigraphStore(tmp_path / "store")
        writer.update("INSERT DATA { GRAPH <urn:test> { <urn:b> <urn:name> 'second' } }")
        writer.close()
        assert pool.execute(NAMES).values() == [("first",), ("second",)]


def test_snapshot_is_written_once_per_state(tmp_path):
    _small_store(tmp_path / "store").close()
    first = snapshot_file(tmp_path / "store")
    stamp = first.stat().st_mtime_ns
    assert snapshot_file(tmp_path / "store") == first
    assert first.stat().st_mtime_ns == stamp
    assert b'<urn:a> <urn:name> "first" <urn:test> .' in first.read_bytes()
    writer = OxigraphStore(tmp_path / "store")
    writer.update("INSERT DATA { GRAPH <urn:test> { <urn:b> <urn:name> 'second' } }")
    writer.close()
    assert not first.exists(), "a write removes the snapshot of the state it ended"


def test_memory_replica_is_read_only_and_shares_the_caches(curated_kg):
    copy = memory_replica(curated_kg.store)
    assert copy.count() == curated_kg.store.count()
    assert copy.state() == curated_kg.store.state()
    assert copy.cache_dir == curated_kg.store.path / "views"
    with pytest.raises(StoreError, match="read-only"):
        copy.drop_graph(next(iter(curated_kg.store.graphs())))


def test_career_graph_in_memory_gives_the_same_answers(curated_kg):
    kg = CareerGraph.open(OxigraphStore(curated_kg.store.path, read_only=True), in_memory=True)
    assert kg.store.path is None
    profile = kg.career("ml engineer")
    assert profile == curated_kg.career("ml engineer")
    assert kg.skill_gap("data scientist", "machine learning engineer") == curated_kg.skill_gap(
        "data scientist", "machine learning engineer"
    )


def test_snapshot_of_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no careerkg store"):
        snapshot_file(tmp_path / "nothing-here")
    assert not os.path.exists(tmp_path / "nothing-here" / "views")


def test_commands_beside_a_running_server(store_copy):
    # The server holds the store: reading commands open it read-only beside it, writing ones
    # say it is in use (exit 2) and change nothing. (A copy of the curated store: the server
    # does not build it first.)
    import json
    import subprocess
    import sys
    import urllib.parse
    import urllib.request
    from pathlib import Path

    from local_servers import free_port, serving

    _small_store(store_copy).close()
    port = free_port()
    careerkg = str(Path(sys.executable).parent / "careerkg")
    store = ["--store", str(store_copy)]
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": NAMES})

    def names() -> list[str]:
        with urllib.request.urlopen(url, timeout=10) as response:
            return [b["name"]["value"] for b in json.load(response)["results"]["bindings"]]

    with serving(
        [careerkg, "serve", *store, "--port", str(port), "--on-disk"], f"http://127.0.0.1:{port}/prefixes"
    ):
        assert names() == ["first"]
        query = subprocess.run(
            [careerkg, "query", *store, "--format", "csv", NAMES], capture_output=True, text=True
        )
        assert query.returncode == 0, query.stderr
        assert query.stdout.split() == ["name", "first"]
        build = subprocess.run([careerkg, "build", *store], capture_output=True, text=True)
        assert build.returncode == 2
        assert "in use by another careerkg process" in build.stderr
        assert "Traceback" not in build.stderr
        assert names() == ["first"]
    assert not list(store_copy.glob("views/snapshot-*")), "--on-disk makes no copy"


def test_in_memory_copy_of_a_store_held_elsewhere(curated_kg):
    # curated_kg holds its store read-write in this process: a copy is still made (read-only),
    # a store passed in stays open for its owner, and a second writer is told plainly.
    path = curated_kg.store.path
    copy = CareerGraph.open(str(path), in_memory=True)
    assert copy.store.count() == curated_kg.store.count()
    passed = CareerGraph.open(curated_kg.store, in_memory=True)
    assert passed.store is not curated_kg.store
    assert curated_kg.store.count() == copy.store.count()  # still open
    with pytest.raises(StoreError, match="already open in this process"):
        OxigraphStore(path)


def test_memory_pool_serves_on_when_its_loader_is_gone(tmp_path, caplog):
    _filled_store(tmp_path / "store")
    with QueryPool(tmp_path / "store", workers=2, in_memory=True) as pool:
        pool._loader.kill()  # e.g. the out-of-memory killer picked it
        _reaped(pool._loader)
        with pytest.raises(Timeout):
            pool.execute(HOSTILE, timeout=0.3)
        for _ in range(50):  # the respawn fails in the background and says so
            if "could not start a query worker" in caplog.text:
                break
            time.sleep(0.05)
        assert "could not start a query worker (1 left)" in caplog.text
        assert pool.size == 1
        assert pool.execute(NAMES).values() == [("first",)]


def test_server_reads_from_disk_when_no_copy_can_be_made(tmp_path, caplog):
    from careerkg.web.server import Endpoint, ServerConfig

    store = _small_store(tmp_path / "store")
    (tmp_path / "store" / "views").write_text("not a folder")  # no snapshot can be written here
    endpoint = Endpoint(CareerGraph(store), ServerConfig(workers=1))
    try:
        assert "cannot answer from memory" in caplog.text
        assert endpoint.pool is not None and not endpoint.pool.in_memory
        assert endpoint.query(NAMES, [], []).values() == [("first",)]
    finally:
        endpoint.close()
        store.close()


# ------------------------------------------------------------------- limits (issue 14: 7, 9)


def _filled_store(path):
    store = _small_store(path)
    filler = " ".join(f"<urn:n{i}> <urn:p> {i} ." for i in range(500))  # 500^3 rows to count
    store.update(f"INSERT DATA {{ GRAPH <urn:filler> {{ {filler} }} }}")
    store.close()


def test_disk_pool_stops_a_query_at_the_memory_cap(tmp_path):
    _small_store(tmp_path / "store").close()
    with QueryPool(tmp_path / "store", workers=1, memory_limit=256 * 2**20) as pool:
        with pytest.raises(OutOfMemory, match=r"needed more than the 256 MiB a query may use"):
            pool.execute(DOUBLING, timeout=20)
        assert pool.execute(NAMES).values() == [("first",)]


@pytest.mark.serial  # asserts a time bound: runs alone
def test_heavy_queries_queue_per_client_and_a_full_queue_is_refused(tmp_path):
    _filled_store(tmp_path / "store")
    pool = QueryPool(tmp_path / "store", workers=1, quick_workers=1, max_waiting=1, in_memory=True)
    outcomes: dict[str, str] = {}

    def heavy(client: str, timeout: float) -> None:
        try:
            pool.execute(HOSTILE, timeout=timeout, client=client)
            outcomes[client] = "answered"
        except (Timeout, Overloaded) as e:
            outcomes[client] = str(e)

    with pool:
        first = threading.Thread(target=heavy, args=("a", 2.0))
        first.start()
        time.sleep(0.6)  # a's query turned heavy and holds the one heavy slot
        second = threading.Thread(target=heavy, args=("b", 1.0))  # known heavy: waits for the slot
        second.start()
        time.sleep(0.2)
        heavy("c", 1.0)  # the queue (one waiting) is full
        started = time.monotonic()
        assert pool.execute(NAMES, client="a").values() == [("first",)]  # the quick lane is free
        assert time.monotonic() - started < 0.2
        first.join(10)
        second.join(10)
    assert "ran longer than the 2 s timeout" in outcomes["a"]
    assert "no worker was free within the 1 s timeout" in outcomes["b"]
    assert outcomes["c"].startswith("the server is busy: 1 queries are waiting")


def test_one_client_runs_one_heavy_query_at_a_time(tmp_path):
    _filled_store(tmp_path / "store")
    outcomes: dict[str, str] = {}

    with QueryPool(tmp_path / "store", workers=2, per_client=1, in_memory=True) as pool:

        def heavy(name: str, client: str, timeout: float) -> None:
            try:
                pool.execute(HOSTILE, timeout=timeout, client=client)
            except Timeout as e:
                outcomes[name] = str(e)

        runs = [("a1", "a", 1.5), ("a2", "a", 0.8), ("b1", "b", 0.8)]
        threads = [threading.Thread(target=heavy, args=run) for run in runs]
        threads[0].start()
        time.sleep(0.5)
        for thread in threads[1:]:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert "no worker was free" in outcomes["a2"], "a's second heavy query waited for its first"
    assert "ran longer than" in outcomes["b1"], "b got the other heavy slot"

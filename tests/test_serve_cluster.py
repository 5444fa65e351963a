"""Two ``careerkg serve`` processes on one Oxigraph server: 10,000 requests from 8 keep-alive
clients, no errors, and the same answer from both processes for every query (issue 16)."""

from __future__ import annotations

import http.client
import json
import shutil
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from careerkg import CareerGraph
from careerkg.sparql import example_queries
from local_servers import free_port, serving

BIN = Path(sys.executable).parent
OXIGRAPH = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
pytestmark = [
    pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server (pip install oxigraph) is absent"),
    pytest.mark.serial,  # 10,000 requests against a deadline: runs alone
]

REQUESTS = 10_000
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
CLIENTS = 8

#: Lookups of one career each, the most frequent request of the explorer and the query page.
CAREERS = [
    "data-scientist",
    "machine-learning-engineer",
    "data-engineer",
    "cloud-engineer",
    "data-analyst",
    "devops-engineer",
]
LOOKUP = (
    "SELECT ?l ?skill WHERE {{ career:{id} skos:prefLabel ?l . "
    "OPTIONAL {{ career:{id} ckg:essentialSkill ?s . ?s skos:prefLabel ?skill }} }}"
)


@pytest.fixture(scope="module")
def oxigraph_endpoint(tmp_path_factory):
    port = free_port()
    location = str(tmp_path_factory.mktemp("oxigraph-cluster"))
    url = f"http://127.0.0.1:{port}/query"
    command = [
        OXIGRAPH,
        "serve",
        "--location",
        location,
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    with serving(command, url + "?query=ASK%7B%7D"):
        CareerGraph.open(url)  # builds the curated graph into the server
        yield url


def _canonical(body: bytes, media: str) -> object:
    """A SPARQL JSON answer with its rows in one order (the protocol leaves it open), or the
    sorted lines of an N-Triples one (careerkg's graphs hold no blank nodes)."""
    if media.startswith("application/n-triples"):
        return sorted(body.decode("utf-8").splitlines())
    data = json.loads(body)
    if "boolean" in data:
        return data["boolean"]
    rows = sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])
    return sorted(data["head"]["vars"]), rows


def _client(port_of, targets, start, count, answers, failures, latencies, lock) -> None:
    """Send ``count`` requests, the ``targets`` in turn from ``start``, each round of them to the
    other server; keep every distinct answer per (target, server)."""
    conns = {}
    mine_latency = []
    mine_answers: dict[tuple[int, int], set] = {}
    bad = []
    for i in range(count):
        server = ((start + i) // len(targets)) % 2
        which = (start + i) % len(targets)
        target = targets[which]
        conn = conns.get(server)
        if conn is None:
            conn = conns[server] = http.client.HTTPConnection("127.0.0.1", port_of[server], timeout=30)
        began = time.perf_counter()
        try:
            conn.request("GET", target, headers={"Accept": ACCEPT})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                bad.append(f"HTTP {response.status}: {body[:200]!r}")
            else:
                media = response.getheader("Content-Type", "")
                mine_answers.setdefault((which, server), set()).add(json.dumps(_canonical(body, media)))
        except (OSError, http.client.HTTPException, ValueError) as e:
            bad.append(f"{type(e).__name__}: {e}")
            conns.pop(server).close()
        mine_latency.append((time.perf_counter() - began) * 1000)
    for conn in conns.values():
        conn.close()
    with lock:
        latencies.extend(mine_latency)
        failures.extend(bad)
        for key, values in mine_answers.items():
            answers.setdefault(key, set()).update(values)


def test_two_serve_processes_on_one_oxigraph_answer_10000_requests_alike(oxigraph_endpoint, suite_report):
    queries = [text for _, _, text in example_queries()] + [LOOKUP.format(id=c) for c in CAREERS]
    # Lookups are what most requests are: every example query once per round, lookups thrice.
    mix = [t for _, _, t in example_queries()] + [LOOKUP.format(id=c) for c in CAREERS] * 3
    targets = ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in queries]
    order = [queries.index(q) for q in mix]
    ports = [free_port(), free_port()]
    careerkg = str(BIN / "careerkg")

    def command(port: int) -> list[str]:
        return [careerkg, "serve", "--store", oxigraph_endpoint, "--port", str(port)]

    probe = "/sparql?query=ASK%7B%7D"
    with (
        serving(command(ports[0]), f"http://127.0.0.1:{ports[0]}{probe}", seconds=60),
        serving(command(ports[1]), f"http://127.0.0.1:{ports[1]}{probe}", seconds=60),
    ):
        ordered = [targets[i] for i in order]
        answers: dict[tuple[int, int], set] = {}
        failures: list[str] = []
        latencies: list[float] = []
        lock = threading.Lock()
        per_client = REQUESTS // CLIENTS
        threads = [
            threading.Thread(
                target=_client,
                args=(ports, ordered, k * 7, per_client, answers, failures, latencies, lock),
            )
            for k in range(CLIENTS)
        ]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
    latencies.sort()
    total = len(latencies)
    p50, p99 = latencies[total // 2], latencies[int(total * 0.99) - 1]
    suite_report(
        f"serve cluster: {total:,} requests from {CLIENTS} clients to 2 careerkg serve on 1 Oxigraph "
        f"in {elapsed:.1f} s ({total / elapsed:,.0f}/s): {len(failures)} errors, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )
    assert total == REQUESTS
    assert failures == [], failures[:5]
    # Remap answers from positions in the mix to distinct queries, per server.
    by_query: dict[int, list[set]] = {}
    for (which, server), values in answers.items():
        sets = by_query.setdefault(order[which], [set(), set()])
        sets[server] |= values
    assert sorted(by_query) == list(range(len(queries)))
    for index, (first, second) in by_query.items():
        assert len(first) == 1, f"server 1 gave {len(first)} different answers to {queries[index]}"
        assert first == second, f"the two servers answer differently to {queries[index]}"

"""``careerkg serve`` under hostile use (issue 14, findings 7, 8, 9 and 14): a query that eats
memory, huge requests, a flood of heavy queries, SERVICE as a way into the network, tokens on
the command line. The measurements are printed (``pytest -s`` shows them)."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from local_servers import free_port, serving
from test_pool import DOUBLING

CAREERKG = str(Path(sys.executable).parent / "careerkg")
LOOKUP = "SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }"
HEAVY = 'SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?i != "{}") }}'  # a product
TOKEN = "abuse-test-token-0123456789"

pytestmark = pytest.mark.serial  # p99 under a flood and memory peaks: runs alone


@pytest.fixture(scope="module")
def server(copy_of_built_store):
    store = copy_of_built_store("abuse")
    port = free_port()
    command = [CAREERKG, "serve", "--store", str(store), "--port", str(port), "--timeout", "3"]
    command += ["--worker-memory", "256M", "--max-body", "8K"]
    with serving(command, f"http://127.0.0.1:{port}/prefixes", seconds=40) as process:
        yield port, process


def request(
    port: int, method: str, path: str, body=None, headers: dict | None = None, timeout: float = 30
) -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of one request to the server under test."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=body is not None)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def get(port: int, query: str, timeout: float = 30) -> tuple[int, dict[str, str], str]:
    return request(port, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), timeout=timeout)


def rss_peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# ------------------------------------------------------------------- 7. memory per query


def test_concat_doubling_query_is_stopped_by_the_memory_cap(server, suite_report):
    port, _ = server
    started = time.monotonic()
    status, _, body = get(port, DOUBLING)
    seconds = time.monotonic() - started
    peak = re.search(r"peaked at (\d+) MiB", body)
    worker = peak and peak.group(1)
    suite_report(f"CONCAT doubling: HTTP {status} in {seconds:.2f} s, worker peak {worker} MiB")
    assert status == 503, body
    assert "needed more than the 256 MiB a query may use" in body
    assert body.count("\n") == 1
    assert peak and int(peak.group(1)) < 1024
    for _ in range(3):  # the server serves on: the worker was replaced
        status, _, body = get(port, LOOKUP)
        assert status == 200 and "Data Scientist" in body


# ------------------------------------------------------------------- 8. request size


def test_a_100_mb_body_is_refused_without_being_held(server, suite_report):
    port, process = server
    before = rss_peak_kib(process.pid)
    sent = 0

    def body():
        nonlocal sent
        chunk = b"SELECT * WHERE { ?s ?p ?o } # " + b"x" * (64 * 1024 - 30)
        for _ in range(1600):  # 100 MiB in 64 KiB chunks, never all in memory here either
            sent += len(chunk)
            yield chunk

    started = time.monotonic()
    status, _, text = request(
        port, "POST", "/sparql", body=body(), headers={"Content-Type": "application/sparql-query"}
    )
    grown = (rss_peak_kib(process.pid) - before) / 1024
    suite_report(
        f"100 MiB body: HTTP {status} after {time.monotonic() - started:.2f} s, {sent / 2**20:.0f} MiB sent, "
        f"server peak RSS grew {grown:.1f} MiB: {text.strip()}"
    )
    assert status == 413 and "request body too large: the limit is 8,192 bytes" in text
    assert grown < 50


def test_a_query_over_the_limit_by_get_is_refused(server):
    port, _ = server
    query = LOOKUP + " #" + "x" * 9000  # 9 KB: over --max-body 8K, under the HTTP head limit
    status, _, body = get(port, query)
    assert status == 413 and "query string too large" in body
    assert get(port, LOOKUP)[0] == 200


def test_long_query_texts_are_not_kept_by_the_caches():
    from starlette.testclient import TestClient

    from careerkg import CareerGraph
    from careerkg.sparql import analyse, prefixes_used
    from careerkg.web.server import ServerConfig, create_app

    assert ServerConfig().max_body == 2**20
    app = create_app(CareerGraph.open("oxigraph-memory"), ServerConfig(max_body=64 * 1024))
    with TestClient(app) as client:
        cached = (analyse.cache_info().currsize, prefixes_used.cache_info().currsize)
        for i in range(3):
            long_query = f"SELECT * WHERE {{ ?s skos:prefLabel ?l }} LIMIT 1 # {i} " + "x" * 20_000
            assert client.get("/sparql", params={"query": long_query}).status_code == 200
            assert (analyse.cache_info().currsize, prefixes_used.cache_info().currsize) == cached
        assert client.post("/sparql", data={"query": LOOKUP + "#" + "y" * 70_000}).status_code == 413


# ------------------------------------------------------------------- 9. heavy-query flood


def test_two_clients_flooding_heavy_queries_leave_lookups_fast(server, suite_report):
    port, _ = server
    stop = threading.Event()
    heavy_answers: list[int] = []

    def flood(name: str) -> None:
        for i in range(200):  # bounded; a new text each time, so none is known heavy beforehand
            if stop.is_set():
                return
            heavy_answers.append(get(port, HEAVY.format(f"{name}{i}"), timeout=20)[0])

    attackers = [threading.Thread(target=flood, args=(n,), daemon=True) for n in "ab"]
    for attacker in attackers:
        attacker.start()
    time.sleep(1.0)  # both heavy queries are running now
    latencies = []
    try:
        for _ in range(100):
            started = time.monotonic()
            status, _, body = get(port, LOOKUP, timeout=10)
            latencies.append(time.monotonic() - started)
            assert status == 200 and "Data Scientist" in body
            time.sleep(0.02)
    finally:
        stop.set()
        for attacker in attackers:
            attacker.join(30)
    latencies.sort()
    p50, p99 = latencies[49], latencies[98]
    suite_report(
        f"lookups under a two-client heavy flood: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms; heavy answers {sorted(set(heavy_answers))} x{len(heavy_answers)}"
    )
    assert p99 <= 0.5
    assert heavy_answers and set(heavy_answers) <= {503}


def test_overloaded_is_503_with_retry_after():
    from careerkg.store.pool import Overloaded
    from careerkg.web.server import _failed

    response = _failed(Overloaded("the server is busy: 16 queries are waiting; try again soon", 3))
    assert response.status_code == 503 and response.headers["retry-after"] == "3"


# ------------------------------------------------------------------- 14. SERVICE, LOAD, tokens


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--allow-update", "--token", "a-long-enough-token-123"], {}, "No such option"),
        (["--allow-update"], {"CAREERKG_UPDATE_TOKEN": "short"}, "at least 16 characters, not 5"),
        (["--allow-service", "--service-host", "example.org"], {"CAREERKG_UPDATE_TOKEN": "x" * 15}, "not 15"),
        (["--allow-update", "--token-file", "TOKENFILE"], {}, "at least 16 characters, not 6"),
        (["--allow-service"], {"CAREERKG_UPDATE_TOKEN": TOKEN}, "needs at least one --service-host"),
    ],
)
def test_serve_refuses_unsafe_token_settings(tmp_path, args, env, message):
    token_file = tmp_path / "token"
    token_file.write_text("s3cret\n")
    args = [str(token_file) if a == "TOKENFILE" else a for a in args]
    environment = {k: v for k, v in os.environ.items() if k != "CAREERKG_UPDATE_TOKEN"} | env
    run = subprocess.run(
        [CAREERKG, "serve", "--store", str(tmp_path / "none"), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=30,
    )
    assert run.returncode == 2
    assert message in run.stderr
    if "No such option" not in message:
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr


@pytest.fixture(scope="module")
def service_app():
    from starlette.testclient import TestClient

    from careerkg import CareerGraph
    from careerkg.web.server import ServerConfig, create_app

    config = ServerConfig(
        token=TOKEN, allow_update=True, allow_service=True, service_hosts=["sparql.example.org"]
    )
    with TestClient(create_app(CareerGraph.open("oxigraph-memory"), config)) as client:
        yield client


@pytest.mark.parametrize(
    ("field", "text", "token", "status", "message"),
    [
        ("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", None, 401, "token"),
        (
            "query",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            TOKEN,
            403,
            "SERVICE to 127.0.0.1:9 is refused",
        ),
        (
            "query",
            "PREFIX e: <http://sparql.example.org.evil.test/> SELECT * WHERE { SERVICE e:q { ?s ?p ?o } }",
            TOKEN,
            403,
            "SERVICE to sparql.example.org.evil.test is refused",
        ),
        (
            "query",
            "SELECT * WHERE { BIND(<http://sparql.example.org/> AS ?u) SERVICE ?u { ?s ?p ?o } }",
            TOKEN,
            403,
            "IRI written out",
        ),
        (
            "update",
            "LOAD <http://169.254.169.254/latest/meta-data>",
            TOKEN,
            403,
            "LOAD to 169.254.169.254 is refused",
        ),
        ("update", "LOAD <http://sparql.example.org/data.ttl>", None, 401, "token"),
    ],
)
def test_service_and_load_need_the_token_and_an_allowed_host(
    service_app, field, text, token, status, message
):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = service_app.post("/sparql", data={field: text}, headers=headers)
    assert answer.status_code == status, answer.text
    assert message in answer.text and answer.text.count("\n") == 1


def test_an_allowed_service_host_passes_the_check():
    from careerkg.web.server import ServerConfig, _check_remote

    config = ServerConfig(
        token=TOKEN, allow_service=True, service_hosts=["sparql.example.org", "data.test:8080"]
    )
    _check_remote(config, "SELECT * WHERE { SERVICE <https://sparql.example.org/q> { ?s ?p ?o } }", False)
    _check_remote(config, "LOAD <http://data.test:8080/a.ttl> INTO GRAPH <urn:g>", True)

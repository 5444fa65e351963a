"""``careerkg serve``: the SPARQL 1.1 Protocol with real clients (SPARQLWrapper, curl)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.query import Result

from local_servers import free_port, serving

CAREERKG = str(Path(sys.executable).parent / "careerkg")
ASK_ML = "ASK { career:computer-vision-engineer ckg:specializationOf+ career:machine-learning-engineer }"
LOOKUP = "SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }"
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TOKEN = "s3cret-0123456789abcdef"


@pytest.fixture(scope="module")
def server(copy_of_built_store):
    store = copy_of_built_store("serve")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        CAREERKG,
        "serve",
        "--store",
        str(store),
        "--port",
        str(port),
        "--timeout",
        "1.5",
        "--row-limit",
        "50",
    ]
    with serving(command, base + "/prefixes"):
        yield base


def curl(*args: str) -> tuple[int, str, str]:
    """(status, content type, body) of a curl request."""
    run = subprocess.run(
        ["curl", "-s", "-o", "-", "-w", "\n%{http_code} %{content_type}", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    body, _, tail = run.stdout.rpartition("\n")
    status, _, ctype = tail.partition(" ")
    return int(status), ctype, body


# ----------------------------------------------------------------------------- SPARQLWrapper


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_format(server, fmt):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(LOOKUP)
    client.setReturnFormat(fmt)
    raw = client.query()
    data = raw.response.read()
    if fmt == "json":
        assert json.loads(data)["results"]["bindings"][0]["l"] == {
            "type": "literal",
            "value": "Data Scientist",
            "xml:lang": "en",
        }
    elif fmt == "xml":
        row = next(iter(Result.parse(io.BytesIO(data), format="xml")))
        assert str(row[0]) == "Data Scientist" and row[0].language == "en"
    elif fmt == "csv":
        assert data.decode() == "l\r\nData Scientist\r\n"
    else:
        assert data.decode() == '?l\n"Data Scientist"@en\n'


def test_sparqlwrapper_converts_json(server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setMethod(POST)
    client.setQuery(ASK_ML)
    client.setReturnFormat(JSON)
    assert client.query().convert() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("turtle", "turtle"), ("json-ld", "json-ld"), ("xml", "xml"), ("n3", "turtle")]
)
def test_sparqlwrapper_construct_in_graph_formats(server, fmt, rdflib_format):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("DESCRIBE career:data-scientist")
    client.setReturnFormat(fmt)
    data = client.query().response.read()
    graph = Graph().parse(data=data, format=rdflib_format)
    assert len(graph) > 20


# ----------------------------------------------------------------------------- curl


def test_curl_get(server):
    status, ctype, body = curl(
        "-G", "-H", "Accept: text/csv", "--data-urlencode", f"query={LOOKUP}", server + "/sparql"
    )
    assert (status, ctype) == (200, "text/csv; charset=utf-8")
    assert body.replace("\r", "").strip() == "l\nData Scientist"


def test_curl_post_form(server):
    status, ctype, body = curl("--data-urlencode", f"query={LOOKUP}", server + "/sparql")
    assert (status, ctype) == (200, "application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["l"]["value"] == "Data Scientist"


def test_curl_post_direct(server):
    status, ctype, body = curl(
        "-H",
        "Content-Type: application/sparql-query",
        "-H",
        "Accept: application/sparql-results+xml",
        "--data-binary",
        ASK_ML,
        server + "/sparql",
    )
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    assert "<boolean>true</boolean>" in body


def test_curl_construct_negotiates_ntriples(server):
    status, ctype, body = curl(
        "-G",
        "-H",
        "Accept: application/n-triples",
        "--data-urlencode",
        "query=CONSTRUCT { ?c skos:prefLabel ?l } WHERE { VALUES ?c "
        "{ career:data-scientist } ?c skos:prefLabel ?l }",
        server + "/sparql",
    )
    assert status == 200 and ctype.startswith("application/n-triples")
    assert body.strip() == (
        "<https://w3id.org/careerkg/career/data-scientist> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Data Scientist"@en .'
    )


def test_syntax_error_is_400_with_position(server):
    status, ctype, body = curl(
        "-G", "--data-urlencode", "query=SELECT * WHERE {\n ?s ?p }", server + "/sparql"
    )
    assert status == 400 and ctype.startswith("text/plain")
    assert body.startswith("SPARQL syntax error at line 2, column 9")


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["--data-urlencode", "update=INSERT DATA { <urn:a> <urn:b> <urn:c> }"],
            403,
            "SPARQL Update is disabled",
        ),
        (
            [
                "-H",
                "Content-Type: application/sparql-update",
                "--data-binary",
                "LOAD <http://example.org/data.ttl>",
            ],
            403,
            "SPARQL Update is disabled",
        ),
        (
            [
                "-G",
                "--data-urlencode",
                "query=SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            ],
            403,
            "SERVICE (federated query) is disabled",
        ),
        (["-H", "Content-Type: text/plain", "--data-binary", "SELECT * {}"], 415, "unsupported Content-Type"),
        (
            ["-G", "-H", "Accept: image/png", "--data-urlencode", f"query={LOOKUP}"],
            406,
            "no acceptable result format",
        ),
        (["-X", "PUT", "--data-binary", "x"], 405, "Method Not Allowed"),
        (["-G"], 400, "missing the query parameter"),
    ],
)
def test_refusals_and_errors(server, args, status, message):
    got_status, _, body = curl(*args, server + "/sparql")
    assert got_status == status
    assert message in body


def test_row_limit_truncates_and_says_so(server):
    run = subprocess.run(
        [
            "curl",
            "-s",
            "-D",
            "-",
            "-G",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            "query=SELECT ?s WHERE { ?s ?p ?o }",
            server + "/sparql",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    head, _, body = run.stdout.partition("\n\n")
    assert "x-careerkg-truncated: true" in head.lower()
    assert len(body.strip().splitlines()) == 51  # header + 50 rows


@pytest.mark.serial  # asserts a time bound: runs alone
def test_hostile_query_is_stopped_while_others_are_answered(server):
    answers: list[tuple[int, str]] = []
    hostile = threading.Thread(
        target=lambda: answers.append(
            curl("-G", "--data-urlencode", f"query={HOSTILE}", server + "/sparql")[::2]
        )
    )
    started = time.monotonic()
    hostile.start()
    time.sleep(0.2)
    for _ in range(5):
        status, _, body = curl(
            "-G", "-H", "Accept: text/csv", "--data-urlencode", f"query={LOOKUP}", server + "/sparql"
        )
        assert status == 200 and "Data Scientist" in body
    assert time.monotonic() - started < 1.5, "lookups waited for the hostile query"
    hostile.join(20)
    assert answers[0][0] == 503
    assert "ran longer than the 1.5 s timeout" in answers[0][1]
    # the killed worker is replaced: the server still answers afterwards, repeatedly
    for _ in range(4):
        assert curl("-G", "--data-urlencode", f"query={ASK_ML}", server + "/sparql")[0] == 200


def test_query_page_works_offline(server):
    status, ctype, body = curl(server + "/?query=SELECT%201")
    assert status == 200 and ctype.startswith("text/html")
    assert "http://" not in body.replace("http://127", "") and "https://" not in body
    for asset in ("/static/sparql/sparql.js", "/static/sparql/sparql.css"):
        status, _, text = curl(server + asset)
        assert status == 200 and "https://" not in text and "http://" not in text


def test_examples_are_served(server):
    status, _, body = curl(server + "/examples")
    examples = json.loads(body)
    assert status == 200 and len(examples) >= 15
    assert examples[0]["question"].endswith("?")


# ----------------------------------------------------------------------------- in process


@pytest.fixture(scope="module")
def writable_app():
    from starlette.testclient import TestClient

    from careerkg import CareerGraph
    from careerkg.web.server import ServerConfig, create_app

    kg = CareerGraph.open("oxigraph-memory")
    app = create_app(kg, ServerConfig(token=TOKEN, allow_update=True, cors_origins=["http://localhost:5173"]))
    with TestClient(app) as client:
        yield client


def test_update_needs_the_token(writable_app):
    update = {"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'c' } }"}
    assert writable_app.post("/sparql", data=update).status_code == 401
    for wrong in (b"Bearer wrong", "Bearer s3cr\u00e9t-0123456789abcdef".encode("latin-1")):
        assert writable_app.post("/sparql", data=update, headers={"Authorization": wrong}).status_code == 401
    assert (
        writable_app.post("/sparql", data=update, headers={"Authorization": f"Bearer {TOKEN}"}).status_code
        == 204
    )
    answer = writable_app.get("/sparql", params={"query": "SELECT ?o WHERE { <urn:a> <urn:b> ?o }"})
    assert answer.json()["results"]["bindings"] == [{"o": {"type": "literal", "value": "c"}}]


def test_load_refused_even_with_the_token(writable_app):
    answer = writable_app.post(
        "/sparql",
        data={"update": "LOAD <http://example.org/x.ttl>"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 403 and "LOAD is disabled" in answer.text


def test_cors_allows_the_configured_origin_only(writable_app):
    ok = writable_app.get("/sparql", params={"query": ASK_ML}, headers={"Origin": "http://localhost:5173"})
    assert ok.headers["access-control-allow-origin"] == "http://localhost:5173"
    other = writable_app.get("/sparql", params={"query": ASK_ML}, headers={"Origin": "http://evil.test"})
    assert "access-control-allow-origin" not in other.headers


def test_default_graph_uri_restricts_the_dataset(writable_app):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only = writable_app.get("/sparql", params={"query": query, "default-graph-uri": "urn:g"})
    assert only.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_shutdown_stops_the_explorer_workers(store_copy):
    """The server's lifespan closes every worker process it started, the explorer's too (those
    were left to the interpreter's exit before, so a program embedding the server kept them)."""
    import multiprocessing

    from starlette.testclient import TestClient

    from careerkg import CareerGraph
    from careerkg.store import OxigraphStore
    from careerkg.web.server import ServerConfig, create_app

    before = {p.pid for p in multiprocessing.active_children()}
    kg = CareerGraph.open(OxigraphStore(store_copy, read_only=True))
    app = create_app(kg, ServerConfig())
    with TestClient(app) as client:
        page = client.get("/explore/view", params={"c": "data scientist"}, follow_redirects=False)
        assert page.status_code == 200 and "Data Scientist" in page.text  # built in a worker
        deadline = time.monotonic() + 60  # the second worker starts in the background
        while True:
            workers = [p for p in multiprocessing.active_children() if p.pid not in before]
            explorers = [p for p in workers if p.name == "careerkg-explorer"]
            if len(explorers) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert len(explorers) == 2, [p.name for p in workers]  # the explorer's two
    for worker in workers:
        worker.join(timeout=10)
    assert [w.pid for w in workers if w.is_alive()] == []

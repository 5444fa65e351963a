"""A remote SPARQL store as ``--store``: tested against a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from careerkg import CareerGraph
from careerkg.errors import StoreError
from careerkg.namespaces import graph_iri
from careerkg.sparql import example_queries, run_query, serialize
from careerkg.store import open_store
from local_servers import free_port, serving

# Not rdflib's XSD namespace object: pytest probes module globals for attributes it lacks.
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

BIN = Path(sys.executable).parent
OXIGRAPH = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(
    OXIGRAPH is None, reason="the oxigraph server (pip install oxigraph) is absent"
)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    port = free_port()
    location = str(tmp_path_factory.mktemp("oxigraph-server"))
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
        yield url


@pytest.fixture(scope="module")
def remote_kg(endpoint):
    return CareerGraph.open(endpoint)  # builds the curated graph into the server


def test_open_store_gives_a_remote_store(endpoint):
    store = open_store(endpoint)
    assert store.kind == "remote" and store.location == endpoint


def test_build_writes_the_same_graph_as_locally(remote_kg, curated_kg):
    curated = graph_iri("curated")
    assert remote_kg.store.count(curated) == curated_kg.store.count(curated)
    # everything but the build time
    text = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ckgraph:curated { ?s ?p ?o } "
        "FILTER (?p != prov:generatedAtTime) }"
    )
    here = _plain(run_query(curated_kg.store, text).ntriples)
    there = _plain(run_query(remote_kg.store, text).ntriples)
    assert len(here) > 10_000
    assert isomorphic(here, there)


def _plain(ntriples: bytes) -> Graph:
    """The graph with "x"^^xsd:string written as "x" (the same literal in RDF 1.1)."""
    graph = Graph()
    for s, p, o in Graph().parse(data=ntriples.decode(), format="nt"):
        if isinstance(o, Literal) and o.datatype == XSD_STRING:
            o = Literal(str(o))
        graph.add((s, p, o))
    return graph


def test_traversal_reads_from_the_remote_store(remote_kg):
    profile = remote_kg.career("ml engineer")
    assert profile.label == "Machine Learning Engineer"
    assert any(s.label == "Python" for s in profile.skills)


@pytest.mark.parametrize(
    "name", ["01-skills-of-a-career", "04-careers-sharing-most-skills", "16-is-specialization"]
)
def test_example_queries_agree_with_the_embedded_store(remote_kg, curated_kg, name):
    text = next(t for n, _, t in example_queries() if n == name)
    assert serialize(run_query(remote_kg.store, text), "tsv") == serialize(
        run_query(curated_kg.store, text), "tsv"
    )


def test_parameters_are_bound_remotely(remote_kg):
    result = run_query(
        remote_kg.store,
        "SELECT ?l WHERE { ?c skos:prefLabel ?l }",
        {"c": URIRef("https://w3id.org/careerkg/career/data-scientist")},
    )
    assert result.values() == [("Data Scientist",)]


def test_replace_graph_streams_an_ntriples_file(remote_kg, tmp_path):
    target = URIRef("https://w3id.org/careerkg/graph/test-stream")
    file = tmp_path / "big.nt"
    with file.open("w", encoding="utf-8") as out:
        for i in range(20_000):
            out.write(f'<urn:s{i}> <urn:p> "value {i}" .\n')
    assert remote_kg.store.replace_graph(target, file) == 20_000
    assert remote_kg.store.count(target) == 20_000
    small = Graph()
    small.add((URIRef("urn:only"), URIRef("urn:p"), Literal("x")))
    assert remote_kg.store.replace_graph(target, small) == 1
    assert remote_kg.store.count(target) == 1
    remote_kg.store.drop_graph(target)
    assert not remote_kg.store.has_graph(target)


def test_bad_file_leaves_the_remote_graph_unchanged(remote_kg, tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    before = remote_kg.store.count(graph_iri("curated"))
    with pytest.raises(StoreError, match=r"bad\.nt: cannot load N-Triples, store unchanged"):
        remote_kg.store.replace_graph(graph_iri("curated"), bad)
    assert remote_kg.store.count(graph_iri("curated")) == before


def test_unreachable_endpoint_is_a_clear_error():
    port = free_port()
    with pytest.raises(StoreError, match=rf"cannot reach the SPARQL store at http://127.0.0.1:{port}/query"):
        open_store(f"http://127.0.0.1:{port}/query").graphs()


def test_cli_builds_and_queries_the_remote_store(endpoint):
    careerkg = str(BIN / "careerkg")
    run = subprocess.run(
        [
            careerkg,
            "query",
            "--store",
            endpoint,
            "-f",
            "csv",
            "SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["l", "Data Scientist"]

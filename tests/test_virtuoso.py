"""Virtuoso as a second tested engine: a real ``virtuoso-t`` on 127.0.0.1 (tests/local_servers.py)
gets ``careerkg build`` and ``careerkg import all`` of the fixture datasets, and then answers the
18 example queries, ``show``, ``gap``, ``path`` and ``viz`` exactly as the embedded store does
(results compared, not counts). Skips when Virtuoso is not installed."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from careerkg import CareerGraph
from careerkg.cli import app
from careerkg.imports import import_all
from careerkg.namespaces import graph_iri
from careerkg.sparql import example_queries, run_query
from careerkg.store import OxigraphStore, open_store
from careerkg.store.virtuoso import SYSTEM_GRAPHS, VirtuosoStore, plain_strings
from local_servers import virtuoso_server
from test_import_all import datasets

# Not rdflib's XSD namespace object: pytest probes module globals for attributes it lacks.
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"

EXAMPLES = {name: text for name, _, text in example_queries()}
#: Careers of the fixture graph walked by show / gap / path / viz: curated ones, one with a
#: crosswalk match, and imported O*NET and ESCO occupations.
CAREERS = ["machine learning engineer", "data scientist", "software developers", "computer vision engineer"]
PAIRS = [("data scientist", "machine learning engineer"), ("software developers", "data scientists")]
#: viz: a neighbourhood, a deeper one around an O*NET occupation, a path with its gap.
VIEWS = [(CAREERS[0], 1, None), (CAREERS[2], 2, None), (PAIRS[0][0], 1, PAIRS[0][1])]


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


@pytest.fixture(scope="module")
def fixture_datasets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return datasets(tmp_path_factory.mktemp("virtuoso-data") / "datasets")


@pytest.fixture(scope="module")
def embedded(fixture_datasets: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The same fixture data imported into an embedded store: the answers to match."""
    folder = tmp_path_factory.mktemp("embedded") / "store"
    import_all(OxigraphStore(folder), fixture_datasets, progress=False)
    return str(folder)


@pytest.fixture(scope="module")
def built(server: str) -> str:
    cli("build", "--store", server)
    return server


@pytest.fixture(scope="module")
def imported(built: str, fixture_datasets: Path) -> str:
    cli("import", "all", str(fixture_datasets), "--store", built, "--no-progress")
    return built


@pytest.fixture(scope="module")
def remote_kg(imported: str) -> CareerGraph:
    return CareerGraph.open(imported)


@pytest.fixture(scope="module")
def local_kg(embedded: str) -> CareerGraph:
    return CareerGraph.open(embedded, read_only=True)


def content(store, graph: URIRef) -> set[str]:
    """One named graph's triples, but for the time it was written."""
    return triples(run_query(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))


def triples(result) -> set[str]:
    """A CONSTRUCT's triples as N-Triples lines; pyoxigraph writes "x"^^xsd:string as "x" (one
    literal in RDF 1.1) and careerkg's graphs hold no blank nodes, so equal sets = equal graphs."""
    out = set()
    for t in ox.parse(result.ntriples, format=ox.RdfFormat.N_TRIPLES):
        assert not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        if t.predicate.value != GENERATED:
            out.add(str(t))
    return out


def assert_same(got: set[str], expected: set[str]) -> None:
    assert len(expected) > 10
    if got != expected:
        pytest.fail(f"unexpected: {sorted(got - expected)[:5]}\nmissing: {sorted(expected - got)[:5]}")


def test_a_virtuoso_url_opens_a_virtuoso_store(server: str):
    store = open_store(server)  # recognised by the Server header
    assert isinstance(store, VirtuosoStore) and store.kind == "virtuoso"
    assert store.gsp_url == server + "-graph-crud" and store.update_url == server
    named = open_store("virtuoso+" + server)
    assert isinstance(named, VirtuosoStore) and named.location == server


def test_build_writes_the_curated_graph_the_embedded_store_holds(built: str, embedded: str):
    there, here = open_store(built), open_store(embedded, read_only=True)
    assert there.graphs() == [graph_iri("curated"), graph_iri("ontology")]
    for graph in there.graphs():
        assert there.count(graph) == here.count(graph)
        assert_same(content(there, graph), content(here, graph))


def test_import_all_writes_the_graphs_the_embedded_store_holds(imported: str, embedded: str):
    there, here = open_store(imported), open_store(embedded, read_only=True)
    assert there.graphs() == here.graphs()
    assert not set(map(str, there.graphs())) & set(SYSTEM_GRAPHS)
    assert there.count() == here.count()
    for kind in ("onet", "esco", "crosswalk"):  # the curated graph: the test above
        assert there.count(graph_iri(kind)) == here.count(graph_iri(kind))
        assert_same(content(there, graph_iri(kind)), content(here, graph_iri(kind)))


def rows(store, text: str) -> list:
    """A SELECT's rows, sorted (ORDER BY leaves ties in any order), as RDF terms; an ASK's answer."""
    result = run_query(store, text)
    if result.form == "ASK":
        return [result.boolean]
    return sorted(result.rows, key=repr)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_queries_give_the_embedded_answers(imported: str, embedded: str, name: str):
    there, here = open_store(imported), open_store(embedded, read_only=True)
    text = EXAMPLES[name]
    if name == "17-career-card":
        assert_same(triples(run_query(there, text)), triples(run_query(here, text)))
        return
    got, expected = rows(there, text), rows(here, text)
    if name == "10-duties-of-a-career":
        # GROUP_CONCAT: SPARQL leaves the order of the values open, and Oxigraph keeps the
        # values' common language tag where Virtuoso returns a simple literal.
        got, expected = concatenated(there, text), concatenated(here, text)
    assert expected and got == expected


def concatenated(store, text: str) -> list[tuple]:
    result = run_query(store, text)
    out = []
    for row in result.rows:
        *head, skills = row
        out.append((*head, sorted(skills[1].split(", ")) if skills else None))
    return sorted(out, key=repr)


@pytest.mark.parametrize("career", CAREERS)
def test_show_gives_the_embedded_profile(remote_kg: CareerGraph, local_kg: CareerGraph, career: str):
    there = remote_kg.career(career)
    assert there.skills and there == local_kg.career(career)


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_gap_and_path_give_the_embedded_answers(
    remote_kg: CareerGraph, local_kg: CareerGraph, source, target
):
    gap = remote_kg.skill_gap(source, target)
    assert gap.transfer and gap == local_kg.skill_gap(source, target)
    paths = remote_kg.paths(source, target)
    assert paths and paths == local_kg.paths(source, target)


def drawn(view) -> tuple[list, list]:
    nodes = sorted(json.dumps(n, sort_keys=True) for n in view.nodes)
    edges = sorted(json.dumps(e, sort_keys=True) for e in view.edges)
    return nodes, edges


@pytest.mark.parametrize(("career", "depth", "to"), VIEWS)
def test_viz_draws_the_embedded_nodes_and_edges(
    remote_kg: CareerGraph, local_kg: CareerGraph, career, depth, to
):
    got = remote_kg.visualize(career, depth=depth, to=to)
    expected = local_kg.visualize(career, depth=depth, to=to)
    assert expected.nodes and drawn(got) == drawn(expected)
    assert (got.cut, got.total_nodes, got.notice) == (expected.cut, expected.total_nodes, expected.notice)


def test_the_commands_print_the_embedded_answers(imported: str, embedded: str, tmp_path, monkeypatch):
    """show, gap, path and viz as the CLI runs them (a fresh store and views per call)."""
    monkeypatch.chdir(tmp_path)  # viz writes careerkg-view.html into the working folder
    (source, target), career = PAIRS[0], CAREERS[0]
    for args in (
        ["show", career],
        ["gap", source, target],
        ["path", source, target],
        ["viz", career, "--depth", "2"],
    ):
        there = json.loads(cli(*args, "--json", "--store", imported))
        assert there and there == json.loads(cli(*args, "--json", "--store", embedded))


def test_typed_strings_are_written_plain(server: str, tmp_path: Path):
    """Virtuoso keeps "x" and "x"^^xsd:string apart (they are one literal in RDF 1.1): careerkg
    writes the plain form, so a join on a code typed in one graph and plain in another holds."""
    assert plain_strings(b'<urn:a> <urn:p> "a\\"^^<x> ."^^<http://www.w3.org/2001/XMLSchema#string> .\n') == (
        b'<urn:a> <urn:p> "a\\"^^<x> ." .\n'
    )
    store = open_store(server)
    typed, bare = URIRef("urn:test:typed"), URIRef("urn:test:bare")
    file = tmp_path / "typed.nt"
    file.write_text(f'<urn:x> <urn:code> "15-1252.00"^^<{XSD_STRING}> .\n', encoding="utf-8")
    store.replace_graph(typed, file)
    g = Graph()
    g.add((URIRef("urn:y"), URIRef("urn:code"), Literal("15-1252.00")))
    store.replace_graph(bare, g)
    joined = run_query(store, "SELECT ?x ?y WHERE { ?x <urn:code> ?c . ?y <urn:code> ?c FILTER (?x != ?y) }")
    assert len(joined.rows) == 2
    for graph in (typed, bare):
        store.drop_graph(graph)
        assert not store.has_graph(graph)


def test_a_graph_is_replaced_without_the_graph_store_protocol(server: str, tmp_path: Path):
    """Regression: one INSERT DATA of the curated graph failed ("SP030 ... memory exhausted")."""
    store = open_store("virtuoso+" + server + "#gsp=")
    assert store.gsp_url is None
    file = tmp_path / "big.nt"
    with file.open("w", encoding="utf-8") as out:
        for i in range(12_000):
            out.write(f'<urn:s{i}> <urn:p> "value {i}"^^<{XSD_STRING}> .\n')
    target = URIRef("urn:test:update-only")
    assert store.replace_graph(target, file) == 12_000
    assert store.count(target) == 12_000
    small = Graph()
    small.add((URIRef("urn:only"), URIRef("urn:p"), Literal("x")))
    assert store.replace_graph(target, small) == 1
    assert store.count(target) == 1
    store.drop_graph(target)
    assert not store.has_graph(target)

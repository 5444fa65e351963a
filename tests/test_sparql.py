"""careerkg.sparql and ``careerkg query``: example queries, parameters, formats, errors, timeouts.

Each example query in examples/queries has its expected answer in tests/data/queries (TSV for
SELECT/ASK, N-Triples for CONSTRUCT) computed on the curated data. After a deliberate change to
the curated data, regenerate them with ``CAREERKG_REGEN_QUERIES=1 pytest tests/test_sparql.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from careerkg.errors import QueryError
from careerkg.sparql import (
    Refused,
    analyse,
    bind_values,
    cell_from_ox,
    cell_from_rdflib,
    example_queries,
    parse_param,
    run_query,
    serialize,
)

REPO = Path(__file__).resolve().parents[1]
EXPECTED = Path(__file__).resolve().parent / "data" / "queries"
EXAMPLES = example_queries()
CAREERKG = [str(Path(sys.executable).parent / "careerkg")]
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def test_at_least_fifteen_examples_each_with_a_question():
    assert len(EXAMPLES) >= 15
    for name, question, text in EXAMPLES:
        assert question.endswith(("?", ".")), f"{name}: header comment must say the question"
        assert analyse(text).form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), name


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, _, t in EXAMPLES], ids=[n for n, _, _ in EXAMPLES])
def test_example_query_gives_expected_result(curated_kg, name, text):
    result = run_query(curated_kg.store, text)
    if result.returns_graph:
        expected_file = EXPECTED / f"{name}.nt"
        if os.environ.get("CAREERKG_REGEN_QUERIES"):
            expected_file.write_bytes(result.ntriples)
        got = Graph().parse(data=result.ntriples.decode(), format="nt")
        expected = Graph().parse(expected_file, format="nt")
        assert len(got) > 0
        assert isomorphic(got, expected)
        return
    expected_file = EXPECTED / f"{name}.tsv"
    data = serialize(result, "tsv").decode()
    if os.environ.get("CAREERKG_REGEN_QUERIES"):
        expected_file.write_text(data, encoding="utf-8")
    assert data.count("\n") >= 2, f"{name} returned no rows"
    assert data == expected_file.read_text(encoding="utf-8")


GROUP_CONCAT_COLUMNS = {"10-duties-of-a-career": "skills"}


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, _, t in EXAMPLES], ids=[n for n, _, _ in EXAMPLES])
def test_rdflib_memory_store_agrees_with_oxigraph(curated_kg, memory_kg, name, text):
    # The examples are written for speed on Oxigraph; they must stay standard SPARQL that
    # another engine (here rdflib, the benchmark's baseline) answers the same way.
    ox_result = run_query(curated_kg.store, text)
    mem_result = run_query(memory_kg.store, text)
    if ox_result.returns_graph:
        got = Graph().parse(data=mem_result.ntriples.decode(), format="nt")
        assert isomorphic(got, Graph().parse(data=ox_result.ntriples.decode(), format="nt"))
        return
    if name in GROUP_CONCAT_COLUMNS:
        # GROUP_CONCAT's order (and the language of its result) is left to the engine by the
        # SPARQL spec: compare the concatenated parts as sets.
        column = ox_result.variables.index(GROUP_CONCAT_COLUMNS[name])

        def parts(result):
            return [
                tuple(sorted(v.split(", ")) if i == column else v for i, v in enumerate(row))
                for row in result.values()
            ]

        assert parts(mem_result) == parts(ox_result)
        return
    assert serialize(mem_result, "tsv") == serialize(ox_result, "tsv")


@pytest.mark.parametrize(
    ("ox_term", "rdflib_term"),
    [
        (ox.NamedNode("https://w3id.org/careerkg/career/x"), URIRef("https://w3id.org/careerkg/career/x")),
        (ox.BlankNode("b1"), BNode("b1")),
        (ox.Literal("Data Scientist", language="en"), Literal("Data Scientist", lang="en")),
        (ox.Literal("5", datatype=ox.NamedNode(XSD_INTEGER)), Literal("5", datatype=URIRef(XSD_INTEGER))),
        (ox.Literal("plain"), Literal("plain")),
        (None, None),
    ],
)
def test_fast_oxigraph_cells_match_rdflib_cells(ox_term, rdflib_term):
    # run_query converts Oxigraph terms on a fast path; every kind of term must come out as the
    # rdflib path makes it, or the same query would serialize differently per store.
    assert cell_from_ox(ox_term) == cell_from_rdflib(rdflib_term)


def test_scanning_examples_say_so():
    # The benchmark holds queries marked "# Scans:" to the ratio only; the mark must not spread.
    marked = {n for n, _, t in EXAMPLES if any(line.startswith("# Scans:") for line in t.splitlines())}
    assert marked == {"06-hot-technologies", "08-most-alternative-names", "12-find-career-by-name"}


def test_parameter_is_bound_even_when_not_projected(curated_kg):
    result = run_query(
        curated_kg.store,
        "SELECT ?l WHERE { ?c skos:prefLabel ?l }",
        {"c": URIRef("https://w3id.org/careerkg/career/data-scientist")},
    )
    assert result.values() == [("Data Scientist",)]


def test_parameter_gives_same_answer_on_memory_store(memory_kg):
    result = run_query(
        memory_kg.store,
        "SELECT ?l WHERE { ?c skos:prefLabel ?l }",
        {"c": URIRef("https://w3id.org/careerkg/career/data-scientist")},
    )
    assert result.values() == [("Data Scientist",)]


def test_injection_through_a_literal_parameter_stays_a_literal(curated_kg):
    hostile = 'Data Scientist"@en } UNION { ?c ?p ?l } #'
    result = run_query(
        curated_kg.store, "SELECT ?c WHERE { ?c skos:prefLabel ?l }", {"l": Literal(hostile, lang="en")}
    )
    assert result.rows == []
    text = bind_values("SELECT ?c WHERE { ?c skos:prefLabel ?l }", {"l": Literal(hostile)})
    assert analyse(text).form == "SELECT"
    assert text.count("UNION") == 1 and '\\"@en } UNION' in text


def test_injection_through_an_iri_parameter_is_refused(curated_kg):
    with pytest.raises(QueryError, match="bad parameter value"):
        run_query(
            curated_kg.store,
            "SELECT * WHERE { ?c ?p ?o }",
            {"c": URIRef("urn:x> ?p ?o } ; DROP ALL ; SELECT * { <urn:y")},
        )


def test_bad_parameter_name_is_refused():
    with pytest.raises(QueryError, match="bad parameter name"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s } DROP": URIRef("urn:x")})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c=career:data-scientist", URIRef("https://w3id.org/careerkg/career/data-scientist")),
        ("c=<urn:x>", URIRef("urn:x")),
        ('l="Data Scientist"@en', Literal("Data Scientist", lang="en")),
        ("n=7", Literal(7)),
        ("t=plain text", Literal("plain text")),
    ],
)
def test_parse_param(text, expected):
    assert parse_param(text)[1] == expected


def test_parse_param_without_equals_sign():
    with pytest.raises(QueryError, match="expected name=value"):
        parse_param("career:data-scientist")


def test_syntax_error_names_line_and_column(curated_kg):
    with pytest.raises(QueryError, match=r"line 4, column 2: "):
        run_query(curated_kg.store, "SELECT *\nWHERE {\n  ?s ?p\n}")


def test_syntax_error_position_is_in_the_text_written_even_with_parameters(curated_kg):
    with pytest.raises(QueryError, match=r"line 1, column 33: expected"):
        run_query(curated_kg.store, "SELECT * WHERE { ?s ?p ?o . ?s }", {"s": URIRef("urn:x")})


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "Update is not allowed"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ],
)
def test_refused_by_default(curated_kg, text, match):
    with pytest.raises(Refused, match=match):
        run_query(curated_kg.store, text)


def test_service_keyword_inside_a_string_is_not_refused(curated_kg):
    result = run_query(curated_kg.store, 'SELECT ("SERVICE LOAD" AS ?x) WHERE {}')
    assert result.values() == [("SERVICE LOAD",)]


@pytest.mark.serial  # asserts a time bound: runs alone
def test_timeout_stops_waiting(curated_kg):
    # In a child process: Oxigraph cannot be cancelled, so the abandoned query goes on in its
    # thread (sorting a cartesian product, using ever more memory) until the process ends.
    script = f"""
import sys, time
from pathlib import Path
from careerkg.store import OxigraphStore
from careerkg.sparql import Timeout, run_query
store = OxigraphStore(Path({str(curated_kg.store.path)!r}), read_only=True)
started = time.monotonic()
try:
    run_query(store, "SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} ORDER BY ?a ?d ?g", timeout=0.5)
except Timeout as e:
    print(f"{{e}} after {{time.monotonic() - started:.2f}}", flush=True)
    import os; os._exit(0)
print("no timeout")
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    message, _, seconds = run.stdout.strip().rpartition(" after ")
    assert message == "query stopped: it ran longer than the 0.5 s timeout"
    assert 0.5 <= float(seconds) < 3


def test_row_limit_marks_truncation(curated_kg):
    result = run_query(curated_kg.store, "SELECT ?c WHERE { ?c a ckg:Career }", limit=3)
    assert len(result.rows) == 3 and result.truncated


def _select(curated_kg):
    return run_query(
        curated_kg.store,
        """SELECT ?c ?l ?n WHERE {
        VALUES ?c { career:data-scientist } ?c skos:prefLabel ?l . BIND(3 AS ?n) }""",
    )


def test_json_results_follow_the_standard(curated_kg):
    data = json.loads(serialize(_select(curated_kg), "json"))
    assert data["head"]["vars"] == ["c", "l", "n"]
    row = data["results"]["bindings"][0]
    assert row["c"] == {"type": "uri", "value": "https://w3id.org/careerkg/career/data-scientist"}
    assert row["l"] == {"type": "literal", "value": "Data Scientist", "xml:lang": "en"}
    assert row["n"] == {
        "type": "literal",
        "value": "3",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_xml_results_parse_with_rdflib(curated_kg):
    import io

    from rdflib.query import Result

    parsed = Result.parse(io.BytesIO(serialize(_select(curated_kg), "xml")), format="xml")
    row = next(iter(parsed))
    assert str(row[1]) == "Data Scientist" and row[1].language == "en" and int(row[2]) == 3


def test_csv_and_tsv(curated_kg):
    result = _select(curated_kg)
    assert serialize(result, "csv").decode() == (
        "c,l,n\r\nhttps://w3id.org/careerkg/career/data-scientist,Data Scientist,3\r\n"
    )
    assert serialize(result, "tsv").decode() == (
        '?c\t?l\t?n\n<https://w3id.org/careerkg/career/data-scientist>\t"Data Scientist"@en\t'
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
    )


def test_construct_in_turtle_and_jsonld_is_the_same_graph(curated_kg):
    result = run_query(curated_kg.store, "DESCRIBE career:data-scientist")
    nt = Graph().parse(data=result.ntriples.decode(), format="nt")
    turtle = Graph().parse(data=serialize(result, "turtle").decode(), format="turtle")
    jsonld = Graph().parse(data=serialize(result, "jsonld").decode(), format="json-ld")
    assert len(nt) > 20
    assert isomorphic(nt, turtle) and isomorphic(nt, jsonld)


def test_table_format_refused_for_a_graph(curated_kg):
    result = run_query(curated_kg.store, "DESCRIBE career:data-scientist")
    with pytest.raises(QueryError, match="a graph can be"):
        serialize(result, "csv")


# ----------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def cli_store(copy_of_built_store):
    return copy_of_built_store("cli-query")


def _cli(cli_store, *args, stdin=None):
    """Run ``careerkg query`` in this process (a real process for a timeout, which leaves the
    abandoned query running until the process exits)."""
    argv = ["query", "--store", str(cli_store), *args]
    if "--timeout" in args:
        return subprocess.run([*CAREERKG, *argv], capture_output=True, text=True, input=stdin, timeout=60)
    from typer.testing import CliRunner

    from careerkg.cli import app

    result = CliRunner().invoke(app, argv, input=stdin)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def test_cli_csv_with_param(cli_store):
    run = _cli(
        cli_store, "SELECT ?l WHERE { ?c skos:prefLabel ?l }", "-p", "c=career:data-scientist", "-f", "csv"
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["l", "Data Scientist"]


def test_cli_runs_a_file_and_prints_a_table(cli_store):
    run = _cli(cli_store, str(REPO / "examples/queries/15-skill-types-per-career.rq"))
    assert run.returncode == 0, run.stderr
    assert "technology" in run.stdout and "skills" in run.stdout
    assert "3 rows in" in run.stderr


def test_cli_syntax_error_names_file_line_and_column(cli_store, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text(
        '# a comment\nSELECT * WHERE {\n  ?s skos:prefLabel "x" ;\n     foo ?o }', encoding="utf-8"
    )
    run = _cli(cli_store, str(bad))
    assert run.returncode == 2
    assert f"error: {bad}:4:14: SPARQL syntax error: expected OPTIONAL" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.serial  # asserts a time bound: runs alone
def test_cli_timeout_stops_the_query(cli_store):
    started = time.monotonic()
    run = _cli(
        cli_store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1"
    )
    assert run.returncode == 3
    assert "error: query stopped: it ran longer than the 1 s timeout" in run.stderr
    assert time.monotonic() - started < 15


def test_cli_refuses_update(cli_store):
    run = _cli(cli_store, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert run.returncode == 2
    assert "Update is not allowed" in run.stderr


def test_cli_graph_formats(cli_store):
    run = _cli(cli_store, "DESCRIBE career:data-scientist", "-f", "jsonld")
    assert run.returncode == 0, run.stderr
    assert len(Graph().parse(data=run.stdout, format="json-ld")) > 20


@pytest.mark.parametrize("spec", ["oxigraph-memory", "memory"])
def test_from_names_the_dataset_and_never_fetches_a_url(spec: str, monkeypatch) -> None:
    import urllib.request

    from careerkg import CareerGraph

    def no_network(*args, **kwargs):
        raise AssertionError(f"a query tried to fetch {args[0]!r}")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr("rdflib._networking.urlopen", no_network)
    store = CareerGraph.open(spec).store
    curated = (
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/careerkg/graph/curated> WHERE { ?c a ckg:Career }"
    )
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?c a ckg:Skill }"
    assert run_query(store, curated).values() == [("111",)]
    assert int(run_query(store, everything).values()[0][0]) > 500
    elsewhere = "SELECT (COUNT(*) AS ?n) FROM <http://example.invalid/graph.ttl> WHERE { ?s ?p ?o }"
    assert run_query(store, elsewhere).values() == [("0",)]

"""The core commands as a user runs them: show, stats, export, validate, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from careerkg import CareerGraph
from careerkg.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(copy_of_built_store) -> str:
    return str(copy_of_built_store("cli"))


def test_show_ml_engineer_lists_specializations_duties_and_related(store_dir: str) -> None:
    result = runner.invoke(app, ["show", "ml engineer", "--store", store_dir], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Machine Learning Engineer" in out
    assert "Specializations (12)" in out
    for spec in (
        "Research Machine Learning Engineer",
        "Federated Learning Engineer",
        "AI Research Scientist",
        "Natural Language Processing Engineer",
        "Explainable AI Engineer",
    ):
        assert spec in out
    assert "Duties (14)" in out
    assert "Problem Definition" in out and "Monitoring and Maintenance" in out
    related = out[out.index("Related careers (8)") : out.index("Listed alongside on the source page (77)")]
    for name, why in (
        ("Data Scientist", "many ML engineers start as data scientists"),
        ("MLOps Engineer", "automated training, release and monitoring"),
        ("Data Engineer", "pipelines that feed training data"),
        ("AI Research Scientist", "step toward research"),
        ("Software Engineer", "most common route into the role"),
    ):
        assert name in related and why in related, name
    assert "Wind Energy Engineer" not in related and "Locomotive Engineer" not in related
    listed = out[out.index("Listed alongside on the source page (77)") :]
    assert "Wind Energy Engineer" in listed and "Locomotive Engineer" in listed
    assert "not a claim that they are related" in listed


def test_show_json_has_the_full_profile(store_dir: str) -> None:
    result = runner.invoke(app, ["show", "Machine Learning Engineer", "--json", "--store", store_dir])
    assert result.exit_code == 0
    profile = json.loads(result.output)
    assert "ML Engineer" in profile["alt_labels"]
    assert len(profile["specializations"]) == 12
    assert [d["position"] for d in profile["duties"]] == list(range(1, 15))
    assert 6 <= len(profile["related"]) <= 10
    assert all(r["reason"] for r in profile["related"])
    assert "MLOps Engineer" in {r["label"] for r in profile["related"]}
    assert len(profile["listed_with"]) == 77
    assert "Mixing Engineer" not in {r["label"] for r in profile["related"]}


def test_show_unknown_career_suggests_and_exits_1(store_dir: str) -> None:
    result = runner.invoke(app, ["show", "machine lerning engineer", "--store", store_dir])
    assert result.exit_code == 1
    assert "no career named 'machine lerning engineer'" in result.output
    assert "did you mean 'machine learning engineer'" in result.output


def test_show_accepts_onet_code_and_id(store_dir: str) -> None:
    by_code = runner.invoke(app, ["show", "15-1252.00", "--json", "--store", store_dir])
    assert json.loads(by_code.output)["label"] == "Software Developer"
    by_id = runner.invoke(app, ["show", "data-scientist", "--json", "--store", store_dir])
    assert json.loads(by_id.output)["label"] == "Data Scientist"


def test_stats_counts_curated_careers_in_depth(store_dir: str) -> None:
    result = runner.invoke(app, ["stats", "--json", "--store", store_dir])
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["counts"]["careers"] >= 100
    assert stats["counts"]["curated careers described in depth"] == stats["counts"]["curated careers"]
    assert any(name.endswith("/graph/curated") for name in stats["graphs"])


@pytest.mark.parametrize(("fmt", "parse_as"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_is_deterministic_and_parses_back(
    store_dir: str, tmp_path: Path, fmt: str, parse_as: str
) -> None:
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for target in (first, second):
        result = runner.invoke(
            app, ["export", "--format", fmt, "-o", str(target), "--graph", "curated", "--store", store_dir]
        )
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    graph = Graph().parse(first, format=parse_as)
    assert len(graph) > 10_000


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_graph_formats_open_in_networkx(store_dir: str, tmp_path: Path, fmt: str) -> None:
    import networkx as nx

    target = tmp_path / f"g.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(target), "--store", store_dir])
    assert result.exit_code == 0, result.output
    view = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    mle = "https://w3id.org/careerkg/career/machine-learning-engineer"
    assert view.nodes[mle]["label"] == "Machine Learning Engineer"
    assert view.nodes[mle]["type"] == "Career"


def test_export_unknown_format_is_a_clear_error(store_dir: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "--format", "xlsx", "-o", str(tmp_path / "x"), "--store", store_dir]
    )
    assert result.exit_code == 2
    assert "unknown format 'xlsx'" in result.output


def test_validate_reports_success() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert "SHACL conforms" in result.output


def test_first_command_builds_then_later_commands_reuse(tmp_path: Path) -> None:
    store = str(tmp_path / "fresh")
    first = runner.invoke(app, ["stats", "--json", "--store", store])
    assert first.exit_code == 0
    assert "Built " in first.stderr
    second = runner.invoke(app, ["stats", "--json", "--store", store])
    assert "Built " not in second.stderr


def test_sparql_counts_specializations_and_see_also(curated_kg: CareerGraph) -> None:
    mle = curated_kg.resolve("machine learning engineer")
    rows = curated_kg.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ckg:specializationOf ?c } GROUP BY ?c", c=mle
    )
    assert int(next(iter(rows))[1]) == 12
    related = curated_kg.query("SELECT ?c ?r WHERE { ?c ckg:relatedCareer ?r }", c=mle)
    assert 6 <= len({r for _, r in related}) <= 12  # judged, and what other files say of it
    listed = curated_kg.query(
        "SELECT ?c (COUNT(DISTINCT ?t) AS ?n) WHERE { ?c ckg:listedWith/skos:prefLabel ?t } GROUP BY ?c",
        c=mle,
    )
    assert int(next(iter(listed))[1]) == 77  # every See Also title of the seed, still queryable
    see_also = curated_kg.query("SELECT ?c ?r WHERE { ?c rdfs:seeAlso ?r }", c=mle)
    assert len({r for _, r in see_also}) == 77
    # listed_with carries no relatedCareer of its own: Mixing Engineer is only listed alongside
    mixing = curated_kg.resolve("mixing engineer")
    assert list(curated_kg.query("SELECT ?c ?m WHERE { ?c ckg:relatedCareer ?m }", c=mle, m=mixing)) == []


def test_every_curated_related_link_carries_a_reason(curated_kg: CareerGraph) -> None:
    rows = curated_kg.query(
        """SELECT ?c ?t ?why WHERE {
             ?c ckg:hasCareerRelation ?r . ?r ckg:relationTarget ?t . OPTIONAL { ?r ckg:reason ?why } }"""
    )
    rows = list(rows)
    assert len(rows) >= 111 * 3
    assert [(c, t) for c, t, why in rows if why is None] == []


def test_memory_and_oxigraph_stores_hold_the_same_graph(
    curated_kg: CareerGraph, memory_kg: CareerGraph
) -> None:
    from rdflib.compare import isomorphic

    from careerkg.data.build import CURATED

    ox_graph = Graph()
    for triple in curated_kg.store.dataset.graph(CURATED):
        ox_graph.add(triple)
    mem_graph = Graph()
    for triple in memory_kg.store.dataset.graph(CURATED):
        mem_graph.add(triple)

    def strip(g: Graph) -> Graph:
        out = Graph()
        for t in g:
            if "prov#generatedAtTime" not in str(t[1]):
                out.add(t)
        return out

    assert isomorphic(strip(ox_graph), strip(mem_graph))

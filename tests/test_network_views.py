"""NetworkX views: cached in memory and on disk per store state, exported to GraphML/GEXF."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from careerkg import CareerGraph, InputError
from careerkg.data.model import career_iri
from careerkg.export import export
from careerkg.namespaces import graph_iri
from careerkg.network.views import Views
from careerkg.store import OxigraphStore
from careerkg.store.cache import StateCache

TINY = Path(__file__).parent / "data" / "traverse" / "tiny.ttl"


@pytest.fixture()
def tiny_store(tmp_path: Path) -> OxigraphStore:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(graph_iri("curated"), Graph().parse(TINY))
    return store


def test_views_are_pickled_beside_the_store_and_reloaded_without_rebuilding(tiny_store) -> None:
    first = Views(tiny_store)
    built = first.career_skill()
    assert set(first.timings) == {"raw", "career-skill"}
    files = sorted(p.name.split("-v")[0] for p in (tiny_store.path / "views").glob("*.pickle"))
    assert files == ["career-skill-f2"]  # the view format is in the name (network.views.entry)
    second = Views(tiny_store, cache=StateCache(tiny_store))  # as a new process: load, not build
    loaded = second.career_skill()
    assert second.timings == {}
    assert nx.utils.graphs_equal(built, loaded)
    assert second.is_ready("career-skill") and not second.is_ready("career-career")


def test_views_rebuild_after_the_store_changes(tiny_store) -> None:
    views = Views(tiny_store)
    before = views.career_skill()
    a = str(career_iri("a"))
    assert before.nodes[a]["label"] == "Alpha Analyst"
    tiny_store.update(
        'DELETE DATA { GRAPH ckgraph:curated { career:a skos:prefLabel "Alpha Analyst"@en } };'
        'INSERT DATA { GRAPH ckgraph:curated { career:a skos:prefLabel "Alpha Auditor"@en } }'
    )
    after = views.career_skill()
    assert after is not before
    assert after.nodes[a]["label"] == "Alpha Auditor"
    assert len(list((tiny_store.path / "views").glob("career-skill-*.pickle"))) == 1


def test_unknown_view_is_a_one_line_error(tiny_store) -> None:
    with pytest.raises(
        InputError, match="unknown view 'skills'; choose one of full, career-skill, career-career"
    ):
        Views(tiny_store).view("skills")


def test_full_view_is_typed(tiny_store) -> None:
    full = Views(tiny_store).full()
    a = str(career_iri("a"))
    assert full.nodes[a]["type"] == "Career"
    assert full.nodes[a]["label"] == "Alpha Analyst"
    assert "essentialSkill" in {k for _, _, k in full.out_edges(a, keys=True)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("view", ["career-skill", "career-career"])
def test_views_export_to_graphml_and_gexf(tiny_store, tmp_path: Path, fmt: str, view: str) -> None:
    out = export(tiny_store, tmp_path / f"v.{fmt}", fmt, view=view)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    back = reader(out)
    expected = Views(tiny_store).view(view)
    assert set(back.nodes) == set(expected.nodes)
    assert back.number_of_edges() == expected.number_of_edges()
    b, c = str(career_iri("b")), str(career_iri("c"))
    if view == "career-career":
        assert back.edges[c, b]["relations"] == "specializationOf;sharedSkills"
    else:
        assert back.nodes[b]["kind"] == "career"


def test_view_export_refuses_rdf_formats(tiny_store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="view career-skill exports to graphml or gexf, not 'turtle'"):
        export(tiny_store, tmp_path / "x.ttl", "turtle", view="career-skill")


def test_curated_views_shape(curated_kg: CareerGraph) -> None:
    cs = curated_kg.views.career_skill()
    careers = [n for n, d in cs.nodes(data=True) if d["kind"] == "career"]
    assert len(careers) == curated_kg.stats()["careers"]
    assert nx.is_bipartite(cs)
    cc = curated_kg.views.career_career()
    ml = str(career_iri("machine-learning-engineer"))
    ai = str(career_iri("artificial-intelligence-engineer"))
    assert cc.edges[ml, ai]["relation"] == "specializationOf"
    assert cc.edges[ai, ml]["relation"] == "hasSpecialization"

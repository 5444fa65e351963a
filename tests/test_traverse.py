"""careerkg.network.traverse on a hand-written graph whose every number can be worked out by hand
(tests/data/traverse/tiny.ttl), and on the curated graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from careerkg import CareerGraph, InputError, NotFound
from careerkg.data.model import career_iri, onet_occupation_iri
from careerkg.errors import NoPath
from careerkg.namespaces import graph_iri
from careerkg.network.build import HOP_COST
from careerkg.network.traverse import (
    bridges,
    central_skills,
    paths,
    related,
    similar,
    skill_gap,
    transitions,
)
from careerkg.store import open_store

TINY = Path(__file__).parent / "data" / "traverse" / "tiny.ttl"
A, B, C, D = (str(career_iri(x)) for x in "abcd")
X, Y = str(onet_occupation_iri("99-0001.00")), str(onet_occupation_iri("99-0002.00"))


@pytest.fixture(scope="module")
def tiny() -> CareerGraph:
    store = open_store("oxigraph-memory")
    store.replace_graph(graph_iri("curated"), Graph().parse(TINY))
    return CareerGraph.open(store)


@pytest.fixture(scope="module")
def cs(tiny: CareerGraph):
    return tiny.views.career_skill()


@pytest.fixture(scope="module")
def cc(tiny: CareerGraph):
    return tiny.views.career_career()


def test_career_skill_view_weights_from_need_and_importance(cs) -> None:
    assert cs.nodes[A]["total"] == 2.5
    assert cs.edges[A, "https://w3id.org/careerkg/skill/s3"]["weight"] == 0.5
    edge = cs.edges[X, "https://w3id.org/careerkg/onet/element/e2"]
    assert (edge["weight"], edge["importance"], edge["need"]) == (0.8, 4.0, "essential")
    assert cs.nodes[Y]["code"] == "99-0002.00"
    assert cs.nodes["https://w3id.org/careerkg/skill/s1"]["skill_type"] == "technology"


def test_career_career_view_keeps_reasons_and_gap_costs(cc) -> None:
    assert cc.edges[C, B]["relations"] == ("specializationOf", "sharedSkills")
    assert cc.edges[B, C]["relation"] == "hasSpecialization"
    assert cc.edges[A, B]["relation"] == "sharedSkills"
    assert cc.edges[A, B]["similarity"] == pytest.approx(2 / 3.5, abs=1e-4)
    # a -> b: b's Rust (1.0 of 3.0) is missing; b -> a: a's optional Writing (0.5 of 2.5).
    assert cc.edges[A, B]["cost"] == pytest.approx(HOP_COST + 1 / 3, abs=1e-4)
    assert cc.edges[B, A]["cost"] == pytest.approx(HOP_COST + 0.2, abs=1e-4)
    assert cc.edges[A, X]["cost"] == HOP_COST  # same occupation in another source
    assert not cc.has_edge(A, D)


def test_similar_ranks_by_weighted_jaccard_and_follows_matches(cs) -> None:
    found = similar(cs, A)
    assert [(m.career, m.score, m.via) for m in found] == [(B, 0.5714, None), (Y, 0.32, X)]
    assert [s.label for s in found[0].shared] == ["Python", "Statistics"]
    assert [s.label for s in found[0].only_target] == ["Rust"]
    assert [s.label for s in found[0].only_source] == ["Writing"]
    assert [m.career for m in similar(cs, A, via_matches=False)] == [B]


def test_skill_gap_ranks_by_importance_and_counts_matched_skills(cs) -> None:
    gap = skill_gap(cs, A, Y)
    assert [(s.label, s.weight) for s in gap.to_learn] == [("Monitoring", 0.7)]
    assert [(s.label, s.weight) for s in gap.transfer] == [("Mathematics", 0.8)]
    assert gap.coverage == pytest.approx(0.8 / 1.5, abs=1e-4)


def test_paths_cost_is_skill_gap_not_hops(cc, cs) -> None:
    found = paths(cc, A, C, k=2, skills=cs)
    # a -> b -> c costs (0.05 + 1/3) + (0.05 + 1/2) = 0.9333; the direct link a -> c 1.05.
    assert [(p.careers, p.cost) for p in found] == [([A, B, C], 0.9333), ([A, C], 1.05)]
    first, second = found[0].steps
    assert (first.relation, [s.label for s in first.to_learn]) == ("sharedSkills", ["Rust"])
    assert [s.label for s in first.carried] == ["Python", "Statistics"]
    assert (second.relation, [s.label for s in second.to_learn]) == ("hasSpecialization", ["WebAssembly"])


def test_paths_cross_sources_through_matches(cc, cs) -> None:
    best = paths(cc, A, Y, k=1, skills=cs)[0]
    assert best.careers == [A, X, Y]
    assert [s.relation for s in best.steps] == ["exactMatch", "sharedSkills"]


def test_paths_raise_no_path_with_both_names(cc) -> None:
    with pytest.raises(NoPath, match="no transition path from 'Alpha Analyst' to 'Delta Diver'"):
        paths(cc, A, D)


def test_related_names_relations_and_depth(cc) -> None:
    assert [(n.label, n.relation, n.depth) for n in related(cc, A)] == [
        ("Xenon Examiners", "exactMatch", 1),
        ("Gamma Coder", "relatedCareer", 1),
    ]
    deeper = related(cc, A, depth=2)
    assert (deeper[-1].label, deeper[-1].relation, deeper[-1].depth, deeper[-1].via) == (
        "Beta Builder",
        "specializationOf",
        2,
        C,
    )
    assert [n.label for n in related(cc, A, kinds=["sharedSkills"])] == ["Beta Builder"]


def test_transitions_from_skills_and_from_a_career(cs) -> None:
    found = transitions(cs, skills=["python", "Statistics"])
    assert [(t.label, t.coverage) for t in found] == [("Alpha Analyst", 0.8), ("Beta Builder", 0.6667)]
    from_b = transitions(cs, B, k=2)
    assert [t.career for t in from_b] == [A, C]


def test_central_skills_and_bridges(cs, cc) -> None:
    assert [(r.label, r.score, r.degree) for r in central_skills(cs, k=3)] == [
        ("Python", 2.0, 2),
        ("Statistics", 2.0, 2),
        ("Rust", 2.0, 2),
    ]
    top = bridges(cc, k=1)[0]
    assert top.node in (A, B)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda cs, cc: similar(cs, "Alpha Analist"),  # traversal takes node ids
            "no career named 'Alpha Analist' (did you mean 'Alpha Analyst'?)",
        ),
        (lambda cs, cc: transitions(cs, skills=["pythn"]), "no skill named 'pythn' (did you mean 'python'?)"),
        (lambda cs, cc: transitions(cs), "give a career or at least one skill"),
        (lambda cs, cc: related(cc, A, depth=0), "depth must be at least 1, not 0"),
        (lambda cs, cc: related(cc, A, kinds=["friendOf"]), "unknown relation kind 'friendOf'"),
        (lambda cs, cc: similar(cs, A, k=0), "k must be at least 1, not 0"),
        (lambda cs, cc: paths(cc, A, A), "'Alpha Analyst' is both the start and the goal"),
    ],
)
def test_bad_input_raises_precise_errors(cs, cc, call, message) -> None:
    with pytest.raises(
        (NotFound, InputError), match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        call(cs, cc)


def test_career_graph_methods_resolve_codes_and_alt_names(tiny: CareerGraph) -> None:
    assert [(m.career, m.via) for m in tiny.similar("99-0001", k=2)] == [(B, A), (Y, None)]
    assert [n.label for n in tiny.related("AA")][:2] == ["Xenon Examiners", "Gamma Coder"]
    assert tiny.skill_gap("AA", "beta builder").to_learn[0].label == "Rust"
    assert tiny.paths("AA", "Gamma Coder", k=1)[0].careers == [A, B, C]


# -- the curated graph --------------------------------------------------------------------


def test_curated_gap_lists_ml_frameworks_to_learn(curated_kg: CareerGraph) -> None:
    gap = curated_kg.skill_gap("software engineer", "machine learning engineer")
    to_learn = {s.label for s in gap.to_learn}
    assert {"PyTorch", "TensorFlow", "scikit-learn"} <= to_learn
    assert {"Python", "Git", "SQL"} <= {s.label for s in gap.transfer}
    assert "Java" not in to_learn | {s.label for s in gap.transfer}


def test_curated_path_software_to_ml_engineer_is_explained(curated_kg: CareerGraph) -> None:
    found = curated_kg.paths("software engineer", "machine learning engineer", k=3)
    assert len(found) == 3
    assert all(p.labels[0] == "Software Engineer" for p in found)
    assert all(p.labels[-1] == "Machine Learning Engineer" for p in found)
    assert [p.cost for p in found] == sorted(p.cost for p in found)
    for path in found:
        assert path.cost == pytest.approx(sum(s.cost for s in path.steps), abs=1e-3)
        for step in path.steps:
            assert step.relation and (step.carried or step.to_learn)
    assert "PyTorch" in {s.label for s in found[0].steps[-1].to_learn}


def test_curated_similar_software_engineer(curated_kg: CareerGraph) -> None:
    found = curated_kg.similar("software engineer", k=3)
    assert found[0].label == "Software Developer"
    assert all(0 < m.score <= 1 for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)

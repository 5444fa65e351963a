"""Traversal on the real imported graph (curated + O*NET 29.3 + ESCO); skips without ../shared."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from careerkg import CareerGraph

pytestmark = pytest.mark.shared

SOFTWARE_DEVELOPERS = "15-1252.00"


def _code(kg: CareerGraph, career: str) -> str:
    return kg.views.career_skill().nodes[career].get("code", "")


def test_top5_similar_of_software_developers_are_computing_occupations(full_kg: CareerGraph) -> None:
    top = full_kg.similar(SOFTWARE_DEVELOPERS, k=5)
    codes = [_code(full_kg, m.career) for m in top]
    computing = [c for c in codes if c.startswith("15-12")]
    assert len(computing) >= 4, [m.label for m in top]
    assert SOFTWARE_DEVELOPERS not in codes
    assert all(m.shared for m in top)


def test_onet_primary_short_related_occupations_rank_high_in_similar(full_kg: CareerGraph) -> None:
    onet = URIRef(full_kg._node(SOFTWARE_DEVELOPERS))
    primary = sorted(
        str(t)
        for (_c, t) in full_kg.query(
            """SELECT ?c ?t WHERE { ?c ckg:hasCareerRelation ?r .
               ?r ckg:relationTarget ?t ; ckg:relatednessTier "Primary-Short" }""",
            c=onet,
        )
    )
    assert len(primary) == 5, primary
    ranking = [m.career for m in full_kg.similar(SOFTWARE_DEVELOPERS, k=50)]
    ranks = sorted(ranking.index(t) + 1 for t in primary if t in ranking)
    # O*NET's five closest occupations: at least four of them in our top 10.
    assert len([r for r in ranks if r <= 10]) >= 4, ranks


def test_curated_career_reaches_onet_through_matches(full_kg: CareerGraph) -> None:
    kinds = {(n.relation, _code(full_kg, n.career)) for n in full_kg.related("software engineer")}
    assert ("closeMatch", SOFTWARE_DEVELOPERS) in kinds
    gap = full_kg.skill_gap("software engineer", "15-2051.00")  # Data Scientists (O*NET)
    assert gap.transfer, "skills of the matched O*NET occupation count as held"
    assert gap.to_learn[0].weight >= gap.to_learn[-1].weight


def test_full_graph_path_is_explained(full_kg: CareerGraph) -> None:
    best = full_kg.paths("software engineer", "machine learning engineer", k=3)
    assert len(best) == 3
    assert best[0].cost <= best[1].cost <= best[2].cost
    assert all(step.relation for path in best for step in path.steps)

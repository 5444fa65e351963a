"""The real datasets of ../shared/datasets, imported once per session (``full_kg``)."""

from __future__ import annotations

from careerkg import CareerGraph
from careerkg.namespaces import graph_iri

ACROSS_SOURCES = """
SELECT ?career ?source ?occupation ?skillLabel ?flag ?importance ?level ?hot WHERE {
  ?career (skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch)? ?occupation .
  GRAPH ?g {
    { ?occupation ckg:essentialSkill ?skill BIND("essential" AS ?flag) }
    UNION { ?occupation ckg:optionalSkill ?skill BIND("optional" AS ?flag) }
  }
  BIND(STRAFTER(STR(?g), "/graph/") AS ?source)
  ?skill skos:prefLabel ?skillLabel .
  OPTIONAL { ?occupation ckg:hasSkillRating ?rating .
             ?rating ckg:ratedSkill ?skill ; ckg:importance ?importance ; ckg:level ?level }
  OPTIONAL { ?occupation ckg:hasTechnologyUse ?use . ?use ckg:technology ?skill ; ckg:hotTechnology ?hot }
}"""


def count(kg: CareerGraph, graph: str, pattern: str) -> int:
    sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ckgraph:{graph} {{ {pattern} }} }}"
    return int(next(iter(kg.store.query_raw(sparql)))[0].value)


def test_counts_match_the_sources(full_kg: CareerGraph) -> None:
    assert count(full_kg, "onet", "?x a ckg:Career") == 1016
    assert count(full_kg, "esco", "?x a ckg:Career") == 3007
    assert count(full_kg, "esco", "?x a ckg:Skill") == 13896
    # 67 of the 123,855 relation rows name occupations absent from v1.1.1: skipped and told.
    links = "{ ?o ckg:essentialSkill ?s } UNION { ?o ckg:optionalSkill ?s }"
    assert count(full_kg, "esco", links) == 123855 - 67
    assert count(full_kg, "onet", "?r a ckg:CareerRelation") == 18460
    assert (
        count(
            full_kg,
            "crosswalk",
            "?o ?p ?e FILTER(STRSTARTS(STR(?o), 'https://w3id.org/careerkg/onet/occupation/'))",
        )
        == 4253
    )


def test_machine_learning_engineer_reaches_skills_of_all_three_sources(full_kg: CareerGraph) -> None:
    mle = full_kg.resolve("Machine Learning Engineer")
    rows = list(full_kg.query(ACROSS_SOURCES, career=mle))
    by_source = {str(r[1]) for r in rows}
    assert by_source == {"curated", "onet", "esco"}
    occupations = {str(r[2]) for r in rows}
    assert "https://w3id.org/careerkg/onet/occupation/15-2051.00" in occupations
    assert "http://data.europa.eu/esco/occupation/35553663-deab-4d9a-bf22-15c1625d28e8" in occupations
    esco = {(str(r[3]), str(r[4])) for r in rows if str(r[1]) == "esco"}
    assert ("Python (computer programming)", "essential") in esco
    hot = {str(r[3]) for r in rows if str(r[1]) == "onet" and r[7] is not None and r[7].toPython() is True}
    assert "Python" in hot


def test_onet_ratings_reachable_from_a_curated_career(full_kg: CareerGraph) -> None:
    rows = list(full_kg.query(ACROSS_SOURCES, career=full_kg.resolve("ai-research-scientist")))
    rated = {(str(r[3]), float(r[5])) for r in rows if r[5] is not None}
    # O*NET 29.3 Skills.txt rates Programming for 15-1221.00 at importance 3.62
    assert ("Programming", float("3.62")) in rated
    assert all(1.0 <= value <= 5.0 for _, value in rated)


def test_every_import_has_provenance(full_kg: CareerGraph) -> None:
    for name in ("onet", "esco", "crosswalk"):
        rows = list(
            full_kg.query(
                "SELECT ?g ?v ?l WHERE { ?g dcterms:hasVersion ?v ; dcterms:license ?l ; "
                "prov:generatedAtTime ?t }",
                g=graph_iri(name),
            )
        )
        assert len(rows) == 1, name

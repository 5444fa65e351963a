"""Crosswalk importer and cross-source skill matching on the fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerkg import CareerGraph
from careerkg.data.model import onet_occupation_iri, skill_iri
from careerkg.errors import InputError
from careerkg.imports import import_source
from careerkg.imports.skill_matching import core, match_skills, normalise
from careerkg.namespaces import graph_iri

DATA = Path(__file__).parent / "data"
SD = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
WD = "http://data.europa.eu/esco/occupation/c40a2919-48a9-40ea-b506-1f34f693496d"
DS = "http://data.europa.eu/esco/occupation/35553663-deab-4d9a-bf22-15c1625d28e8"
PY = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def rows(store, sparql: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in store.query(sparql))


@pytest.fixture(scope="module")
def kg() -> CareerGraph:
    kg = CareerGraph.open("oxigraph-memory")
    import_source(kg.store, "onet", DATA / "onet" / "db_29_3_text", progress=False)
    import_source(kg.store, "esco", DATA / "esco" / "v1.1.1", progress=False)
    import_source(kg.store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
    return kg


def test_match_types_kept_with_inverses(kg: CareerGraph) -> None:
    occ = str(onet_occupation_iri("15-1252.00"))
    assert rows(kg.store, f"SELECT ?p ?e WHERE {{ GRAPH ckgraph:crosswalk {{ <{occ}> ?p ?e }} }}") == [
        (SKOS + "broadMatch", WD),
        (SKOS + "exactMatch", SD),
    ]
    assert rows(kg.store, f"SELECT ?p WHERE {{ <{WD}> ?p <{occ}> }}") == [(SKOS + "narrowMatch",)]
    isco = rows(kg.store, f"SELECT ?p ?g WHERE {{ <{onet_occupation_iri('11-1011.00')}> ?p ?g }}")
    assert (SKOS + "exactMatch", "http://data.europa.eu/esco/isco/C1120") in isco


def test_crosswalk_report(kg: CareerGraph) -> None:
    report = import_source(
        kg.store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False
    )
    assert report.version == "1 (Sep-22)"
    assert {k: v for k, v in report.counts.items() if k.startswith("crosswalk ")} == {
        "crosswalk broadMatch": 1,
        "crosswalk closeMatch": 1,
        "crosswalk exactISCO": 1,
        "crosswalk exactMatch": 1,
        "crosswalk narrowMatch": 1,
    }
    assert report.files[0].rows == 5 and report.files[0].rejected == 0


def test_python_matched_across_three_sources(kg: CareerGraph) -> None:
    onet_python = "https://w3id.org/careerkg/onet/technology/python"
    curated = str(skill_iri("python"))
    got = rows(
        kg.store,
        """SELECT ?a ?b ?c ?m WHERE { ?n a ckg:SkillMatch ; ckg:matchedSkill ?a, ?b ;
           ckg:matchConfidence ?c ; ckg:matchMethod ?m FILTER(STR(?a) < STR(?b))
           ?a skos:prefLabel ?la FILTER(CONTAINS(LCASE(STR(?la)), "python")) }""",
    )
    assert got == [
        (PY, onet_python, "0.9", "label-without-qualifier"),
        (PY, curated, "0.9", "label-without-qualifier"),
        (onet_python, curated, "1", "same-label"),
    ]
    assert rows(kg.store, f"SELECT DISTINCT ?x WHERE {{ <{curated}> skos:exactMatch ?x }}") == sorted(
        [(PY,), (onet_python,)]
    )


def test_a_query_reaches_skills_of_every_source(kg: CareerGraph) -> None:
    # curated software developer -> O*NET 15-1252.00 (curated link) -> ESCO (crosswalk)
    found = rows(
        kg.store,
        """SELECT DISTINCT ?g WHERE { career:software-developer
           (skos:exactMatch|skos:closeMatch|skos:broadMatch)* ?o .
           GRAPH ?g { ?o ckg:essentialSkill ?s } }""",
    )
    assert [g for (g,) in found] == sorted(str(graph_iri(n)) for n in ("curated", "esco", "onet"))


def test_normalisation() -> None:
    assert normalise("  Microsoft   Excel ") == "microsoft excel"
    assert core(normalise("Python (computer programming)")) == "python"
    assert normalise("R&D") == "r and d"


def test_ambiguous_labels_match_nothing(kg: CareerGraph) -> None:
    matches = match_skills(kg.store)
    assert all(m.a != m.b for m in matches)
    assert len({(m.a, m.b) for m in matches}) == len(matches)


def test_unknown_match_type_fails(kg: CareerGraph) -> None:
    before = kg.store.count(graph_iri("crosswalk"))
    with pytest.raises(
        InputError, match=r"bad_match_type\.csv:7: unknown Type of Match 'sameAs' \(15 bad rows"
    ):
        import_source(kg.store, "crosswalk", DATA / "crosswalk" / "bad_match_type.csv", progress=False)
    assert kg.store.count(graph_iri("crosswalk")) == before


def test_imported_graphs_conform_to_the_shapes(kg: CareerGraph) -> None:
    # The shapes of ontology/shapes.ttl over curated + O*NET + ESCO + crosswalk together: every
    # rating, technology use, career relation and skill match the importers wrote is well formed.
    from rdflib import RDF, Graph

    from careerkg.data.ontology import shacl_problems

    union = Graph()
    for s, p, o, _ in kg.store.dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    kinds = {str(c).rsplit("#", 1)[-1] for c in union.objects(None, RDF.type)}
    assert {"SkillRating", "TechnologyUse", "CareerRelation", "SkillMatch"} <= kinds
    assert [str(p) for p in shacl_problems(union)] == []


def test_an_export_of_the_imports_conforms_to_the_shapes(kg: CareerGraph, tmp_path: Path) -> None:
    """Regression (issue 14, item 16): the shapes listed sh:in values as "x"^^xsd:string, and an
    export (plain literals, as RDF 1.1 stores write them) gave hundreds of false violations."""
    from rdflib import Dataset, Graph

    from careerkg.data.ontology import shacl_problems

    kg.store.dump(tmp_path / "all.nq")
    parsed = Dataset()
    parsed.parse(tmp_path / "all.nq", format="nquads")
    union = Graph()
    for s, p, o, _ in parsed.quads((None, None, None, None)):
        union.add((s, p, o))
    assert [str(p) for p in shacl_problems(union)] == []


def test_a_csv_without_the_crosswalk_header_is_not_called_empty(kg: CareerGraph, tmp_path: Path) -> None:
    """Regression (issue 14, item 15): a non-empty file without the header said "empty file"."""
    other = tmp_path / "other.csv"
    other.write_text("ESCO/ISCO Code,ESCO/ISCO Title\n0110.10,lieutenant\n", encoding="utf-8")
    with pytest.raises(InputError) as failure:
        import_source(kg.store, "crosswalk", other, progress=False)
    assert "empty" not in str(failure.value)
    assert str(failure.value).startswith(
        f"{other}:1: no header row: none of its 2 line(s) starts with 'O*NET Id'"
    )


def test_rows_naming_occupations_the_store_lacks_are_counted_and_skipped(tmp_path: Path) -> None:
    """Regression (issue 14, item 16): links to concepts absent from the imported releases were
    written unreported (and dangled)."""
    store = CareerGraph.open("oxigraph-memory").store
    import_source(store, "onet", DATA / "onet" / "db_29_3_text", progress=False)
    import_source(store, "esco", DATA / "esco" / "v1.1.1", progress=False)
    text = (DATA / "crosswalk" / "crosswalk_esco_onet.csv").read_text(encoding="utf-8")
    ghost = "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"
    extra = tmp_path / "crosswalk.csv"
    extra.write_text(
        text + f"99-9999.00,Nobody,x,{SD},x,x,exactMatch\n15-1252.00,x,x,{ghost},x,x,closeMatch\n",
        encoding="utf-8",
    )
    report = import_source(store, "crosswalk", extra, progress=False)
    assert report.counts["crosswalk rows naming concepts absent from the store"] == 2
    assert any("1 O*NET occupation(s)" in w and "1 ESCO occupation(s)" in w for w in report.warnings)
    assert rows(store, f"SELECT ?p WHERE {{ <{ghost}> ?p ?o }}") == []

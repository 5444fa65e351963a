"""One skill space (issue 12): skills the store declares the same are one canonical skill in the
career-skill view, so a curated career and an O*NET occupation share transferring skills, each
labelled by source; and a name several careers share equally is refused with the candidates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from careerkg import CareerGraph
from careerkg.cli import app
from careerkg.data.model import career_iri, onet_occupation_iri
from careerkg.imports import import_source
from careerkg.namespaces import graph_iri
from careerkg.network.build import skill_groups
from careerkg.network.names import AmbiguousName
from careerkg.network.traverse import find_skill, similar, skill_gap
from careerkg.store import OxigraphStore, open_store

DATA = Path(__file__).parent / "data"
runner = CliRunner()

CURATED_PY = "https://w3id.org/careerkg/skill/python"
ONET_PY = "https://w3id.org/careerkg/onet/technology/python"
ESCO = "http://data.europa.eu/esco/"

# A hand-written graph: a curated career, an O*NET occupation and an ESCO occupation whose
# Python is one skill under three IRIs, joined (transitively) by skill matches.
HAND = """
@prefix ckg: <https://w3id.org/careerkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix career: <https://w3id.org/careerkg/career/> .
@prefix skill: <https://w3id.org/careerkg/skill/> .
@prefix onet: <https://w3id.org/careerkg/onet/occupation/> .
@prefix tech: <https://w3id.org/careerkg/onet/technology/> .
@prefix escoocc: <http://data.europa.eu/esco/occupation/> .
@prefix escoskill: <http://data.europa.eu/esco/skill/> .

career:alpha a ckg:Career ; skos:prefLabel "Alpha Analyst"@en ;
    ckg:essentialSkill skill:python, skill:writing .
onet:99-0001.00 a ckg:Career ; skos:prefLabel "Widget Makers"@en ; ckg:onetCode "99-0001.00" ;
    skos:altLabel "Gadgeteers"@en ;
    ckg:usesTechnology tech:python ; ckg:essentialSkill tech:cobol .
escoocc:e1 a ckg:Career ; skos:prefLabel "Widget Makers"@en ; skos:altLabel "gadgeteers"@en ;
    ckg:essentialSkill escoskill:py ; ckg:optionalSkill tech:python .
onet:99-0002.00 a ckg:Career ; skos:prefLabel "Gizmo Fitters"@en ; ckg:onetCode "99-0002.00" ;
    skos:altLabel "Widget Makers"@en ; ckg:essentialSkill tech:cobol .

skill:python a ckg:Skill ; skos:prefLabel "Python"@en ; ckg:skillType "technology" .
skill:writing a ckg:Skill ; skos:prefLabel "Writing"@en .
tech:python a ckg:Skill ; skos:prefLabel "Python"@en .
tech:cobol a ckg:Skill ; skos:prefLabel "COBOL"@en .
escoskill:py a ckg:Skill ; skos:prefLabel "Python (computer programming)"@en ;
    skos:exactMatch skill:python .
tech:python skos:closeMatch escoskill:py .
"""
ALPHA = str(career_iri("alpha"))
WIDGETS, GIZMOS = str(onet_occupation_iri("99-0001.00")), str(onet_occupation_iri("99-0002.00"))
ESCO_WIDGETS = ESCO + "occupation/e1"


@pytest.fixture(scope="module")
def hand() -> CareerGraph:
    store = open_store("oxigraph-memory")
    store.replace_graph(graph_iri("curated"), Graph().parse(data=HAND, format="turtle"))
    return CareerGraph.open(store)


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The curated graph with the O*NET, ESCO and crosswalk fixtures (the crosswalk import
    writes the cross-source skill matches)."""
    path = tmp_path_factory.mktemp("skill-space") / "store"
    kg = CareerGraph.open(OxigraphStore(path))
    import_source(kg.store, "onet", DATA / "onet" / "db_29_3_text", progress=False)
    import_source(kg.store, "esco", DATA / "esco" / "v1.1.1", progress=False)
    import_source(kg.store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
    kg.close()
    return path


@pytest.fixture(scope="module")
def fixture_kg(fixture_store: Path):
    kg = CareerGraph.open(OxigraphStore(fixture_store, read_only=True))
    yield kg
    kg.close()


# -- the grouping ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "links",
    [
        [(ONET_PY, ESCO + "skill/py"), (ESCO + "skill/py", CURATED_PY)],
        [(ESCO + "skill/py", CURATED_PY), (ONET_PY, ESCO + "skill/py")],
        [(CURATED_PY, ONET_PY), (ONET_PY, ESCO + "skill/py")],
    ],
)
def test_groups_are_transitive_and_named_by_the_curated_member_whatever_the_order(links) -> None:
    assert skill_groups(links) == {CURATED_PY: CURATED_PY, ONET_PY: CURATED_PY, ESCO + "skill/py": CURATED_PY}


def test_view_holds_one_canonical_skill_with_every_members_source(hand: CareerGraph) -> None:
    cs = hand.views.career_skill()
    assert ONET_PY not in cs and ESCO + "skill/py" not in cs
    node = cs.nodes[CURATED_PY]
    assert node["sources"] == ("curated", "O*NET", "ESCO")
    assert node["members"] == (CURATED_PY, ONET_PY, ESCO + "skill/py")
    assert cs.graph["canonical"] == {ONET_PY: CURATED_PY, ESCO + "skill/py": CURATED_PY}
    # a member's IRI and label name the canonical skill
    assert find_skill(cs, ONET_PY) == find_skill(cs, "python (computer programming)") == CURATED_PY


def test_a_career_holding_two_members_counts_the_skill_once_at_its_heaviest(hand: CareerGraph) -> None:
    cs = hand.views.career_skill()
    edge = cs.edges[ESCO_WIDGETS, CURATED_PY]
    assert (edge["weight"], edge["need"], edge["sources"]) == (1.0, "essential", ("O*NET", "ESCO"))
    assert cs.nodes[ESCO_WIDGETS]["total"] == 1.0


def test_gap_between_sources_transfers_the_shared_skill_labelled_by_source(hand: CareerGraph) -> None:
    cs = hand.views.career_skill()
    gap = skill_gap(cs, WIDGETS, ALPHA)
    assert [(r.label, r.sources) for r in gap.transfer] == [("Python", ["curated", "O*NET"])]
    assert [(r.label, r.sources) for r in gap.to_learn] == [("Writing", ["curated"])]
    assert gap.coverage == 0.5
    back = skill_gap(cs, ALPHA, WIDGETS)
    assert [(r.label, r.weight, r.need, r.sources) for r in back.transfer] == [
        ("Python", 0.75, "technology", ["curated", "O*NET"])
    ]
    assert gap.as_dict()["transfer"][0]["sources"] == ["curated", "O*NET"]


# An O*NET occupation the crosswalk matches to two ESCO occupations (exact and close).
SAME_JOB = """
@prefix ckg: <https://w3id.org/careerkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix onet: <https://w3id.org/careerkg/onet/occupation/> .
@prefix escoocc: <http://data.europa.eu/esco/occupation/> .
@prefix escoskill: <http://data.europa.eu/esco/skill/> .

onet:99-0003.00 a ckg:Career ; skos:prefLabel "Lens Grinders"@en ; ckg:onetCode "99-0003.00" ;
    ckg:essentialSkill escoskill:polish ;
    skos:exactMatch escoocc:grinder ; skos:closeMatch escoocc:optician .
escoocc:grinder a ckg:Career ; skos:prefLabel "lens grinder"@en ;
    ckg:essentialSkill escoskill:cut, escoskill:measure, escoskill:polish, escoskill:own .
escoocc:optician a ckg:Career ; skos:prefLabel "optical technician"@en ;
    ckg:essentialSkill escoskill:cut, escoskill:measure .
escoskill:polish a ckg:Skill ; skos:prefLabel "polish lenses"@en .
escoskill:cut a ckg:Skill ; skos:prefLabel "cut glass"@en .
escoskill:measure a ckg:Skill ; skos:prefLabel "measure curvature"@en .
escoskill:own a ckg:Skill ; skos:prefLabel "grind to prescription"@en .
"""


def test_gap_to_a_declared_match_counts_the_other_matches_skills_not_the_targets_own() -> None:
    store = open_store("oxigraph-memory")
    store.replace_graph(graph_iri("curated"), Graph().parse(data=SAME_JOB, format="turtle"))
    cs = CareerGraph.open(store).views.career_skill()
    grinders, lens_grinder = str(onet_occupation_iri("99-0003.00")), ESCO + "occupation/grinder"
    gap = skill_gap(cs, grinders, lens_grinder)
    # held: its own "polish lenses", and what the optical technician (closeMatch) needs;
    # never the lens grinder's own skills, which would make everything transfer
    assert {r.label for r in gap.transfer} == {"polish lenses", "cut glass", "measure curvature"}
    assert [r.label for r in gap.to_learn] == ["grind to prescription"]
    assert gap.coverage == 0.75


def test_similar_finds_careers_of_other_sources_through_the_shared_skill(hand: CareerGraph) -> None:
    found = similar(hand.views.career_skill(), ALPHA, k=5)
    assert {m.career for m in found} == {WIDGETS, ESCO_WIDGETS}
    assert all(m.shared[0].label == "Python" for m in found)


def test_central_skills_name_their_sources(hand: CareerGraph) -> None:
    top = hand.central_skills(k=1)[0]
    assert (top.label, top.degree, top.sources) == ("Python", 3, ["curated", "O*NET", "ESCO"])


# -- on the O*NET / ESCO / crosswalk fixtures --------------------------------------------------


def _held_elsewhere(kg: CareerGraph, career: str, target: str) -> set[str]:
    """The skills ``career`` or a career declared its same occupation (``target`` aside) needs."""
    cs = kg.views.career_skill()
    a, b = kg.resolve(career), kg.resolve(target)
    same = [str(a)] + [
        str(o)
        for o in cs.graph["equivalents"].get(str(a), ())
        if str(o) != str(b)
    ]
    return {cs.nodes[s]["label"] for c in same for s in cs._adj[c]}


def test_curated_and_onet_careers_share_transferring_skills_labelled_by_source(fixture_kg) -> None:
    gap = fixture_kg.skill_gap("software developers", "software engineer")  # O*NET -> curated
    transfer = {r.label: r.sources for r in gap.transfer}
    assert transfer["Python"] == ["curated", "O*NET", "ESCO"] and transfer["C++"] == ["curated", "O*NET"]
    # the curated Software Developer is the O*NET occupation's exactMatch: its skills count too
    assert transfer["Git"] == ["curated"]
    assert set(transfer) <= _held_elsewhere(fixture_kg, "software developers", "software engineer")
    assert {r.label for r in gap.to_learn} >= {"Docker", "CI/CD"}
    assert 0 < gap.coverage < 1


def test_a_career_and_its_declared_match_never_hold_the_targets_own_skills(fixture_kg) -> None:
    # O*NET Data Scientists is skos-matched to the curated Data Scientist: the target's own
    # skills never count as held (that made coverage 1.0 once); those of the O*NET occupation
    # and of its other declared matches (the ML engineer, ESCO's data scientist) do.
    gap = fixture_kg.skill_gap("data scientists", "data scientist")
    transfer = {r.label: r.sources for r in gap.transfer}
    assert transfer["Python"] == ["curated", "O*NET", "ESCO"]
    assert set(transfer) <= _held_elsewhere(fixture_kg, "data scientists", "data scientist")
    assert {"pandas", "Jupyter"} <= {r.label for r in gap.to_learn}  # only the target needs them
    assert 0 < gap.coverage < 1


def test_cli_gap_shows_a_source_column_and_json_sources(fixture_store: Path) -> None:
    args = ["gap", "software developers", "software engineer", "--store", str(fixture_store)]
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") > 4}
    assert "Source" in result.output
    assert "transfers" in rows["Python"] and "curated + O*NET" in rows["Python"]
    assert "to learn" in rows["Docker"] and rows["Docker"].split("│")[5].strip() == "curated"
    data = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert {s["label"]: s["sources"] for s in data["transfer"]}["C++"] == ["curated", "O*NET"]


# -- ambiguous names -----------------------------------------------------------------------


def test_a_title_shared_by_an_onet_and_an_esco_occupation_is_refused_with_candidates(hand) -> None:
    with pytest.raises(AmbiguousName) as caught:
        hand.resolve("widget makers")
    # Gizmo Fitters has the name only as an alternative label: the preferred labels win.
    assert caught.value.candidates == [
        ("Widget Makers", "O*NET", "99-0001.00"),
        ("Widget Makers", "ESCO", ESCO_WIDGETS),
    ]
    with pytest.raises(AmbiguousName, match="'Gadgeteers' names 2 careers"):
        hand.resolve("Gadgeteers")
    # each candidate's id resolves to it
    assert str(hand.resolve("99-0001.00")) == WIDGETS and str(hand.resolve(ESCO_WIDGETS)) == ESCO_WIDGETS
    assert str(hand.resolve("gizmo fitters")) == GIZMOS


def test_a_curated_career_still_wins_a_shared_name(fixture_kg) -> None:
    assert str(fixture_kg.resolve("data scientist")) == str(career_iri("data-scientist"))


def test_cli_prints_the_candidates_and_exits_1(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(graph_iri("curated"), Graph().parse(data=HAND, format="turtle"))
    store.close()
    result = runner.invoke(
        app, ["gap", "Widget Makers", "alpha analyst", "--store", str(tmp_path / "store")], terminal_width=200
    )
    assert result.exit_code == 1
    assert "'Widget Makers' names 2 careers; give one of these instead:" in result.output
    assert "Widget Makers (O*NET) 99-0001.00" in result.output
    assert f"Widget Makers (ESCO) {ESCO_WIDGETS}" in result.output

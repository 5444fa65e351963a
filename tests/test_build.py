"""Building the curated graph: exact triples, SHACL, all problems at once, nothing changed on failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from typer.testing import CliRunner

from careerkg import CareerGraph, DataError
from careerkg.cli import app
from careerkg.data.build import CURATED, curated_graph, validate_data
from careerkg.data.curated import load_curated
from careerkg.store import OxigraphStore

TEST_DATA = Path(__file__).resolve().parent / "data"

SMALL = TEST_DATA / "curated_small"
INVALID = sorted((TEST_DATA / "invalid").glob("*.yaml"))


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A writable copy of the small fixture, at <tmp>/data so problems read data/...:line."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target


def _without_provenance(graph: Graph) -> Graph:
    """The graph minus provenance triples, with xsd:string literals written as plain literals
    (RDF 1.1 makes them the same; N-Triples dumps drop the datatype)."""
    from rdflib import XSD, Literal

    out = Graph()
    for s, p, o in graph:
        if str(s).startswith("https://w3id.org/careerkg/graph/"):
            continue
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def test_small_data_builds_exactly_the_expected_triples() -> None:
    built, _ = curated_graph(load_curated(SMALL))
    expected = Graph().parse(TEST_DATA / "curated_small.expected.ttl")
    if not isomorphic(built, expected):
        _, only_built, only_expected = graph_diff(to_isomorphic(built), to_isomorphic(expected))
        pytest.fail(
            "built graph differs:\n+ "
            + "\n+ ".join(sorted(t.n3() for t in only_built.triples((None, None, None))))
            + "\n- "
            + "\n- ".join(sorted(t.n3() for t in only_expected.triples((None, None, None))))
        )


def test_store_holds_the_same_triples_as_built(tmp_path: Path) -> None:
    kg = CareerGraph.open(OxigraphStore(tmp_path / "store"), autobuild=False)
    kg.build(SMALL)
    dumped = tmp_path / "curated.nt"
    kg.store.dump(dumped, CURATED)
    stored = _without_provenance(Graph().parse(dumped, format="nt"))
    expected = _without_provenance(Graph().parse(TEST_DATA / "curated_small.expected.ttl"))
    assert isomorphic(stored, expected)
    provenance = Graph().parse(dumped, format="nt")
    assert (CURATED, URIRef("http://purl.org/dc/terms/license"), None) in provenance


@pytest.mark.parametrize("case", INVALID, ids=[p.stem for p in INVALID])
def test_each_invalid_file_fails_with_its_message(case: Path, small_data: Path) -> None:
    expected = case.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    shutil.copy(case, small_data / "careers" / case.name)
    with pytest.raises(DataError) as info:
        load_curated(small_data)
    messages = [str(p) for p in info.value.problems]
    assert expected in messages
    assert all(m.startswith(f"data/careers/{case.name}") for m in messages), messages


def test_all_problems_are_reported_together(small_data: Path) -> None:
    for case in INVALID:
        shutil.copy(case, small_data / "careers" / case.name)
    with pytest.raises(DataError) as info:
        load_curated(small_data)
    files = {p.file for p in info.value.problems}
    assert files == {f"data/careers/{case.name}" for case in INVALID}


def test_shacl_violation_is_located_in_the_data(small_data: Path) -> None:
    # Two definitions cannot be written in YAML, so break a shape another way: a skill whose
    # ESCO link is fine but whose label is empty after folding whitespace is caught earlier;
    # here we check SHACL by validating a graph with two preferred labels directly.
    from rdflib import Literal
    from rdflib.namespace import SKOS

    from careerkg.data.model import career_iri
    from careerkg.data.ontology import shacl_problems

    graph, where = curated_graph(load_curated(small_data))
    graph.add((career_iri("data-analyst"), SKOS.prefLabel, Literal("Second label", lang="en")))
    problems = shacl_problems(graph, where)
    assert len(problems) == 1
    assert str(problems[0]).startswith("data/careers/data-analyst.yaml:1: SHACL:")
    assert "exactly one non-empty preferred label" in str(problems[0])


def test_shipped_data_conforms_to_the_shapes() -> None:
    _, graph = validate_data()
    assert len(graph) > 10_000


def test_failed_build_leaves_the_store_unchanged(tmp_path: Path, small_data: Path) -> None:
    store_dir = tmp_path / "store"
    runner = CliRunner()
    ok = runner.invoke(app, ["build", "--store", str(store_dir), "--data", str(small_data)])
    assert ok.exit_code == 0, ok.output
    before = tmp_path / "before.nq"
    with OxigraphStore(store_dir) as store:
        store.dump(before)

    shutil.copy(TEST_DATA / "invalid" / "bad-skill.yaml", small_data / "careers")
    shutil.copy(TEST_DATA / "invalid" / "duplicate-key.yaml", small_data / "careers")
    (small_data / "careers" / "data-analyst.yaml").write_text("label: [unclosed\n", encoding="utf-8")
    bad = runner.invoke(app, ["build", "--store", str(store_dir), "--data", str(small_data)])
    assert bad.exit_code == 2
    assert "data/careers/bad-skill.yaml:5: unknown skill 'pythn' (did you mean 'python'?)" in bad.output
    assert "data/careers/duplicate-key.yaml:3: duplicate key 'label' (first at line 2)" in bad.output
    assert "data/careers/data-analyst.yaml:2: bad YAML" in bad.output
    assert "nothing was changed" in bad.output
    after = tmp_path / "after.nq"
    with OxigraphStore(store_dir) as store:
        store.dump(after)
    assert after.read_bytes() == before.read_bytes()


def test_duplicate_skill_id_across_catalogue_files_is_an_error(small_data: Path) -> None:
    (small_data / "skills" / "more.yaml").write_text(
        "python:\n  label: Python again\n  type: technology\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_curated(small_data)
    assert [str(p) for p in info.value.problems] == [
        "data/skills/more.yaml:2: duplicate skill id 'python' (also data/skills/core.yaml:2)"
    ]


def test_related_reasons_and_listed_with_are_read(small_data: Path) -> None:
    data = load_curated(small_data)
    analyst = data.careers["data-analyst"]
    assert analyst.related == ("data-scientist",)
    assert analyst.reasons == {
        "data-scientist": "The usual next step, adding models to the analyst's statistics."
    }
    assert analyst.listed_with == ("ml-researcher",)
    # the older plain-id form is still accepted, and has no reason
    researcher = data.careers["ml-researcher"]
    assert researcher.related == ("data-analyst",) and researcher.reasons == {}


def test_listed_with_is_never_a_related_career(small_data: Path) -> None:
    from rdflib import RDFS

    from careerkg.data.model import career_iri
    from careerkg.namespaces import CKG

    (small_data / "careers" / "page.yaml").write_text(
        "label: Page\nlisted_with: [data-scientist]\n", encoding="utf-8"
    )
    graph, _ = curated_graph(load_curated(small_data))
    page, scientist = career_iri("page"), career_iri("data-scientist")
    assert (page, CKG.listedWith, scientist) in graph
    assert (page, RDFS.seeAlso, scientist) in graph
    assert (scientist, CKG.listedWith, page) not in graph  # one way: from the page that lists it
    assert not set(graph.triples((page, CKG.relatedCareer, None)))
    assert not set(graph.triples((None, CKG.relatedCareer, page)))
    assert not set(graph.triples((page, CKG.hasCareerRelation, None)))


@pytest.mark.parametrize(
    ("related", "message"),
    [
        (
            "related:\n  - career: data-scientst\n    reason: Same work.\n",
            "data/careers/x.yaml:3: unknown career 'data-scientst' (did you mean 'data-scientist'?)",
        ),
        (
            "related:\n  - career: data-scientist\n    why: Same work.\n",
            "data/careers/x.yaml:4: unknown field 'why' in a related career",
        ),
        (
            "related:\n  - reason: Same work.\n",
            "data/careers/x.yaml:3: missing required field 'career'",
        ),
        (
            "related:\n  - career: data-scientist\n    reason: [a, b]\n",
            "data/careers/x.yaml:4: 'reason' must be text",
        ),
        (
            "related:\n  - data-scientist\n  - career: data-scientist\n    reason: Same work.\n",
            "data/careers/x.yaml:4: related career 'data-scientist' named twice (first at line 3)",
        ),
        ("related: [[data-scientist]]\n", "data/careers/x.yaml:2: a related career is an id or a mapping "
         '{career: id, reason: "..."}'),
        ("listed_with: [data-scientst]\n",
         "data/careers/x.yaml:2: unknown career 'data-scientst' (did you mean 'data-scientist'?)"),
        ("listed_with: [x]\n", "data/careers/x.yaml:1: a career cannot be related to itself"),
    ],
)
def test_bad_related_and_listed_with_entries_are_located(
    small_data: Path, related: str, message: str
) -> None:
    (small_data / "careers" / "x.yaml").write_text(f"label: X\n{related}", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_curated(small_data)
    assert message in [str(p) for p in info.value.problems]

"""ESCO importer on small fixtures in both file namings (tests/data/esco/)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from careerkg.errors import InputError
from careerkg.imports import import_source
from careerkg.namespaces import graph_iri
from careerkg.store import open_store

DATA = Path(__file__).parent / "data" / "esco"
SD = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
WD = "http://data.europa.eu/esco/occupation/c40a2919-48a9-40ea-b506-1f34f693496d"
PY = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
CKG = "https://w3id.org/careerkg/ontology#"


def rows(store, sparql: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in store.query(sparql))


@pytest.fixture
def store():
    return open_store("oxigraph-memory")


def relations(store) -> list[tuple[str, ...]]:
    return rows(
        store,
        "SELECT ?o ?p ?s WHERE { ?o ?p ?s VALUES ?p { ckg:essentialSkill ckg:optionalSkill } }",
    )


@pytest.mark.parametrize("release", ["v1.1.1", "v1.2.0"])
def test_both_namings_give_the_same_core_graph(store, release: str) -> None:
    report = import_source(store, "esco", DATA / release, progress=False)
    assert report.version == release[1:]
    assert (report.counts["occupations"], report.counts["skills"]) == (3, 5)
    assert report.counts["occupation-skill relations"] == 7
    assert len(relations(store)) == 7
    assert (SD, CKG + "essentialSkill", PY) in relations(store)
    assert rows(store, f"SELECT ?b WHERE {{ <{WD}> ckg:specializationOf ?b }}") == [(SD,)]
    assert rows(store, f"SELECT ?l WHERE {{ <{SD}> skos:altLabel ?l }}") == [
        ("application developer",),
        ("software engineer",),
    ]
    assert rows(store, f"SELECT ?l WHERE {{ <{SD}> skos:hiddenLabel ?l }}") == [("softie",)]
    assert rows(store, f"SELECT ?c ?n WHERE {{ <{SD}> ckg:iscoCode ?c ; skos:notation ?n }}") == [
        ("2512", "2512.4")
    ]
    assert rows(
        store,
        f"SELECT ?t ?w ?r WHERE {{ <{PY}> a ?t ; ckg:skillType ?w ; ckg:reuseLevel ?r "
        "FILTER(STRSTARTS(STR(?t), STR(ckg:))) }",
    ) == [
        (CKG + "Knowledge", "knowledge", "sector-specific"),
        (CKG + "Skill", "knowledge", "sector-specific"),
    ]
    assert any("1 skill(s) without skillType: typed as competences" in w for w in report.warnings)


def test_v1_1_hierarchies_groups_collections(store) -> None:
    report = import_source(store, "esco", DATA / "v1.1.1", progress=False)
    assert rows(
        store, "SELECT ?g ?code WHERE { ?g a esco:ISCOGroup ; ckg:iscoCode ?code FILTER(?code = '2512') }"
    ) == [("http://data.europa.eu/esco/isco/C2512", "2512")]
    assert rows(store, f"SELECT ?b WHERE {{ <{SD}> skos:broader ?b }}") == [
        ("http://data.europa.eu/esco/isco/C2512",)
    ]
    assert rows(store, f"SELECT ?l WHERE {{ <{PY}> skos:broader/skos:prefLabel ?l }}") == [
        ("computer programming",)
    ]
    assert (
        rows(
            store,
            "SELECT ?p ?b WHERE { ?a skos:prefLabel 'debug software'@en ; ?p ?b . "
            "?p rdfs:subPropertyOf* ckg:relatedSkill }",
        )
        == []
    )  # no inference
    assert rows(
        store, "SELECT ?b WHERE { ?a skos:prefLabel 'debug software'@en ; ckg:essentialRelatedSkill ?b }"
    ) == [(PY,)]
    assert rows(
        store,
        "SELECT ?c ?l (COUNT(?m) AS ?n) WHERE { ?c a skos:Collection ; skos:prefLabel ?l ; skos:member ?m } "
        "GROUP BY ?c ?l",
    ) == [
        (
            "https://w3id.org/careerkg/esco/collection/digital-skills-collection",
            "ESCO digital skills collection",
            "2",
        )
    ]
    assert rows(store, "SELECT ?t WHERE { ?s a skos:ConceptScheme ; skos:hasTopConcept ?t }") == sorted(
        [(PY,), ("http://data.europa.eu/esco/skill/07e5f5d8-25a6-47fa-a5b6-2b9d7a2b7a5a",)]
    )
    assert report.counts["skill-skill relations"] == 2


def test_zip_of_the_download(store, tmp_path: Path) -> None:
    path = tmp_path / "ESCO dataset - v1.2.0 - classification - en - csv.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for file in (DATA / "v1.2.0").iterdir():
            zf.write(file, file.name)
    report = import_source(store, "esco", path, progress=False)
    assert report.version == "1.2.0"
    assert len(relations(store)) == 7


def test_missing_required_file(store, tmp_path: Path) -> None:
    (tmp_path / "occupations_en.csv").write_bytes((DATA / "v1.1.1" / "occupations_en.csv").read_bytes())
    with pytest.raises(InputError, match=r"no skills file .*is this the ESCO CSV download\?"):
        import_source(store, "esco", tmp_path, progress=False)
    assert graph_iri("esco") not in store.graphs()


def test_bad_uris_beyond_tolerance(store, tmp_path: Path) -> None:
    for file in (DATA / "v1.1.1").iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    good = (DATA / "v1.1.1" / "occupationSkillRelations.csv").read_text()
    bad = "".join(f"not a uri {i},essential,knowledge,{PY}\n" for i in range(11))
    (tmp_path / "occupationSkillRelations.csv").write_text(good + bad)
    with pytest.raises(InputError) as caught:
        import_source(store, "esco", tmp_path, progress=False)
    assert str(caught.value) == (
        f"{tmp_path / 'occupationSkillRelations.csv'}:9: occupationUri 'not a uri 0' is not an IRI "
        "(11 bad rows, more than the 10 tolerated); nothing was imported"
    )


def _with_checklist(folder: Path) -> Path:
    """A copy of the v1.1.1 fixture with a checklist of its MD5s, as ESCO downloads carry."""
    folder = folder / "v1.1.1"
    folder.mkdir()
    lines = []
    for file in sorted((DATA / "v1.1.1").iterdir()):
        (folder / file.name).write_bytes(file.read_bytes())
        lines.append(f"MD5 ({file.name}) = {hashlib.md5(file.read_bytes()).hexdigest()}\n")
    (folder / "checklist_classification_en.chk").write_text("".join(lines))
    return folder


def test_files_matching_the_checklist_import(store, tmp_path: Path) -> None:
    report = import_source(store, "esco", _with_checklist(tmp_path), progress=False)
    assert report.version == "1.1.1"
    assert len(relations(store)) == 7


def test_a_file_differing_from_the_checklist_fails_and_imports_nothing(store, tmp_path: Path) -> None:
    folder = _with_checklist(tmp_path)
    skills = folder / "skills_en.csv"
    skills.write_text(skills.read_text().replace("Python", "Pithon", 1))  # still valid CSV
    with pytest.raises(InputError) as caught:
        import_source(store, "esco", folder, progress=False)
    message = str(caught.value)
    assert message.startswith(f"{skills}: MD5 ")
    assert "checklist_classification_en.chk states: the file is corrupt or was edited" in message
    assert graph_iri("esco") not in store.graphs()


def test_rows_naming_concepts_absent_from_the_release_are_told_and_not_careers(store, tmp_path: Path) -> None:
    """Regression (issue 14, item 16): 67 relation rows of ESCO v1.1.1 name occupations the
    release does not hold; they were written silently and counted as careers."""
    import shutil

    release = tmp_path / "v1.1.1"
    shutil.copytree(DATA / "v1.1.1", release)
    ghost = "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"
    with open(release / "occupationSkillRelations.csv", "a", encoding="utf-8") as f:
        f.write(f"{ghost},essential,knowledge,{PY}\n{ghost},optional,knowledge,{PY}\n")
    report = import_source(store, "esco", release, progress=False)
    assert report.counts["occupation-skill relations: rows naming concepts absent from this release"] == 2
    warning = next(w for w in report.warnings if "absent from this release" in w)
    assert "occupationSkillRelations.csv: 2 row(s)" in warning and ghost in warning
    assert rows(store, f"SELECT ?p WHERE {{ <{ghost}> ?p ?o }}") == []
    assert report.files[2].rejected == 0  # told apart from malformed rows

"""O*NET importer on small fixtures in the official text layout (tests/data/onet/)."""

from __future__ import annotations

import shutil
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from careerkg.data.model import onet_occupation_iri
from careerkg.errors import InputError
from careerkg.imports import import_source
from careerkg.namespaces import graph_iri
from careerkg.store import open_store

# Not rdflib's XSD namespace object: pytest probes module globals for attributes it lacks.
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

DATA = Path(__file__).parent / "data" / "onet"
ONET = graph_iri("onet")


def rows(store, sparql: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in store.query(sparql))


def without_provenance(store) -> Graph:
    g = Graph()
    for s, p, o in store.dataset.graph(ONET):
        if isinstance(o, Literal) and o.datatype == XSD_STRING:
            o = Literal(str(o))  # Oxigraph reports plain literals as xsd:string
        if s != ONET:
            g.add((s, p, o))
    return g


@pytest.fixture
def store():
    return open_store("oxigraph-memory")


@pytest.fixture
def onet_zip(tmp_path: Path) -> Path:
    """The 29.3 fixture zipped like the official download (files in a db_29_3_text/ folder)."""
    path = tmp_path / "db_29_3_text.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted((DATA / "db_29_3_text").iterdir()):
            zf.write(file, f"db_29_3_text/{file.name}")
    return path


def test_occupations_titles_and_specializations(store) -> None:
    report = import_source(store, "onet", DATA / "db_29_3_text", progress=False)
    assert report.version == "29.3"
    assert report.counts["occupations"] == 4
    assert rows(
        store, "SELECT ?c ?l WHERE { ?c a ckg:Career ; ckg:onetCode '15-2051.01' ; skos:prefLabel ?l }"
    ) == [(str(onet_occupation_iri("15-2051.01")), "Business Intelligence Analysts")]
    # .01 is a specialization of its .00 parent
    assert rows(store, "SELECT ?c ?p WHERE { ?c ckg:specializationOf ?p }") == [
        (str(onet_occupation_iri("15-2051.01")), str(onet_occupation_iri("15-2051.00")))
    ]
    assert rows(store, "SELECT ?l WHERE { ?c ckg:onetCode '15-2051.00' ; skos:altLabel ?l }") == [
        ("Data Mining Scientist",),
        ("ML Scientist",),
        ("Machine Learning Scientist",),
    ]


def test_ratings_thresholds_and_tasks(store) -> None:
    import_source(store, "onet", DATA / "db_29_3_text", progress=False)
    ratings = rows(
        store,
        """SELECT ?name ?im ?lv WHERE { ?c ckg:onetCode '15-1252.00' ; ckg:hasSkillRating ?r .
           ?r ckg:ratedSkill ?e ; ckg:importance ?im ; ckg:level ?lv . ?e skos:prefLabel ?name }""",
    )
    assert ratings == [
        ("Computers and Electronics", "4.71", "5.76"),
        ("Programming", "4.5", "5.12"),
        ("Reading Comprehension", "3.25", "3.88"),
    ]
    # IM >= 3.5 essential, 3.0 <= IM < 3.5 optional, below that no direct edge
    flags = rows(
        store,
        """SELECT ?name ?p WHERE { ?c ckg:onetCode '15-1252.00' ; ?p ?e . ?e skos:prefLabel ?name .
           VALUES ?p { ckg:essentialSkill ckg:optionalSkill } FILTER(CONTAINS(STR(?e), '/element/')) }""",
    )
    ckg = "https://w3id.org/careerkg/ontology#"
    assert flags == [
        ("Computers and Electronics", ckg + "essentialSkill"),
        ("Programming", ckg + "essentialSkill"),
        ("Reading Comprehension", ckg + "optionalSkill"),
    ]
    assert (
        rows(
            store,
            "SELECT ?e WHERE { ?c ckg:onetCode '11-1011.00' ; ckg:essentialSkill|ckg:optionalSkill ?e }",
        )
        == []
    )
    assert rows(
        store, "SELECT ?t WHERE { ?e skos:prefLabel 'Programming'@en ; a ?t FILTER(?t != skos:Concept) }"
    ) == [(ckg + "Competence",), (ckg + "Skill",)]
    assert rows(
        store,
        "SELECT ?l ?type ?pos WHERE { ?c ckg:onetCode '15-1252.00' ; ckg:hasDuty ?d . "
        "?d a ckg:Duty ; skos:prefLabel ?l ; ckg:dutyType ?type ; schema:position ?pos }",
    ) == [
        ("Analyze user needs and software requirements to determine feasibility of design.", "core", "1"),
        (
            "Confer with systems analysts, engineers, programmers and others to design systems.",
            "supplemental",
            "2",
        ),
    ]


def test_technology_related_and_job_zones(store) -> None:
    import_source(store, "onet", DATA / "db_29_3_text", progress=False)
    assert rows(
        store,
        """SELECT ?code ?name ?hot ?demand ?commodity WHERE { ?c ckg:onetCode ?code ;
           ckg:hasTechnologyUse ?u .
           ?u ckg:technology ?t ; ckg:hotTechnology ?hot ; ckg:inDemand ?demand . ?c ckg:usesTechnology ?t .
           ?t a ckg:Technology ; skos:prefLabel ?name ; skos:broader/skos:prefLabel ?commodity }""",
    ) == [
        ("15-1252.00", "C++", "true", "false", "Object or component oriented development software"),
        ("15-1252.00", "Python", "true", "true", "Object or component oriented development software"),
        ("15-2051.00", "Microsoft Excel", "true", "false", "Spreadsheet software"),
        ("15-2051.00", "Python", "true", "false", "Object or component oriented development software"),
    ]
    # in demand -> essential, otherwise optional
    assert rows(
        store,
        "SELECT ?n WHERE { ?c ckg:onetCode '15-1252.00' ; ckg:essentialSkill ?t . "
        "?t a ckg:Technology ; skos:prefLabel ?n }",
    ) == [("Python",)]
    assert rows(
        store,
        "SELECT ?a ?b ?tier ?rank WHERE { ?x ckg:onetCode ?a ; ckg:hasCareerRelation ?r . "
        "?r ckg:relationTarget/ckg:onetCode ?b ; ckg:relatednessTier ?tier ; ckg:relatednessRank ?rank }",
    ) == [
        ("11-1011.00", "15-2051.01", "Supplemental", "3"),
        ("15-1252.00", "15-2051.00", "Primary-Short", "1"),
        ("15-2051.00", "15-1252.00", "Primary-Short", "1"),
        ("15-2051.00", "15-2051.01", "Primary-Long", "2"),
    ]
    # relatedCareer is written in both directions
    assert rows(
        store, "SELECT ?b WHERE { ?a ckg:onetCode '15-2051.01' ; ckg:relatedCareer/ckg:onetCode ?b }"
    ) == [("11-1011.00",), ("15-2051.00",)]
    assert rows(store, "SELECT ?z WHERE { ?c ckg:onetCode '15-1252.00' ; ckg:jobZone ?z }") == [("4",)]


def test_bad_row_within_tolerance_is_reported(store) -> None:
    report = import_source(store, "onet", DATA / "db_29_3_text", progress=False)
    skills = next(f for f in report.files if f.name == "Skills.txt")
    assert (skills.rows, skills.rejected) == (6, 1)
    assert skills.first_bad == (7, "Data Value 'abc' is not a number")
    assert any("Skills.txt: rejected 1 row(s), first at line 7" in w for w in report.warnings)


def test_provenance_of_the_named_graph(store) -> None:
    import_source(store, "onet", DATA / "db_29_3_text", progress=False)
    (_, title, version, license_, rights) = next(
        iter(
            store.query(
                "SELECT ?g ?t ?v ?l ?r WHERE { ?g dcterms:title ?t ; dcterms:hasVersion ?v ; "
                "dcterms:license ?l ; "
                "dcterms:rights ?r }",
                {"g": ONET},
            )
        )
    )
    assert (str(title), str(version), str(license_)) == (
        "O*NET 29.3 database",
        "29.3",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert str(rights).startswith("O*NET® is a trademark of USDOL/ETA; includes information from O*NET 29.3")
    ids = {str(r[1]) for r in store.query("SELECT ?g ?i WHERE { ?g dcterms:identifier ?i }", {"g": ONET})}
    import hashlib

    digest = hashlib.sha256((DATA / "db_29_3_text" / "Job Zones.txt").read_bytes()).hexdigest()
    assert f"Job Zones.txt sha256:{digest}" in ids


def test_older_release_crlf_bom_fewer_files(store) -> None:
    report = import_source(store, "onet", DATA / "db_20_1_text", progress=False)
    assert report.version == "20.1"
    assert any("no technology file" in w for w in report.warnings)
    assert any("'Task Type'" in w for w in report.warnings)
    expected = Graph().parse(
        data="""
        @prefix ckg: <https://w3id.org/careerkg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix schema: <https://schema.org/> . @prefix occ: <https://w3id.org/careerkg/onet/occupation/> .
        @prefix el: <https://w3id.org/careerkg/onet/element/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://w3id.org/careerkg/onet/occupation/15-1132.00> a ckg:Career ; ckg:onetCode "15-1132.00" ;
            skos:prefLabel "Software Developers, Applications"@en ;
            skos:definition "Develop, create, and modify general computer applications software."@en ;
            skos:altLabel "Application Developer"@en ;
            ckg:hasDuty <https://w3id.org/careerkg/onet/occupation/15-1132.00/task/16363> ;
            ckg:hasSkillRating <https://w3id.org/careerkg/onet/occupation/15-1132.00/rating/2.B.3.e> ;
            ckg:essentialSkill el:2.B.3.e .
        <https://w3id.org/careerkg/onet/occupation/15-1199.08> a ckg:Career ; ckg:onetCode "15-1199.08" ;
            skos:prefLabel "Business Intelligence Analysts"@en ;
            skos:definition "Produce financial and market intelligence by querying data repositories."@en .
        <https://w3id.org/careerkg/onet/occupation/15-1132.00/task/16363> a ckg:Duty ; schema:position 1 ;
            skos:prefLabel
            "Analyze user needs and software requirements to determine feasibility of design."@en .
        <https://w3id.org/careerkg/onet/occupation/15-1132.00/rating/2.B.3.e> a ckg:SkillRating ;
            ckg:ratedSkill el:2.B.3.e ; ckg:importance 4.62 ; ckg:level 5.25 .
        el:2.B.3.e a ckg:Skill, ckg:Competence ; ckg:skillType "competence" ;
            skos:prefLabel "Programming"@en .
        """,
        format="turtle",
    )
    got = without_provenance(store)
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(f"unexpected: {sorted(only_got)}\nmissing: {sorted(only_expected)}")


def test_zip_reads_like_the_folder(store, onet_zip: Path) -> None:
    folder = open_store("oxigraph-memory")
    import_source(folder, "onet", DATA / "db_29_3_text", progress=False)
    report = import_source(store, "onet", onet_zip, progress=False)
    assert report.version == "29.3"
    assert isomorphic(without_provenance(store), without_provenance(folder))


def test_download_from_a_local_http_server(store, onet_zip: Path) -> None:
    handler = partial(SimpleHTTPRequestHandler, directory=str(onet_zip.parent))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{onet_zip.name}"
        report = import_source(store, "onet", url, progress=False)
        assert report.source == url
        assert report.counts["occupations"] == 4
        with pytest.raises(InputError, match=r"missing\.zip: download failed: HTTP 404"):
            import_source(store, "onet", url.replace(onet_zip.name, "missing.zip"), progress=False)
    finally:
        server.shutdown()
        server.server_close()


def test_truncated_zip_fails_and_leaves_the_store_unchanged(tmp_path: Path, onet_zip: Path) -> None:
    store = open_store(tmp_path / "store")
    import_source(store, "onet", DATA / "db_20_1_text", progress=False)
    before = store.count(ONET)
    truncated = tmp_path / "db_29_3_text_truncated.zip"
    truncated.write_bytes(onet_zip.read_bytes()[: onet_zip.stat().st_size // 2])
    with pytest.raises(InputError, match=r"db_29_3_text_truncated\.zip: not a readable zip file"):
        import_source(store, "onet", truncated, progress=False)
    assert store.count(ONET) == before


def test_corrupt_member_names_file_and_line(tmp_path: Path, onet_zip: Path, store) -> None:
    data = bytearray(onet_zip.read_bytes())
    with zipfile.ZipFile(onet_zip) as zf:
        info = zf.getinfo("db_29_3_text/Task Statements.txt")
    start = info.header_offset + 30 + len(info.filename) + 5
    data[start : start + 20] = b"\xff" * 20
    corrupt = tmp_path / "corrupt.zip"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"corrupt\.zip:db_29_3_text/Task Statements\.txt:\d+: "):
        import_source(store, "onet", corrupt, progress=False)
    assert ONET not in store.graphs()


def test_too_many_bad_rows_fail_naming_the_first(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    import_source(store, "onet", DATA / "db_29_3_text", progress=False)
    before = store.count(ONET)
    with pytest.raises(InputError) as caught:
        import_source(store, "onet", DATA / "malformed", progress=False)
    assert str(caught.value) == (
        f"{DATA / 'malformed' / 'Occupation Data.txt'}:3: bad O*NET-SOC code '15-12X2.00' "
        "(12 bad rows, more than the 10 tolerated); nothing was imported"
    )
    assert store.count(ONET) == before


def test_wrong_file_is_named(tmp_path: Path, store) -> None:
    folder = tmp_path / "not_onet"
    folder.mkdir()
    shutil.copy(DATA / "db_29_3_text" / "Job Zones.txt", folder / "Occupation Data.txt")
    with pytest.raises(InputError, match=r"Occupation Data\.txt:1: missing column\(s\) 'Title'"):
        import_source(store, "onet", folder, progress=False)
    with pytest.raises(InputError, match=r"no 'Occupation Data\.txt'"):
        import_source(store, "onet", DATA.parent / "esco" / "v1.1.1", progress=False)


def test_reimport_replaces_the_graph(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    import_source(store, "onet", DATA / "db_29_3_text", progress=False)
    import_source(store, "onet", DATA / "db_20_1_text", progress=False)
    assert rows(store, "SELECT ?code WHERE { ?c a ckg:Career ; ckg:onetCode ?code }") == [
        ("15-1132.00",),
        ("15-1199.08",),
    ]
    assert URIRef(ONET) in store.graphs()


def test_a_bad_byte_is_reported_at_its_own_line(tmp_path: Path) -> None:
    """Regression (issue 14, item 15): the reader decodes ahead of the rows, so a bad byte deep
    in a file was reported at the line after the last row handed out, far from the byte."""
    release = tmp_path / "db_29_3_text"
    shutil.copytree(Path(__file__).parent / "data" / "onet" / "db_29_3_text", release)
    tasks = release / "Task Statements.txt"
    lines = tasks.read_bytes().splitlines()
    body = [
        b"15-1252.00\t%d\tTask number %d, long enough to fill buffers.\tCore\tn/a\t08/2023\tAnalyst" % (i, i)
        for i in range(20000, 23000)
    ]
    body[2499] += b" caf\xe9"  # Latin-1, at line 2 + 2499 = 2501
    tasks.write_bytes(b"\n".join([lines[0], *body]) + b"\n")
    with pytest.raises(InputError) as failure:
        import_source(open_store("oxigraph-memory"), "onet", release, progress=False)
    assert str(failure.value).startswith(f"{tasks}:2501: not UTF-8 text")

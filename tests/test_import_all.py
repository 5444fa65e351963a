"""``import_all``: the pipelined import (loads in a background thread) writes exactly what
importing the sources one by one writes, in every store kind, and fails cleanly."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from careerkg.data.build import CURATED
from careerkg.errors import DataError, InputError
from careerkg.imports import import_all, import_source
from careerkg.imports.terms import NTWriter
from careerkg.namespaces import graph_iri
from careerkg.store import GraphStore, OxigraphStore, open_store

# Not rdflib's XSD namespace object: pytest probes module globals for attributes it lacks.
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

DATA = Path(__file__).parent / "data"
KINDS = ("onet", "esco", "crosswalk")


def datasets(root: Path, onet: Path = DATA / "onet" / "db_29_3_text") -> Path:
    """The fixtures laid out like ../shared/datasets (links, nothing copied)."""
    (root / "onet").mkdir(parents=True)
    (root / "esco" / "crosswalk_onet").mkdir(parents=True)
    (root / "onet" / "db_29_3_text").symlink_to(onet, target_is_directory=True)
    (root / "esco" / "v1.1.1").symlink_to(DATA / "esco" / "v1.1.1", target_is_directory=True)
    (root / "esco" / "crosswalk_onet" / "crosswalk_esco_onet.csv").symlink_to(
        DATA / "crosswalk" / "crosswalk_esco_onet.csv"
    )
    return root


def content(store: GraphStore, kind: str) -> Graph:
    """A named graph without its provenance (whose time of import differs between runs)."""
    target = graph_iri(kind)
    g = Graph()
    for s, p, o in store.dataset.graph(target):
        if s != target:
            if isinstance(o, Literal) and o.datatype is None and o.language is None:
                o = Literal(str(o), datatype=XSD_STRING)  # RDF 1.1: the same literal
            g.add((s, p, o))
    return g


def assert_same(got: Graph, expected: Graph) -> None:
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(f"unexpected: {sorted(only_got)[:5]}\nmissing: {sorted(only_expected)[:5]}")


@pytest.fixture(scope="module")
def one_by_one(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    root = datasets(tmp_path_factory.mktemp("one-by-one"))
    store = open_store("oxigraph-memory")
    from careerkg.data.build import build

    build(store)
    import_source(store, "onet", root / "onet" / "db_29_3_text", progress=False)
    import_source(store, "esco", root / "esco" / "v1.1.1", progress=False)
    import_source(
        store, "crosswalk", root / "esco" / "crosswalk_onet" / "crosswalk_esco_onet.csv", progress=False
    )
    return store


def test_pipelined_import_writes_what_one_by_one_imports_write(
    tmp_path: Path, one_by_one: GraphStore
) -> None:
    store = OxigraphStore(tmp_path / "store")
    # A fresh on-disk store loads every graph in place: import_all overlaps the loads.
    assert all(store.replaces_in_place(graph_iri(kind)) for kind in KINDS)
    reports = import_all(store, datasets(tmp_path / "datasets"), progress=False)
    assert [r.kind for r in reports] == ["esco", "onet", "crosswalk"]
    assert not any(t.name == "careerkg-load" for t in threading.enumerate())
    assert store.has_graph(CURATED)
    for report in reports:
        # The triple count comes from the writer, not from counting the store: it must agree.
        assert report.triples == store.count(URIRef(report.graph)) == one_by_one.count(URIRef(report.graph))
        assert_same(content(store, report.kind), content(one_by_one, report.kind))
    assert not store.replaces_in_place(graph_iri("onet"))  # now present: a new generation

    # Importing again replaces each graph by switching generations (no overlap): same result.
    again = import_all(store, tmp_path / "datasets", progress=False)
    assert [r.triples for r in again] == [r.triples for r in reports]
    for kind in KINDS:
        assert_same(content(store, kind), content(one_by_one, kind))


def test_rdflib_memory_store_gets_the_same_triples(tmp_path: Path, one_by_one: GraphStore) -> None:
    """Regression: the curated careers' ISCO links were found through a SPARQL join on codes
    that are xsd:string in one graph and plain in the other; rdflib's memory store does not
    equate them, so the baseline had 200 fewer crosswalk triples than Oxigraph."""
    store = open_store("memory")
    reports = import_all(store, datasets(tmp_path / "datasets"), progress=False)
    crosswalk = reports[-1]
    assert crosswalk.counts["curated careers linked to ISCO groups"] > 0
    for kind in KINDS:
        assert store.count(graph_iri(kind)) == one_by_one.count(graph_iri(kind))
        assert_same(content(store, kind), content(one_by_one, kind))


def test_a_failing_source_stops_the_pipeline_and_keeps_the_ones_before(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    root = datasets(tmp_path / "datasets", onet=DATA / "onet" / "malformed")
    with pytest.raises(InputError, match=r"Occupation Data\.txt:3: bad O\*NET-SOC code") as failure:
        import_all(store, root, progress=False)
    assert "nothing was imported" in str(failure.value)
    # ESCO (imported before O*NET) finished loading before the error came out; nothing after.
    assert not any(t.name == "careerkg-load" for t in threading.enumerate())
    assert store.has_graph(graph_iri("esco")) and store.count(graph_iri("esco")) > 0
    assert not store.has_graph(graph_iri("onet"))
    assert not store.has_graph(graph_iri("crosswalk"))


def test_writer_knows_its_distinct_triples(tmp_path: Path) -> None:
    with NTWriter(tmp_path / "a.nt") as out:
        out.add("<http://a/s>", "<http://a/p>", '"x"')
        out.add("<http://a/s>", "<http://a/p>", '"y"')
        out.raw('<http://a/s> <http://a/q> "z" .\n\n')
    assert (out.lines, out.distinct) == (3, 3)
    with NTWriter(tmp_path / "b.nt") as out:
        out.add("<http://a/s>", "<http://a/p>", '"x"')
        out.add("<http://a/s>", "<http://a/p>", '"x"')
    assert (out.lines, out.distinct) == (2, None)  # unknown: the store counts instead
    store = open_store("oxigraph-memory")
    assert store.load_ntriples(URIRef("urn:g"), tmp_path / "b.nt", triples=out.distinct, checked=True) == 1


# ---------------------------------------------------------------- issue 14, item 16


def renamed_datasets(root: Path) -> Path:
    """The fixtures under names import_all never knew: a versioned O*NET zip, an ESCO folder
    named after its download, the crosswalk CSV under another name elsewhere."""
    import zipfile

    (root / "o" / "deep").mkdir(parents=True)
    (root / "europe").mkdir()
    (root / "links").mkdir()
    with zipfile.ZipFile(root / "o" / "deep" / "db_30_1_text.zip", "w") as z:
        for f in sorted((DATA / "onet" / "db_29_3_text").iterdir()):
            z.write(f, f"db_30_1_text/{f.name}")
    (root / "europe" / "ESCO dataset - v1.2.0 - classification - en - csv").symlink_to(
        DATA / "esco" / "v1.1.1", target_is_directory=True
    )
    (root / "links" / "mapping.csv").symlink_to(DATA / "crosswalk" / "crosswalk_esco_onet.csv")
    (root / "links" / "loop").symlink_to(root, target_is_directory=True)  # a link loop: not followed twice
    return root


def test_import_all_finds_releases_by_their_content(tmp_path: Path) -> None:
    """Regression: only onet/db_29_3_text, esco/v1.1.1 and one crosswalk path were looked at."""
    from careerkg.imports import find_sources

    root = renamed_datasets(tmp_path / "datasets")
    found = find_sources(root)
    assert found["onet"].name == "db_30_1_text.zip"
    assert found["esco"].name.startswith("ESCO dataset")
    assert found["crosswalk"].name == "mapping.csv"
    store = open_store("oxigraph-memory")
    reports = import_all(store, root, progress=False)
    assert [r.kind for r in reports] == ["esco", "onet", "crosswalk"]
    assert all(store.count(graph_iri(kind)) > 0 for kind in KINDS)


def test_the_newest_of_two_releases_is_imported(tmp_path: Path) -> None:
    from careerkg.imports import find_sources

    (tmp_path / "a").symlink_to(DATA / "onet" / "db_20_1_text", target_is_directory=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "db_29_3_text").symlink_to(DATA / "onet" / "db_29_3_text", target_is_directory=True)
    assert find_sources(tmp_path)["onet"].name == "db_29_3_text"


def test_a_folder_with_nothing_importable_exits_2(tmp_path: Path) -> None:
    """Regression: `import all` exited 0, having imported nothing."""
    from typer.testing import CliRunner

    from careerkg.cli import app

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "data" / "broken.zip").write_bytes(b"PK\x03\x04 not a zip")
    store = tmp_path / "store"
    result = CliRunner().invoke(
        app, ["import", "all", str(tmp_path / "data"), "--store", str(store), "--no-progress"]
    )
    assert result.exit_code == 2, result.output
    assert "no release found" in result.output
    assert "Traceback" not in result.output
    assert not OxigraphStore(store).has_graph(CURATED)  # nothing built either


def test_every_empty_file_is_named_at_once_before_anything_is_built(tmp_path: Path) -> None:
    """Regression: only the first of six empty files was named, after the curated graph was built."""
    root = tmp_path / "datasets"
    onet, esco = root / "onet" / "release", root / "esco" / "release"
    shutil.copytree(DATA / "onet" / "db_29_3_text", onet)
    shutil.copytree(DATA / "esco" / "v1.1.1", esco)
    empty = [onet / "Skills.txt", onet / "Job Zones.txt", esco / "skillGroups_en.csv"]
    for f in empty:
        f.write_bytes(b"")
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(DataError) as failure:
        import_all(store, root, progress=False)
    assert sorted(p.file for p in failure.value.problems) == sorted(str(f) for f in empty)
    assert all("empty file" in p.message for p in failure.value.problems)
    assert list(store.graphs()) == []


def test_reimporting_onet_warns_about_crosswalk_links_left_dangling(tmp_path: Path) -> None:
    """Regression: the crosswalk went stale silently when O*NET was re-imported."""
    store = open_store("oxigraph-memory")
    import_source(store, "onet", DATA / "onet" / "db_29_3_text", progress=False)
    import_source(store, "esco", DATA / "esco" / "v1.1.1", progress=False)
    import_source(store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
    smaller = tmp_path / "db_29_3_text"
    shutil.copytree(DATA / "onet" / "db_29_3_text", smaller)
    data = smaller / "Occupation Data.txt"
    kept = [
        line for line in data.read_text(encoding="utf-8").splitlines() if not line.startswith("15-1252.00")
    ]
    data.write_text("\n".join(kept) + "\n", encoding="utf-8")
    report = import_source(store, "onet", smaller, progress=False)
    assert report.counts["crosswalk links dangling"] > 0
    warning = next(w for w in report.warnings if w.startswith("crosswalk:"))
    assert f"{report.counts['crosswalk links dangling']} of " in warning
    assert "import the crosswalk again" in warning
    # Importing the crosswalk again re-links: the row naming the absent occupation is skipped.
    again = import_source(store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
    assert again.counts["crosswalk rows naming concepts absent from the store"] == 2
    report = import_source(store, "onet", smaller, progress=False)
    assert report.counts["crosswalk links dangling"] == 0

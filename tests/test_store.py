"""Stores: atomic replacement of named graphs, and failures that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from careerkg import StoreError
from careerkg.store import MemoryStore, OxigraphStore, open_store

G = URIRef("https://w3id.org/careerkg/graph/test")
OTHER = URIRef("https://w3id.org/careerkg/graph/other")


def _nt(path: Path, n: int, prefix: str = "s") -> Path:
    path.write_text("".join(f'<urn:{prefix}{i}> <urn:p> "v{i}" .\n' for i in range(n)), encoding="utf-8")
    return path


def _objects(store, graph: URIRef) -> set[str]:
    return {str(o) for s, o in store.query(f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}


@pytest.mark.parametrize("kind", ["disk", "oxigraph-memory", "memory"])
def test_replace_graph_swaps_content_and_keeps_other_graphs(kind: str, tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s") if kind == "disk" else open_store(kind)
    store.replace_graph(OTHER, _nt(tmp_path / "other.nt", 3, "o"))
    assert store.replace_graph(G, _nt(tmp_path / "a.nt", 5)) == 5
    assert store.replace_graph(G, _nt(tmp_path / "b.nt", 2, "t")) == 2
    assert _objects(store, G) == {"v0", "v1"}
    assert store.count(G) == 2
    assert store.count(OTHER) == 3
    assert store.graphs() == sorted([G, OTHER])
    store.close()


@pytest.mark.parametrize("kind", ["disk", "oxigraph-memory", "memory"])
def test_failed_load_leaves_the_store_as_it_was(kind: str, tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s") if kind == "disk" else open_store(kind)
    store.replace_graph(G, _nt(tmp_path / "a.nt", 4))
    bad = tmp_path / "bad.nt"
    bad.write_text('<urn:x> <urn:p> "ok" .\n<urn:y> <urn:p> "unterminated .\n', encoding="utf-8")
    with pytest.raises(StoreError, match=r"bad\.nt"):
        store.replace_graph(G, bad)
    with pytest.raises(StoreError, match=r"bad\.nt"):
        store.replace_graph(OTHER, bad)
    assert store.count(G) == 4
    assert OTHER not in store.graphs()
    store.close()


def test_disk_store_survives_reopening_and_tracks_state(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    first = store.state()
    small = Graph()
    small.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    store.replace_graph(G, small)
    assert store.state() != first
    store.replace_graph(G, _nt(tmp_path / "a.nt", 3))  # big-path replacement: a new generation
    state = store.state()
    store.close()
    reopened = OxigraphStore(tmp_path / "s")
    assert reopened.count(G) == 3
    assert reopened.state() == state
    assert len(list((tmp_path / "s").glob("gen-*"))) == 1
    reopened.close()


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "s").close()
    reader = OxigraphStore(tmp_path / "s", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        reader.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    reader.close()


def test_missing_store_opened_read_only_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="careerkg build"):
        OxigraphStore(tmp_path / "nothing", read_only=True)


def test_memory_store_matches_named_graph_semantics() -> None:
    store = MemoryStore()
    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    store.replace_graph(G, graph)
    assert store.graphs() == [G]
    store.drop_graph(G)
    assert store.graphs() == []


@pytest.mark.parametrize("kind", ["disk", "oxigraph-memory", "memory"])
def test_small_graph_replacement_applies_changes_and_blank_nodes(kind: str, tmp_path: Path) -> None:
    from rdflib import BNode

    store = OxigraphStore(tmp_path / "s") if kind == "disk" else open_store(kind)
    first = Graph()
    for i in range(3):
        first.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(f"v{i}")))
    store.replace_graph(G, first)
    second = Graph()
    second.add((URIRef("urn:s0"), URIRef("urn:p"), Literal("v0")))  # kept
    second.add((URIRef("urn:s9"), URIRef("urn:p"), Literal("v9")))  # added
    node = BNode()
    second.add((URIRef("urn:s9"), URIRef("urn:q"), node))
    second.add((node, URIRef("urn:p"), Literal("inside")))
    assert store.replace_graph(G, second) == 4
    assert {"v0", "v9", "inside"} <= _objects(store, G)
    assert "v1" not in _objects(store, G)
    assert store.count(G) == 4
    store.close()

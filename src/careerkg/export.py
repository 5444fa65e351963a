"""Write the graph to files: RDF serializations, and GraphML/GEXF for Gephi and friends.

Output is deterministic: the same store gives byte-identical files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import InputError
from .namespaces import PREFIXES
from .store import GraphStore

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS = ("turtle", "nt", "nquads", "jsonld", "graphml", "gexf")


def _sorted_lines(path: Path) -> None:
    lines = sorted({line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _union_graph(store: GraphStore, graph: URIRef | None) -> Graph:
    with tempfile.TemporaryDirectory(prefix="careerkg-") as tmp:
        file = Path(tmp) / "dump"
        graphs = [graph] if graph is not None else store.graphs()
        union = Graph()
        for prefix, ns in PREFIXES.items():
            union.bind(prefix, ns)
        for name in graphs:
            store.dump(file, name)
            union.parse(file, format="nt")
    return union


def export(store: GraphStore, path: Path, fmt: str, graph: URIRef | None = None, view: str = "full") -> Path:
    """Write the store (or one named graph) to ``path`` in format ``fmt``.

    ``nquads`` keeps the named graphs; the other RDF formats hold the union of the graphs.
    ``graphml`` and ``gexf`` hold a NetworkX view (see :mod:`careerkg.network`): ``full`` (the
    typed graph), ``career-skill`` or ``career-career`` (built from the whole store).
    """
    if view != "full":
        from .network import write_view
        from .views import VIEW_NAMES, views_for

        if view not in VIEW_NAMES:
            raise InputError(f"unknown view {view!r}; choose one of {', '.join(VIEW_NAMES)}")
        if fmt not in ("graphml", "gexf"):
            raise InputError(f"--view {view} exports to graphml or gexf, not {fmt!r}")
        if graph is not None:
            raise InputError("--graph cannot be combined with --view; views cover the whole store")
        return write_view(views_for(store).view(view), Path(path), fmt)
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    path = Path(path)
    if graph is not None and not store.has_graph(graph):
        raise InputError(f"no named graph {graph} in the store")
    if fmt == "nquads":
        if graph is not None:
            raise InputError("--graph cannot be combined with nquads; use nt for one graph")
        store.dump(path)
        _sorted_lines(path)
        return path
    if fmt == "nt":
        union = _union_graph(store, graph)
        union.serialize(path, format="nt", encoding="utf-8")
        _sorted_lines(path)
        return path
    union = _union_graph(store, graph)
    if fmt in ("graphml", "gexf"):
        import networkx as nx

        from .network import typed_graph

        view = typed_graph(union)
        writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
        writer(view, path)
        return path
    # Re-insert triples in sorted order so serializers that follow insertion order are stable.
    ordered = Graph(namespace_manager=union.namespace_manager)
    for triple in sorted(union):
        ordered.add(triple)
    ordered.serialize(path, format="json-ld" if fmt == "jsonld" else "turtle", encoding="utf-8")
    return path

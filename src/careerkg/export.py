"""Write the graph to files: RDF serializations, and GraphML/GEXF for Gephi and friends.

Output is deterministic: the same store gives byte-identical files. A file is written beside
its target and renamed into place once complete, so an interrupted export never leaves a
truncated file where the old one was; an existing file is replaced only when asked.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rdflib import Graph, URIRef

from .atomic import replacing
from .errors import InputError, OutputExists
from .namespaces import PREFIXES
from .store import GraphStore, inside_store

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS = ("turtle", "nt", "nquads", "jsonld", "graphml", "gexf")


def _sorted_lines(path: Path) -> None:
    # Split at "\n" only: str.splitlines() also splits at U+2028, U+0085, \x0b, \x1c... which
    # N-Triples keeps raw inside literals, and would cut such triples in two.
    text = path.read_text(encoding="utf-8")
    lines = sorted({line for line in text.split("\n") if line.strip()})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


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


def export(
    store: GraphStore,
    path: Path,
    fmt: str,
    graph: URIRef | None = None,
    view: str = "full",
    *,
    overwrite: bool = False,
) -> Path:
    """Write the store (or one named graph) to ``path`` in format ``fmt``.

    ``nquads`` keeps the named graphs; the other RDF formats hold the union of the graphs.
    ``graphml`` and ``gexf`` hold a NetworkX view (see :mod:`careerkg.network.build`): ``full`` (the
    typed graph), ``career-skill`` or ``career-career`` (built from the whole store).

    The file is written under a temporary name and renamed into place when complete. An
    existing ``path`` raises :class:`~careerkg.errors.OutputExists` unless ``overwrite``; a
    ``path`` inside the store's own folder raises :class:`~careerkg.errors.InputError`.
    """
    _check_arguments(store, fmt, graph, view)
    path = Path(path)
    if inside_store(store, path):
        raise InputError("is inside the store's folder; write the export somewhere else", file=path)
    if path.exists() and not overwrite:
        raise OutputExists(path)
    if path.is_dir():
        raise InputError("is a folder; give a file name to write", file=path)
    with replacing(path) as tmp:
        _export(store, tmp, fmt, graph, view)
    return path


def _check_arguments(store: GraphStore, fmt: str, graph: URIRef | None, view: str) -> None:
    if view != "full":
        from .network.views import VIEW_NAMES

        if view not in VIEW_NAMES:
            raise InputError(f"unknown view {view!r}; choose one of {', '.join(VIEW_NAMES)}")
        if fmt not in ("graphml", "gexf"):
            raise InputError(f"{view} exports to graphml or gexf, not {fmt!r}", parameter="view")
        if graph is not None:
            raise InputError("cannot be combined with a view; views cover the whole store", parameter="graph")
        return
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if graph is not None and not store.has_graph(graph):
        raise InputError(f"no named graph {graph} in the store")
    if fmt == "nquads" and graph is not None:
        raise InputError("cannot be combined with nquads; use nt for one graph", parameter="graph")


def _export(store: GraphStore, path: Path, fmt: str, graph: URIRef | None, view: str) -> Path:
    if view != "full":
        from .network.build import write_view
        from .network.views import views_for

        return write_view(views_for(store).view(view), Path(path), fmt)
    if fmt == "nquads":
        store.dump(path)
        _sorted_lines(path)
        return path
    if fmt == "nt":
        # The store writes N-Triples itself, graph by graph; sorting drops the repeats.
        graphs = [graph] if graph is not None else store.graphs()
        with tempfile.TemporaryDirectory(prefix="careerkg-") as tmp, open(path, "wb") as out:
            part = Path(tmp) / "part.nt"
            for name in graphs:
                store.dump(part, name)
                with open(part, "rb") as data:
                    shutil.copyfileobj(data, out)
                    out.write(b"\n")
        _sorted_lines(path)
        return path
    union = _union_graph(store, graph)
    if fmt in ("graphml", "gexf"):
        import networkx as nx

        from .network.build import typed_graph

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

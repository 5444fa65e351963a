"""Write the graph to files: RDF serializations, and GraphML/GEXF for Gephi and friends.

Output is deterministic: the same store gives byte-identical files. A file is written beside
its target and renamed into place once complete, so an interrupted export never leaves a
truncated file where the old one was; an existing file is replaced only when asked.
"""

from __future__ import annotations

import contextlib
import heapq
import shutil
import tempfile
from pathlib import Path

from rdflib import Graph, URIRef

from .atomic import replacing
from .errors import InputError, OutputExists
from .namespaces import PREFIXES
from .store import GraphStore, inside_store

__all__ = ["EXPORT_FORMATS", "export", "sort_unique_lines"]

EXPORT_FORMATS = ("turtle", "nt", "nquads", "jsonld", "graphml", "gexf")


#: Bytes of lines sorted in memory at a time; longer files are sorted in runs and merged.
SORT_RUN_BYTES = 32 * 1024 * 1024


def sort_unique_lines(source: Path, target: Path, *, run_bytes: int = SORT_RUN_BYTES) -> None:
    """Write the distinct non-blank lines of ``source`` to ``target`` in byte order, in bounded
    memory: runs of about ``run_bytes`` are sorted in memory, written beside ``target`` and
    merged. Lines end at a line feed only (``str.splitlines`` would also cut at U+2028, U+0085,
    vertical tab, file separator..., which N-Triples keeps raw inside literals). Byte order of
    UTF-8 is code-point order, so the result is the same as sorting the decoded lines.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> lines = ["b", "c" + chr(0x2028) + "x", "a", "b", ""]
    >>> _ = (folder / "in.nt").write_text(chr(10).join(lines), encoding="utf-8")
    >>> sort_unique_lines(folder / "in.nt", folder / "out.nt", run_bytes=4)
    >>> (folder / "out.nt").read_text(encoding="utf-8").split(chr(10)) == ["a", "b", lines[1], ""]
    True
    """
    with tempfile.TemporaryDirectory(prefix=".careerkg-sort-", dir=Path(target).parent) as tmp:
        runs: list[Path] = []
        with open(source, "rb") as lines:
            while chunk := lines.readlines(run_bytes):
                whole = {line if line.endswith(b"\n") else line + b"\n" for line in chunk if line.strip()}
                ordered = sorted(whole)
                run = Path(tmp) / f"run-{len(runs)}"
                run.write_bytes(b"".join(ordered))
                runs.append(run)
        with contextlib.ExitStack() as files, open(target, "wb") as out:
            merged = heapq.merge(*(files.enter_context(open(run, "rb")) for run in runs))
            last = None
            for line in merged:
                if line != last:
                    out.write(line)
                    last = line


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
    if fmt in ("nquads", "nt"):
        # The store streams N-Quads, or N-Triples graph by graph, to a file; sorting (in bounded
        # memory) makes the output deterministic and drops triples repeated across graphs.
        with tempfile.TemporaryDirectory(prefix=".careerkg-", dir=path.parent) as tmp:
            dumped = Path(tmp) / "dump"
            if fmt == "nquads":
                store.dump(dumped)
            else:
                part = Path(tmp) / "part.nt"
                with open(dumped, "wb") as out:
                    for name in [graph] if graph is not None else store.graphs():
                        store.dump(part, name)
                        with open(part, "rb") as data:
                            shutil.copyfileobj(data, out)
                        out.write(b"\n")
                part.unlink(missing_ok=True)
            sort_unique_lines(dumped, path)
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

"""Where the graph lives: an embedded Oxigraph store on disk (the default), in memory, or a
remote SPARQL store.

Every source's triples sit in a named graph of their own (:func:`careerkg.namespaces.graph_iri`),
and queries see the union of all named graphs as their default graph. Replacing a named graph is
atomic: a reader sees the old graph or the new one, and a failed load leaves the store as it was.

>>> store = open_store("memory")
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
>>> store.replace_graph(URIRef("urn:g"), g)
1
>>> [str(row[0]) for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
['x']
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import platformdirs
import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ..errors import StoreBusy, StoreError
from ..namespaces import PREFIXES

__all__ = [
    "STORE_ENV",
    "GraphStore",
    "MemoryStore",
    "OxigraphStore",
    "claim_store_folder",
    "current_generation",
    "default_store_path",
    "inside_store",
    "is_store_folder",
    "open_store",
    "register_store_kind",
]

log = logging.getLogger(__name__)

STORE_ENV = "CAREERKG_STORE"

#: A small graph is replaced in one SPARQL Update transaction; larger ones by bulk loading.
SMALL_GRAPH = 200_000


def default_store_path() -> Path:
    """The default embedded store: ``$CAREERKG_STORE``, else the user data folder.

    On Linux that is ``~/.local/share/careerkg/store``.
    """
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("careerkg", appauthor=False)) / "store"


class GraphStore(ABC):
    """What every store offers. Subclasses: :class:`OxigraphStore`, :class:`MemoryStore`."""

    #: Short name of the kind of store, shown by ``careerkg stats``.
    kind: str = "abstract"
    #: Where it lives, as the user would name it to ``--store``.
    location: str = ""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        """Run a SPARQL query over the union of all named graphs.

        ``bindings`` are bound as initial bindings (never formatted into the text).
        """

    def select(self, sparql: str) -> Iterator[tuple[str | None, ...]]:
        """Rows of a SELECT as plain strings: IRIs as text, literals as their lexical form,
        ``None`` where a variable is unbound. Stores override it with a faster path."""
        for row in self.query(sparql):
            yield tuple(None if term is None else str(term) for term in row)

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update."""

    @abstractmethod
    def graphs(self) -> list[URIRef]:
        """The named graphs present, sorted."""

    @abstractmethod
    def count(self, graph: URIRef | None = None) -> int:
        """Number of triples in one named graph, or quads in the whole store."""

    @abstractmethod
    def replace_graph(self, graph: URIRef, data: Graph | Path) -> int:
        """Atomically replace named graph ``graph`` by ``data`` (an rdflib graph, or an N-Triples
        file); return the number of triples written."""

    @abstractmethod
    def drop_graph(self, graph: URIRef) -> None:
        """Remove a named graph (nothing happens if it is absent)."""

    @abstractmethod
    def dump(self, path: Path, graph: URIRef | None = None) -> None:
        """Write N-Quads of the whole store (or N-Triples of one graph) to ``path``."""

    @property
    @abstractmethod
    def dataset(self) -> Dataset:
        """An rdflib :class:`~rdflib.Dataset` view of the store (default graph = union)."""

    def has_graph(self, graph: URIRef) -> bool:
        """Whether the named graph exists and holds triples."""
        return graph in self.graphs()

    def load_ntriples(
        self, graph: URIRef, file: Path, *, triples: int | None = None, checked: bool = False
    ) -> int:
        """:meth:`replace_graph` for an N-Triples file that careerkg wrote itself, atomically
        like it; return the number of triples written.

        ``triples``: the number of distinct triples in ``file``, when the writer knows it (the
        store may then skip counting the loaded graph). ``checked``: every IRI in ``file`` was
        validated and every line is well-formed, so the store may parse without validating.
        Stores that cannot use either hint ignore it.
        """
        return self.replace_graph(graph, file)

    def replaces_in_place(self, graph: URIRef) -> bool:
        """Whether :meth:`replace_graph` of ``graph`` by an N-Triples file would write it in
        place, touching no other graph, so that other threads may meanwhile read the store and
        replace *other* graphs (an importer overlaps its work with a long load this way).

        False (the safe answer) unless the store kind knows better.
        """
        return False

    def state(self) -> str:
        """A token that changes whenever this store's content is changed through careerkg.

        Caches of derived data (NetworkX views, name indexes) key on it.
        """
        return self._state

    def _changed(self) -> None:
        self._state = uuid.uuid4().hex

    _state: str = "initial"

    #: Where derived data (pickled NetworkX views, the name index, snapshots) is cached for
    #: this store; None: in memory only.
    cache_dir: Path | None = None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class MemoryStore(GraphStore):
    """rdflib's in-memory store: no files, slowest; the fallback and the baseline."""

    kind = "memory"
    location = "memory"

    def __init__(self) -> None:
        self._dataset = Dataset(default_union=True)
        for prefix, ns in PREFIXES.items():
            self._dataset.bind(prefix, ns)

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        return self._dataset.query(sparql, initNs=PREFIXES, initBindings=dict(bindings or {}))

    def update(self, sparql: str) -> None:
        self._dataset.update(sparql, initNs=PREFIXES)
        self._changed()

    def graphs(self) -> list[URIRef]:
        return sorted(
            g.identifier
            for g in self._dataset.graphs()
            if isinstance(g.identifier, URIRef) and len(g) and g.identifier != _RDFLIB_DEFAULT
        )

    def count(self, graph: URIRef | None = None) -> int:
        if graph is not None:
            return len(self._dataset.graph(graph))
        return sum(len(self._dataset.graph(g)) for g in self.graphs())

    def replace_graph(self, graph: URIRef, data: Graph | Path) -> int:
        new = data if isinstance(data, Graph) else _parse_ntriples(Path(data))
        self._dataset.remove_graph(self._dataset.graph(graph))
        target = self._dataset.graph(graph)
        target += new
        self._changed()
        return len(target)

    def drop_graph(self, graph: URIRef) -> None:
        self._dataset.remove_graph(self._dataset.graph(graph))
        self._changed()

    def dump(self, path: Path, graph: URIRef | None = None) -> None:
        if graph is not None:
            self._dataset.graph(graph).serialize(path, format="nt", encoding="utf-8")
        else:
            self._dataset.serialize(path, format="nquads", encoding="utf-8")


_RDFLIB_DEFAULT = URIRef("urn:x-rdflib:default")


def _parse_ntriples(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="nt")
    except Exception as e:  # rdflib raises several parser exception types
        raise StoreError(f"{path}: cannot load N-Triples: {e}") from e
    return graph


class OxigraphStore(GraphStore):
    """The embedded Oxigraph store: on disk at ``path``, or in memory when ``path`` is None.

    On disk the folder holds ``CURRENT`` (the name of the live generation) and the generation
    folders. A large named graph that already exists is replaced by loading a new generation
    beside the live one and switching ``CURRENT``, so the old data stays readable until the
    new data is complete.
    """

    kind = "oxigraph"

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.location = str(self.path) if self.path else "oxigraph-memory"
        self.cache_dir = self.path / "views" if self.path is not None else None
        self._dataset: Dataset | None = None
        self._ox = self._open()

    # -- generations -------------------------------------------------------------------

    def _current_dir(self) -> Path:
        assert self.path is not None
        return current_generation(self.path)

    def _open(self) -> ox.Store:
        if self.path is None:
            return ox.Store()
        try:
            if self.read_only:
                return self._open_read_only()
            claim_store_folder(self.path)
            current = self._current_dir()
            store = ox.Store(str(current))
            if not (self.path / "CURRENT").is_file():
                _write_atomically(self.path / "CURRENT", current.name)
            self._remove_stale_generations(current)
            return store
        except OSError as e:
            if "lock hold by current process" in str(e):
                raise StoreBusy(
                    f"the store at {self.path} is already open in this process: reuse that store "
                    "(or open this one with read_only=True)"
                ) from e
            if "LOCK" in str(e):
                raise StoreBusy(
                    f"the store at {self.path} is in use by another careerkg process "
                    "(a running 'careerkg serve'?): stop it first, or use another --store"
                ) from e
            raise StoreError(f"cannot open the store at {self.path}: {e}") from e

    def _open_read_only(self, attempts: int = 20) -> ox.Store:
        """Open the live generation read-only. A writer's RocksDB may be compacting meanwhile
        (it does so right after opening a store that was written to): the read-only open can
        then read a manifest naming files just deleted. That passes; so retry for ~2 s."""
        assert self.path is not None
        if not is_store_folder(self.path):
            if self.path.is_dir() and any(self.path.iterdir()):
                raise StoreError(_not_a_store(self.path))
            raise StoreError(f"no careerkg store at {self.path}: run 'careerkg build'")
        for attempt in range(attempts):
            current = self._current_dir()
            try:
                return ox.Store.read_only(str(current))
            except (OSError, RuntimeError) as e:
                if attempt == attempts - 1:
                    raise StoreError(f"cannot open the store at {self.path} read-only: {e}") from e
                time.sleep(0.1)
        raise AssertionError("unreachable")

    @staticmethod
    def state_at(path: Path) -> str:
        """The :meth:`state` of the on-disk store at ``path``, without opening it."""
        try:
            return (Path(path) / "STATE").read_text(encoding="utf-8").strip()
        except OSError:
            return "initial"

    def _remove_stale_generations(self, current: Path) -> None:
        """Remove what a writer that died left behind: generations other than the live one and
        temporary files. Only names careerkg itself gives, in a folder that carries the marker."""
        assert self.path is not None
        for child in self.path.iterdir():
            if child == current or child.is_symlink():
                continue
            if _GENERATION.fullmatch(child.name) and child.is_dir() and _is_oxigraph_folder(child):
                shutil.rmtree(child, ignore_errors=True)
            elif _TEMP_FILE.fullmatch(child.name) and child.is_file():
                child.unlink(missing_ok=True)

    def state(self) -> str:
        if self.path is None:
            return self._state
        return self.state_at(self.path)

    def _changed(self) -> None:
        super()._changed()
        if self.path is not None:
            _write_atomically(self.path / "STATE", self._state)
            # A snapshot of the old state (careerkg.store.replica) is hundreds of MB on a full graph
            # and of no more use: a reader that has it open keeps reading it.
            for stale in (self.path / "views").glob("snapshot-*.nq"):
                if _SNAPSHOT.fullmatch(stale.name) and stale.is_file() and not stale.is_symlink():
                    stale.unlink(missing_ok=True)

    # -- reading -----------------------------------------------------------------------

    @property
    def ox(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`, for code that needs raw speed."""
        return self._ox

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            from oxrdflib import OxigraphStore as RdflibOxigraph

            self._dataset = Dataset(store=RdflibOxigraph(store=self._ox), default_union=True)
            for prefix, ns in PREFIXES.items():
                self._dataset.bind(prefix, ns)
        return self._dataset

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        try:
            return self.dataset.query(sparql, initNs=PREFIXES, initBindings=dict(bindings or {}))
        except SyntaxError as e:
            from ..errors import QueryError

            raise QueryError(f"SPARQL syntax error: {e}") from e

    def query_raw(self, sparql: str, **kwargs: object) -> object:
        """Run a query with pyoxigraph directly (union default graph, project prefixes)."""
        return self._ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True, **kwargs)

    def select(self, sparql: str) -> Iterator[tuple[str | None, ...]]:
        # Straight from pyoxigraph: converting many rows to rdflib terms would dominate.
        solutions = self.query_raw(sparql)
        width = len(solutions.variables)  # type: ignore[attr-defined]
        for solution in solutions:  # type: ignore[attr-defined]
            yield tuple(_plain(solution[i]) for i in range(width))

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")
        self._ox.update(sparql, prefixes=PREFIXES)
        self._changed()

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph: URIRef) -> bool:
        return self._ox.contains_named_graph(ox.NamedNode(str(graph)))

    def replaces_in_place(self, graph: URIRef) -> bool:
        # A graph that is not there yet is bulk-loaded into the live store (see
        # _replace_by_bulk_load); replacing an existing one on disk switches generations.
        return not self.read_only and not self.has_graph(graph)

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._ox)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        rows = self._ox.query(query, default_graph=ox.NamedNode(str(graph)))
        return int(next(iter(rows))[0].value)

    def dump(self, path: Path, graph: URIRef | None = None) -> None:
        if graph is None:
            self._ox.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
        else:
            self._ox.dump(
                output=str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(graph))
            )

    # -- writing -----------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    def drop_graph(self, graph: URIRef) -> None:
        self._check_writable()
        self._ox.update(f"DROP SILENT GRAPH <{graph}>")
        self._changed()

    def replace_graph(self, graph: URIRef, data: Graph | Path) -> int:
        self._check_writable()
        try:
            return self._replace(graph, data)
        finally:
            self._changed()

    def load_ntriples(
        self, graph: URIRef, file: Path, *, triples: int | None = None, checked: bool = False
    ) -> int:
        self._check_writable()
        try:
            return self._replace_by_bulk_load(graph, Path(file), triples=triples, lenient=checked)
        finally:
            self._changed()

    def _replace(self, graph: URIRef, data: Graph | Path) -> int:
        if isinstance(data, Graph) and len(data) <= SMALL_GRAPH:
            return self._replace_in_transaction(graph, data)
        if isinstance(data, Graph):
            with tempfile.TemporaryDirectory(prefix="careerkg-") as tmp:
                file = Path(tmp) / "graph.nt"
                data.serialize(file, format="nt", encoding="utf-8")
                return self._replace_by_bulk_load(graph, file)
        return self._replace_by_bulk_load(graph, Path(data))

    def _replace_in_transaction(self, graph: URIRef, data: Graph) -> int:
        target = ox.NamedNode(str(graph))
        quads = {
            ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), target)  # type: ignore[arg-type]
            for s, p, o in data
        }
        if not self._ox.contains_named_graph(target):
            self._ox.extend(quads)  # one transaction
            return len(quads)
        old = set(self._ox.quads_for_pattern(None, None, None, target))
        removed, added = old - quads, quads - old
        if any(isinstance(t, ox.BlankNode) for q in removed | added for t in (q.subject, q.object)):
            # DELETE DATA cannot name blank nodes: drop and insert the whole graph instead.
            removed, added = None, quads
        # One SPARQL Update request is one transaction: readers see the old graph or the new one.
        operations = [f"DROP SILENT GRAPH {target}"] if removed is None else []
        for verb, part in (("DELETE DATA", removed), ("INSERT DATA", added)):
            if part:
                body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in part)
                operations.append(f"{verb} {{ GRAPH {target} {{ {body} }} }}")
        if operations:
            self._ox.update(" ;\n".join(operations))
        return len(quads)

    def _replace_by_bulk_load(
        self, graph: URIRef, file: Path, *, triples: int | None = None, lenient: bool = False
    ) -> int:
        target = ox.NamedNode(str(graph))
        if not self._ox.contains_named_graph(target):
            self._bulk_load_new_graph(target, file, lenient)
            # Counting scans the graph (~1 s per million triples): skip it when the writer knows.
            return triples if triples is not None else self.count(graph)
        if self.path is None:
            # In memory: load beside, then swap in one transaction.
            staging = ox.NamedNode(f"{graph}/staging/{uuid.uuid4().hex}")
            self._bulk_load_new_graph(staging, file, lenient, name=graph)
            self._ox.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {target}")
            return triples if triples is not None else self.count(graph)
        return self._replace_by_new_generation(graph, file, triples=triples, lenient=lenient)

    def _bulk_load_new_graph(
        self, target: ox.NamedNode, file: Path, lenient: bool, name: URIRef | None = None
    ) -> None:
        """Bulk-load ``file`` into the absent graph ``target``; on failure remove what was loaded."""
        try:
            self._ox.bulk_load(
                path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=target, lenient=lenient
            )
        except (OSError, SyntaxError, ValueError) as e:
            self._ox.clear_graph(target)
            self._ox.remove_graph(target)
            shown = name or URIRef(target.value)
            raise StoreError(f"{file}: loading into {shown} failed, store unchanged: {e}") from e

    def _replace_by_new_generation(
        self, graph: URIRef, file: Path, *, triples: int | None = None, lenient: bool = False
    ) -> int:
        assert self.path is not None
        old_dir = self._current_dir()
        number = int(old_dir.name.split("-")[-1]) + 1 if old_dir.name.startswith("gen-") else 1
        new_dir = self.path / f"gen-{number}"
        shutil.rmtree(new_dir, ignore_errors=True)
        target = ox.NamedNode(str(graph))
        try:
            new = ox.Store(str(new_dir))
            with tempfile.TemporaryDirectory(prefix="careerkg-") as tmp:
                for name in self._ox.named_graphs():
                    if name == target:
                        continue
                    part = Path(tmp) / "part.nt"
                    self._ox.dump(output=str(part), format=ox.RdfFormat.N_TRIPLES, from_graph=name)
                    new.bulk_load(path=str(part), format=ox.RdfFormat.N_TRIPLES, to_graph=name)
            new.bulk_load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=target, lenient=lenient)
            new.flush()
        except (OSError, SyntaxError, ValueError) as e:
            shutil.rmtree(new_dir, ignore_errors=True)
            raise StoreError(f"{file}: loading into {graph} failed, store unchanged: {e}") from e
        _write_atomically(self.path / "CURRENT", new_dir.name)
        del self._ox
        self._ox = new
        self._dataset = None
        shutil.rmtree(old_dir, ignore_errors=True)
        return triples if triples is not None else self.count(graph)

    def close(self) -> None:
        """Release the store and its lock (rdflib views hold reference cycles: collect them)."""
        import gc

        self._dataset = None
        if hasattr(self, "_ox"):
            del self._ox
            gc.collect()


# ---------------------------------------------------------------- the store folder

#: The file that marks a folder as a careerkg store; written when the store is created.
MARKER = "careerkg-store.json"
#: The layout version a marker records; a store of a later version is refused.
STORE_FORMAT = 1

_GENERATION = re.compile(r"gen-\d{1,9}")
_TEMP_FILE = re.compile(r"(?:CURRENT|STATE|careerkg-store\.json)\.[0-9a-f]{32}\.tmp")
_SNAPSHOT = re.compile(r"snapshot-[0-9a-z]{1,64}\.nq")
# What a store written before the marker existed may hold, besides its generations.
_LEGACY_NAMES = {"CURRENT", "STATE", "views"}


def _not_a_store(path: Path) -> str:
    return (
        f"{path} is a folder that is not a careerkg store (it has no {MARKER}): careerkg "
        "will not open, write or clean it; choose a new or empty folder for the store"
    )


def _is_oxigraph_folder(path: Path) -> bool:
    """Whether ``path`` holds an Oxigraph (RocksDB) database: RocksDB writes ``IDENTITY``."""
    return (path / "IDENTITY").is_file() and (path / "CURRENT").is_file()


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` is a careerkg store: it carries the marker, or it is a store written
    before the marker existed (``CURRENT`` naming a generation that holds an Oxigraph
    database, and nothing else but careerkg's own names).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> is_store_folder(folder), claim_store_folder(folder), is_store_folder(folder)
    (False, None, True)
    """
    path = Path(path)
    if (path / MARKER).is_file():
        return True
    return _is_legacy_store(path)


def _is_legacy_store(path: Path) -> bool:
    try:
        names = [child.name for child in path.iterdir()]
        live = current_generation(path)
    except (OSError, StoreError):
        return False
    known = all(n in _LEGACY_NAMES or _GENERATION.fullmatch(n) or _TEMP_FILE.fullmatch(n) for n in names)
    return known and _is_oxigraph_folder(live)


def claim_store_folder(path: Path) -> None:
    """Make ``path`` a careerkg store, or check that it is one.

    A missing or empty folder becomes a store (the marker is written); a store written before
    the marker existed gets its marker; any other non-empty folder is refused with
    :class:`~careerkg.errors.StoreError`, and nothing in it is touched.
    """
    path = Path(path)
    marker = path / MARKER
    if marker.is_file():
        _check_marker(marker)
        return
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder")
    if path.is_dir() and any(path.iterdir()) and not _is_legacy_store(path):
        raise StoreError(_not_a_store(path))
    path.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": "careerkg-store", "version": STORE_FORMAT}) + "\n"
    _write_atomically(marker, text)


def _check_marker(marker: Path) -> None:
    try:
        content = json.loads(marker.read_text(encoding="utf-8"))
        version = int(content["version"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise StoreError(f"{marker}: not a careerkg store marker ({e}); the store was not opened") from e
    if version > STORE_FORMAT:
        raise StoreError(
            f"{marker}: the store has layout version {version}, newer than this careerkg "
            f"understands ({STORE_FORMAT}): upgrade careerkg"
        )


def current_generation(path: Path) -> Path:
    """The live generation folder of the store at ``path``, as ``CURRENT`` names it.

    ``CURRENT`` must name a generation (``gen-N``) that exists; anything else is a damaged
    store, reported with :class:`~careerkg.errors.StoreError`, and nothing is deleted because
    of it. Without ``CURRENT`` (a store being created) it is ``gen-0``.
    """
    pointer = Path(path) / "CURRENT"
    if not pointer.exists():
        return Path(path) / "gen-0"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{pointer}: cannot read the store's pointer to its data: {e}") from e
    if not _GENERATION.fullmatch(name):
        shown = name[:60] or "nothing"
        raise StoreError(
            f"{pointer}: names {shown!r}, not a generation (gen-N): the store is damaged; "
            f"nothing was changed (put the name of the gen-N folder that holds the data in it)"
        )
    live = Path(path) / name
    if not _is_oxigraph_folder(live):
        present = sorted(c.name for c in Path(path).glob("gen-*") if _GENERATION.fullmatch(c.name))
        hint = f" (present: {', '.join(present)})" if present else ""
        raise StoreError(
            f"{pointer}: names {name}, which holds no store data{hint}: the store is damaged; "
            "nothing was changed or deleted"
        )
    return live


def inside_store(store: GraphStore, target: Path) -> bool:
    """Whether writing ``target`` would write inside the folder of the on-disk ``store``."""
    folder = getattr(store, "path", None)
    if folder is None:
        return False
    try:
        Path(target).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def _plain(term: object) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)  # NamedNode, BlankNode, Literal
    return str(term) if value is None else value


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from oxrdflib._converter import to_ox

    return to_ox(term)


def _write_atomically(path: Path, text: str) -> None:
    # A name of its own per writer: two threads replacing graphs must not share a temp file.
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


StoreFactory = Callable[[str, bool], GraphStore]
_KINDS: dict[str, StoreFactory] = {}


def register_store_kind(prefix: str, factory: StoreFactory) -> None:
    """Let ``open_store`` hand specs starting with ``prefix`` (e.g. ``"http://"``) to ``factory``."""
    _KINDS[prefix] = factory


def open_store(
    spec: str | Path | None = None, *, read_only: bool = False, read_only_if_busy: bool = False
) -> GraphStore:
    """Open the store named by ``spec``.

    ``None`` means the default (``$CAREERKG_STORE`` or the user data folder), ``"memory"`` is
    rdflib's memory store, ``"oxigraph-memory"`` an in-memory Oxigraph, and any other value a
    folder for the embedded Oxigraph store. With ``read_only_if_busy`` an on-disk store that
    another process holds for writing (a running ``careerkg serve``) is opened read-only
    instead of raising :class:`~careerkg.errors.StoreBusy`.
    """

    def on_disk(path: Path) -> OxigraphStore:
        try:
            return OxigraphStore(path, read_only=read_only)
        except StoreBusy:
            if read_only or not read_only_if_busy:
                raise
            return OxigraphStore(path, read_only=True)

    if spec is None or str(spec) == "":
        return on_disk(default_store_path())
    text = str(spec)
    if text == "memory":
        return MemoryStore()
    if text == "oxigraph-memory":
        return OxigraphStore(None)
    for prefix, factory in _KINDS.items():
        if text.startswith(prefix):
            return factory(text, read_only)
    if text.startswith(("http://", "https://")):
        from . import remote  # noqa: F401 - registers the remote store kind

        for prefix, factory in _KINDS.items():
            if text.startswith(prefix):
                return factory(text, read_only)
    return on_disk(Path(text).expanduser())


def iter_graph_names(store: GraphStore) -> Iterator[str]:
    """Names of the named graphs as strings (convenience for printing)."""
    return (str(g) for g in store.graphs())

"""The embedded Oxigraph store: on disk (the default store) or in memory."""

from __future__ import annotations

import csv
import io
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ..errors import QueryError, StoreBusy, StoreError
from ..namespaces import PREFIXES
from ..sparql import Deadline, QueryResult, analyse, bind_values, cell_from_ox, prefixes_used, take
from .base import SMALL_GRAPH, GraphStore
from .folder import (
    BULK_FILE,
    GENERATION,
    SCRATCH,
    SCRATCH_PREFIX,
    SNAPSHOT,
    TEMP_FILE,
    claim_store_folder,
    current_generation,
    holds_only_rocksdb_files,
    is_store_folder,
    not_a_store,
    write_atomically,
)

__all__ = ["OxigraphStore", "open_in_memory"]


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
                write_atomically(self.path / "CURRENT", current.name)
            self._remove_stale_generations(current)
            self._remove_crash_leftovers(current)
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
                raise not_a_store(self.path)
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
            if GENERATION.fullmatch(child.name) and child.is_dir() and holds_only_rocksdb_files(child):
                shutil.rmtree(child, ignore_errors=True)
            elif TEMP_FILE.fullmatch(child.name) and child.is_file():
                child.unlink(missing_ok=True)

    def _remove_crash_leftovers(self, current: Path) -> None:
        """Remove what a writer killed mid-way left: the bulk loader's ``bulk-N.sst`` files in
        the live generation and the scratch folders. This process holds the store's lock, so no
        other writer is using them."""
        assert self.path is not None
        for orphan in current.glob("bulk-*.sst"):
            if BULK_FILE.fullmatch(orphan.name) and orphan.is_file() and not orphan.is_symlink():
                orphan.unlink(missing_ok=True)
        scratch = self.path / SCRATCH
        if scratch.is_dir() and not scratch.is_symlink():
            for leftover in scratch.iterdir():
                if leftover.name.startswith(SCRATCH_PREFIX):
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink(missing_ok=True)

    def scratch(self) -> tempfile.TemporaryDirectory[str]:
        # Inside the store's folder, not /tmp: a writer killed mid-import leaves its files where
        # the next open of the store finds and removes them.
        if self.path is None or self.read_only:
            return super().scratch()
        (self.path / SCRATCH).mkdir(exist_ok=True)
        return tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=self.path / SCRATCH)

    def state(self) -> str:
        if self.path is None:
            return self._state
        return self.state_at(self.path)

    def _changed(self) -> None:
        super()._changed()
        if self.path is not None:
            write_atomically(self.path / "STATE", self._state)
            # A snapshot of the old state (careerkg.store.replica) is hundreds of MB on a full graph
            # and of no more use: a reader that has it open keeps reading it.
            for stale in (self.path / "views").glob("snapshot-*.nq"):
                if SNAPSHOT.fullmatch(stale.name) and stale.is_file() and not stale.is_symlink():
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
        # Bindings go into a VALUES block at the start of the WHERE group: Oxigraph then plans
        # the query around them. rdflib's initBindings are substituted late (a profile's
        # related-careers query took 130-600 ms that way, 3-12 ms with VALUES).
        if bindings:
            sparql = bind_values(sparql, bindings)
        try:
            result = self.dataset.query(sparql, initNs=PREFIXES)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from e
        if result.type == "SELECT":
            # Read the rows now, on this thread: pyoxigraph's iterator must not be dropped on
            # another one (a view built in a worker thread, collected later on the loop's).
            _ = result.bindings
        return result

    def query_raw(self, sparql: str, **kwargs: object) -> object:
        """Run a query with pyoxigraph directly (union default graph, project prefixes)."""
        return self._ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True, **kwargs)

    def select(self, sparql: str) -> Iterator[tuple[str | None, ...]]:
        # Straight from pyoxigraph: converting many rows to rdflib terms would dominate.
        solutions = self.query_raw(sparql)
        width = len(solutions.variables)  # type: ignore[attr-defined]
        for solution in solutions:  # type: ignore[attr-defined]
            yield tuple(_plain(solution[i]) for i in range(width))

    def execute(
        self,
        text: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
        deadline: Deadline | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        # Parameters go into a VALUES block (Oxigraph substitutes only projected variables);
        # only the prefixes the query names are passed (6-19 us less per lookup).
        deadline = deadline or Deadline(None)
        text = bind_values(text, bindings or {})
        kwargs: dict[str, object] = {"prefixes": prefixes_used(text)}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        elif not analyse(text).names_dataset:  # FROM / FROM NAMED in the text: Oxigraph honours it
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        answer = self._ox.query(text, **kwargs)
        try:
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                rows, truncated = take((tuple(map(cell_from_ox, s)) for s in answer), limit, deadline)
                return QueryResult("SELECT", variables, rows, truncated=truncated)
            triples, truncated = take(answer, limit, deadline)
        finally:
            # pyoxigraph's result iterators must die on the thread that made them: a Timeout
            # raised here travels to the caller's thread, and its traceback keeps this frame.
            del answer
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        form = "DESCRIBE" if analyse(text).form == "DESCRIBE" else "CONSTRUCT"
        return QueryResult(form, ntriples=data, truncated=truncated)

    def select_table(self, sparql: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
        # Serialising to SPARQL CSV in Rust and splitting with the csv module is ~2x faster
        # than touching every solution object; CSV gives IRIs and literals' lexical forms, and
        # "" for unbound.
        result = self.query_raw(sparql)
        data = result.serialize(format=ox.QueryResultsFormat.CSV)  # type: ignore[union-attr]
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        header = next(reader, [])
        picks = [header.index(c) for c in columns]
        return [tuple(row[i] for i in picks) for row in reader if row]

    @property
    def folder(self) -> Path | None:  # type: ignore[override]
        return self.path

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
            with self.scratch() as tmp:
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
            with self.scratch() as tmp:
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
        write_atomically(self.path / "CURRENT", new_dir.name)
        del self._ox
        self._ox = new
        self._dataset = None
        shutil.rmtree(old_dir, ignore_errors=True)
        return triples if triples is not None else self.count(graph)

    def close(self) -> None:
        """Release the store and its lock. rdflib views hold reference cycles, so garbage is
        collected when one was made or when anything but this handle still refers to the store;
        else the store goes with its last reference (a full collection walks every object: 0.1 s
        once the views of the full graph are loaded)."""
        import gc

        had_views = self._dataset is not None
        self._dataset = None
        if hasattr(self, "_ox"):
            store = self._ox
            del self._ox
            shared = had_views or sys.getrefcount(store) > 2  # ``store`` and the call's argument
            del store
            if shared:
                gc.collect()



def _plain(term: object) -> str | None:
    if term is None:
        return None
    value = getattr(term, "value", None)  # NamedNode, BlankNode, Literal
    return str(term) if value is None else value


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from oxrdflib._converter import to_ox

    return to_ox(term)




def open_in_memory(spec: str, read_only: bool) -> OxigraphStore:
    """The store kind registered as ``"oxigraph-memory"`` (see :func:`careerkg.store.open_store`)."""
    return OxigraphStore(None, read_only=read_only)

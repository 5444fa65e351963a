"""What every store offers (:class:`GraphStore`), and where the default store lives.

A store answers SPARQL through one seam, :meth:`GraphStore.execute`, which each backend
implements: the query layer (:mod:`careerkg.sparql`) checks a query against the policy and
hands it to ``execute``; nothing outside this package tells backends apart.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path

import platformdirs
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ..sparql import Deadline, QueryResult, analyse, cell_from_rdflib, take

__all__ = ["SMALL_GRAPH", "STORE_ENV", "GraphStore", "default_store_path", "iter_graph_names"]

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
    """What every store offers. Backends: :class:`~careerkg.store.oxigraph.OxigraphStore`,
    :class:`~careerkg.store.memory.MemoryStore`, :class:`~careerkg.store.remote.RemoteStore`."""

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
        """Answer the SPARQL query ``text`` (already checked against the policy by
        :func:`careerkg.sparql.run_query`) as a :class:`~careerkg.sparql.QueryResult`.

        ``bindings`` bind variables to RDF terms; at most ``limit`` rows or triples are taken
        (``truncated`` says when more were left); ``deadline`` is checked while rows are read.
        This default answers through rdflib (:meth:`query`); backends override it.
        """
        deadline = deadline or Deadline(None)
        result = self.query(text, bindings)
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars or []]
            width = range(len(variables))
            cells = (tuple(cell_from_rdflib(row[i]) for i in width) for row in result)
            rows, truncated = take(cells, limit, deadline)
            return QueryResult("SELECT", variables, rows, truncated=truncated)
        triples, truncated = take(result, limit, deadline)
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        data = graph.serialize(format="nt", encoding="utf-8") if triples else b""
        form = "DESCRIBE" if analyse(text).form == "DESCRIBE" else "CONSTRUCT"
        return QueryResult(form, ntriples=data, truncated=truncated)

    def select_table(self, sparql: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Rows of a SELECT as tuples of the ``columns``' plain strings, ``""`` where unbound.
        For careerkg's own bulk reads (importers, views); stores override it with a faster path."""
        return [
            tuple("" if row[c] is None else str(row[c]) for c in columns) for row in self.query(sparql)
        ]

    def scratch(self) -> tempfile.TemporaryDirectory[str]:
        """A temporary folder for files on their way into the store (removed on exit). An
        on-disk store keeps it inside its own folder and clears leftovers when next opened."""
        return tempfile.TemporaryDirectory(prefix="careerkg-scratch-")

    #: The folder an on-disk store lives in (``None``: in memory, or on a server).
    folder: Path | None = None

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



def iter_graph_names(store: GraphStore) -> Iterator[str]:
    """Names of the named graphs as strings (convenience for printing)."""
    return (str(g) for g in store.graphs())


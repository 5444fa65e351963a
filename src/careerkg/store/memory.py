"""rdflib's in-memory store: no files, slowest; the fallback and the baseline.

>>> store = MemoryStore()
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
>>> store.replace_graph(URIRef("urn:g"), g)
1
>>> [str(row[0]) for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
['x']
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import rdflib.plugins.sparql
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ..errors import StoreError
from ..namespaces import PREFIXES
from .base import GraphStore

__all__ = ["MemoryStore", "open_memory", "parse_ntriples"]

# rdflib answers `FROM <iri>` for a graph it does not hold by downloading <iri>: a query must
# never make careerkg fetch a URL (SERVICE and LOAD are refused by the policy; this is the
# third door). With loading off, a FROM graph that is not in the store is simply empty.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


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
        new = data if isinstance(data, Graph) else parse_ntriples(Path(data))
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


def parse_ntriples(path: Path) -> Graph:
    """An rdflib graph of the N-Triples file ``path``; a parse failure is a StoreError."""
    graph = Graph()
    try:
        graph.parse(path, format="nt")
    except Exception as e:  # rdflib raises several parser exception types
        raise StoreError(f"{path}: cannot load N-Triples: {e}") from e
    return graph




def open_memory(spec: str, read_only: bool) -> MemoryStore:
    """The store kind registered as ``"memory"`` (see :func:`careerkg.store.open_store`)."""
    return MemoryStore()

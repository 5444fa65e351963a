"""Where the graph lives: an embedded Oxigraph store on disk (the default), in memory, or a
remote SPARQL store. :func:`open_store` is the one way in.

Every source's triples sit in a named graph of their own (:func:`careerkg.namespaces.graph_iri`),
and queries see the union of all named graphs as their default graph. Replacing a named graph is
atomic: a reader sees the old graph or the new one, and a failed load leaves the store as it was.

Backends are plugins, as in rdflib: a name or prefix maps to ``"module:callable"``, imported
only when a store of that kind is opened (:func:`register_store_kind` adds one).

>>> store = open_store("memory")
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
>>> store.replace_graph(URIRef("urn:g"), g)
1
>>> [str(row[0]) for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
['x']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StoreBusy
from .base import STORE_ENV, GraphStore, default_store_path, iter_graph_names
from .folder import MARKER, claim_store_folder, current_generation, inside_folder, is_store_folder

if TYPE_CHECKING:
    from .memory import MemoryStore
    from .oxigraph import OxigraphStore

__all__ = [
    "MARKER",
    "STORE_ENV",
    "GraphStore",
    "MemoryStore",
    "OxigraphStore",
    "claim_store_folder",
    "current_generation",
    "default_store_path",
    "inside_store",
    "is_store_folder",
    "iter_graph_names",
    "open_store",
    "register_store_kind",
]

StoreFactory = Callable[[str, bool], GraphStore]

#: Store kinds: an exact spec or a spec prefix -> "module:callable(spec, read_only)".
_KINDS: dict[str, str | StoreFactory] = {
    "memory": "careerkg.store.memory:open_memory",
    "oxigraph-memory": "careerkg.store.oxigraph:open_in_memory",
    "http://": "careerkg.store.remote:open_remote",
    "https://": "careerkg.store.remote:open_remote",
    "virtuoso+http://": "careerkg.store.virtuoso:open_virtuoso",
    "virtuoso+https://": "careerkg.store.virtuoso:open_virtuoso",
}
_CLASSES = {"MemoryStore": "careerkg.store.memory", "OxigraphStore": "careerkg.store.oxigraph"}


def __getattr__(name: str) -> Any:
    # The backend classes load on first use, so `import careerkg.store` stays light.
    if name in _CLASSES:
        return getattr(importlib.import_module(_CLASSES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register_store_kind(prefix: str, factory: str | StoreFactory) -> None:
    """Let :func:`open_store` hand specs equal to or starting with ``prefix`` to ``factory``:
    a callable ``(spec, read_only) -> GraphStore``, or its ``"module:name"`` to import lazily.

    >>> register_store_kind("test-memory", "careerkg.store.memory:open_memory")
    >>> open_store("test-memory").kind
    'memory'
    """
    _KINDS[prefix] = factory


def _factory(spec: str) -> StoreFactory | None:
    for prefix, factory in _KINDS.items():
        if spec == prefix or (prefix.endswith(("://", ":")) and spec.startswith(prefix)):
            if isinstance(factory, str):
                module, _, name = factory.partition(":")
                factory = getattr(importlib.import_module(module), name)
                _KINDS[prefix] = factory
            return factory  # type: ignore[return-value]
    return None


def open_store(
    spec: str | Path | None = None, *, read_only: bool = False, read_only_if_busy: bool = False
) -> GraphStore:
    """Open the store named by ``spec``.

    ``None`` means the default (``$CAREERKG_STORE`` or the user data folder), ``"memory"`` is
    rdflib's memory store, ``"oxigraph-memory"`` an in-memory Oxigraph, ``http(s)://...`` a
    SPARQL endpoint, and any other value a folder for the embedded Oxigraph store. With
    ``read_only_if_busy`` an on-disk store that another process holds for writing (a running
    ``careerkg serve``) is opened read-only instead of raising
    :class:`~careerkg.errors.StoreBusy`. A non-empty folder that is not a careerkg store is
    refused with :class:`~careerkg.errors.StoreError`.
    """
    text = "" if spec is None else str(spec)
    factory = _factory(text) if text else None
    if factory is not None:
        return factory(text, read_only)
    from .oxigraph import OxigraphStore

    path = default_store_path() if not text else Path(text).expanduser()
    try:
        return OxigraphStore(path, read_only=read_only)
    except StoreBusy:
        if read_only or not read_only_if_busy:
            raise
        return OxigraphStore(path, read_only=True)


def inside_store(store: GraphStore, target: Path) -> bool:
    """Whether writing ``target`` would write inside the folder of the on-disk ``store``."""
    return inside_folder(store.folder, target)


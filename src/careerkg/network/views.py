"""NetworkX views of a store, built fast, cached in memory and on disk.

Three views (see :mod:`careerkg.network.build` for how each is shaped):

- ``career-skill``: the bipartite career–skill graph, edges weighted by importance;
- ``career-career``: explicit career links plus links derived from shared skills;
- ``full``: the typed graph of every IRI-valued triple (large; built on demand, never persisted).

Views are keyed by :meth:`GraphStore.state`, so a write to the store makes them stale. On an
on-disk Oxigraph store they are pickled into ``<store>/views/`` so that a new process loads them
instead of rebuilding them; files from an older state are removed when new ones are written.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> views = Views(kg.store)
>>> G = views.career_skill()
>>> G.nodes["https://w3id.org/careerkg/career/software-engineer"]["kind"]
'career'
>>> views.career_skill() is G                     # cached while the store is unchanged
True
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..store import GraphStore
from ..store.cache import StateCache, cache_for
from .raw import RawData, triples

if TYPE_CHECKING:
    import networkx as nx


__all__ = ["FORMAT", "VIEW_NAMES", "Views", "entry", "views_for"]

log = logging.getLogger(__name__)

VIEW_NAMES = ("full", "career-skill", "career-career")
#: Bump when the shape of a view changes: it is part of the cache entry's name, so a view
#: pickled by older code for the same store state is not read (2: one skill space).
FORMAT = 2


def entry(name: str) -> str:
    """The cache entry (and file name stem) of view ``name`` in this :data:`FORMAT`.

    >>> entry("career-skill")
    'career-skill-f2'
    """
    return f"{name}-f{FORMAT}"


class Views:
    """Lazily built NetworkX views of one store, cached with everything else derived from it
    (:func:`careerkg.store.cache.cache_for`: in memory, and pickled under ``<store>/views`` for
    an on-disk Oxigraph store and its in-memory copies).

    Parameters
    ----------
    store : GraphStore
        The store to read.
    cache : StateCache, optional
        Where the views are kept; default the store's one cache. A fresh
        ``StateCache(store)`` behaves as a new process would: it loads the files, builds nothing.
    """

    def __init__(self, store: GraphStore, cache: StateCache | None = None) -> None:
        self.store = store
        self.cache = cache if cache is not None else cache_for(store)

    def __repr__(self) -> str:
        return f"<Views of {self.store.location or self.store.kind}>"

    @property
    def timings(self) -> dict[str, float]:
        """Seconds each view (and what it is built from) took to build in this process."""
        suffix = entry("")
        return {name.removesuffix(suffix): t for name, t in self.cache.timings.items()}

    def _get(self, name: str, build: Any, persist: bool = True) -> Any:
        return self.cache.get(name, build, persist=persist)

    def _raw(self) -> RawData:
        return self._get("raw", lambda: RawData(self.store), persist=False)

    # -- views -------------------------------------------------------------------------

    def career_skill(self) -> nx.Graph:
        """The bipartite career–skill view (see :func:`careerkg.network.career_skill_graph`)."""
        from .build import career_skill_graph

        return self._get(entry("career-skill"), lambda: career_skill_graph(self._raw()))

    def career_career(self) -> nx.DiGraph:
        """The career–career view (see :func:`careerkg.network.career_career_graph`)."""
        from .build import career_career_graph

        return self._get(entry("career-career"), lambda: career_career_graph(self.career_skill()))

    def full(self) -> nx.MultiDiGraph:
        """The full typed graph of the store (every IRI-valued triple); memory-cached only."""
        from .build import typed_graph_from_rows

        return self._get("full", lambda: typed_graph_from_rows(triples(self.store)), persist=False)

    def view(self, name: str) -> nx.Graph:
        """One view by name: ``full``, ``career-skill`` or ``career-career``."""
        if name == "full":
            return self.full()
        if name == "career-skill":
            return self.career_skill()
        if name == "career-career":
            return self.career_career()
        raise InputError(f"unknown view {name!r}; choose one of {', '.join(VIEW_NAMES)}")

    def is_ready(self, name: str) -> bool:
        """Whether view ``name`` is in memory or on disk for the current state (no rebuild)."""
        return self.cache.has(entry(name) if name in VIEW_NAMES[1:] else name)

    def clear(self) -> None:
        """Forget the in-memory views (the files stay until the store changes)."""
        self.cache.clear()


def views_for(store: GraphStore) -> Views:
    """The :class:`Views` of ``store``; they share the store's one cache."""
    return Views(store)

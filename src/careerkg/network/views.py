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

import gc
import logging
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..store import GraphStore
from .raw import RawData, triples

if TYPE_CHECKING:
    import networkx as nx


__all__ = ["VIEW_NAMES", "Views", "views_for"]

log = logging.getLogger(__name__)

VIEW_NAMES = ("full", "career-skill", "career-career")
_FORMAT = 1  # bump when the pickled shape changes

class Views:
    """Lazily built, cached NetworkX views of one store.

    Parameters
    ----------
    store : GraphStore
        The store to read.
    cache_dir : Path, optional
        Where pickled views live; default the store's ``cache_dir`` (``<store>/views`` for an
        on-disk Oxigraph store and its in-memory copies), nothing (memory only) otherwise.
    """

    def __init__(self, store: GraphStore, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir if cache_dir is not None else store.cache_dir
        self._state: str | None = None
        self._cache: dict[str, Any] = {}
        self.timings: dict[str, float] = {}

    # -- cache -------------------------------------------------------------------------

    def _check_state(self) -> str:
        state = self.store.state()
        if state != self._state:
            self._cache.clear()
            self._state = state
        return state

    def _file(self, name: str, state: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{name}-v{_FORMAT}-{state}.pickle"

    def _load(self, name: str, state: str) -> Any:
        file = self._file(name, state)
        if file is None or not file.is_file():
            return None
        gc.disable()  # unpickling allocates many small dicts; gc passes double the time
        try:
            with file.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as e:
            log.warning("ignoring unreadable view cache %s: %s", file, e)
            return None
        finally:
            gc.enable()

    def _save(self, name: str, state: str, value: Any) -> None:
        file = self._file(name, state)
        if file is None:
            return
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            for old in file.parent.glob(f"{name}-v*.pickle"):
                if old != file:
                    old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, file)
        except OSError as e:
            log.warning("cannot write the view cache %s: %s", file, e)

    def _get(self, name: str, build: Any, persist: bool = True) -> Any:
        state = self._check_state()
        if name in self._cache:
            return self._cache[name]
        value = self._load(name, state) if persist else None
        if value is None:
            started = time.perf_counter()
            value = build()
            self.timings[name] = time.perf_counter() - started
            log.info("built the %s view in %.2fs", name, self.timings[name])
            if persist:
                self._save(name, state, value)
        self._cache[name] = value
        return value

    def _raw(self) -> RawData:
        return self._get("raw", lambda: RawData(self.store), persist=False)

    # -- views -------------------------------------------------------------------------

    def career_skill(self) -> nx.Graph:
        """The bipartite career–skill view (see :func:`careerkg.network.career_skill_graph`)."""
        from .build import career_skill_graph

        return self._get("career-skill", lambda: career_skill_graph(self._raw()))

    def career_career(self) -> nx.DiGraph:
        """The career–career view (see :func:`careerkg.network.career_career_graph`)."""
        from .build import career_career_graph

        return self._get("career-career", lambda: career_career_graph(self.career_skill()))

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
        state = self._check_state()
        if name in self._cache:
            return True
        file = self._file(name, state)
        return file is not None and file.is_file()

    def clear(self) -> None:
        """Forget the in-memory views (the files stay until the store changes)."""
        self._cache.clear()
        self._state = None


_REGISTRY: dict[int, Views] = {}


def views_for(store: GraphStore) -> Views:
    """The shared :class:`Views` of ``store`` (one per store object in this process)."""
    views = _REGISTRY.get(id(store))
    if views is None or views.store is not store:
        views = Views(store)
        _REGISTRY[id(store)] = views
    return views

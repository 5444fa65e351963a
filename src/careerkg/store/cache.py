"""Everything careerkg derives from a store (NetworkX views, the name index, snapshots) is
cached here, keyed on the store's :meth:`~careerkg.store.GraphStore.state`: in memory for the
life of the store object, and as files in the store's cache folder (``<store>/views``) when it
has one, so that a new process of the same state starts warm.

One cache per store object (:func:`cache_for`), held weakly: a store that is closed and dropped
takes its cache with it. Files are written with :func:`careerkg.atomic.replacing`; a file of an
older state is removed when the new one is written.

>>> from careerkg.store import open_store
>>> store = open_store("memory")
>>> cache = cache_for(store)
>>> cache.get("answer", lambda: 42), cache.get("answer", lambda: 0)
(42, 42)
"""

from __future__ import annotations

import functools
import gc
import logging
import pickle
import re
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..atomic import replacing

if TYPE_CHECKING:
    from .base import GraphStore

__all__ = ["StateCache", "cache_for"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Bump when the shape of what is pickled changes, so old files are not read.
FORMAT = 2

_NAME = re.compile(r"[a-z][a-z0-9-]{0,40}")


class StateCache:
    """Derived data of one store, valid for one state at a time.

    Parameters
    ----------
    store : GraphStore
        The store whose ``state()`` keys the entries.
    folder : Path, optional
        Where files go; default the store's ``cache_dir`` (``None``: memory only).
    """

    def __init__(self, store: GraphStore, folder: Path | None = None) -> None:
        self._store = weakref.ref(store)
        self.folder = folder if folder is not None else store.cache_dir
        self._state: str | None = None
        self._memory: dict[str, Any] = {}
        #: Seconds each entry took to build in this process.
        self.timings: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"<StateCache {self.folder or 'in memory'}: {sorted(self._memory)}>"

    def state(self) -> str:
        """The store's state now; entries of an earlier state are forgotten."""
        store = self._store()
        state = store.state() if store is not None else "closed"
        if state != self._state:
            self._memory.clear()
            self._state = state
        return state

    def file(self, name: str, suffix: str = ".pickle", state: str | None = None) -> Path | None:
        """Where entry ``name`` of the current (or given) state lives on disk, or None."""
        if self.folder is None:
            return None
        if not _NAME.fullmatch(name):
            raise ValueError(f"cache entry names are short lower-case words, not {name!r}")
        return self.folder / f"{name}-v{FORMAT}-{state or self.state()}{suffix}"

    def get(self, name: str, build: Callable[[], T], *, persist: bool = True) -> T:
        """Entry ``name`` for the current state: from memory, else from its file (when
        ``persist``), else ``build()`` (then kept, and written when ``persist``)."""
        state = self.state()
        if name in self._memory:
            return self._memory[name]
        value = self._load(name, state) if persist else None
        if value is None:
            started = time.perf_counter()
            value = build()
            self.timings[name] = time.perf_counter() - started
            log.info("built %s in %.2fs", name, self.timings[name])
            if persist:
                self._save(name, state, value)
        self._memory[name] = value
        return value

    def has(self, name: str) -> bool:
        """Whether entry ``name`` is in memory or on disk for the current state."""
        state = self.state()
        file = self.file(name, state=state)
        return name in self._memory or (file is not None and file.is_file())

    def clear(self) -> None:
        """Forget the entries held in memory (files stay until the state changes)."""
        self._memory.clear()
        self._state = None

    def remove_stale(self, name: str, suffix: str = ".pickle", keep: Path | None = None) -> None:
        """Remove the files of entry ``name`` that belong to other states or formats."""
        if self.folder is None:
            return
        for old in self.folder.glob(f"{name}-v*{suffix}"):
            if old != keep and old.is_file() and not old.is_symlink():
                old.unlink(missing_ok=True)

    def _load(self, name: str, state: str) -> Any:
        file = self.file(name, state=state)
        if file is None or not file.is_file():
            return None
        gc.disable()  # unpickling allocates many small dicts; gc passes double the time
        try:
            with file.open("rb") as fh:
                return _Unpickler(fh).load()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as e:
            log.warning("ignoring an unreadable cache file %s: %s", file, e)
            return None
        finally:
            gc.enable()

    def _save(self, name: str, state: str, value: Any) -> None:
        file = self.file(name, state=state)
        if file is None:
            return
        try:
            with replacing(file) as tmp, tmp.open("wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            self.remove_stale(name, keep=file)
        except OSError as e:  # a read-only location: the value still works, just not cached
            log.warning("cannot write the cache file %s: %s", file, e)


class _Unpickler(pickle.Unpickler):
    """Reads IRIs back without rdflib's check of each one (``URIRef(value)`` validates the
    text and may log; these were valid when written): the name index of the full graph holds
    about 100,000 of them, and the check took a third of its load time."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "rdflib.term" and name == "URIRef":
            from rdflib.term import URIRef

            return functools.partial(str.__new__, URIRef)
        return super().find_class(module, name)


_CACHES: weakref.WeakKeyDictionary[Any, StateCache] = weakref.WeakKeyDictionary()


def cache_for(store: GraphStore) -> StateCache:
    """The one :class:`StateCache` of ``store`` in this process."""
    cache = _CACHES.get(store)
    if cache is None:
        cache = _CACHES[store] = StateCache(store)
    return cache

"""An in-memory copy of an on-disk store, for answering many queries fast.

The on-disk Oxigraph store pays a RocksDB lookup for every index seek and every string it
decodes; an in-memory Oxigraph holding the same quads answers small lookups two to four times
faster (see ``benchmarks/bench_sparql.py``). ``careerkg serve`` answers from such a copy unless
``--on-disk``; :meth:`careerkg.CareerGraph.open` makes one with ``in_memory=True``.

A copy is loaded from a snapshot: the store dumped as N-Quads to
``<store>/views/snapshot-<state>.nq``, written once per store state, so the next copy of the
same state loads in a few seconds instead of re-reading RocksDB.

>>> from careerkg.store import OxigraphStore
>>> import tempfile, pathlib
>>> disk = OxigraphStore(pathlib.Path(tempfile.mkdtemp()) / "store")
>>> _ = disk.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 'x' } }")
>>> copy = memory_replica(disk)
>>> copy.count(), copy.state() == disk.state(), copy.read_only
(1, True, True)
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from ..atomic import replacing
from ..errors import StoreError
from .base import GraphStore
from .oxigraph import OxigraphStore

__all__ = ["load_snapshot", "memory_replica", "snapshot_file", "snapshot_state"]

log = logging.getLogger(__name__)

_PREFIX = "snapshot-"


def snapshot_file(path: Path, source: OxigraphStore | None = None) -> Path:
    """The N-Quads snapshot of the on-disk store at ``path`` for its current state.

    Written (atomically) when missing, from ``source`` when given (an open handle on that
    store, such as the server's own) or else from a read-only handle; snapshots of earlier
    states are removed. A snapshot is kept only when the store's state did not change while it
    was written.

    >>> # snapshot_file(Path("~/.local/share/careerkg/store").expanduser())
    """
    path = Path(path)
    state = OxigraphStore.state_at(path)
    folder = path / "views"
    file = folder / f"{_PREFIX}{state}.nq"
    if file.is_file():
        return file
    opened = source is None
    if source is None:
        source = OxigraphStore(path, read_only=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with replacing(file) as tmp:
            source.ox.dump(output=str(tmp), format=ox.RdfFormat.N_QUADS)
            if OxigraphStore.state_at(path) != state:  # written to meanwhile: may mix states
                raise StoreError(f"the store at {path} changed while it was being copied; try again")
        for old in folder.glob(f"{_PREFIX}*.nq"):
            if old != file:
                old.unlink(missing_ok=True)
        log.info("wrote the snapshot %s in %.1fs", file, time.perf_counter() - started)
        return file
    except OSError as e:
        raise StoreError(f"cannot write a snapshot of the store at {path}: {e}") from e
    finally:
        if opened:
            source.close()


def snapshot_state(file: Path) -> str:
    """The store state a snapshot file holds (its name says it: ``snapshot-<state>.nq``)."""
    return Path(file).stem.removeprefix(_PREFIX)


def load_snapshot(file: Path, state: str, cache_dir: Path | None = None) -> OxigraphStore:
    """A read-only in-memory :class:`OxigraphStore` holding the quads of an N-Quads ``file``."""
    replica = OxigraphStore(None, read_only=True)
    # Store.load, not bulk_load: after bulk_load's worker threads have run, every later query
    # in the process pays about 40 microseconds more (measured with pyoxigraph 0.5).
    replica.ox.load(path=str(file), format=ox.RdfFormat.N_QUADS)
    replica._state = state
    replica.cache_dir = cache_dir
    return replica


def memory_replica(store: GraphStore) -> OxigraphStore:
    """A read-only in-memory Oxigraph copy of ``store``, with the same :meth:`state`.

    Traversal caches (``<store>/views``) stay shared with the on-disk store. Writes must go to
    ``store``; make a new copy to see them.
    """
    started = time.perf_counter()
    path = getattr(store, "path", None)
    if isinstance(store, OxigraphStore) and path is not None:
        snapshot = snapshot_file(path, store)
        replica = load_snapshot(snapshot, snapshot_state(snapshot), path / "views")
    else:
        with tempfile.TemporaryDirectory(prefix="careerkg-copy-") as tmp:
            file = Path(tmp) / "all.nq"
            store.dump(file)
            replica = load_snapshot(file, store.state())
    log.info("copied %s into memory in %.1fs", store.location, time.perf_counter() - started)
    return replica

"""Worker processes that run SPARQL queries, so a query past its timeout can be killed.

Oxigraph cannot abandon a query mid-way, so :class:`QueryPool` runs each query in a worker
process and kills the worker at the deadline; a new worker takes its place.

Two ways to hold the graph:

- **in memory** (``in_memory=True``, what ``careerkg serve`` does unless ``--on-disk``): one
  *loader* process reads the store's snapshot (:func:`careerkg.store.replica.snapshot_file`) into an
  in-memory Oxigraph once, then forks the workers. Forked workers share the loaded pages
  copy-on-write, so N workers cost about one copy of RAM, and replacing a killed worker takes
  milliseconds. When the store's state changes (a build or import by another process), the
  pool takes a new snapshot in the background and moves to fresh workers once it is loaded;
  until then answers come from the previous state.
- **on disk**: each worker opens the on-disk store read-only and reopens it when its state
  changes, so writes are visible to the next query.

>>> # with QueryPool(Path("~/.local/share/careerkg/store").expanduser(), in_memory=True) as pool:
>>> #     pool.execute("SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }").values()
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import socket
import threading
import time
from collections.abc import Callable, Mapping
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib.term import Node

from ..errors import QueryError
from ..sparql import (
    Deadline,
    QueryResult,
    Timeout,
    analyse,
    bind_values,
    check_policy,
    located_syntax_error,
)
from .oxigraph import OxigraphStore

__all__ = ["QueryPool"]

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ in the worker processes


def _answer_requests(conn: Connection, current_store: Callable[[], object]) -> None:
    """A worker's loop: run each request on ``current_store()``; ``None`` or EOF ends it."""
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        text, limit, timeout, default_graphs, named_graphs = request
        try:
            store = current_store()
            result = store.execute(
                text,
                limit=limit,
                deadline=Deadline(timeout),
                default_graphs=default_graphs,
                named_graphs=named_graphs,
            )
            reply = ("ok", result)
        except SyntaxError as e:
            reply = ("syntax", str(e))
        except Timeout as e:
            reply = ("timeout", str(e))
        except Exception as e:
            reply = ("error", f"query failed: {e}")
        try:
            conn.send(reply)
        except (OSError, KeyboardInterrupt):
            return


def _disk_worker_main(conn: Connection, path: str) -> None:  # pragma: no cover - child process
    store = OxigraphStore(Path(path), read_only=True)
    state = store.state()

    def current() -> object:
        nonlocal store, state
        now = store.state()
        if now != state:  # written to since: reopen (a new generation, maybe)
            store.close()
            store = OxigraphStore(Path(path), read_only=True)
            state = now
        return store

    _answer_requests(conn, current)


def _loader_main(conn: Connection) -> None:  # pragma: no cover - child process
    """Load each snapshot it is sent into memory; fork a worker per ``"fork"`` request.

    The loader never runs a query and holds no other threads' locks when it forks, so the
    children start from a quiet copy of the loaded store.
    """
    from .replica import load_snapshot, snapshot_state

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps finished workers
    replica = None
    try:
        while (message := conn.recv()) is not None:
            if message[0] == "load":
                replica = None  # free the old copy before reading the new one
                replica = load_snapshot(Path(message[1]), snapshot_state(message[1]))
                conn.send(("ready", replica.count()))
                continue
            parent_end, child_end = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                try:
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    conn.close()
                    parent_end.close()
                    _answer_requests(Connection(child_end.detach()), lambda replica=replica: replica)
                finally:
                    os._exit(0)
            child_end.close()
            reduction.send_handle(conn, parent_end.fileno(), message[1])
            conn.send(pid)
            parent_end.close()
    except (EOFError, OSError, KeyboardInterrupt):
        return
    except Exception as e:
        with contextlib.suppress(OSError):
            conn.send(("failed", str(e)))


# ----------------------------------------------------------------------- in the server


class _Worker:
    """One worker process as the pool sees it: a connection, and how to stop it."""

    def __init__(self, conn: Connection, generation: int, process=None, pid: int | None = None) -> None:
        self.conn = conn
        self.generation = generation
        self.process = process  # a multiprocessing.Process (on disk) or None (forked)
        self.pid = pid if pid is not None else process.pid

    def stop(self, kill: bool = False) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        if self.process is not None:
            self.process.join(2)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(2)
        self.conn.close()


class QueryPool:
    """Worker processes that run queries on the store at ``path`` with a hard timeout.

    A query that outlives its timeout is stopped by killing its worker (a new one replaces
    it), so a runaway query never keeps burning CPU. See the module docstring for
    ``in_memory``; ``source``, an open handle on the same store (the server's), is used to take
    snapshots instead of opening another one. Raises :class:`~careerkg.errors.StoreError` when
    the store cannot be read.

    >>> # pool = QueryPool(Path("~/.local/share/careerkg/store").expanduser(), workers=2)
    """

    def __init__(
        self, path: Path, workers: int = 2, *, in_memory: bool = False, source: OxigraphStore | None = None
    ) -> None:
        self.path = Path(path)
        self._source = source  # an open handle on the store to take snapshots from
        self.in_memory = in_memory
        self.workers = max(1, workers)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._generation = 0
        self.quads = 0  # in memory: how many quads the workers hold
        if in_memory:
            self._loader_lock = threading.Lock()
            self._reloading = False
            self._state_file = self.path / "STATE"
            self._seen_stamp = self._stamp()
            self._start_loader()
        for _ in range(self.workers):
            self._add()

    # -- in memory: the loader -----------------------------------------------------------

    def _stamp(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self._state_file)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _start_loader(self) -> None:
        conn, child = self._context.Pipe()
        self._loader = self._context.Process(
            target=_loader_main, args=(child,), name="careerkg-loader", daemon=True
        )
        self._loader.start()
        child.close()
        self._loader_conn = conn
        self.state, self.quads = self._load()

    def _load(self) -> tuple[str, int]:
        """Snapshot the store's current state and have the loader read it: (state, quads)."""
        from .replica import snapshot_file, snapshot_state

        snapshot = snapshot_file(self.path, self._source)
        with self._loader_lock:
            self._loader_conn.send(("load", str(snapshot)))
            try:
                status, payload = self._loader_conn.recv()
            except EOFError:
                raise QueryError("the query loader process died while loading the snapshot") from None
        if status != "ready":
            raise QueryError(f"the query loader could not load the snapshot: {payload}")
        return snapshot_state(snapshot), payload

    def _fork_worker(self) -> _Worker:
        with self._loader_lock:
            self._loader_conn.send(("fork", os.getpid()))
            fd = reduction.recv_handle(self._loader_conn)
            pid = self._loader_conn.recv()
        return _Worker(Connection(fd), self._generation, pid=pid)

    def _check_state(self) -> None:
        """Start a reload when the store's state file changed (at most one at a time)."""
        stamp = self._stamp()
        if stamp == self._seen_stamp or self._reloading:
            return
        self._seen_stamp = stamp
        self._reloading = True
        threading.Thread(target=self._reload, name="careerkg-pool-reload", daemon=True).start()

    def _reload(self) -> None:
        try:
            if OxigraphStore.state_at(self.path) == self.state:
                return
            started = time.monotonic()
            state, quads = self._load()
            with self._lock:
                self._generation += 1
                self.state, self.quads = state, quads
            seconds = time.monotonic() - started
            log.info("now answering from state %s (%d quads, loaded in %.1fs)", state, quads, seconds)
            self._retire_idle()
        except Exception as e:  # keep answering from the old copy; try again on the next change
            log.warning("could not load the changed store into memory: %s", e)
            self._seen_stamp = None
        finally:
            self._reloading = False

    def _retire_idle(self) -> None:
        stale = []
        while True:
            try:
                stale.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in stale:
            if worker.generation == self._generation:
                self._idle.put(worker)
            else:
                self._replace(worker, kill=False, wait=True)

    # -- workers -------------------------------------------------------------------------

    def _spawn_disk_worker(self) -> _Worker:
        conn, child = self._context.Pipe()
        process = self._context.Process(
            target=_disk_worker_main, args=(child, str(self.path)), name="careerkg-query", daemon=True
        )
        process.start()
        child.close()
        return _Worker(conn, self._generation, process=process)

    def _add(self) -> None:
        worker = self._fork_worker() if self.in_memory else self._spawn_disk_worker()
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker, *, kill: bool = True, wait: bool = False) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop(kill=kill)
        if self._closed:
            return
        if wait:
            self._respawn()
        else:
            threading.Thread(target=self._respawn, name="careerkg-pool-respawn", daemon=True).start()

    def _respawn(self) -> None:
        try:
            self._add()
        except Exception as e:  # the loader died (out of memory?): say so once, serve on
            log.error("could not start a query worker (%d left): %s", self.size, e)

    def execute(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        timeout: float = 30.0,
        limit: int | None = None,
        allow_service: bool = False,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        """Run a query in a worker; raise :class:`Timeout` (worker killed) past ``timeout``."""
        info = analyse(text)
        check_policy(info, allow_service=allow_service, allow_update=False)
        bound = bind_values(text, bindings or {})
        if self.in_memory:
            self._check_state()
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise Timeout(f"query stopped: no worker was free within the {timeout:g} s timeout") from None
        left = max(0.05, timeout - (time.monotonic() - started))
        try:
            worker.conn.send((bound, limit, left, default_graphs, named_graphs))
            if not worker.conn.poll(left + 0.25):
                self._replace(worker)
                worker = None
                raise Timeout(f"query stopped: it ran longer than the {timeout:g} s timeout")
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as e:
            if worker is not None:
                self._replace(worker)
                worker = None
            raise QueryError(f"query worker died: {e}") from e
        finally:
            if worker is not None:
                if worker.generation == self._generation:
                    self._idle.put(worker)
                else:  # answered from an older copy of the store: make way for a fresh one
                    self._replace(worker, kill=False)
        if status == "ok":
            payload.seconds = time.monotonic() - started
            return payload
        if status == "syntax":
            raise located_syntax_error(SyntaxError(payload), text)
        if status == "timeout":
            raise Timeout(payload)
        raise QueryError(payload)

    @property
    def size(self) -> int:
        """How many workers are alive."""
        return len(self._all)

    def close(self) -> None:
        """Stop the workers (and the loader)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        if self.in_memory:
            with contextlib.suppress(OSError):
                self._loader_conn.send(None)
            self._loader.join(5)
            if self._loader.is_alive():
                self._loader.kill()
                self._loader.join(2)
            self._loader_conn.close()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

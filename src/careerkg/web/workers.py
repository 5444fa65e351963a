"""Worker processes that build the explorer's views, so one past its timeout can be killed.

A Python thread cannot be stopped: a view that outlives its timeout in a thread keeps burning
CPU and memory after the client was told 503. :class:`WorkerPool` runs each computation in a
worker process instead and, at the deadline, kills that worker (SIGKILL) and starts another;
the other workers go on answering.

Each worker opens the on-disk store read-only itself (:func:`careerkg.store.open_store`; as
the SPARQL workers of :mod:`careerkg.store.pool` do), reopens it when the store's state
changes, and is warmed before it takes work: the name index and the views come from the
store's cache (``<store>/views/``), so a replacement is ready in about a second on the
curated store. Workers are started with the ``spawn`` method (the server runs threads, which
``fork`` must not copy), all at once when the pool is made, in the background.

A task is a module-level function ``function(graph, *args)``: it is sent by name, so both
sides must be able to import it. ``graph`` is a :class:`StoreGraph` (``store``, ``index``,
``resolve``: what :class:`careerkg.web.explorer.ExplorerGraph` asks for). A careerkg error it
raises is raised again here with the same type and message; any other error becomes
:class:`WorkerError`.

>>> # with WorkerPool(Path("~/.local/share/careerkg/store").expanduser()) as pool:
>>> #     pool.run(some_module.task, "data scientist", timeout=10)
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib import URIRef

from ..errors import CareerKGError
from ..network.names import CareerIndex
from ..store import GraphStore, open_store
from ..store.memory_cap import cap_memory
from ..store.worker import WorkerProcess, serve_requests

__all__ = ["StoreGraph", "TooSlow", "WorkerError", "WorkerPool"]

log = logging.getLogger(__name__)


class TooSlow(CareerKGError):
    """The computation ran past its timeout (its worker was killed), or no worker was free."""


class WorkerError(CareerKGError):
    """The worker failed in a way that is not a careerkg error, or died."""


class StoreGraph:
    """The graph as a worker sees it: the on-disk store at ``folder``, opened read-only and
    reopened when its state changes (a build or import by another process)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._store = open_store(self.folder, read_only=True)
        self._state = self._store.state()

    @property
    def store(self) -> GraphStore:
        now = self._store.state()
        if now != self._state:  # written to since: see the new generation
            self._store.close()
            self._store = open_store(self.folder, read_only=True)
            self._state = now
        return self._store

    @property
    def index(self) -> CareerIndex:
        return CareerIndex.cached(self.store)

    def resolve(self, name: str) -> URIRef:
        return self.index.resolve(name)


# ------------------------------------------------------------------ in the worker processes


def _reply(function: Callable[..., Any], graph: StoreGraph, args: tuple) -> tuple[str, Any]:
    try:
        return ("ok", function(graph, *args))
    except CareerKGError as e:
        # careerkg's errors take their own arguments (NotFound(kind, name)) and so do not
        # unpickle; send the class (by name), the message and the attributes instead.
        return ("raised", (type(e), e.args, dict(vars(e))))
    except MemoryError:
        return ("memory", "")
    except Exception as e:
        return ("error", f"{type(e).__name__}: {e}")


def _worker_main(  # pragma: no cover - runs in the child process
    conn: Connection,
    folder: str,
    warm: Callable[[StoreGraph], object] | None,
    memory_limit: int | None,
) -> None:
    try:
        graph = StoreGraph(Path(folder))
        if warm is not None:
            warm(graph)
    except Exception as e:
        conn.send(("failed", f"{type(e).__name__}: {e}"))
        return
    cap_memory(memory_limit)  # from now on the worker may grow by at most memory_limit bytes
    conn.send(("ready", os.getpid()))

    def answer(request: tuple) -> tuple[str, Any]:
        function, args = request
        return _reply(function, graph, args)

    serve_requests(conn, answer, unsendable=_unsendable)


def _unsendable(error: Exception) -> tuple[str, str]:  # pragma: no cover - in the child process
    return ("error", f"the answer could not be sent back: {error}")


# ----------------------------------------------------------------------- in the server


def _close_at_exit(ref: weakref.ref[WorkerPool]) -> None:
    pool = ref()
    if pool is not None:
        pool.close()


class WorkerPool:
    """``workers`` processes that run tasks on the store in ``folder``, each killed at its
    timeout and replaced. ``warm(graph)`` runs in each worker before it takes work (read the
    index and views there); ``memory_limit`` is how many bytes a worker may grow by after
    that (None: no cap; past it the task fails and its worker is replaced).

    The workers start in the background at once; :meth:`wait_ready` waits for them.
    """

    def __init__(
        self,
        folder: Path,
        workers: int = 2,
        *,
        warm: Callable[[StoreGraph], object] | None = None,
        memory_limit: int | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.workers = max(1, workers)
        self.warm = warm
        self.memory_limit = memory_limit or None
        self.killed: list[int] = []  # pids of the workers killed at a timeout, newest last
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self._all: set[WorkerProcess] = set()
        self._starting: set[multiprocessing.process.BaseProcess] = set()  # started, not ready yet
        self._lock = threading.Lock()
        self._closed = False
        self._failure: str | None = None
        atexit.register(_close_at_exit, weakref.ref(self))  # before multiprocessing ends them
        for _ in range(self.workers):
            self._start_in_background()

    # -- workers -------------------------------------------------------------------------

    def _start_in_background(self) -> None:
        threading.Thread(target=self._add, name="careerkg-explorer-start", daemon=True).start()

    def _add(self) -> None:
        conn, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(child, str(self.folder), self.warm, self.memory_limit),
            name="careerkg-explorer",
            daemon=True,
        )
        with self._lock:
            if self._closed:
                return
            try:
                process.start()
            except Exception as e:  # out of processes or memory: say so, serve with fewer
                log.error("could not start an explorer worker (%d left): %s", len(self._all), e)
                return
            self._starting.add(process)  # close() kills it if it is still warming up
        child.close()
        worker = WorkerProcess(conn, process)
        try:
            status, payload = conn.recv()
        except (EOFError, OSError):
            status, payload = "failed", f"it exited with code {process.exitcode}"
        with self._lock:
            self._starting.discard(process)
        if status != "ready":
            worker.stop(kill=True)
            if not self._closed:
                self._failure = payload
                log.error("an explorer worker could not start: %s", payload)
            return
        with self._lock:
            if self._closed:
                closed = True
            else:
                closed = False
                self._all.add(worker)
        if closed:
            worker.stop()
            return
        self._idle.put(worker)

    def _replace(self, worker: WorkerProcess, *, kill: bool) -> None:
        with self._lock:
            self._all.discard(worker)
        if kill:  # at once, so the runaway stops burning CPU now; reaped in the background
            worker.end(kill=True)

        def finish() -> None:
            worker.stop(kill=kill)
            if not self._closed:
                self._add()

        threading.Thread(target=finish, name="careerkg-explorer-respawn", daemon=True).start()

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until every worker is up (True), or ``timeout`` seconds passed."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._idle.qsize() >= self.workers or self._failure is not None:
                return self._idle.qsize() >= self.workers
            time.sleep(0.02)
        return False

    @property
    def size(self) -> int:
        """How many workers are up."""
        return len(self._all)

    def pids(self) -> list[int]:
        """The process ids of the workers that are up."""
        with self._lock:
            return sorted(w.pid for w in self._all)

    # -- running tasks -------------------------------------------------------------------

    def run(self, function: Callable[..., Any], *args: Any, timeout: float = 10.0) -> Any:
        """``function(graph, *args)`` in a worker; :class:`TooSlow` past ``timeout`` seconds
        (waiting for a free worker included; a worker still running is killed)."""
        end = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            why = f": {self._failure}" if self._failure and not self._all else ""
            raise TooSlow(f"no explorer worker was free within the {timeout:g} s timeout{why}") from None
        try:
            request = pickle.dumps((function, args))
        except Exception as e:  # not importable by name, say: a programming error
            self._idle.put(worker)
            raise WorkerError(f"cannot send {function!r} to a worker: {e}") from e
        try:
            worker.conn.send_bytes(request)
        except (OSError, ValueError) as e:  # it died while idle
            self._replace(worker, kill=True)
            raise WorkerError(f"the explorer worker died: {e}") from e
        try:
            ready = worker.conn.poll(max(0.0, end - time.monotonic()))
        except (OSError, ValueError):
            ready = True  # recv says how it died
        if not ready:
            self.killed.append(worker.pid)
            log.warning("explorer worker %d killed: its task ran past %g s", worker.pid, timeout)
            self._replace(worker, kill=True)
            raise TooSlow(f"this view took longer than {timeout:g} s; try a smaller depth")
        try:
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as e:
            self._replace(worker, kill=True)
            code = worker.process.exitcode
            if self.memory_limit and code in (-signal.SIGABRT, -signal.SIGKILL, None):
                raise WorkerError("this view needed more memory than a view may use") from e
            raise WorkerError(f"the explorer worker died (exit code {code})") from e
        if status == "memory":
            self._replace(worker, kill=True)  # a failed allocation may have left it in a bad way
            raise WorkerError("this view needed more memory than a view may use")
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "raised":
            kind, args, attributes = payload
            error = kind.__new__(kind)
            error.args = args
            error.__dict__.update(attributes)
            raise error
        raise WorkerError(payload)

    async def run_async(self, function: Callable[..., Any], *args: Any, timeout: float = 10.0) -> Any:
        """:meth:`run` for the event loop: a thread waits on the worker, the loop goes on."""
        import anyio.to_thread

        return await anyio.to_thread.run_sync(lambda: self.run(function, *args, timeout=timeout))

    def close(self) -> None:
        """Stop the workers, and kill those still warming up (they would only be stopped
        once ready, seconds later)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            starting = list(self._starting)
            self._starting.clear()
        for process in starting:
            process.kill()
        for worker in workers:
            worker.stop()
        for process in starting:
            process.join(2)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
- **on disk first, then in memory** (``in_memory=True, load_in_background=True``, what
  ``careerkg serve`` does): disk workers answer at once while the loader reads the snapshot;
  once it is in, the pool moves to forked in-memory workers as it does after a reload.

Limits that keep one client from taking the host or the pool:

- **memory**: each worker may grow its address space by at most ``memory_limit`` bytes above
  what it held when it started (``RLIMIT_AS``, set in the worker right after it starts). A query
  past it makes the worker fail an allocation and die; :class:`OutOfMemory` says so (with the
  worker's peak memory) and a new worker takes its place.
- **a lane for short queries**: the pool holds ``workers`` + ``quick_workers`` processes, but
  at most ``workers`` of them run *heavy* queries: ones that ran longer than ``quick_seconds``
  (0.2 s), or whose text did so before. A query that turns heavy takes a heavy slot if one is
  free and carries on; else its worker is killed and the query waits for a slot and starts
  again. So ``quick_workers`` processes are always left for short queries such as label lookups.
- **per client**: ``client=`` (the server passes the client's address) may run at most
  ``per_client`` heavy queries at once; more wait their turn.
- **a bounded queue**: at most ``max_waiting`` requests wait for a worker or a slot; past that
  :class:`Overloaded` (the server answers 503 with ``Retry-After``).

>>> # with QueryPool(Path("~/.local/share/careerkg/store").expanduser(), in_memory=True) as pool:
>>> #     pool.execute("SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }").values()
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import queue
import signal
import socket
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping
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
from .memory_cap import cap_memory
from .oxigraph import OxigraphStore
from .worker import WorkerProcess, serve_requests

__all__ = ["OutOfMemory", "Overloaded", "QueryPool"]

log = logging.getLogger(__name__)


class OutOfMemory(QueryError):
    """The query needed more memory than a worker may use; its worker was stopped."""


class Overloaded(QueryError):
    """Too many queries are waiting: try again in ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# ------------------------------------------------------------------ in the worker processes


def _answer_requests(conn: Connection, current_store: Callable[[], object]) -> None:
    """A worker's loop: run each request on ``current_store()``; ``None`` or EOF ends it."""

    def answer(request: tuple) -> tuple[str, object]:
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
            return ("ok", result)
        except SyntaxError as e:
            return ("syntax", str(e))
        except Timeout as e:
            return ("timeout", str(e))
        except MemoryError:
            return ("memory", "")
        except Exception as e:
            return ("error", f"query failed: {e}")

    serve_requests(conn, answer)


def _disk_worker_main(conn: Connection, path: str, memory_limit: int | None) -> None:  # pragma: no cover
    store = OxigraphStore(Path(path), read_only=True)
    state = store.state()
    cap_memory(memory_limit)

    def current() -> object:
        nonlocal store, state
        now = store.state()
        if now != state:  # written to since: reopen (a new generation, maybe)
            store.close()
            store = OxigraphStore(Path(path), read_only=True)
            state = now
        return store

    _answer_requests(conn, current)


def _reap(pid: int) -> tuple[int | None, int | None]:
    """Wait for the child ``pid`` to end (killing it after 2 s): (exit code, peak RSS in KiB).

    The exit code is negative for a signal (``-6``: aborted, as Rust does when an allocation
    fails); None, None when it is not our child (already reaped).
    """
    give_up = time.monotonic() + 2
    flags = os.WNOHANG
    while True:
        try:
            done, status, usage = os.wait4(pid, flags)
        except ChildProcessError:
            return None, None
        if done:
            return os.waitstatus_to_exitcode(status), usage.ru_maxrss
        if time.monotonic() > give_up:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            flags = 0
        time.sleep(0.005)


def _loader_main(conn: Connection, memory_limit: int | None) -> None:  # pragma: no cover - child process
    """Load each snapshot it is sent into memory; fork a worker per ``"fork"`` request and
    reap it (its exit code and peak memory) per ``"reap"`` request.

    The loader never runs a query and holds no other threads' locks when it forks, so the
    children start from a quiet copy of the loaded store.
    """
    from .replica import load_snapshot, snapshot_state

    replica = None
    try:
        while (message := conn.recv()) is not None:
            if message[0] == "load":
                replica = None  # free the old copy before reading the new one
                replica = load_snapshot(Path(message[1]), snapshot_state(message[1]))
                conn.send(("ready", replica.count()))
                continue
            if message[0] == "reap":
                conn.send(_reap(message[1]))
                continue
            parent_end, child_end = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                try:
                    conn.close()
                    parent_end.close()
                    cap_memory(memory_limit)
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


def _no_worker(timeout: float) -> Timeout:
    return Timeout(f"query stopped: no worker was free within the {timeout:g} s timeout")


class _Slots:
    """Who may wait and who may run long: ``heavy`` slots (at most ``per_client`` for one
    client), and at most ``max_waiting`` requests waiting for a slot or a worker at once."""

    def __init__(self, heavy: int, per_client: int, max_waiting: int) -> None:
        self.heavy, self.per_client, self.max_waiting = heavy, per_client, max_waiting
        self._running: Counter[str | None] = Counter()
        self._total = 0
        self._waiting = 0
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        """Count a request as waiting; :class:`Overloaded` when ``max_waiting`` already are."""
        with self._changed:
            if self._waiting >= self.max_waiting:
                raise Overloaded(f"the server is busy: {self._waiting} queries are waiting; try again soon")
            self._waiting += 1
        try:
            yield
        finally:
            with self._changed:
                self._waiting -= 1

    def _free(self, client: str | None) -> bool:
        return self._total < self.heavy and (client is None or self._running[client] < self.per_client)

    def heavy_slot(self, client: str | None, end: float, timeout: float, wait: bool = True):
        """A context holding a heavy slot for ``client``; without ``wait``, None if none is free."""
        if wait:
            with self.waiting(), self._changed:
                while not self._free(client):
                    left = end - time.monotonic()
                    if left <= 0:
                        raise _no_worker(timeout)
                    self._changed.wait(left)
                self._take(client)
        else:
            with self._changed:
                if not self._free(client):
                    return None
                self._take(client)
        return self._held(client)

    def _take(self, client: str | None) -> None:
        self._running[client] += 1
        self._total += 1

    @contextlib.contextmanager
    def _held(self, client: str | None) -> Iterator[None]:
        try:
            yield
        finally:
            with self._changed:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
                self._total -= 1
                self._changed.notify_all()


class _Worker(WorkerProcess):
    """One worker process as the pool sees it, with the generation (store state) it serves."""

    def __init__(
        self,
        conn: Connection,
        generation: int,
        process=None,
        pid: int | None = None,
        reap: Callable[[int], tuple[int | None, int | None]] | None = None,
    ) -> None:
        super().__init__(conn, process, pid, reap)  # forked: the loader, their parent, reaps them
        self.generation = generation


class QueryPool:
    """Worker processes that run queries on the store at ``path`` with a hard timeout.

    A query that outlives its timeout is stopped by killing its worker (a new one replaces
    it), so a runaway query never keeps burning CPU. See the module docstring for
    ``in_memory``; ``source``, an open handle on the same store (the server's), is used to take
    snapshots instead of opening another one. Raises :class:`~careerkg.errors.StoreError` when
    the store cannot be read. The module docstring tells the limits: ``memory_limit`` (bytes a
    worker may add, None: no cap), ``quick_workers`` and ``quick_seconds`` (the lane for short
    queries), ``per_client`` and ``max_waiting``.

    >>> # pool = QueryPool(Path("~/.local/share/careerkg/store").expanduser(), workers=2)
    """

    def __init__(
        self,
        path: Path,
        workers: int = 2,
        *,
        in_memory: bool = False,
        source: OxigraphStore | None = None,
        memory_limit: int | None = None,
        quick_workers: int = 0,
        quick_seconds: float = 0.2,
        per_client: int = 1,
        max_waiting: int = 16,
        load_in_background: bool = False,
    ) -> None:
        self.path = Path(path)
        self._source = source  # an open handle on the store to take snapshots from
        self.in_memory = in_memory
        self.workers = max(1, workers) + max(0, quick_workers)
        self.memory_limit = memory_limit or None
        self.quick_seconds = quick_seconds
        self._slots = _Slots(
            heavy=max(1, workers), per_client=max(1, per_client), max_waiting=max(1, max_waiting)
        )
        self._heavy_texts: OrderedDict[bytes, None] = OrderedDict()  # digests of texts that ran long
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._generation = 0
        self.quads = 0  # in memory: how many quads the workers hold
        self.loading = False  # the in-memory copy is being loaded while disk workers answer
        self._loader = None
        if in_memory:
            self._loader_lock = threading.Lock()
            self._reloading = False
            self._state_file = self.path / "STATE"
            self._seen_stamp = self._stamp()
            if load_in_background:
                self.in_memory = False  # workers read the store on disk until the copy is in
                self.loading = True
                self._loaded = threading.Event()
                threading.Thread(
                    target=self._load_in_background, name="careerkg-pool-load", daemon=True
                ).start()
            else:
                self._start_loader()
        for _ in range(self.workers):
            self._add()

    def _load_in_background(self) -> None:
        """Load the in-memory copy while disk workers answer, then move to forked workers."""
        started = time.monotonic()
        try:
            self._start_loader()
        except Exception as e:
            log.warning("cannot answer from memory (%s): reading the store on disk instead", e)
            self.loading = False
            self._loaded.set()
            return
        with self._lock:
            closed = self._closed
            if not closed:
                self._generation += 1
                self.in_memory = True
        self.loading = False
        if closed:
            self._stop_loader()
        else:
            seconds = time.monotonic() - started
            log.info("now answering from memory (%d quads, loaded in %.1fs)", self.quads, seconds)
            self._retire_idle()
        self._loaded.set()

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Wait until an in-memory copy loading in the background is in (True) or failed."""
        loaded = getattr(self, "_loaded", None)
        return True if loaded is None else loaded.wait(timeout)

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
            target=_loader_main, args=(child, self.memory_limit), name="careerkg-loader", daemon=True
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
        return _Worker(Connection(fd), self._generation, pid=pid, reap=self._reap_forked)

    def _reap_forked(self, pid: int) -> tuple[int | None, int | None]:
        """Have the loader reap its child ``pid``: (exit code, peak RSS in KiB)."""
        try:
            with self._loader_lock:
                self._loader_conn.send(("reap", pid))
                return self._loader_conn.recv()
        except (EOFError, OSError):  # the loader is gone: the kernel reaps its orphans
            return None, None

    def current_generation(self) -> int | None:
        """In memory: the generation of the copy that fresh workers answer from (a reload is
        started first if the store changed, as for a query); on disk: None. Each answer says
        which generation gave it (``QueryResult.generation``)."""
        if not self.in_memory:
            return None
        self._check_state()
        return self._generation

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
            target=_disk_worker_main,
            args=(child, str(self.path), self.memory_limit),
            name="careerkg-query",
            daemon=True,
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

    def _replace(
        self, worker: _Worker, *, kill: bool = True, wait: bool = False, died: bool = False
    ) -> tuple[int | None, int | None]:
        """Stop ``worker`` and start another. When it ``died`` by itself, it is reaped at once
        and this tells how it ended (exit code, peak RSS in KiB); else it is reaped after the
        respawn (both may wait for the loader, busy loading a new state, say)."""
        with self._lock:
            self._all.discard(worker)
        worker.end(kill=kill)
        ended = worker.reap() if died else (None, None)

        def finish() -> None:
            if not self._closed:
                self._respawn()
            if not died:
                worker.reap()

        if wait:
            finish()
        else:
            threading.Thread(target=finish, name="careerkg-pool-respawn", daemon=True).start()
        return ended

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
        client: str | None = None,
    ) -> QueryResult:
        """Run a query in a worker; raise :class:`Timeout` (worker killed) past ``timeout``,
        :class:`OutOfMemory` past the memory cap, :class:`Overloaded` when the queue is full.
        ``client`` (an address, say) is held to ``per_client`` heavy queries at once."""
        request = self._request(text, bindings, limit, allow_service, default_graphs, named_graphs)
        return self._result(self._run(request, timeout, client), text)

    def _request(self, text, bindings, limit, allow_service, default_graphs, named_graphs) -> tuple:
        """The request a worker is sent, once the policy allowed ``text``."""
        info = analyse(text)
        check_policy(info, allow_service=allow_service, allow_update=False)
        bound = bind_values(text, bindings or {})
        if self.in_memory:
            self._check_state()
        return (bound, limit, default_graphs, named_graphs)

    def _result(self, reply: tuple[str, object], text: str) -> QueryResult:
        status, payload = reply
        if status == "ok":
            return payload
        if status == "syntax":
            raise located_syntax_error(SyntaxError(payload), text)
        if status == "timeout":
            raise Timeout(payload)
        if status == "memory":
            raise self._out_of_memory(None)
        raise QueryError(payload)

    async def execute_async(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        timeout: float = 30.0,
        limit: int | None = None,
        allow_service: bool = False,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        client: str | None = None,
    ) -> QueryResult:
        """:meth:`execute` for an asyncio event loop (the server's), with the same limits.

        A short query is answered without leaving the loop: an idle worker is sent the request
        and the loop waits for its reply (at most ``quick_seconds``) on the connection's file
        descriptor, with no thread hop. Anything else (no idle worker, a query known to be
        heavy, one still running after ``quick_seconds``, a worker that died) goes on in a
        thread exactly as :meth:`execute` runs it: the lanes, slots, queue, timeout and memory
        cap are the same code."""
        import asyncio

        from anyio import to_thread

        request = self._request(text, bindings, limit, allow_service, default_graphs, named_graphs)
        started = time.monotonic()
        key = self._key(request)
        if key in self._heavy_texts:
            return self._result(await to_thread.run_sync(self._run, request, timeout, client), text)
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return self._result(await to_thread.run_sync(self._run, request, timeout, client), text)
        end = started + timeout
        if not self._send(worker, request, end):
            return self._result(await to_thread.run_sync(self._run, request, timeout, client), text)
        sent = time.monotonic()
        conn = worker.conn
        ready = conn.poll(0)
        if not ready:
            loop = asyncio.get_running_loop()
            waiter = loop.create_future()

            def readable() -> None:
                if not waiter.done():
                    waiter.set_result(True)

            fd = conn.fileno()
            loop.add_reader(fd, readable)
            try:
                ready = await asyncio.wait_for(waiter, min(self.quick_seconds, timeout))
            except TimeoutError:
                ready = False
            except BaseException:  # cancelled: the worker is busy with a query nobody waits for
                self._replace(worker)
                raise
            finally:
                loop.remove_reader(fd)
        if not ready:  # still running: carry on under the lanes' rules, in a thread
            reply = await to_thread.run_sync(self._run, request, timeout, client, (worker, sent, started))
            return self._result(reply, text)
        try:
            reply = conn.recv()
        except (EOFError, OSError) as e:  # it died: reap it (may wait) off the loop
            return self._result(await to_thread.run_sync(self._died, worker, e), text)
        self._release(worker)
        if reply[0] == "ok":
            reply[1].seconds = time.monotonic() - started
            reply[1].generation = worker.generation
        return self._result(reply, text)

    @staticmethod
    def _key(request: tuple) -> bytes:
        return hashlib.blake2b(request[0].encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def _run(
        self,
        request: tuple,
        timeout: float,
        client: str | None,
        running: tuple[_Worker, float, float] | None = None,
    ) -> tuple[str, object]:
        """Send ``request`` to a worker under the lanes' rules: the worker's (status, payload).
        ``running``: (worker, sent, started) when a worker already runs it as a short query."""
        started = running[2] if running else time.monotonic()
        end = started + timeout
        key = self._key(request)
        heavy = key in self._heavy_texts and running is None
        with contextlib.ExitStack() as held:
            if running is not None:
                worker, sent, _ = running
                quick_left = max(0.0, self.quick_seconds - (time.monotonic() - sent))
            else:
                if heavy:  # known to run long: wait for a heavy slot first
                    held.enter_context(self._slots.heavy_slot(client, end, timeout))
                worker = self._start(request, end, timeout)
                sent = time.monotonic()
                quick_left = self.quick_seconds
            if not heavy and not worker.conn.poll(quick_left):
                self._remember_heavy(key)
                slot = self._slots.heavy_slot(client, end, timeout, wait=False)
                if slot is None:  # no heavy slot free now: stop it, queue for one, start again
                    self._replace(worker)
                    slot = self._slots.heavy_slot(client, end, timeout)
                    held.enter_context(slot)
                    worker = self._start(request, end, timeout)
                else:
                    held.enter_context(slot)
            status, payload = self._answer(worker, end, timeout)
            if heavy and time.monotonic() - sent < self.quick_seconds:  # short after all
                with self._lock:
                    self._heavy_texts.pop(key, None)
        if status == "ok":
            payload.seconds = time.monotonic() - started
        return status, payload

    def _start(self, request: tuple, end: float, timeout: float) -> _Worker:
        """An idle worker, sent ``request`` with the time left until ``end``."""
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:  # wait in the queue
            with self._slots.waiting():
                try:
                    worker = self._idle.get(timeout=max(0.0, end - time.monotonic()))
                except queue.Empty:
                    raise _no_worker(timeout) from None
        text, limit, *graphs = request
        try:
            worker.conn.send((text, limit, max(0.05, end - time.monotonic()), *graphs))
        except OSError as e:  # it died while idle
            self._replace(worker)
            raise QueryError(f"query worker died: {e}") from e
        return worker

    def _send(self, worker: _Worker, request: tuple, end: float) -> bool:
        """Send ``request`` to the idle ``worker``; False (and the worker replaced) if it died."""
        text, limit, *graphs = request
        try:
            worker.conn.send((text, limit, max(0.05, end - time.monotonic()), *graphs))
        except OSError:
            self._replace(worker)
            return False
        return True

    def _release(self, worker: _Worker) -> None:
        """Give back a worker that answered."""
        if worker.generation == self._generation:
            self._idle.put(worker)
        else:  # answered from an older copy of the store: make way for a fresh one
            self._replace(worker, kill=False)

    def _died(self, worker: _Worker, error: BaseException) -> tuple[str, object]:
        """Reap a worker that died running a query and raise what its death means."""
        code, peak = self._replace(worker, died=True)
        if self.memory_limit and code in (-signal.SIGABRT, -signal.SIGKILL):
            raise self._out_of_memory(peak) from None
        raise QueryError(f"query worker died: {error or 'no answer'} (exit code {code})") from error

    def _answer(self, worker: _Worker, end: float, timeout: float) -> tuple[str, object]:
        """The reply of ``worker``, which is running a query: killed at ``end`` (+0.25 s grace)."""
        try:
            if not worker.conn.poll(max(0.0, end - time.monotonic()) + 0.25):
                self._replace(worker)
                worker = None
                raise Timeout(f"query stopped: it ran longer than the {timeout:g} s timeout")
            reply = worker.conn.recv()
            if reply[0] == "ok":
                reply[1].generation = worker.generation
            return reply
        except (EOFError, OSError) as e:
            dead, worker = worker, None
            return self._died(dead, e)
        finally:
            if worker is not None:
                self._release(worker)

    def _out_of_memory(self, peak_kib: int | None) -> OutOfMemory:
        cap = f"the {self.memory_limit / 2**20:g} MiB" if self.memory_limit else "the memory"
        peak = f" peaked at {peak_kib / 1024:.0f} MiB and" if peak_kib else ""
        return OutOfMemory(
            f"query stopped: it needed more than {cap} a query may use (its worker{peak} was replaced)"
        )

    def _remember_heavy(self, key: bytes) -> None:
        with self._lock:
            self._heavy_texts[key] = None
            self._heavy_texts.move_to_end(key)
            while len(self._heavy_texts) > 1024:
                self._heavy_texts.popitem(last=False)

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
        self._stop_loader()

    def _stop_loader(self) -> None:
        loader = self._loader
        if loader is None:
            return
        with contextlib.suppress(OSError):
            self._loader_conn.send(None)
        loader.join(5)
        if loader.is_alive():
            loader.kill()
            loader.join(2)
        self._loader_conn.close()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

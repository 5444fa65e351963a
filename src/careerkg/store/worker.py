"""A worker process as its pool sees it, and the loop a worker runs.

The query pool (:mod:`careerkg.store.pool`) and the explorer's view workers
(:mod:`careerkg.web.workers`) both keep processes that answer requests over a
:class:`~multiprocessing.connection.Connection`: :func:`serve_requests` is the loop in the
worker, :class:`WorkerProcess` how the pool stops one (asked to finish, or killed) and waits
for it.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["WorkerProcess", "serve_requests"]


def serve_requests(
    conn: Connection,
    answer: Callable[[Any], object],
    *,
    unsendable: Callable[[Exception], object] | None = None,
) -> None:
    """Send back ``answer(request)`` for each request ``conn`` brings; ``None``, EOF or a closed
    connection ends the loop. A reply that cannot be sent (it would not pickle) is replaced by
    ``unsendable(error)`` when that is given; else the error ends the worker."""
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        reply = answer(request)
        try:
            conn.send(reply)
        except (OSError, KeyboardInterrupt):
            return
        except Exception as e:
            if unsendable is None:
                raise
            conn.send(unsendable(e))


class WorkerProcess:
    """One worker process: its connection, and how to stop it.

    ``process`` is a :class:`multiprocessing.Process` (spawned); a forked worker has none and
    gives its ``pid`` and ``reap(pid)``, which has the process that forked it wait for it.
    """

    def __init__(
        self,
        conn: Connection,
        process: Any = None,
        pid: int | None = None,
        reap: Callable[[int], tuple[int | None, int | None]] | None = None,
    ) -> None:
        self.conn = conn
        self.process = process
        self.pid: int = pid if pid is not None else process.pid
        self._reap = reap

    def stop(self, kill: bool = False) -> tuple[int | None, int | None]:
        """Stop the process: (its exit code, negative for a signal; its peak RSS in KiB)."""
        self.end(kill)
        return self.reap()

    def end(self, kill: bool = False) -> None:
        """Kill the process, or ask it to finish."""
        if kill:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)

    def reap(self) -> tuple[int | None, int | None]:
        """Wait for the ended process (killing it after 2 s): (exit code, negative for a
        signal; peak RSS in KiB, known only for a forked worker)."""
        ended: tuple[int | None, int | None] = (None, None)
        if self.process is not None:
            self.process.join(2)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(2)
            ended = (self.process.exitcode, None)
        elif self._reap is not None:
            ended = self._reap(self.pid)
        self.conn.close()
        return ended

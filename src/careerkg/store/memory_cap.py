"""A memory cap for worker processes: let a process grow by at most so many bytes from now on.

The query pool's workers (:mod:`careerkg.store.pool`) and the explorer's view workers
(:mod:`careerkg.web.workers`) set it right after they start, so a runaway query or view fails
with an allocation error in its own process instead of taking the machine's memory.

>>> address_space() > 0
True
"""

from __future__ import annotations

import contextlib
import os
import resource

__all__ = ["address_space", "cap_memory"]


def address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def cap_memory(extra: int | None) -> None:
    """Let this process's address space grow by at most ``extra`` bytes from now on (``None``
    or 0: no cap).

    Past it an allocation fails: Python raises MemoryError, Oxigraph (Rust) aborts the process
    after one line, ``memory allocation of N bytes failed`` (no backtrace: that death is
    expected, and the pools report it). Call it in a child process: the cap cannot be raised
    again.
    """
    if not extra:
        return
    os.environ["RUST_BACKTRACE"] = "0"
    limit = address_space() + extra
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

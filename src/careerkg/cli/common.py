"""Shared pieces of the CLI: the ``--store`` option, error handling, consoles."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from ..errors import CareerKGError, DataError, NoPath, NotFound
from ..store.base import STORE_ENV

if TYPE_CHECKING:
    from ..graph import CareerGraph

__all__ = ["StoreOption", "console", "err_console", "fail", "handle_errors", "open_graph"]

console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar=STORE_ENV,
        help="Where the graph lives: a folder (embedded Oxigraph), 'memory', or an http(s) "
        "SPARQL endpoint. Default: ~/.local/share/careerkg/store.",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes by exception type (the first that matches); any other careerkg error is bad
#: input (2). A query that ran out of time exits 3 (see ``careerkg query``).
EXIT_CODES: tuple[tuple[type[CareerKGError], int], ...] = ((NotFound, 1), (NoPath, 1))


def message(error: CareerKGError) -> str:
    """The one-line message for ``error``, naming the command-line option where the library
    names a parameter (``depth`` -> ``--depth``)."""
    parameter = getattr(error, "parameter", None)
    if parameter and not getattr(error, "file", None):
        return f"--{parameter.replace('_', '-')} {error.reason}"  # type: ignore[attr-defined]
    return str(error)


def exit_code(error: CareerKGError) -> int:
    """The exit code for ``error``: 1 when a name or path was not found, 2 for bad input."""
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), 2)

#: Graphs opened by the running command; closed when it ends so the store's lock is released.
_OPENED: list[Any] = []

#: Closed graphs kept until the process ends, when :func:`exit_process` ends it (see there).
_KEPT: list[Any] | None = None


def keep_closed_graphs() -> None:
    """Keep the graphs that commands close (their stores released) instead of freeing them:
    for a process that ends with :func:`exit_process`, which skips freeing them."""
    global _KEPT
    _KEPT = []


def exit_process(code: object) -> None:
    """End the process as ``sys.exit(code)`` would, without freeing its objects one by one.

    The views of the full graph are millions of small objects; freeing them (when the command
    let go of its graph, then at interpreter shutdown) took 0.15 s of a 1 s ``careerkg path``.
    The atexit handlers run (logging is flushed, temporary files go) and the output is flushed,
    then ``os._exit``. A process still running other threads or child processes exits the
    ordinary way.
    """
    import atexit
    import os
    import threading

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    children = "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children()
    others = [t for t in threading.enumerate() if t is not threading.current_thread() and not t.daemon]
    if run_exit_handlers is None or children or others:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``careerkg ... | head``)
            status = status or 1
    os._exit(status)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error to stderr and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def handle_errors(func: F) -> F:
    """Turn careerkg errors into a clear message and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataError as e:
            for problem in e.problems:
                err_console.print(str(problem), markup=False, highlight=False)
            raise fail(f"{len(e.problems)} problem(s) found; nothing was changed", 2) from None
        except CareerKGError as e:
            raise fail(message(e), exit_code(e)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        finally:
            while _OPENED:
                graph = _OPENED.pop()
                graph.close()
                if _KEPT is not None:
                    _KEPT.append(graph)
            graph = None

    return wrapper  # type: ignore[return-value]


_BUILDING = "First run: building the career graph from the curated data..."


def open_graph(
    store: str | None, *, read_only: bool = False, autobuild: bool = True, writes: bool = False
) -> CareerGraph:
    """Open the graph with :meth:`CareerGraph.open`, building it first when the store is new
    (with a progress line on stderr).

    A command that only reads (not ``writes``) opens the store read-only when another process
    holds it, so ``careerkg query``, ``show`` and the traversals work beside a running
    ``careerkg serve``. The graph is closed when the command decorated with
    :func:`handle_errors` ends.
    """
    from ..graph import CareerGraph

    graph = CareerGraph.open(
        store,
        read_only=read_only,
        autobuild=autobuild,
        read_only_if_busy=not writes,
        while_building=lambda: err_console.status(_BUILDING),
    )
    _OPENED.append(graph)
    if graph.built is not None:
        report = graph.built
        err_console.print(f"Built {report.careers} careers ({report.triples:,} triples) into {report.store}")
    return graph


def setup_logging(verbose: bool) -> None:
    """Log warnings (or everything with --verbose) to stderr."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )

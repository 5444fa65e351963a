"""Running a request: the policy (read-only, no SERVICE or LOAD unless allowed), the deadline
and row limit, and engine errors turned into :class:`~careerkg.errors.QueryError`.

Timeouts: rows are pulled lazily and the deadline is checked between rows. A query that does
all its work before the first row (``COUNT`` over a cartesian product, ``ORDER BY``) cannot be
interrupted inside Oxigraph, which has no cancel; :class:`careerkg.store.pool.QueryPool` therefore runs
queries in worker processes that are killed at the deadline (the server uses it), and the CLI exits.

>>> take(iter(range(5)), 3, Deadline(None))
([0, 1, 2], True)
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from rdflib.term import Node

from ..errors import QueryError
from .results import QueryResult
from .text import Analysis, analyse, located_syntax_error

__all__ = ["Deadline", "Refused", "Timeout", "check_policy", "run_query", "run_update", "take"]

T = TypeVar("T")


class Refused(QueryError):
    """The query or update is not allowed here (update without a token, SERVICE, LOAD)."""


class Timeout(QueryError):
    """The query ran longer than its timeout and was stopped."""


class Deadline:
    """When a query must have finished; :meth:`check` raises :class:`Timeout` past it.

    >>> Deadline(None).check()  # no deadline: never raises
    """

    def __init__(self, timeout: float | None) -> None:
        self.end = time.monotonic() + timeout if timeout else None
        self.timeout = timeout

    def check(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise Timeout(f"query stopped: it ran longer than the {self.timeout:g} s timeout")


def check_policy(info: Analysis, *, allow_service: bool, allow_update: bool) -> None:
    """Raise :class:`Refused` for what the policy forbids (updates, SERVICE, LOAD).

    >>> check_policy(analyse("DROP ALL"), allow_service=False, allow_update=False)
    Traceback (most recent call last):
    careerkg.sparql.run.Refused: SPARQL Update is not allowed here (the endpoint is read-only)
    """
    if info.is_update and not allow_update:
        raise Refused("SPARQL Update is not allowed here (the endpoint is read-only)")
    if info.uses_service and not allow_service:
        raise Refused("SERVICE (federated query) is disabled; enable it explicitly to query other endpoints")
    if info.uses_load and not allow_service:
        raise Refused("LOAD is disabled; enable it explicitly to fetch remote data")
    if info.form == "UNKNOWN":
        raise QueryError("SPARQL syntax error: no SELECT, ASK, CONSTRUCT, DESCRIBE or update found")


def take(items: Iterable[T], limit: int | None, deadline: Deadline) -> tuple[list[T], bool]:
    """At most ``limit`` of ``items`` (rows or triples, pulled lazily) and whether more were
    left, checking ``deadline`` every 256 items.

    >>> take(iter("abc"), None, Deadline(5))
    (['a', 'b', 'c'], False)
    """
    taken: list[T] = []
    append = taken.append
    check = deadline.end is not None
    try:
        for item in items:
            if limit is not None and len(taken) >= limit:
                return taken, True
            append(item)
            if check and len(taken) % 256 == 0:
                deadline.check()
    finally:
        # A Timeout's traceback keeps this frame: let go of the (engine's) iterator here, on
        # the thread that made it, not wherever the exception ends up.
        del items
    return taken, False


def _run_here(
    store, text: str, bindings, info: Analysis, limit, deadline, default_graphs=None, named_graphs=None
) -> QueryResult:
    started = time.perf_counter()
    with _query_errors(text, "query"):
        result = store.execute(
            text,
            bindings=bindings,
            limit=limit,
            deadline=deadline,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
    result.seconds = time.perf_counter() - started
    return result


def run_query(
    store,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    timeout: float | None = None,
    limit: int | None = None,
    allow_service: bool = False,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
) -> QueryResult:
    """Run a SPARQL query on ``store`` (any :class:`~careerkg.store.GraphStore`).

    ``bindings`` bind variables to RDF terms. With ``timeout`` (seconds) the query runs in a
    helper thread and :class:`Timeout` is raised at the deadline; Oxigraph cannot abandon a
    query mid-way, so the caller should exit (the CLI does) or use :class:`QueryPool`, whose
    worker processes are killed. ``limit`` caps the rows (``truncated`` says so).
    SERVICE is refused unless ``allow_service``; updates are refused (use :func:`run_update`).

    >>> run_query(None, "SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }")
    Traceback (most recent call last):
    careerkg.sparql.run.Refused: SERVICE (federated query) is disabled; enable it explicitly ...
    """
    info = analyse(text)
    check_policy(info, allow_service=allow_service, allow_update=False)
    deadline = Deadline(timeout)
    if not timeout:
        return _run_here(store, text, bindings, info, limit, deadline, default_graphs, named_graphs)
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = _run_here(
                store, text, bindings, info, limit, deadline, default_graphs, named_graphs
            )
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    thread = threading.Thread(target=work, name="careerkg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise Timeout(f"query stopped: it ran longer than the {timeout:g} s timeout")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def run_update(store, text: str, *, allow_load: bool = False) -> None:
    """Run a SPARQL Update on ``store``; LOAD is refused unless ``allow_load``.

    >>> run_update(None, "LOAD <http://example.org/data.ttl>")
    Traceback (most recent call last):
    careerkg.sparql.run.Refused: LOAD is disabled; enable it explicitly to fetch remote data
    """
    info = analyse(text)
    if not info.is_update:
        raise QueryError("not a SPARQL Update (use run_query for queries)")
    check_policy(info, allow_service=allow_load, allow_update=True)
    with _query_errors(text, "update"):
        store.update(text)


@contextlib.contextmanager
def _query_errors(text: str, what: str) -> Iterator[None]:
    """Turn parser and engine errors (Oxigraph's, rdflib's pyparsing ones) into QueryError."""
    try:
        yield
    except SyntaxError as e:
        raise located_syntax_error(e, text) from e
    except QueryError:
        raise
    except Exception as e:
        if type(e).__name__ in ("ParseException", "ParseSyntaxException"):
            raise located_syntax_error(e, text) from e
        raise QueryError(f"{what} failed: {e}") from e

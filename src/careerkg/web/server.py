"""``careerkg serve``: a SPARQL 1.1 Protocol endpoint, a query page and the explorer.

An ASGI app (Starlette, run by uvicorn):

- ``GET/POST /sparql`` (also ``/query``): the SPARQL 1.1 Protocol. GET with ``query=``; POST
  ``application/x-www-form-urlencoded`` (``query=`` or ``update=``), ``application/sparql-query``
  or ``application/sparql-update``. ``default-graph-uri`` / ``named-graph-uri`` are honoured.
  Results are content-negotiated (``Accept``; ``format=`` overrides): SPARQL JSON/XML, CSV, TSV,
  Turtle, JSON-LD, N-Triples, RDF/XML.
- Read-only by default: updates answer 403 unless enabled, and then need
  ``Authorization: Bearer <token>``. SERVICE and LOAD answer 403 unless enabled, and then need
  the token too and an IRI whose host is in ``service_hosts``.
- Every query has a timeout (its worker process is killed: 503), a memory cap (503), a row
  limit (the ``X-CareerKG-Truncated: true`` header says when it cut the result); request bodies
  and GET query strings have a size limit (413). Short queries keep a worker of their own that
  heavy ones cannot take (see :mod:`careerkg.store.pool`); a full queue answers 503 with
  ``Retry-After``.
- ``/`` is an offline query page (no CDN), ``/examples`` the example queries as JSON,
  ``/explore`` the explorer when :mod:`careerkg.web.explorer` is installed.

Status codes: 200, 400 (bad query: a text/plain body naming line and column), 401 (bad token),
403 (refused), 405, 406 (no acceptable format), 413 (too large), 415, 503 (timeout, memory cap,
busy).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import CareerKGError, InputError, QueryError, StoreError
from ..sparql import (
    GRAPH_FORMATS,
    TABLE_FORMATS,
    Refused,
    Timeout,
    analyse,
    cached_for_short_text,
    example_queries,
    run_query,
    run_update,
    serialize,
)
from ..store.pool import OutOfMemory, Overloaded, QueryPool
from .explorer import explorer_routes, explorer_workers

__all__ = ["ServerConfig", "create_app", "serve"]

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static" / "sparql"


#: The shortest update token accepted.
MIN_TOKEN_LENGTH = 16


def check_token(token: str) -> None:
    """Raise :class:`InputError` for a token too short to resist guessing."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise InputError(f"the update token must be at least {MIN_TOKEN_LENGTH} characters, not {len(token)}")


@dataclass
class ServerConfig:
    """How the endpoint behaves. The defaults are the safe ones.

    ``token`` is what clients send (``Authorization: Bearer``) for updates (``allow_update``)
    and for SERVICE and LOAD (``allow_service``, to ``service_hosts`` only: ``host`` or
    ``host:port``); it must be at least :data:`MIN_TOKEN_LENGTH` characters.
    """

    timeout: float = 30.0
    row_limit: int = 10_000
    token: str | None = None
    allow_update: bool = False
    allow_service: bool = False  # SERVICE in queries and LOAD in updates, with the token
    service_hosts: list[str] = field(default_factory=list)
    cors_origins: list[str] = field(default_factory=list)
    workers: int = 2  # query worker processes for heavy queries (on-disk stores)
    quick_workers: int = 1  # more kept for short queries
    quick_seconds: float = 0.2  # a query running longer is heavy
    per_client: int = 1  # heavy queries one client address may run at once
    max_waiting: int = 16  # requests waiting for a worker; more get 503 + Retry-After
    worker_memory: int | None = 2 * 2**30  # bytes a query worker may add (None: no cap)
    max_body: int = 2**20  # bytes of a request body or GET query string
    in_memory: bool = True  # workers answer from an in-memory copy (read-only servers only)
    result_cache: int = 64 * 2**20  # bytes of answers kept per store state (in memory only; 0: off)
    load_in_background: bool = False  # answer from disk while the in-memory copy loads

    def __post_init__(self) -> None:
        if self.token is not None:
            check_token(self.token)
        elif self.allow_update or self.allow_service:
            raise InputError("updates, SERVICE and LOAD need an update token")

    @property
    def answers_from_memory(self) -> bool:
        """Whether workers hold an in-memory copy: asked for, and no updates to see at once."""
        return self.in_memory and not self.allow_update


def _media_types(accept: str) -> list[tuple[str, float]]:
    out = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        out.append((pieces[0].lower(), q))
    return sorted(out, key=lambda x: -x[1])


_ALIASES = {
    "application/json": "json",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
}


_GRAPH_NAMES = {
    "json-ld": "jsonld",
    "json": "jsonld",
    "n3": "turtle",
    "ttl": "turtle",
    "xml": "rdfxml",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "nt": "ntriples",
    "n-triples": "ntriples",
}
_TABLE_NAMES = {"srj": "json", "srx": "xml"}


def negotiate(accept: str | None, graph: bool, override: str | None = None) -> str | None:
    """The result format for an ``Accept`` header (None: nothing acceptable).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", graph=False)
    'xml'
    >>> negotiate("*/*", graph=True)
    'turtle'
    """
    allowed = GRAPH_FORMATS if graph else TABLE_FORMATS
    default = "turtle" if graph else "json"
    if override:  # ``format=`` (also sent by SPARQLWrapper); unknown values fall back to Accept
        key = _ALIASES.get(override.lower(), override.lower())
        key = (_GRAPH_NAMES if graph else _TABLE_NAMES).get(key, key)
        if key in allowed:
            return key
    if not accept:
        return default
    for media, q in _media_types(accept):
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            return default
        key = _ALIASES.get(media)
        if key in allowed:
            return key
    return None


#: How long the store state that keys cached answers is trusted before it is looked at again.
STATE_CHECK_SECONDS = 0.05


class Endpoint:
    """Runs requests for the app: in worker processes for on-disk Oxigraph, else here.

    The workers answer from an in-memory copy of the store when ``config.in_memory`` and the
    server is read-only; with updates allowed they read the store on disk, so that each write
    is seen by the next query.
    """

    def __init__(self, graph, config: ServerConfig) -> None:
        self.graph = graph
        self.store = graph.store
        self.config = config
        self.pool: QueryPool | None = None
        if self.store.folder is not None:  # an on-disk store: answer from worker processes
            in_memory = config.answers_from_memory
            limits = {
                "workers": config.workers,
                "quick_workers": config.quick_workers,
                "quick_seconds": config.quick_seconds,
                "per_client": config.per_client,
                "max_waiting": config.max_waiting,
                "memory_limit": config.worker_memory,
            }
            try:
                self.pool = QueryPool(
                    self.store.folder,
                    in_memory=in_memory,
                    source=self.store,
                    load_in_background=in_memory and config.load_in_background,
                    **limits,
                )
            except (StoreError, QueryError) as e:
                if not in_memory:
                    raise
                # No room for the snapshot, say, or the copy could not load: serve from disk.
                log.warning("cannot answer from memory (%s): reading the store on disk instead", e)
                self.pool = QueryPool(self.store.folder, **limits)
        self._update_lock = threading.Lock()
        answers_from_memory = self.pool is not None and (self.pool.in_memory or self.pool.loading)
        self.cache = ResultCache(config.result_cache) if config.result_cache and answers_from_memory else None
        self._generation: int | None = None
        self._generation_until = 0.0  # time.monotonic() until which _generation is trusted

    def generation(self) -> int | None:
        """The pool generation (a store state) fresh answers come from when they may be
        cached (else None). The store's state file is looked at once per
        :data:`STATE_CHECK_SECONDS` at most (its ``stat`` was 6% of a cached answer): a change
        is seen that much later, on top of the reload that follows it, during which the older
        state's answers are served anyway."""
        if self.cache is None or self.pool is None:
            return None
        now = time.monotonic()
        if now >= self._generation_until:
            self._generation = self.pool.current_generation()
            self._generation_until = now + STATE_CHECK_SECONDS
        return self._generation

    def query(
        self,
        text: str,
        default_graphs: list[str],
        named_graphs: list[str],
        client: str | None = None,
        allow_service: bool = False,
    ):
        """Answer a query; ``allow_service`` once the caller checked the token and hosts."""
        options = self._options(default_graphs, named_graphs, allow_service)
        if self.pool is not None:  # killable worker processes
            return self.pool.execute(text, client=client, **options)
        return run_query(self.store, text, **options)

    async def query_async(
        self,
        text: str,
        default_graphs: list[str],
        named_graphs: list[str],
        client: str | None = None,
        allow_service: bool = False,
    ):
        """:meth:`query` from the event loop: short queries on worker processes are awaited
        without a thread hop (:meth:`QueryPool.execute_async`); the rest run in a thread."""
        import anyio.to_thread

        if self.pool is not None and _on_asyncio():
            options = self._options(default_graphs, named_graphs, allow_service)
            return await self.pool.execute_async(text, client=client, **options)
        return await anyio.to_thread.run_sync(
            self.query, text, default_graphs, named_graphs, client, allow_service
        )

    def _options(self, default_graphs: list[str], named_graphs: list[str], allow_service: bool) -> dict:
        """The limits and dataset a query runs with, for the pool or :func:`run_query`."""
        c = self.config
        return {
            "timeout": c.timeout,
            "limit": c.row_limit,
            "allow_service": allow_service,
            "default_graphs": default_graphs or None,
            "named_graphs": named_graphs or None,
        }

    def update(self, text: str, allow_load: bool = False) -> None:
        with self._update_lock:
            run_update(self.store, text, allow_load=allow_load)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


#: Functions whose answer changes from one run to the next: queries using them are not cached.
_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


class ResultCache:
    """Serialized answers of a read-only server that answers from an in-memory copy, keyed by
    the store state they were computed on and everything that shapes them (query text, format,
    default and named graphs). Bounded in bytes (least recently used go first); an answer
    larger than a sixteenth of the bound is not kept. Used from the event loop only.

    >>> cache = ResultCache(10_000)
    >>> cache.put(("state", "q"), (b"body", "text/csv", False))
    >>> cache.get(("state", "q"))
    (b'body', 'text/csv', False)
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[tuple, tuple[bytes, str, bool]] = OrderedDict()

    def get(self, key: tuple) -> tuple[bytes, str, bool] | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: tuple, value: tuple[bytes, str, bool]) -> None:
        cost = len(value[0]) + sum(len(str(k)) for k in key) + 200
        if cost > self.max_bytes // 16 or key in self._items:
            return
        self._items[key] = value
        self.size += cost
        while self.size > self.max_bytes:
            old_key, old = self._items.popitem(last=False)
            self.size -= len(old[0]) + sum(len(str(k)) for k in old_key) + 200


def cacheable(text: str, info) -> bool:
    """Whether the answer to ``text`` depends on the store alone (no SERVICE, no NOW() or
    RAND()...), so that it may be kept for its store state."""
    return not info.uses_service and not _volatile(text)


@cached_for_short_text
def _volatile(text: str) -> bool:
    """Whether ``text`` calls NOW(), RAND()... (remembered for short texts: the regular
    expression took 5% of a cached answer's time)."""
    return _VOLATILE.search(text) is not None


@cached_for_short_text
def _parse_query_string_remembered(query_string: str) -> dict[str, list[str]]:
    return parse_qs(query_string, keep_blank_values=True)


def _parse_query_string(query_string: str) -> dict[str, list[str]]:
    """The parameters of a URL's query string, as a new dict whose lists are shared with a
    cache (do not change them); remembered for short strings, which repeated GET lookups are."""
    return dict(_parse_query_string_remembered(query_string))


def _on_asyncio() -> bool:
    """Whether the running event loop is asyncio's (uvicorn's; not trio)."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def _failed(error: CareerKGError) -> PlainTextResponse:
    """The response for a query or update that failed: 403 refused, 503 stopped (timeout,
    memory) or busy (with Retry-After), 400 any other query error (syntax...), 500 the rest."""
    if isinstance(error, Refused):
        return _error(403, str(error))
    if isinstance(error, Overloaded):
        response = _error(503, str(error))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if isinstance(error, (Timeout, OutOfMemory)):
        return _error(503, str(error))
    if isinstance(error, QueryError):
        return _error(400, str(error))
    return _error(500, str(error))


#: After a body passed the limit, the rest is read and dropped for at most this long (so the
#: client, still sending, gets the 413 rather than a reset connection).
DRAIN_SECONDS = 5.0


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, read in chunks; _Bad(413) past ``limit`` bytes (never held)."""
    chunks: list[bytes] = []
    size = 0
    stream = request.stream()
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            break
        chunks.append(chunk)
    else:
        return b"".join(chunks)
    chunks.clear()
    give_up = time.monotonic() + DRAIN_SECONDS
    async for _ in stream:  # drop the rest, so that the client reads the answer
        if time.monotonic() > give_up:
            break
    raise _Bad(413, f"request body too large: the limit is {limit:,} bytes")


async def _read_request(request: Request, limit: int) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(query, update, all parameters) from a protocol request; raises _Bad on misuse."""
    # The raw query string, not request.url: building the URL object cost 8% of an answer.
    raw = request.scope.get("query_string", b"")
    if len(raw) > limit:
        raise _Bad(413, f"query string too large: the limit is {limit:,} bytes (send the query by POST)")
    params = _parse_query_string(raw.decode("utf-8", errors="replace"))
    if request.method == "GET":
        if "update" in params:
            raise _Bad(400, "updates must be sent with POST")
        return (params.get("query", [None])[0], None, params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = (await _read_body(request, limit)).decode("utf-8", errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body, keep_blank_values=True)
        for key, values in form.items():
            params[key] = [*params.get(key, []), *values]  # the remembered lists stay unchanged
        return (form.get("query", [None])[0], form.get("update", [None])[0], params)
    if content_type == "application/sparql-query":
        return (body, None, params)
    if content_type == "application/sparql-update":
        return (None, body, params)
    raise _Bad(
        415,
        f"unsupported Content-Type {content_type or '(none)'!r}: use "
        "application/sparql-query, application/sparql-update or a form",
    )


def _answer(body: bytes, media: str, truncated: bool) -> Response:
    headers = {"X-CareerKG-Truncated": "true"} if truncated else {}
    return Response(body, media_type=media, headers=headers)


class _Bad(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _remote_iris(text: str, update: bool) -> list[object]:
    """The IRIs (or variables) that the SERVICE clauses of a query, or the LOADs of an update,
    would fetch; raises _Bad(403) when the text cannot be read to find them."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate, traverse
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    from ..namespaces import PREFIXES

    found: list[object] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            found.append(node.get("term"))
        elif isinstance(node, CompValue) and node.name == "Load":
            found.append(node.get("iri"))

    try:
        if update:
            tree = translateUpdate(parseUpdate(text), initNs=PREFIXES).algebra
        else:
            tree = translateQuery(parseQuery(text), initNs=PREFIXES).algebra
        traverse(tree, visitPre=visit)
    except Exception as e:  # rdflib's grammar is not Oxigraph's: refuse what it cannot read
        raise _Bad(403, f"cannot check where this request's SERVICE or LOAD goes: {e}".splitlines()[0]) from e
    return found


def _check_remote(config: ServerConfig, text: str, update: bool) -> None:
    """Raise _Bad(403) unless every SERVICE / LOAD of ``text`` goes to an allowed host."""
    what = "LOAD" if update else "SERVICE"
    allowed = {h.lower() for h in config.service_hosts}
    iris = _remote_iris(text, update)
    if not iris:  # the lexer saw the keyword: a reading that finds none is not to be trusted
        raise _Bad(403, f"cannot find where this request's {what} goes")
    for iri in iris:
        parts = urlsplit(str(iri))
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise _Bad(403, f"{what} needs an http(s) IRI written out, not {iri}")
        with_port = f"{host}:{parts.port}" if parts.port else host
        if host not in allowed and with_port not in allowed:
            raise _Bad(403, f"{what} to {with_port} is refused: not among the allowed hosts (--service-host)")


def create_app(graph, config: ServerConfig | None = None) -> Starlette:
    """The ASGI app serving ``graph`` (a :class:`~careerkg.graph.CareerGraph`)."""
    import anyio.to_thread

    config = config or ServerConfig()
    endpoint = Endpoint(graph, config)

    def unauthorized() -> Response:
        return Response(
            "a valid update token is required (Authorization: Bearer <token>)\n",
            status_code=401,
            media_type="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="careerkg"'},
        )

    def has_token(request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        # as bytes: compare_digest refuses str holding non-ASCII characters (a header may)
        return bool(given and config.token and hmac.compare_digest(given.encode(), config.token.encode()))

    async def sparql(request: Request) -> Response:
        try:
            query, update, params = await _read_request(request, config.max_body)
        except _Bad as e:
            return _error(e.status, str(e))
        if query is not None and update is not None:
            return _error(400, "send either query= or update=, not both")
        if update is not None:
            return await _do_update(request, update)
        if not query:
            return _error(400, "missing the query parameter (query=...)")
        return await _do_query(request, query, params)

    async def _do_query(request: Request, query: str, params: dict[str, list[str]]) -> Response:
        info = analyse(query)
        if info.is_update:
            return _error(400, "this is a SPARQL Update: send it as update= or application/sparql-update")
        if info.uses_service and config.allow_service:  # else refused by the policy check (403)
            if not has_token(request):
                return unauthorized()
            try:  # rdflib parses it: off the event loop
                await anyio.to_thread.run_sync(_check_remote, config, query, False)
            except _Bad as e:
                return _error(e.status, str(e))
        fmt = negotiate(request.headers.get("accept"), info.returns_graph, params.get("format", [None])[0])
        if fmt is None:
            allowed = GRAPH_FORMATS if info.returns_graph else TABLE_FORMATS
            return _error(
                406, "no acceptable result format; this query can give: " + ", ".join(allowed.values())
            )
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        key = None
        if endpoint.cache is not None and cacheable(query, info):
            generation = endpoint.generation()
            if generation is not None:
                key = (generation, query, fmt, tuple(default_graphs), tuple(named_graphs))
                kept = endpoint.cache.get(key)
                if kept is not None:
                    return _answer(*kept)
        try:
            result = await endpoint.query_async(
                query,
                default_graphs,
                named_graphs,
                request.client.host if request.client else None,
                info.uses_service and config.allow_service,  # checked above
            )
            body = serialize(result, fmt)
        except CareerKGError as e:
            return _failed(e)
        media = (GRAPH_FORMATS if result.returns_graph else TABLE_FORMATS)[fmt]
        charset = "" if media.endswith("json") else "; charset=utf-8"
        body = body if isinstance(body, bytes) else body.encode("utf-8")
        answer = (body, media + charset, result.truncated)
        if key is not None and getattr(result, "generation", None) == key[0]:  # not from an older copy
            endpoint.cache.put(key, answer)
        return _answer(*answer)

    async def _do_update(request: Request, update: str) -> Response:
        if not config.allow_update:
            return _error(
                403,
                "SPARQL Update is disabled: this endpoint is read-only "
                "(start it with --allow-update to enable updates with a token)",
            )
        if not has_token(request):
            return unauthorized()
        loads = analyse(update).uses_load and config.allow_service  # else refused by the policy (403)
        try:
            if loads:
                await anyio.to_thread.run_sync(_check_remote, config, update, True)
            await anyio.to_thread.run_sync(endpoint.update, update, loads)
        except _Bad as e:
            return _error(e.status, str(e))
        except CareerKGError as e:
            return _failed(e)
        return Response(status_code=204)

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    async def examples(request: Request) -> Response:
        return JSONResponse([{"name": n, "question": q, "query": t} for n, q, t in example_queries()])

    async def prefixes(request: Request) -> Response:
        from ..namespaces import PREFIXES

        return JSONResponse(PREFIXES)

    routes: list[BaseRoute] = [
        Route("/", page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", sparql, methods=["GET", "POST"]),
        Route("/examples", examples, methods=["GET"]),
        Route("/prefixes", prefixes, methods=["GET"]),
        Route("/ui", lambda r: RedirectResponse("/"), methods=["GET"]),
        Mount("/static/sparql", app=StaticFiles(directory=STATIC), name="static"),
    ]
    explorer_pool = explorer_workers(graph)
    routes.append(
        Mount("/explore", routes=explorer_routes(graph, timeout=config.timeout, workers=explorer_pool or 0))
    )
    middleware = []
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=config.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept", "Authorization"],
            )
        )

    def close() -> None:
        endpoint.close()
        if explorer_pool is not None:
            explorer_pool.close()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.endpoint = endpoint
    app.state.close = close
    return app


def new_token() -> str:
    """A random update token."""
    return secrets.token_urlsafe(24)


def serve(
    graph,
    config: ServerConfig,
    host: str = "127.0.0.1",
    port: int = 8000,
    on_ready: Callable[[Endpoint], None] | None = None,
) -> None:
    """Run the server until interrupted; ``on_ready`` gets the endpoint once its workers are up."""
    import uvicorn

    app = create_app(graph, config)
    if on_ready is not None:
        on_ready(app.state.endpoint)
    try:
        uvicorn.run(
            app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=2
        )
    finally:
        app.state.close()

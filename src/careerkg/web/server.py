"""``careerkg serve``: a SPARQL 1.1 Protocol endpoint, a query page and the explorer.

An ASGI app (Starlette, run by uvicorn):

- ``GET/POST /sparql`` (also ``/query``): the SPARQL 1.1 Protocol. GET with ``query=``; POST
  ``application/x-www-form-urlencoded`` (``query=`` or ``update=``), ``application/sparql-query``
  or ``application/sparql-update``. ``default-graph-uri`` / ``named-graph-uri`` are honoured.
  Results are content-negotiated (``Accept``; ``format=`` overrides): SPARQL JSON/XML, CSV, TSV,
  Turtle, JSON-LD, N-Triples, RDF/XML.
- Read-only by default: updates answer 403 unless the server was started with an update token,
  and then need ``Authorization: Bearer <token>``. SERVICE and LOAD answer 403 unless enabled.
- Every query has a timeout (its worker process is killed: 503) and a row limit (the
  ``X-CareerKG-Truncated: true`` header says when it cut the result).
- ``/`` is an offline query page (no CDN), ``/examples`` the example queries as JSON,
  ``/explore`` the explorer when :mod:`careerkg.web.explorer` is installed.

Status codes: 200, 400 (bad query: a text/plain body naming line and column), 401 (bad token),
403 (refused), 405, 406 (no acceptable format), 415, 503 (timeout).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import CareerKGError, QueryError, StoreError
from ..sparql import (
    GRAPH_FORMATS,
    TABLE_FORMATS,
    Refused,
    Timeout,
    analyse,
    example_queries,
    run_query,
    run_update,
    serialize,
)
from ..store.pool import QueryPool

__all__ = ["ServerConfig", "create_app", "serve"]

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static" / "sparql"


@dataclass
class ServerConfig:
    """How the endpoint behaves. The defaults are the safe ones."""

    timeout: float = 30.0
    row_limit: int = 10_000
    update_token: str | None = None  # None: updates refused
    allow_service: bool = False  # SERVICE in queries and LOAD in updates
    cors_origins: list[str] = field(default_factory=list)
    workers: int = 2  # query worker processes (on-disk stores)
    in_memory: bool = True  # workers answer from an in-memory copy (read-only servers only)

    @property
    def allow_update(self) -> bool:
        return bool(self.update_token)

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
            try:
                self.pool = QueryPool(
                    self.store.folder, workers=config.workers, in_memory=in_memory, source=self.store
                )
            except (StoreError, QueryError) as e:
                if not in_memory:
                    raise
                # No room for the snapshot, say, or the copy could not load: serve from disk.
                log.warning("cannot answer from memory (%s): reading the store on disk instead", e)
                self.pool = QueryPool(self.store.folder, workers=config.workers)
        self._update_lock = threading.Lock()

    def query(self, text: str, default_graphs: list[str], named_graphs: list[str]):
        c = self.config
        options = {
            "timeout": c.timeout,
            "limit": c.row_limit,
            "allow_service": c.allow_service,
            "default_graphs": default_graphs or None,
            "named_graphs": named_graphs or None,
        }
        if self.pool is not None:  # killable worker processes
            return self.pool.execute(text, **options)
        return run_query(self.store, text, **options)

    def update(self, text: str) -> None:
        with self._update_lock:
            run_update(self.store, text, allow_load=self.config.allow_service)
            self.graph.invalidate()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def _failed(error: CareerKGError) -> PlainTextResponse:
    """The response for a query or update that failed: 403 refused, 503 stopped at the timeout,
    400 any other query error (syntax...), 500 anything else."""
    if isinstance(error, Refused):
        return _error(403, str(error))
    if isinstance(error, Timeout):
        return _error(503, str(error))
    if isinstance(error, QueryError):
        return _error(400, str(error))
    return _error(500, str(error))


async def _read_request(request: Request) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(query, update, all parameters) from a protocol request; raises _Bad on misuse."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        if "update" in params:
            raise _Bad(400, "updates must be sent with POST")
        return (params.get("query", [None])[0], None, params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = (await request.body()).decode("utf-8", errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body, keep_blank_values=True)
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
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


class _Bad(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def create_app(graph, config: ServerConfig | None = None) -> Starlette:
    """The ASGI app serving ``graph`` (a :class:`~careerkg.graph.CareerGraph`)."""
    import anyio.to_thread

    config = config or ServerConfig()
    endpoint = Endpoint(graph, config)

    async def sparql(request: Request) -> Response:
        try:
            query, update, params = await _read_request(request)
        except _Bad as e:
            return _error(e.status, str(e))
        if query is not None and update is not None:
            return _error(400, "send either query= or update=, not both")
        if update is not None:
            return await _do_update(request, update)
        if not query:
            return _error(400, "missing the query parameter (query=...)")
        info = analyse(query)
        if info.is_update:
            return _error(400, "this is a SPARQL Update: send it as update= or application/sparql-update")
        fmt = negotiate(request.headers.get("accept"), info.returns_graph, params.get("format", [None])[0])
        if fmt is None:
            allowed = GRAPH_FORMATS if info.returns_graph else TABLE_FORMATS
            return _error(
                406, "no acceptable result format; this query can give: " + ", ".join(allowed.values())
            )
        try:
            result = await anyio.to_thread.run_sync(
                endpoint.query,
                query,
                params.get("default-graph-uri", []),
                params.get("named-graph-uri", []),
            )
            body = serialize(result, fmt)
        except CareerKGError as e:
            return _failed(e)
        media = (GRAPH_FORMATS if result.returns_graph else TABLE_FORMATS)[fmt]
        charset = "" if media.endswith("json") else "; charset=utf-8"
        headers = {"X-CareerKG-Truncated": "true"} if result.truncated else {}
        return Response(body, media_type=media + charset, headers=headers)

    async def _do_update(request: Request, update: str) -> Response:
        if not config.allow_update:
            return _error(
                403,
                "SPARQL Update is disabled: this endpoint is read-only "
                "(start it with --allow-update to enable updates with a token)",
            )
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not given or not hmac.compare_digest(given, config.update_token or ""):
            return Response(
                "a valid update token is required (Authorization: Bearer <token>)\n",
                status_code=401,
                media_type="text/plain",
                headers={"WWW-Authenticate": 'Bearer realm="careerkg"'},
            )
        try:
            await anyio.to_thread.run_sync(endpoint.update, update)
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
    try:
        from .explorer import explorer_routes  # written by the explorer feature
    except ImportError:
        log.info("careerkg.web.explorer is not available: no /explore pages")
    else:
        routes.append(Mount("/explore", routes=explorer_routes(graph)))
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

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        endpoint.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.endpoint = endpoint
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
        app.state.endpoint.close()

"""Browser explorer pages, mounted at ``/explore`` by ``careerkg serve``.

Routes (relative to the mount point):

- ``/``                      search a career by any name (label, alt label, id, O*NET code), with
                             suggestions as you type (``explorer.js``)
- ``/view?c=NAME&depth=&kinds=``  the career's profile (definition, skills by type with importance,
  related careers with reasons, duties, industries, settings, and in a block of their own the
  matches ``careerkg suggest-matches`` predicted, each marked ``suggested``) next to its
  interactive graph; double-click (or "Expand") a node to fetch its neighbours, a path form, and
  a SPARQL link
- ``/path?from=A&to=B``      the cheapest transition path between two careers and the skill gap
                             (the same answer as ``careerkg path`` / ``careerkg gap``)
- ``/map``                   the whole graph: every career and skill on one WebGL map
                             (:mod:`careerkg.web.viz.mapview`); a career's details link to
                             its ``/view`` page
- ``/api/search?q=``         JSON: careers whose names contain ``q``, each with its ``source``
- ``/api/expand?node=IRI``   JSON: the node's direct neighbours (nodes and edges)
- ``/static/{file}``         vis-network, the map renderer, the picture export (PNG and SVG
                             buttons) and the page scripts and style (served, not inlined)

Views, paths and expansions are built in worker processes that are killed at the timeout and
replaced (:mod:`careerkg.web.workers`); a slow one answers 503 while the rest are served.

Every page is sent with a strict Content-Security-Policy header (:data:`CSP`: scripts from this
site only, none inline), so a label can never run as script even if escaping failed.

>>> from careerkg import CareerGraph
>>> from starlette.applications import Starlette
>>> from starlette.routing import Mount
>>> from starlette.testclient import TestClient
>>> kg = CareerGraph.open("oxigraph-memory")
>>> client = TestClient(Starlette(routes=[Mount("/explore", routes=explorer_routes(kg))]))
>>> client.get("/explore/api/search", params={"q": "ml engineer"}).json()[0]["label"]
'Machine Learning Engineer'
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import time
from collections.abc import Callable
from importlib import resources
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import anyio
import anyio.to_thread
from rdflib import URIRef
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ..errors import CareerKGError, NoPath, NotFound
from ..network.names import CareerIndex, normalize
from ..store import GraphStore
from ..store.cache import cache_for
from . import viz
from .viz.render import export_js, fill
from .workers import TooSlow, WorkerError, WorkerPool

__all__ = ["ExplorerGraph", "explorer_routes", "explorer_workers"]


class ExplorerGraph(Protocol):
    """What the explorer needs of a graph: :class:`careerkg.CareerGraph` has it.

    (A protocol, so this layer does not import the facade above it.)
    """

    @property
    def store(self) -> GraphStore: ...

    @property
    def index(self) -> CareerIndex: ...

    def resolve(self, name: str) -> URIRef: ...


_EXPAND_LIMIT = 300
_JS = "text/javascript; charset=utf-8"
_STATIC = {
    "viz.js": _JS,
    "export.js": _JS,
    "vis-network.min.js": _JS,
    "explorer.js": _JS,
    "explorer.css": "text/css; charset=utf-8",
    "map.js": _JS,
    "map.css": "text/css; charset=utf-8",
}

_FILES = resources.files("careerkg.web").joinpath("static", "explorer")
_PAGE = _FILES.joinpath("page.html")

#: The Content-Security-Policy of every explorer page: no inline script, nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}

#: How each source is named on the page, by the prefix of a node's short id.
SOURCES = {"career:": "careerkg", "onet:": "O*NET", "esco:": "ESCO"}


def source_of(short: str) -> str:
    """The source a career comes from, by its short id.

    >>> source_of("onet:15-1252.00"), source_of("career:data-scientist")
    ('O*NET', 'careerkg')
    """
    return next((name for prefix, name in SOURCES.items() if short.startswith(prefix)), "other")


def _base(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


def _message_page(request: Request, title: str, body: str, q: str = "", status: int = 200) -> HTMLResponse:
    values = {
        "title": html.escape(title),
        "base": html.escape(_base(request)),
        "q": html.escape(q),
        "body": body,
    }
    page = fill(_PAGE.read_text(encoding="utf-8"), values)
    return HTMLResponse(page, status_code=status, headers=_HEADERS)


def _explorer_payload(request: Request) -> dict[str, Any]:
    return {"explorer": {"base": _base(request), "sparql": "/"}}


#: Seconds the whole-graph map may take (at least): its first build lays out the whole graph
#: (seconds on a full store), then it is read from the store's cache.
MAP_TIMEOUT = 120.0

#: The explorer's deepest neighbourhood (a depth-3 view of a busy career is most of the graph).
MAX_DEPTH = 2


#: Test only: a career name whose view, path or expansion spins (burning CPU) for a minute, so
#: the tests can watch a runaway computation be stopped. Read in the worker; never set it in use.
SLOW_ENV = "CAREERKG_TEST_SLOW_VIEW"


def _test_hook(*names: str) -> None:
    slow = os.environ.get(SLOW_ENV)
    if slow and slow in names:
        end = time.monotonic() + 60
        while time.monotonic() < end:  # a busy loop: a runaway view, not a quiet wait
            pass


def _profile_of(graph: ExplorerGraph, iri: str) -> dict[str, Any] | None:
    """The career's profile for the page: skills grouped by type with their importance."""
    from ..network.profile import career_profile
    from ..network.views import views_for

    info = viz.node_info(graph.store, [iri]).get(iri)
    if info is None or info["kind"] != "career":
        return None
    p = career_profile(graph.store, URIRef(iri))
    cs = views_for(graph.store).career_skill()
    edges = cs._adj.get(iri, {}) if iri in cs else {}
    groups: dict[str, list[dict[str, Any]]] = {}
    for k in p.skills:
        e = edges.get(k.iri, {})
        groups.setdefault(k.type, []).append(
            {
                "id": viz.short_id(k.iri),
                "label": k.label,
                "need": "essential" if k.essential else "optional",
                "weight": e.get("weight"),
            }
        )
    for items in groups.values():
        items.sort(key=lambda x: (-(x["weight"] or 0), x["need"] != "essential", x["label"].casefold()))

    def named(items: Any) -> list[dict[str, Any]]:
        return [{"id": viz.short_id(n.iri), "iri": n.iri, "label": n.label} for n in items]

    # Suggested matches (careerkg suggest-matches): predictions, never the official crosswalk.
    # Each keeps its status "suggested"; ``career`` says whether the occupation has a page here.
    in_store = viz.node_info(graph.store, sorted({m.iri for m in p.suggested})) if p.suggested else {}
    suggested = [
        {
            "status": m.status,
            "taxonomy": m.taxonomy,
            "rank": m.rank,
            "id": viz.short_id(m.iri),
            "iri": m.iri,
            "label": m.label,
            "confidence": m.confidence,
            "evidence": m.method.split(": ", 1)[-1],
            "career": in_store.get(m.iri, {}).get("kind") in ("career", "specialization"),
        }
        for m in p.suggested
    ]

    return {
        "label": p.label,
        "definition": p.definition,
        "alt_labels": p.alt_labels[:12],
        "source": source_of(viz.short_id(iri)),
        "codes": p.codes,
        "parent": named([p.parent])[0] if p.parent else None,
        "specializations": named(p.specializations),
        "skills": groups,
        "related": [{**named([r])[0], "reason": r.reason} for r in p.related],
        "collaborates_with": named(p.collaborates_with),
        "listed_with": named(p.listed_with),
        "duties": [{"label": d.label, "skills": list(d.skills)} for d in p.duties],
        "industries": named(p.industries),
        "work_settings": named(p.work_settings),
        "suggested": suggested,
    }


# The computations, each run in a worker process (or, for a store that is not on disk, in a
# thread): module-level, so that a worker is sent them by name.


def _view_task(
    graph: ExplorerGraph, name: str, depth: int, kinds: str | None
) -> tuple[viz.GraphView, dict[str, Any] | None]:
    _test_hook(name)
    career = graph.resolve(name)
    v = viz.neighbourhood_view(
        graph.store, career, depth=max(0, min(depth, MAX_DEPTH)), kinds=[kinds] if kinds else None
    )
    focus = v.focus_node
    return v, (_profile_of(graph, focus["iri"]) if focus else None)


def _path_task(graph: ExplorerGraph, a: str, b: str) -> viz.GraphView:
    _test_hook(a, b)
    return viz.path_view(graph.store, graph.resolve(a), graph.resolve(b))


def _expand_task(graph: ExplorerGraph, node: str) -> viz.GraphView:
    _test_hook(node)
    return viz.neighbourhood_view(graph.store, viz.expand_id(node), depth=1, limit=_EXPAND_LIMIT)


def _map_task(graph: ExplorerGraph, asset_base: str, view_url: str) -> str:
    """The whole-graph page, kept in memory in the store's one cache for its state (the map
    itself is cached on disk there; rendering its ~5 MB page takes half a second)."""
    from .viz.mapview import career_map

    digest = hashlib.sha1(f"{asset_base}\n{view_url}".encode()).hexdigest()[:12]
    return cache_for(graph.store).get(
        f"viz-map-page-{digest}",
        lambda: career_map(graph.store).html(asset_base=asset_base, view_url=view_url),
        persist=False,
    )


def _warm(graph: ExplorerGraph) -> None:
    """Read what every view needs (from the store's cache) before a worker takes work."""
    from ..network.views import views_for
    from .viz.reads import link_index

    _ = graph.index
    link_index(graph.store)
    views = views_for(graph.store)
    views.career_skill()
    views.career_career()


def explorer_workers(
    graph: ExplorerGraph, workers: int = 2, worker_memory: int | None = 2 * 2**30
) -> WorkerPool | None:
    """The worker processes :func:`explorer_routes` builds views in, for a store on disk
    (``None`` for one in memory or remote, or ``workers=0``). Whoever makes the pool closes it:
    the SPARQL server does so when it shuts down.

    >>> from careerkg import CareerGraph
    >>> explorer_workers(CareerGraph.open("memory")) is None  # no folder: threads instead
    True
    """
    if graph.store.folder is None or workers <= 0:
        return None
    return WorkerPool(graph.store.folder, workers, warm=_warm, memory_limit=worker_memory)


def explorer_routes(
    graph: ExplorerGraph,
    *,
    timeout: float = 10.0,
    workers: int | WorkerPool = 2,
    worker_memory: int | None = 2 * 2**30,
) -> list[BaseRoute]:
    """The explorer's routes, to mount (e.g. ``Mount("/explore", routes=explorer_routes(kg))``).

    Views, paths and expansions are built in ``workers`` worker processes
    (:class:`~careerkg.web.workers.WorkerPool`, started now, in the background), never on the
    event loop, each bounded in depth and size and given ``timeout`` seconds: past it the
    worker is killed and replaced and the request answers 503 while every other request is
    served. Each worker may grow by ``worker_memory`` bytes once warm. ``workers`` may be a
    pool of your own (on the same store). A store that is not on disk (in memory, remote)
    cannot be opened by another process: its views are built in threads, two at a time, and a
    view past its timeout answers 503 but runs on to its end.
    """
    pool = workers if isinstance(workers, WorkerPool) else explorer_workers(graph, workers, worker_memory)
    limiter = anyio.CapacityLimiter(2)

    async def off_loop(function: Callable[..., Any], *args: Any, seconds: float | None = None) -> Any:
        limit = seconds or timeout
        if pool is not None:
            return await pool.run_async(function, *args, timeout=limit)
        try:
            with anyio.fail_after(limit):
                return await anyio.to_thread.run_sync(
                    functools.partial(function, graph, *args), limiter=limiter, abandon_on_cancel=True
                )
        except TimeoutError as e:
            raise TooSlow(f"this view took longer than {limit:g} s; try a smaller depth") from e

    def too_slow(request: Request, error: TooSlow | WorkerError) -> Response:
        return _message_page(request, "Too slow", f'<p class="err">{html.escape(str(error))}</p>', status=503)

    def search_names(q: str, n: int = 25) -> list[dict[str, str]]:
        key = normalize(q)
        if not key:
            return []
        index = graph.index
        hits: dict[str, int] = {}
        for name, careers in index.by_name.items():
            if key in name:
                rank = 0 if name == key else (1 if name.startswith(key) else 2)
                for c in careers:
                    hits[str(c)] = min(hits.get(str(c), 9), rank)
        try:
            exact = str(graph.resolve(q))
            hits[exact] = -1
        except NotFound:
            pass
        if not hits:
            return []
        rows = viz.node_info(graph.store, sorted(hits))

        def order(c: str) -> tuple[int, int, int, str]:
            # A career whose own label starts with the text beats one matched by another name.
            label = rows.get(c, {}).get("label", c)
            own = normalize(label).startswith(key)
            return (min(hits[c], 0 if own else 9), not own, len(label), label.casefold())

        ranked = sorted(hits, key=order)[:n]
        return [
            {
                "iri": c,
                "id": viz.short_id(c),
                "label": rows.get(c, {}).get("label", c),
                "source": source_of(viz.short_id(c)),
            }
            for c in ranked
        ]

    async def home(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        if not q:
            return _message_page(
                request,
                "Search",
                "<p>Type any name of a career: a title, an "
                "alternative title, an id or an O*NET-SOC code.</p>",
            )
        hits = search_names(q)
        if not hits:
            suggestions = graph.index.suggest(normalize(q))
            extra = ""
            if suggestions:
                links = ", ".join(
                    f'<a href="{html.escape(_base(request))}/?{urlencode({"q": s})}">{html.escape(s)}</a>'
                    for s in suggestions
                )
                extra = f" Did you mean {links}?"
            return _message_page(
                request,
                "No match",
                f'<p class="err">No career named {html.escape(repr(q))}.{extra}</p>',
                q,
                status=404,
            )
        items = "".join(
            f'<li><a href="{html.escape(_base(request))}/view?c={quote(h["iri"], safe="")}">'
            f"{html.escape(h['label'])}</a> "
            f'<span class="ckg-source">{html.escape(h["source"])}</span> '
            f"<small>{html.escape(h['id'])}</small></li>"
            for h in hits
        )
        return _message_page(request, f"Careers matching {q}", f'<ul id="results">{items}</ul>', q)

    async def view(request: Request) -> Response:
        name = request.query_params.get("c", "").strip()
        if not name:
            return RedirectResponse(_base(request) + "/")
        try:
            depth = int(request.query_params.get("depth", "1"))
            kinds = request.query_params.get("kinds") or None
            v, profile = await off_loop(_view_task, name, depth, kinds)
        except (TooSlow, WorkerError) as e:
            return too_slow(request, e)
        except ValueError:
            return _message_page(
                request, "Bad request", '<p class="err">depth must be a number</p>', status=400
            )
        except CareerKGError as e:
            return _message_page(
                request,
                "Not found",
                f'<p class="err">{html.escape(str(e))}</p>',
                name,
                status=404 if isinstance(e, NotFound) else 400,
            )
        v.extra.update(_explorer_payload(request))
        if profile is not None:
            v.extra["profile"] = profile
        return HTMLResponse(v.html(asset_base=_base(request) + "/static"), headers=_HEADERS)

    async def path(request: Request) -> Response:
        a = request.query_params.get("from", "").strip()
        b = request.query_params.get("to", "").strip()
        if not a or not b:
            return _message_page(
                request, "Path", '<p class="err">Give two careers: from and to.</p>', status=400
            )
        try:
            v = await off_loop(_path_task, a, b)
        except (TooSlow, WorkerError) as e:
            return too_slow(request, e)
        except CareerKGError as e:
            missing = isinstance(e, NotFound | NoPath)
            return _message_page(
                request,
                "Not found" if missing else "Bad request",
                f'<p class="err">{html.escape(str(e))}</p>',
                status=404 if missing else 400,
            )
        v.extra.update(_explorer_payload(request))
        return HTMLResponse(v.html(asset_base=_base(request) + "/static"), headers=_HEADERS)

    async def whole_map(request: Request) -> Response:
        base = _base(request)
        try:
            page = await off_loop(
                _map_task, base + "/static", base + "/view?c=", seconds=max(timeout, MAP_TIMEOUT)
            )
        except (TooSlow, WorkerError) as e:
            return too_slow(request, e)
        return HTMLResponse(page, headers=_HEADERS)

    async def api_search(request: Request) -> Response:
        return JSONResponse(search_names(request.query_params.get("q", "")))

    async def api_expand(request: Request) -> Response:
        node = request.query_params.get("node", "").strip()
        try:
            v = await off_loop(_expand_task, node)
        except (TooSlow, WorkerError) as e:
            return JSONResponse({"error": str(e)}, status_code=503)
        except CareerKGError as e:
            status = 404 if isinstance(e, NotFound) else 400
            return JSONResponse({"error": str(e)}, status_code=status)
        payload = v.payload()
        return JSONResponse({"nodes": payload["nodes"], "edges": payload["edges"], "notice": v.notice})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return Response("not found", status_code=404, media_type="text/plain")
        if name == "vis-network.min.js":
            body = viz.vis_network_js()
        elif name == "export.js":
            body = export_js()
        elif name.startswith("explorer."):
            body = _FILES.joinpath(name).read_text(encoding="utf-8")
        elif name.startswith("map."):
            from .viz.mapview import map_asset

            body = map_asset(name)
        else:
            body = viz.asset(name)
        return Response(body, media_type=_STATIC[name], headers={"Cache-Control": "max-age=3600"})

    return [
        Route("/", home, name="explore_home"),
        Route("/view", view, name="explore_view"),
        Route("/path", path, name="explore_path"),
        Route("/map", whole_map, name="explore_map"),
        Route("/api/search", api_search, name="explore_search"),
        Route("/api/expand", api_expand, name="explore_expand"),
        Route("/static/{name}", static, name="explore_static"),
    ]

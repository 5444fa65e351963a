"""A GraphStore living in a remote SPARQL 1.1 store (Oxigraph server, Fuseki, Virtuoso, GraphDB).

``--store`` takes the query endpoint URL. The update endpoint and the Graph Store Protocol
endpoint are guessed from it (``.../query`` gives ``.../update`` and ``.../store``, Oxigraph's
layout) or given in the URL fragment::

    http://127.0.0.1:7878/query
    http://localhost:3030/careers/query#update=http://localhost:3030/careers/update&gsp=http://localhost:3030/careers/data
    http://localhost:8890/sparql#update=http://localhost:8890/sparql&gsp=http://localhost:8890/sparql-graph-crud

Queries must see the union of the named graphs as their default graph: start Oxigraph with
``--union-default-graph``, set ``tdb2:unionDefaultGraph true`` in Fuseki; Virtuoso and GraphDB do
it by default. Named graphs are replaced with one Graph Store Protocol ``PUT`` (atomic on the
server; big N-Triples files are streamed from disk); without a GSP endpoint, with one update.

Queries are sent as an HTML form (``query=...``), the one way of POSTing a query every engine
takes (Virtuoso 7.2 never answers a POSTed ``application/sparql-query`` body). A Virtuoso
server is recognised by its ``Server`` header (or named with ``virtuoso+http://...``) and
answered through :class:`careerkg.store.virtuoso.VirtuosoStore`, which handles its dialect;
docs/scale.md lists the differences.
"""

from __future__ import annotations

import http.client
import importlib
import io
import json
import logging
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from .base import GraphStore

__all__ = ["RemoteStore", "open_remote", "parse_remote_spec"]

log = logging.getLogger(__name__)

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def parse_remote_spec(spec: str) -> tuple[str, str | None, str | None]:
    """(query URL, update URL, Graph Store Protocol URL) from a ``--store`` value.

    >>> parse_remote_spec("http://127.0.0.1:7878/query")
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> parse_remote_spec("http://h/sparql#update=http://h/sparql&gsp=")
    ('http://h/sparql', 'http://h/sparql', None)
    """
    base, _, fragment = spec.partition("#")
    options = urllib.parse.parse_qs(fragment, keep_blank_values=True) if fragment else {}
    update: str | None
    gsp: str | None
    if base.endswith("/query"):
        root = base[: -len("/query")]
        update, gsp = root + "/update", root + "/store"
    else:
        update, gsp = base, None
    if "update" in options:
        update = options["update"][0] or None
    if "gsp" in options:
        gsp = options["gsp"][0] or None
    return base, update, gsp


class RemoteStore(GraphStore):
    """A remote SPARQL 1.1 store reached over HTTP (see the module documentation)."""

    kind = "remote"

    def __init__(self, spec: str, *, read_only: bool = False, timeout: float = 300.0) -> None:
        self.query_url, self.update_url, self.gsp_url = parse_remote_spec(spec)
        self.location = self.query_url
        self.read_only = read_only
        self.timeout = timeout
        self._dataset: Dataset | None = None
        self._local = threading.local()  # each thread's kept-alive connections

    # -- HTTP ----------------------------------------------------------------------------

    def _send(self, url: str, method: str, body, headers: dict[str, str], what: str) -> bytes:
        """Send one request on this thread's kept-alive connection to the server (a new one
        when the server closed it: a request is retried once only if nothing of it was sent
        on a reused connection, so no update is sent twice)."""
        parts = urllib.parse.urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = (parts.scheme, parts.netloc)
        for attempt in (0, 1):
            conn, reused = self._connection(key, parts)
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                self._drop(key)
                if reused and attempt == 0 and (body is None or isinstance(body, bytes)):
                    continue  # the server closed an idle kept-alive connection
                raise StoreError(f"cannot reach the SPARQL store at {url}: {e}") from e
            except (OSError, http.client.HTTPException) as e:
                self._drop(key)
                reason = e if str(e) else type(e).__name__
                raise StoreError(f"cannot reach the SPARQL store at {url}: {reason}") from e
            if response.will_close:
                self._drop(key)
            if response.status >= 400:
                detail = data.decode("utf-8", errors="replace").strip().splitlines()
                message = detail[0] if detail else response.reason
                if response.status == 400:
                    raise QueryError(f"{what} rejected by {url}: {message}")
                raise StoreError(f"{what} failed at {url}: HTTP {response.status}: {message}")
            if 300 <= response.status < 400:
                raise StoreError(
                    f"{what} failed at {url}: HTTP {response.status} (a redirect) to "
                    f"{response.getheader('Location')}: give that URL as --store"
                )
            return data
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(self, key: tuple[str, str], parts) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's connection to ``key`` (scheme, host:port), and whether it was used before."""
        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        conn = conns.get(key)
        if conn is not None:
            return conn, True
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(parts.netloc, timeout=self.timeout)
        elif parts.scheme == "http":
            conn = http.client.HTTPConnection(parts.netloc, timeout=self.timeout)
        else:
            raise StoreError(f"cannot reach the SPARQL store at {parts.geturl()}: not an http(s) URL")
        conns[key] = conn
        return conn, False

    def _drop(self, key: tuple[str, str]) -> None:
        conn = getattr(self._local, "conns", {}).pop(key, None)
        if conn is not None:
            conn.close()

    def _prologue(self, sparql: str) -> str:
        """What goes before the query or update ``sparql``: the project prefixes (an engine's
        dialect may add pragmas)."""
        return _PROLOGUE

    def _ask_server(self, sparql: str, accept: str, what: str = "query") -> bytes:
        """POST a query as an HTML form (the protocol's form every engine takes)."""
        body = urllib.parse.urlencode({"query": self._prologue(sparql) + sparql}).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self._send(self.query_url, "POST", body, headers, what)

    def _select(self, sparql: str) -> dict:
        return json.loads(self._ask_server(sparql, "application/sparql-results+json"))

    # -- reading -------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        from ..sparql import analyse, bind_values

        text = bind_values(sparql, bindings or {})
        graph = analyse(text).returns_graph
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        data = self._ask_server(text, accept)
        if graph:
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=data.decode("utf-8"), format="nt")
            return result
        return Result.parse(io.BytesIO(data), format="json")

    def graphs(self) -> list[URIRef]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(URIRef(b["g"]["value"]) for b in rows["results"]["bindings"] if b["g"]["type"] == "uri")

    def has_graph(self, graph: URIRef) -> bool:
        rows = self._select(f"ASK {{ GRAPH {ox.NamedNode(str(graph))} {{ ?s ?p ?o }} }}")
        return bool(rows.get("boolean"))

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            sparql = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(str(graph))} {{ ?s ?p ?o }} }}"
        rows = self._select(sparql)
        return int(rows["results"]["bindings"][0]["n"]["value"])

    def dump(self, path: Path, graph: URIRef | None = None) -> None:
        names = [graph] if graph is not None else self.graphs()
        with open(path, "wb") as out:
            for name in names:
                data = self._ask_server(_construct_graph(name), "application/n-triples", "dump")
                if graph is not None:
                    out.write(data)
                    continue
                for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                    quad = ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(str(name)))
                    out.write(f"{quad} .\n".encode())

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

            store = SPARQLUpdateStore(self.query_url, self.update_url or self.query_url, returnFormat="json")
            self._dataset = Dataset(store=store, default_union=True)
            for prefix, ns in PREFIXES.items():
                self._dataset.bind(prefix, ns)
        return self._dataset

    # -- writing -------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")
        if not self.update_url and not self.gsp_url:
            raise StoreError(f"{self.query_url}: no update or Graph Store endpoint is configured")

    def update(self, sparql: str) -> None:
        self._check_writable()
        if not self.update_url:
            raise StoreError(f"{self.query_url}: no SPARQL Update endpoint is configured")
        self._send(
            self.update_url,
            "POST",
            (self._prologue(sparql) + sparql).encode("utf-8"),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
            "update",
        )
        self._changed()

    def drop_graph(self, graph: URIRef) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(str(graph))}")

    def replace_graph(self, graph: URIRef, data: Graph | Path) -> int:
        self._check_writable()
        target = ox.NamedNode(str(graph))  # validates the IRI
        with tempfile.TemporaryDirectory(prefix="careerkg-put-") as scratch:
            body, size, count = self._payload(data, Path(scratch))
            self._put(graph, target, body, size)
        self._changed()
        log.info("replaced %s at %s with %d triples", graph, self.location, count)
        return count

    def _payload(self, data: Graph | Path, scratch: Path) -> tuple[bytes | io.BufferedReader, int, int]:
        """(N-Triples body, its size, its triples) for :meth:`replace_graph`; a file is checked
        whole before anything is sent. ``scratch``: room for a rewritten copy (engines' use)."""
        if isinstance(data, Graph):
            body = data.serialize(format="nt", encoding="utf-8")
            return body, len(body), len(data)
        path = Path(data)
        try:
            size = path.stat().st_size
            count = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
        except (OSError, SyntaxError, ValueError) as e:
            raise StoreError(f"{path}: cannot load N-Triples, store unchanged: {e}") from e
        return open(path, "rb"), size, count

    def _put(self, graph: URIRef, target: ox.NamedNode, body: bytes | io.BufferedReader, size: int) -> None:
        try:
            if self.gsp_url:
                url = self.gsp_url + "?" + urllib.parse.urlencode({"graph": target.value})
                self._send(
                    url,
                    "PUT",
                    body,
                    {"Content-Type": "application/n-triples", "Content-Length": str(size)},
                    f"loading {graph}",
                )
            else:
                text = body if isinstance(body, bytes) else body.read()
                self._send(
                    self.update_url or "",
                    "POST",
                    b"DROP SILENT GRAPH "
                    + str(target).encode()
                    + b" ; INSERT DATA { GRAPH "
                    + str(target).encode()
                    + b" { "
                    + text
                    + b" } }",
                    {"Content-Type": "application/sparql-update; charset=utf-8"},
                    f"loading {graph}",
                )
        finally:
            if not isinstance(body, bytes):
                body.close()


def _construct_graph(name: URIRef) -> str:
    target = ox.NamedNode(str(name))
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}"


#: Engines with a dialect of their own: the start of their ``Server`` header -> the
#: ``"module:class"`` (a :class:`RemoteStore`) that speaks it, imported when one is met.
ENGINES = {"Virtuoso/": "careerkg.store.virtuoso:VirtuosoStore"}


def open_remote(spec: str, read_only: bool) -> GraphStore:
    """The store kind registered for ``http(s)://`` specs (see :func:`careerkg.store.open_store`):
    the engine's own dialect when the server names itself (one ``ASK {}``), else plain SPARQL 1.1."""
    software = _server_software(spec)
    for name, store_class in ENGINES.items():
        if software.startswith(name):
            module, _, attribute = store_class.partition(":")
            return getattr(importlib.import_module(module), attribute)(spec, read_only=read_only)
    return RemoteStore(spec, read_only=read_only)


def _server_software(spec: str) -> str:
    """The ``Server`` header the endpoint answers with; "" when it cannot be asked (the store's
    first real request then reports why)."""
    url = spec.partition("#")[0] + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.headers.get("Server", "")
    except (urllib.error.URLError, OSError, ValueError):
        return ""

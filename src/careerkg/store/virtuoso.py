"""A remote store on an OpenLink Virtuoso server (tested with Virtuoso Open Source 7.2): the
generic SPARQL 1.1 store (:class:`~careerkg.store.remote.RemoteStore`) with Virtuoso's dialect
handled. ``--store`` takes the ``/sparql`` endpoint; ``virtuoso+http://host:8890/sparql`` names
the engine without asking the server, a plain ``http://`` URL is recognised by the server's
``Server: Virtuoso/...`` header. The Graph Store endpoint defaults to ``/sparql-graph-crud``.

What differs from the SPARQL 1.1 that careerkg's queries assume (docs/scale.md says more):

- Virtuoso's own graphs (its RDF views' metadata, LDP, the endpoint's description: about
  2,500 triples on a fresh server) are part of the union default graph and of ``GRAPH ?g``.
  :meth:`VirtuosoStore.graphs` and :meth:`VirtuosoStore.count` leave them out; careerkg's own
  queries name careerkg's terms, which those graphs never use, so they answer the same. A
  user's ``SELECT * { ?s ?p ?o }`` does see them. Virtuoso's pragmas for this
  (``define input:default-graph-exclude`` / ``named-graph-exclude``) are not used: in 7.2.5
  they make every ``ASK`` true, ``GRAPH <g> { ... }`` match one row, and (the named one) the
  default graph empty.
- An ``INSERT DATA`` of more than about 5,000 triples fails ("SP030: SPARQL compiler ...
  memory exhausted"): without a Graph Store endpoint (``#gsp=``) a graph is replaced by one
  request holding a ``DROP`` and ``INSERT DATA`` blocks of :data:`INSERT_BATCH` triples.
- Virtuoso keeps RDF 1.0's two string literals apart: ``"x"`` and ``"x"^^xsd:string`` are
  different terms, do not join, and are counted twice. RDF 1.1 (and Oxigraph) make them one.
  Every literal typed ``xsd:string`` is written as a plain literal on its way in.
- A query POSTed as ``application/sparql-query`` is never answered (7.2.5): queries go as a form.
- The anonymous ``SPARQL`` user may not update until granted ``SPARQL_UPDATE`` (tests/local_servers.py
  shows the grants); ``[SPARQL] ResultSetMaxRows`` silently truncates results (10,000 rows in
  the packaged virtuoso.ini) and ``MaxQueryExecutionTime`` returns partial "anytime" results:
  set the first above the largest answer and the second to 0.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from rdflib import Graph, URIRef

from .remote import RemoteStore

__all__ = ["SYSTEM_GRAPHS", "VirtuosoStore", "open_virtuoso", "plain_strings"]

PREFIX = "virtuoso+"

#: Graphs a Virtuoso 7.2 server holds for itself, left out of :meth:`VirtuosoStore.graphs`.
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
    "http://www.w3.org/2002/07/owl#",
)

_NOT_SYSTEM = "FILTER (?g NOT IN (" + ", ".join(f"<{g}>" for g in SYSTEM_GRAPHS) + "))"

#: Triples per INSERT DATA when a graph is replaced by SPARQL Update (Virtuoso 7.2.5 fails
#: at about 5,000 in one block).
INSERT_BATCH = 2_000

# An N-Triples line whose object is typed xsd:string: the datatype ends the line (an object is
# the last term, and a literal cannot hold a raw line break), so this never matches inside one.
_TYPED_STRING = re.compile(rb'"\^\^<http://www\.w3\.org/2001/XMLSchema#string>(\s*\.\s*)$')


def plain_strings(line: bytes) -> bytes:
    """An N-Triples line with an ``xsd:string`` object written as the plain literal it equals.

    >>> plain_strings(b'<urn:a> <urn:p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .')
    b'<urn:a> <urn:p> "x" .'
    """
    return _TYPED_STRING.sub(rb'"\1', line)


class VirtuosoStore(RemoteStore):
    """A Virtuoso server's SPARQL endpoint as a careerkg store (see the module documentation)."""

    kind = "virtuoso"

    def __init__(self, spec: str, *, read_only: bool = False, timeout: float = 300.0) -> None:
        spec = spec.removeprefix(PREFIX)
        super().__init__(spec, read_only=read_only, timeout=timeout)
        base, _, fragment = spec.partition("#")
        if "gsp=" not in fragment and base.endswith("/sparql"):
            self.gsp_url = base + "-graph-crud"
        if "update=" not in fragment:
            self.update_url = base
        self.query_url = base
        self.location = base

    def graphs(self) -> list[URIRef]:
        return [g for g in super().graphs() if str(g) not in SYSTEM_GRAPHS]

    def count(self, graph: URIRef | None = None) -> int:
        if graph is not None:
            return super().count(graph)
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_SYSTEM} }}")
        return int(rows["results"]["bindings"][0]["n"]["value"])

    def _payload(self, data: Graph | Path, scratch: Path) -> tuple[bytes | io.BufferedReader, int, int]:
        body, _, count = super()._payload(data, scratch)
        if isinstance(body, bytes):
            lines = body.splitlines(keepends=True)
            body = b"".join(plain_strings(line) for line in lines)
            return body, len(body), count
        copy = scratch / "graph.nt"
        with body, open(copy, "wb") as out:
            for line in body:
                out.write(plain_strings(line))
        return open(copy, "rb"), copy.stat().st_size, count

    def _put(self, graph: URIRef, target, body: bytes | io.BufferedReader, size: int) -> None:
        if self.gsp_url:
            super()._put(graph, target, body, size)
            return
        # Without the Graph Store Protocol: one update request, as elsewhere, but Virtuoso's
        # SPARQL compiler runs out of parser stack on an INSERT DATA of about 5,000 triples
        # ("SP030 ... memory exhausted"), so the triples go in blocks of INSERT_BATCH.
        if not isinstance(body, bytes):
            with body:
                body = body.read()
        lines = body.splitlines()
        name = str(target).encode()
        operations = [b"DROP SILENT GRAPH " + name]
        for i in range(0, len(lines), INSERT_BATCH):
            block = b"\n".join(lines[i : i + INSERT_BATCH])
            operations.append(b"INSERT DATA { GRAPH " + name + b" {\n" + block + b"\n} }")
        self._send(
            self.update_url or self.query_url,
            "POST",
            b" ;\n".join(operations),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
            f"loading {graph}",
        )


def open_virtuoso(spec: str, read_only: bool) -> VirtuosoStore:
    """The store kind registered for ``virtuoso+http(s)://`` specs."""
    return VirtuosoStore(spec, read_only=read_only)

"""Run SPARQL against any careerkg store: prefixes pre-bound, parameters bound as RDF terms,
results in the standard formats, syntax errors located by line and column, real timeouts.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> result = run_query(kg.store, "SELECT ?l WHERE { ?c skos:prefLabel ?l }",
...                    {"c": kg.resolve("ml engineer")})
>>> result.values()
[('Machine Learning Engineer',)]
>>> serialize(result, "csv").decode().splitlines()
['l', 'Machine Learning Engineer']

Parameters are never formatted into the query text by hand: each value is first made an RDF
term (validated by Oxigraph's term constructors, so an IRI cannot contain ``>`` and a literal is
escaped) and bound in a ``VALUES`` block placed at the start of the ``WHERE`` group, which works
whether or not the variable is projected. rdflib's memory store gets them as ``initBindings``.

Timeouts: rows are pulled lazily and the deadline is checked between rows. A query that does
all its work before the first row (``COUNT`` over a cartesian product, ``ORDER BY``) cannot be
interrupted inside Oxigraph, which has no cancel; :class:`careerkg.store.pool.QueryPool` therefore runs
queries in worker processes that are killed at the deadline (the server uses it), and the CLI exits.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError
from ..namespaces import PREFIXES
from ..resources import examples_dir

__all__ = [
    "CACHED_TEXT_LIMIT",
    "FORMATS",
    "GRAPH_FORMATS",
    "TABLE_FORMATS",
    "Deadline",
    "QueryResult",
    "Refused",
    "Timeout",
    "analyse",
    "bind_values",
    "cached_for_short_text",
    "cell_from_ox",
    "cell_from_rdflib",
    "check_policy",
    "compact",
    "located_syntax_error",
    "parse_param",
    "prefixes_used",
    "run_query",
    "run_update",
    "serialize",
    "syntax_check",
    "take",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Result formats for SELECT / ASK: name -> media type.
TABLE_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Result formats for CONSTRUCT / DESCRIBE: name -> media type.
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
FORMATS: dict[str, str] = {**TABLE_FORMATS, **GRAPH_FORMATS}
_OX_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class Refused(QueryError):
    """The query or update is not allowed here (update without a token, SERVICE, LOAD)."""


class Timeout(QueryError):
    """The query ran longer than its timeout and was stopped."""


# ----------------------------------------------------------------------------- lexing

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[?$]?[A-Za-z_][\w\-.]*(?::[\w\-.%]*)?|:[\w\-.%]*)
  | (?P<punct>[{}()])
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.lastgroup or "other", m.group(), m.start())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("comment", "space")
    ]


@dataclass(frozen=True)
class Analysis:
    """What a SPARQL request is, found without running it."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE
    uses_service: bool
    uses_load: bool
    where_brace: int | None  # offset of the '{' opening the WHERE group (queries only)
    #: The query names its dataset (``FROM`` / ``FROM NAMED``): it is answered over those graphs,
    #: not over the union of all named graphs.
    names_dataset: bool = False

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


#: Query texts longer than this are not kept in the caches below: 512 distinct 1 MB queries
#: would otherwise pin half a gigabyte. Short texts (the common, repeated case) stay cached.
CACHED_TEXT_LIMIT = 4096


def cached_for_short_text(function: Callable[[str], T]) -> Callable[[str], T]:
    """``function`` with an LRU cache that keeps answers for short texts only.

    >>> calls = []
    >>> twice = cached_for_short_text(lambda t: calls.append(t) or len(t))
    >>> twice("ab"), twice("ab"), twice("x" * 5000), twice("x" * 5000), len(calls)
    (2, 2, 5000, 5000, 3)
    """
    cached = functools.lru_cache(maxsize=512)(function)

    @functools.wraps(function)
    def wrapper(text: str) -> T:
        return cached(text) if len(text) <= CACHED_TEXT_LIMIT else function(text)

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return wrapper


@cached_for_short_text
def prefixes_used(text: str) -> dict[str, str]:
    """The project prefixes whose ``name:`` occurs in ``text``, for Oxigraph to pre-bind.

    Oxigraph parses every prefix it is given on every query, so giving only those that may be
    used saved 6 to 19 microseconds on a lookup of 30 to 80 (example 16, in memory). A false
    match (the name inside a string) only binds one prefix too many; a PREFIX line in the query
    wins.

    >>> sorted(prefixes_used("SELECT * WHERE { ?c skos:prefLabel ?l }"))
    ['skos']
    """
    return {name: iri for name, iri in PREFIXES.items() if f"{name}:" in text}


@cached_for_short_text
def analyse(text: str) -> Analysis:
    """Find the query form, SERVICE / LOAD use and the WHERE group of a request.

    Cached by text (short texts only): the same query asked again (the server's and the examples' common case)
    costs a dictionary lookup instead of a lexing pass.

    >>> analyse("PREFIX x: <urn:x#> SELECT * WHERE { ?s ?p 'SERVICE' }").uses_service
    False
    >>> analyse("INSERT DATA { <urn:a> <urn:b> <urn:c> }").form
    'UPDATE'
    """
    tokens = _tokens(text)
    words = [t.text.upper() for t in tokens if t.kind == "word"]
    form = "UNKNOWN"
    index = 0
    while index < len(tokens):
        tok = tokens[index]
        upper = tok.text.upper()
        if tok.kind == "word" and upper in ("PREFIX", "BASE"):
            index += 1
            continue
        if tok.kind == "word" and upper in _QUERY_FORMS:
            form = upper
            break
        if tok.kind == "word" and upper in _UPDATE_WORDS:
            form = "UPDATE"
            break
        index += 1
    brace = None
    if form in _QUERY_FORMS:
        rest = tokens[index + 1 :]
        position = 0
        if form == "CONSTRUCT" and rest and rest[0].text == "{":
            depth = 0
            for position, tok in enumerate(rest):  # noqa: B007 - position used after the loop
                if tok.text == "{":
                    depth += 1
                elif tok.text == "}":
                    depth -= 1
                    if depth == 0:
                        break
            position += 1
        for tok in rest[position:]:
            if tok.text == "{":
                brace = tok.start
                break
    return Analysis(
        form=form,
        names_dataset=form != "UPDATE" and "FROM" in words,
        uses_service="SERVICE" in words,
        uses_load=form == "UPDATE" and "LOAD" in words,
        where_brace=brace,
    )


# ----------------------------------------------------------------------------- parameters


def _to_ox(term: Node) -> ox.NamedNode | ox.Literal:
    """An rdflib term as an Oxigraph term; Oxigraph validates IRIs and language tags."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as e:
        raise QueryError(f"bad parameter value {term!r}: {e}") from e
    if isinstance(term, BNode):
        raise QueryError(f"a blank node cannot be a parameter: {term.n3()}")
    raise QueryError(f"a parameter must be an IRI or a literal, not {term!r}")


_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with ``bindings`` bound by a ``VALUES`` block at the start of its WHERE group.

    >>> bind_values("SELECT ?l WHERE { ?c skos:prefLabel ?l }", {"c": URIRef("urn:x")})
    'SELECT ?l WHERE { VALUES (?c) { (<urn:x>) } ?c skos:prefLabel ?l }'
    >>> bind_values("SELECT * WHERE { ?s ?p ?o }", {"o": Literal('a" } DROP ALL #')})
    'SELECT * WHERE { VALUES (?o) { ("a\\\\" } DROP ALL #") } ?s ?p ?o }'
    """
    if not bindings:
        return text
    names = []
    terms = []
    for name, value in bindings.items():
        name = name.lstrip("?$")
        if not _VAR_NAME.match(name):
            raise QueryError(f"bad parameter name {name!r}: use letters, digits and _")
        names.append("?" + name)
        terms.append(str(_to_ox(value)))
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    info = analyse(text)
    if info.is_update:
        raise QueryError("parameters can only be bound in queries, not in updates")
    if info.where_brace is None:
        if info.form == "DESCRIBE":
            return f"{text}\nWHERE {{{block} }}"
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    cut = info.where_brace + 1
    return text[:cut] + block + text[cut:]


def parse_param(text: str) -> tuple[str, Node]:
    """Parse ``name=value`` from the command line into a variable name and an RDF term.

    ``<iri>`` and ``prefix:local`` (project prefixes) are IRIs; ``"text"@en`` and
    ``"5"^^xsd:integer`` are literals in Turtle syntax; integers and decimals are typed
    literals; anything else is a plain string literal.

    >>> parse_param("c=career:ml-engineer")
    ('c', rdflib.term.URIRef('https://w3id.org/careerkg/career/ml-engineer'))
    >>> parse_param('label="Data Scientist"@en')[1].language
    'en'
    >>> parse_param("n=3")[1].datatype
    rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')
    """
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VAR_NAME.match(name):
        raise QueryError(f"bad parameter {text!r}: expected name=value, e.g. c=career:data-scientist")
    term: Node
    if value.startswith("<") and value.endswith(">"):
        term = URIRef(value[1:-1])
    elif value.startswith(('"', "'")):
        from rdflib.namespace import NamespaceManager
        from rdflib.util import from_n3

        manager = NamespaceManager(__import__("rdflib").Graph(bind_namespaces="none"))
        for prefix, ns in PREFIXES.items():
            manager.bind(prefix, ns)
        try:
            term = from_n3(value, nsm=manager)
        except Exception as e:  # rdflib raises several types for bad N3
            raise QueryError(f"bad parameter value {value!r}: {e}") from e
    elif re.fullmatch(r"[+-]?\d+", value):
        term = Literal(value, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))
    elif re.fullmatch(r"[+-]?\d*\.\d+", value):
        term = Literal(value, datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))
    elif re.fullmatch(r"[A-Za-z][\w\-]*:[^\s]*", value) and value.split(":", 1)[0] in PREFIXES:
        prefix, local = value.split(":", 1)
        term = URIRef(PREFIXES[prefix] + local)
    elif value.startswith(("http://", "https://", "urn:")):
        term = URIRef(value)
    else:
        term = Literal(value)
    _to_ox(term)  # validate now, so the error names the parameter
    return name, term


# ----------------------------------------------------------------------------- results

#: A result cell: (kind, value, language, datatype) with kind "uri", "bnode" or "literal".
Cell = tuple[str, str, str | None, str | None]


@dataclass
class QueryResult:
    """A query's answer in a store-independent form (picklable, cheap to serialize).

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE. SELECT fills ``variables`` and ``rows``,
    ASK ``boolean``, CONSTRUCT/DESCRIBE ``ntriples`` (the graph as N-Triples bytes).
    ``truncated`` tells that a row limit cut the answer.
    """

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Cell | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: bytes = b""
    truncated: bool = False
    seconds: float = 0.0

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (IRI, literal lexical form, blank node id), None if unbound.

        >>> QueryResult("SELECT", ["x"], [(("literal", "a", None, None),), (None,)]).values()
        [('a',), (None,)]
        """
        return [tuple(c[1] if c else None for c in row) for row in self.rows]

    def triple_count(self) -> int:
        return sum(1 for line in self.ntriples.splitlines() if line.strip())


def cell_from_ox(term: object) -> Cell | None:
    """A result cell from a pyoxigraph term (None stays None)."""
    """An Oxigraph term as a cell. Called once per cell on the hot path: the exact-class tests
    come first, and a language-tagged literal skips building its (fixed) datatype node."""
    if term is None:
        return None
    cls = term.__class__
    if cls is _OX_NAMED:
        return ("uri", term.value, None, None)  # type: ignore[attr-defined]
    if cls is _OX_LITERAL:
        language = term.language  # type: ignore[attr-defined]
        if language:
            return ("literal", term.value, language, RDF_LANG_STRING)  # type: ignore[attr-defined]
        return ("literal", term.value, None, term.datatype.value)  # type: ignore[attr-defined]
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language, term.datatype.value)
    return ("literal", str(term), None, None)


_OX_NAMED = ox.NamedNode
_OX_LITERAL = ox.Literal


def cell_from_rdflib(term: object) -> Cell | None:
    """A result cell from an rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), term.language, RDF_LANG_STRING)
        return ("literal", str(term), None, str(term.datatype) if term.datatype else XSD_STRING)
    return ("literal", str(term), None, None)


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


def located_syntax_error(error: Exception, original: str) -> QueryError:
    """A QueryError for a parse failure, located in ``original`` (the text the user wrote)."""
    located = syntax_check(original)
    if located is not None:
        return located
    return QueryError(f"SPARQL syntax error: {error}")


_POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.DOTALL)


def syntax_check(text: str) -> QueryError | None:
    """The syntax error of ``text`` as a QueryError with ``line`` and ``column``, or None.

    >>> str(syntax_check("SELECT * WHERE {\\n  ?s ?p }"))
    'SPARQL syntax error at line 2, column 10: expected one of LATERAL, SERVICE, [_]'
    """
    probe = ox.Store()
    info = analyse(text)
    try:
        if info.is_update:
            probe.update(text, prefixes=PREFIXES)
        else:
            probe.query(text, prefixes=PREFIXES)
    except SyntaxError as e:
        message = str(e)
        match = _POSITION.match(message)
        error = QueryError(
            f"SPARQL syntax error at line {match.group(1)}, column {match.group(2)}: {match.group(3)}"
            if match
            else f"SPARQL syntax error: {message}"
        )
        error.line = int(match.group(1)) if match else 0  # type: ignore[attr-defined]
        error.column = int(match.group(2)) if match else 0  # type: ignore[attr-defined]
        error.detail = match.group(3) if match else message  # type: ignore[attr-defined]
        return error
    except Exception:  # evaluation errors on the empty store are not syntax errors
        return None
    return None


def check_policy(info: Analysis, *, allow_service: bool, allow_update: bool) -> None:
    """Raise :class:`Refused` for what the policy forbids (updates, SERVICE, LOAD)."""
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
    left, checking ``deadline`` every 256 items."""
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
    """Run a SPARQL Update on ``store``; LOAD is refused unless ``allow_load``."""
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


# ----------------------------------------------------------------------------- serializing


def _n3(cell: Cell) -> str:
    kind, value, lang, datatype = cell
    if kind == "uri":
        return str(ox.NamedNode(value))
    if kind == "bnode":
        return f"_:{value}"
    if lang:
        return str(ox.Literal(value, language=lang))
    if datatype and datatype != XSD_STRING:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


_LOCAL_NAME = re.compile(r"[\w\-.]*")


def compact(cell: Cell | None) -> str:
    """A cell for people: IRIs shortened with the project prefixes, literals as text.

    >>> compact(("uri", "https://w3id.org/careerkg/career/data-scientist", None, None))
    'career:data-scientist'
    """
    if cell is None:
        return ""
    kind, value, lang, _ = cell
    if kind == "uri":
        best = ""
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns) and len(ns) > len(best):
                local = value[len(ns) :]
                if _LOCAL_NAME.fullmatch(local):
                    best = ns
                    chosen = f"{prefix}:{local}"
        return chosen if best else f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    return f"{value}@{lang}" if lang else value


def _json_cell(cell: Cell) -> dict[str, str]:
    kind, value, lang, datatype = cell
    if kind == "literal":
        out = {"type": "literal", "value": value}
        if lang:
            out["xml:lang"] = lang
        elif datatype and datatype != XSD_STRING:
            out["datatype"] = datatype
        return out
    return {"type": kind, "value": value}


def _select_json(result: QueryResult) -> bytes:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode()
    names = result.variables
    bindings = [{names[i]: _json_cell(c) for i, c in enumerate(row) if c is not None} for row in result.rows]
    return json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode("utf-8")


def _select_xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    if result.form == "ASK":
        out.append(f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    out.append("</head>\n<results>\n")
    for row in result.rows:
        out.append("<result>")
        for name, cell in zip(result.variables, row, strict=True):
            if cell is None:
                continue
            kind, value, lang, datatype = cell
            if kind == "uri":
                inner = f"<uri>{xml_escape(value)}</uri>"
            elif kind == "bnode":
                inner = f"<bnode>{xml_escape(value)}</bnode>"
            elif lang:
                inner = f"<literal xml:lang={quoteattr(lang)}>{xml_escape(value)}</literal>"
            elif datatype and datatype != XSD_STRING:
                inner = f"<literal datatype={quoteattr(datatype)}>{xml_escape(value)}</literal>"
            else:
                inner = f"<literal>{xml_escape(value)}</literal>"
            out.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _select_csv(result: QueryResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue().encode("utf-8")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if c is None else (f"_:{c[1]}" if c[0] == "bnode" else c[1]) for c in row])
    return buffer.getvalue().encode("utf-8")


def _select_tsv(result: QueryResult) -> bytes:
    if result.form == "ASK":
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n".encode()
    lines = ["\t".join("?" + v for v in result.variables)]
    lines.extend("\t".join("" if c is None else _n3(c) for c in row) for row in result.rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Serialize ``result`` in ``fmt`` (a key of :data:`FORMATS`).

    SELECT/ASK: json, xml, csv, tsv. CONSTRUCT/DESCRIBE: turtle, jsonld, ntriples, rdfxml.
    """
    if result.returns_graph:
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"format {fmt!r} is for SELECT/ASK results; a graph can be: {', '.join(GRAPH_FORMATS)}"
            )
        if fmt == "ntriples":
            return result.ntriples
        triples = list(ox.parse(result.ntriples, format=ox.RdfFormat.N_TRIPLES))
        kwargs = {"prefixes": PREFIXES} if fmt in ("turtle", "rdfxml") else {}
        if fmt == "jsonld":
            kwargs = {"prefixes": PREFIXES}
        try:
            return ox.serialize(triples, format=_OX_GRAPH_FORMATS[fmt], **kwargs) or b""
        except TypeError:
            return ox.serialize(triples, format=_OX_GRAPH_FORMATS[fmt]) or b""
    writers = {"json": _select_json, "xml": _select_xml, "csv": _select_csv, "tsv": _select_tsv}
    if fmt not in writers:
        raise QueryError(
            f"format {fmt!r} is for CONSTRUCT/DESCRIBE results; a table can be: {', '.join(TABLE_FORMATS)}"
        )
    return writers[fmt](result)


def example_queries(folder: Path | None = None) -> list[tuple[str, str, str]]:
    """The example queries: (file stem, question (first comment line), text), sorted by name.

    They live in ``examples/queries`` of the checkout (``careerkg/_examples`` in a wheel).
    """
    if folder is None:
        folder = examples_dir()
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        question = next((c for c in comments if c), "")
        out.append((path.stem, question, text))
    return out


def iter_cells(rows: Iterable[tuple[Cell | None, ...]]) -> Iterable[list[str]]:
    """Rows as compact strings for tables."""
    for row in rows:
        yield [compact(c) for c in row]

"""Reading a SPARQL request without running it: lexing, the query form, FROM / SERVICE / LOAD
use, the WHERE group, the project prefixes it uses, and syntax errors located by line and column.

>>> analyse("SELECT ?l WHERE { ?c skos:prefLabel ?l }").form
'SELECT'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import PREFIXES

__all__ = [
    "CACHED_TEXT_LIMIT",
    "Analysis",
    "analyse",
    "cached_for_short_text",
    "located_syntax_error",
    "prefixes_used",
    "syntax_check",
]

T = TypeVar("T")

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


# ----------------------------------------------------------------------------- syntax errors


def located_syntax_error(error: Exception, original: str) -> QueryError:
    """A QueryError for a parse failure, located in ``original`` (the text the user wrote).

    >>> error = located_syntax_error(SyntaxError("error at 3:1"), "SELECT * WHERE {\\n  ?s ?p }")
    >>> error.line, error.column
    (2, 10)
    """
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

"""A query's answer in a store-independent form: :class:`QueryResult` and its cells, made from
Oxigraph's or rdflib's terms.

>>> QueryResult("ASK", boolean=True).returns_graph
False
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

__all__ = ["RDF_LANG_STRING", "XSD_STRING", "Cell", "QueryResult", "cell_from_ox", "cell_from_rdflib"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

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
    """A result cell from a pyoxigraph term (None stays None).

    Called once per cell on the hot path: the exact-class tests come first, and a
    language-tagged literal skips building its (fixed) datatype node.

    >>> cell_from_ox(ox.Literal("Data Scientist", language="en"))
    ('literal', 'Data Scientist', 'en', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString')
    """
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
    """A result cell from an rdflib term (None stays None).

    >>> cell_from_rdflib(URIRef("urn:x"))
    ('uri', 'urn:x', None, None)
    """
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

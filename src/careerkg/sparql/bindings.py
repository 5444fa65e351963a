"""Parameters: values made RDF terms (validated by Oxigraph's term constructors, so an IRI
cannot contain ``>`` and a literal is escaped) and bound in a ``VALUES`` block at the start of
the query's ``WHERE`` group, never formatted into the text by hand.

>>> bind_values("ASK { ?s ?p ?o }", {"s": URIRef("urn:a")})
'ASK { VALUES (?s) { (<urn:a>) } ?s ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError
from ..namespaces import PREFIXES
from .text import analyse

__all__ = ["bind_values", "parse_param"]


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

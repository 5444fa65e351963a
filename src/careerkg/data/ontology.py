"""The careerkg ontology and SHACL shapes, shipped as package data.

>>> ontology = load_ontology()
>>> from careerkg.namespaces import CKG
>>> from rdflib import OWL, RDF
>>> (CKG.Career, RDF.type, OWL.Class) in ontology
True
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from ..errors import Problem
from ..resources import ontology_dir

__all__ = ["load_ontology", "load_shapes", "shacl_problems"]


@lru_cache(maxsize=1)
def _parsed(name: str) -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / name, format="turtle")
    return graph


def load_ontology() -> Graph:
    """A fresh copy of the OWL ontology (``ontology/careerkg.ttl``)."""
    copy = Graph()
    copy += _parsed("careerkg.ttl")
    return copy


def load_shapes() -> Graph:
    """A fresh copy of the SHACL shapes (``ontology/shapes.ttl``)."""
    copy = Graph()
    copy += _parsed("shapes.ttl")
    return copy


def shacl_problems(data: Graph, locate: dict | None = None) -> list[Problem]:
    """Validate ``data`` against the shapes (with the ontology for subclass reasoning).

    ``locate`` maps focus nodes to ``(file, line)`` so each violation points into ``data/``.
    Returns one :class:`~careerkg.errors.Problem` per violation (empty when it conforms).
    """
    from pyshacl import validate
    from rdflib import RDF, URIRef
    from rdflib.namespace import SH

    conforms, report, _ = validate(
        data,
        shacl_graph=_parsed("shapes.ttl"),
        ont_graph=_parsed("careerkg.ttl"),
        inference="none",
        allow_warnings=True,
    )
    if conforms:
        return []
    locate = locate or {}
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        file, line = locate.get(focus, ("(graph)", 0))
        path_name = path.n3(report.namespace_manager) if isinstance(path, URIRef) else str(path)
        text = f"SHACL: {focus} {path_name}: {message}"
        if value is not None:
            text += f" (value {value})"
        problems.append(Problem(file, line, text))
    return problems

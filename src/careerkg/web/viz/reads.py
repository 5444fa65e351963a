"""What the views read from the store: node labels and kinds, the relations around nodes, careers.

Every read is one SPARQL query per :data:`CHUNK` nodes (IRIs are checked or come from the store,
so they are safe to write as ``<iri>``).

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> mle = "https://w3id.org/careerkg/career/machine-learning-engineer"
>>> node_info(kg.store, [mle])[mle]["kind"]
'career'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ...namespaces import CKG
from ...store import GraphStore
from .vocab import RELATIONS

__all__ = ["CAREER_LINKS", "CHUNK", "career_iris", "career_links", "edges_around", "local_name", "node_info"]

#: Nodes per query.
CHUNK = 400

#: The career-to-career relations of a view of all careers.
CAREER_LINKS = ("relatedCareer", "collaboratesWith", "specializationOf")

_CKG = str(CKG._NS)
_SKILL_CLASSES = {_CKG + c for c in ("Technology", "Knowledge", "Competence")}


def _chunks(iris: Sequence[str]) -> Iterator[str]:
    """``iris`` as SPARQL ``VALUES`` bodies of at most :data:`CHUNK` IRIs."""
    for start in range(0, len(iris), CHUNK):
        yield " ".join(f"<{i}>" for i in iris[start : start + CHUNK])


def _relation_values(relations: Iterable[str]) -> str:
    return " ".join(f"ckg:{r}" for r in relations)


def local_name(iri: str) -> str:
    """The last segment of ``iri``: the label of a node that has none.

    >>> local_name("https://w3id.org/careerkg/skill/python/")
    'python'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def edges_around(store: GraphStore, iris: Sequence[str]) -> list[tuple[str, str, str]]:
    """Every drawn relation (:data:`~careerkg.web.viz.vocab.RELATIONS`) into or out of ``iris``,
    as ``(subject, relation local name, object)`` between IRIs."""
    found: list[tuple[str, str, str]] = []
    for chunk in _chunks(iris):
        sparql = f"""SELECT ?s ?p ?o WHERE {{
            VALUES ?x {{ {chunk} }} VALUES ?p {{ {_relation_values(RELATIONS)} }}
            {{ ?x ?p ?o . BIND(?x AS ?s) }} UNION {{ ?s ?p ?x . BIND(?x AS ?o) }}
            FILTER(isIRI(?s) && isIRI(?o)) }}"""
        for s, p, o in store.select(sparql):
            found.append((s, p.rsplit("#", 1)[-1], o))
    return found


def _kind(types: set[str], skill_type: str | None) -> str:
    """A node's kind (a key of :data:`~careerkg.web.viz.vocab.KINDS`) from its classes."""
    if _CKG + "Career" in types:
        return "career"
    if _CKG + "Duty" in types:
        return "duty"
    if _CKG + "Industry" in types:
        return "industry"
    if _CKG + "WorkSetting" in types:
        return "setting"
    if skill_type in ("technology", "knowledge", "competence"):
        return skill_type
    named = sorted(types & _SKILL_CLASSES)
    if named:
        return named[0].rsplit("#", 1)[-1].lower()
    if _CKG + "Skill" in types:
        return "skill"
    return "other"


def node_info(store: GraphStore, iris: Sequence[str]) -> dict[str, dict[str, Any]]:
    """For each of ``iris`` found in the store: its English ``label`` (or :func:`local_name`),
    ``definition`` (or ``None``), ``kind`` and ``parent`` (the career it specializes, or ``None``).

    A node with no triples at all is missing from the answer.
    """
    info: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(iris):
        sparql = f"""SELECT ?x (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types)
              (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?def) (SAMPLE(?st) AS ?stype)
              (SAMPLE(?par) AS ?parent) WHERE {{
            VALUES ?x {{ {chunk} }}
            OPTIONAL {{ ?x a ?t }}
            OPTIONAL {{ ?x skos:prefLabel ?l FILTER(lang(?l) = "" || langMatches(lang(?l), "en")) }}
            OPTIONAL {{ ?x skos:definition ?d FILTER(lang(?d) = "" || langMatches(lang(?d), "en")) }}
            OPTIONAL {{ ?x ckg:skillType ?st }}
            OPTIONAL {{ ?x ckg:specializationOf ?par }}
        }} GROUP BY ?x"""
        for x, types, label, definition, stype, parent in store.select(sparql):
            info[x] = {
                "label": label or local_name(x),
                "definition": definition,
                "kind": _kind(set((types or "").split()), stype),
                "parent": parent,
            }
    return info


def career_iris(store: GraphStore) -> list[str]:
    """Every career in the store."""
    return [r[0] for r in store.select("SELECT DISTINCT ?c WHERE { ?c a ckg:Career }")]


def career_links(store: GraphStore) -> list[tuple[str, str, str]]:
    """Every :data:`CAREER_LINKS` triple, as ``(career, relation local name, career)``."""
    rows = store.select(
        f"""SELECT ?a ?p ?b WHERE {{
        VALUES ?p {{ {_relation_values(CAREER_LINKS)} }} ?a ?p ?b }}""",
    )
    return [(a, p.rsplit("#", 1)[-1], b) for a, p, b in rows]

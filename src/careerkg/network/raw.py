"""What the career views are built from: a handful of SPARQL reads into plain dicts
(:class:`RawData`), and the weight of a career-skill edge. Below both the graph builders
(:mod:`careerkg.network.build`) and the cached views (:mod:`careerkg.network.views`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from ..errors import StoreError
from ..store import GraphStore
from .names import CAREER_LABELS, CAREER_NAMES

__all__ = ["INVERSE_RELATIONS", "RawData", "edge_weight", "local_name", "triples"]

_SKILLS = """
SELECT ?s ?label ?type WHERE {
  ?s a ckg:Skill .
  OPTIONAL { ?s skos:prefLabel ?label }
  OPTIONAL { ?s ckg:skillType ?type }
}"""

_CAREER_SKILLS = """
SELECT ?c ?k ?s WHERE {
  { ?c ckg:essentialSkill ?s BIND("e" AS ?k) }
  UNION { ?c ckg:optionalSkill ?s BIND("o" AS ?k) }
  UNION { ?c ckg:usesTechnology ?s BIND("t" AS ?k) }
}"""

# Importance of a career-skill pair, from the O*NET importer's qualified ckg:SkillRating nodes
# (importance IM on O*NET's 1-5 scale; see docs/import.md). From the career's side: Oxigraph
# evaluates the patterns in the order written, and this one reads the full store's 60,000 rows
# in 1.0 s where starting from ckg:importance took 1.7 s.
_IMPORTANCE = """
SELECT ?c ?s ?w WHERE {
  ?c ckg:hasSkillRating ?q . ?q ckg:ratedSkill ?s ; ckg:importance ?w .
}"""

_LINKS = """
SELECT ?a ?p ?b WHERE {
  VALUES ?p { ckg:relatedCareer ckg:collaboratesWith ckg:specializationOf
              skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch }
  ?a ?p ?b .
}"""

# Skills the importers and the curated data declare the same (the links traversal follows:
# skos:exactMatch, and skos:closeMatch of confidence >= 0.8; see careerkg.imports.skill_matching).
# Either direction: a match is stated from whichever side made it.
_SKILL_LINKS = """
SELECT DISTINCT ?a ?b WHERE {
  ?a a ckg:Skill . ?b a ckg:Skill .
  ?a skos:exactMatch|skos:closeMatch ?b
  FILTER(?a != ?b)
}"""

_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s)) } ORDER BY ?s ?p ?o"

#: Each career relation and the name of its inverse, as seen from the other end.
INVERSE_RELATIONS = {
    "relatedCareer": "relatedCareer",
    "collaboratesWith": "collaboratesWith",
    "specializationOf": "hasSpecialization",
    "exactMatch": "exactMatch",
    "closeMatch": "closeMatch",
    "broadMatch": "narrowMatch",
    "narrowMatch": "broadMatch",
}


def triples(store: GraphStore) -> Iterator[tuple[str, str, str, bool]]:
    """Every triple with an IRI subject as ``(s, p, o, o_is_iri)`` strings."""
    raw = getattr(store, "query_raw", None)
    if raw is not None:
        import pyoxigraph as ox

        for s, p, o in raw(_TRIPLES):
            yield s.value, p.value, o.value, isinstance(o, ox.NamedNode)
        return
    from rdflib import URIRef

    for s, p, o in store.query(_TRIPLES):
        yield str(s), str(p), str(o), isinstance(o, URIRef)


def local_name(iri: str) -> str:
    """The last segment of an IRI.

    >>> local_name("https://w3id.org/careerkg/ontology#relatedCareer")
    'relatedCareer'
    """
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


class RawData:
    """What the career views are built from, read from the store in a handful of queries."""

    def __init__(self, store: GraphStore) -> None:
        self.career_label, self.career_code = _labelled(store.select(CAREER_LABELS))
        self.names: list[tuple[str, str]] = list(store.select(CAREER_NAMES))
        self.skill_label, self.skill_type = _labelled(store.select(_SKILLS))
        rank = {"e": 2, "t": 1, "o": 0}
        self.career_skills: dict[str, dict[str, str]] = defaultdict(dict)
        for c, k, s in store.select(_CAREER_SKILLS):
            if c not in self.career_label:
                continue
            self.skill_label.setdefault(s, local_name(s))
            held = self.career_skills[c].get(s)
            if held is None or rank[k] > rank[held]:
                self.career_skills[c][s] = k
        self.importance: dict[tuple[str, str], float] = {}
        try:
            for c, s, w in store.select(_IMPORTANCE):
                self.importance[(c, s)] = float(w)
        except (ValueError, TypeError) as e:  # a non-numeric importance is bad data
            raise StoreError(f"non-numeric importance in the store: {e}") from e
        self.links: list[tuple[str, str, str]] = []
        for a, p, b in store.select(_LINKS):
            if a in self.career_label and b in self.career_label and a != b:
                self.links.append((a, local_name(p), b))
        #: Pairs of skills that are one skill under two names (``a < b``), from any source.
        self.skill_links: list[tuple[str, str]] = sorted(
            {(a, b) if a < b else (b, a) for a, b in store.select(_SKILL_LINKS)}
        )


def _labelled(rows: Iterable[tuple[str | None, ...]]) -> tuple[dict[str, str], dict[str, str]]:
    """From ``(node, label, value)`` rows: each node's label (the first bound one, else its
    :func:`local_name`), and its value where one is bound (the last)."""
    labels: dict[str, str] = {}
    values: dict[str, str] = {}
    for node, label, value in rows:
        if label is not None and node not in labels:
            labels[node] = label
        labels.setdefault(node, local_name(node))
        if value is not None:
            values[node] = value
    return labels, values


def edge_weight(kind: str, importance: float | None) -> float:
    """The weight of a career-skill edge in ``[0, 1]``.

    O*NET importance (1-5) is rescaled to ``importance / 5``; without one, an essential skill
    weighs 1.0, a technology 0.75 and an optional skill 0.5.

    >>> edge_weight("e", None), edge_weight("o", None), edge_weight("e", 4.0)
    (1.0, 0.5, 0.8)
    """
    if importance is not None:
        return round(max(0.0, min(importance, 5.0)) / 5.0, 4)
    return {"e": 1.0, "t": 0.75, "o": 0.5}[kind]

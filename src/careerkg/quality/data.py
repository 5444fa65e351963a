"""What the measures read from a store: O*NET and ESCO occupations with their evidence.

Each reader takes one named graph only, so a measure can say exactly what it saw: the related
careers measure never reads O*NET's Related Occupations into its features, and the
occupation-matching measure never reads the crosswalk graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..imports.skill_matching import select
from ..namespaces import graph_iri
from ..store import GraphStore

__all__ = [
    "Occupation",
    "covered_by_crosswalk",
    "crosswalk_links",
    "curated_occupations",
    "esco_occupations",
    "onet_occupations",
    "onet_related",
    "skill_labels",
    "traversal_skill_links",
]

CKG = "https://w3id.org/careerkg/ontology#"


@dataclass
class Occupation:
    """One occupation of one source, with the evidence the measures use."""

    iri: str
    code: str = ""
    label: str = ""
    definition: str = ""
    alt_labels: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    technologies: set[str] = field(default_factory=set)
    importance: dict[str, float] = field(default_factory=dict)
    essential: set[str] = field(default_factory=set)
    optional: set[str] = field(default_factory=set)
    job_zone: int = 0
    broader: set[str] = field(default_factory=set)


def _rows(store: GraphStore, source: str, body: str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    return select(store, f"SELECT * WHERE {{ GRAPH ?g {{ {body} }} }}", {"g": graph_iri(source)}, columns)


def onet_occupations(store: GraphStore) -> dict[str, Occupation]:
    """O*NET occupations by IRI: titles, alternate titles, tasks, technology, ratings, job zone."""
    occ: dict[str, Occupation] = {}
    for o, code, label, definition in _rows(
        store,
        "onet",
        "?o a ckg:Career ; ckg:onetCode ?code ; skos:prefLabel ?l OPTIONAL { ?o skos:definition ?d }",
        ("o", "code", "l", "d"),
    ):
        occ[o] = Occupation(o, code=code, label=label, definition=definition)
    _collect(store, "onet", occ, "alt_labels", "?o a ckg:Career ; skos:altLabel ?x")
    _collect(store, "onet", occ, "tasks", "?o ckg:hasDuty ?d . ?d skos:prefLabel ?x")
    _collect(store, "onet", occ, "technologies", "?o ckg:usesTechnology ?x")
    for o, e, im in _rows(
        store,
        "onet",
        "?o ckg:hasSkillRating ?r . ?r ckg:ratedSkill ?e ; ckg:importance ?im",
        ("o", "e", "im"),
    ):
        if o in occ:
            occ[o].importance[e] = float(im)
    _collect(store, "onet", occ, "essential", "?o ckg:essentialSkill ?x")
    _collect(store, "onet", occ, "optional", "?o ckg:optionalSkill ?x")
    for o, z in _rows(store, "onet", "?o ckg:jobZone ?z", ("o", "z")):
        if o in occ and z.isdigit():
            occ[o].job_zone = int(z)
    return occ


def onet_related(store: GraphStore) -> dict[str, dict[str, str]]:
    """O*NET's Related Occupations: occupation -> {related occupation: tier}. Ground truth only."""
    related: dict[str, dict[str, str]] = defaultdict(dict)
    for o, t, tier in _rows(
        store,
        "onet",
        "?o ckg:hasCareerRelation ?r . ?r ckg:relationTarget ?t ; ckg:relatednessTier ?tier",
        ("o", "t", "tier"),
    ):
        related[o][t] = tier
    return dict(related)


def esco_occupations(store: GraphStore) -> dict[str, Occupation]:
    """ESCO occupations by IRI: labels, description, ISCO code, broader concepts, skills."""
    return _described(store, "esco", "skos:broader")


def _described(store: GraphStore, source: str, broader: str) -> dict[str, Occupation]:
    """The careers of ``source`` with their label, definition, ISCO code, alternative labels,
    ``broader`` concepts (through that predicate) and essential and optional skills."""
    occ: dict[str, Occupation] = {}
    for o, label, definition, code in _rows(
        store,
        source,
        "?o a ckg:Career ; skos:prefLabel ?l OPTIONAL { ?o skos:definition ?d } "
        "OPTIONAL { ?o ckg:iscoCode ?code }",
        ("o", "l", "d", "code"),
    ):
        occ.setdefault(o, Occupation(o, code=code, label=label, definition=definition))
    _collect(store, source, occ, "alt_labels", "?o a ckg:Career ; skos:altLabel ?x")
    _collect(store, source, occ, "broader", f"?o a ckg:Career ; {broader} ?x")
    _collect(store, source, occ, "essential", "?o a ckg:Career ; ckg:essentialSkill ?x")
    _collect(store, source, occ, "optional", "?o a ckg:Career ; ckg:optionalSkill ?x")
    return occ


def _collect(store: GraphStore, source: str, occ: dict[str, Occupation], field: str, pattern: str) -> None:
    """Add each ``?x`` that ``pattern`` finds for a known occupation ``?o`` to its ``field``
    (a list or a set of :class:`Occupation`)."""
    for o, x in _rows(store, source, pattern, ("o", "x")):
        if o in occ:
            values = getattr(occ[o], field)
            if isinstance(values, list):
                values.append(x)
            else:
                values.add(x)


def curated_occupations(store: GraphStore) -> dict[str, Occupation]:
    """Curated careers by IRI, as occupations: labels, definition, ISCO code, the career they
    specialise (``broader``) and skills. Their own O*NET and ESCO links are not read: the
    suggestions made from this (:mod:`.suggest`) are measured against them."""
    occ = _described(store, "curated", "ckg:specializationOf")
    for o in occ.values():
        o.alt_labels.sort()
    return occ


def covered_by_crosswalk(store: GraphStore) -> set[str]:
    """Every concept a link of the crosswalk file names (either end; ISCO groups included):
    the occupations the official crosswalk covers. The crosswalk graph's other links (curated
    careers to ISCO groups, skill matches) do not count."""
    onet = "https://w3id.org/careerkg/onet/occupation/"
    covered: set[str] = set()
    for kind in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch"):
        for o, e in _rows(store, "crosswalk", f"?o skos:{kind} ?e", ("o", "e")):
            if o.startswith(onet) and "data.europa.eu/esco/" in e:
                covered.update((o, e))
    return covered


def crosswalk_links(store: GraphStore) -> list[tuple[str, str, str]]:
    """(O*NET occupation, ESCO occupation, match type) of the official crosswalk. Ground truth."""
    onet = "https://w3id.org/careerkg/onet/"
    found = []
    for kind in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch"):
        for o, e in _rows(store, "crosswalk", f"?o skos:{kind} ?e", ("o", "e")):
            if o.startswith(onet) and "/occupation/" in e:
                found.append((o, e, kind))
    return sorted(set(found))


def skill_labels(store: GraphStore, source: str) -> dict[str, str]:
    """Preferred label of each skill of ``source``'s graph."""
    labels: dict[str, str] = {}
    for s, label in _rows(store, source, "?s a ckg:Skill ; skos:prefLabel ?l", ("s", "l")):
        labels.setdefault(s, label)
    return labels


def traversal_skill_links(store: GraphStore) -> list[tuple[str, str]]:
    """Pairs of skills that traversal may treat as the same: ``skos:exactMatch`` or
    ``skos:closeMatch`` between two skills, in any graph (importer matches, curated links)."""
    return [
        (a, b)
        for a, b in select(
            store,
            "SELECT DISTINCT ?a ?b WHERE { ?a a ckg:Skill . ?b a ckg:Skill . "
            "?a skos:exactMatch|skos:closeMatch ?b FILTER(STR(?a) < STR(?b)) }",
            None,
            ("a", "b"),
        )
    ]

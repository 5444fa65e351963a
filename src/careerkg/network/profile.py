"""Everything the graph says about one career, gathered into a plain record.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> profile = kg.career("machine learning engineer")
>>> len(profile.specializations), len(profile.duties)
(12, 14)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import URIRef

from ..store import GraphStore
from .build import SOURCE_NAMES, source_of

__all__ = [
    "CareerProfile",
    "DutyInfo",
    "Named",
    "RelatedCareer",
    "SkillInfo",
    "SuggestedMatch",
    "career_profile",
]


@dataclass(frozen=True, order=True)
class Named:
    """A linked thing with its label."""

    label: str
    iri: str


@dataclass(frozen=True, order=True)
class RelatedCareer(Named):
    """A related career (``ckg:relatedCareer``) and why: the curated reason, or the O*NET tier."""

    reason: str | None = None


@dataclass(frozen=True, order=True)
class SuggestedMatch:
    """An occupation of another taxonomy that careerkg's predictor *suggests* for the career
    (``ckg:SuggestedMatch`` in the ``suggested`` graph, written by ``careerkg suggest-matches``):
    not an official crosswalk link, and never followed by traversal. ``status`` is always
    ``"suggested"``, so a JSON reader cannot take it for a match of the sources."""

    taxonomy: str
    rank: int
    label: str
    iri: str
    confidence: float
    method: str
    status: str = "suggested"


@dataclass(frozen=True, order=True)
class SkillInfo:
    """A skill of a career: label, type, and whether it is essential."""

    label: str
    iri: str
    type: str
    essential: bool


@dataclass(frozen=True)
class DutyInfo:
    """A duty: position, label, definition, labels of the skills it needs."""

    position: int
    label: str
    definition: str | None
    skills: tuple[str, ...]


@dataclass(repr=False)
class CareerProfile:
    """One career as ``careerkg show`` prints it."""

    iri: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    definition: str | None = None
    parent: Named | None = None
    specializations: list[Named] = field(default_factory=list)
    skills: list[SkillInfo] = field(default_factory=list)
    duties: list[DutyInfo] = field(default_factory=list)
    related: list[RelatedCareer] = field(default_factory=list)
    #: Careers only listed alongside this one on its source page (``ckg:listedWith``): shown
    #: apart, never counted as related.
    listed_with: list[Named] = field(default_factory=list)
    collaborates_with: list[Named] = field(default_factory=list)
    industries: list[Named] = field(default_factory=list)
    work_settings: list[Named] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    matches: list[tuple[str, str]] = field(default_factory=list)
    #: Occupations careerkg's predictor suggests (not the sources, not the crosswalk), by
    #: taxonomy and rank: shown apart from :attr:`matches`.
    suggested: list[SuggestedMatch] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the spelling every careerkg result uses)."""
        return asdict(self)

    def __repr__(self) -> str:
        # The dataclass repr runs to tens of KB; a REPL wants a glance.
        return (
            f"<CareerProfile {self.label!r}: {len(self.skills)} skills, {len(self.duties)} duties, "
            f"{len(self.specializations)} specializations, {len(self.related)} related>"
        )


def _label_query(pattern: str) -> str:
    return f"""
        SELECT ?c ?x (SAMPLE(?l) AS ?label) WHERE {{
          {pattern}
          OPTIONAL {{ ?x skos:prefLabel ?l }}
        }} GROUP BY ?c ?x"""


def _named(store: GraphStore, pattern: str, career: URIRef) -> list[Named]:
    rows = store.query(_label_query(pattern), {"c": career})
    return sorted(Named(str(label or x), str(x)) for _, x, label in rows)


_RELATED = """
    SELECT ?c ?x (SAMPLE(?l) AS ?label) (SAMPLE(?own) AS ?mine) (SAMPLE(?other) AS ?theirs)
           (SAMPLE(?tier) AS ?onet) WHERE {
      ?c ckg:relatedCareer ?x .
      OPTIONAL { ?x skos:prefLabel ?l }
      OPTIONAL { ?c ckg:hasCareerRelation ?r1 . ?r1 ckg:relationTarget ?x ; ckg:reason ?own }
      OPTIONAL { ?x ckg:hasCareerRelation ?r2 . ?r2 ckg:relationTarget ?c ; ckg:reason ?other }
      OPTIONAL { ?c ckg:hasCareerRelation ?r3 . ?r3 ckg:relationTarget ?x ; ckg:relatednessTier ?tier }
    } GROUP BY ?c ?x"""


def _related(store: GraphStore, career: URIRef) -> list[RelatedCareer]:
    """Related careers with their reason: the one stated on this career's side first, then the
    one stated on the other side (related is symmetric), then O*NET's relatedness tier."""
    found = []
    for _, x, label, mine, theirs, tier in store.query(_RELATED, {"c": career}):
        reason = mine or theirs or (f"O*NET related occupation ({tier})" if tier else None)
        found.append(RelatedCareer(str(label or x), str(x), str(reason) if reason else None))
    return sorted(found)


def career_profile(store: GraphStore, career: URIRef) -> CareerProfile:
    """Gather the profile of ``career`` (an IRI known to be a career) from ``store``."""
    bind = {"c": career}
    head = store.query(
        """SELECT ?c ?label ?definition WHERE {
             ?c skos:prefLabel ?label . OPTIONAL { ?c skos:definition ?definition } } LIMIT 1""",
        bind,
    )
    _, label, definition = next(iter(head), (career, career, None))
    profile = CareerProfile(
        str(career), str(label), definition=str(definition) if definition else None
    )
    profile.alt_labels = sorted(
        {str(row[1]) for row in store.query("SELECT ?c ?a WHERE { ?c skos:altLabel ?a }", bind)},
        key=str.casefold,
    )
    parents = _named(store, "?c ckg:specializationOf ?x .", career)
    profile.parent = parents[0] if parents else None
    profile.specializations = _named(store, "?x ckg:specializationOf ?c .", career)
    profile.related = _related(store, career)
    profile.listed_with = _named(store, "?c ckg:listedWith ?x .", career)
    profile.collaborates_with = _named(store, "?c ckg:collaboratesWith ?x .", career)
    profile.industries = _named(store, "?c ckg:inIndustry ?x .", career)
    profile.work_settings = _named(store, "?c ckg:workSetting ?x .", career)
    skills = store.query(
        """SELECT ?c ?s (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (MAX(?e) AS ?essential) WHERE {
             { ?c ckg:essentialSkill ?s BIND(1 AS ?e) } UNION { ?c ckg:optionalSkill ?s BIND(0 AS ?e) }
             OPTIONAL { ?s skos:prefLabel ?l } OPTIONAL { ?s ckg:skillType ?t }
           } GROUP BY ?c ?s""",
        bind,
    )
    profile.skills = sorted(
        (
            SkillInfo(str(lab or s), str(s), str(t or "skill"), bool(int(e)))
            for _, s, lab, t, e in skills
        ),
        key=lambda k: (not k.essential, k.label.casefold()),
    )
    duty_rows = store.query(
        """SELECT ?c ?d ?pos ?label ?definition ?skill WHERE {
             ?c ckg:hasDuty ?d . ?d skos:prefLabel ?label .
             OPTIONAL { ?d schema:position ?pos }
             OPTIONAL { ?d skos:definition ?definition }
             OPTIONAL { ?d ckg:requiresSkill/skos:prefLabel ?skill }
           }""",
        bind,
    )
    duties: dict[str, dict] = {}
    for _, d, pos, dlabel, ddef, skill in duty_rows:
        entry = duties.setdefault(
            str(d),
            {
                "position": int(pos) if pos is not None else 0,
                "label": str(dlabel),
                "definition": str(ddef) if ddef else None,
                "skills": set(),
            },
        )
        if skill is not None:
            entry["skills"].add(str(skill))
    profile.duties = [
        DutyInfo(
            e["position"], e["label"], e["definition"], tuple(sorted(e["skills"], key=str.casefold))
        )
        for e in sorted(duties.values(), key=lambda e: (e["position"], e["label"]))
    ]
    for code_prop, name in (("ckg:onetCode", "O*NET-SOC"), ("ckg:iscoCode", "ISCO-08")):
        for _, value in store.query(f"SELECT ?c ?v WHERE {{ ?c {code_prop} ?v }}", bind):
            profile.codes[name] = str(value)
    matches = store.query(
        """SELECT ?c ?p ?m WHERE {
             VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch }
             ?c ?p ?m }""",
        bind,
    )
    profile.matches = sorted((str(p).rsplit("#", 1)[-1], str(m)) for _, p, m in matches)
    profile.suggested = _suggested(store, career)
    return profile


_SUGGESTED = """
    SELECT ?c ?o (SAMPLE(?l) AS ?label) (MIN(?r) AS ?rank) (MAX(?cf) AS ?conf) (SAMPLE(?how) AS ?method)
    WHERE {
      ?c ckg:hasSuggestedMatch ?m . ?m ckg:suggestedOccupation ?o ; ckg:matchRank ?r ;
         ckg:matchConfidence ?cf ; ckg:matchMethod ?how .
      OPTIONAL { ?o skos:prefLabel ?l }
    } GROUP BY ?c ?o"""


def _suggested(store: GraphStore, career: URIRef) -> list[SuggestedMatch]:
    """The career's suggested matches (``careerkg suggest-matches``), by taxonomy and rank."""
    return sorted(
        SuggestedMatch(
            SOURCE_NAMES[source_of(str(o))], int(rank), str(label or o), str(o), float(conf), str(method)
        )
        for _, o, label, rank, conf, method in store.query(_SUGGESTED, {"c": career})
    )

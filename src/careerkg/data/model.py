"""Records of the curated data, and the one place careerkg's IRIs are minted.

>>> career_iri("machine-learning-engineer")
rdflib.term.URIRef('https://w3id.org/careerkg/career/machine-learning-engineer')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from ..namespaces import BASE

__all__ = [
    "ID_PATTERN",
    "MATCH_TYPES",
    "SKILL_TYPES",
    "Career",
    "Concept",
    "CuratedData",
    "Duty",
    "Skill",
    "career_iri",
    "career_relation_iri",
    "duty_iri",
    "esco_collection_iri",
    "industry_iri",
    "onet_commodity_iri",
    "onet_element_iri",
    "onet_occupation_iri",
    "onet_technology_iri",
    "setting_iri",
    "skill_iri",
    "skill_match_iri",
    "suggested_match_iri",
]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SKILL_TYPES = ("technology", "knowledge", "competence")
MATCH_TYPES = ("exact", "close", "broad", "narrow")


def career_iri(career_id: str) -> URIRef:
    """IRI of a curated career."""
    return URIRef(f"{BASE}career/{career_id}")


def career_relation_iri(career_id: str, target_id: str) -> URIRef:
    """IRI of the qualified link (with its reason) from one curated career to a related one."""
    return URIRef(f"{BASE}career/{career_id}/related/{target_id}")


def duty_iri(career_id: str, position: int) -> URIRef:
    """IRI of the ``position``-th (from 1) duty of a career."""
    return URIRef(f"{BASE}career/{career_id}/duty/{position}")


def skill_iri(skill_id: str) -> URIRef:
    """IRI of a skill of the curated catalogue."""
    return URIRef(f"{BASE}skill/{skill_id}")


def industry_iri(industry_id: str) -> URIRef:
    """IRI of an industry."""
    return URIRef(f"{BASE}industry/{industry_id}")


def setting_iri(setting_id: str) -> URIRef:
    """IRI of a work setting."""
    return URIRef(f"{BASE}setting/{setting_id}")


@dataclass(frozen=True)
class Concept:
    """A catalogue entry (industry or work setting): id, label, aliases, definition."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    definition: str | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Skill:
    """One skill of the catalogue; ``type`` is technology, knowledge or competence."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    definition: str | None = None
    esco: str | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Duty:
    """A duty of a career, with the skills it needs."""

    label: str
    definition: str | None = None
    skills: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Career:
    """One career file of ``data/careers/``."""

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    definition: str | None = None
    specialization_of: str | None = None
    onet: str | None = None
    onet_match: str = "close"
    esco: str | None = None
    esco_match: str = "close"
    isco: str | None = None
    essential_skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()
    duties: tuple[Duty, ...] = ()
    #: Ids of the careers judged related (shared core skills, usual next step, same team).
    related: tuple[str, ...] = ()
    #: Why each related career is related, keyed by its id (a plain-id entry has none).
    reasons: dict[str, str] = field(default_factory=dict, hash=False)
    #: Ids of careers only listed alongside this one on a source page ("See Also"): no claim
    #: that they are related, and no weight in traversal.
    listed_with: tuple[str, ...] = ()
    collaborates_with: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    work_settings: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    #: Line of each reference, keyed by (field, id): where "unknown skill" errors point.
    ref_lines: dict[tuple[str, str], int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, field_name: str, ident: str) -> int:
        """The line where ``field_name`` names ``ident`` (the file's first line if unknown)."""
        return self.ref_lines.get((field_name, ident), self.line)


@dataclass
class CuratedData:
    """Everything read from ``data/``, checked and cross-referenced."""

    careers: dict[str, Career] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    industries: dict[str, Concept] = field(default_factory=dict)
    work_settings: dict[str, Concept] = field(default_factory=dict)
    checksum: str = ""


def onet_occupation_iri(code: str) -> URIRef:
    """IRI careerkg gives an O*NET-SOC occupation, e.g. ``.../onet/occupation/15-2051.00``."""
    return URIRef(f"{BASE}onet/occupation/{code}")


def onet_element_iri(element_id: str) -> URIRef:
    """IRI of an O*NET content-model element (a skill, knowledge area, ...), e.g. ``2.A.1.a``."""
    return URIRef(f"{BASE}onet/element/{element_id}")


def onet_technology_iri(slug: str) -> URIRef:
    """IRI of an O*NET technology example (``Python``), by a lower-case slug of its name."""
    return URIRef(f"{BASE}onet/technology/{slug}")


def onet_commodity_iri(code: str) -> URIRef:
    """IRI of an O*NET (UNSPSC) technology commodity, e.g. ``43232306``."""
    return URIRef(f"{BASE}onet/commodity/{code}")


def esco_collection_iri(name: str) -> URIRef:
    """IRI careerkg gives an ESCO skill or occupation collection, e.g. ``digital-skills``."""
    return URIRef(f"{BASE}esco/collection/{name}")


def skill_match_iri(key: str) -> URIRef:
    """IRI of a qualified cross-source skill match, keyed by a digest of its two skills."""
    return URIRef(f"{BASE}match/skill/{key}")


def suggested_match_iri(key: str) -> URIRef:
    """IRI of a suggested occupation match, keyed by a digest of its career and occupation."""
    return URIRef(f"{BASE}match/suggested/{key}")

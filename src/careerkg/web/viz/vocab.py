"""What a view can draw: node kinds, relations, their legend styles, and short node ids.

>>> KINDS["career"]["label"], RELATIONS["relatedCareer"]["symmetric"]
('Career', True)
>>> short_id("https://w3id.org/careerkg/skill/python")
'skill:python'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import URIRef

from ...errors import InputError
from ...namespaces import BASE

__all__ = [
    "KINDS",
    "KIND_ORDER",
    "PATH_RELATIONS",
    "PRIORITY",
    "RELATIONS",
    "SHORT_PREFIXES",
    "check_iri",
    "expand_id",
    "parse_kinds",
    "relation_label",
    "short_id",
]

#: Node kinds: legend label, colour and vis-network shape.
KINDS: dict[str, dict[str, str]] = {
    "career": {"label": "Career", "color": "#1f77b4", "shape": "dot"},
    "specialization": {"label": "Specialization", "color": "#9467bd", "shape": "diamond"},
    "technology": {"label": "Skill: technology", "color": "#2ca02c", "shape": "square"},
    "knowledge": {"label": "Skill: knowledge", "color": "#17becf", "shape": "triangle"},
    "competence": {"label": "Skill: competence", "color": "#bcbd22", "shape": "triangleDown"},
    "skill": {"label": "Skill (other)", "color": "#7f7f7f", "shape": "square"},
    "duty": {"label": "Duty", "color": "#ff7f0e", "shape": "hexagon"},
    "industry": {"label": "Industry", "color": "#d62728", "shape": "star"},
    "setting": {"label": "Work setting", "color": "#8c564b", "shape": "dot"},
    "other": {"label": "Other", "color": "#c7c7c7", "shape": "dot"},
}

#: Relations drawn, with legend label, colour, and whether they are symmetric.
RELATIONS: dict[str, dict[str, Any]] = {
    "specializationOf": {"label": "specialization of", "color": "#9467bd", "symmetric": False},
    "essentialSkill": {"label": "essential skill", "color": "#2ca02c", "symmetric": False},
    "optionalSkill": {"label": "optional skill", "color": "#98df8a", "symmetric": False},
    "usesTechnology": {"label": "uses technology", "color": "#2ca02c", "symmetric": False},
    "hasDuty": {"label": "has duty", "color": "#ff7f0e", "symmetric": False},
    "requiresSkill": {"label": "duty needs skill", "color": "#ffbb78", "symmetric": False},
    "relatedCareer": {"label": "related career", "color": "#1f77b4", "symmetric": True},
    "collaboratesWith": {"label": "collaborates with", "color": "#aec7e8", "symmetric": True},
    "inIndustry": {"label": "in industry", "color": "#d62728", "symmetric": False},
    "workSetting": {"label": "work setting", "color": "#8c564b", "symmetric": False},
}

#: Steps a transition path (:func:`careerkg.network.traverse.paths`) can take besides :data:`RELATIONS`.
PATH_RELATIONS: dict[str, dict[str, str]] = {
    "hasSpecialization": {"label": "has specialization", "color": "#c5b0d5"},
    "exactMatch": {"label": "same occupation (exact match)", "color": "#7f7f7f"},
    "closeMatch": {"label": "same occupation (close match)", "color": "#a0a0a0"},
    "broadMatch": {"label": "broader occupation", "color": "#8c6d31"},
    "narrowMatch": {"label": "narrower occupation", "color": "#bd9e39"},
    "sharedSkills": {"label": "shares skills", "color": "#e377c2"},
}

#: Node kinds, most important first: careers before skills, skills before duties.
KIND_ORDER: tuple[str, ...] = (
    "career",
    "specialization",
    "industry",
    "setting",
    "technology",
    "knowledge",
    "competence",
    "skill",
    "duty",
    "other",
)

#: Ring order when a view must be cut (and around a ring).
PRIORITY: dict[str, int] = {k: i for i, k in enumerate(KIND_ORDER)}

#: Plural or grouped names accepted by :func:`parse_kinds`.
_KIND_ALIASES = {
    "careers": "career",
    "duties": "duty",
    "industries": "industry",
    "settings": "setting",
    "specializations": "specialization",
}
_SKILL_KINDS = {"skill", "technology", "knowledge", "competence"}

#: Compact prefixes for node ids on the page (stable across requests, so the explorer can expand).
_SHORT = [
    ("career:", BASE + "career/"),
    ("skill:", BASE + "skill/"),
    ("industry:", BASE + "industry/"),
    ("setting:", BASE + "setting/"),
    ("onet:", BASE + "onet/occupation/"),
    ("esco:", "http://data.europa.eu/esco/"),
]

#: The prefixes of :func:`short_id`, as (short, IRI base) pairs (for a page that expands ids itself).
SHORT_PREFIXES: tuple[tuple[str, str], ...] = tuple(_SHORT)

_BAD_IRI_CHARS = set('<>"{}|^`\\ \n\r\t')


def _swap_prefix(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``text`` with the first matching ``old`` prefix of ``pairs`` (old, new) replaced by ``new``."""
    for old, new in pairs:
        if text.startswith(old):
            return new + text[len(old) :]
    return text


def short_id(iri: str) -> str:
    """A short, stable id for a node on the page.

    >>> short_id("https://w3id.org/careerkg/career/data-scientist")
    'career:data-scientist'
    """
    return _swap_prefix(iri, ((base, prefix) for prefix, base in _SHORT))


def expand_id(ident: str) -> str:
    """The IRI behind a :func:`short_id` (full IRIs pass through).

    >>> expand_id("skill:python")
    'https://w3id.org/careerkg/skill/python'
    """
    return _swap_prefix(ident, _SHORT)


def check_iri(iri: str) -> URIRef:
    """``iri`` as a :class:`~rdflib.URIRef`, safe to paste into SPARQL as ``<iri>``.

    Raises :class:`~careerkg.errors.InputError` for anything but an http(s) or urn IRI without
    characters that could end the IRI early.

    >>> check_iri("urn:x")
    rdflib.term.URIRef('urn:x')
    """
    if not iri.startswith(("http://", "https://", "urn:")) or _BAD_IRI_CHARS & set(iri):
        raise InputError(f"not a node IRI or id: {iri!r}")
    return URIRef(iri)


def parse_kinds(kinds: Iterable[str] | None) -> set[str] | None:
    """The node kinds named in ``kinds`` (comma-separated or repeated; ``None``: every kind).

    ``skill`` means every skill kind; plurals such as ``careers`` are accepted.

    >>> sorted(parse_kinds(["careers,skill"]))
    ['career', 'competence', 'knowledge', 'skill', 'technology']
    """
    if kinds is None:
        return None
    wanted: set[str] = set()
    for raw in kinds:
        for k in str(raw).split(","):
            k = k.strip().lower()
            if not k:
                continue
            if k in ("skill", "skills"):
                wanted |= _SKILL_KINDS
            elif k in KINDS:
                wanted.add(k)
            elif k in _KIND_ALIASES:
                wanted.add(_KIND_ALIASES[k])
            else:
                raise InputError(f"unknown node kind {k!r} (choose from {', '.join(KINDS)})")
    return wanted


def relation_label(relation: str) -> str:
    """The legend label of a relation (the relation itself when it is unknown).

    >>> relation_label("relatedCareer"), relation_label("madeUp")
    ('related career', 'madeUp')
    """
    return (RELATIONS.get(relation) or PATH_RELATIONS.get(relation) or {"label": relation})["label"]

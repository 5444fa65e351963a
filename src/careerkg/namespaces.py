"""The careerkg vocabulary and the IRIs of everything careerkg mints.

``CKG`` lists every class and property of ``ontology/careerkg.ttl`` (a test keeps the two in
step), and fails loudly on a misspelt term:

>>> CKG.Career
rdflib.term.URIRef('https://w3id.org/careerkg/ontology#Career')
>>> CKG.Carer
Traceback (most recent call last):
...
AttributeError: term 'Carer' not in namespace 'https://w3id.org/careerkg/ontology#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "BASE",
    "CKG",
    "ESCO",
    "GRAPH",
    "PREFIXES",
    "SCHEMA",
    "graph_iri",
]

BASE = "https://w3id.org/careerkg/"


class CKG(DefinedNamespace):
    """The careerkg ontology, ``https://w3id.org/careerkg/ontology#``."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # classes
    Career: URIRef
    Skill: URIRef
    Technology: URIRef
    Knowledge: URIRef
    Competence: URIRef
    Duty: URIRef
    Industry: URIRef
    WorkSetting: URIRef
    # career to career
    specializationOf: URIRef
    hasSpecialization: URIRef
    relatedCareer: URIRef
    listedWith: URIRef
    collaboratesWith: URIRef
    # career to skill
    requiresSkill: URIRef
    essentialSkill: URIRef
    optionalSkill: URIRef
    usesTechnology: URIRef
    # duties and places
    hasDuty: URIRef
    inIndustry: URIRef
    workSetting: URIRef
    # codes
    onetCode: URIRef
    iscoCode: URIRef
    skillType: URIRef
    # imported sources: qualified relations and source attributes
    SkillRating: URIRef
    TechnologyUse: URIRef
    CareerRelation: URIRef
    Match: URIRef
    SkillMatch: URIRef
    SuggestedMatch: URIRef
    hasSkillRating: URIRef
    ratedSkill: URIRef
    importance: URIRef
    level: URIRef
    hasTechnologyUse: URIRef
    technology: URIRef
    hotTechnology: URIRef
    inDemand: URIRef
    hasCareerRelation: URIRef
    relationTarget: URIRef
    reason: URIRef
    relatednessTier: URIRef
    relatednessRank: URIRef
    jobZone: URIRef
    dutyType: URIRef
    reuseLevel: URIRef
    relatedSkill: URIRef
    essentialRelatedSkill: URIRef
    optionalRelatedSkill: URIRef
    matchedSkill: URIRef
    matchConfidence: URIRef
    matchMethod: URIRef
    suggestedMatch: URIRef
    hasSuggestedMatch: URIRef
    suggestedOccupation: URIRef
    matchRank: URIRef


ESCO = Namespace("http://data.europa.eu/esco/model#")
SCHEMA = Namespace("https://schema.org/")
GRAPH = Namespace(BASE + "graph/")


def graph_iri(source: str) -> URIRef:
    """The named graph that holds one source's triples.

    >>> graph_iri("curated")
    rdflib.term.URIRef('https://w3id.org/careerkg/graph/curated')
    """
    return GRAPH[source]


#: Prefixes bound in every query and serialization.
PREFIXES: dict[str, str] = {
    "ckg": str(CKG._NS),
    "career": BASE + "career/",
    "skill": BASE + "skill/",
    "industry": BASE + "industry/",
    "setting": BASE + "setting/",
    "ckgraph": str(GRAPH),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": str(SCHEMA),
    "esco": str(ESCO),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}

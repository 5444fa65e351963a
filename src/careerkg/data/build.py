"""Curated records -> triples, checked with SHACL, into the store's named graphs.

This module is the only writer of curated data to a store. The pipeline is

1. :func:`careerkg.data.curated.load_curated` reads and checks ``data/``;
2. :func:`curated_graph` turns the records into triples;
3. SHACL validates the triples against ``ontology/``;
4. only when all of that passed, the ``curated`` and ``ontology`` named graphs are replaced.

>>> from careerkg.store import open_store
>>> report = build(open_store("oxigraph-memory"))
>>> report.careers >= 1 and report.triples > 0
True
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

from ..errors import DataError
from ..namespaces import CKG, PREFIXES, SCHEMA, graph_iri
from ..resources import data_dir, ontology_dir
from ..store import GraphStore
from .curated import load_curated
from .model import (
    CuratedData,
    career_iri,
    career_relation_iri,
    duty_iri,
    industry_iri,
    onet_occupation_iri,
    setting_iri,
    skill_iri,
)
from .ontology import load_ontology, shacl_problems

__all__ = ["BuildReport", "build", "curated_graph", "provenance", "validate_data"]

log = logging.getLogger(__name__)

CURATED = graph_iri("curated")
ONTOLOGY = graph_iri("ontology")
_VOID = Namespace("http://rdfs.org/ns/void#")
_MATCH = {
    "exact": SKOS.exactMatch,
    "close": SKOS.closeMatch,
    "broad": SKOS.broadMatch,
    "narrow": SKOS.narrowMatch,
}
_SKILL_CLASS = {
    "technology": CKG.Technology,
    "knowledge": CKG.Knowledge,
    "competence": CKG.Competence,
}
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def _package_version() -> str:
    try:
        return version("careerkg")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _text(value: str) -> Literal:
    # Explicit xsd:string: RDF 1.1 stores (Oxigraph) report plain literals that way.
    return Literal(value, datatype=XSD.string)


def _bind(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def _describe(g: Graph, node: URIRef, label: str, alt_labels: Iterable[str], definition: str | None) -> None:
    """Add ``node``'s preferred label, its alternative labels and its definition (if any)."""
    g.add((node, SKOS.prefLabel, _en(label)))
    for alt in alt_labels:
        g.add((node, SKOS.altLabel, _en(alt)))
    if definition:
        g.add((node, SKOS.definition, _en(definition)))


def curated_graph(data: CuratedData) -> tuple[Graph, dict[URIRef, tuple[str, int]]]:
    """The triples of the curated data, and where each subject came from (file, line).

    Symmetric relations (``relatedCareer``, ``collaboratesWith``) are written in both
    directions and a specialization also gets ``skos:broader``, so plain queries need no
    reasoner. Each related career named in a file also gets a qualified
    ``ckg:CareerRelation`` (``ckg:hasCareerRelation``, ``ckg:relationTarget``, ``ckg:reason``)
    from the career that names it. ``listed_with`` becomes ``ckg:listedWith`` (and
    ``rdfs:seeAlso``), one direction only and never ``relatedCareer``.
    """
    g = _bind(Graph())
    where: dict[URIRef, tuple[str, int]] = {}
    add = g.add

    for skill in data.skills.values():
        s = skill_iri(skill.id)
        where[s] = (skill.file, skill.line)
        add((s, RDF.type, CKG.Skill))
        add((s, RDF.type, _SKILL_CLASS[skill.type]))
        add((s, SKOS.prefLabel, _en(skill.label)))
        add((s, CKG.skillType, _text(skill.type)))
        for alias in skill.aliases:
            add((s, SKOS.altLabel, _en(alias)))
        if skill.definition:
            add((s, SKOS.definition, _en(skill.definition)))
        if skill.esco:
            add((s, SKOS.exactMatch, URIRef(skill.esco)))

    for catalogue, cls, mint in (
        (data.industries, CKG.Industry, industry_iri),
        (data.work_settings, CKG.WorkSetting, setting_iri),
    ):
        for concept in catalogue.values():
            c = mint(concept.id)
            where[c] = (concept.file, concept.line)
            add((c, RDF.type, cls))
            _describe(g, c, concept.label, concept.aliases, concept.definition)

    for career in data.careers.values():
        c = career_iri(career.id)
        where[c] = (career.file, career.line)
        add((c, RDF.type, CKG.Career))
        _describe(g, c, career.label, career.alt_labels, career.definition)
        if career.specialization_of:
            parent = career_iri(career.specialization_of)
            add((c, CKG.specializationOf, parent))
            add((c, SKOS.broader, parent))
        if career.onet:
            add((c, CKG.onetCode, _text(career.onet)))
            add((c, _MATCH[career.onet_match], onet_occupation_iri(career.onet)))
        if career.esco:
            add((c, _MATCH[career.esco_match], URIRef(career.esco)))
        if career.isco:
            add((c, CKG.iscoCode, _text(career.isco)))
        for prop, ids in (
            (CKG.essentialSkill, career.essential_skills),
            (CKG.optionalSkill, career.optional_skills),
        ):
            for ident in ids:
                add((c, prop, skill_iri(ident)))
                if data.skills[ident].type == "technology":
                    add((c, CKG.usesTechnology, skill_iri(ident)))
        for position, duty in enumerate(career.duties, start=1):
            d = duty_iri(career.id, position)
            where[d] = (career.file, duty.line)
            add((c, CKG.hasDuty, d))
            add((d, RDF.type, CKG.Duty))
            add((d, SKOS.prefLabel, _en(duty.label)))
            add((d, SCHEMA.position, Literal(position, datatype=XSD.integer)))
            if duty.definition:
                add((d, SKOS.definition, _en(duty.definition)))
            for ident in duty.skills:
                add((d, CKG.requiresSkill, skill_iri(ident)))
        for prop, ids in (
            (CKG.relatedCareer, career.related),
            (CKG.collaboratesWith, career.collaborates_with),
        ):
            for ident in ids:
                add((c, prop, career_iri(ident)))
                add((career_iri(ident), prop, c))
        for ident in career.related:
            r = career_relation_iri(career.id, ident)
            where[r] = (career.file, career.line_of("related", ident))
            add((c, CKG.hasCareerRelation, r))
            add((r, RDF.type, CKG.CareerRelation))
            add((r, CKG.relationTarget, career_iri(ident)))
            if ident in career.reasons:
                add((r, CKG.reason, _en(career.reasons[ident])))
        for ident in career.listed_with:
            add((c, CKG.listedWith, career_iri(ident)))
            add((c, RDFS.seeAlso, career_iri(ident)))
        for ident in career.industries:
            add((c, CKG.inIndustry, industry_iri(ident)))
        for ident in career.work_settings:
            add((c, CKG.workSetting, setting_iri(ident)))
    return g, where


def provenance(
    graph: URIRef,
    *,
    title: str,
    source: str,
    version: str,
    license: URIRef | None = None,
    checksums: dict[str, str] | None = None,
    generated: datetime | None = None,
) -> Graph:
    """Triples describing a named graph: its source, version, license, checksums and time.

    They go inside the named graph they describe, so replacing the graph replaces them too.
    """
    g = Graph()
    g.add((graph, RDF.type, _VOID.Dataset))
    g.add((graph, RDF.type, PROV.Entity))
    g.add((graph, DCTERMS.title, _text(title)))
    g.add((graph, DCTERMS.source, _text(source)))
    g.add((graph, DCTERMS.hasVersion, _text(version)))
    if license is not None:
        g.add((graph, DCTERMS.license, license))
    moment = generated or datetime.now(UTC).replace(microsecond=0)
    g.add((graph, PROV.generatedAtTime, Literal(moment, datatype=XSD.dateTime)))
    for name, digest in sorted((checksums or {}).items()):
        g.add((graph, DCTERMS.identifier, _text(f"{name} sha256:{digest}")))
    return g


def validate_data(root: Path | None = None) -> tuple[CuratedData, Graph]:
    """Load ``data/``, check it and validate its triples with SHACL.

    The checked result is remembered in this process for as long as no file of ``data/`` or
    ``ontology/`` changes (same names, sizes and modification times), so building the same
    data into a second store skips the second check; the graph returned is a fresh copy.

    Raises
    ------
    DataError
        Listing every problem as ``file:line: message``.
    """
    folder = Path(root or data_dir())
    key = _fingerprint(folder)
    if key not in _CHECKED:
        data = load_curated(folder)
        graph, where = curated_graph(data)
        problems = shacl_problems(graph, where)
        if problems:
            raise DataError(problems)
        _CHECKED.clear()  # one data set at a time
        _CHECKED[key] = (data, graph)
    data, graph = _CHECKED[key]
    copy = _bind(Graph())
    copy += graph
    return data, copy


_CHECKED: dict[tuple, tuple[CuratedData, Graph]] = {}


def _fingerprint(folder: Path) -> tuple:
    """Name, size and modification time of every file the curated graph is made from."""
    files = [*sorted(folder.rglob("*")), *sorted(ontology_dir().glob("*.ttl"))]
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file())


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    careers: int
    skills: int
    triples: int
    seconds: float
    store: str


def build(store: GraphStore, root: Path | None = None) -> BuildReport:
    """Validate ``data/`` and write the curated and ontology graphs into ``store``.

    Nothing is written unless every check passed, so a failed build leaves the store as it was.
    """
    started = time.perf_counter()
    data, graph = validate_data(root)
    graph += provenance(
        CURATED,
        title="careerkg curated careers",
        source=str(root or "careerkg data/"),
        version=_package_version(),
        license=LICENSE,
        checksums={"data": data.checksum},
    )
    ontology = load_ontology()
    ontology += provenance(
        ONTOLOGY,
        title="careerkg ontology",
        source="ontology/careerkg.ttl",
        version=_package_version(),
    )
    store.replace_graph(ONTOLOGY, ontology)
    written = store.replace_graph(CURATED, graph)
    seconds = time.perf_counter() - started
    log.info("built %d careers, %d triples in %.2fs", len(data.careers), written, seconds)
    return BuildReport(len(data.careers), len(data.skills), written, seconds, store.location)

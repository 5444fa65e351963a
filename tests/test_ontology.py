"""The ontology files: parseable, every term labelled and commented, in step with the code."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph

from careerkg.data.ontology import load_ontology, load_shapes
from careerkg.namespaces import CKG

NS = str(CKG._NS)


def _terms(graph: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        str(s)[len(NS) :] for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(NS)
    }


def test_namespace_class_lists_exactly_the_ontology_terms() -> None:
    declared = set(CKG.__annotations__)
    assert declared == _terms(load_ontology())


def test_every_term_has_an_english_label_and_comment() -> None:
    ontology = load_ontology()
    missing = []
    for name in _terms(ontology):
        term = CKG[name]
        labels = [lab for lab in ontology.objects(term, RDFS.label) if lab.language == "en"]
        comments = [c for c in ontology.objects(term, RDFS.comment) if c.language == "en"]
        if not labels or not comments:
            missing.append(name)
    assert missing == []


def test_alignment_with_schema_org_skos_and_esco() -> None:
    ontology = load_ontology()
    supers = set(ontology.objects(CKG.Career, RDFS.subClassOf))
    assert {
        "https://schema.org/Occupation",
        "http://data.europa.eu/esco/model#Occupation",
        "http://www.w3.org/2004/02/skos/core#Concept",
    } <= {str(s) for s in supers}
    essential = {str(s) for s in ontology.objects(CKG.essentialSkill, RDFS.subPropertyOf)}
    assert "http://data.europa.eu/esco/model#relatedEssentialSkill" in essential


def test_shapes_parse_and_target_the_core_classes() -> None:
    from rdflib.namespace import SH

    shapes = load_shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    assert {CKG.Career, CKG.Skill, CKG.Duty} <= targets

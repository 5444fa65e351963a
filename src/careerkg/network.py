"""RDF -> NetworkX views of the career graph.

>>> from rdflib import Graph, URIRef, Literal, RDF
>>> from careerkg.namespaces import CKG
>>> g = Graph()
>>> _ = g.add((URIRef("urn:a"), RDF.type, CKG.Career))
>>> _ = g.add((URIRef("urn:a"), CKG.relatedCareer, URIRef("urn:b")))
>>> view = typed_graph(g)
>>> view.nodes["urn:a"]["type"], list(view.edges(keys=True))
('Career', [('urn:a', 'urn:b', 'relatedCareer')])
"""

from __future__ import annotations

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

__all__ = ["local_name", "typed_graph"]


def local_name(iri: str) -> str:
    """The last segment of an IRI: ``...ontology#Career`` -> ``Career``."""
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def typed_graph(graph: Graph) -> nx.MultiDiGraph:
    """The full typed graph: a node per IRI resource, an edge per IRI-valued triple.

    Nodes carry ``label`` (skos:prefLabel) and ``type`` (local name of the most specific
    rdf:type, sorted for stability); edges are keyed and labelled by the property's local name.
    Literal-valued properties other than labels become node attributes.
    """
    view = nx.MultiDiGraph()
    types: dict[str, list[str]] = {}
    for s, p, o in sorted(graph):
        if not isinstance(s, URIRef):
            continue
        node = str(s)
        if node not in view:
            view.add_node(node)
        if p == RDF.type:
            types.setdefault(node, []).append(local_name(str(o)))
        elif isinstance(o, URIRef):
            view.add_edge(node, str(o), key=local_name(str(p)), relation=local_name(str(p)))
        elif isinstance(o, Literal):
            key = "label" if p == SKOS.prefLabel else local_name(str(p))
            if key not in view.nodes[node]:
                view.nodes[node][key] = str(o)
    for node, names in types.items():
        # Prefer the subclass (Technology over Skill) by taking the alphabetically last
        # non-generic type when there are several.
        specific = [n for n in names if n not in ("Skill", "Concept", "Dataset", "Entity")]
        view.nodes[node]["type"] = sorted(specific or names)[0]
    for node, attrs in view.nodes(data=True):
        attrs.setdefault("label", local_name(node))
        attrs.setdefault("type", "Resource")
    return view

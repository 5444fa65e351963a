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

import heapq
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from .names import normalize
from .raw import INVERSE_RELATIONS, RawData, edge_weight, local_name

__all__ = [
    "HOP_COST",
    "MATCH_COST",
    "SOURCE_NAMES",
    "career_career_graph",
    "career_skill_graph",
    "local_name",
    "skill_groups",
    "source_names",
    "source_of",
    "typed_graph",
    "typed_graph_from_rows",
    "weighted_jaccard",
    "write_view",
]

_RDF_TYPE = str(RDF.type)
_PREF_LABEL = str(SKOS.prefLabel)
_GENERIC_TYPES = ("Skill", "Concept", "Dataset", "Entity")

#: Cost added to every step of a path, so that a chain of free steps is never preferred.
HOP_COST = 0.05
#: Cost of crossing to the same occupation in another source (skill gap is not comparable there).
MATCH_COST = {"exactMatch": 0.0, "closeMatch": 0.1, "broadMatch": 0.25, "narrowMatch": 0.25}
#: Relations between careers, strongest first (the first one present names an edge).
CAREER_RELATIONS = (
    "exactMatch",
    "closeMatch",
    "specializationOf",
    "hasSpecialization",
    "relatedCareer",
    "collaboratesWith",
    "broadMatch",
    "narrowMatch",
    "sharedSkills",
)


def typed_graph(graph: Graph) -> nx.MultiDiGraph:
    """The full typed graph: a node per IRI resource, an edge per IRI-valued triple.

    Nodes carry ``label`` (skos:prefLabel) and ``type`` (local name of the most specific
    rdf:type, sorted for stability); edges are keyed and labelled by the property's local name.
    Literal-valued properties other than labels become node attributes.
    """
    rows = (
        (str(s), str(p), str(o), True if isinstance(o, URIRef) else False if isinstance(o, Literal) else None)
        for s, p, o in sorted(graph)
        if isinstance(s, URIRef)
    )
    return typed_graph_from_rows(rows)


def typed_graph_from_rows(rows: Iterable[tuple[str, str, str, bool | None]]) -> nx.MultiDiGraph:
    """:func:`typed_graph` from ``(subject, predicate, object, object_is_iri)`` rows
    (``object_is_iri`` is None for a blank node object, which adds nothing but the subject).

    >>> view = typed_graph_from_rows([("urn:a", str(SKOS.prefLabel), "A", False)])
    >>> dict(view.nodes["urn:a"])
    {'label': 'A', 'type': 'Resource'}
    """
    view = nx.MultiDiGraph()
    types: dict[str, list[str]] = {}
    nodes = view._node
    for node, p, o, is_iri in rows:
        if node not in nodes:
            view.add_node(node)
        if p == _RDF_TYPE:
            types.setdefault(node, []).append(local_name(o))
        elif is_iri:
            name = local_name(p)
            view.add_edge(node, o, key=name, relation=name)
        elif is_iri is False:
            key = "label" if p == _PREF_LABEL else local_name(p)
            if key not in nodes[node]:
                nodes[node][key] = o
    for node, names in types.items():
        # Prefer the subclass (Technology over Skill) when there are several types.
        specific = [n for n in names if n not in _GENERIC_TYPES]
        view.nodes[node]["type"] = sorted(specific or names)[0]
    for node, attrs in view.nodes(data=True):
        attrs.setdefault("label", local_name(node))
        attrs.setdefault("type", "Resource")
    return view


def source_of(iri: str) -> str:
    """Which source an IRI belongs to: ``onet``, ``curated``, ``esco`` or ``other`` (the keys
    of :data:`SOURCE_NAMES`).

    >>> source_of("http://data.europa.eu/esco/occupation/x"), source_of("https://w3id.org/careerkg/career/y")
    ('esco', 'curated')
    """
    if iri.startswith("https://w3id.org/careerkg/onet/"):
        return "onet"
    if iri.startswith("https://w3id.org/careerkg/"):
        return "curated"
    if iri.startswith("http://data.europa.eu/esco/"):
        return "esco"
    return "other"


#: How each source is named in answers (``SkillRef.sources``, the CLI's source column).
SOURCE_NAMES = {"curated": "curated", "onet": "O*NET", "esco": "ESCO", "other": "other"}
_SOURCE_RANK = {"curated": 0, "onet": 1, "esco": 2, "other": 3}
_KIND = {"e": "essential", "o": "optional", "t": "technology"}
_NEED_RANK = {"e": 2, "t": 1, "o": 0}


def _member_order(iri: str) -> tuple[int, int, str]:
    """Which member names a canonical skill: curated first, then O*NET, then ESCO; then the
    shortest IRI, then the IRI itself (so the choice never depends on the order of the links)."""
    return (_SOURCE_RANK[source_of(iri)], len(iri), iri)


def source_names(skills: Iterable[str]) -> tuple[str, ...]:
    """The sources of ``skills`` as answers name them, curated first, each once.

    >>> source_names(["http://data.europa.eu/esco/skill/x", "https://w3id.org/careerkg/skill/y"])
    ('curated', 'ESCO')
    """
    found = {source_of(s) for s in skills}
    return tuple(SOURCE_NAMES[k] for k in sorted(found, key=_SOURCE_RANK.__getitem__))


def skill_groups(links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Skill -> the canonical skill of its group, for every skill a link names.

    Skills joined by the links, transitively, form one group (union-find); its canonical member
    is the first by :func:`_member_order` (curated, O*NET, ESCO; shortest IRI), whatever the
    order of the links.

    >>> groups = skill_groups([("urn:z", "https://w3id.org/careerkg/skill/py"), ("urn:z", "urn:a")])
    >>> sorted(set(groups.values()))
    ['https://w3id.org/careerkg/skill/py']
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            keep, drop = sorted((ra, rb), key=_member_order)
            parent[drop] = keep
    return {x: find(x) for x in sorted(parent)}


def career_skill_graph(raw: RawData) -> nx.Graph:
    """The bipartite career–skill view, in one skill space.

    Skills that the store declares the same (``skos:exactMatch`` / ``skos:closeMatch`` between
    skills: the importer's matches traversal follows and the curated ``esco:`` links, see
    :mod:`careerkg.imports.skill_matching`) are one **canonical skill** node here, named by its
    first member (:func:`skill_groups`), so that every comparison of skills (similarity, gaps,
    paths, transitions, central skills) sees a curated skill, its O*NET element or technology
    and its ESCO skill as one.

    Career nodes have ``kind="career"``, ``label``, ``source`` (curated, onet, esco),
    ``code`` (O*NET-SOC, when known) and ``total`` (the sum of their skill weights); skill
    nodes have ``kind="skill"``, ``label``, ``skill_type``, ``source`` (the canonical member's)
    and ``sources`` (every member's, as answers name them: curated, O*NET, ESCO); a canonical
    skill of several members also has ``members`` (their IRIs, canonical first). An edge links
    a career to a skill with ``weight`` (see :func:`careerkg.network.raw.edge_weight`), ``need``
    (essential, optional or technology), ``sources`` (those of the members the career holds) and
    ``importance`` when the source rates it; a career holding several members of one skill keeps
    the heaviest. ``G.graph["canonical"]`` maps every other member to its canonical skill. The
    explicit career–career links are kept in ``G.graph["links"]`` for
    :func:`career_career_graph`. Treat the view as read-only: edges with equal attributes share
    one attribute dict.
    """
    G = nx.Graph(name="career-skill")
    for c, label in sorted(raw.career_label.items()):
        G.add_node(c, kind="career", label=label, source=source_of(c), total=0.0)
        if c in raw.career_code:
            G.nodes[c]["code"] = raw.career_code[c]
    groups = skill_groups(raw.skill_links)
    members: dict[str, list[str]] = defaultdict(list)
    for member, canonical in groups.items():
        members[canonical].append(member)
    adj = G._adj
    shared: dict[tuple[str, float | None, tuple[str, ...]], dict[str, Any]] = {}
    for c, skills in sorted(raw.career_skills.items()):
        # canonical skill -> (weight, need rank, need, importance), and the members held
        best: dict[str, tuple[float, int, str, float | None]] = {}
        held: dict[str, list[str]] = defaultdict(list)
        for s, k in sorted(skills.items()):
            canonical = groups.get(s, s)
            importance = raw.importance.get((c, s))
            candidate = (edge_weight(k, importance), _NEED_RANK[k], k, importance)
            if canonical not in best or candidate[:2] > best[canonical][:2]:
                best[canonical] = candidate
            held[canonical].append(s)
        total = 0.0
        for s, (w, _rank, k, importance) in sorted(best.items()):
            if s not in G:
                group = sorted(members.get(s, [s]), key=_member_order)
                G.add_node(
                    s,
                    kind="skill",
                    label=raw.skill_label.get(s, local_name(s)),
                    skill_type=raw.skill_type.get(s) or next(
                        (raw.skill_type[m] for m in group if m in raw.skill_type), ""
                    ),
                    source=source_of(s),
                    sources=source_names(group),
                )
                if len(group) > 1:
                    G.nodes[s]["members"] = tuple(group)
            sources = source_names(held[s])
            # Edges with equal attributes share one dict: the cached view then unpickles
            # ~1k dicts instead of one per edge (views are read-only).
            attrs = shared.get((k, importance, sources))
            if attrs is None:
                attrs = {"weight": w, "need": _KIND[k], "sources": sources}
                if importance is not None:
                    attrs["importance"] = importance
                shared[(k, importance, sources)] = attrs
            adj[c][s] = adj[s][c] = attrs
            total += w
        G.nodes[c]["total"] = round(total, 4)
    G.graph["canonical"] = {m: c for m, c in groups.items() if m != c}
    G.graph["links"] = sorted(set(raw.links))
    equivalents: dict[str, set[str]] = defaultdict(set)
    for a, rel, b in G.graph["links"]:
        if rel in ("exactMatch", "closeMatch"):
            equivalents[a].add(b)
            equivalents[b].add(a)
    G.graph["equivalents"] = {c: tuple(sorted(found)) for c, found in sorted(equivalents.items())}
    G.graph["names"] = _career_names(raw)
    G.graph["skill_names"] = _skill_names(G, raw)
    return G


def _career_names(raw: RawData) -> dict[str, str]:
    """Normalized label, alternative label, code and id -> career; curated careers win ties,
    except for O*NET-SOC codes, which name the O*NET occupation when it is imported."""
    pairs = set(raw.names) | {(c, code) for c, code in raw.career_code.items()}
    pairs |= {(c, local_name(c)) for c in raw.career_label if source_of(c) == "curated"}
    table: dict[str, str] = {}
    # An O*NET-SOC code names the O*NET occupation itself when it is imported.
    for c, code in sorted(raw.career_code.items()):
        if source_of(c) == "onet":
            table.setdefault(normalize(code), c)
    for c, name in sorted(pairs, key=lambda p: (source_of(p[0]) != "curated", len(p[0]), p)):
        table.setdefault(normalize(name), c)
    return table


def _skill_names(G: nx.Graph, raw: RawData) -> dict[str, str]:
    """Normalized label (and curated id) of every skill, members included -> canonical skill."""
    table: dict[str, str] = {}
    canonical = G.graph.get("canonical", {})
    skills = [n for n, d in G.nodes(data=True) if d["kind"] == "skill"]
    skills += [m for m, c in canonical.items() if c in G]
    for s in sorted(skills, key=lambda n: (source_of(n) != "curated", len(n), n)):
        node = canonical.get(s, s)
        table.setdefault(normalize(raw.skill_label.get(s) or G.nodes[node]["label"]), node)
        if source_of(s) == "curated":
            table.setdefault(normalize(local_name(s)), node)
    return table


def weighted_jaccard(G: nx.Graph, a: str, b: str) -> tuple[float, float]:
    """Weighted Jaccard similarity of two careers' skills, and the shared weight.

    ``sum(min(w_a, w_b)) / (total_a + total_b - sum(min(w_a, w_b)))`` over shared skills.
    """
    sa, sb = G._adj[a], G._adj[b]
    if len(sa) > len(sb):
        sa, sb = sb, sa
    inter = 0.0
    for s, d in sa.items():
        other = sb.get(s)
        if other is not None:
            w, wo = d["weight"], other["weight"]
            inter += w if w < wo else wo
    union = G.nodes[a]["total"] + G.nodes[b]["total"] - inter
    return (inter / union if union > 0 else 0.0), inter


def _gap_fraction(G: nx.Graph, have: str, want: str) -> float:
    """Share of ``want``'s skill weight that ``have`` lacks (0 = nothing to learn)."""
    total = G.nodes[want]["total"]
    if total <= 0:
        return 1.0
    held = G._adj[have]
    missing = sum(d["weight"] for s, d in G._adj[want].items() if s not in held)
    return missing / total


def career_career_graph(
    cs: nx.Graph, *, per_career: int = 8, min_similarity: float = 0.2, hub_cap: int = 400
) -> nx.DiGraph:
    """The career–career view, directed so that each direction has its own cost.

    An edge ``u -> v`` exists when the store links the two careers (ckg:relatedCareer,
    ckg:collaboratesWith, ckg:specializationOf and its inverse, skos matches) or when ``v`` is
    among the ``per_career`` careers most similar to ``u`` by :func:`weighted_jaccard` (at
    least ``min_similarity``). Edge attributes: ``relation`` (the strongest reason, see
    ``CAREER_RELATIONS``), ``relations`` (all reasons, a tuple), ``similarity`` and ``cost`` —
    ``HOP_COST`` plus the share of ``v``'s skill weight that ``u`` lacks, or plus
    ``MATCH_COST`` for a skos match (the same occupation in another source's skill vocabulary).

    Skills held by more than ``hub_cap`` careers are skipped when looking for candidates (they
    say little and make the search quadratic) but count in the similarity itself.
    """
    G = nx.DiGraph(name="career-career")
    careers = [n for n, d in cs.nodes(data=True) if d["kind"] == "career"]
    for c in careers:
        d = cs.nodes[c]
        attrs = {"label": d["label"], "source": d["source"]}
        if "code" in d:
            attrs["code"] = d["code"]
        G.add_node(c, **attrs)
    G.graph["links"] = cs.graph.get("links", [])
    G.graph["names"] = cs.graph.get("names", {})
    reasons: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, rel, b in cs.graph.get("links", ()):
        reasons[(a, b)].add(rel)
        reasons[(b, a)].add(INVERSE_RELATIONS[rel])
    adj = cs._adj
    pair_similarity: dict[tuple[str, str], float] = {}

    def similarity(u: str, v: str) -> float:
        key = (u, v) if u < v else (v, u)
        found = pair_similarity.get(key)
        if found is None:
            found = pair_similarity[key] = weighted_jaccard(cs, u, v)[0]
        return found

    for c in careers:
        acc: dict[str, float] = defaultdict(float)
        for s, d in adj[c].items():
            holders = adj[s]
            if len(holders) > hub_cap:
                continue
            w = d["weight"]
            for other, e in holders.items():
                we = e["weight"]
                acc[other] += w if w < we else we
        acc.pop(c, None)
        if not acc:
            continue
        candidates = heapq.nlargest(per_career * 2, acc.items(), key=lambda t: (t[1], t[0]))
        scored = sorted(((similarity(c, o), o) for o, _ in candidates), key=lambda t: (-t[0], t[1]))
        for score, other in scored[:per_career]:
            if score >= min_similarity:
                reasons[(c, other)].add("sharedSkills")
                reasons[(other, c)].add("sharedSkills")
    order = {name: i for i, name in enumerate(CAREER_RELATIONS)}
    for (u, v), rels in sorted(reasons.items()):
        ranked = tuple(sorted(rels, key=order.__getitem__))
        sim = similarity(u, v)
        primary = ranked[0]
        extra = MATCH_COST.get(primary)
        cost = HOP_COST + (extra if extra is not None else _gap_fraction(cs, u, v))
        G.add_edge(
            u,
            v,
            relation=primary,
            relations=ranked,
            similarity=round(sim, 4),
            cost=round(cost, 4),
        )
    return G


def _scalar(value: Any) -> Any:
    if isinstance(value, tuple | list | set | frozenset):
        return ";".join(str(v) for v in value)
    return value


def write_view(view: nx.Graph, path: Path, fmt: str) -> Path:
    """Write a view as GraphML or GEXF (list-valued attributes joined with ``;``).

    >>> import tempfile, pathlib
    >>> G = nx.Graph(); G.add_edge("a", "b", relations=("x", "y"))
    >>> out = write_view(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml", "graphml")
    >>> nx.read_graphml(out).edges["a", "b"]["relations"]
    'x;y'
    """
    out = view.__class__()
    for node, attrs in view.nodes(data=True):
        out.add_node(node, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    if view.is_multigraph():
        for u, v, key, attrs in view.edges(keys=True, data=True):
            out.add_edge(u, v, key=key, **{k: _scalar(a) for k, a in attrs.items() if a is not None})
    else:
        for u, v, attrs in view.edges(data=True):
            out.add_edge(u, v, **{k: _scalar(a) for k, a in attrs.items() if a is not None})
    if fmt == "graphml":
        nx.write_graphml(out, path)
    elif fmt == "gexf":
        nx.write_gexf(out, path)
    else:
        from ..errors import InputError

        raise InputError(f"views export to graphml or gexf, not {fmt!r}")
    return Path(path)

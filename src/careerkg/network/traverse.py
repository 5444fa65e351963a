"""Walk the career graph: related careers, similar careers, skill gaps, transition paths.

The functions are written like NetworkX algorithms: the graph comes first (a view from
:mod:`careerkg.network.views`), careers are its nodes (IRIs), and failures raise precise
exceptions (:class:`~careerkg.errors.NotFound` with suggestions, :class:`~careerkg.errors.NoPath`).
:class:`~careerkg.CareerGraph` wraps each one and resolves the names a person types (labels,
alternative names, ids, O*NET codes) once, with the one resolver (:meth:`CareerGraph.resolve`).

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> cs = kg.views.career_skill()
>>> mle, swe = str(kg.resolve("Machine Learning Engineer")), str(kg.resolve("Software Engineer"))
>>> best = similar(cs, mle, k=3)
>>> [m.label for m in best][:1]
['Applied Machine Learning Engineer']
>>> gap = skill_gap(cs, swe, mle)
>>> "PyTorch" in [s.label for s in gap.to_learn]
True
"""

from __future__ import annotations

import difflib
import heapq
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from ..errors import InputError, NoPath, NotFound
from .build import CAREER_RELATIONS, SOURCE_NAMES
from .names import normalize

__all__ = [
    "DEFAULT_KINDS",
    "Neighbor",
    "Path",
    "Ranked",
    "SimilarCareer",
    "SkillGap",
    "SkillRef",
    "Step",
    "Transition",
    "bridges",
    "career_node",
    "central_skills",
    "find_skill",
    "paths",
    "related",
    "similar",
    "skill_gap",
    "transitions",
]

#: Relation kinds :func:`related` follows by default (all explicit links, not derived ones).
DEFAULT_KINDS = (
    "relatedCareer",
    "collaboratesWith",
    "specializationOf",
    "hasSpecialization",
    "exactMatch",
    "closeMatch",
    "broadMatch",
    "narrowMatch",
)
ALL_KINDS = (*DEFAULT_KINDS, "sharedSkills")
_EQUIVALENT = ("exactMatch", "closeMatch")


# -- results ---------------------------------------------------------------------------


class _Result:
    def as_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data."""
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class SkillRef(_Result):
    """A skill as a career needs it: ``weight`` in [0, 1], ``need`` essential/optional/...

    ``skill`` is a canonical skill of the one skill space (see
    :func:`careerkg.network.build.career_skill_graph`); ``sources`` names the sources of its
    members that the answer draws on ("curated", "O*NET", "ESCO"): for a skill that transfers,
    those of the members both careers hold, so a curated skill met by an O*NET technology reads
    ``["curated", "O*NET"]``.
    """

    skill: str
    label: str
    weight: float
    need: str = ""
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Neighbor(_Result):
    """A career reached by :func:`related`: through ``relation`` from ``via``, ``depth`` hops."""

    career: str
    label: str
    relation: str
    depth: int
    via: str


@dataclass(frozen=True)
class SimilarCareer(_Result):
    """A career ranked by :func:`similar`, with the skills behind its ``score``."""

    career: str
    label: str
    score: float
    shared: list[SkillRef]
    only_source: list[SkillRef]
    only_target: list[SkillRef]
    via: str | None = None


@dataclass(frozen=True)
class SkillGap(_Result):
    """What moving from ``source`` to ``target`` takes (skills weighted by ``target``'s needs)."""

    source: str
    target: str
    to_learn: list[SkillRef]
    transfer: list[SkillRef]
    coverage: float


@dataclass(frozen=True)
class Step(_Result):
    """One move of a :class:`Path`, explained."""

    source: str
    target: str
    target_label: str
    relation: str
    cost: float
    carried: list[SkillRef] = field(default_factory=list)
    to_learn: list[SkillRef] = field(default_factory=list)


@dataclass(frozen=True)
class Path(_Result):
    """A transition path: its careers, its explained steps, and its total ``cost``."""

    careers: list[str]
    labels: list[str]
    steps: list[Step]
    cost: float


@dataclass(frozen=True)
class Transition(_Result):
    """A career reachable from a skill set: ``coverage`` is the share of its skill weight held."""

    career: str
    label: str
    coverage: float
    have: list[SkillRef]
    missing: list[SkillRef]


@dataclass(frozen=True)
class Ranked(_Result):
    """A node ranked by :func:`bridges` or :func:`central_skills` (a skill lists the
    ``sources`` of its members; a career, its own source)."""

    node: str
    label: str
    score: float
    degree: int
    sources: list[str] = field(default_factory=list)


# -- naming nodes --------------------------------------------------------------------------
#
# Careers are named by node id (IRI) here, as networkx names nodes: a name a person types is
# resolved once, by the one resolver (:class:`careerkg.network.names.CareerIndex`, which
# :meth:`careerkg.CareerGraph.resolve` uses). Skills a person types (``transitions(skills=)``)
# are looked up by their labels in the view, with :func:`find_skill`.


def career_node(G: nx.Graph, career: str) -> str:
    """``career`` itself when it is a career node of ``G``; else :class:`NotFound`, like
    networkx's ``NodeNotFound``, with close labels as suggestions.

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_node("urn:a", kind="career", label="Alpha")
    >>> career_node(G, "urn:a")
    'urn:a'
    """
    node = str(career)
    if node in G and G.nodes[node].get("kind", "career") == "career":
        return node
    labels = {
        normalize(str(d.get("label", ""))): str(d.get("label", ""))
        for _, d in G.nodes(data=True)
        if d.get("kind", "career") == "career"
    }
    close = difflib.get_close_matches(normalize(node), list(labels), n=3, cutoff=0.6)
    raise NotFound("career", node, [labels[key] for key in close])


def find_skill(G: nx.Graph, name: str) -> str:
    """The skill node of ``G`` that ``name`` stands for: node id, label or alternative label,
    case-insensitive; else :class:`NotFound` with close names."""
    text = str(name).strip()
    text = G.graph.get("canonical", {}).get(text, text)  # a member IRI names its canonical skill
    if text in G and G.nodes[text].get("kind") == "skill":
        return text
    table = G.graph.get("skill_names") or _skill_labels(G)
    node = table.get(normalize(text))
    if node is not None and node in G:
        return node
    raise NotFound("skill", name, difflib.get_close_matches(normalize(text), list(table), n=3, cutoff=0.6))


_SKILL_LABELS: weakref.WeakKeyDictionary[nx.Graph, dict[str, str]] = weakref.WeakKeyDictionary()


def _skill_labels(G: nx.Graph) -> dict[str, str]:
    """Normalized label -> skill node, for a view built without a precomputed table."""
    if G not in _SKILL_LABELS:
        table: dict[str, str] = {}
        for node, d in sorted(G.nodes(data=True)):
            if d.get("kind") == "skill":
                for label in (d.get("label"), node.rsplit("/", 1)[-1]):
                    if label:
                        table.setdefault(normalize(str(label)), node)
        _SKILL_LABELS[G] = table
    return _SKILL_LABELS[G]


def _label(G: nx.Graph, node: str) -> str:
    return str(G.nodes[node].get("label", node))


def _equivalents(G: nx.Graph, career: str) -> list[str]:
    """Careers the store says are the same occupation (skos exact/close match), either way."""
    stored = G.graph.get("equivalents")
    if stored is not None:
        return [n for n in stored.get(career, ()) if n in G]
    found = set()
    for a, rel, b in G.graph.get("links", ()):
        if rel in _EQUIVALENT:
            if a == career:
                found.add(b)
            elif b == career:
                found.add(a)
    return sorted(n for n in found if n in G)


_SOURCE_ORDER = tuple(SOURCE_NAMES.values())


def _sources(*groups: Iterable[str]) -> list[str]:
    """The union of source names, in the order curated, O*NET, ESCO, other."""
    found = {name for group in groups for name in group}
    return [name for name in _SOURCE_ORDER if name in found]


def _refs(
    G: nx.Graph, career: str, skills: Iterable[str], held: dict[str, Iterable[str]] | None = None
) -> list[SkillRef]:
    """``career``'s needs of ``skills``, each with the sources of the members it holds and,
    when given, of the members the other side holds (``held``: skill -> source names)."""
    adj = G._adj[career]
    refs = []
    for s in skills:
        d = adj.get(s)
        if d is None:
            continue
        sources = _sources(d.get("sources", ()), held.get(s, ()) if held is not None else ())
        refs.append(SkillRef(s, _label(G, s), d["weight"], d.get("need", ""), sources))
    refs.sort(key=lambda r: (-r.weight, r.label.casefold(), r.skill))
    return refs


def _holds(G: nx.Graph, career: str) -> dict[str, Iterable[str]]:
    """Skill -> the sources of the members ``career`` holds."""
    return {s: d.get("sources", ()) for s, d in G._adj[career].items()}


# -- algorithms ----------------------------------------------------------------------------


def related(G: nx.DiGraph, career: str, depth: int = 1, kinds: Sequence[str] | None = None) -> list[Neighbor]:
    """Careers linked to ``career`` within ``depth`` hops, each with the relation named.

    Parameters
    ----------
    G : nx.DiGraph
        The career–career view (:meth:`careerkg.network.views.Views.career_career`).
    career : str
        A career node, or its label or code.
    depth : int
        How many hops to follow (1 = direct neighbours).
    kinds : sequence of str, optional
        Relation kinds to follow; default :data:`DEFAULT_KINDS` (explicit links only). Add
        ``"sharedSkills"`` to follow links derived from skill overlap.

    Returns
    -------
    list of Neighbor
        Breadth first: by depth, then relation strength, then label.

    Raises
    ------
    NotFound
        If ``career`` is not a career of ``G``.
    InputError
        If ``depth < 1`` or a kind is unknown.

    Examples
    --------
    >>> from careerkg import CareerGraph
    >>> cc = CareerGraph.open("oxigraph-memory").views.career_career()
    >>> mle = "https://w3id.org/careerkg/career/machine-learning-engineer"
    >>> [(n.label, n.relation) for n in related(cc, mle, kinds=["specializationOf"])]
    [('Artificial Intelligence Engineer', 'specializationOf')]
    """
    if depth < 1:
        raise InputError(f"depth must be at least 1, not {depth}")
    wanted = set(kinds) if kinds else set(DEFAULT_KINDS)
    unknown = wanted - set(ALL_KINDS)
    if unknown:
        raise InputError(f"unknown relation kind {sorted(unknown)[0]!r}; choose from {', '.join(ALL_KINDS)}")
    start = career_node(G, career)
    order = {name: i for i, name in enumerate(CAREER_RELATIONS)}
    seen = {start}
    frontier = [start]
    found: list[Neighbor] = []
    for level in range(1, depth + 1):
        layer: dict[str, Neighbor] = {}
        for u in frontier:
            for v, d in G._adj[u].items():
                if v in seen:
                    continue
                rels = [r for r in d["relations"] if r in wanted]
                if not rels:
                    continue
                rel = min(rels, key=order.__getitem__)
                candidate = Neighbor(v, _label(G, v), rel, level, u)
                held = layer.get(v)
                if held is None or order[rel] < order[held.relation]:
                    layer[v] = candidate
        ranked = sorted(layer.values(), key=lambda n: (order[n.relation], n.label.casefold(), n.career))
        found.extend(ranked)
        seen.update(layer)
        frontier = [n.career for n in ranked]
    return found


def similar(G: nx.Graph, career: str, k: int = 10, *, via_matches: bool = True) -> list[SimilarCareer]:
    """The ``k`` careers whose skills overlap most with ``career``'s, weighted.

    The score is the weighted Jaccard similarity: the sum over shared skills of the smaller
    weight, divided by the total weight of both skill sets minus that sum (1 = same skills,
    same weights). Weights are O*NET importance where the source rates it, else essential 1.0,
    technology 0.75, optional 0.5.

    Each source (curated, O*NET, ESCO) has its own skill vocabulary. With ``via_matches`` the
    careers the store declares the same occupation (skos:exactMatch / closeMatch) are scored
    too, each candidate keeps its best score, and ``via`` names the equivalent that found it;
    the equivalents themselves are not listed.

    Raises
    ------
    NotFound
        If ``career`` is not a career of ``G``.

    Examples
    --------
    >>> from careerkg import CareerGraph
    >>> cs = CareerGraph.open("oxigraph-memory").views.career_skill()
    >>> top = similar(cs, "https://w3id.org/careerkg/career/back-end-developer", k=1)[0]
    >>> top.label, 0 < top.score <= 1, len(top.shared) > 3
    ('Full-Stack Developer', True, True)
    """
    if k < 1:
        raise InputError(f"k must be at least 1, not {k}")
    start = career_node(G, career)
    probes = [start, *(_equivalents(G, start) if via_matches else [])]
    adj = G._adj
    nodes = G._node
    best: dict[str, tuple[float, str]] = {}
    for probe in probes:
        acc: dict[str, float] = {}
        get = acc.get
        for s, d in adj[probe].items():
            w = d["weight"]
            for other, e in adj[s].items():
                we = e["weight"]
                acc[other] = get(other, 0.0) + (w if w < we else we)
        total = nodes[probe]["total"]
        for other, inter in acc.items():
            union = total + nodes[other]["total"] - inter
            score = inter / union if union > 0 else 0.0
            held = best.get(other)
            if held is None or score > held[0]:
                best[other] = (score, probe)
    for probe in probes:
        best.pop(probe, None)
    # Ties are broken by IRI so that answers are stable.
    ranked = heapq.nsmallest(k, best.items(), key=lambda t: (-t[1][0], t[0]))
    results = []
    for other, (score, probe) in ranked:
        mine, theirs = adj[probe], adj[other]
        results.append(
            SimilarCareer(
                career=other,
                label=_label(G, other),
                score=round(score, 4),
                shared=_refs(G, other, (s for s in theirs if s in mine), _holds(G, probe)),
                only_source=_refs(G, probe, (s for s in mine if s not in theirs)),
                only_target=_refs(G, other, (s for s in theirs if s not in mine)),
                via=None if probe == start else probe,
            )
        )
    return results


def _held(G: nx.Graph, career: str, *, skip: str | None = None) -> dict[str, list[str]]:
    """Skill -> sources of the members held by ``career`` or a career the store declares the
    same occupation (but ``skip``)."""
    held: dict[str, list[str]] = {}
    for other in (career, *_equivalents(G, career)):
        if other == skip:
            continue
        for s, d in G._adj[other].items():
            held[s] = _sources(held.get(s, ()), d.get("sources", ()))
    return held


def skill_gap(G: nx.Graph, source: str, target: str) -> SkillGap:
    """Skills to gain to move from ``source`` to ``target``, and skills that transfer.

    Both lists are weighted by what ``target`` needs and ranked by weight (importance first).
    Skills are the canonical skills of the one skill space, so a curated skill, its O*NET
    element or technology and its ESCO skill are one; each :class:`SkillRef` names the
    ``sources`` of the members involved (for a transfer: what ``source`` holds and what
    ``target`` needs). Skills of careers the store declares the same occupation as ``source``
    (skos exact/close match) count as held too, as most skills have no counterpart in the other
    sources' vocabularies — except ``target`` itself when it is one of them: its own skills
    never count as held (the link would otherwise make the answer "everything transfers"),
    while the other careers declared the same occupation as ``source`` still count.
    ``coverage`` is the share of ``target``'s skill weight already held.

    Raises
    ------
    NotFound
        If either career is not a career of ``G``.

    Examples
    --------
    >>> from careerkg import CareerGraph
    >>> cs = CareerGraph.open("oxigraph-memory").views.career_skill()
    >>> career = "https://w3id.org/careerkg/career/"
    >>> gap = skill_gap(cs, career + "software-engineer", career + "machine-learning-engineer")
    >>> {"PyTorch", "TensorFlow"} <= {s.label for s in gap.to_learn}, "Python" in {
    ...     s.label for s in gap.transfer}
    (True, True)
    """
    a, b = career_node(G, source), career_node(G, target)
    held = _held(G, a, skip=b)
    wanted = G._adj[b]
    to_learn = _refs(G, b, (s for s in wanted if s not in held))
    transfer = _refs(G, b, (s for s in wanted if s in held), held)
    total = G.nodes[b]["total"]
    coverage = sum(r.weight for r in transfer) / total if total > 0 else 0.0
    return SkillGap(a, b, to_learn, transfer, round(coverage, 4))


def paths(
    G: nx.DiGraph, source: str, target: str, k: int = 3, *, skills: nx.Graph | None = None
) -> list[Path]:
    """The ``k`` cheapest transition paths from ``source`` to ``target``.

    The cost of a step ``u -> v`` is the share of ``v``'s skill weight that ``u`` lacks plus a
    small hop cost (see :func:`careerkg.network.career_career_graph`), so a path through
    careers that build on each other beats a short jump into the unknown. Paths are found with
    :func:`networkx.shortest_simple_paths` (Yen's algorithm) on the ``cost`` attribute.

    Parameters
    ----------
    G : nx.DiGraph
        The career–career view.
    source, target : str
        Careers (nodes, labels or codes).
    k : int
        How many paths.
    skills : nx.Graph, optional
        The career–skill view; when given, each step lists the skills carried over and the
        skills to learn.

    Raises
    ------
    NotFound
        If a career is not in ``G``.
    NoPath
        If no path links them.

    Examples
    --------
    >>> from careerkg import CareerGraph
    >>> views = CareerGraph.open("oxigraph-memory").views
    >>> career = "https://w3id.org/careerkg/career/"
    >>> best = paths(views.career_career(), career + "software-engineer",
    ...              career + "machine-learning-engineer", k=1, skills=views.career_skill())[0]
    >>> best.labels[0], best.labels[-1], best.steps[-1].to_learn != []
    ('Software Engineer', 'Machine Learning Engineer', True)
    """
    if k < 1:
        raise InputError(f"k must be at least 1, not {k}")
    a, b = career_node(G, source), career_node(G, target)
    if a == b:
        raise InputError(f"{_label(G, a)!r} is both the start and the goal")
    try:
        found = list(islice(nx.shortest_simple_paths(G, a, b, weight="cost"), k))
    except nx.NetworkXNoPath:
        raise NoPath(_label(G, a), _label(G, b)) from None
    results = []
    for nodes in found:
        steps = []
        for u, v in pairwise(nodes):
            d = G._adj[u][v]
            carried: list[SkillRef] = []
            to_learn: list[SkillRef] = []
            if skills is not None and u in skills and v in skills and d["relation"] not in _EQUIVALENT:
                held = skills._adj[u]
                wanted = skills._adj[v]
                carried = _refs(skills, v, (s for s in wanted if s in held), _holds(skills, u))
                to_learn = _refs(skills, v, (s for s in wanted if s not in held))
            steps.append(Step(u, v, _label(G, v), d["relation"], d["cost"], carried, to_learn))
        cost = round(sum(s.cost for s in steps), 4)
        results.append(Path(nodes, [_label(G, n) for n in nodes], steps, cost))
    return results


def transitions(
    G: nx.Graph, career: str | None = None, *, skills: Sequence[str] = (), k: int = 10
) -> list[Transition]:
    """The careers most reachable from a skill set (or from what ``career`` already knows).

    A career's ``coverage`` is the share of its skill weight the set holds; careers are ranked
    by coverage, then by the weight held. Skills are nodes of ``G`` or their labels.

    Raises
    ------
    NotFound
        If the career or a skill is unknown.
    InputError
        If neither a career nor skills are given.

    Examples
    --------
    >>> from careerkg import CareerGraph
    >>> cs = CareerGraph.open("oxigraph-memory").views.career_skill()
    >>> top = transitions(cs, skills=["python", "machine learning", "statistics"], k=3)
    >>> all(t.coverage > 0 for t in top), len(top)
    (True, 3)
    """
    if k < 1:
        raise InputError(f"k must be at least 1, not {k}")
    if career is None and not skills:
        raise InputError("give a career or at least one skill")
    held: dict[str, list[str]] = {}
    exclude: set[str] = set()
    if career is not None:
        start = career_node(G, career)
        held = _held(G, start)
        exclude = {start, *_equivalents(G, start)}
    for name in skills:
        held.setdefault(find_skill(G, name), [])
    adj = G._adj
    covered: dict[str, float] = defaultdict(float)
    for s in held:
        for c, d in adj[s].items():
            covered[c] += d["weight"]
    scored = []
    for c, weight in covered.items():
        if c in exclude:
            continue
        total = G._node[c]["total"]
        scored.append((weight / total if total > 0 else 0.0, weight, c))
    scored.sort(key=lambda t: (-t[0], -t[1], _label(G, t[2]).casefold(), t[2]))
    results = []
    for coverage, _weight, c in scored[:k]:
        mine = adj[c]
        results.append(
            Transition(
                c,
                _label(G, c),
                round(coverage, 4),
                _refs(G, c, (s for s in mine if s in held), held),
                _refs(G, c, (s for s in mine if s not in held)),
            )
        )
    return results


def bridges(G: nx.Graph, k: int = 10, *, sample: int | None = None, seed: int = 0) -> list[Ranked]:
    """Careers that connect the career–career view most (highest betweenness centrality).

    On views with more than 500 careers betweenness is estimated from ``sample`` sources
    (default 200, fixed ``seed``, so answers are repeatable).

    Examples
    --------
    >>> from careerkg import CareerGraph
    >>> cc = CareerGraph.open("oxigraph-memory").views.career_career()
    >>> top = bridges(cc, k=3)
    >>> len(top), top[0].score >= top[-1].score > 0
    (3, True)
    """
    if k < 1:
        raise InputError(f"k must be at least 1, not {k}")
    n = G.number_of_nodes()
    if sample is None and n > 500:
        sample = 200
    scores = nx.betweenness_centrality(G, k=min(sample, n) if sample else None, seed=seed)
    ranked = sorted(scores.items(), key=lambda t: (-t[1], t[0]))[:k]
    source = [SOURCE_NAMES.get(str(G.nodes[c].get("source")), "") for c, _ in ranked]
    return [
        Ranked(c, _label(G, c), round(s, 6), G.degree(c), [name] if name else [])
        for (c, s), name in zip(ranked, source, strict=True)
    ]


def central_skills(G: nx.Graph, k: int = 10) -> list[Ranked]:
    """Skills that connect the most careers, weighted by how much each career needs them.

    ``score`` is the weighted degree (sum of the career–skill weights), ``degree`` the number
    of careers.

    Examples
    --------
    >>> from careerkg import CareerGraph
    >>> cs = CareerGraph.open("oxigraph-memory").views.career_skill()
    >>> top = central_skills(cs, k=5)
    >>> top[0].degree >= top[-1].degree > 10
    True
    """
    if k < 1:
        raise InputError(f"k must be at least 1, not {k}")
    scored = []
    for node, d in G.nodes(data=True):
        if d.get("kind") != "skill":
            continue
        adj = G._adj[node]
        scored.append((sum(e["weight"] for e in adj.values()), len(adj), node))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    top = scored[:k]
    return [Ranked(s, _label(G, s), round(w, 4), d, list(G.nodes[s].get("sources", ()))) for w, d, s in top]

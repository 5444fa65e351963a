"""The views: a node's neighbourhood, a transition path, all careers, a small rdflib or NetworkX graph.

Each builder reads what it needs (:mod:`careerkg.web.viz.reads`), makes nodes with
:func:`~careerkg.web.viz.model.node_record`, and says what it cut with
:meth:`~careerkg.web.viz.model.GraphView.mark_cut`.

>>> g = nx.DiGraph([("urn:a", "urn:b", {"relation": "relatedCareer"})])
>>> view = view_from_networkx(g, focus="urn:a", limit=1)
>>> view.focus_node["iri"], view.notice
('urn:a', 'Showing 1 of 2 nodes (limit 1); pass a smaller graph (e.g. an ego graph) or raise the limit.')
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from ...errors import InputError, NotFound
from ...namespaces import BASE, CKG
from ...store import GraphStore
from .layout import path_positions
from .model import GraphView, node_record
from .reads import career_iris, career_links, edges_around, link_index, local_name, node_info
from .vocab import KINDS, PRIORITY, RELATIONS, check_iri, parse_kinds, relation_label, short_id

__all__ = [
    "DEFAULT_LIMIT",
    "careers_view",
    "graph_view",
    "neighbourhood_view",
    "path_view",
    "view_from_networkx",
]

log = logging.getLogger(__name__)

#: Above this many nodes a view is cut (and says so): vis-network stays responsive below it.
DEFAULT_LIMIT = 2000

#: Relations drawn between nodes of the outermost ring.
_OUTER = {"specializationOf", "requiresSkill"}

#: How a skill edge is drawn for each ``need`` of :class:`careerkg.network.traverse.SkillRef`.
_NEED_RELATION = {"essential": "essentialSkill", "optional": "optionalSkill", "technology": "usesTechnology"}


def _unknown(iri: str) -> dict[str, Any]:
    return {"label": local_name(iri), "definition": None, "kind": "other"}


def _by_priority(kind: str, label: str) -> tuple[int, str]:
    """Sort key: careers before skills before duties, then by label."""
    return PRIORITY.get(kind, 99), label.casefold()


def neighbourhood_view(
    store: GraphStore,
    center: str | URIRef,
    *,
    depth: int = 1,
    kinds: Iterable[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> GraphView:
    """The nodes within ``depth`` hops of ``center`` (any node IRI), of the given ``kinds``.

    Kinds: career, specialization, skill (= technology, knowledge, competence), duty, industry,
    setting. Above ``limit`` nodes, the outermost ring is cut (careers kept first) and
    :attr:`GraphView.notice` says what was cut and how to narrow the view.
    """
    if depth < 0:
        raise InputError(f"--depth must be 0 or more, not {depth}")
    if limit < 1:
        raise InputError(f"--limit must be 1 or more, not {limit}")
    wanted = parse_kinds(kinds)
    root = str(check_iri(str(center)))
    links = link_index(store)
    info = node_info(store, [root])
    if root not in info or (info[root]["kind"] == "other" and not links.around([root])):
        raise NotFound("node", short_id(root))
    nodes: dict[str, dict[str, Any]] = {root: {**info[root], "depth": 0}}
    edges: set[tuple[str, str, str]] = set()
    cut: Counter[str] = Counter()
    total = 1
    frontier = [root]
    for level in range(1, depth + 2):
        if not frontier:
            break
        around = links.around(frontier)
        if level == depth + 1:
            # Edges among nodes already in the view, but not the outer careers' own skills and
            # duties: those turn a neighbourhood into a hairball.
            edges.update(t for t in around if t[0] in nodes and t[2] in nodes and t[1] in _OUTER)
            break
        new = sorted({x for s, _, o in around for x in (s, o)} - nodes.keys())
        candidates = [(x, links.info(x) or _unknown(x)) for x in new]
        if wanted is not None:
            candidates = [(x, i) for x, i in candidates if i["kind"] in wanted]
        candidates.sort(key=lambda c: _by_priority(c[1]["kind"], c[1]["label"]))
        total += len(candidates)
        room = max(0, limit - len(nodes))
        for _x, i in candidates[room:]:
            cut[i["kind"]] += 1
        added = candidates[:room]
        for x, i in added:
            nodes[x] = {**i, "depth": level}
        edges.update(t for t in around if t[0] in nodes and t[2] in nodes)
        frontier = [x for x, _ in added]
    # Labels were read from the index; definitions (and the labels as the store gives them)
    # only for the nodes drawn.
    for x, i in node_info(store, [x for x in nodes if x != root]).items():
        nodes[x].update(label=i["label"], definition=i["definition"])
    view = _assemble(nodes, edges, title=nodes[root]["label"], focus=root)
    view.total_nodes = total
    if cut:
        what = ", ".join(f"{KINDS[k]['label']} {n:,}" for k, n in cut.most_common())
        view.mark_cut(
            dict(cut),
            total=total,
            limit=limit,
            advice=f"cut: {what}. "
            "Narrow the view with a smaller --depth or --kinds (e.g. --kinds career,specialization), "
            "or raise --limit.",
        )
        log.warning("%s", view.notice)
    return view


def _assemble(
    nodes: dict[str, dict[str, Any]], edges: Iterable[tuple[str, str, str]], *, title: str, focus: str | None
) -> GraphView:
    """Build the view; a career is drawn as a specialization when its parent is the focus (or,
    without a focus, when its parent is in the view)."""
    view = GraphView(title=title)
    edges = list(edges)
    children = {
        s for s, p, o in edges if p == "specializationOf" and (o == focus or (focus is None and o in nodes))
    }
    for iri, i in nodes.items():
        kind = i["kind"]
        if kind in ("career", "specialization"):
            kind = "specialization" if iri in children else "career"
        view.nodes.append(
            node_record(
                iri,
                i["label"],
                kind,
                definition=i.get("definition"),
                depth=i.get("depth", 1),
                focus=iri == focus,
            )
        )
    seen: set[tuple[str, str, str]] = set()
    pairs = {(s, o) for s, p, o in edges if p in ("essentialSkill", "optionalSkill")}
    for s, p, o in sorted(edges):
        key = (min(s, o), p, max(s, o)) if RELATIONS.get(p, {}).get("symmetric") else (s, p, o)
        if key in seen or (p == "usesTechnology" and (s, o) in pairs):
            continue
        seen.add(key)
        view.edges.append({"from": short_id(s), "to": short_id(o), "relation": p})
    view.total_nodes = len(view.nodes)
    return view


def graph_view(
    graph: Graph, *, title: str = "careerkg graph", focus: str | None = None, limit: int = DEFAULT_LIMIT
) -> GraphView:
    """A view of a whole (small) rdflib graph: every typed node and the careerkg relations."""
    from ...store import open_store

    store = open_store("oxigraph-memory")
    store.replace_graph(URIRef(BASE + "graph/view"), graph)
    iris = sorted(
        {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
        | {
            str(o)
            for _, p, o in graph
            if isinstance(o, URIRef)
            and str(p).startswith(str(CKG._NS))
            and str(p).rsplit("#", 1)[-1] in RELATIONS
        }
    )
    info = node_info(store, iris)
    keep = [x for x in iris if info.get(x, {}).get("kind", "other") != "other"]
    cut = len(keep) - limit
    keep = sorted(keep, key=lambda x: _by_priority(info[x]["kind"], info[x]["label"]))[:limit]
    nodes = {x: {**info[x], "depth": 0 if x == focus else 1} for x in keep}
    edges = [t for t in edges_around(store, list(nodes)) if t[0] in nodes and t[2] in nodes]
    view = _assemble(nodes, edges, title=title, focus=focus)
    if cut > 0:
        view.mark_cut(
            {"nodes": cut},
            total=len(view.nodes) + cut,
            limit=limit,
            advice="view a career's neighbourhood instead, or raise --limit.",
        )
    return view


def view_from_networkx(
    graph: nx.Graph, *, title: str = "careerkg graph", focus: Any = None, limit: int = DEFAULT_LIMIT
) -> GraphView:
    """A view of a NetworkX graph whose nodes carry ``label``/``kind`` (or ``type``) and whose
    edges carry ``relation`` — e.g. :func:`careerkg.network.typed_graph` output.

    >>> g = nx.DiGraph([("urn:a", "urn:b", {"relation": "relatedCareer"})])
    >>> view_from_networkx(g).labels()
    ['urn:a', 'urn:b']
    """
    view = GraphView(title=title)
    ids: dict[Any, str] = {}
    for node, attrs in graph.nodes(data=True):
        if len(ids) >= limit:
            break
        kind = str(attrs.get("kind") or attrs.get("type") or "other").lower()
        kind = {"workSetting": "setting", "worksetting": "setting"}.get(kind, kind)
        if kind not in KINDS:
            kind = "other"
        record = node_record(
            str(node),
            str(attrs.get("label", node)),
            kind,
            definition=attrs.get("definition"),
            depth=0 if node == focus else 1,
            focus=node == focus,
        )
        ids[node] = record["id"]
        view.nodes.append(record)
    for s, o, attrs in graph.edges(data=True):
        if s in ids and o in ids:
            view.edges.append(
                {"from": ids[s], "to": ids[o], "relation": str(attrs.get("relation", "related"))}
            )
    view.total_nodes = graph.number_of_nodes()
    if view.total_nodes > len(view.nodes):
        view.mark_cut(
            {"nodes": view.total_nodes - len(view.nodes)},
            total=view.total_nodes,
            limit=limit,
            advice="pass a smaller graph (e.g. an ego graph) or raise the limit.",
        )
    return view


# -- paths and skill gaps ------------------------------------------------------------------


def path_view(
    store: GraphStore, source: str | URIRef, target: str | URIRef, *, gap_limit: int = 18
) -> GraphView:
    """The cheapest transition path from ``source`` to ``target``, and the skills to learn.

    The path and the gap are :func:`careerkg.network.traverse.paths` (``k=1``) and
    :func:`careerkg.network.traverse.skill_gap` on the store's cached views, so the page shows what
    ``careerkg path`` and ``careerkg gap`` print. The careers are laid out left to right, each
    step labelled with its relation and cost; the ``gap_limit`` most important skills to learn
    hang in a column to the right of the target; the side panel lists the whole gap.

    Raises :class:`~careerkg.errors.NotFound` for an unknown career,
    :class:`~careerkg.errors.NoPath` when no path links them, and
    :class:`~careerkg.errors.InputError` when both are the same career.
    """
    from ...network.traverse import paths
    from ...network.traverse import skill_gap as traverse_gap
    from ...network.views import views_for

    if gap_limit < 0:
        raise InputError(f"gap_limit must be 0 or more, not {gap_limit}")
    views = views_for(store)
    cs = views.career_skill()
    best = paths(views.career_career(), str(source), str(target), k=1, skills=cs)[0]
    gap = traverse_gap(cs, best.careers[0], best.careers[-1])
    shown = gap.to_learn[:gap_limit]
    info = node_info(store, [*best.careers, *(r.skill for r in shown)])
    view = GraphView(title=f"{best.labels[0]} → {best.labels[-1]}")

    def add(iri: str, kind: str, xy: tuple[float, float], depth: int, label: str) -> None:
        i = info.get(iri, {})
        view.nodes.append(
            node_record(
                iri,
                i.get("label") or label,
                kind,
                definition=i.get("definition"),
                depth=depth,
                focus=depth == 0,
                x=xy[0],
                y=xy[1],
            )
        )

    on_path, column = path_positions(len(best.careers), len(shown))
    for i, (career, label) in enumerate(zip(best.careers, best.labels, strict=True)):
        add(career, "career", on_path[i], i, label)
    for i, step in enumerate(best.steps, 1):
        view.edges.append(
            {
                "from": short_id(step.source),
                "to": short_id(step.target),
                "relation": step.relation,
                "label": f"{i}. {relation_label(step.relation)} · cost {step.cost:.2f}",
            }
        )
    for ref, xy in zip(shown, column, strict=True):
        kind = info.get(ref.skill, {}).get("kind", "skill")
        add(ref.skill, kind, xy, len(best.careers), ref.label)
        relation = _NEED_RELATION.get(ref.need, "requiresSkill")
        view.edges.append({"from": short_id(gap.target), "to": short_id(ref.skill), "relation": relation})
    view.total_nodes = len(best.careers) + len(gap.to_learn)
    view.extra["layout"] = "path"
    view.extra["path"] = [
        {"id": short_id(best.careers[0]), "label": best.labels[0], "relation": None, "cost": None}
    ] + [
        {
            "id": short_id(s.target),
            "label": s.target_label,
            "relation": s.relation,
            "cost": s.cost,
            "carried": [r.label for r in s.carried],
            "to_learn": [r.label for r in s.to_learn],
        }
        for s in best.steps
    ]
    view.extra["cost"] = best.cost
    view.extra["coverage"] = gap.coverage
    view.extra["gap"] = [_gap_item(r) for r in gap.to_learn]
    view.extra["transfer"] = [_gap_item(r) for r in gap.transfer]
    if len(shown) < len(gap.to_learn):
        view.cut = {"skill": len(gap.to_learn) - len(shown)}
        view.notice = (
            f"Drawing the {len(shown)} most important of {len(gap.to_learn)} skills to learn; "
            "the side panel lists them all."
        )
    return view


def _gap_item(ref: Any) -> dict[str, Any]:
    return {"id": short_id(ref.skill), "label": ref.label, "need": ref.need, "weight": ref.weight}


def careers_view(store: GraphStore, *, limit: int = DEFAULT_LIMIT) -> GraphView:
    """Every career and the career-to-career links (related, collaborates, specialization)."""
    careers = career_iris(store)
    total = len(careers)
    info = node_info(store, sorted(careers))
    keep = sorted(careers, key=lambda c: (not c.startswith(BASE + "career/"), info[c]["label"].casefold()))
    keep = keep[:limit]
    nodes = {c: {**info[c], "depth": 1} for c in keep}
    edges = [(a, p, b) for a, p, b in career_links(store) if a in nodes and b in nodes]
    view = _assemble(nodes, edges, title="All careers", focus=None)
    view.total_nodes = total
    if total > len(keep):
        view.mark_cut(
            {"career": total - len(keep)},
            total=total,
            limit=limit,
            noun="careers",
            advice="view one career's neighbourhood (careerkg viz NAME) or raise --limit.",
        )
    return view

"""Interactive, offline views of the career graph (pyvis / vis-network pages).

A view is a neighbourhood of one career (or any node), a path between two careers, or a whole
small graph. Every page is self-contained: vis-network (from the pyvis package) and the page's own
script and style are inlined, so it opens from ``file://`` with no network. Labels and
definitions travel as JSON (with ``<``, ``>`` and ``&`` escaped) and are put on the page with
``textContent`` only, so no label can inject HTML or script.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("memory")
>>> view = kg.visualize("ml engineer")
>>> view.focus_node["label"], view.count("specialization")
('Machine Learning Engineer', 12)
"""

from __future__ import annotations

import html
import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from ..errors import InputError, NotFound, StoreError
from ..namespaces import BASE, CKG
from ..store import GraphStore

__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "PATH_RELATIONS",
    "RELATIONS",
    "GraphView",
    "careers_view",
    "graph_view",
    "neighbourhood_view",
    "path_view",
    "short_id",
    "view_from_networkx",
]

log = logging.getLogger(__name__)

#: Above this many nodes a view is cut (and says so): vis-network stays responsive below it.
DEFAULT_LIMIT = 2000

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

#: Ring order when a view must be cut: careers are kept before skills, skills before duties.
_PRIORITY = {
    k: i
    for i, k in enumerate(
        [
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
        ]
    )
}

#: Compact prefixes for node ids on the page (stable across requests, so the explorer can expand).
_SHORT = [
    ("career:", BASE + "career/"),
    ("skill:", BASE + "skill/"),
    ("industry:", BASE + "industry/"),
    ("setting:", BASE + "setting/"),
    ("onet:", BASE + "onet/occupation/"),
    ("esco:", "http://data.europa.eu/esco/"),
]

#: Relations drawn between nodes of the outermost ring.
_OUTER = {"specializationOf", "requiresSkill"}

_BAD_IRI_CHARS = set('<>"{}|^`\\ \n\r\t')
_CHUNK = 400


def short_id(iri: str) -> str:
    """A short, stable id for a node on the page.

    >>> short_id("https://w3id.org/careerkg/career/data-scientist")
    'career:data-scientist'
    """
    for prefix, base in _SHORT:
        if iri.startswith(base):
            return prefix + iri[len(base) :]
    return iri


def expand_id(ident: str) -> str:
    """The IRI behind a :func:`short_id` (full IRIs pass through).

    >>> expand_id("skill:python")
    'https://w3id.org/careerkg/skill/python'
    """
    for prefix, base in _SHORT:
        if ident.startswith(prefix):
            return base + ident[len(prefix) :]
    return ident


def _check_iri(iri: str) -> URIRef:
    if not iri.startswith(("http://", "https://", "urn:")) or _BAD_IRI_CHARS & set(iri):
        raise InputError(f"not a node IRI or id: {iri!r}")
    return URIRef(iri)


@dataclass
class GraphView:
    """Nodes and edges ready to draw, with what was cut; write it with :meth:`save`.

    ``nodes`` are dicts with ``id`` (short id), ``iri``, ``label``, ``kind``, ``definition``,
    ``depth`` and ``focus``; ``edges`` are dicts with ``from``, ``to`` and ``relation``.
    In Jupyter the view displays itself inline.
    """

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    notice: str | None = None
    cut: dict[str, int] = field(default_factory=dict)
    total_nodes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def focus_node(self) -> dict[str, Any] | None:
        """The node the view is centred on, if any."""
        return next((n for n in self.nodes if n.get("focus")), None)

    def count(self, kind: str) -> int:
        """How many nodes of ``kind`` the view holds."""
        return sum(1 for n in self.nodes if n["kind"] == kind)

    def labels(self, kind: str | None = None) -> list[str]:
        """Labels of the nodes (of one kind), sorted."""
        return sorted(n["label"] for n in self.nodes if kind is None or n["kind"] == kind)

    # -- output ----------------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        """The JSON document the page script draws."""
        degree: Counter[str] = Counter()
        for e in self.edges:
            degree[e["from"]] += 1
            degree[e["to"]] += 1
        fixed = self.extra.get("layout") == "path"
        if not fixed:
            _layout(self.nodes, self.edges)
        nodes = []
        for n in self.nodes:
            item = {k: n[k] for k in ("id", "iri", "label", "kind", "x", "y") if k in n}
            if n.get("definition"):
                item["definition"] = n["definition"]
            if n.get("focus"):
                item["focus"] = True
            item["degree"] = degree[n["id"]]
            nodes.append(item)
        return {
            "title": self.title,
            "notice": self.notice,
            "nodes": nodes,
            "edges": [{k: e[k] for k in ("from", "to", "relation", "label") if k in e} for e in self.edges],
            "kinds": KINDS,
            "relations": {
                k: {"label": v["label"], "color": v["color"]}
                for k, v in {**RELATIONS, **PATH_RELATIONS}.items()
            },
            "options": _vis_options(len(self.nodes), len(self.edges), fixed=fixed),
            **self.extra,
        }

    def to_pyvis(self):  # -> pyvis.network.Network
        """The view as a pyvis ``Network`` (filled directly: ``from_nx`` is quadratic)."""
        from pyvis.network import Network

        net = Network(height="100%", width="100%", directed=True)
        for n in self.nodes:
            style = KINDS.get(n["kind"], KINDS["other"])
            net.nodes.append(
                {
                    "id": n["id"],
                    "label": n["label"],
                    "shape": style["shape"],
                    "color": style["color"],
                    "title": n.get("definition") or n["label"],
                }
            )
            net.node_ids.append(n["id"])
            net.node_map[n["id"]] = net.nodes[-1]
        for e in self.edges:
            net.edges.append(
                {
                    "from": e["from"],
                    "to": e["to"],
                    "title": e["relation"],
                    "color": RELATIONS.get(e["relation"], {}).get("color", "#999999"),
                }
            )
        return net

    def html(self, *, asset_base: str | None = None) -> str:
        """The page. Everything is inlined unless ``asset_base`` (a same-site URL path) is given."""
        return render_page(self.payload(), asset_base=asset_base)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (only that file) and return it."""
        target = Path(path)
        if target.is_dir():
            raise InputError(f"{target} is a folder: give a file name such as {target / 'view.html'}")
        if not target.parent.is_dir():
            raise InputError(f"folder {target.parent} does not exist", file=target)
        page = self.html()
        try:
            target.write_text(page, encoding="utf-8")
        except OSError as e:
            raise InputError(f"cannot write: {e.strerror}", file=target) from e
        return target

    def _repr_html_(self) -> str:
        page = html.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" style="width:100%;height:640px;border:1px solid #ddd" '
            'sandbox="allow-scripts"></iframe>'
        )


# -- page rendering ------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("careerkg.web").joinpath("static", "viz", name).read_text(encoding="utf-8")


@cache
def vis_network_js() -> str:
    """vis-network's standalone script, as bundled by pyvis (read once)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-*/vis-network.min.js"), reverse=True)
    if not candidates:
        raise StoreError(f"vis-network is missing from the pyvis package at {lib}")
    return candidates[0].read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(code: str) -> str:
    # A script body must not contain "</script" (vis-network does not, but be sure).
    return code.replace("</script", "<\\/script")


def render_page(payload: dict[str, Any], *, asset_base: str | None = None) -> str:
    """Fill the page template with ``payload`` (see :meth:`GraphView.payload`)."""
    if asset_base is None:
        vis = f"<script>{_inline_script(vis_network_js())}</script>"
        app = f"<script>{_inline_script(_asset('viz.js'))}</script>"
    else:
        base = html.escape(asset_base.rstrip("/"), quote=True)
        vis = f'<script src="{base}/vis-network.min.js"></script>'
        app = f'<script src="{base}/viz.js"></script>'
    page = _asset("page.html")
    return (
        page.replace("{{title}}", html.escape(payload["title"]))
        .replace("{{style}}", _asset("viz.css"))
        .replace("{{data}}", _json_for_script(payload))
        .replace("{{vis}}", vis)
        .replace("{{app}}", app)
    )


def _vis_options(n_nodes: int, n_edges: int, *, fixed: bool = False) -> dict[str, Any]:
    """vis-network options: pyvis's Barnes-Hut physics, tuned to settle fast and then stop.

    ``fixed``: the nodes carry their final positions (a path view): no physics at all, and only
    the edges that carry their own label show one.
    """
    from pyvis.network import Network

    net = Network(directed=True)
    net.barnes_hut(
        gravity=-6000, central_gravity=0.25, spring_length=120, spring_strength=0.04, damping=0.4, overlap=0
    )
    options = json.loads(net.options.to_json())
    big = n_nodes > 300
    options["physics"]["stabilization"] = {
        "enabled": True,
        # Measured in headless Chromium: ~25-60 ms per Barnes-Hut iteration at 2,000 nodes, so
        # big views get fewer iterations (they start from the ring layout, close to settled).
        "iterations": 300 if not big else (100 if n_nodes <= 1000 else max(30, 80_000 // n_nodes)),
        "updateInterval": 25,
        "fit": True,
    }
    options["physics"]["barnesHut"]["theta"] = 0.9 if n_nodes > 1000 else 0.6
    options["physics"]["minVelocity"] = 1.0
    options["physics"]["maxVelocity"] = 60
    options["edges"] = {
        "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.2},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        "width": 1,
        "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
    }
    options["nodes"] = {
        "scaling": {"min": 8, "max": 36, "label": {"enabled": True, "min": 11, "max": 22}},
        "font": {"size": 12, "face": "DejaVu Sans, Arial, sans-serif"},
        "borderWidth": 1,
    }
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    options["interaction"] = {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": big,
        "navigationButtons": False,
        "keyboard": False,
    }
    options["showEdgeLabels"] = n_edges <= 150 and not fixed
    if fixed:
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = False
    return options


def _layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Initial positions: the focus at the centre, each depth on a ring, kinds grouped by angle;
    a whole graph (no focus) along a spiral in breadth-first order (:func:`_spiral_layout`).

    Starting near the answer lets the physics settle in a few hundred iterations.
    """
    if not any(n.get("focus") for n in nodes):
        _spiral_layout(nodes, edges)
        return
    rings: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        rings.setdefault(n.get("depth", 1), []).append(n)
    radius = 0.0
    for depth in sorted(rings):
        ring = sorted(rings[depth], key=lambda n: (_PRIORITY.get(n["kind"], 99), n["label"].casefold()))
        if depth == 0 and len(ring) == 1:
            ring[0]["x"], ring[0]["y"] = 0, 0
            continue
        # Enough circumference for ~45 px per node, at least 180 px beyond the previous ring.
        radius = max(radius + 180, 45 * len(ring) / (2 * math.pi))
        for i, n in enumerate(ring):
            angle = 2 * math.pi * i / len(ring)
            n["x"] = round(radius * math.cos(angle), 1)
            n["y"] = round(radius * math.sin(angle), 1)


#: Spiral layout: px between consecutive nodes along the arm, and between arms.
_SPIRAL_STEP = 70.0


def _spiral_layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Whole-graph positions in O(nodes + edges): nodes in breadth-first order (components
    largest first, each from its best-connected node; a career's specializations right after
    it) along an Archimedean spiral with even spacing, so linked nodes start close together
    and the disc has an even density, instead of every node on one ring.
    """
    if not nodes:
        return
    adj: dict[str, list[tuple[int, str]]] = {n["id"]: [] for n in nodes}
    for e in edges:
        a, b = e["from"], e["to"]
        if a in adj and b in adj and a != b:
            rank = 0 if e["relation"] == "specializationOf" else 1
            adj[a].append((rank, b))
            adj[b].append((rank, a))
    degree = {x: len(v) for x, v in adj.items()}
    label = {n["id"]: n["label"].casefold() for n in nodes}
    for v in adj.values():
        v.sort(key=lambda t: (t[0], -degree[t[1]], label[t[1]], t[1]))
    roots = sorted(adj, key=lambda x: (-degree[x], label[x], x))
    seen: set[str] = set()
    components: list[list[str]] = []
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        order, head = [root], 0
        while head < len(order):
            for _, y in adj[order[head]]:
                if y not in seen:
                    seen.add(y)
                    order.append(y)
            head += 1
        components.append(order)
    components.sort(key=len, reverse=True)  # stable: ties keep the degree order of their roots
    # A career and its specializations form one unit: the career with its children on a small
    # ring around it; units go along the spiral in breadth-first order.
    units: list[list[str]] = []
    placed: set[str] = set()
    for x in (x for comp in components for x in comp):
        if x in placed:
            continue
        unit = [x] + [y for rank, y in adj[x] if rank == 0 and y not in placed and y != x]
        unit = list(dict.fromkeys(unit))
        placed.update(unit)
        units.append(unit)
    where = {n["id"]: n for n in nodes}
    b = _SPIRAL_STEP / (2 * math.pi)  # r = b * theta: arms about _SPIRAL_STEP apart
    theta = 0.0
    previous = 0.0
    for unit in units:
        ring = max(_SPIRAL_STEP * 0.8, _SPIRAL_STEP * 0.6 * (len(unit) - 1) / (2 * math.pi))
        size = 0.0 if len(unit) == 1 else ring
        # Advance along the arm by the two units' radii plus a gap (arc length ~ r * dtheta).
        if unit is not units[0]:
            theta += (previous + size + _SPIRAL_STEP) / max(b * theta, _SPIRAL_STEP)
        r = b * theta + size
        cx, cy = r * math.cos(theta), r * math.sin(theta)
        where[unit[0]]["x"], where[unit[0]]["y"] = round(cx, 1), round(cy, 1)
        for i, y in enumerate(unit[1:]):
            a = 2 * math.pi * i / (len(unit) - 1)
            where[y]["x"] = round(cx + ring * math.cos(a), 1)
            where[y]["y"] = round(cy + ring * math.sin(a), 1)
        if size:
            theta += size / max(r, _SPIRAL_STEP)  # keep the next arm clear of this unit
        previous = size


# -- reading views from the store ----------------------------------------------------------


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _rel_values() -> str:
    return " ".join(f"ckg:{r}" for r in RELATIONS)


def _edges_around(store: GraphStore, iris: Sequence[str]) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for start in range(0, len(iris), _CHUNK):
        chunk = _values(iris[start : start + _CHUNK])
        sparql = f"""SELECT ?s ?p ?o WHERE {{
            VALUES ?x {{ {chunk} }} VALUES ?p {{ {_rel_values()} }}
            {{ ?x ?p ?o . BIND(?x AS ?s) }} UNION {{ ?s ?p ?x . BIND(?x AS ?o) }}
            FILTER(isIRI(?s) && isIRI(?o)) }}"""
        for s, p, o in store.select(sparql):
            found.append((s, p.rsplit("#", 1)[-1], o))
    return found


def _node_info(store: GraphStore, iris: Sequence[str]) -> dict[str, dict[str, Any]]:
    info: dict[str, dict[str, Any]] = {}
    ckg = str(CKG._NS)
    for start in range(0, len(iris), _CHUNK):
        chunk = _values(iris[start : start + _CHUNK])
        sparql = f"""SELECT ?x (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types)
              (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?def) (SAMPLE(?st) AS ?stype)
              (SAMPLE(?par) AS ?parent) WHERE {{
            VALUES ?x {{ {chunk} }}
            OPTIONAL {{ ?x a ?t }}
            OPTIONAL {{ ?x skos:prefLabel ?l FILTER(lang(?l) = "" || langMatches(lang(?l), "en")) }}
            OPTIONAL {{ ?x skos:definition ?d FILTER(lang(?d) = "" || langMatches(lang(?d), "en")) }}
            OPTIONAL {{ ?x ckg:skillType ?st }}
            OPTIONAL {{ ?x ckg:specializationOf ?par }}
        }} GROUP BY ?x"""
        for x, types, label, definition, stype, parent in store.select(sparql):
            kinds = set((types or "").split())
            if ckg + "Career" in kinds:
                kind = "career"
            elif ckg + "Duty" in kinds:
                kind = "duty"
            elif ckg + "Industry" in kinds:
                kind = "industry"
            elif ckg + "WorkSetting" in kinds:
                kind = "setting"
            elif stype in ("technology", "knowledge", "competence"):
                kind = stype
            elif kinds & {ckg + "Technology", ckg + "Knowledge", ckg + "Competence"}:
                kind = next(
                    k.rsplit("#", 1)[-1].lower()
                    for k in sorted(kinds)
                    if k.startswith(ckg) and k.rsplit("#", 1)[-1] in ("Technology", "Knowledge", "Competence")
                )
            elif ckg + "Skill" in kinds:
                kind = "skill"
            else:
                kind = "other"
            info[x] = {"label": label or _local(x), "definition": definition, "kind": kind, "parent": parent}
    return info


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _parse_kinds(kinds: Iterable[str] | None) -> set[str] | None:
    if kinds is None:
        return None
    wanted: set[str] = set()
    for raw in kinds:
        for k in str(raw).split(","):
            k = k.strip().lower()
            if not k:
                continue
            if k == "skills":
                k = "skill"
            if k == "skill":
                wanted |= {"skill", "technology", "knowledge", "competence"}
            elif k in KINDS:
                wanted.add(k)
            elif k in ("careers", "duties", "industries", "settings", "specializations"):
                wanted.add(
                    {
                        "careers": "career",
                        "duties": "duty",
                        "industries": "industry",
                        "settings": "setting",
                        "specializations": "specialization",
                    }[k]
                )
            else:
                raise InputError(f"unknown node kind {k!r} (choose from {', '.join(KINDS)})")
    return wanted


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
    wanted = _parse_kinds(kinds)
    root = str(_check_iri(str(center)))
    info = _node_info(store, [root])
    if root not in info or (info[root]["kind"] == "other" and not _edges_around(store, [root])):
        raise NotFound("node", short_id(root))
    nodes: dict[str, dict[str, Any]] = {root: {**info[root], "depth": 0}}
    edges: set[tuple[str, str, str]] = set()
    cut: Counter[str] = Counter()
    total = 1
    frontier = [root]
    for level in range(1, depth + 2):
        if not frontier:
            break
        around = _edges_around(store, frontier)
        if level == depth + 1:
            # Edges among nodes already in the view, but not the outer careers' own skills and
            # duties: those turn a neighbourhood into a hairball.
            edges.update(t for t in around if t[0] in nodes and t[2] in nodes and t[1] in _OUTER)
            break
        new = sorted({x for s, _, o in around for x in (s, o)} - nodes.keys())
        new_info = _node_info(store, new)
        candidates = [
            (x, new_info.get(x, {"label": _local(x), "definition": None, "kind": "other"})) for x in new
        ]
        if wanted is not None:
            candidates = [(x, i) for x, i in candidates if i["kind"] in wanted]
        candidates.sort(key=lambda c: (_PRIORITY.get(c[1]["kind"], 99), c[1]["label"].casefold()))
        total += len(candidates)
        room = max(0, limit - len(nodes))
        for _x, i in candidates[room:]:
            cut[i["kind"]] += 1
        added = candidates[:room]
        for x, i in added:
            nodes[x] = {**i, "depth": level}
        edges.update(t for t in around if t[0] in nodes and t[2] in nodes)
        frontier = [x for x, _ in added]
    view = _assemble(nodes, edges, title=nodes[root]["label"], focus=root)
    view.total_nodes = total
    if cut:
        view.cut = dict(cut)
        what = ", ".join(f"{KINDS[k]['label']} {n:,}" for k, n in cut.most_common())
        view.notice = (
            f"Showing {len(view.nodes):,} of {total:,} nodes (limit {limit:,}); cut: {what}. "
            "Narrow the view with a smaller --depth or --kinds (e.g. --kinds career,specialization), "
            "or raise --limit."
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
            {
                "id": short_id(iri),
                "iri": iri,
                "label": i["label"],
                "kind": kind,
                "definition": i.get("definition"),
                "depth": i.get("depth", 1),
                "focus": iri == focus,
            }
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
    from ..store import MemoryStore

    store = MemoryStore()
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
    info = _node_info(store, iris)
    keep = [x for x in iris if info.get(x, {}).get("kind", "other") != "other"]
    cut = len(keep) - limit
    keep = sorted(keep, key=lambda x: (_PRIORITY[info[x]["kind"]], info[x]["label"].casefold()))[:limit]
    nodes = {x: {**info[x], "depth": 0 if x == focus else 1} for x in keep}
    edges = [t for t in _edges_around(store, list(nodes)) if t[0] in nodes and t[2] in nodes]
    view = _assemble(nodes, edges, title=title, focus=focus)
    if cut > 0:
        view.total_nodes = len(view.nodes) + cut
        view.cut = {"nodes": cut}
        view.notice = (
            f"Showing {len(view.nodes):,} of {view.total_nodes:,} nodes (limit {limit:,}); "
            "view a career's neighbourhood instead, or raise --limit."
        )
    return view


def view_from_networkx(
    graph: nx.Graph, *, title: str = "careerkg graph", focus: Any = None, limit: int = DEFAULT_LIMIT
) -> GraphView:
    """A view of a NetworkX graph whose nodes carry ``label``/``kind`` (or ``type``) and whose
    edges carry ``relation`` — e.g. :func:`careerkg.network.typed_graph` output."""
    view = GraphView(title=title)
    ids: dict[Any, str] = {}
    for node, attrs in graph.nodes(data=True):
        if len(ids) >= limit:
            break
        kind = str(attrs.get("kind") or attrs.get("type") or "other").lower()
        kind = {"workSetting": "setting", "worksetting": "setting"}.get(kind, kind)
        if kind not in KINDS:
            kind = "other"
        ids[node] = short_id(str(node))
        view.nodes.append(
            {
                "id": ids[node],
                "iri": str(node),
                "label": str(attrs.get("label", node)),
                "kind": kind,
                "definition": attrs.get("definition"),
                "depth": 0 if node == focus else 1,
                "focus": node == focus,
            }
        )
    for s, o, attrs in graph.edges(data=True):
        if s in ids and o in ids:
            view.edges.append(
                {"from": ids[s], "to": ids[o], "relation": str(attrs.get("relation", "related"))}
            )
    view.total_nodes = graph.number_of_nodes()
    if view.total_nodes > len(view.nodes):
        view.cut = {"nodes": view.total_nodes - len(view.nodes)}
        view.notice = (
            f"Showing {len(view.nodes):,} of {view.total_nodes:,} nodes (limit {limit:,}); "
            "pass a smaller graph (e.g. an ego graph) or raise the limit."
        )
    return view


# -- paths and skill gaps ------------------------------------------------------------------

_CAREER_LINKS = ("relatedCareer", "collaboratesWith", "specializationOf")

#: How a skill edge is drawn for each ``need`` of :class:`careerkg.network.traverse.SkillRef`.
_NEED_RELATION = {"essential": "essentialSkill", "optional": "optionalSkill", "technology": "usesTechnology"}

#: Path layout: px between careers on the path, from the target to the skill column, between skills.
_PATH_STEP_X = 330
_PATH_SKILL_X = 300
_PATH_SKILL_Y = 46


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
    from ..network.traverse import paths
    from ..network.traverse import skill_gap as traverse_gap
    from ..network.views import views_for

    if gap_limit < 0:
        raise InputError(f"gap_limit must be 0 or more, not {gap_limit}")
    views = views_for(store)
    cs = views.career_skill()
    best = paths(views.career_career(), str(source), str(target), k=1, skills=cs)[0]
    gap = traverse_gap(cs, best.careers[0], best.careers[-1])
    shown = gap.to_learn[:gap_limit]
    info = _node_info(store, [*best.careers, *(r.skill for r in shown)])
    view = GraphView(title=f"{best.labels[0]} → {best.labels[-1]}")

    def add(iri: str, kind: str, x: float, y: float, depth: int, label: str) -> None:
        i = info.get(iri, {})
        view.nodes.append(
            {
                "id": short_id(iri),
                "iri": iri,
                "label": i.get("label") or label,
                "kind": kind,
                "definition": i.get("definition"),
                "depth": depth,
                "focus": depth == 0,
                "x": x,
                "y": y,
            }
        )

    for i, (career, label) in enumerate(zip(best.careers, best.labels, strict=True)):
        add(career, "career", i * _PATH_STEP_X, 0.0, i, label)
    for i, step in enumerate(best.steps, 1):
        view.edges.append(
            {
                "from": short_id(step.source),
                "to": short_id(step.target),
                "relation": step.relation,
                "label": f"{i}. {_relation_label(step.relation)} · cost {step.cost:.2f}",
            }
        )
    goal_x = (len(best.careers) - 1) * _PATH_STEP_X
    top = -(len(shown) - 1) * _PATH_SKILL_Y / 2
    for i, ref in enumerate(shown):
        kind = info.get(ref.skill, {}).get("kind", "skill")
        add(ref.skill, kind, goal_x + _PATH_SKILL_X, top + i * _PATH_SKILL_Y, len(best.careers), ref.label)
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


def _relation_label(relation: str) -> str:
    return (RELATIONS.get(relation) or PATH_RELATIONS.get(relation) or {"label": relation})["label"]


def careers_view(store: GraphStore, *, limit: int = DEFAULT_LIMIT) -> GraphView:
    """Every career and the career-to-career links (related, collaborates, specialization)."""
    careers = [r[0] for r in store.select("SELECT DISTINCT ?c WHERE { ?c a ckg:Career }")]
    total = len(careers)
    info = _node_info(store, sorted(careers))
    keep = sorted(careers, key=lambda c: (not c.startswith(BASE + "career/"), info[c]["label"].casefold()))
    keep = keep[:limit]
    nodes = {c: {**info[c], "depth": 1} for c in keep}
    links = store.select(
        f"""SELECT ?a ?p ?b WHERE {{
        VALUES ?p {{ {" ".join("ckg:" + p for p in _CAREER_LINKS)} }} ?a ?p ?b }}""",
    )
    edges = [(a, p.rsplit("#", 1)[-1], b) for a, p, b in links if a in nodes and b in nodes]
    view = _assemble(nodes, edges, title="All careers", focus=None)
    view.total_nodes = total
    if total > len(keep):
        view.cut = {"career": total - len(keep)}
        view.notice = (
            f"Showing {len(keep):,} of {total:,} careers (limit {limit:,}); view one career's "
            "neighbourhood (careerkg viz NAME) or raise --limit."
        )
    return view

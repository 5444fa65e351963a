"""The whole-graph map: every career and skill as a point, every career–career and career–skill
link as a line, drawn with WebGL by the package's own small renderer (``static/viz/map.js``), in
one offline HTML file (or, in the explorer, one page whose script and style are served), with
the PNG and SVG export of the views (``static/viz/export.js``).

The careers and their links are the network layer's career–career view
(:meth:`careerkg.network.views.Views.career_career`: the store's links between careers plus
links to the most similar careers by shared skills); the skills and their links are the
career–skill view (:meth:`~careerkg.network.views.Views.career_skill`), all drawn undirected.
Careers are laid out by :func:`careerkg.web.viz.maplayout.force_layout`; each skill sits by its
careers, and careers with no link to another career sit by their skills
(:func:`~careerkg.web.viz.maplayout.layout_with_satellites`). The map is computed once per
store state and kept in the store's one cache (:func:`careerkg.store.cache.cache_for`, entry
``viz-map-f2``).

The page: the data as JSON in a ``<script type="application/json">`` block (``<``, ``>``,
``&``, U+2028, U+2029 escaped by :func:`~careerkg.web.viz.render.json_for_script`), the
renderer, the picture export and the style inlined, and a Content-Security-Policy that allows
exactly those two scripts and that style by their SHA-256 hashes (no ``'unsafe-inline'``, no
``'unsafe-eval'``, nothing from the network). Labels reach the page only through ``textContent``.

>>> m = map_from_edges(
...     [{"id": "a", "label": "<b>A</b>", "group": "onet"}, {"id": "b", "label": "B", "group": "esco"},
...      {"id": "s", "label": "S", "group": "esco", "kind": "competence"}],
...     [("a", "b"), ("s", "a")], title="two")
>>> m.nodes, m.edge_count, m.counts(), m.kind_counts()
(3, 2, {'onet': 1, 'esco': 2}, {'career': 2, 'competence': 1})
>>> "<b>A</b>" in m.html(), "\\\\u003cb\\\\u003eA" in m.html()
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html as htmlmod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ...store import GraphStore
from ...store.cache import cache_for
from .maplayout import layout_with_satellites
from .render import export_js, fill, json_for_script, save_page
from .vocab import KINDS, SHORT_PREFIXES, short_id

__all__ = ["GROUPS", "MAP_ASSETS", "MAP_KINDS", "CareerMap", "career_map", "map_asset", "map_from_edges"]

#: Node groups (a career's source): key, legend label, colour. Unknown groups draw as ``other``.
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("curated", "careerkg (curated)", "#e4572e"),
    ("onet", "O*NET", "#2e86de"),
    ("esco", "ESCO", "#27ae60"),
    ("other", "other", "#8e8e8e"),
)

#: Node kinds on the map (careers, then the skill types), with the legend label and colour of
#: the neighbourhood views (:data:`careerkg.web.viz.vocab.KINDS`). Unknown kinds draw as ``skill``.
MAP_KINDS: tuple[tuple[str, str, str], ...] = tuple(
    (k, KINDS[k]["label"], KINDS[k]["color"])
    for k in ("career", "technology", "knowledge", "competence", "skill")
)

#: The files under ``careerkg/web/static/viz`` the map page is made of.
MAP_ASSETS = ("map.html", "map.css", "map.js")

_GROUP_INDEX = {key: i for i, (key, _, _) in enumerate(GROUPS)}
_KIND_INDEX = {key: i for i, (key, _, _) in enumerate(MAP_KINDS)}


def map_asset(name: str) -> str:
    """The text of ``name`` (one of :data:`MAP_ASSETS`) from ``careerkg/web/static/viz``."""
    if name not in MAP_ASSETS:
        raise KeyError(f"not a map asset: {name!r}")
    return resources.files("careerkg.web").joinpath("static", "viz", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@dataclass
class CareerMap:
    """The whole-graph map: node ids, labels, sources, kinds, positions and links (as node numbers).

    Build one with :func:`career_map` (a store) or :func:`map_from_edges` (your own lists);
    ``save(path)`` writes the offline page, ``html()`` returns it.
    """

    title: str
    ids: list[str]
    labels: list[str]
    groups: list[int]
    xy: list[tuple[float, float]]
    edges: list[tuple[int, int]]
    layout_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: Each node's kind, an index into :data:`MAP_KINDS` (empty: every node is a career).
    kinds: list[int] = field(default_factory=list)

    @property
    def nodes(self) -> int:
        """How many nodes (careers and skills)."""
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        """How many (undirected) links."""
        return len(self.edges)

    def _kind(self, i: int) -> int:
        return self.kinds[i] if self.kinds else 0

    def counts(self) -> dict[str, int]:
        """Nodes per source (group key), in :data:`GROUPS` order, groups with none left out."""
        found = [0] * len(GROUPS)
        for g in self.groups:
            found[g] += 1
        return {GROUPS[i][0]: c for i, c in enumerate(found) if c}

    def kind_counts(self) -> dict[str, int]:
        """Nodes per kind, in :data:`MAP_KINDS` order, kinds with none left out."""
        found = [0] * len(MAP_KINDS)
        for i in range(len(self.ids)):
            found[self._kind(i)] += 1
        return {MAP_KINDS[i][0]: c for i, c in enumerate(found) if c}

    def payload(self, *, view_url: str | None = None) -> dict[str, Any]:
        """What the page's script reads: flat arrays, one entry per node.

        Career–career links (``edges``) and links touching a skill (``skillEdges``) come apart,
        each in a fixed shuffled order: while the view moves, the page draws only a first part.
        ``view_url`` (the explorer's career page, to which the page appends the career's IRI)
        turns on click-through; the page expands short ids with ``prefixes``.
        """
        degree = [0] * len(self.ids)
        flat: list[int] = []
        skill_flat: list[int] = []
        for a, b in sorted(self.edges, key=lambda e: ((e[0] * 2654435761) ^ (e[1] * 40503)) & 0xFFFFFFFF):
            if self._kind(a) or self._kind(b):
                skill_flat += (a, b)
                # A skill's size counts its careers; a career's, its links to other careers.
                for v in (a, b):
                    if self._kind(v):
                        degree[v] += 1
            else:
                degree[a] += 1
                degree[b] += 1
                flat += (a, b)
        return {
            "title": self.title,
            "groups": [{"key": k, "label": label, "color": color} for k, label, color in GROUPS],
            "kinds": [{"key": k, "label": label, "color": color} for k, label, color in MAP_KINDS],
            "ids": self.ids,
            "labels": self.labels,
            "group": self.groups,
            "kind": [self._kind(i) for i in range(len(self.ids))],
            "x": [x for x, _ in self.xy],
            "y": [y for _, y in self.xy],
            "degree": degree,
            "edges": flat,
            "skillEdges": skill_flat,
            "viewUrl": view_url,
            "prefixes": [list(p) for p in SHORT_PREFIXES] if view_url else [],
        }

    def html(self, *, asset_base: str | None = None, view_url: str | None = None) -> str:
        """The page. Everything inlined, with a CSP by hashes (works from ``file://`` with no
        network); or, given ``asset_base`` (a same-site path serving ``export.js``, ``map.js`` and
        ``map.css``, as the explorer does under its own CSP header), the scripts and style as links.
        ``view_url``: see :meth:`payload`.
        """
        if asset_base is None:
            # The picture export (export.js) first, then the renderer: each allowed by its hash.
            scripts = [code.replace("</script", "<\\/script") for code in (export_js(), map_asset("map.js"))]
            style = map_asset("map.css").replace("</style", "<\\/style")
            csp = (
                f"default-src 'none'; script-src {' '.join(_csp_hash(code) for code in scripts)}; "
                f"style-src {_csp_hash(style)}; img-src data:; base-uri 'none'; form-action 'none'"
            )
            head = (
                f'<meta http-equiv="Content-Security-Policy" content="{htmlmod.escape(csp, quote=True)}">\n'
                f"<style>{style}</style>"
            )
            app = "\n".join(f"<script>{code}</script>" for code in scripts)
        else:
            base = htmlmod.escape(asset_base.rstrip("/"), quote=True)
            head = f'<link rel="stylesheet" href="{base}/map.css">'
            app = f'<script src="{base}/export.js"></script>\n<script src="{base}/map.js"></script>'
        values = {
            "title": htmlmod.escape(self.title),
            "head": head,
            "data": json_for_script(self.payload(view_url=view_url)),
            "app": app,
        }
        return fill(map_asset("map.html"), values)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (only that file) and return it."""
        return save_page(path, self.html, example="careers.html")


def map_from_edges(
    nodes: Sequence[Mapping[str, Any]],
    edges: Iterable[tuple[str, str]],
    *,
    title: str = "All careers",
    iterations: int = 40,
) -> CareerMap:
    """A :class:`CareerMap` of ``nodes`` (mappings with ``id``, ``label``, ``group``: a key of
    :data:`GROUPS`, and optionally ``kind``: a key of :data:`MAP_KINDS`, default ``career``)
    linked by ``edges`` (pairs of ids; direction and repeats do not matter, links to unknown ids
    are dropped). Careers are laid out on the links between careers and every other node sits by
    the careers it is linked to (:func:`~careerkg.web.viz.maplayout.layout_with_satellites`).
    """
    import time

    index: dict[str, int] = {}
    for n in nodes:
        index.setdefault(str(n["id"]), len(index))
    ids = list(index)
    first = {str(n["id"]): n for n in reversed(nodes)}
    labels = [str(first[i].get("label") or i) for i in ids]
    groups = [_GROUP_INDEX.get(str(first[i].get("group")), _GROUP_INDEX["other"]) for i in ids]
    kinds = [_KIND_INDEX.get(str(first[i].get("kind") or "career"), _KIND_INDEX["skill"]) for i in ids]
    pairs = sorted(
        {
            (a, b) if a < b else (b, a)
            for a, b in ((index.get(u), index.get(v)) for u, v in edges)
            if a is not None and b is not None and a != b
        }
    )
    started = time.perf_counter()
    careers = [i for i, k in enumerate(kinds) if k == 0]
    number = {v: j for j, v in enumerate(careers)}
    others = [i for i, k in enumerate(kinds) if k != 0]
    slot = {v: j for j, v in enumerate(others)}
    anchors: list[list[int]] = [[] for _ in others]
    for a, b in pairs:
        if a in slot and b in number:
            anchors[slot[a]].append(number[b])
        elif b in slot and a in number:
            anchors[slot[b]].append(number[a])
    career_xy, other_xy = layout_with_satellites(
        len(careers),
        [(number[a], number[b]) for a, b in pairs if a in number and b in number],
        anchors,
        iterations=iterations,
    )
    xy: list[tuple[float, float]] = [(0.0, 0.0)] * len(ids)
    for v, j in number.items():
        xy[v] = career_xy[j]
    for v, p in zip(others, other_xy, strict=True):
        xy[v] = p
    seconds = time.perf_counter() - started
    return CareerMap(title, ids, labels, groups, xy, pairs, layout_seconds=seconds, kinds=kinds)


def career_map(store: GraphStore, *, progress: Callable[[str], None] | None = None) -> CareerMap:
    """The map of every career and skill in ``store`` with the links of the career–career and
    career–skill views, laid out once per store state (cached with the store's other derived
    data). ``progress`` is told each step of a build (nothing when the map is cached).

    >>> from careerkg import CareerGraph
    >>> m = career_map(CareerGraph.open("oxigraph-memory").store)
    >>> m.kind_counts()["career"] > 20, m.title
    (True, 'All careers and skills')
    """

    def build() -> CareerMap:
        from ...network.views import views_for

        tell = progress or (lambda _: None)
        tell("Reading the career and skill views...")
        views = views_for(store)
        G = views.career_career()
        S = views.career_skill()
        nodes = [
            {"id": short_id(c), "label": d.get("label") or short_id(c), "group": d.get("source", "other")}
            for c, d in G.nodes(data=True)
        ]
        links = [(short_id(a), short_id(b)) for a, b in G.edges]
        for s, d in S.nodes(data=True):
            if d.get("kind") == "skill":
                nodes.append(
                    {
                        "id": short_id(s),
                        "label": d.get("label") or short_id(s),
                        "group": d.get("source", "other"),
                        "kind": d.get("skill_type") or "skill",  # unknown types draw as skill
                    }
                )
        links += [(short_id(a), short_id(b)) for a, b in S.edges]
        tell(f"Laying out {len(nodes):,} careers and skills...")
        return map_from_edges(nodes, links, title="All careers and skills")

    return cache_for(store).get("viz-map-f2", build)

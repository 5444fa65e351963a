"""The whole-graph map: every career as a point, every related-career link as a line, drawn with
WebGL by the package's own small renderer (``static/viz/map.js``), in one offline HTML file.

The careers and links are the network layer's career–career view
(:meth:`careerkg.network.views.Views.career_career`: the store's links between careers plus
links to the most similar careers by shared skills), drawn undirected. Positions come from
:func:`careerkg.web.viz.maplayout.force_layout`, computed once per store state and kept in the
store's one cache (:func:`careerkg.store.cache.cache_for`, entry ``viz-map``).

The page: the data as JSON in a ``<script type="application/json">`` block (``<``, ``>``,
``&``, U+2028, U+2029 escaped by :func:`~careerkg.web.viz.render.json_for_script`), the
renderer and its style inlined, and a Content-Security-Policy that allows exactly that script
and that style by their SHA-256 hashes (no ``'unsafe-inline'``, no ``'unsafe-eval'``, nothing
from the network). Labels reach the page only through ``textContent``.

>>> m = map_from_edges(
...     [{"id": "a", "label": "<b>A</b>", "group": "onet"}, {"id": "b", "label": "B", "group": "esco"}],
...     [("a", "b")], title="two")
>>> m.nodes, m.edge_count, m.counts()
(2, 1, {'onet': 1, 'esco': 1})
>>> "<b>A</b>" in m.html(), "\\\\u003cb\\\\u003eA" in m.html()
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html as htmlmod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...store import GraphStore
from ...store.cache import cache_for
from .maplayout import force_layout
from .render import fill, json_for_script
from .vocab import short_id

__all__ = ["GROUPS", "MAP_ASSETS", "CareerMap", "career_map", "map_asset", "map_from_edges"]

#: Node groups (a career's source): key, legend label, colour. Unknown groups draw as ``other``.
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("curated", "careerkg (curated)", "#e4572e"),
    ("onet", "O*NET", "#2e86de"),
    ("esco", "ESCO", "#27ae60"),
    ("other", "other", "#8e8e8e"),
)

#: The files under ``careerkg/web/static/viz`` the map page is made of.
MAP_ASSETS = ("map.html", "map.css", "map.js")

_GROUP_INDEX = {key: i for i, (key, _, _) in enumerate(GROUPS)}


def map_asset(name: str) -> str:
    """The text of ``name`` (one of :data:`MAP_ASSETS`) from ``careerkg/web/static/viz``."""
    if name not in MAP_ASSETS:
        raise KeyError(f"not a map asset: {name!r}")
    return resources.files("careerkg.web").joinpath("static", "viz", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@dataclass
class CareerMap:
    """The whole-graph map: node ids, labels, groups, positions and links (as node numbers).

    Build one with :func:`career_map` (a store) or :func:`map_from_edges` (your own lists);
    ``save(path)`` writes the page, ``html()`` returns it.
    """

    title: str
    ids: list[str]
    labels: list[str]
    groups: list[int]
    xy: list[tuple[float, float]]
    edges: list[tuple[int, int]]
    layout_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def nodes(self) -> int:
        """How many nodes (careers)."""
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        """How many (undirected) links."""
        return len(self.edges)

    def counts(self) -> dict[str, int]:
        """Nodes per group key, in :data:`GROUPS` order, groups with none left out."""
        found = [0] * len(GROUPS)
        for g in self.groups:
            found[g] += 1
        return {GROUPS[i][0]: c for i, c in enumerate(found) if c}

    def payload(self) -> dict[str, Any]:
        """What the page's script reads: flat arrays, one entry per node."""
        degree = [0] * len(self.ids)
        flat: list[int] = []
        # A fixed shuffle: the page draws only a first part of the links while the view moves.
        for a, b in sorted(self.edges, key=lambda e: ((e[0] * 2654435761) ^ (e[1] * 40503)) & 0xFFFFFFFF):
            degree[a] += 1
            degree[b] += 1
            flat += (a, b)
        return {
            "title": self.title,
            "groups": [{"key": k, "label": label, "color": color} for k, label, color in GROUPS],
            "ids": self.ids,
            "labels": self.labels,
            "group": self.groups,
            "x": [x for x, _ in self.xy],
            "y": [y for _, y in self.xy],
            "degree": degree,
            "edges": flat,
        }

    def html(self) -> str:
        """The page, everything inlined (works from ``file://`` with no network)."""
        script = map_asset("map.js").replace("</script", "<\\/script")
        style = map_asset("map.css").replace("</style", "<\\/style")
        csp = (
            f"default-src 'none'; script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        values = {
            "title": htmlmod.escape(self.title),
            "csp": htmlmod.escape(csp, quote=True),
            "style": style,
            "data": json_for_script(self.payload()),
            "app": script,
        }
        return fill(map_asset("map.html"), values)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (only that file) and return it."""
        target = Path(path)
        if target.is_dir():
            raise InputError(f"{target} is a folder: give a file name such as {target / 'careers.html'}")
        if not target.parent.is_dir():
            raise InputError(f"folder {target.parent} does not exist", file=target)
        page = self.html()
        try:
            target.write_text(page, encoding="utf-8")
        except OSError as e:
            raise InputError(f"cannot write: {e.strerror}", file=target) from e
        return target


def map_from_edges(
    nodes: Sequence[Mapping[str, Any]],
    edges: Iterable[tuple[str, str]],
    *,
    title: str = "All careers",
    iterations: int = 40,
) -> CareerMap:
    """A :class:`CareerMap` of ``nodes`` (mappings with ``id``, ``label`` and ``group``: a key
    of :data:`GROUPS`) linked by ``edges`` (pairs of ids; direction and repeats do not matter,
    links to unknown ids are dropped), laid out by :func:`~careerkg.web.viz.maplayout.force_layout`.
    """
    import time

    index: dict[str, int] = {}
    for n in nodes:
        index.setdefault(str(n["id"]), len(index))
    ids = list(index)
    first = {str(n["id"]): n for n in reversed(nodes)}
    labels = [str(first[i].get("label") or i) for i in ids]
    groups = [_GROUP_INDEX.get(str(first[i].get("group")), _GROUP_INDEX["other"]) for i in ids]
    pairs = sorted(
        {
            (a, b) if a < b else (b, a)
            for a, b in ((index.get(u), index.get(v)) for u, v in edges)
            if a is not None and b is not None and a != b
        }
    )
    started = time.perf_counter()
    xy = force_layout(len(ids), pairs, iterations=iterations)
    return CareerMap(title, ids, labels, groups, xy, pairs, layout_seconds=time.perf_counter() - started)


def career_map(store: GraphStore) -> CareerMap:
    """The map of every career in ``store`` and the links of the career–career view, laid out
    once per store state (cached with the store's other derived data)."""

    def build() -> CareerMap:
        from ...network.views import views_for

        G = views_for(store).career_career()
        nodes = [
            {"id": short_id(c), "label": d.get("label") or short_id(c), "group": d.get("source", "other")}
            for c, d in G.nodes(data=True)
        ]
        return map_from_edges(nodes, ((short_id(a), short_id(b)) for a, b in G.edges), title="All careers")

    return cache_for(store).get("viz-map", build)

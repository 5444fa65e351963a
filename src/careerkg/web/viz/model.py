"""The view model: :class:`GraphView` (nodes, edges, what was cut) and :func:`node_record`.

>>> view = GraphView(title="t", nodes=[node_record("urn:a", "A", "career", depth=0, focus=True)])
>>> view.focus_node["id"], view.count("career")
('urn:a', 1)
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .layout import layout, vis_options
from .render import render_page, save_page
from .vocab import KINDS, PATH_RELATIONS, RELATIONS, short_id

__all__ = ["GraphView", "node_record"]


def node_record(
    iri: str,
    label: str,
    kind: str,
    *,
    definition: str | None = None,
    depth: int = 1,
    focus: bool = False,
    x: float | None = None,
    y: float | None = None,
) -> dict[str, Any]:
    """One node of a :class:`GraphView`; ``x``/``y`` only for a fixed layout.

    >>> node_record("https://w3id.org/careerkg/skill/python", "Python", "technology")["id"]
    'skill:python'
    """
    node: dict[str, Any] = {
        "id": short_id(iri),
        "iri": iri,
        "label": label,
        "kind": kind,
        "definition": definition,
        "depth": depth,
        "focus": focus,
    }
    if x is not None and y is not None:
        node["x"], node["y"] = x, y
    return node


@dataclass(repr=False)
class GraphView:
    """Nodes and edges ready to draw, with what was cut; write it with :meth:`save`.

    ``nodes`` are dicts with ``id`` (short id), ``iri``, ``label``, ``kind``, ``definition``,
    ``depth`` and ``focus`` (see :func:`node_record`); ``edges`` are dicts with ``from``, ``to``
    and ``relation``. In Jupyter the view displays itself inline.
    """

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    notice: str | None = None
    cut: dict[str, int] = field(default_factory=dict)
    total_nodes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        # The dataclass repr prints every node dict (100+ KB); a REPL wants a glance.
        return f"<GraphView {self.title!r}: {len(self.nodes)} nodes, {len(self.edges)} edges>"

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

    def mark_cut(
        self, cut: dict[str, int], *, total: int, limit: int, advice: str, noun: str = "nodes"
    ) -> None:
        """Record that the view shows only part of ``total`` (at most ``limit``), and say so.

        >>> view = GraphView(title="t", nodes=[node_record("urn:a", "A", "career")])
        >>> view.mark_cut({"nodes": 4}, total=5, limit=1, advice="raise the limit.")
        >>> view.notice
        'Showing 1 of 5 nodes (limit 1); raise the limit.'
        """
        self.cut = cut
        self.total_nodes = total
        self.notice = f"Showing {len(self.nodes):,} of {total:,} {noun} (limit {limit:,}); {advice}"

    # -- output ----------------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        """The JSON document the page script draws."""
        degree: Counter[str] = Counter()
        for e in self.edges:
            degree[e["from"]] += 1
            degree[e["to"]] += 1
        fixed = self.extra.get("layout") == "path"
        groups = [] if fixed else layout(self.nodes, self.edges)
        calm = not fixed and self.focus_node is not None
        nodes = []
        for n in self.nodes:
            keys = ("id", "iri", "label", "kind", "x", "y", "size", "font", "minor", "group")
            item = {k: n[k] for k in keys if k in n}
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
            "options": vis_options(len(self.nodes), len(self.edges), fixed=fixed, calm=calm),
            "groups": groups,
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
        return save_page(path, self.html, example="view.html")

    def _repr_html_(self) -> str:
        page = html.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" style="width:100%;height:640px;border:1px solid #ddd" '
            'sandbox="allow-scripts"></iframe>'
        )

"""Interactive, offline views of the career graph (pyvis / vis-network pages).

A view is a neighbourhood of one career (or any node), a path between two careers, or a whole
small graph. Every page is self-contained: vis-network (from the pyvis package) and the page's own
script and style are inlined, so it opens from ``file://`` with no network. Labels and
definitions travel as JSON (with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped), the page
template is filled in one pass (a label such as ``{{vis}}`` stays text), and the script puts
labels on the page with ``textContent`` only, so no label can inject HTML or script.

The modules, one job each:

- :mod:`~careerkg.web.viz.vocab`: node kinds, relations, legend styles, short node ids;
- :mod:`~careerkg.web.viz.reads`: the store reads (labels and kinds, relations around nodes);
- :mod:`~careerkg.web.viz.build`: the view builders;
- :mod:`~careerkg.web.viz.model`: :class:`GraphView` and :func:`node_record`;
- :mod:`~careerkg.web.viz.layout`: start positions and vis-network physics options;
- :mod:`~careerkg.web.viz.render` and :mod:`~careerkg.web.viz.assets`: the HTML page.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> view = kg.visualize("ml engineer")
>>> view.focus_node["label"], view.count("specialization")
('Machine Learning Engineer', 12)
"""

from __future__ import annotations

from .assets import asset, vis_network_js
from .build import (
    DEFAULT_LIMIT,
    careers_view,
    graph_view,
    neighbourhood_view,
    path_view,
    view_from_networkx,
)
from .model import GraphView, node_record
from .reads import node_info
from .render import render_page
from .vocab import KINDS, PATH_RELATIONS, RELATIONS, expand_id, short_id

__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "PATH_RELATIONS",
    "RELATIONS",
    "GraphView",
    "asset",
    "careers_view",
    "expand_id",
    "graph_view",
    "neighbourhood_view",
    "node_info",
    "node_record",
    "path_view",
    "render_page",
    "short_id",
    "view_from_networkx",
    "vis_network_js",
]

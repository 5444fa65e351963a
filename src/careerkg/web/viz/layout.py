"""Where nodes start, and the vis-network physics that settles them.

Positions are computed in Python so the physics starts near the answer: a neighbourhood on
rings by depth, a whole graph along a spiral, a path from left to right.

>>> nodes = [{"id": "a", "label": "A", "kind": "career", "depth": 0, "focus": True},
...          {"id": "b", "label": "B", "kind": "duty", "depth": 1}]
>>> layout(nodes, [{"from": "a", "to": "b", "relation": "hasDuty"}])
>>> (nodes[0]["x"], nodes[0]["y"]), (nodes[1]["x"], nodes[1]["y"])
((0, 0), (180.0, 0.0))
"""

from __future__ import annotations

import math
from typing import Any

from .vocab import PRIORITY

__all__ = [
    "PATH_SKILL_X",
    "PATH_SKILL_Y",
    "PATH_STEP_X",
    "layout",
    "path_positions",
    "spiral_layout",
    "vis_options",
]

#: Path layout: px between careers on the path, from the target to the skill column, between skills.
PATH_STEP_X = 330
PATH_SKILL_X = 300
PATH_SKILL_Y = 46


def path_positions(careers: int, skills: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Positions for a path of ``careers`` careers, left to right, and a column of ``skills``
    skills to the right of the last career, centred on the path.

    >>> path_positions(2, 3)
    ([(0, 0.0), (330, 0.0)], [(630, -46.0), (630, 0.0), (630, 46.0)])
    """
    steps = [(i * PATH_STEP_X, 0.0) for i in range(careers)]
    goal_x = (careers - 1) * PATH_STEP_X
    top = -(skills - 1) * PATH_SKILL_Y / 2
    column = [(goal_x + PATH_SKILL_X, top + i * PATH_SKILL_Y) for i in range(skills)]
    return steps, column


def vis_options(n_nodes: int, n_edges: int, *, fixed: bool = False) -> dict[str, Any]:
    """vis-network options: pyvis's Barnes-Hut physics, tuned to settle fast and then stop.

    ``fixed``: the nodes carry their final positions (a path view): no physics at all, and only
    the edges that carry their own label show one.
    """
    # The Barnes-Hut settings pyvis's Network.barnes_hut(gravity=-6000, central_gravity=0.25,
    # spring_length=120, spring_strength=0.04, damping=0.4, overlap=0) writes, spelled out:
    # importing pyvis (and IPython with it) cost 0.4 s of every `careerkg viz`.
    options: dict[str, Any] = {
        "configure": {"enabled": False},
        "physics": {
            "barnesHut": {
                "avoidOverlap": 0,
                "centralGravity": 0.25,
                "damping": 0.4,
                "gravitationalConstant": -6000,
                "springConstant": 0.04,
                "springLength": 120,
                "theta": 0.6,
            },
            "enabled": True,
        },
    }
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


def layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Initial positions: the focus at the centre, each depth on a ring, kinds grouped by angle;
    a whole graph (no focus) along a spiral in breadth-first order (:func:`spiral_layout`).

    Starting near the answer lets the physics settle in a few hundred iterations.
    """
    if not any(n.get("focus") for n in nodes):
        spiral_layout(nodes, edges)
        return
    rings: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        rings.setdefault(n.get("depth", 1), []).append(n)
    radius = 0.0
    for depth in sorted(rings):
        ring = sorted(rings[depth], key=lambda n: (PRIORITY.get(n["kind"], 99), n["label"].casefold()))
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


def spiral_layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
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

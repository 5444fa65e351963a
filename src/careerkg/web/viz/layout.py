"""Where nodes start, and the vis-network physics that settles them.

A neighbourhood (a view with a focus) is laid out here once and for all, calmly
(:func:`calm_layout`): the focus at the centre; the focus's neighbours grouped by relation and
kind, each group of more than :data:`GROUP_AT` nodes drawn as one group node ("12 related
careers") that opens on click; the group nodes and the lone neighbours on an ellipse wide
enough that no two label boxes (estimated from the label length) overlap; a group's members
in a grid just outside its group node. A whole graph starts along a spiral and settles with
physics; a path runs left to right.

>>> nodes = [{"id": "a", "label": "A", "kind": "career", "depth": 0, "focus": True},
...          {"id": "b", "label": "B", "kind": "duty", "depth": 1}]
>>> layout(nodes, [{"from": "a", "to": "b", "relation": "hasDuty"}])
[]
>>> (nodes[0]["x"], nodes[0]["y"]), nodes[1]["y"] < 0
((0, 0), True)
"""

from __future__ import annotations

import math
from typing import Any

from .vocab import KIND_ORDER

__all__ = [
    "GROUP_AT",
    "PATH_SKILL_X",
    "PATH_SKILL_Y",
    "PATH_STEP_X",
    "calm_layout",
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


def vis_options(n_nodes: int, n_edges: int, *, fixed: bool = False, calm: bool = False) -> dict[str, Any]:
    """vis-network options: pyvis's Barnes-Hut physics, tuned to settle fast and then stop.

    ``fixed``: the nodes carry their final positions (a path view): no physics at all, and only
    the edges that carry their own label show one. ``calm``: a neighbourhood laid out by
    :func:`calm_layout`: no physics, edge labels only on hover or selection.
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
    options["showEdgeLabels"] = n_edges <= 150 and not fixed and not calm
    options["calm"] = calm
    if fixed or calm:
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = False
    return options


def layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Positions for every node: :func:`calm_layout` around the focus (returning its groups),
    or, for a whole graph (no focus), along a spiral (:func:`spiral_layout`; no groups)."""
    if not any(n.get("focus") for n in nodes):
        spiral_layout(nodes, edges)
        return []
    return calm_layout(nodes, edges)


#: A group of more neighbours than this (same relation to the focus, same kind) is drawn as one node.
GROUP_AT = 6

#: Font sizes (px) of the calm layout: the focus, careers and group nodes, everything else.
FONT_FOCUS, FONT_MAJOR, FONT_MINOR = 18, 13, 12
#: Node radii (px): the focus, careers, everything else.
SIZE_FOCUS, SIZE_MAJOR, SIZE_MINOR = 22, 13, 9
#: Labels are cut to this many characters on the page (``shortLabel`` in viz.js).
LABEL_CHARS = 42

_MAJOR = {"career", "specialization", "industry", "setting"}
_GROUP_NOUN = {
    "relatedCareer": ("related career", "related careers"),
    "collaboratesWith": ("collaborator", "collaborators"),
    "children": ("specialization", "specializations"),
    "career": ("career", "careers"),
    "specialization": ("specialization", "specializations"),
    "technology": ("technology", "technologies"),
    "knowledge": ("knowledge area", "knowledge areas"),
    "competence": ("competence", "competences"),
    "skill": ("skill", "skills"),
    "duty": ("duty", "duties"),
    "industry": ("industry", "industries"),
    "setting": ("work setting", "work settings"),
    "other": ("other node", "other nodes"),
}
# Order of groups around the focus (clockwise from the top).
_GROUP_ORDER = ["children", "relatedCareer", "collaboratesWith", *KIND_ORDER]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 2] + "…"


def _text_width(label: str, font: float, bold: bool = False) -> float:
    """A generous estimate of ``label``'s width in DejaVu Sans (wider than most fonts)."""
    return len(_short(label)) * font * (0.68 if bold else 0.62) + 6


def _extent(n: dict[str, Any]) -> tuple[float, float, float]:
    """(half width, above, below) of a node with its label, around its centre."""
    if n.get("shape") == "box":
        w = _text_width(n["label"], FONT_MAJOR, bold=True) + 14
        h = FONT_MAJOR * 1.3 + 12
        return w / 2, h / 2, h / 2
    size, font = n["size"], n["font"]
    w = max(2 * size, _text_width(n["label"], font, bold=bool(n.get("focus"))))
    return w / 2, size, size + 5 + font * 1.35


def _overlap(a: tuple[float, ...], b: tuple[float, ...], pad: float = 8) -> bool:
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


def _box(n: dict[str, Any], x: float, y: float) -> tuple[float, float, float, float]:
    hw, up, down = n["_extent"]
    return (x - hw, y - up, x + hw, y + down)


def _ellipse(items: list[dict[str, Any]], centre: tuple[float, float, float, float]) -> None:
    """Put ``items`` evenly on the smallest ellipse (1.5:1, from 150 px tall) where no two
    boxes, nor an item and ``centre``, overlap; two staggered ellipses above 24 items."""
    count = len(items)
    if not count:
        return
    rings = 1 if count <= 20 else 2
    for step in range(200):
        b = 150 * 1.05**step
        placed = []
        for i, n in enumerate(items):
            ring = i % rings
            angle = -math.pi / 2 + 2 * math.pi * i / count
            rb = b * (1 + 0.28 * ring)
            placed.append((n, rb * 1.5 * math.cos(angle), rb * math.sin(angle)))
        boxes = [_box(n, x, y) for n, x, y in placed]
        clash = any(_overlap(box, centre) for box in boxes) or any(
            _overlap(boxes[i], boxes[j]) for i in range(count) for j in range(i + 1, count)
        )
        if not clash:
            break
    for n, x, y in placed:
        n["x"], n["y"] = round(x, 1), round(y, 1)


def _grid(members: list[dict[str, Any]], x: float, y: float) -> None:
    """Members of a group in a grid just outside its group node at (x, y), away from the centre."""
    cols = max(1, min(4, math.ceil(math.sqrt(len(members) / 3))))
    width = max(m["_extent"][0] for m in members) * 2 + 14
    height = max(m["_extent"][1] + m["_extent"][2] for m in members) + 10
    rows = math.ceil(len(members) / cols)
    dist = math.hypot(x, y) or 1.0
    ux, uy = x / dist, y / dist
    # Centre of the grid: far enough out along the ray that its near edge clears the group node.
    reach = abs(ux) * cols * width / 2 + abs(uy) * rows * height / 2 + 40
    cx, cy = x + ux * reach, y + uy * reach
    for i, m in enumerate(members):
        r, c = divmod(i, cols)
        m["x"] = round(cx + (c - (cols - 1) / 2) * width, 1)
        m["y"] = round(cy + (r - (rows - 1) / 2) * height, 1)


def calm_layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lay out a neighbourhood (see the module doc); return its groups.

    Each node gets ``x``, ``y``, ``size``, ``font``, ``minor`` (its label shows only when zoomed
    in) and, when it is in a group, ``group``. A group is ``{"id", "label", "kind", "count",
    "members", "x", "y"}``.
    """
    focus = next(n for n in nodes if n.get("focus"))
    by_id = {n["id"]: n for n in nodes}
    for n in nodes:
        kind = n["kind"]
        major = n.get("focus") or (kind in _MAJOR and n.get("depth", 1) <= 1)
        n["size"] = SIZE_FOCUS if n.get("focus") else (SIZE_MAJOR if major else SIZE_MINOR)
        n["font"] = FONT_FOCUS if n.get("focus") else (FONT_MAJOR if major else FONT_MINOR)
        n["minor"] = not major
        n["_extent"] = _extent(n)
    # How each neighbour hangs off the focus.
    reason: dict[str, str] = {}
    for e in edges:
        a, b, rel = e["from"], e["to"], e["relation"]
        other = b if a == focus["id"] else (a if b == focus["id"] else None)
        if other is None or other not in by_id:
            continue
        if rel == "specializationOf" and other == a:
            rel = "children"
        if rel in ("children", "relatedCareer", "collaboratesWith") and rel != reason.get(other):
            reason.setdefault(other, rel)
    buckets: dict[str, list[dict[str, Any]]] = {}
    for n in nodes:
        if n is focus:
            continue
        far = n.get("depth", 1) > 1
        key = n["kind"] if far else reason.get(n["id"], n["kind"])
        if key == "specialization":
            key = "children"
        buckets.setdefault(("far:" if far else "") + key, []).append(n)
    order = {k: i for i, k in enumerate(_GROUP_ORDER)}

    def rank(key: str) -> tuple[int, int, str]:
        far = key.startswith("far:")
        return (far, order.get(key.removeprefix("far:"), 99), key)

    ring: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    for key in sorted(buckets, key=rank):
        members = sorted(buckets[key], key=lambda n: n["label"].casefold())
        far = key.startswith("far:")
        if len(members) <= GROUP_AT and not (far and len(members) > 1):
            ring.extend(members)
            continue
        one, many = _GROUP_NOUN.get(key.removeprefix("far:"), ("node", "nodes"))
        label = f"{len(members)} {many if len(members) > 1 else one}" + (" further out" if far else "")
        group = {
            "id": f"group:{key}",
            "label": label,
            "kind": members[0]["kind"],
            "count": len(members),
            "members": [m["id"] for m in members],
            "shape": "box",
        }
        group["_extent"] = _extent(group)
        groups.append(group)
        ring.append(group)
        for m in members:
            m["group"] = group["id"]
    focus["x"], focus["y"] = 0, 0
    _ellipse(ring, _box(focus, 0, 0))
    for group in groups:
        _grid([by_id[m] for m in group["members"]], group["x"], group["y"])
    for n in [*nodes, *groups]:
        n.pop("_extent", None)
    for g in groups:
        g.pop("shape", None)
    return groups


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

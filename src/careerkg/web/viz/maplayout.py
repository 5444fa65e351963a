"""Positions for the whole-graph map: a force layout in plain Python, fast for thousands of nodes.

No numpy: the layout is computed once per store state (and cached), so plain Python that is
linear per iteration is enough. Three steps:

1. **Communities** (``networkx.community.louvain_communities``, fixed seed): the map's clusters.
2. **Community centres**: a small force layout of the community graph (one node per
   community, pulled together by the edges between them, pushed apart by their sizes), then
   the nodes of each community start on a sunflower spiral around its centre, in breadth-first
   order from its best-linked node, so neighbours start near each other.
3. **Refinement**: Fruchterman–Reingold over all nodes, with the repulsion limited to nodes
   closer than ``2 k`` and found through a grid of cells ``2 k`` wide (a spatial hash), so an
   iteration costs about the number of nodes plus edges, not its square.

Small pieces (connected components of fewer than :data:`SMALL` nodes, and nodes without
edges) are not part of the force layout: each is a small sunflower, in rows below the picture.
The result is deterministic (same input, same positions).

Nodes of a second kind (the skills, tens of thousands of them) are not laid out by force:
:func:`place_satellites` puts each at the mean position of the nodes it is linked to (its
careers), spread on a small sunflower with the others that land near the same point. That is
linear in the links, so skills cost the map seconds less than laying them out would.
:func:`layout_with_satellites` does both, and brings the careers that have no place in the
picture (small pieces, in rows) next to their skills when those skills are in the picture.

>>> xy = force_layout(4, [(0, 1), (1, 2), (2, 3)])
>>> len(xy), all(isinstance(c, float) for p in xy for c in p)
(4, True)
>>> force_layout(3, [(0, 1), (0, 1)]) == force_layout(3, [(0, 1), (0, 1)])
True
>>> len(place_satellites([(0.0, 0.0), (10.0, 0.0)], [[0, 1], [1], []]))
3
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence

__all__ = ["GOLDEN_ANGLE", "SMALL", "force_layout", "layout_with_satellites", "place_satellites", "sunflower"]

#: Connected pieces smaller than this go in rows under the main picture.
SMALL = 12

#: Sunflower (phyllotaxis) spiral angle: points spread evenly, none on top of another.
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def sunflower(count: int, spacing: float = 1.0) -> list[tuple[float, float]]:
    """``count`` points on a sunflower spiral around (0, 0), ``spacing`` apart on average.

    >>> sunflower(1)
    [(0.0, 0.0)]
    >>> [round(math.hypot(*p), 2) for p in sunflower(3)]
    [0.0, 1.0, 1.41]
    """
    points = []
    for i in range(count):
        r = spacing * math.sqrt(i)
        points.append((r * math.cos(i * GOLDEN_ANGLE), r * math.sin(i * GOLDEN_ANGLE)))
    return points


def _adjacency(n: int, edges: Iterable[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """Distinct undirected edges (no loops) and each node's neighbours."""
    pairs = sorted({(a, b) if a < b else (b, a) for a, b in edges if a != b})
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs:
        adj[a].append(b)
        adj[b].append(a)
    return pairs, adj


def _communities(n: int, pairs: Sequence[tuple[int, int]], seed: int) -> list[list[int]]:
    """Louvain communities of the linked nodes, largest first (ties by lowest node)."""
    import networkx as nx

    G = nx.Graph()
    G.add_edges_from(pairs)
    found = nx.community.louvain_communities(G, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _place_communities(
    communities: Sequence[Sequence[int]], pairs: Sequence[tuple[int, int]], k: float, iterations: int = 80
) -> list[tuple[float, float]]:
    """Centres for ``communities``: linked ones close, none overlapping (radius ~ sqrt(size))."""
    m = len(communities)
    which = {}
    for c, members in enumerate(communities):
        for v in members:
            which[v] = c
    weight: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in pairs:
        ca, cb = which[a], which[b]
        if ca != cb:
            weight[(ca, cb) if ca < cb else (cb, ca)] += 1
    radius = [k * 1.1 * math.sqrt(len(c)) for c in communities]
    # Start from a spiral in size order, big communities in the middle.
    pos = [list(p) for p in sunflower(m, spacing=2.2 * radius[0] if m else 1.0)]
    step = 2.0 * (radius[0] if m else 1.0)
    for it in range(iterations):
        disp = [[0.0, 0.0] for _ in range(m)]
        for (ca, cb), w in weight.items():
            dx = pos[ca][0] - pos[cb][0]
            dy = pos[ca][1] - pos[cb][1]
            d = math.hypot(dx, dy) or 1e-9
            gap = d - radius[ca] - radius[cb]
            if gap > 0:
                f = 0.02 * math.log1p(w) * gap / d
                disp[ca][0] -= dx * f
                disp[ca][1] -= dy * f
                disp[cb][0] += dx * f
                disp[cb][1] += dy * f
        for a in range(m):
            pa, ra = pos[a], radius[a]
            for b in range(a + 1, m):
                dx = pa[0] - pos[b][0]
                dy = pa[1] - pos[b][1]
                d = math.hypot(dx, dy) or 1e-9
                overlap = ra + radius[b] + k - d
                if overlap > 0:
                    f = 0.5 * overlap / d
                    disp[a][0] += dx * f
                    disp[a][1] += dy * f
                    disp[b][0] -= dx * f
                    disp[b][1] -= dy * f
        # A weak pull to the middle keeps unlinked communities from drifting off.
        limit = step * (1 - it / iterations) + k
        for a in range(m):
            dx = disp[a][0] - 0.01 * pos[a][0]
            dy = disp[a][1] - 0.01 * pos[a][1]
            d = math.hypot(dx, dy)
            if d > limit:
                dx, dy = dx * limit / d, dy * limit / d
            pos[a][0] += dx
            pos[a][1] += dy
    return [(p[0], p[1]) for p in pos]


def _start_positions(
    communities: Sequence[Sequence[int]],
    centres: Sequence[tuple[float, float]],
    adj: Sequence[Sequence[int]],
    k: float,
) -> dict[int, tuple[float, float]]:
    """Each community's nodes on a sunflower around its centre, in breadth-first order."""
    start: dict[int, tuple[float, float]] = {}
    for members, (cx, cy) in zip(communities, centres, strict=True):
        inside = set(members)
        hub = max(members, key=lambda v: (len(adj[v]), -v))
        order, seen, queue = [], {hub}, deque([hub])
        while queue:
            v = queue.popleft()
            order.append(v)
            for w in sorted(adj[v], key=lambda w: -len(adj[w])):
                if w in inside and w not in seen:
                    seen.add(w)
                    queue.append(w)
        order += [v for v in members if v not in seen]
        for v, (x, y) in zip(order, sunflower(len(order), spacing=k), strict=True):
            start[v] = (cx + x, cy + y)
    return start


def _refine(
    nodes: Sequence[int],
    pos: dict[int, list[float]],
    pairs: Sequence[tuple[int, int]],
    k: float,
    iterations: int,
) -> None:
    """Fruchterman–Reingold on ``nodes`` (in place), repulsion within ``2 k`` via a grid."""
    cell = 2 * k
    kk = k * k
    cut2 = cell * cell
    temperature = 2 * k
    for it in range(iterations):
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for v in nodes:
            p = pos[v]
            grid[(int(p[0] // cell), int(p[1] // cell))].append(v)
        disp = {v: [0.0, 0.0] for v in nodes}
        for (gx, gy), here in grid.items():
            # Each pair of cells once: this cell, and four of its eight neighbours.
            for ox, oy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
                there = here if (ox, oy) == (0, 0) else grid.get((gx + ox, gy + oy))
                if not there:
                    continue
                same = there is here
                for i, a in enumerate(here):
                    pa, da = pos[a], disp[a]
                    ax, ay = pa[0], pa[1]
                    for b in here[i + 1 :] if same else there:
                        pb = pos[b]
                        dx = ax - pb[0]
                        dy = ay - pb[1]
                        d2 = dx * dx + dy * dy
                        if d2 >= cut2:
                            continue
                        if d2 < 1e-6:
                            dx, dy, d2 = 1e-3 * ((a - b) % 7 - 3), 1e-3, 1e-5
                        f = kk / d2
                        db = disp[b]
                        da[0] += dx * f
                        da[1] += dy * f
                        db[0] -= dx * f
                        db[1] -= dy * f
        for a, b in pairs:
            pa, pb = pos[a], pos[b]
            dx = pa[0] - pb[0]
            dy = pa[1] - pb[1]
            f = math.sqrt(dx * dx + dy * dy) / k
            da, db = disp[a], disp[b]
            da[0] -= dx * f
            da[1] -= dy * f
            db[0] += dx * f
            db[1] += dy * f
        t = temperature * (1 - it / iterations) + 0.05 * k
        for v in nodes:
            dx, dy = disp[v]
            d = math.sqrt(dx * dx + dy * dy)
            if d > t:
                dx, dy = dx * t / d, dy * t / d
            p = pos[v]
            p[0] += dx
            p[1] += dy


def force_layout(
    n: int, edges: Iterable[tuple[int, int]], *, iterations: int = 40, seed: int = 1, k: float = 10.0
) -> list[tuple[float, float]]:
    """Positions for nodes ``0 .. n-1`` linked by ``edges`` (pairs of node numbers).

    Parameters
    ----------
    n : int
        How many nodes.
    edges : iterable of (int, int)
        Links; direction, repeats and loops do not matter.
    iterations : int
        Refinement passes (each about linear in nodes + edges).
    seed : int
        Seed of the community detection; the rest is deterministic.
    k : float
        The ideal distance between linked nodes.

    Returns
    -------
    list of (x, y)
        One position per node, centred on (0, 0).
    """
    pairs, adj = _adjacency(n, edges)
    pieces = _pieces(n, adj)
    small = _in_rows(pieces)
    apart = {v for p in small for v in p}
    main = [v for v in range(n) if v not in apart]
    main_pairs = [(a, b) for a, b in pairs if a not in apart]
    communities = _communities(n, main_pairs, seed) if main_pairs else []
    centres = _place_communities(communities, main_pairs, k)
    pos = {v: list(xy) for v, xy in _start_positions(communities, centres, adj, k).items()}
    _refine(main, pos, main_pairs, k, iterations)
    xs = [pos[v][0] for v in main] or [0.0]
    ys = [pos[v][1] for v in main] or [0.0]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    out = [(0.0, 0.0)] * n
    for v in main:
        out[v] = (round(pos[v][0] - cx, 2), round(pos[v][1] - cy, 2))
    # Small pieces: each a sunflower in its own cell, in rows as wide as the picture, below it.
    width = max(max(xs) - min(xs), k * 20)
    x, y = -width / 2, (max(ys) - cy if main else 0.0) + 4 * k
    row = 0.0
    for piece in sorted(small, key=lambda p: (-len(p), p[0])):
        size = 2 * k * math.sqrt(len(piece) - 1) + 1.5 * k
        if x + size > width / 2 and x > -width / 2:
            x, y, row = -width / 2, y + row, 0.0
        for v, (dx, dy) in zip(_bfs(piece[0], adj), sunflower(len(piece), spacing=k), strict=True):
            out[v] = (round(x + size / 2 + dx, 2), round(y + size / 2 + dy, 2))
        x += size
        row = max(row, size)
    return [(float(a), float(b)) for a, b in out]


def _bfs(start: int, adj: Sequence[Sequence[int]]) -> list[int]:
    """The nodes reachable from ``start``, breadth first."""
    order, seen, queue = [], {start}, deque([start])
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in adj[v]:
            if w not in seen:
                seen.add(w)
                queue.append(w)
    return order


def _in_rows(pieces: Sequence[Sequence[int]]) -> list[Sequence[int]]:
    """The pieces that go in rows under the picture: lone nodes, and pieces smaller than
    :data:`SMALL` when some piece is not."""
    big = any(len(p) >= SMALL for p in pieces)
    return [p for p in pieces if len(p) == 1 or (big and len(p) < SMALL)]


def _pieces(n: int, adj: Sequence[Sequence[int]]) -> list[list[int]]:
    """Connected components (a node without edges is one), each sorted."""
    seen: set[int] = set()
    pieces = []
    for v in range(n):
        if v not in seen:
            piece = sorted(_bfs(v, adj))
            seen.update(piece)
            pieces.append(piece)
    return pieces


def place_satellites(
    xy: Sequence[tuple[float, float]],
    anchors: Sequence[Sequence[int]],
    *,
    k: float = 10.0,
    spacing: float = 0.3,
) -> list[tuple[float, float]]:
    """Positions for extra nodes, each linked to some of the nodes already at ``xy``.

    Satellite ``i`` goes to the mean of ``xy[j]`` over ``j in anchors[i]`` (a satellite without
    anchors, to the middle of the picture). Satellites whose means fall in the same cell of a
    grid ``k`` wide share one small sunflower (``spacing * k`` apart) around the cell's mean, in
    the order given, none exactly on an anchor. Linear in the anchors; deterministic.

    >>> place_satellites([(0.0, 0.0)], [[0], [0]])
    [(-2.21, 2.03), (0.37, -4.23)]
    """
    cell = k
    centres: list[tuple[float, float]] = []
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, linked in enumerate(anchors):
        if linked:
            mx = sum(xy[j][0] for j in linked) / len(linked)
            my = sum(xy[j][1] for j in linked) / len(linked)
        else:
            mx = my = 0.0
        centres.append((mx, my))
        buckets[(math.floor(mx / cell), math.floor(my / cell))].append(i)
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(anchors)
    for members in buckets.values():
        mx = sum(centres[i][0] for i in members) / len(members)
        my = sum(centres[i][1] for i in members) / len(members)
        # The sunflower's first point is its centre, where an anchor may sit: start at the second.
        ring = sunflower(len(members) + 1, spacing=spacing * k)[1:]
        for i, (dx, dy) in zip(members, ring, strict=True):
            out[i] = (round(mx + dx, 2), round(my + dy, 2))
    return out


def layout_with_satellites(
    n: int,
    edges: Iterable[tuple[int, int]],
    anchors: Sequence[Sequence[int]],
    *,
    iterations: int = 40,
    k: float = 10.0,
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Positions for nodes ``0 .. n-1`` linked by ``edges`` and for satellites linked to them
    (satellite ``i`` to the nodes ``anchors[i]``): ``(node positions, satellite positions)``.

    1. The nodes: :func:`force_layout` (small pieces go in rows under the picture).
    2. Each satellite by its anchors in the picture (by all its anchors when it has none there):
       :func:`place_satellites`.
    3. A node in the rows with satellites in the picture moves beside those satellites, and
       satellites with no anchor in the picture are placed again, by where their anchors now are.

    >>> nodes, sats = layout_with_satellites(13, [(i, i + 1) for i in range(11)], [[0, 12], [12]])
    >>> len(nodes), len(sats), nodes[12] != force_layout(13, [(i, i + 1) for i in range(11)])[12]
    (13, 2, True)
    """
    pairs, adj = _adjacency(n, edges)
    xy = force_layout(n, pairs, iterations=iterations, k=k)
    in_rows = {v for p in _in_rows(_pieces(n, adj)) for v in p}
    shown = {v for v in range(n) if v not in in_rows}
    inside = [[a for a in linked if a in shown] or list(linked) for linked in anchors]
    sat_xy = place_satellites(xy, inside, k=k)
    if not shown:
        return xy, sat_xy
    placed = [i for i, linked in enumerate(anchors) if any(a in shown for a in linked)]
    owned: dict[int, list[int]] = defaultdict(list)
    for i in placed:
        for a in anchors[i]:
            if a not in shown:
                owned[a].append(i)
    movers = sorted(owned)
    for v, p in zip(movers, place_satellites(sat_xy, [owned[v] for v in movers], k=k), strict=True):
        xy[v] = p
    outside = [i for i, linked in enumerate(anchors) if linked and not any(a in shown for a in linked)]
    for i, p in zip(outside, place_satellites(xy, [anchors[i] for i in outside], k=k), strict=True):
        sat_xy[i] = p
    return xy, sat_xy

"""Benchmark the views: writing pages of 100 / 1,000 / 5,000 nodes, settling in Chromium, and
the whole-graph WebGL map (time to first frame, frames per second while panning and zooming).

Run: .venv/bin/python benchmarks/bench_viz.py [--repeat 3] [--store FOLDER]

Baseline for writing: pyvis's own ``Network.from_nx`` + ``write_html`` on the same graph, in
the same run. The graphs are random (seeded) graphs shaped like career neighbourhoods: each node
has a kind, a label and a definition; ~3 typed edges per node. Settling is timed from navigation
start to vis-network's ``stabilizationIterationsDone`` (physics then stops), in headless Debian
Chromium with the network blocked; the row is skipped when /usr/bin/chromium is absent.

The map rows draw a synthetic graph (4,000 careers in 40 communities, 2,000 skills, ~28k links)
with the WebGL map (``careerkg.web.viz.mapview``) and, as the baseline in the same run, with the
vis-network page ``viz --all`` wrote before (cut to 2,000 nodes, as it was). Ready: navigation
to the map's first frame (vis-network: to physics off). Frames per second: for 3 s the test pans
and zooms on every requestAnimationFrame, and counts the frames the page drew (the map's own
counter; for vis-network, the animation frames it got). With ``--store``, the same for that
store's map (``careerkg viz --all``) against its old vis-network page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

from careerkg.web.viz import KINDS, RELATIONS, view_from_networkx
from careerkg.web.viz.mapview import MAP_KINDS, CareerMap, map_from_edges

KIND_NAMES = [k for k in KINDS if k != "other"]
REL_NAMES = list(RELATIONS)


def make_graph(n: int, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        kind = KIND_NAMES[i % len(KIND_NAMES)]
        g.add_node(
            f"https://w3id.org/careerkg/skill/node-{i}",
            label=f"Node {i} ({kind})",
            kind=kind,
            definition=f"Definition of node {i}: " + "words " * 12,
        )
    nodes = list(g)
    for i in range(1, n):
        g.add_edge(nodes[rng.randrange(i)], nodes[i], relation=rng.choice(REL_NAMES))
    for _ in range(2 * n):
        a, b = rng.sample(nodes, 2)
        g.add_edge(a, b, relation=rng.choice(REL_NAMES))
    return g


def time_ours(g: nx.MultiDiGraph, out: Path) -> float:
    t = time.perf_counter()
    view_from_networkx(g, limit=len(g)).save(out)
    return time.perf_counter() - t


def time_pyvis(g: nx.MultiDiGraph, out: Path) -> float:
    from pyvis.network import Network

    copy = nx.Graph()  # from_nx mutates its input and wants simple attributes
    copy.add_nodes_from((n, {"label": a["label"], "title": a["definition"]}) for n, a in g.nodes(data=True))
    copy.add_edges_from((a, b) for a, b in g.edges())
    t = time.perf_counter()
    net = Network(directed=False, cdn_resources="in_line")
    net.from_nx(copy)
    net.write_html(str(out), open_browser=False)
    return time.perf_counter() - t


def settle_seconds(page_file: Path, repeat: int) -> list[float] | None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright

    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
    ]
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=args)
        for _ in range(repeat):
            ctx = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 900})
            page = ctx.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(page_file.as_uri())
            page.wait_for_function("window.careerkg && window.careerkg.stabilized", timeout=60_000)
            times.append(page.evaluate("window.careerkg.stabilizedAt") / 1000)
            ctx.close()
        browser.close()
    return times


def synthetic_map_graph(seed: int = 15) -> tuple[list[dict], list[tuple[str, str]]]:
    """4,000 careers in 40 communities, 2,000 skills each held by 2-6 careers of one community."""
    rng = random.Random(seed)
    sources = ("onet", "esco", "curated")
    nodes = [{"id": f"c{i}", "label": f"career {i}", "group": sources[i % 3]} for i in range(4000)]
    kinds = ("technology", "knowledge", "competence")
    nodes += [
        {"id": f"s{j}", "label": f"skill {j}", "group": "esco", "kind": kinds[j % 3]} for j in range(2000)
    ]
    edges: set[tuple[str, str]] = set()
    while len(edges) < 20000:
        a = rng.randrange(4000)
        b = a + 40 * rng.randint(1, 8) if rng.random() < 0.9 else rng.randrange(4000)
        if b < 4000 and a != b:
            edges.add((f"c{min(a, b)}", f"c{max(a, b)}"))
    pairs = sorted(edges)
    for j in range(2000):
        team = rng.randrange(40)
        pairs += [(f"s{j}", f"c{team + 40 * rng.randrange(100)}") for _ in range(rng.randint(2, 6))]
    return nodes, pairs


def vis_page_of(m: CareerMap, out: Path, limit: int = 2000) -> Path:
    """The vis-network page of the map's graph, cut to ``limit`` nodes (what viz --all drew before)."""
    g = nx.MultiDiGraph()
    names = [k for k, _, _ in MAP_KINDS]
    for i, ident in enumerate(m.ids):
        kind = names[m.kinds[i]] if m.kinds else "career"
        g.add_node(f"https://w3id.org/careerkg/skill/{ident}", label=m.labels[i], kind=kind, definition="")
    for a, b in m.edges:
        skill = bool(m.kinds) and (m.kinds[a] or m.kinds[b])
        g.add_edge(
            f"https://w3id.org/careerkg/skill/{m.ids[a]}",
            f"https://w3id.org/careerkg/skill/{m.ids[b]}",
            relation="essentialSkill" if skill else "relatedCareer",
        )
    return view_from_networkx(g, limit=limit).save(out)


# Pans and zooms on every animation frame for `ms`; counts frames drawn (see the module doc).
DRIVE_MAP = """async (ms) => {
  const box = document.getElementById('ckg-map'), map = window.careerkgMap;
  const first = +box.dataset.frames, t0 = performance.now();
  let tick = 0;
  await new Promise(done => { function step(now) { tick++;
    if (tick % 40 < 20) map.pan(7, 3); else map.zoom(tick % 80 < 60 ? 1.03 : 0.97);
    if (now - t0 < ms) requestAnimationFrame(step); else done(); } requestAnimationFrame(step); });
  return (+box.dataset.frames - first) / ((performance.now() - t0) / 1000);
}"""
DRIVE_VIS = """async (ms) => {
  const net = window.careerkg.network, t0 = performance.now();
  let tick = 0;
  await new Promise(done => { function step(now) { tick++;
    const p = net.getViewPosition(), s = net.getScale();
    if (tick % 40 < 20) net.moveTo({position: {x: p.x + 7 / s, y: p.y + 3 / s}, scale: s});
    else net.moveTo({position: p, scale: s * (tick % 80 < 60 ? 1.03 : 0.97)});
    if (now - t0 < ms) requestAnimationFrame(step); else done(); } requestAnimationFrame(step); });
  return tick / ((performance.now() - t0) / 1000);
}"""


def browser_runs(
    pages: dict[str, tuple[Path, str]], repeat: int
) -> dict[str, list[tuple[float, float]]] | None:
    """(seconds to ready, frames per second) per run, for each page: name -> (file, "map"|"vis")."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright

    found: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        for _ in range(repeat):
            for name, (file, kind) in pages.items():
                ctx = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 900})
                page = ctx.new_page()
                page.route(
                    "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
                )
                page.goto(file.as_uri())
                if kind == "map":
                    page.wait_for_selector("#ckg-map[data-ready]", state="attached", timeout=120_000)
                    ready = page.evaluate("performance.now()") / 1000
                    page.wait_for_selector("#ckg-map[data-complete='1']", state="attached", timeout=120_000)
                    fps = page.evaluate(DRIVE_MAP, 3000)
                else:
                    page.wait_for_function("window.careerkg && window.careerkg.stabilized", timeout=300_000)
                    ready = page.evaluate("window.careerkg.stabilizedAt") / 1000
                    fps = page.evaluate(DRIVE_VIS, 3000)
                found[name].append((ready, fps))
                ctx.close()
        browser.close()
    return found


def map_rows(folder: Path, repeat: int, store: str | None) -> list[str]:
    """Table rows for the WebGL map against the old vis-network whole-graph page."""
    nodes, pairs = synthetic_map_graph()
    t = time.perf_counter()
    m = map_from_edges(nodes, pairs, title="Synthetic careers")
    layout = time.perf_counter() - t
    pages = {
        "synthetic": (m.save(folder / "map.html"), "map"),
        "synthetic-vis": (vis_page_of(m, folder / "vis.html"), "vis"),
    }
    what = {"synthetic": f"synthetic: {m.nodes:,} nodes, {m.edge_count:,} links"}
    if store is not None:
        from careerkg import CareerGraph
        from careerkg.web.viz.mapview import career_map

        kg = CareerGraph.open(store, read_only_if_busy=True)
        full = career_map(kg.store)
        pages["store"] = (full.save(folder / "store-map.html"), "map")
        pages["store-vis"] = (kg.visualize(None, limit=2000).save(folder / "store-vis.html"), "vis")
        what["store"] = f"{store}: {full.nodes:,} nodes, {full.edge_count:,} links"
        kg.close()
    runs = browser_runs(pages, repeat)
    rows = [
        f"| lay out the synthetic map in Python (once per store state) | {layout:.2f} | | | (not compared) |"
    ]
    if runs is None:
        return [*rows, "| map rows | skipped: /usr/bin/chromium absent | | | |"]
    for key, label in what.items():
        size = pages[key][0].stat().st_size / 1e6
        base_size = pages[key + "-vis"][0].stat().st_size / 1e6
        ready = statistics.median(r for r, _ in runs[key])
        base_ready = statistics.median(r for r, _ in runs[key + "-vis"])
        fps = statistics.median(f for _, f in runs[key])
        base_fps = statistics.median(f for _, f in runs[key + "-vis"])
        rows.append(
            f"| {label}: WebGL map ready ({size:.1f} MB page) vs vis-network page of 2,000 nodes settled "
            f"({base_size:.1f} MB) | {ready:.2f} | {base_ready:.2f} | {base_ready / ready:.1f}x sooner | "
            f"old viz --all (runs: {', '.join(f'{r:.2f}' for r, _ in runs[key])}) |"
        )
        rows.append(
            f"| {label}: frames per second panning and zooming (higher is better) | {fps:.1f} fps | "
            f"{base_fps:.1f} fps | {fps / base_fps:.1f}x more | old viz --all "
            f"(runs: {', '.join(f'{f:.1f}' for _, f in runs[key])}) |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--store", help="also measure this store's whole-graph map (e.g. a full store)")
    parser.add_argument("--map-only", action="store_true", help="only the map rows")
    args = parser.parse_args()
    rows = []
    settle: list[float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extra = map_rows(folder, args.repeat, args.store)
        for n in () if args.map_only else (100, 1000, 5000):
            g = make_graph(n)
            ours = statistics.median(time_ours(g, folder / f"ours-{n}.html") for _ in range(args.repeat))
            base_runs = 1 if n >= 5000 else args.repeat
            base = statistics.median(time_pyvis(g, folder / f"pyvis-{n}.html") for _ in range(base_runs))
            size = (folder / f"ours-{n}.html").stat().st_size / 1e6
            rows.append(
                (
                    f"write a {n:,}-node view ({size:.1f} MB, offline)",
                    ours,
                    base,
                    "pyvis from_nx + write_html (CDN links)",
                )
            )
        if not args.map_only:
            g = make_graph(2000)
            page = view_from_networkx(g, limit=2000).save(folder / "settle-2000.html")
            settle = settle_seconds(page, args.repeat)
    print("| measurement | careerkg (median s) | baseline (median s) | ratio | baseline is |")
    print("|---|---:|---:|---:|---|")
    for name, ours, base, what in rows:
        print(f"| {name} | {ours:.3f} | {base:.3f} | {base / ours:.1f}x faster | {what} |")
    if args.map_only:
        pass
    elif settle is None:
        print("| 2,000-node view settles in headless Chromium | skipped: /usr/bin/chromium absent | | | |")
    else:
        print(
            f"| 2,000-node view settles in headless Chromium (load -> physics off) | "
            f"{statistics.median(settle):.2f} | 5.00 | {5 / statistics.median(settle):.1f}x under | "
            f"the issue's budget (runs: {', '.join(f'{s:.2f}' for s in settle)}) |"
        )
    for row in extra:
        print(row)


if __name__ == "__main__":
    main()

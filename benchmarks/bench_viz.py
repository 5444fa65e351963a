"""Benchmark the views: writing pages of 100 / 1,000 / 5,000 nodes, and settling in Chromium.

Run: .venv/bin/python benchmarks/bench_viz.py [--repeat 3]

Baseline for writing: pyvis's own ``Network.from_nx`` + ``write_html`` on the same graph, in
the same run. The graphs are random (seeded) graphs shaped like career neighbourhoods: each node
has a kind, a label and a definition; ~3 typed edges per node. Settling is timed from navigation
start to vis-network's ``stabilizationIterationsDone`` (physics then stops), in headless Debian
Chromium with the network blocked; the row is skipped when /usr/bin/chromium is absent.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in (100, 1000, 5000):
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
        g = make_graph(2000)
        page = view_from_networkx(g, limit=2000).save(folder / "settle-2000.html")
        settle = settle_seconds(page, args.repeat)
    print("| measurement | careerkg (median s) | baseline (median s) | ratio | baseline is |")
    print("|---|---:|---:|---:|---|")
    for name, ours, base, what in rows:
        print(f"| {name} | {ours:.3f} | {base:.3f} | {base / ours:.1f}x faster | {what} |")
    if settle is None:
        print("| 2,000-node view settles in headless Chromium | skipped: /usr/bin/chromium absent | | | |")
    else:
        print(
            f"| 2,000-node view settles in headless Chromium (load -> physics off) | "
            f"{statistics.median(settle):.2f} | 5.00 | {5 / statistics.median(settle):.1f}x under | "
            f"the issue's budget (runs: {', '.join(f'{s:.2f}' for s in settle)}) |"
        )


if __name__ == "__main__":
    main()

"""``careerkg viz``: write an interactive, offline HTML view of the graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .common import StoreOption, console, err_console, fail, handle_errors, open_graph

__all__ = ["register"]

EXAMPLE = (
    'Example: careerkg viz "machine learning engineer" -o mle.html\n\n'
    'careerkg viz "data scientist" --depth 2 --kinds career,specialization -o ds.html\n\n'
    'careerkg viz "data analyst" --to "machine learning engineer" -o path.html\n\n'
    "careerkg viz --all -o map.html   (every career and skill, drawn with WebGL)"
)


def register(app: typer.Typer) -> None:
    """Add ``viz`` to ``app``."""
    app.command("viz", epilog=EXAMPLE)(viz_command)


@handle_errors
def viz_command(
    name: Annotated[
        str | None,
        typer.Argument(help="A career: any name, id, O*NET code or IRI. Omit (with --all) for every career."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "careerkg-view.html"
    ),
    depth: Annotated[int, typer.Option("--depth", "-d", help="Hops from the career.", min=0)] = 1,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kinds",
            "-k",
            help="Node kinds to include (comma-separated or repeated): career, specialization, skill "
            "(or technology, knowledge, competence), duty, industry, setting.",
        ),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Draw the path to this career and the skill gap instead.")
    ] = None,
    all_careers: Annotated[
        bool,
        typer.Option(
            "--all",
            help="The whole graph: every career and skill and their links, on a WebGL map "
            "(laid out once per store state, then cached).",
        ),
    ] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", help="Most nodes to draw; above it the view is cut and says what was cut.", min=1
        ),
    ] = 2000,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary instead of text.")] = False,
    store: StoreOption = None,
) -> None:
    """Write an interactive view of a career's neighbourhood (or a path) as one HTML file.

    The page works offline (everything is inlined): colours and shapes by node kind with a
    legend, search by label, filters by node kind and relation, click a node for its details.
    With --all: every career and skill on one WebGL map (coloured by source or kind, labels
    by zoom, search, details), laid out once per store state.
    """
    if name is None and not all_careers:
        raise fail("give a career NAME, or --all for every career")
    if output.exists() and output.is_dir():
        raise fail(f"{output} is a folder: give a file name such as {output / 'view.html'}")
    if all_careers:
        unused = [
            option
            for option, given in (
                ("NAME", name is not None),
                ("--to", to is not None),
                ("--kinds", bool(kinds)),
                ("--depth", depth != 1),
                ("--limit", limit != 2000),
            )
            if given
        ]
        if unused:
            raise fail(f"--all draws every career and skill: drop {', '.join(unused)}")
        if not output.parent.is_dir():
            raise fail(f"folder {output.parent} does not exist")
        _write_map(store, output, as_json)
        return
    graph = open_graph(store, read_only=False)
    with err_console.status("Reading the view from the graph..."):
        view = graph.visualize(name, depth=depth, kinds=kinds, to=to, limit=limit)
        path = view.save(output)
    kinds_count: dict[str, int] = {}
    for n in view.nodes:
        kinds_count[n["kind"]] = kinds_count.get(n["kind"], 0) + 1
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "file": str(path),
                    "title": view.title,
                    "nodes": len(view.nodes),
                    "edges": len(view.edges),
                    "kinds": kinds_count,
                    "total_nodes": view.total_nodes,
                    "cut": view.cut,
                    "notice": view.notice,
                }
            )
        )
        return
    if view.notice:
        err_console.print(f"[yellow]note:[/] {view.notice}", markup=True, highlight=False)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds_count.items()))
    console.print(
        f"Wrote {path} ({len(view.nodes):,} nodes: {summary}; {len(view.edges):,} edges)", markup=False
    )


def _write_map(store: str | None, output: Path, as_json: bool) -> None:
    """``viz --all``: the WebGL map of every career and skill, written to ``output``."""
    from ..web.viz.mapview import career_map

    graph = open_graph(store, read_only=False)
    with err_console.status("Reading the map of every career and skill...") as status:
        view = career_map(graph.store, progress=status.update)
        status.update(f"Writing {output}...")
        path = view.save(output)
    size = path.stat().st_size
    kinds = view.kind_counts()
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "file": str(path),
                    "title": view.title,
                    "nodes": view.nodes,
                    "edges": view.edge_count,
                    "kinds": kinds,
                    "sources": view.counts(),
                    "bytes": size,
                }
            )
        )
        return
    careers = kinds.get("career", 0)
    console.print(
        f"Wrote {path} ({careers:,} careers, {view.nodes - careers:,} skills, "
        f"{view.edge_count:,} links; {size / 1e6:.1f} MB)",
        markup=False,
        soft_wrap=True,
    )

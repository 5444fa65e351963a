"""``careerkg evaluate`` and ``careerkg skills``: answer quality, and skills from free text."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .common import StoreOption, console, err_console, handle_errors, open_graph

__all__ = ["register", "row_notes", "rows_table"]


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` and ``skills`` to ``app``."""
    app.command(
        "evaluate",
        epilog="Example: careerkg import all datasets --store /tmp/kg && careerkg evaluate --store /tmp/kg",
    )(evaluate_command)
    app.command("skills", epilog='Example: careerkg skills "pytorch, people management, sql"')(skills_command)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def rows_table(rows: list) -> Table:
    """The rows of :func:`careerkg.quality.evaluate` as a rich table (notes: :func:`row_notes`)."""
    table = Table(title="Answer quality (weights tuned on dev, reported on test)")
    table.add_column("measure")
    table.add_column("metric")
    for name in ("baseline dev", "baseline test", "dev", "test", "target"):
        table.add_column(name, justify="right")
    for r in rows:
        target = "" if r.target is None else f"{r.target:.2f} {'met' if r.met() else 'NOT met'}"
        table.add_row(
            r.measure,
            r.metric,
            _fmt(r.baseline_dev),
            _fmt(r.baseline_test),
            _fmt(r.dev),
            _fmt(r.test),
            target,
        )
    return table


def row_notes(rows: list) -> list[str]:
    """The notes of the rows, once each, as "measure: metric: note" lines."""
    seen: dict[str, None] = {}
    for r in rows:
        if r.note:
            seen.setdefault(
                f"{r.measure}: {r.note}" if r.measure != "pairs" else f"pairs: {r.metric}: {r.note}"
            )
    return list(seen)


@handle_errors
def evaluate_command(
    store: StoreOption = None,
    only: Annotated[
        str | None,
        typer.Option(help="Comma-separated measures: pairs, related, crosswalk, free-text, coverage."),
    ] = None,
    pairs: Annotated[
        Path | None, typer.Option(help="The labelled skill pairs (default tests/data/skill_pairs.csv).")
    ] = None,
    sample: Annotated[
        int, typer.Option(help="Held-out labels per half for free-text (0: all of them, slow).")
    ] = 2000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """Measure answers against independent ground truth (skill pairs, related careers, crosswalk, ...)."""
    from ..quality import MEASURES, evaluate

    graph = open_graph(store, read_only=True, autobuild=False)
    measures = [m.strip() for m in only.split(",")] if only else list(MEASURES)
    rows = evaluate(
        graph.store,
        measures,
        pairs_file=pairs,
        free_text_sample=sample or None,
        progress=lambda name: err_console.print(f"measuring {name}..."),
    )
    if as_json:
        console.print_json(json.dumps([asdict(r) for r in rows]))
    else:
        console.print(rows_table(rows))
        for line in row_notes(rows):
            console.print(f"  {line}", soft_wrap=True)


@handle_errors
def skills_command(
    text: Annotated[str, typer.Argument(help="Skills in free text, separated by commas.")],
    store: StoreOption = None,
    k: Annotated[int, typer.Option("--top", "-k", help="Candidates per phrase.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Resolve free-text skills to canonical skills across curated, O*NET and ESCO, with confidence."""
    from ..quality.skills import SkillResolver

    graph = open_graph(store, read_only=True)
    resolved = SkillResolver(graph.store).resolve_all(text, k)
    if as_json:
        console.print_json(json.dumps({p: [asdict(r) for r in rs] for p, rs in resolved.items()}))
        return
    table = Table(title="Skills")
    for name in ("phrase", "skill", "confidence", "how", "members (source: label)"):
        table.add_column(name)
    for phrase, found in resolved.items():
        if not found:
            table.add_row(phrase, "(nothing)", "", "", "")
        for r in found:
            members = "; ".join(f"{src}: {label}" for src, _, label in r.members)
            table.add_row(phrase, r.label, f"{r.confidence:.2f}", r.method, members)
    console.print(table)

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
    app.command(
        "suggest-matches",
        epilog="Example: careerkg import all ../shared/datasets && careerkg suggest-matches",
    )(suggest_matches_command)


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


@handle_errors
def suggest_matches_command(
    store: StoreOption = None,
    k: Annotated[int, typer.Option("--top", "-k", help="Suggestions per career and taxonomy.", min=1)] = 3,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report and suggestions as JSON.")
    ] = False,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not say each step on stderr.", show_default=False)
    ] = False,
) -> None:
    """Suggest O*NET and ESCO matches for careers the official crosswalk does not cover.

    Curated careers, and O*NET and ESCO occupations no crosswalk link names, get the best
    occupations of the other taxonomy by careerkg's occupation predictor (docs/quality.md), each
    with a confidence (the estimated probability that the official crosswalk would link it,
    calibrated on the crosswalk's own occupations) and the evidence. They replace the
    'suggested' named graph, never the crosswalk; `careerkg show` lists them as suggested and
    traversal ignores them. Needs the curated, onet, esco and crosswalk graphs (exit 2, nothing
    written, when one is missing).
    """
    import time

    from ..quality.suggest import suggest_matches, write_suggestions

    graph = open_graph(store, writes=True, autobuild=False)
    started = time.perf_counter()

    def say(step: str) -> None:
        if not no_progress:
            err_console.print(
                f"[{time.perf_counter() - started:5.1f}s] {step}", markup=False, highlight=False
            )

    report = suggest_matches(graph.store, k=k, progress=say)
    say(f"writing {len(report.suggestions):,} suggestions into {report.graph}")
    write_suggestions(graph.store, report)
    report.seconds = time.perf_counter() - started
    if as_json:
        console.print_json(json.dumps(report.as_dict()))
        return
    table = Table(
        title=f"Suggested matches: {report.triples:,} triples in {report.seconds:.1f}s -> {report.graph}"
    )
    for name in ("careers -> taxonomy", "careers asked", "with suggestions", "suggestions"):
        table.add_column(name, justify="left" if name.startswith("careers ->") else "right")
    counts = report.counts()
    for direction in report.queries:
        table.add_row(
            direction,
            f"{counts[f'{direction}: careers asked']:,}",
            f"{counts[f'{direction}: careers with suggestions']:,}",
            f"{counts[f'{direction}: suggestions']:,}",
        )
    console.print(table)

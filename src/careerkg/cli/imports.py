"""``careerkg import onet|esco|crosswalk|all``: load public taxonomies into the graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .common import StoreOption, console, err_console, handle_errors, open_graph

__all__ = ["register"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print the import report as JSON.")]
QuietOption = Annotated[
    bool, typer.Option("--no-progress", help="Do not show progress bars.", show_default=False)
]


def register(app: typer.Typer) -> None:
    """Add the ``import`` command group to ``app``."""
    group = typer.Typer(
        name="import",
        help="Import O*NET, ESCO and the ESCO-O*NET crosswalk, each into its own named graph.",
        no_args_is_help=True,
        rich_markup_mode="rich",
    )
    group.command("onet", epilog="Example: careerkg import onet ./db_29_3_text.zip")(onet_command)
    group.command("esco", epilog="Example: careerkg import esco ./esco-v1.1.1-csv/")(esco_command)
    group.command("crosswalk", epilog="Example: careerkg import crosswalk ./crosswalk_esco_onet.csv")(
        crosswalk_command
    )
    group.command("all", epilog="Example: careerkg import all ../shared/datasets")(all_command)
    app.add_typer(group)


def _print(reports: list, as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps([r.as_dict() for r in reports]))
        return
    for report in reports:
        table = Table(
            title=f"{report.kind} {escape(report.version)}: {report.triples:,} triples in "
            f"{report.seconds:.1f}s -> {escape(report.graph)}",
            title_justify="left",
        )
        table.add_column("file")
        table.add_column("rows read", justify="right")
        table.add_column("rejected", justify="right")
        table.add_column("reasons")
        for f in report.files:
            reasons = "; ".join(f"{escape(r)} ({n})" for r, n in f.reasons.most_common(3))
            table.add_row(escape(f.name), f"{f.rows:,}", f"{f.rejected:,}", reasons or "—")
        table.add_row("[bold]total", f"{report.rows_read:,}", f"{report.rows_rejected:,}", "")
        console.print(table)
        counts = Table(show_header=False, box=None, padding=(0, 2))
        for name, n in report.counts.items():
            counts.add_row(escape(name), f"{n:,}")
        console.print(counts)
        for warning in report.warnings:
            err_console.print(f"warning: {warning}", markup=False, highlight=False)


def _run(kind: str, source: str, store: str | None, as_json: bool, no_progress: bool) -> None:
    from ..data.build import CURATED
    from ..imports import import_source

    # The source is read (and refused) before the curated graph of a new store is built, so
    # an error is the only thing said and nothing is written.
    # (The crosswalk links the curated careers: for it the curated graph is built first.)
    graph = open_graph(store, writes=True, autobuild=kind == "crosswalk")
    report = import_source(graph.store, kind, source, progress=not no_progress)
    if not graph.store.has_graph(CURATED):
        built = graph.build()
        err_console.print(f"Built {built.careers} careers ({built.triples:,} triples) into {built.store}")
    _print([report], as_json)


SourceArg = Annotated[str, typer.Argument(help="A folder, a zip file, or an http(s) URL of a zip.")]


@handle_errors
def onet_command(
    source: SourceArg,
    store: StoreOption = None,
    as_json: JsonOption = False,
    no_progress: QuietOption = False,
) -> None:
    """Import the O*NET text database (db_XX_X_text folder, zip, or URL of the zip).

    Replaces the onet named graph atomically; on bad input (more bad rows than tolerated, a
    truncated zip, a wrong file) prints file:line: reason, exits 2 and changes nothing.
    """
    _run("onet", source, store, as_json, no_progress)


@handle_errors
def esco_command(
    source: SourceArg,
    store: StoreOption = None,
    as_json: JsonOption = False,
    no_progress: QuietOption = False,
) -> None:
    """Import the ESCO CSV download (folder or zip; v1.1 and v1.2 file naming).

    Replaces the esco named graph atomically; exit 2 and no change on bad input.
    """
    _run("esco", source, store, as_json, no_progress)


@handle_errors
def crosswalk_command(
    source: SourceArg,
    store: StoreOption = None,
    as_json: JsonOption = False,
    no_progress: QuietOption = False,
) -> None:
    """Import the ESCO-O*NET crosswalk CSV and match skills across the imported sources.

    Import O*NET and ESCO first: the cross-source skill matches are computed from them.
    """
    _run("crosswalk", source, store, as_json, no_progress)


@handle_errors
def all_command(
    datasets: Annotated[Path, typer.Argument(help="A folder holding the releases (searched).")],
    store: StoreOption = None,
    as_json: JsonOption = False,
    no_progress: QuietOption = False,
) -> None:
    """Build curated data if missing, then import the O*NET, ESCO and crosswalk releases
    found in a folder (such as ../shared/datasets), by their content: a folder or zip holding
    'Occupation Data.txt' (O*NET, any version), one holding occupations_en.csv (ESCO), a CSV
    whose header row starts with 'O*NET Id' (the crosswalk). Exit 2 when none is found, or
    when any file to read is empty (all of them named, nothing built or imported).
    """
    from ..imports import import_all

    graph = open_graph(store, writes=True, autobuild=False)  # import_all builds it when missing
    reports = import_all(graph.store, datasets, progress=not no_progress)
    _print(reports, as_json)

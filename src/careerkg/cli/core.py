"""Core commands: build, validate, show, stats, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from ..errors import OutputExists
from ..export import EXPORT_FORMATS, export
from ..namespaces import graph_iri
from .common import StoreOption, console, err_console, fail, handle_errors, open_graph

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the core commands to ``app``."""
    app.command("build", epilog="Example: careerkg build --store ./kgstore")(build_command)
    app.command("validate", epilog="Example: careerkg validate --data ./data")(validate_command)
    app.command("show", epilog='Example: careerkg show "ml engineer"')(show_command)
    app.command("stats", epilog="Example: careerkg stats --json")(stats_command)
    app.command("export", epilog="Example: careerkg export --format turtle -o careers.ttl")(
        export_command
    )


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="A curated data folder to use instead of the one shipped.",
        exists=False,
        show_default=False,
    ),
]


@handle_errors
def build_command(store: StoreOption = None, data: DataOption = None) -> None:
    """Validate the curated data and (re)build the graph in the store.

    All problems are listed as file:line: message; on any problem the exit code is 2 and the
    store is left exactly as it was.
    """
    graph = open_graph(store, autobuild=False, writes=True)
    with err_console.status("Validating and building the curated graph..."):
        report = graph.build(data)
    console.print(
        f"Built {report.careers} careers, {report.skills} skills, {report.triples:,} triples "
        f"in {report.seconds:.2f}s into {report.store}"
    )


@handle_errors
def validate_command(
    data: DataOption = None,
    drafts: Annotated[
        Path | None,
        typer.Option(
            "--drafts",
            metavar="DIR",
            show_default=False,
            help="Check the draft career files in DIR (or DIR/careers) instead: the depth rules "
            "as warnings, and sentences copied from their source page.",
        ),
    ] = None,
) -> None:
    """Check the curated data (structure, references, SHACL, depth rules) without touching any
    store; or, with --drafts, check draft career files by the depth rules.

    The depth rules: a definition, at least 5 skills, at least 3 related careers each with a
    reason, alternative names, industries, and an O*NET or ESCO code where one exists (the
    code is a reminder only). For data/ they are errors; for drafts, warnings, except that a
    draft holding nothing but a label fails.

    Exit codes: 0 valid, 1 a draft holds only a label, 2 problems found (each printed as
    file:line: message).
    """
    from ..errors import DataError, Problem
    from ..pages.check import check_drafts, code_problems

    if drafts is not None:
        _validate_drafts(drafts)
        return
    from ..data.build import validate_data
    from ..data.quality import depth_problems

    with err_console.status("Validating..."):
        curated, graph = validate_data(data)
    shallow = [Problem(c.file, c.line, f"{c.id}: {m}")
               for c in curated.careers.values() for m in depth_problems(c)]
    if shallow:
        raise DataError(shallow)
    for career in curated.careers.values():
        for message in code_problems(career):
            err_console.print(f"warning: {career.file}:{career.line}: {career.id}: {message}",
                              markup=False, highlight=False, soft_wrap=True)
    copied = check_drafts(Path(data or "."), [Path(c.file) for c in curated.careers.values()
                                              if Path(c.file).is_file()])
    for problem in copied.problems:
        if "copied word for word" in problem.message:
            err_console.print(f"warning: {problem}", markup=False, highlight=False,
                              soft_wrap=True)
    console.print(
        f"Valid: {len(curated.careers)} careers, {len(curated.skills)} skills, "
        f"{len(graph):,} triples; SHACL conforms; every career meets the depth rules."
    )


def _validate_drafts(folder: Path) -> None:
    from ..errors import DataError
    from ..pages.check import check_drafts

    if not folder.is_dir():
        raise fail(f"{escape(str(folder))}: not a folder")
    report = check_drafts(folder)
    if report.errors:
        raise DataError(report.errors)
    for problem in report.problems:
        err_console.print(f"warning: {problem}", markup=False, highlight=False, soft_wrap=True)
    if report.label_only:
        failing = sorted({p.message for p in report.problems
                          if any(p.file.endswith(f"/{i}.yaml") or p.file == f"{i}.yaml"
                                 for i in report.label_only)})
        raise fail(
            f"{len(report.label_only)} draft(s) hold only a label: "
            f"{escape(', '.join(report.label_only))}; failing depth rules: "
            f"{escape('; '.join(failing))}",
            code=1,
        )
    console.print(f"Checked {report.checked} drafts: {len(report.problems)} warning(s).")


def _names(items: list, limit: int | None = None) -> str:
    labels = [escape(i.label) for i in items]
    if limit is not None and len(labels) > limit:
        labels = [*labels[:limit], f"… and {len(labels) - limit} more"]
    return ", ".join(labels) if labels else "—"


@handle_errors
def show_command(
    name: Annotated[
        str,
        typer.Argument(
            help="A career: any name or alternative name, an id, an O*NET-SOC code or an IRI."
        ),
    ],
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False,
) -> None:
    """Show a career's profile: names, definition, specializations, skills, duties, related.

    Names match case-insensitively; on a miss, close names are suggested and the exit code is 1.
    """
    graph = open_graph(store)
    profile = graph.career(name)
    if as_json:
        console.print_json(json.dumps(profile.as_dict()))
        return
    body = []
    if profile.alt_labels:
        body.append(f"[bold]Also known as:[/] {escape(', '.join(profile.alt_labels))}")
    if profile.parent:
        body.append(f"[bold]Specialization of:[/] {escape(profile.parent.label)}")
    if profile.codes:
        body.append(
            "[bold]Codes:[/] " + escape(", ".join(f"{k} {v}" for k, v in profile.codes.items()))
        )
    if profile.definition:
        body.append("\n" + escape(profile.definition))
    console.print(
        Panel(
            "\n".join(body) or "—",
            title=f"[bold]{escape(profile.label)}[/]",
            subtitle=escape(profile.iri),
            expand=True,
        )
    )

    if profile.specializations:
        table = Table(
            title=f"Specializations ({len(profile.specializations)})", title_justify="left"
        )
        table.add_column("#", justify="right")
        table.add_column("Career")
        for i, spec in enumerate(profile.specializations, 1):
            table.add_row(str(i), escape(spec.label))
        console.print(table)

    if profile.skills:
        table = Table(title=f"Skills ({len(profile.skills)})", title_justify="left")
        table.add_column("Skill")
        table.add_column("Type")
        table.add_column("Need")
        for skill in profile.skills:
            table.add_row(
                escape(skill.label), skill.type, "essential" if skill.essential else "optional"
            )
        console.print(table)

    if profile.duties:
        table = Table(
            title=f"Duties ({len(profile.duties)})", title_justify="left", show_lines=False
        )
        table.add_column("#", justify="right")
        table.add_column("Duty", style="bold")
        table.add_column("What it involves")
        table.add_column("Skills")
        for duty in profile.duties:
            table.add_row(
                str(duty.position),
                escape(duty.label),
                escape(duty.definition or ""),
                escape(", ".join(duty.skills)),
            )
        console.print(table)

    if profile.related:
        table = Table(title=f"Related careers ({len(profile.related)})", title_justify="left")
        table.add_column("Career", style="bold")
        table.add_column("Why")
        for rel in profile.related:
            table.add_row(escape(rel.label), escape(rel.reason or "—"))
        console.print(table)
    else:
        console.print("[bold]Related careers (0):[/] —")
    lines = []
    if profile.listed_with:
        lines.append(
            f"[bold]Listed alongside on the source page ({len(profile.listed_with)}):[/] "
            f"{_names(profile.listed_with)}  [dim](not a claim that they are related)[/]"
        )
    lines += [
        f"[bold]Works with:[/] {_names(profile.collaborates_with)}",
        f"[bold]Industries:[/] {_names(profile.industries)}",
        f"[bold]Work settings:[/] {_names(profile.work_settings)}",
    ]
    if profile.matches:
        lines.append(
            "[bold]Matches:[/] " + escape(", ".join(f"{p} {m}" for p, m in profile.matches))
        )
    console.print("\n".join(lines))
    if profile.suggested:
        table = Table(
            title=f"Suggested matches ({len(profile.suggested)}): suggested by careerkg's "
            "predictor, not by the sources or the official crosswalk",
            title_justify="left",
            caption="Confidence: the estimated probability that the official crosswalk would link "
            "the occupation (calibrated on the crosswalk's own occupations).",
            caption_justify="left",
        )
        for column in ("Status", "Taxonomy", "#", "Occupation", "Confidence", "Evidence"):
            table.add_column(column, justify="right" if column in ("#", "Confidence") else "left")
        for m in profile.suggested:
            table.add_row(
                m.status,
                m.taxonomy,
                str(m.rank),
                escape(m.label),
                f"{m.confidence:.2f}",
                escape(m.method.split(": ", 1)[-1]),
            )
        console.print(table)


@handle_errors
def stats_command(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Count careers, skills, duties and links, and triples per named graph."""
    from ..data.curated import load_curated
    from ..data.quality import careers_in_depth
    from ..resources import data_dir

    graph = open_graph(store)
    counts = graph.stats()
    curated = load_curated(data_dir())
    counts["curated careers"] = len(curated.careers)
    counts["curated careers described in depth"] = len(careers_in_depth(curated))
    per_graph = graph.graph_sizes()
    if as_json:
        console.print_json(
            json.dumps({"store": graph.store.location, "counts": counts, "graphs": per_graph})
        )
        return
    table = Table(title=f"careerkg graph at {escape(graph.store.location)}", title_justify="left")
    table.add_column("What")
    table.add_column("Count", justify="right")
    for key, value in counts.items():
        table.add_row(key, f"{value:,}")
    for name, value in per_graph.items():
        table.add_row(f"triples in {escape(name)}", f"{value:,}")
    console.print(table)


@handle_errors
def export_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ] = "turtle",
    graph_name: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="Only this named graph: a source name (curated, onet, esco, ...) or an IRI.",
        ),
    ] = None,
    view: Annotated[
        str,
        typer.Option(
            "--view",
            help="For graphml/gexf: full (typed graph), career-skill or career-career.",
        ),
    ] = "full",
    force: Annotated[bool, typer.Option("--force", help="Replace OUTPUT if it exists.")] = False,
    store: StoreOption = None,
) -> None:
    """Export the graph (all named graphs, or one) to a file; output is deterministic.

    The file is written under a temporary name and renamed into place once complete; an
    existing file is replaced only with --force.
    """
    if fmt not in EXPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    graph = open_graph(store)
    target = None
    if graph_name:
        from rdflib import URIRef

        target = URIRef(graph_name) if ":" in graph_name else graph_iri(graph_name)
    with err_console.status(f"Exporting {fmt}..."):
        try:
            export(graph.store, output, fmt, target, view, overwrite=force)
        except OutputExists:
            raise fail(f"{output}: exists already; use --force to replace it") from None
    console.print(f"Wrote {output} ({output.stat().st_size:,} bytes, {fmt})")

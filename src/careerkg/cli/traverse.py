"""Traversal commands: related, similar, gap, path, transitions, bridges, central-skills."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from .common import StoreOption, console, err_console, fail, handle_errors, open_graph

__all__ = ["register"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
TopOption = Annotated[int, typer.Option("-k", "--top", help="How many results.", min=1)]


def register(app: typer.Typer) -> None:
    """Add the traversal commands to ``app``."""
    app.command("related", epilog='Example: careerkg related "ml engineer" --depth 2')(related_command)
    app.command("similar", epilog='Example: careerkg similar "software engineer" -k 5')(similar_command)
    app.command("gap", epilog='Example: careerkg gap "software engineer" "machine learning engineer"')(
        gap_command
    )
    app.command("path", epilog='Example: careerkg path "software engineer" "machine learning engineer"')(
        path_command
    )
    app.command(
        "transitions", epilog='Example: careerkg transitions --skill python --skill "machine learning"'
    )(transitions_command)
    app.command("bridges", epilog="Example: careerkg bridges -k 10 --json")(bridges_command)
    app.command("central-skills", epilog="Example: careerkg central-skills -k 20")(central_skills_command)


def _graph(store: str | None, *views: str):
    """Open the graph; say so on stderr when the views must be built first."""
    graph = open_graph(store)
    missing = [v for v in views if not graph.views.is_ready(v)]
    if missing:
        with err_console.status(f"Building the {', '.join(missing)} view(s) (once per store change)..."):
            for name in missing:
                graph.views.view(name)
    return graph


def _print_json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False))


def _sources(ref: Any) -> str:
    """A skill's sources for a table: "curated + O*NET" when it joins two vocabularies."""
    return " + ".join(ref.sources) or "-"


def _skills(refs: list, limit: int = 6) -> str:
    names = [r.label for r in refs[:limit]]
    more = len(refs) - limit
    text = ", ".join(names)
    if more > 0:
        text += f" (+{more} more)"
    return escape(text) if text else "-"


@handle_errors
def related_command(
    career: Annotated[str, typer.Argument(help="A career: label, alternative name, code or IRI.")],
    depth: Annotated[int, typer.Option("--depth", help="How many hops to follow.", min=1)] = 1,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Relation kind to follow (repeatable): relatedCareer, collaboratesWith, "
            "specializationOf, hasSpecialization, exactMatch, closeMatch, broadMatch, narrowMatch, "
            "sharedSkills. Default: all but sharedSkills.",
        ),
    ] = None,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Careers linked to a career, each with the relation that links them."""
    graph = _graph(store, "career-skill", "career-career")
    found = graph.related(career, depth=depth, kinds=kinds or None)
    if as_json:
        _print_json([n.as_dict() for n in found])
        return
    table = Table(title=f"Careers related to {escape(career)}", title_justify="left")
    for name in ("Career", "Relation", "Depth", "Via"):
        table.add_column(name)
    cc = graph.views.career_career()
    for n in found:
        table.add_row(escape(n.label), n.relation, str(n.depth), escape(cc.nodes[n.via]["label"]))
    console.print(table)
    if not found:
        err_console.print("no related careers")


@handle_errors
def similar_command(
    career: Annotated[str, typer.Argument(help="A career: label, alternative name, code or IRI.")],
    k: TopOption = 10,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Careers whose skills overlap most with a career's (weighted Jaccard)."""
    graph = _graph(store, "career-skill")
    found = graph.similar(career, k=k)
    if as_json:
        _print_json([m.as_dict() for m in found])
        return
    rows = [
        (escape(m.label), f"{m.score:.3f}", _skills(m.shared), _skills(m.only_target, 4)) for m in found
    ]
    columns = ["Career", ">Score", "Shared skills", "They also need"]
    _ranked_table(f"Careers similar to {escape(career)}", columns, rows)


@handle_errors
def gap_command(
    source: Annotated[str, typer.Argument(help="The career you have.")],
    target: Annotated[str, typer.Argument(help="The career you want.")],
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """Skills to learn to move from one career to another, and skills that transfer."""
    graph = _graph(store, "career-skill")
    gap = graph.skill_gap(source, target)
    if as_json:
        _print_json(gap.as_dict())
        return
    cs = graph.views.career_skill()
    title = f"{escape(cs.nodes[gap.source]['label'])} -> {escape(cs.nodes[gap.target]['label'])}"
    table = Table(title=f"Skill gap {title} (coverage {gap.coverage:.0%})", title_justify="left")
    table.add_column("Skill")
    table.add_column("Need")
    table.add_column("Weight", justify="right")
    table.add_column("Status")
    table.add_column("Source")
    for r in gap.to_learn:
        table.add_row(escape(r.label), r.need, f"{r.weight:.2f}", "[bold]to learn[/]", escape(_sources(r)))
    for r in gap.transfer:
        table.add_row(escape(r.label), r.need, f"{r.weight:.2f}", "transfers", escape(_sources(r)))
    console.print(table)


@handle_errors
def path_command(
    source: Annotated[str, typer.Argument(help="The career you have.")],
    target: Annotated[str, typer.Argument(help="The career you want.")],
    k: Annotated[int, typer.Option("-k", "--paths", help="How many paths.", min=1)] = 3,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """The cheapest transition paths between two careers; cost = skill gap, not hop count."""
    graph = _graph(store, "career-skill", "career-career")
    found = graph.paths(source, target, k=k)
    if as_json:
        _print_json([p.as_dict() for p in found])
        return
    for i, path in enumerate(found, 1):
        table = Table(
            title=f"Path {i}: {escape(' -> '.join(path.labels))} (cost {path.cost:.2f})",
            title_justify="left",
        )
        table.add_column("Step", justify="right")
        table.add_column("To")
        table.add_column("Relation")
        table.add_column("Cost", justify="right")
        table.add_column("Skills carried over")
        table.add_column("Skills to learn")
        for j, step in enumerate(path.steps, 1):
            table.add_row(
                str(j),
                escape(step.target_label),
                step.relation,
                f"{step.cost:.2f}",
                _skills(step.carried),
                _skills(step.to_learn),
            )
        console.print(table)


@handle_errors
def transitions_command(
    career: Annotated[str | None, typer.Argument(help="Start from this career's skills.")] = None,
    skills: Annotated[
        list[str] | None, typer.Option("--skill", "-s", help="A skill you have (repeatable).")
    ] = None,
    k: TopOption = 10,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """The careers most reachable from a skill set or from a career's skills.

    Each --skill is free text ("torch", "people management"), resolved to a canonical skill
    across curated, O*NET and ESCO through their preferred and alternative labels (the same
    resolver as `careerkg skills`); what a phrase became is said on stderr when it is not the
    skill's own name. An unknown phrase exits 1 with the closest labels.
    """
    from ..network.names import normalize

    if career is None and not skills:
        raise fail("give a career or at least one --skill")
    graph = _graph(store, "career-skill")
    cs = graph.views.career_skill()
    nodes: list[str] = []
    for phrase in skills or ():
        resolved = graph.resolve_skill(phrase)
        names = [str(cs.nodes[n].get("label", n)) for n in resolved]
        if [normalize(n) for n in names] != [normalize(phrase)]:
            sources = [" + ".join(cs.nodes[n].get("sources", ())) for n in resolved]
            shown = ", ".join(f"{n} ({s})" if s else n for n, s in zip(names, sources, strict=True))
            err_console.print(f"skill {phrase!r} -> {shown}", markup=False, highlight=False)
        nodes.extend(resolved)
    found = graph.transitions(career, skills=nodes, k=k)
    if as_json:
        _print_json([t.as_dict() for t in found])
        return
    rows = [(escape(t.label), f"{t.coverage:.0%}", _skills(t.have, 4), _skills(t.missing, 4)) for t in found]
    _ranked_table("Most reachable careers", ["Career", ">Coverage", "You have", "Missing"], rows)


def _ranked(title: str, found: list, as_json: bool, what: str) -> None:
    if as_json:
        _print_json([r.as_dict() for r in found])
        return
    rows = [(escape(r.label), f"{r.score:.4g}", str(r.degree)) for r in found]
    _ranked_table(title, [what, ">Score", ">Links"], rows)


def _ranked_table(title: str, columns: list[str], rows: list[tuple[str, ...]]) -> None:
    """Print numbered ``rows`` under ``columns`` (a leading ``>`` right-aligns a column)."""
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    for name in columns:
        table.add_column(name.lstrip(">"), justify="right" if name.startswith(">") else "left")
    for i, row in enumerate(rows, 1):
        table.add_row(str(i), *row)
    console.print(table)


@handle_errors
def bridges_command(k: TopOption = 10, as_json: JsonOption = False, store: StoreOption = None) -> None:
    """Careers that connect the career graph most (betweenness centrality)."""
    graph = _graph(store, "career-skill", "career-career")
    with err_console.status("Computing betweenness centrality..."):
        found = graph.bridges(k=k)
    _ranked("Bridge careers", found, as_json, "Career")


@handle_errors
def central_skills_command(k: TopOption = 10, as_json: JsonOption = False, store: StoreOption = None) -> None:
    """Skills shared by the most careers, weighted by how much each career needs them."""
    graph = _graph(store, "career-skill")
    found = graph.central_skills(k=k)
    if as_json:
        _print_json([r.as_dict() for r in found])
        return
    rows = [(escape(r.label), f"{r.score:.4g}", str(r.degree), escape(_sources(r))) for r in found]
    _ranked_table("Central skills", ["Skill", ">Score", ">Links", "Source"], rows)

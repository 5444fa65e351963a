"""``careerkg ingest``: draft career files from career pages.

Thin on purpose: reading pages is :mod:`careerkg.pages.parse`, drafting, merging and writing
files is :mod:`careerkg.pages.ingest`; this module parses options and prints.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import InputError, Problem
from ..pages import (
    Draft,
    FilePlan,
    PageRecord,
    combine_drafts,
    drafts_from_record,
    load_catalogues,
    plan_files,
    read_page,
    render_draft,
    slugify,
    write_plans,
)
from .common import fail, handle_errors

__all__ = ["register"]

_HELP = (
    'Draft career files from career pages ("What does a X do?" pages).\n\n'
    "Reads plain-text or saved HTML pages and recognizes the career title, the summary, the "
    "duties, the types (specializations), the workplace (work settings and industries of the "
    'catalogues), the "See Also" titles and the other names.\n\n'
    "Without -o the drafts are printed as YAML. With -o DIR they are written to "
    "DIR/careers/<id>.yaml, one per career, per type and per new See Also title. A file that "
    "exists is never overwritten: --merge adds only what is new to it, and values that differ "
    "from the page are kept and reported as conflicts. A summary table goes to stderr.\n\n"
    "Exit codes: 0 done (warnings are not errors); 2 bad input: a page that cannot be read or "
    "has no career title, or a file under DIR that cannot be merged."
)

_EPILOG = (
    "[bold]Examples[/bold]\n\n"
    "careerkg ingest page.txt                  [dim]# print the drafts[/dim]\n\n"
    "careerkg ingest page.txt saved.html -o data --dry-run    [dim]# what would be written[/dim]"
    "\n\n"
    "careerkg ingest page.txt -o data --merge  [dim]# write; add what is new to existing "
    "files[/dim]"
)


def _page_json(record: PageRecord, warnings: list[Problem]) -> dict[str, Any]:
    data = asdict(record)
    for key in ("intros", "found", "skipped"):
        data.pop(key, None)
    data["id"] = slugify(record.title)
    data["definition"] = record.definition
    # where each value was found, what was left out as page chrome, and what was not placed
    data["found"] = [{"field": f, "line": line, "text": text} for f, line, text in record.found]
    data["not_placed"] = [{"line": s.line, "text": s.text, "why": s.why}
                          for s in record.not_placed]
    data["boilerplate"] = [{"line": s.line, "text": s.text, "why": s.why}
                           for s in record.skipped if s not in record.not_placed]
    data["warnings"] = [str(w) for w in warnings]
    return data


def _summary(console: Console, pages: list[tuple[PageRecord, list[Problem]]]) -> None:
    table = Table(title="careerkg ingest", title_justify="left")
    table.add_column("file", overflow="fold", ratio=3)
    table.add_column("career", overflow="fold", ratio=2)
    for name in ("duties", "types", "see also", "alt names", "warnings"):
        table.add_column(name, justify="right", no_wrap=True)
    for record, warnings in pages:
        table.add_row(record.file, record.title, str(len(record.duties)), str(len(record.types)),
                      str(len(record.see_also)), str(len(record.alt_labels)), str(len(warnings)))
    console.print(table)


_VERBS = {
    "create": ("created", "would create"),
    "merge": ("merged", "would merge"),
    "skip": ("not changed (pass --merge to add)", "not changed (pass --merge to add)"),
    "unchanged": ("unchanged", "unchanged"),
    "exists": ("exists", "exists"),
    "near-duplicate": ("not created (near-duplicate)", "would not create (near-duplicate)"),
}


def _report_files(console: Console, plans: list[FilePlan], dry_run: bool) -> None:
    see_also = Counter(p.action for p in plans if p.draft.kind == "see-also")
    for plan in plans:
        if plan.draft.kind == "see-also" and not plan.conflicts:
            continue
        verb = _VERBS[plan.action][dry_run]
        added = f": {', '.join(plan.added)}" if plan.added else ""
        console.print(f"{verb} {plan.path}{added}", markup=False, soft_wrap=True)
    if see_also:
        made = see_also.get("create", 0)
        verb = "would create" if dry_run else "created"
        console.print(f"{verb} {made} label-only file(s) for See Also titles; "
                      f"{see_also.get('exists', 0)} exist already", soft_wrap=True)
    for plan in plans:
        for conflict in plan.conflicts:
            console.print(f"conflict: {conflict}", markup=False, soft_wrap=True, style="yellow")


@handle_errors
def ingest(
    pages: Annotated[
        list[Path],
        typer.Argument(metavar="PAGE...", show_default=False,
                       help="Career pages: plain text, or web pages saved as .html."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="DIR", show_default=False,
                     help="Write DIR/careers/<id>.yaml (one per career, type and new See Also "
                          "title) instead of printing the drafts."),
    ] = None,
    merge: Annotated[
        bool,
        typer.Option("--merge", help="Add what is new to career files that exist under DIR "
                                     "(nothing there is changed or removed)."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With -o: report what would be written; write "
                                             "nothing."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON report on stdout instead of YAML."),
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option("--data", metavar="DIR", show_default=False,
                     help="Data folder whose work_settings.yaml and industries.yaml are matched "
                          "(default: the curated data of careerkg)."),
    ] = None,
) -> None:
    console = Console(stderr=True, emoji=False, highlight=False)
    settings, industries = load_catalogues(data)

    parsed: list[tuple[PageRecord, list[Problem]]] = []
    errors: list[typer.Exit] = []
    for page in pages:  # read every page first: report all the bad ones, then stop
        try:
            parsed.append(read_page(page, work_settings=settings, industries=industries))
        except InputError as e:
            errors.append(fail(escape(str(e))))
    if errors:
        raise errors[-1]

    drafts: list[Draft] = [d for record, _ in parsed for d in drafts_from_record(record)]
    drafts, merge_warnings = combine_drafts(drafts)
    plans: list[FilePlan] = []
    if output is not None:
        plans = plan_files(drafts, output, merge=merge)
        if not dry_run:
            try:
                write_plans(plans)
            except OSError as e:
                where = escape(str(e.filename or output))
                raise fail(f"{where}: cannot write: {e.strerror}") from e

    printed = [d for d in drafts if d.kind != "see-also"]
    if as_json:
        report = {
            "pages": [_page_json(record, warnings) for record, warnings in parsed],
            "drafts": [{"id": d.id, "kind": d.kind, "path": d.relpath, "sources": d.sources,
                        "data": d.data} for d in drafts],
            "files": [{"path": str(p.path), "kind": p.draft.kind, "action": p.action,
                       "added": p.added, "conflicts": [str(c) for c in p.conflicts],
                       "near_duplicate_of": str(p.twin) if p.twin else None}
                      for p in plans],
            "warnings": [str(w) for w in merge_warnings],
        }
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    elif output is None:
        typer.echo("---\n".join(render_draft(d, path_comment=True) for d in printed), nl=False)

    _summary(console, parsed)
    for _, warnings in parsed:
        for warning in warnings:
            console.print(f"warning: {warning}", markup=False, soft_wrap=True, style="yellow")
    for warning in merge_warnings:
        console.print(f"warning: {warning}", markup=False, soft_wrap=True, style="yellow")
    if output is not None:
        _report_files(console, plans, dry_run)


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` command to the ``careerkg`` app."""
    app.command("ingest", help=_HELP, epilog=_EPILOG, no_args_is_help=True)(ingest)

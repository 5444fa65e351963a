"""``careerkg query``: run SPARQL from the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .common import StoreOption, console, err_console, fail, handle_errors, open_graph

__all__ = ["register"]

_OUTPUTS = ("table", "csv", "tsv", "json", "xml", "turtle", "jsonld", "ntriples", "rdfxml")


def register(app: typer.Typer) -> None:
    """Add ``query`` to ``app``."""
    app.command(
        "query",
        epilog="Example: careerkg query examples/queries/01-skills-of-a-career.rq --format csv\n\n"
        "Example: careerkg query 'SELECT ?l WHERE { ?c skos:prefLabel ?l }' "
        "--param c=career:data-scientist",
    )(query_command)


def _read_query(query: str) -> tuple[str, str | None]:
    """The query text and the file it came from (None when given inline or on stdin)."""
    if query == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(query)
    if path.suffix.lower() in (".rq", ".sparql", ".txt") or (
        "\n" not in query and len(query) < 4096 and path.is_file()
    ):
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as e:
            raise fail(f"{path}: cannot read the query file: {e.strerror}") from None
    return query, None


@handle_errors
def query_command(
    query: Annotated[str, typer.Argument(help="A SPARQL query, a .rq file holding one, or '-' for stdin.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (default; turtle for CONSTRUCT/DESCRIBE), csv, tsv, json, xml "
            "(SPARQL results) or turtle, jsonld, ntriples, rdfxml (graphs).",
        ),
    ] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="Bind a variable: name=value where value is <iri>, prefix:local, "
            '"text"@en, a number or plain text. Repeatable.',
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", help="Stop the query after this many seconds.", min=0.001),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Print at most this many rows.", min=0)] = None,
    allow_service: Annotated[
        bool, typer.Option("--allow-service", help="Allow SERVICE (federated queries).")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the result to this file.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over the whole graph, with the careerkg prefixes pre-bound.

    Prefixes ckg:, career:, skill:, industry:, setting:, skos:, schema:, esco:, rdf:, rdfs:,
    owl:, xsd:, dcterms: and prov: need no PREFIX lines. Syntax errors name the line and column
    (exit 2); a query stopped by --timeout exits with code 3.
    """
    from ..errors import QueryError
    from ..sparql import FORMATS, Timeout, parse_param, run_query, serialize

    if fmt not in _OUTPUTS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(_OUTPUTS)}")
    text, source = _read_query(query)
    bindings = dict(parse_param(p) for p in (param or []))
    graph = open_graph(store)
    try:
        result = run_query(
            graph.store, text, bindings, timeout=timeout, limit=limit, allow_service=allow_service
        )
    except Timeout as e:
        err_console.print(f"[bold red]error:[/] {escape(str(e))}")
        sys.stdout.flush()
        sys.stderr.flush()
        # Oxigraph cannot abandon a running query: leaving the process is what stops it.
        os._exit(3)
    except QueryError as e:
        line = getattr(e, "line", 0)
        if source and line:
            where = f"{source}:{line}:{getattr(e, 'column', 0)}"
            raise fail(f"{where}: SPARQL syntax error: {getattr(e, 'detail', e)}") from None
        raise
    if fmt == "table" and result.returns_graph:
        fmt = "turtle"
    if fmt != "table":
        if fmt not in FORMATS:
            raise fail(f"unknown format {fmt!r}")
        data = serialize(result, fmt)
        if output:
            output.write_bytes(data)
            err_console.print(f"Wrote {output} ({len(data):,} bytes, {fmt})")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return
    if output:
        output.write_bytes(serialize(result, "csv"))
        err_console.print(f"Wrote {output} (csv)")
        return
    if result.form == "ASK":
        console.print("true" if result.boolean else "false")
        return
    from ..sparql import iter_cells

    table = Table(show_lines=False)
    for name in result.variables:
        table.add_column(escape(name))
    for cells in iter_cells(result.rows):
        table.add_row(*(escape(c) for c in cells))
    console.print(table)
    note = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''} in {result.seconds * 1000:.1f} ms"
    if result.truncated:
        note += f" (stopped at --limit {limit})"
    err_console.print(note)

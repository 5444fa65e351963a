"""``careerkg serve``: the SPARQL endpoint, query page and explorer over HTTP."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from .common import StoreOption, err_console, fail, handle_errors, open_graph

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command(
        "serve",
        epilog="Example: careerkg serve --port 8000   (then open http://127.0.0.1:8000/)\n\n"
        "Example: curl -H 'Accept: text/csv' --data-urlencode "
        "'query=SELECT * WHERE { ?c a ckg:Career } LIMIT 3' http://127.0.0.1:8000/sparql",
    )(serve_command)


@handle_errors
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)] = 8000,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds a query may run before it is stopped.", min=0.01)
    ] = 30.0,
    row_limit: Annotated[
        int, typer.Option("--row-limit", help="Most rows (or triples) one answer may hold.", min=1)
    ] = 10_000,
    allow_update: Annotated[
        bool,
        typer.Option("--allow-update", help="Accept SPARQL Update from clients holding the token."),
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="CAREERKG_UPDATE_TOKEN",
            help="The update token (default: a random one, printed at start).",
            show_default=False,
        ),
    ] = None,
    allow_service: Annotated[
        bool, typer.Option("--allow-service", help="Allow SERVICE in queries and LOAD in updates.")
    ] = False,
    cors: Annotated[
        list[str] | None,
        typer.Option(
            "--cors", help="Allow cross-origin requests from this origin ('*' for any). Repeatable."
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Query worker processes.", min=1, max=64)] = 2,
    in_memory: Annotated[
        bool,
        typer.Option(
            "--in-memory/--on-disk",
            help="Answer queries from an in-memory copy of the store (2-4x faster lookups; "
            "the copy costs RAM and a few seconds to load) or straight from disk. "
            "With --allow-update the server always reads from disk.",
        ),
    ] = True,
    store: StoreOption = None,
) -> None:
    """Serve the graph: a SPARQL 1.1 Protocol endpoint at /sparql, a query page at /.

    Read-only unless --allow-update (clients then send 'Authorization: Bearer TOKEN').
    SERVICE and LOAD are refused unless --allow-service. Binds 127.0.0.1 unless --host.
    Queries run in worker processes holding an in-memory copy of the store (--on-disk: the
    store itself), so that a query past --timeout is stopped by killing its worker.
    """
    from ..web.server import ServerConfig, new_token, serve

    if token and not allow_update:
        raise fail("--token only makes sense with --allow-update")
    if allow_update and not token:
        token = new_token()
        err_console.print(f"Update token: {token}", markup=False, highlight=False)
    config = ServerConfig(
        timeout=timeout,
        row_limit=row_limit,
        update_token=token if allow_update else None,
        allow_service=allow_service,
        cors_origins=list(cors or []),
        workers=workers,
        in_memory=in_memory,
    )
    graph = open_graph(store, writes=True)
    started = time.monotonic()
    if config.answers_from_memory and getattr(graph.store, "path", None) is not None:
        err_console.print(
            "Loading the store into memory for the query workers "
            "(the first time for a store state also writes a snapshot; --on-disk skips this)...",
            markup=False,
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"warning: listening on {host}: other machines can reach this endpoint")

    def ready(endpoint) -> None:
        pool = endpoint.pool
        held = f", {pool.quads:,} quads in memory" if pool is not None and pool.in_memory else ""
        err_console.print(
            f"careerkg SPARQL endpoint on http://{host}:{port}/sparql "
            f"(query page http://{host}:{port}/), ready in {time.monotonic() - started:.1f} s{held}; "
            "Ctrl+C stops it",
            markup=False,
        )

    serve(graph, config, host=host, port=port, on_ready=ready)

"""``careerkg serve``: the SPARQL endpoint, query page and explorer over HTTP."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from .common import StoreOption, err_console, fail, handle_errors, open_graph

__all__ = ["register"]

TOKEN_VARIABLE = "CAREERKG_UPDATE_TOKEN"
_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def parse_size(text: str, option: str) -> int:
    """Bytes from ``512K``, ``1M``, ``2G`` or a plain number (powers of 1024).

    >>> parse_size("2G", "--worker-memory")
    2147483648
    """
    match = re.fullmatch(r"\s*(\d+)\s*([KMG]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if not match:
        raise fail(f"{option}: expected a size such as 512K, 1M or 2G, not {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2).upper()]


def read_token(token_file: Path | None) -> str | None:
    """The update token from ``token_file`` (first line) or ``$CAREERKG_UPDATE_TOKEN``."""
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise fail(f"--token-file {token_file}: cannot read it: {e}") from None
        return lines[0].strip() if lines else ""
    return os.environ.get(TOKEN_VARIABLE) or None


#: Stores whose live data is larger than this are copied into memory in the background.
BACKGROUND_LOAD_BYTES = 64 * 2**20


def _store_bytes(store) -> int:
    """The size of an on-disk store's live generation (0 when it cannot be told)."""
    path = getattr(store, "path", None)
    if path is None:
        return 0
    try:
        live = Path(path) / (Path(path) / "CURRENT").read_text(encoding="utf-8").strip()
        return sum(f.stat().st_size for f in live.iterdir() if f.is_file())
    except (OSError, UnicodeDecodeError):
        return 0


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command(
        "serve",
        epilog="Example: careerkg serve --port 8000   (then open http://127.0.0.1:8000/)\n\n"
        "Example: curl -H 'Accept: text/csv' --data-urlencode "
        "'query=SELECT * WHERE { ?c a ckg:Career } LIMIT 3' http://127.0.0.1:8000/sparql\n\n"
        "Example: careerkg serve --allow-update --token-file ~/.careerkg-token   "
        "(or the token in $CAREERKG_UPDATE_TOKEN; 16+ characters)",
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
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            help="Read the token (16+ characters) from this file's first line; else from "
            f"${TOKEN_VARIABLE}; else a random one is printed at start. Never on the command line.",
            show_default=False,
        ),
    ] = None,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Allow SERVICE in queries and LOAD in updates, for clients holding the token, "
            "to the --service-host hosts only.",
        ),
    ] = False,
    service_host: Annotated[
        list[str] | None,
        typer.Option(
            "--service-host",
            help="A host (or host:port) that SERVICE and LOAD may reach. Repeatable.",
            show_default=False,
        ),
    ] = None,
    max_body: Annotated[
        str,
        typer.Option("--max-body", help="Largest request body or GET query string (413 above it)."),
    ] = "1M",
    worker_memory: Annotated[
        str,
        typer.Option(
            "--worker-memory",
            help="Memory a query worker may add while answering (503 above it; 0: no cap).",
        ),
    ] = "2G",
    per_client: Annotated[
        int,
        typer.Option("--per-client", help="Heavy queries one client address may run at once.", min=1),
    ] = 1,
    cors: Annotated[
        list[str] | None,
        typer.Option(
            "--cors", help="Allow cross-origin requests from this origin ('*' for any). Repeatable."
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Query worker processes for heavy queries (one more serves short ones).",
            min=1,
            max=64,
        ),
    ] = 2,
    in_memory: Annotated[
        bool,
        typer.Option(
            "--in-memory/--on-disk",
            help="Answer queries from an in-memory copy of the store (2-4x faster lookups; "
            "the copy costs RAM and a few seconds to load) or straight from disk. "
            "With --allow-update the server always reads from disk.",
        ),
    ] = True,
    result_cache: Annotated[
        str,
        typer.Option(
            "--result-cache",
            help="Memory for answers kept per store state, so a repeated query is answered "
            "without a worker (in memory, read-only servers only; 0: off).",
        ),
    ] = "64M",
    store: StoreOption = None,
) -> None:
    """Serve the graph: a SPARQL 1.1 Protocol endpoint at /sparql, a query page at /.

    Read-only unless --allow-update (clients then send 'Authorization: Bearer TOKEN').
    SERVICE and LOAD are refused unless --allow-service, and then need the token too and
    go only to --service-host hosts. The token comes from --token-file or
    $CAREERKG_UPDATE_TOKEN (never the command line, where the process list shows it).
    Binds 127.0.0.1 unless --host.
    Queries run in worker processes holding an in-memory copy of the store (--on-disk: the
    store itself), so that a query past --timeout or --worker-memory is stopped by killing
    its worker; one worker is kept for short queries.
    """
    from ..web.server import MIN_TOKEN_LENGTH, ServerConfig, new_token, serve

    needs_token = allow_update or allow_service
    token = read_token(token_file)
    if token_file is not None and not needs_token:
        raise fail("--token-file only makes sense with --allow-update or --allow-service")
    if allow_service and not service_host:
        raise fail("--allow-service needs at least one --service-host (the hosts SERVICE and LOAD may reach)")
    if not needs_token:
        token = None
    elif token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise fail(f"the update token must be at least {MIN_TOKEN_LENGTH} characters, not {len(token)}")
    elif token is None:
        token = new_token()
        err_console.print(f"Update token: {token}", markup=False, highlight=False)
    config = ServerConfig(
        timeout=timeout,
        row_limit=row_limit,
        token=token,
        allow_update=allow_update,
        allow_service=allow_service,
        service_hosts=list(service_host or []),
        cors_origins=list(cors or []),
        workers=workers,
        per_client=per_client,
        worker_memory=parse_size(worker_memory, "--worker-memory") or None,
        max_body=parse_size(max_body, "--max-body"),
        in_memory=in_memory,
        result_cache=parse_size(result_cache, "--result-cache"),
    )
    started = time.monotonic()
    err_console.print("Opening the store...", markup=False)
    graph = open_graph(store, writes=True)
    # A big store's copy takes a while to load: answer from disk meanwhile. A small one loads
    # in about a second, and then answers come from memory from the first query on.
    config.load_in_background = _store_bytes(graph.store) > BACKGROUND_LOAD_BYTES
    if config.answers_from_memory and getattr(graph.store, "path", None) is not None:
        if config.load_in_background:
            doing = "query workers answer from the store on disk while an in-memory copy loads"
        else:
            doing = "loading the store into memory for the query workers"
        err_console.print(
            f"Store open ({time.monotonic() - started:.1f} s); {doing} (the first time for a store "
            "state also writes a snapshot; --on-disk skips the copy)...",
            markup=False,
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"warning: listening on {host}: other machines can reach this endpoint")

    def ready(endpoint) -> None:
        pool = endpoint.pool
        if pool is not None and pool.loading:
            held = ", answering from disk until the in-memory copy is in"
        elif pool is not None and pool.in_memory:
            held = f", {pool.quads:,} quads in memory"
        else:
            held = ""
        err_console.print(
            f"careerkg SPARQL endpoint on http://{host}:{port}/sparql "
            f"(query page http://{host}:{port}/), ready in {time.monotonic() - started:.1f} s{held}; "
            "Ctrl+C stops it",
            markup=False,
        )
        if pool is not None and pool.loading:

            def report() -> None:
                pool.wait_loaded()
                if pool.in_memory:
                    err_console.print(
                        f"In-memory copy loaded ({pool.quads:,} quads) after "
                        f"{time.monotonic() - started:.1f} s: queries now answer from memory",
                        markup=False,
                    )

            threading.Thread(target=report, name="careerkg-serve-progress", daemon=True).start()

    serve(graph, config, host=host, port=port, on_ready=ready)

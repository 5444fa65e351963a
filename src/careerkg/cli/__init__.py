"""The ``careerkg`` command line.

The CLI is thin: each command parses its arguments, calls the library and prints. Commands live
in one module per topic inside this package; each module exposes ``register(app)``, and
:data:`COMMAND_MODULES` lists them in the order they appear in ``careerkg --help``.
"""

from __future__ import annotations

import importlib

import typer

__all__ = ["COMMAND_MODULES", "app", "main"]

COMMAND_MODULES: tuple[str, ...] = (
    "core",
    "ingest",
    "imports",
    "traverse",
    "query",
    "serve",
    "viz",
    "evaluate",
)

app = typer.Typer(
    name="careerkg",
    help="A knowledge graph of careers: build it, query it, walk it, see it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    """Entry point of the ``careerkg`` console script: runs the command, then ends the process
    without freeing its objects one by one (:func:`careerkg.cli.common.exit_process`)."""
    from .common import exit_process, keep_closed_graphs

    keep_closed_graphs()
    try:
        app()
    except SystemExit as e:
        exit_process(e.code)
    exit_process(0)

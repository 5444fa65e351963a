"""The library speaks Python, the CLI speaks flags: the same error, named both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerkg.cli import app
from careerkg.cli.common import exit_code, message
from careerkg.errors import CareerKGError, InputError, NoPath, NotFound, QueryError
from careerkg.export import export
from careerkg.store import open_store

runner = CliRunner()


def test_the_library_names_the_parameter_and_the_cli_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        export(open_store("memory"), tmp_path / "x.ttl", "turtle", view="career-skill")
    assert str(raised.value) == "view career-skill exports to graphml or gexf, not 'turtle'"
    assert message(raised.value) == "--view career-skill exports to graphml or gexf, not 'turtle'"
    assert "--" not in str(raised.value)


def test_exit_codes_are_chosen_by_exception_type() -> None:
    assert exit_code(NotFound("career", "x")) == 1
    assert exit_code(NoPath("a", "b")) == 1
    assert exit_code(InputError("bad")) == 2
    assert exit_code(QueryError("bad")) == 2
    assert not hasattr(CareerKGError("x"), "exit_code")


def test_cli_shows_the_option_and_exits_2(store_copy: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["export", "-f", "turtle", "--view", "career-skill", "-o", str(tmp_path / "v.ttl"),
         "--store", str(store_copy)],
    )
    assert result.exit_code == 2
    assert "--view career-skill exports to graphml or gexf, not 'turtle'" in result.output

"""The ``careerkg`` console script ends its process without freeing its objects
(:func:`careerkg.cli.common.exit_process`): what it prints, its exit codes and the store's lock
must be those of an ordinary exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "careerkg"
#: The same command line with an ordinary interpreter exit (the app called without main()).
ORDINARY = [sys.executable, "-c", "import sys; from careerkg.cli import app; sys.argv[0] = 'careerkg'; app()"]


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1"}
    return subprocess.run(argv, capture_output=True, text=True, timeout=180, env=env)


@pytest.mark.parametrize(
    "args",
    [
        ["path", "software engineer", "machine learning engineer"],
        ["show", "no such career at all"],  # exit 1, a message on stderr
        ["path", "software engineer", "machine learning engineer", "--paths", "0"],  # exit 2
    ],
    ids=["answer", "not-found", "bad-input"],
)
def test_console_script_prints_and_exits_as_an_ordinary_exit(store_copy: Path, args: list[str]) -> None:
    argv = [*args, "--store", str(store_copy)]
    fast, ordinary = _run([str(SCRIPT), *argv]), _run([*ORDINARY, *argv])
    seen = (fast.returncode, fast.stdout, fast.stderr)
    assert seen == (ordinary.returncode, ordinary.stdout, ordinary.stderr)
    assert fast.stdout or fast.stderr


def test_the_store_is_released_for_the_next_command(store_copy: Path) -> None:
    shown = _run([str(SCRIPT), "show", "data scientist", "--store", str(store_copy)])
    assert shown.returncode == 0, shown.stderr
    from careerkg.store import OxigraphStore

    OxigraphStore(store_copy).close()  # read-write: fails if the lock were still held

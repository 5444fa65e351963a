"""The one way careerkg replaces a file: write beside it under a name of its own, then rename.

A reader sees the old file or the new one, never half of one; a writer that fails or is
interrupted leaves the old file in place and removes its temporary file (one killed outright
leaves a ``.NAME.*.part`` file beside the target, never a truncated target).

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
>>> with replacing(target) as tmp:
...     _ = tmp.write_text("hello", encoding="utf-8")
>>> target.read_text(encoding="utf-8"), sorted(p.name for p in target.parent.iterdir())
('hello', ['note.txt'])
>>> oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_current_umask())
True
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replace_text", "replacing"]


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a fresh temporary path beside ``path``; rename it over ``path`` when the block
    ends without an exception. Every writer gets its own temporary name, so two threads or
    processes writing the same target never share one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); the result gets the mode the file had, or
        # the one a new file would get under the user's umask.
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


_UMASK_LOCK = threading.Lock()


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_current_umask()


def replace_text(path: Path, text: str) -> None:
    """Replace the small text file ``path`` by ``text`` at once (UTF-8)."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _current_umask() -> int:
    # os.umask can only be read by setting it.
    with _UMASK_LOCK:
        umask = os.umask(0o022)
        os.umask(umask)
    return umask

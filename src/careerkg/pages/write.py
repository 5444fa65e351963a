"""Writing drafts into a data folder: a plan per file first, then atomic writes.

:func:`plan_files` decides, for every draft, whether its file is created, merged, left
unchanged or skipped, and reads every existing file before anything is written;
:func:`write_plans` then writes each file under a temporary name and renames it into place.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import DataError, InputError, Problem
from .drafts import Draft, render_draft
from .merge import merge_text
from .similar import near_duplicate

__all__ = ["FilePlan", "plan_files", "write_plans"]

logger = logging.getLogger(__name__)


@dataclass
class FilePlan:
    """What writing one draft does to its file.

    ``action`` is ``create`` (new file), ``merge`` (new facts added to an existing file),
    ``unchanged`` (the file already has everything), ``skip`` (an existing file that would gain
    something, written only with ``merge=True``), ``exists`` (a "See Also" title whose file
    exists: left alone) or ``near-duplicate`` (a type or a "See Also" title that another file
    names in other words, ``twin``: not created).
    """

    path: Path
    draft: Draft
    action: str
    text: str | None = None
    added: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    twin: Path | None = None


def _names_in(folder: Path) -> dict[Path, list[str]]:
    """The label and alternative names of every career file of ``folder``."""
    names: dict[Path, list[str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict):
            found = [data.get("label"), *(data.get("alt_labels") or [])]
            names[path] = [str(n) for n in found if isinstance(n, str) and n]
    return names


def _twin(draft: Draft, names: dict[Path, list[str]]) -> tuple[Path, str] | None:
    label = str(draft.data.get("label", ""))
    for path, known in names.items():
        for name in known:
            if near_duplicate(label, name, strict=True):
                return path, name
    return None


def plan_files(drafts: Iterable[Draft], out_dir: Path, *, merge: bool = False) -> list[FilePlan]:
    """Decide, for every draft, what to write under ``out_dir/careers``; writes nothing.

    Every existing file that cannot be read or merged is reported at once in a
    :class:`~careerkg.errors.DataError`.
    """
    plans: list[FilePlan] = []
    problems: list[Problem] = []
    names: dict[Path, list[str]] | None = None
    for draft in drafts:
        path = out_dir / draft.relpath
        if not path.exists():
            if draft.kind in ("specialization", "see-also"):
                if names is None:
                    names = _names_in(out_dir / "careers")
                twin = _twin(draft, names)
                if twin is not None:
                    what = "type" if draft.kind == "specialization" else "see-also title"
                    note = Problem(str(path), 0, f"{what} {draft.data['label']!r} is a "
                                   f"near-duplicate of {twin[0]} ({twin[1]!r}); not created")
                    plans.append(FilePlan(path, draft, "near-duplicate", None, [], [note],
                                          twin[0]))
                    continue
            plans.append(FilePlan(path, draft, "create", render_draft(draft)))
            continue
        if draft.kind == "see-also":
            plans.append(FilePlan(path, draft, "exists"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
            result = merge_text(text, draft.data, str(path))
        except InputError as e:
            problems.append(Problem(e.file or str(path), e.line, e.reason))
            continue
        except (OSError, UnicodeDecodeError) as e:
            problems.append(Problem(str(path), 0, f"cannot read: {e}"))
            continue
        if not result.added:
            plans.append(FilePlan(path, draft, "unchanged", None, [], result.conflicts))
        else:
            action = "merge" if merge else "skip"
            plans.append(FilePlan(path, draft, action, result.text, result.added,
                                  result.conflicts))
    if problems:
        raise DataError(problems)
    return plans


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_plans(plans: Iterable[FilePlan]) -> list[Path]:
    """Write the files whose action is ``create`` or ``merge``; returns their paths."""
    written = []
    for plan in plans:
        if plan.action in ("create", "merge") and plan.text is not None:
            _write_atomic(plan.path, plan.text)
            logger.info("%s %s", "created" if plan.action == "create" else "merged", plan.path)
            written.append(plan.path)
    return written

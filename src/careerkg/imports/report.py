"""What an import read and wrote (:class:`ImportReport`, one :class:`FileReport` per file),
and the progress display that shows it reading."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

__all__ = ["FileReport", "ImportReport", "make_progress"]

log = logging.getLogger(__name__)


@dataclass
class FileReport:
    """What was read from one file."""

    name: str
    rows: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    first_bad: tuple[int, str] | None = None
    sha256: str = ""

    def reject(self, line: int, reason: str) -> None:
        """Count the row at ``line`` as rejected for ``reason``."""
        self.rejected += 1
        self.reasons[reason] += 1
        if self.first_bad is None:
            self.first_bad = (line, reason)
        log.debug("%s:%d: rejected: %s", self.name, line, reason)


@dataclass
class ImportReport:
    """What an import read and wrote; :meth:`as_dict` lists it for a summary or JSON."""

    kind: str
    source: str
    version: str
    graph: str = ""
    files: list[FileReport] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def warn(self, message: str) -> None:
        """Keep ``message`` among the warnings (shown with the summary once the import is
        done) and log it at INFO: an import that fails then prints its error alone, not after
        warnings about files it read before failing."""
        self.warnings.append(message)
        log.info("%s", message)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "source": self.source,
            "version": self.version,
            "graph": self.graph,
            "triples": self.triples,
            "seconds": round(self.seconds, 2),
            "rows_read": self.rows_read,
            "rows_rejected": self.rows_rejected,
            "files": [
                {
                    "file": f.name,
                    "rows": f.rows,
                    "rejected": f.rejected,
                    "reasons": dict(f.reasons),
                    "sha256": f.sha256,
                }
                for f in self.files
            ],
            "counts": self.counts,
            "warnings": self.warnings,
        }


def make_progress(enabled: bool, columns: Sequence[ProgressColumn] = ()) -> Progress:
    """A rich progress display on stderr (disabled: does nothing): the task's name, a bar, the
    percentage done and the time left, unless ``columns`` says otherwise."""
    default = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
    )
    return Progress(
        *(columns or default),
        console=Console(stderr=True),
        disable=not enabled,
        transient=True,
    )

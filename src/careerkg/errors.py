"""Exceptions raised by careerkg.

Every error the library raises derives from :class:`CareerKGError`, so callers can catch one
class. Errors about input name where the problem is (``file:line``) or which value (parameter)
was wrong. The library knows nothing of exit codes: the CLI maps exception types to them
(``careerkg.cli.common.EXIT_CODES``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CareerKGError",
    "DataError",
    "InputError",
    "NoPath",
    "NotFound",
    "OutputExists",
    "Problem",
    "QueryError",
    "StoreError",
]


class CareerKGError(Exception):
    """Base class of every careerkg error."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file, located by file and line.

    >>> str(Problem("data/careers/x.yaml", 12, "unknown skill 'pytorh'"))
    "data/careers/x.yaml:12: unknown skill 'pytorh'"
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}: {self.message}"


class InputError(CareerKGError):
    """A single input (file, argument, value) is malformed.

    ``file`` and ``line`` locate a problem in a file; ``parameter`` names the argument of the
    function that was given a bad value (the CLI shows it as its option, ``--depth``).

    >>> str(InputError("bad header", file="a.csv", line=1))
    'a.csv:1: bad header'
    >>> str(InputError("must be 0 or more, not -1", parameter="depth"))
    'depth must be 0 or more, not -1'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int = 0,
        parameter: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.parameter = parameter
        self.reason = message
        if self.file:
            text = str(Problem(self.file, line, message))
        elif parameter:
            text = f"{parameter} {message}"
        else:
            text = message
        super().__init__(text)


class OutputExists(InputError):
    """A file to be written exists already and replacing it was not asked for.

    >>> str(OutputExists("graph.ttl"))
    'graph.ttl: exists already; pass overwrite=True to replace it'
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__("exists already; pass overwrite=True to replace it", file=path)


class DataError(CareerKGError):
    """The curated data set has problems; all of them are listed, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems))
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


class NotFound(CareerKGError, LookupError):
    """A name (career, skill, graph) matched nothing; ``suggestions`` holds close names."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        message = f"no {kind} named {name!r}"
        if self.suggestions:
            quoted = ", ".join(repr(s) for s in self.suggestions)
            message += f" (did you mean {quoted}?)"
        super().__init__(message)


class StoreError(CareerKGError):
    """The store cannot be opened, read or written."""


class StoreBusy(StoreError):
    """Another process holds the on-disk store for writing (a running ``careerkg serve``)."""


class QueryError(CareerKGError):
    """A SPARQL query is malformed, refused or ran too long."""


class NoPath(CareerKGError):
    """No transition path links two careers.

    >>> str(NoPath("Nurse", "Pilot"))
    "no transition path from 'Nurse' to 'Pilot'"
    """

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target
        super().__init__(f"no transition path from {source!r} to {target!r}")

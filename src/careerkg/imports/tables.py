"""Delimited tables: rows streamed with their line numbers, the header mapped to columns, bad
rows rejected up to a tolerance (:class:`Table`); the tables of one source opened alike
(:class:`TableReader`); and the check that an import's core file gave records."""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from rich.progress import Progress

from ..errors import InputError
from .files import MAX_LINE_CHARS, SourceFiles, bounded_lines
from .report import FileReport, ImportReport

__all__ = [
    "MAX_REJECTED_FRACTION",
    "MAX_REJECTED_ROWS",
    "READ_ERRORS",
    "Table",
    "TableReader",
    "require_records",
]

#: A file may hold up to this many bad rows without failing the import ...
MAX_REJECTED_ROWS = 10
#: ... or this fraction of its data rows, whichever is larger. Beyond that, the import fails.
MAX_REJECTED_FRACTION = 0.01

csv.field_size_limit(MAX_LINE_CHARS)

S = TypeVar("S")

READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


def require_records(tab: Table, count: int, what: str) -> None:
    """Fail the import when its core file gave no records, so that an empty graph never
    replaces a source's graph (a header-only or wrongly split file reads as no rows)."""
    if count == 0:
        report = tab.report
        raise InputError(
            f"no {what} found ({report.rows} data row(s) read, {report.rejected} rejected): "
            "nothing was imported",
            file=tab.name,
            line=max(tab.header_line, 1),
        )


class Table:
    """Rows of one delimited file, with the header mapped to column positions.

    Iterating yields ``(line, row)`` for every data row of the right width; short or long
    rows are rejected into :attr:`report` (at the line where the row starts). Call
    :meth:`finish` after iterating: it checks the tolerance and records the checksum. With
    ``checklist`` (an MD5 and where it is stated) a file whose bytes differ fails once read.
    """

    def __init__(
        self,
        files: SourceFiles,
        stored: str,
        *,
        delimiter: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
        quoting: int = csv.QUOTE_MINIMAL,
        skip_until: Callable[[list[str]], bool] | None = None,
        on_bytes: Callable[[int], None] | None = None,
        import_report: ImportReport | None = None,
        checklist: tuple[str, str] | None = None,
    ) -> None:
        self.files = files
        self.checklist = checklist  # (MD5 the release's checklist states, the checklist's name)
        self.stored = stored
        self.name = files.label(stored)
        self.delimiter = delimiter
        self.required = list(required)
        self.optional = list(optional)
        self.quoting = quoting
        self.skip_until = skip_until
        self.on_bytes = on_bytes
        self.report = FileReport(Path(stored).name)
        self.import_report = import_report
        self.col: dict[str, int] = {}
        self.header_line = 0

    def has(self, column: str) -> bool:
        """Whether the header names ``column``."""
        return column in self.col

    def cell(self, row: list[str], column: str) -> str:
        """The value of ``column`` in ``row``, stripped; ``""`` when the file has no such column."""
        i = self.col.get(column)
        return row[i].strip() if i is not None else ""

    def subjects(
        self, find: Callable[[Table, int, list[str]], S | None]
    ) -> Iterator[tuple[int, list[str], S]]:
        """``(line, row, subject)`` for every row ``find`` gives a subject for (``find`` rejects
        the rows it gives None for, saying why)."""
        for line, row in self:
            subject = find(self, line, row)
            if subject is not None:
                yield line, row, subject

    def start(self) -> Table:
        """Open the file and read the header (so :attr:`col` is known before iterating)."""
        self._context = self.files.open_text(self.stored, self.on_bytes, md5=self.checklist is not None)
        text, self._hashing = self._context.__enter__()
        lines = bounded_lines(text, self.name)
        self._reader = csv.reader(lines, delimiter=self.delimiter, quoting=self.quoting, strict=False)
        try:
            self.width = len(self._header(self._reader))
        except UnicodeDecodeError as e:
            self._context.__exit__(None, None, None)
            raise self.files.not_utf8(self.stored) from e
        except (csv.Error, *READ_ERRORS) as e:
            self._context.__exit__(None, None, None)
            raise InputError(f"cannot read the header: {e}", file=self.name, line=1) from e
        except BaseException:
            self._context.__exit__(None, None, None)
            raise
        return self

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        if not hasattr(self, "_reader"):
            self.start()
        reader = self._reader
        line_before = reader.line_num
        width = self.width
        report = self.report
        try:
            for row in reader:
                start = line_before + 1
                line_before = reader.line_num
                if len(row) != width:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue  # blank line
                    report.reject(start, f"expected {width} columns, found {len(row)}")
                    continue
                report.rows += 1
                yield start, row
        except UnicodeDecodeError as e:
            raise self.files.not_utf8(self.stored) from e
        except csv.Error as e:
            raise InputError(f"malformed row: {e}", file=self.name, line=line_before + 1) from e
        except READ_ERRORS as e:
            raise InputError(
                f"cannot read (truncated or corrupt?): {e}", file=self.name, line=line_before + 1
            ) from e
        finally:
            self._context.__exit__(None, None, None)
        self.report.sha256 = self._hashing.sha.hexdigest()
        self._check_md5()

    def _check_md5(self) -> None:
        if self.checklist is not None and self._hashing.md5 is not None:
            expected, listed_in = self.checklist
            got = self._hashing.md5.hexdigest()
            if got != expected.lower():
                raise InputError(
                    f"MD5 {got} is not the {expected} that {listed_in} states: the file is corrupt "
                    "or was edited; nothing was imported",
                    file=self.name,
                )

    def _header(self, reader: Iterator[list[str]]) -> list[str]:
        skipped = 0  # lines before the header (a preamble), blank ones included
        for row in reader:
            if self.skip_until is not None and not self.skip_until(row):
                skipped += 1
                continue
            header = [cell.strip() for cell in row]
            self.header_line = getattr(reader, "line_num", 1)
            missing = [c for c in self.required if c not in header]
            if missing:
                raise InputError(
                    f"missing column(s) {', '.join(repr(c) for c in missing)}; found "
                    f"{', '.join(repr(c) for c in header[:8])}: is this the right file?",
                    file=self.name,
                    line=self.header_line,
                )
            self.col = {name: i for i, name in enumerate(header)}
            absent = [c for c in self.optional if c not in self.col]
            if absent and self.import_report is not None:
                self.import_report.warn(
                    f"{self.name}: no column(s) {', '.join(repr(c) for c in absent)} "
                    "(older release?): importing what is there"
                )
            return header
        if skipped:
            raise InputError(
                f"no header row: none of its {skipped} line(s) starts with {self.required[0]!r}: "
                "is this the right file?",
                file=self.name,
                line=1,
            )
        raise InputError("empty file: no header row", file=self.name, line=1)

    def reject(self, line: int, reason: str) -> None:
        """Count the row at ``line`` as rejected for ``reason``."""
        self.report.reject(line, reason)

    def finish(self) -> FileReport:
        """Check the tolerance of bad rows; raise :class:`InputError` at the first bad line."""
        report = self.report
        allowed = max(MAX_REJECTED_ROWS, int(MAX_REJECTED_FRACTION * (report.rows + report.rejected)))
        if report.rejected > allowed and report.first_bad is not None:
            line, reason = report.first_bad
            raise InputError(
                f"{reason} ({report.rejected} bad rows, more than the {allowed} tolerated); "
                "nothing was imported",
                file=self.name,
                line=line,
            )
        if self.import_report is not None:
            self.import_report.files.append(report)
            if report.rejected:
                self.import_report.warn(
                    f"{self.name}: rejected {report.rejected} row(s), first at line "
                    f"{report.first_bad[0] if report.first_bad else 0}: "
                    f"{report.first_bad[1] if report.first_bad else ''}"
                )
        return report


class TableReader:
    """Opens the tables of one source alike: one delimiter and quoting, the bytes read
    advancing one progress task (sized to ``stored``, the files to be read), bad rows and
    absent optional columns told in ``report``, and MD5s checked where ``checklists`` (file name
    -> (MD5, checklist name)) state them."""

    def __init__(
        self,
        files: SourceFiles,
        report: ImportReport,
        progress: Progress,
        description: str,
        stored: Iterable[str | None],
        *,
        delimiter: str,
        quoting: int = csv.QUOTE_MINIMAL,
        checklists: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self.files = files
        self.report = report
        self.delimiter = delimiter
        self.quoting = quoting
        self.checklists = checklists or {}
        self._progress = progress
        self._task = progress.add_task(description, total=sum(files.size(s) for s in stored if s))

    def on_bytes(self, n: int) -> None:
        """Advance the progress task by ``n`` bytes read."""
        self._progress.advance(self._task, n)

    def open(
        self,
        stored: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
        *,
        skip_until: Callable[[list[str]], bool] | None = None,
    ) -> Table:
        """The started :class:`Table` of the file ``stored`` (its header read)."""
        return Table(
            self.files,
            stored,
            delimiter=self.delimiter,
            quoting=self.quoting,
            required=required,
            optional=optional,
            skip_until=skip_until,
            on_bytes=self.on_bytes,
            import_report=self.report,
            checklist=self.checklists.get(Path(stored).name),
        ).start()

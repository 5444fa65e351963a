"""Pieces every importer shares: reading a source's files from a folder, a zip or a URL;
streaming table rows with line numbers and a tolerance for bad rows; writing N-Triples; the
import report.

Readers decode UTF-8 with or without a byte-order mark, accept CRLF and LF line endings, and
hash every byte they read (the sha256 goes into the named graph's provenance).

>>> lit_en('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"@en'
>>> slug("C++")
'c%2B%2B'
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import logging
import re
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

import pyoxigraph as ox
from rdflib.namespace import RDF, SKOS
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..errors import InputError
from ..namespaces import CKG

__all__ = [
    "DECIMAL",
    "MAX_LINE_CHARS",
    "MAX_REJECTED_FRACTION",
    "MAX_REJECTED_ROWS",
    "FileReport",
    "ImportReport",
    "NTWriter",
    "SourceFiles",
    "Table",
    "decimal",
    "download",
    "iri",
    "lit",
    "lit_en",
    "make_progress",
    "require_records",
    "slug",
    "typed",
]

log = logging.getLogger(__name__)

#: A file may hold up to this many bad rows without failing the import ...
MAX_REJECTED_ROWS = 10
#: ... or this fraction of its data rows, whichever is larger. Beyond that, the import fails.
MAX_REJECTED_FRACTION = 0.01

#: The longest line (and field) a source file may hold, in characters. Real releases stay under
#: 100 KB; the bound keeps a broken or hostile file (one 1 GiB line) from exhausting memory.
MAX_LINE_CHARS = 4 * 1024 * 1024

csv.field_size_limit(MAX_LINE_CHARS)

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
XSD = "http://www.w3.org/2001/XMLSchema#"


# ---------------------------------------------------------------- N-Triples terms


def iri(value: str) -> str:
    """An IRI as an N-Triples term. The caller checks IRIs that come from input data."""
    return f"<{value}>"


# Terms every importer writes, pre-formatted once for the hot loops.
A = iri(str(RDF.type))
PREF = iri(str(SKOS.prefLabel))
ALT = iri(str(SKOS.altLabel))
DEF = iri(str(SKOS.definition))
BROADER = iri(str(SKOS.broader))
NOTATION = iri(str(SKOS.notation))
CONCEPT = iri(str(SKOS.Concept))
T = {name: iri(str(getattr(CKG, name))) for name in CKG.__annotations__}


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) IRI that N-Triples accepts as is (checked with
    Oxigraph's RFC 3987 parser, so the files careerkg writes can be loaded without validation).

    >>> is_iri("http://data.europa.eu/esco/skill/abc"), is_iri("http://x/%zz"), is_iri("urn:x")
    (True, False, False)
    """
    return _valid_iri(value)


@functools.lru_cache(maxsize=1 << 16)  # sources name the same concepts over and over
def _valid_iri(value: str) -> bool:
    if not value.startswith(("http://", "https://")) or _BAD_IRI.search(value):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def lit(text: str) -> str:
    """A plain string literal."""
    return f'"{text.translate(_LITERAL_ESCAPES)}"'


def lit_en(text: str) -> str:
    """An English language-tagged literal."""
    return f'"{text.translate(_LITERAL_ESCAPES)}"@en'


def typed(value: str, datatype: str) -> str:
    """A typed literal, ``datatype`` being an XSD local name such as ``decimal``."""
    return f'"{value}"^^<{XSD}{datatype}>'


def decimal(value: str) -> str:
    """An ``xsd:decimal`` literal in canonical form (``"3.50"`` -> ``"3.5"``, ``"4.0"`` -> ``"4"``),
    the form RDF 1.1 stores such as Oxigraph keep, so that every store holds the same triples.
    ``value`` is a validated unsigned decimal (:data:`DECIMAL`).

    >>> [decimal(v).split("^^")[0] for v in ("3.50", "04.00", "0.0", ".5")]
    ['"3.5"', '"4"', '"0"', '"0.5"']
    """
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    value = value.lstrip("0")
    if not value or value[0] == ".":
        value = "0" + value
    return f'"{value}"^^<{XSD}decimal>'


#: An unsigned decimal number as O*NET writes them (``3.50``); exponents are not decimals.
DECIMAL = re.compile(r"\d+(?:\.\d*)?|\.\d+")


def slug(name: str) -> str:
    """A stable IRI segment for a name: lower-cased, spaces as dashes, the rest percent-encoded."""
    return quote("-".join(name.casefold().split()), safe="-._")


class NTWriter:
    """Writes N-Triples lines to a file; terms are pre-formatted strings (:func:`iri`, ...).

    It also tells how many distinct triples it wrote (:attr:`distinct`), so that loading the
    file need not be followed by counting the loaded graph. The terms careerkg writes have one
    spelling per RDF term (plain strings, ``@en``, canonical numbers: :func:`decimal`), so
    distinct lines are distinct triples; lines are told apart by their hash, and when two
    hashes collide (a repeated line, or by chance) the writer says it does not know.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._write = self._file.write
        self._hashes: set[int] = set()
        self._see = self._hashes.add
        self.lines = 0

    def add(self, s: str, p: str, o: str) -> None:
        line = f"{s} {p} {o} .\n"
        self._see(hash(line))
        self._write(line)
        self.lines += 1

    def raw(self, text: str) -> None:
        """Append ready-made N-Triples (e.g. provenance serialized by rdflib), one per line."""
        for line in text.split("\n"):  # not splitlines(): it also splits at U+2028 and such
            if line.strip():
                self._see(hash(line + "\n"))
                self._write(line + "\n")
                self.lines += 1

    @property
    def distinct(self) -> int | None:
        """The number of distinct triples written, or None when it is not known."""
        return self.lines if len(self._hashes) == self.lines else None

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> NTWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- reports


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
        self.rejected += 1
        self.reasons[reason] += 1
        if self.first_bad is None:
            self.first_bad = (line, reason)
        log.debug("%s:%d: rejected: %s", self.name, line, reason)


@dataclass
class ImportReport:
    """What an import read and wrote; :meth:`rows` lists it for a summary table."""

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
        self.warnings.append(message)
        log.warning("%s", message)

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


# ---------------------------------------------------------------- progress


def make_progress(enabled: bool) -> Progress:
    """A rich progress display on stderr (disabled: does nothing)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=True,
    )


# ---------------------------------------------------------------- source files


class _HashingReader(io.RawIOBase):
    """A binary stream that hashes what passes through and reports progress."""

    def __init__(self, raw: IO[bytes], on_bytes: Callable[[int], None] | None, md5: bool = False) -> None:
        self._raw = raw
        self.sha = hashlib.sha256()
        self.md5 = hashlib.md5(usedforsecurity=False) if md5 else None  # for a release's checklist
        self.size = 0
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.sha.update(data)
        if self.md5 is not None:
            self.md5.update(data)
        self.size += n
        if self._on_bytes is not None and n:
            self._on_bytes(n)
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


class SourceFiles:
    """The files of a source: a folder (searched recursively) or a zip, read without unpacking.

    Files are looked up by base name, case-insensitively, so the official zips (whose files
    sit in a sub-folder such as ``db_29_3_text/``) and unpacked folders read alike.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        self._sizes: dict[str, int] = {}
        if self.path.is_dir():
            for file in sorted(self.path.rglob("*")):
                if file.is_file():
                    key = file.name.casefold()
                    self._names.setdefault(key, str(file.relative_to(self.path)))
                    self._sizes.setdefault(key, file.stat().st_size)
        elif self.path.is_file():
            try:
                self._zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise InputError(
                    f"not a readable zip file (truncated or corrupt?): {e}", file=self.path
                ) from e
            for info in self._zip.infolist():
                if info.is_dir():
                    continue
                key = Path(info.filename).name.casefold()
                self._names.setdefault(key, info.filename)
                self._sizes.setdefault(key, info.file_size)
        else:
            raise InputError("no such file or folder", file=self.path)

    @property
    def is_zip(self) -> bool:
        return self._zip is not None

    def names(self) -> list[str]:
        """Base names of every file."""
        return sorted(Path(name).name for name in self._names.values())

    def find(self, *candidates: str) -> str | None:
        """The first of ``candidates`` (base names) present, as stored, or None."""
        for name in candidates:
            stored = self._names.get(name.casefold())
            if stored is not None:
                return stored
        return None

    def size(self, stored: str) -> int:
        return self._sizes.get(Path(stored).name.casefold(), 0)

    def label(self, stored: str) -> str:
        """How errors name a file: ``folder/file.txt`` or ``source.zip:member``."""
        if self._zip is not None:
            return f"{self.path}:{stored}"
        return str(self.path / stored)

    @contextmanager
    def open_text(
        self, stored: str, on_bytes: Callable[[int], None] | None = None, md5: bool = False
    ) -> Iterator[tuple[io.TextIOWrapper, _HashingReader]]:
        """Open a file as text (UTF-8, BOM dropped, newlines kept for the csv module)."""
        try:
            raw: IO[bytes] = (
                self._zip.open(stored) if self._zip is not None else open(self.path / stored, "rb")  # noqa: SIM115
            )
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise InputError(f"cannot open: {e}", file=self.label(stored)) from e
        hashing = _HashingReader(raw, on_bytes, md5)
        text = io.TextIOWrapper(io.BufferedReader(hashing, 1 << 16), encoding="utf-8-sig", newline="")
        try:
            yield text, hashing
        finally:
            text.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


# ---------------------------------------------------------------- tables


def _bounded_lines(text: IO[str], name: str, limit: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The lines of ``text``, each read with a bound: a longer line fails with its number
    instead of being read whole into memory."""
    number = 0
    while line := text.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise InputError(
                f"line longer than {limit:,} characters: not a source file of this kind, or damaged",
                file=name,
                line=number,
            )
        yield line


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
        return column in self.col

    def start(self) -> Table:
        """Open the file and read the header (so :attr:`col` is known before iterating)."""
        self._context = self.files.open_text(self.stored, self.on_bytes, md5=self.checklist is not None)
        text, self._hashing = self._context.__enter__()
        lines = _bounded_lines(text, self.name)
        self._reader = csv.reader(lines, delimiter=self.delimiter, quoting=self.quoting, strict=False)
        try:
            self.width = len(self._header(self._reader))
        except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
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
            raise InputError(
                f"not UTF-8 text ({e.reason} at byte {e.start})", file=self.name, line=line_before + 1
            ) from e
        except csv.Error as e:
            raise InputError(f"malformed row: {e}", file=self.name, line=line_before + 1) from e
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
            raise InputError(
                f"cannot read (truncated or corrupt?): {e}", file=self.name, line=line_before + 1
            ) from e
        finally:
            self._context.__exit__(None, None, None)
        self.report.sha256 = self._hashing.sha.hexdigest()
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
        for row in reader:
            if self.skip_until is not None and not self.skip_until(row):
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
        raise InputError("empty file: no header row", file=self.name, line=1)

    def reject(self, line: int, reason: str) -> None:
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


# ---------------------------------------------------------------- download


def download(url: str, folder: Path, *, progress: bool = True, timeout: float = 60.0) -> Path:
    """Download ``url`` into ``folder`` with a progress bar; return the file written."""
    name = Path(urllib.request.url2pathname(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])).name
    target = folder / (name or "download.zip")
    bar = Progress(
        TextColumn("[bold]download"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=True,
    )
    total: str | None = None
    got = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(target, "wb") as out, bar:
            total = response.headers.get("Content-Length")
            task = bar.add_task("download", total=int(total) if total else None)
            while chunk := response.read(1 << 16):
                out.write(chunk)
                got += len(chunk)
                bar.advance(task, len(chunk))
    except urllib.error.HTTPError as e:
        raise InputError(f"download failed: HTTP {e.code} {e.reason}", file=url) from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise InputError(f"download failed: {getattr(e, 'reason', e)}", file=url) from e
    if total and got != int(total):
        raise InputError(f"download incomplete: got {got} of {total} bytes", file=url)
    return target


def temp_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="careerkg-import-")

"""Reading a source's files from a folder or a zip: looked up by base name, opened as UTF-8
text (with or without a byte-order mark, CRLF or LF), every byte hashed as it is read (the
sha256 goes into the named graph's provenance), lines read with a bound on their length."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import InputError

__all__ = ["MAX_LINE_CHARS", "HashingReader", "SourceFiles", "bounded_lines"]

#: The longest line (and field) a source file may hold, in characters. Real releases stay under
#: 100 KB; the bound keeps a broken or hostile file (one 1 GiB line) from exhausting memory.
MAX_LINE_CHARS = 4 * 1024 * 1024


class HashingReader(io.RawIOBase):
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
        #: Names that are there but are no regular file (a FIFO, socket, device, broken link):
        #: asking for one is an error, never a silent skip or a read that hangs.
        self._irregular: dict[str, Path] = {}
        if self.path.is_dir():
            # os.walk does not follow links to folders, so a link loop cannot trap it.
            for root, folders, files in os.walk(self.path, followlinks=False):
                folders.sort()
                for name in sorted(files):
                    file = Path(root) / name
                    key = name.casefold()
                    try:
                        info = file.stat()
                    except OSError:
                        info = None
                    if info is None or not stat.S_ISREG(info.st_mode):
                        self._irregular.setdefault(key, file)
                        continue
                    self._names.setdefault(key, str(file.relative_to(self.path)))
                    self._sizes.setdefault(key, info.st_size)
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
        elif self.path.exists():
            raise InputError(
                "not a regular file or folder (a FIFO, socket or device): careerkg reads only "
                "regular files; nothing was imported",
                file=self.path,
            )
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
            irregular = self._irregular.get(name.casefold())
            if irregular is not None:
                raise InputError(
                    "not a regular file (a FIFO, socket, device or broken link): careerkg reads "
                    "only regular files; nothing was imported",
                    file=irregular,
                )
        return None

    def size(self, stored: str) -> int:
        """The size of a file in bytes (uncompressed), 0 when unknown."""
        return self._sizes.get(Path(stored).name.casefold(), 0)

    def label(self, stored: str) -> str:
        """How errors name a file: ``folder/file.txt`` or ``source.zip:member``."""
        if self._zip is not None:
            return f"{self.path}:{stored}"
        return str(self.path / stored)

    @contextmanager
    def open_text(
        self, stored: str, on_bytes: Callable[[int], None] | None = None, md5: bool = False
    ) -> Iterator[tuple[io.TextIOWrapper, HashingReader]]:
        """Open a file as text (UTF-8, BOM dropped, newlines kept for the csv module)."""
        try:
            raw: IO[bytes] = (
                self._zip.open(stored) if self._zip is not None else open(self.path / stored, "rb")  # noqa: SIM115
            )
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise InputError(f"cannot open: {e}", file=self.label(stored)) from e
        hashing = HashingReader(raw, on_bytes, md5)
        text = io.TextIOWrapper(io.BufferedReader(hashing, 1 << 16), encoding="utf-8-sig", newline="")
        try:
            yield text, hashing
        finally:
            text.close()

    def not_utf8(self, stored: str) -> InputError:
        """The error for a file that is not UTF-8, at the line of its first bad byte.

        The text reader decodes ahead of the rows it hands out, so where the decoding failed
        says little about where the bad byte is: the file is read again, as bytes, to find it.
        """
        label = self.label(stored)
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset, line = 0, 1
        try:
            raw: IO[bytes] = (
                self._zip.open(stored) if self._zip is not None else open(self.path / stored, "rb")  # noqa: SIM115
            )
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as e:
            return InputError(f"cannot open: {e}", file=label)
        head = b""
        try:
            with raw:
                while chunk := raw.read(1 << 16):
                    head = head or chunk[:2]
                    pending = decoder.getstate()[0]
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as e:
                        data = pending + chunk
                        line += data.count(b"\n", 0, e.start)
                        return _utf8_error(label, line, offset - len(pending) + e.start, e.reason, head)
                    line += chunk.count(b"\n")
                    offset += len(chunk)
                pending = decoder.getstate()[0]
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError as e:
                    return _utf8_error(label, line, offset - len(pending) + e.start, e.reason, head)
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as e:
            return InputError(f"cannot read (truncated or corrupt?): {e}", file=label, line=line)
        return InputError("not UTF-8 text", file=label)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _utf8_error(label: str, line: int, offset: int, reason: str, head: bytes) -> InputError:
    hint = ""
    if head in (b"\xff\xfe", b"\xfe\xff"):
        hint = ": the file is UTF-16; save it as UTF-8"
    return InputError(f"not UTF-8 text ({reason} at byte {offset}){hint}", file=label, line=line)


def bounded_lines(text: IO[str], name: str, limit: int = MAX_LINE_CHARS) -> Iterator[str]:
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

"""The on-disk store's folder: the marker that makes a folder a store, the ``CURRENT`` pointer
to the live generation, and the one atomic writer of small files in it.

careerkg deletes only what it can prove it wrote: names it gives (``gen-N`` holding an
Oxigraph database, its own ``*.tmp`` names, snapshots) in a folder that carries the marker.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..atomic import replace_text
from ..errors import StoreError

__all__ = [
    "BULK_FILE",
    "GENERATION",
    "MARKER",
    "SCRATCH",
    "SCRATCH_PREFIX",
    "SNAPSHOT",
    "STORE_FORMAT",
    "TEMP_FILE",
    "claim_store_folder",
    "current_generation",
    "holds_only_rocksdb_files",
    "inside_folder",
    "is_oxigraph_folder",
    "is_store_folder",
    "not_a_store",
    "write_atomically",
]

#: The file that marks a folder as a careerkg store; written when the store is created.
MARKER = "careerkg-store.json"
#: The layout version a marker records; a store of a later version is refused.
STORE_FORMAT = 1

GENERATION = re.compile(r"gen-\d{1,9}")
# careerkg.atomic's temporary names, and those of earlier versions (NAME.<uuid hex>.tmp).
TEMP_FILE = re.compile(
    r"\.(?:CURRENT|STATE|careerkg-store\.json)\.[a-z0-9_]{8}\.part"
    r"|(?:CURRENT|STATE|careerkg-store\.json)\.[0-9a-f]{32}\.tmp"
)
SNAPSHOT = re.compile(r"snapshot-[0-9a-z]{1,64}\.nq")
#: The bulk loader's temporary files inside a generation (left behind when it is killed).
BULK_FILE = re.compile(r"bulk-\d{1,60}\.sst")
#: The folder of scratch space inside the store, and the prefix of what careerkg puts there.
SCRATCH = "tmp"
SCRATCH_PREFIX = "careerkg-scratch-"
# What a store written before the marker existed may hold, besides its generations.
_LEGACY_NAMES = {"CURRENT", "STATE", "views", SCRATCH}


def not_a_store(path: Path) -> StoreError:
    """The error for a non-empty folder that is not a careerkg store."""
    return StoreError(
        f"{path} is a folder that is not a careerkg store (it has no {MARKER}): careerkg "
        "will not open, write or clean it; choose a new or empty folder for the store"
    )


def is_oxigraph_folder(path: Path) -> bool:
    """Whether ``path`` holds an Oxigraph (RocksDB) database: RocksDB writes ``IDENTITY``."""
    return (path / "IDENTITY").is_file() and (path / "CURRENT").is_file()


#: The names RocksDB (Oxigraph's storage) writes in a database folder.
ROCKSDB_FILE = re.compile(
    r"LOCK|LOG(?:\.old\.\d+)?|CURRENT|IDENTITY|MANIFEST-\d+|OPTIONS-\d+(?:\.dbtmp)?|\d+\.(?:sst|log|dbtmp|blob)"
    r"|bulk-\d{1,60}\.sst"
)


def holds_only_rocksdb_files(path: Path) -> bool:
    """Whether every entry of ``path`` is a file RocksDB writes: a generation careerkg made,
    possibly only begun (a writer killed while RocksDB created it leaves LOCK, LOG, a .dbtmp)."""
    try:
        entries = list(path.iterdir())
    except OSError:
        return False
    return all(e.is_file() and not e.is_symlink() and ROCKSDB_FILE.fullmatch(e.name) for e in entries)


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` is a careerkg store: it carries the marker, or it is a store written
    before the marker existed (``CURRENT`` naming a generation that holds an Oxigraph
    database, and nothing else but careerkg's own names).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> is_store_folder(folder), claim_store_folder(folder), is_store_folder(folder)
    (False, None, True)
    """
    path = Path(path)
    if (path / MARKER).is_file():
        return True
    return _is_legacy_store(path)


def _is_legacy_store(path: Path) -> bool:
    try:
        names = [child.name for child in path.iterdir()]
        live = current_generation(path)
    except (OSError, StoreError):
        return False
    known = all(n in _LEGACY_NAMES or GENERATION.fullmatch(n) or TEMP_FILE.fullmatch(n) for n in names)
    return known and is_oxigraph_folder(live)


def claim_store_folder(path: Path) -> None:
    """Make ``path`` a careerkg store, or check that it is one.

    A missing or empty folder becomes a store (the marker is written); a store written before
    the marker existed gets its marker; any other non-empty folder is refused with
    :class:`~careerkg.errors.StoreError`, and nothing in it is touched.
    """
    path = Path(path)
    marker = path / MARKER
    if marker.is_file():
        _check_marker(marker)
        return
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder")
    if path.is_dir() and any(path.iterdir()) and not _is_legacy_store(path):
        raise not_a_store(path)
    path.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": "careerkg-store", "version": STORE_FORMAT}) + "\n"
    write_atomically(marker, text)


def _check_marker(marker: Path) -> None:
    try:
        content = json.loads(marker.read_text(encoding="utf-8"))
        version = int(content["version"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise StoreError(f"{marker}: not a careerkg store marker ({e}); the store was not opened") from e
    if version > STORE_FORMAT:
        raise StoreError(
            f"{marker}: the store has layout version {version}, newer than this careerkg "
            f"understands ({STORE_FORMAT}): upgrade careerkg"
        )


def current_generation(path: Path) -> Path:
    """The live generation folder of the store at ``path``, as ``CURRENT`` names it.

    ``CURRENT`` must name a generation (``gen-N``) that exists; anything else is a damaged
    store, reported with :class:`~careerkg.errors.StoreError`, and nothing is deleted because
    of it. Without ``CURRENT`` (a store being created) it is ``gen-0``.
    """
    pointer = Path(path) / "CURRENT"
    if not pointer.exists():
        return Path(path) / "gen-0"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{pointer}: cannot read the store's pointer to its data: {e}") from e
    if not GENERATION.fullmatch(name):
        shown = name[:60] or "nothing"
        raise StoreError(
            f"{pointer}: names {shown!r}, not a generation (gen-N): the store is damaged; "
            f"nothing was changed (put the name of the gen-N folder that holds the data in it)"
        )
    live = Path(path) / name
    if not is_oxigraph_folder(live):
        present = sorted(c.name for c in Path(path).glob("gen-*") if GENERATION.fullmatch(c.name))
        hint = f" (present: {', '.join(present)})" if present else ""
        raise StoreError(
            f"{pointer}: names {name}, which holds no store data{hint}: the store is damaged; "
            "nothing was changed or deleted"
        )
    return live


def inside_folder(folder: Path | None, target: Path) -> bool:
    """Whether writing ``target`` would write inside ``folder`` (a store's folder, or None).

    >>> inside_folder(Path("/data/store"), Path("/data/store/CURRENT")), inside_folder(None, Path("x"))
    (True, False)
    """
    if folder is None:
        return False
    try:
        Path(target).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def write_atomically(path: Path, text: str) -> None:
    """Replace the small text file ``path`` by ``text`` at once (see :mod:`careerkg.atomic`)."""
    replace_text(path, text)

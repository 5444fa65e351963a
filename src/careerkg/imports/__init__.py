"""Importers of O*NET, ESCO and the ESCO-O*NET crosswalk into careerkg's named graphs.

Each import streams its source into a temporary N-Triples file, in the shared careerkg
vocabulary, with provenance triples about the named graph; only when the whole source was
read without error is the file handed to :meth:`~careerkg.store.GraphStore.load_ntriples`,
which replaces the source's named graph atomically. A failed import leaves the store as it was.

>>> from careerkg.imports import KINDS
>>> KINDS
('onet', 'esco', 'crosswalk')
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rich.progress import Progress

from ..data.build import CURATED, LICENSE, build, provenance
from ..errors import DataError, InputError, Problem
from ..namespaces import BASE, graph_iri
from ..store import GraphStore
from .download import download
from .files import MAX_LINE_CHARS, SourceFiles
from .report import ImportReport, make_progress
from .skill_matching import SkillIndex, skill_index
from .terms import NTWriter

__all__ = ["ATTRIBUTION", "KINDS", "ImportReport", "import_all", "import_source"]

log = logging.getLogger(__name__)

KINDS = ("onet", "esco", "crosswalk")

#: Attribution each source's license asks for; stored as ``dcterms:rights`` of its graph.
ATTRIBUTION = {
    "onet": "O*NET® is a trademark of USDOL/ETA; includes information from O*NET {version} by the "
    "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA), used under "
    "CC BY 4.0",
    "esco": "This service uses the ESCO classification of the European Commission.",
    "crosswalk": "ESCO-O*NET crosswalk by the ESCO Secretariat in collaboration with the U.S. "
    "Department of Labor/Employment and Training Administration. This service uses the ESCO "
    "classification of the European Commission.",
}
_TITLES = {
    "onet": "O*NET {version} database",
    "esco": "ESCO {version} classification",
    "crosswalk": "ESCO-O*NET crosswalk (version {version}) and cross-source skill matches",
}

#: What makes a folder or zip a release of a source: a file it holds (any version, any name).
CORE_FILES = {"onet": "Occupation Data.txt", "esco": "occupations_en.csv"}
#: ... and a CSV file the crosswalk: a row (after its preamble) that starts with this cell.
CROSSWALK_HEADER = "O*NET Id"
#: How deep :func:`find_sources` looks below the datasets folder.
MAX_DEPTH = 6


def import_source(
    store: GraphStore, kind: str, path_or_url: str | Path, *, progress: bool = True
) -> ImportReport:
    """Import one source into its named graph (``graph_iri(kind)``), replacing what was there.

    ``kind`` is ``"onet"`` (text database folder, zip or http(s) URL of the zip), ``"esco"``
    (CSV folder or zip) or ``"crosswalk"`` (the crosswalk CSV; it also matches skills across the
    sources already in the store, so import it last).

    Raises
    ------
    InputError
        Naming the file and line, when the source cannot be read or has more bad rows than
        tolerated; the store is then unchanged.
    """
    started = time.perf_counter()
    text = str(path_or_url)
    if kind in KINDS and not text.startswith(("http://", "https://")) and Path(text).expanduser().exists():
        _refuse_empty_files([(kind, Path(text).expanduser())])
    with store.scratch() as tmp:
        report, nt, distinct = _prepare(store, kind, path_or_url, Path(tmp), progress=progress)
        _load(store, report, nt, distinct)
    _check_crosswalk(store, report)
    report.seconds = time.perf_counter() - started
    log.info("%s: %d triples in %.1fs", kind, report.triples, report.seconds)
    return report


def _prepare(
    store: GraphStore,
    kind: str,
    path_or_url: str | Path,
    tmp: Path,
    *,
    progress: bool,
    indexes: Mapping[str, SkillIndex] | None = None,
) -> tuple[ImportReport, Path, int | None]:
    """Read the source and write its named graph's N-Triples into ``tmp``; the store is only
    read (by the crosswalk), never written. Returns the report, the file and the number of
    distinct triples in it (None when not known)."""
    if kind not in KINDS:
        raise InputError(f"unknown source kind {kind!r} (expected one of {', '.join(KINDS)})")
    text = str(path_or_url)
    if text.startswith(("http://", "https://")):
        path = download(text, tmp, progress=progress)
        source = text
    else:
        path = Path(text).expanduser()
        source = str(path)
        if not path.exists():
            raise InputError("no such file or folder", file=path)
    nt = tmp / f"{kind}.nt"
    with make_progress(progress) as bar:
        report, distinct = _convert(store, kind, path, nt, bar, source, indexes)
    report.graph = str(graph_iri(kind))
    return report, nt, distinct


def _load(store: GraphStore, report: ImportReport, nt: Path, distinct: int | None) -> None:
    """Replace the report's named graph by the N-Triples file ``nt`` (atomically).

    Every IRI in the file was validated (:func:`~.terms.is_iri` for those read from the
    sources, the rest minted by careerkg), so the store may skip validating them.
    """
    log.info("%s: loading %s into %s", report.kind, nt, report.graph)
    report.triples = store.load_ntriples(URIRef(report.graph), nt, triples=distinct, checked=True)


def _convert(
    store: GraphStore,
    kind: str,
    path: Path,
    nt: Path,
    bar: Progress,
    source: str,
    indexes: Mapping[str, SkillIndex] | None = None,
) -> tuple[ImportReport, int | None]:
    if kind == "crosswalk":
        from .crosswalk import convert_crosswalk, crosswalk_version

        report = ImportReport(kind, source, crosswalk_version(path))
        with NTWriter(nt) as out:
            convert_crosswalk(path, store, out, report, bar, indexes)
            _provenance(out, kind, report)
        return report, out.distinct
    files = SourceFiles(path)
    try:
        if kind == "onet":
            from .onet import convert_onet, onet_version

            report = ImportReport(kind, source, onet_version(path, files))
            with NTWriter(nt) as out:
                convert_onet(files, out, report, bar)
                _provenance(out, kind, report)
        else:
            from .esco import convert_esco, esco_version

            report = ImportReport(kind, source, esco_version(path))
            with NTWriter(nt) as out:
                convert_esco(files, out, report, bar)
                _provenance(out, kind, report)
    finally:
        files.close()
    return report, out.distinct


def _provenance(out: NTWriter, kind: str, report: ImportReport) -> None:
    target = graph_iri(kind)
    g: Graph = provenance(
        target,
        title=_TITLES[kind].format(version=report.version),
        source=report.source,
        version=report.version,
        license=LICENSE,
        checksums={f.name: f.sha256 for f in report.files if f.sha256},
        generated=datetime.now(UTC).replace(microsecond=0),
    )
    g.add((target, DCTERMS.rights, Literal(ATTRIBUTION[kind].format(version=report.version))))
    out.raw(g.serialize(format="nt"))


def import_all(store: GraphStore, datasets_dir: str | Path, *, progress: bool = True) -> list[ImportReport]:
    """Import every release found in ``datasets_dir``: curated (when missing), ESCO, O*NET,
    crosswalk.

    Releases are found by their content (:func:`find_sources`), whatever their version or
    folder name; a source with no release there is skipped with a warning, and a folder with
    none at all is an :class:`~careerkg.errors.InputError`. Empty files in any of them are
    refused (all named at once, as a :class:`~careerkg.errors.DataError`) before anything is
    built or imported. The crosswalk goes last because its skill matching reads the other
    graphs. Each source is replaced atomically, as by :func:`import_source`; when one fails,
    the sources before it stay imported.

    Where the store can load a graph in place (``store.replaces_in_place(graph)``: an
    embedded Oxigraph store that does not hold that graph yet), the
    bulk load of one source runs in a background thread while this thread reads the next
    source, builds the curated graph and indexes skill labels for the crosswalk, so the load
    (Oxigraph, which releases the GIL) and the Python work overlap on two cores.
    """
    root = Path(datasets_dir)
    if not root.is_dir():
        raise InputError("no such folder", file=root)
    found = find_sources(root)
    sources = [(kind, found[kind]) for kind in ALL_ORDER if kind in found]
    if not sources:
        raise InputError(
            f"no release found: looked for a folder or zip holding {CORE_FILES['onet']!r} (O*NET) "
            f"or {CORE_FILES['esco']!r} (ESCO), and a CSV whose header row starts with "
            f"{CROSSWALK_HEADER!r} (the crosswalk); nothing was imported",
            file=root,
        )
    for kind in ALL_ORDER:
        if kind not in found:
            log.warning("%s: no %s release found: %s skipped", root, kind, kind)
    _refuse_empty_files(sources)
    reports: list[ImportReport] = []
    must_build = not store.has_graph(CURATED)
    indexes: dict[str, SkillIndex] = {}
    with store.scratch() as tmp, _Loader() as loader:
        for kind, path in sources:
            started = time.perf_counter()
            if kind == "crosswalk":
                loader.wait()  # its skill matching reads every other graph
            report, nt, distinct = _prepare(store, kind, path, Path(tmp), progress=progress, indexes=indexes)
            loader.wait()  # one load at a time, in order
            in_place = store.replaces_in_place(URIRef(report.graph))
            loader.start(
                lambda r=report, f=nt, n=distinct, t=started: _finish(store, r, f, n, t), background=in_place
            )
            reports.append(report)
            if must_build:
                # build() writes the curated graphs: only beside an in-place load.
                if not in_place:
                    loader.wait()
                build(store)
                must_build = False
            if kind == "onet" and in_place:
                # ESCO and curated are complete by now: index their skills while O*NET loads.
                for name in ("curated", "esco"):
                    if store.has_graph(graph_iri(name)):
                        indexes[name] = skill_index(store, name)
        loader.wait()
    if must_build:
        build(store)
    if "crosswalk" not in found:
        for report in reports:
            _check_crosswalk(store, report)
    return reports


def find_sources(root: Path) -> dict[str, Path]:
    """The release of each source below ``root``, found by content, any version or name.

    An O*NET text database is a folder or zip holding ``Occupation Data.txt``; ESCO a folder
    or zip holding ``occupations_en.csv``; the crosswalk a CSV file with a row (after its
    preamble) starting with ``O*NET Id``. Links are followed, each folder visited once (a link
    loop cannot trap the search), at most :data:`MAX_DEPTH` levels down. Where a source has
    several releases, the newest (by the version in its name) is taken, with a warning.
    """
    candidates: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    seen: set[tuple[int, int]] = set()
    base = len(root.parts)
    for folder, folders, files in os.walk(root, followlinks=True):
        here = Path(folder)
        try:
            info = here.stat()
        except OSError:
            folders[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen or len(here.parts) - base >= MAX_DEPTH:
            folders[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        folders.sort()
        names = {name.casefold() for name in files}
        release = False
        for kind, core in CORE_FILES.items():
            if core.casefold() in names:
                candidates[kind].append(here)
                release = True
        if release:
            folders[:] = []  # a release's own files are not releases
            continue
        for name in sorted(files):
            path = here / name
            if not path.is_file():  # a FIFO, socket or broken link is never opened
                continue
            suffix = path.suffix.lower()
            if suffix == ".zip":
                for kind in _zip_kinds(path):
                    candidates[kind].append(path)
            elif suffix == ".csv" and _is_crosswalk(path):
                candidates["crosswalk"].append(path)
    chosen: dict[str, Path] = {}
    for kind, paths in candidates.items():
        if not paths:
            continue
        ranked = sorted(paths, key=lambda p: (_version_key(p, root), p.is_dir(), str(p)), reverse=True)
        chosen[kind] = ranked[0]
        if len(ranked) > 1:
            others = ", ".join(str(p) for p in ranked[1:])
            log.warning(
                "%s: %d %s releases found: importing %s (not %s)", root, len(ranked), kind, ranked[0], others
            )
    return chosen


def _zip_kinds(path: Path) -> list[str]:
    """The sources a zip file holds a release of (none when it cannot be read)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = {Path(n).name.casefold() for n in z.namelist()}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        log.warning("%s: not a readable zip (%s): skipped", path, e)
        return []
    return [kind for kind, core in CORE_FILES.items() if core.casefold() in names]


def _is_crosswalk(path: Path, lines: int = 60) -> bool:
    """Whether the CSV at ``path`` has, among its first ``lines`` lines, the crosswalk header."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            for _ in range(lines):
                line = f.readline(MAX_LINE_CHARS)
                if not line:
                    return False
                if line.lstrip('"').startswith(CROSSWALK_HEADER):
                    return True
    except OSError:
        return False
    return False


def _version_key(path: Path, root: Path) -> tuple[int, ...]:
    """The version numbers in ``path`` below ``root`` (``db_29_3_text`` -> (29, 3),
    ``v1.2.0`` -> (1, 2, 0)); () when it names none."""
    try:
        text = str(path.relative_to(root))
    except ValueError:
        text = path.name
    found = re.findall(r"(?:db_|v)(\d+(?:[._]\d+)*)", text)
    if not found:
        return ()
    return tuple(int(n) for n in re.split(r"[._]", found[-1]))


def _refuse_empty_files(sources: list[tuple[str, Path]]) -> None:
    """Refuse, naming every one of them at once, the empty files the imports of ``sources``
    would read: before anything is built or imported."""
    from .esco import source_files as esco_files
    from .onet import source_files as onet_files

    problems: list[Problem] = []
    for kind, path in sources:
        if kind == "crosswalk" and not path.is_dir() and path.suffix.lower() != ".zip":
            if path.is_file() and path.stat().st_size == 0:
                problems.append(Problem(str(path), 0, "empty file: nothing was imported"))
            continue
        if kind == "crosswalk":
            continue
        files = SourceFiles(path)
        try:
            listed = onet_files(files) if kind == "onet" else esco_files(files)
            problems += [
                Problem(files.label(stored), 0, "empty file: nothing was imported")
                for stored in listed
                if files.size(stored) == 0
            ]
        finally:
            files.close()
    if len(problems) == 1:
        raise InputError(problems[0].message, file=problems[0].file)
    if problems:
        raise DataError(problems)


def _check_crosswalk(store: GraphStore, report: ImportReport) -> None:
    """After O*NET or ESCO was (re-)imported: warn, with counts, about the crosswalk links
    that now name concepts the new graph does not hold (re-import the crosswalk to re-link)."""
    if report.kind not in ("onet", "esco"):
        return
    crosswalk = graph_iri("crosswalk")
    if not store.has_graph(crosswalk):
        return
    prefix = f"{BASE}onet/" if report.kind == "onet" else "http://data.europa.eu/esco/"
    source = graph_iri(report.kind)
    where = f'GRAPH <{crosswalk}> {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{prefix}"))'
    total = next(iter(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))[0]
    dangling = next(
        iter(
            store.select(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} "
                f"FILTER NOT EXISTS {{ GRAPH <{source}> {{ ?s ?q ?z }} }} }}"
            )
        )
    )[0]
    n, of = int(dangling or 0), int(total or 0)
    report.counts["crosswalk links dangling"] = n
    if n:
        report.warn(
            f"crosswalk: {n} of {of} links from {report.kind} concepts now name concepts absent from "
            f"the new {report.kind} graph: import the crosswalk again (careerkg import crosswalk FILE) "
            "to re-link"
        )


#: The order :func:`import_all` imports in: the longest load (O*NET) overlaps indexing the
#: skills of ESCO and curated for the crosswalk, which goes last.
ALL_ORDER = ("esco", "onet", "crosswalk")


def _finish(store: GraphStore, report: ImportReport, nt: Path, distinct: int | None, started: float) -> None:
    _load(store, report, nt, distinct)
    report.seconds = time.perf_counter() - started
    log.info("%s: %d triples in %.1fs", report.kind, report.triples, report.seconds)


class _Loader:
    """Runs one load at a time, in a background thread or (``background=False``) right away.

    :meth:`wait` re-raises a background load's error; leaving the ``with`` block always waits
    for a running load, so no thread writes the store after :func:`import_all` returned.
    """

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, work: Callable[[], None], *, background: bool) -> None:
        self.wait()
        if not background:
            work()
            return

        def run() -> None:
            try:
                work()
            except BaseException as e:  # handed to the waiting thread
                self._error = e

        self._thread = threading.Thread(target=run, name="careerkg-load", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> _Loader:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.wait()
            return
        if self._thread is not None:  # an error is already on its way: just let the load end
            self._thread.join()
            self._thread = None
        if self._error is not None:  # a knock-on of the error on its way: not printed before it
            log.debug("a background load failed too: %s", self._error)

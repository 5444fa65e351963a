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
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rich.progress import Progress

from ..data.build import CURATED, LICENSE, build, provenance
from ..errors import InputError
from ..namespaces import graph_iri
from ..store import GraphStore
from .download import download
from .files import SourceFiles
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

#: Where :func:`import_all` finds each source inside a ``datasets`` folder.
DATASET_LAYOUT = {
    "onet": "onet/db_29_3_text",
    "esco": "esco/v1.1.1",
    "crosswalk": "esco/crosswalk_onet/crosswalk_esco_onet.csv",
}


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
    with store.scratch() as tmp:
        report, nt, distinct = _prepare(store, kind, path_or_url, Path(tmp), progress=progress)
        _load(store, report, nt, distinct)
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
    """Import the ``../shared/datasets`` layout: curated (when missing), ESCO, O*NET, crosswalk.

    Sources absent from ``datasets_dir`` are skipped with a warning; the crosswalk goes last
    because its skill matching reads the other graphs. Each source is replaced atomically, as
    by :func:`import_source`; when one fails, the sources before it stay imported.

    Where the store can load a graph in place (``store.replaces_in_place(graph)``: an
    embedded Oxigraph store that does not hold that graph yet), the
    bulk load of one source runs in a background thread while this thread reads the next
    source, builds the curated graph and indexes skill labels for the crosswalk, so the load
    (Oxigraph, which releases the GIL) and the Python work overlap on two cores.
    """
    root = Path(datasets_dir)
    if not root.is_dir():
        raise InputError("no such folder", file=root)
    sources = []
    for kind in ALL_ORDER:
        path = root / DATASET_LAYOUT[kind]
        if path.exists():
            sources.append((kind, path))
        else:
            log.warning("%s: not found, %s skipped", path, kind)
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
    return reports


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
        if self._error is not None:
            log.error("a background load failed too: %s", self._error)

"""Importers of O*NET, ESCO and the ESCO-O*NET crosswalk into careerkg's named graphs.

Each import streams its source into a temporary N-Triples file, in the shared careerkg
vocabulary, with provenance triples about the named graph; only when the whole source was
read without error is the file handed to :meth:`~careerkg.store.GraphStore.replace_graph`,
which replaces the source's named graph atomically. A failed import leaves the store as it was.

>>> from careerkg.imports import KINDS
>>> KINDS
('onet', 'esco', 'crosswalk')
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from ..build import CURATED, LICENSE, build, provenance
from ..errors import InputError
from ..namespaces import graph_iri
from ..store import GraphStore
from .common import ImportReport, NTWriter, SourceFiles, download, make_progress, temp_folder

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
    if kind not in KINDS:
        raise InputError(f"unknown source kind {kind!r} (expected one of {', '.join(KINDS)})")
    started = time.perf_counter()
    target = graph_iri(kind)
    with temp_folder() as tmp:
        text = str(path_or_url)
        if text.startswith(("http://", "https://")):
            path = download(text, Path(tmp), progress=progress)
            source = text
        else:
            path = Path(text).expanduser()
            source = str(path)
            if not path.exists():
                raise InputError("no such file or folder", file=path)
        nt = Path(tmp) / f"{kind}.nt"
        with make_progress(progress) as bar:
            report = _convert(store, kind, path, nt, bar, source)
        report.graph = str(target)
        log.info("%s: loading %s into %s", kind, nt, target)
        report.triples = store.replace_graph(target, nt)
    report.seconds = time.perf_counter() - started
    log.info("%s: %d triples in %.1fs", kind, report.triples, report.seconds)
    return report


def _convert(
    store: GraphStore,
    kind: str,
    path: Path,
    nt: Path,
    bar,
    source: str,
) -> ImportReport:
    if kind == "crosswalk":
        from .crosswalk import convert_crosswalk, crosswalk_version

        report = ImportReport(kind, source, crosswalk_version(path))
        with NTWriter(nt) as out:
            convert_crosswalk(path, store, out, report, bar)
            _provenance(out, kind, report)
        return report
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
    return report


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
    """Import the ``../shared/datasets`` layout: curated (when missing), O*NET, ESCO, crosswalk.

    Sources absent from ``datasets_dir`` are skipped with a warning; the crosswalk goes last
    because its skill matching reads the other graphs.
    """
    root = Path(datasets_dir)
    if not root.is_dir():
        raise InputError("no such folder", file=root)
    if not store.has_graph(CURATED):
        build(store)
    reports = []
    for kind in KINDS:
        path = root / DATASET_LAYOUT[kind]
        if not path.exists():
            log.warning("%s: not found, %s skipped", path, kind)
            continue
        reports.append(import_source(store, kind, path, progress=progress))
    return reports

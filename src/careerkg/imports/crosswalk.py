"""The ESCO-O*NET crosswalk -> ``skos:*Match`` links, plus the links that join the sources.

The official crosswalk CSV (a preamble of metadata lines, then the header ``O*NET Id,...,
Type of Match``) maps O*NET-SOC 2019 occupations to ESCO occupations. Each row becomes a link
from ``onet_occupation_iri(code)`` to the ESCO IRI with the row's match type, and the inverse
link back (``exactMatch`` and ``closeMatch`` are symmetric; ``broadMatch`` is the inverse of
``narrowMatch``), so queries can start on either side without a reasoner. The ``exactISCO``
rows map an O*NET occupation to an ISCO unit group (no ESCO occupation fits): they become
``skos:exactMatch`` to the ISCO group concept.

The crosswalk graph also holds what joins the sources beyond the crosswalk file, computed from
the graphs already in the store (so import it after the others):

- curated careers with an ISCO code get ``skos:broadMatch`` to the ESCO ISCO group with that
  code;
- skills that are the same thing in two sources are matched (:mod:`.skill_matching`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from rdflib.namespace import SKOS
from rich.progress import Progress

from ..data.model import onet_occupation_iri
from ..errors import InputError
from ..store import GraphStore
from .files import MAX_LINE_CHARS, SourceFiles
from .report import ImportReport
from .skill_matching import SkillIndex, match_skills, write_matches
from .tables import Table, TableReader, require_records
from .terms import NTWriter, iri, is_iri

__all__ = ["MATCH_TYPES", "convert_crosswalk", "crosswalk_version"]

#: Crosswalk match type -> (property, inverse property).
MATCH_TYPES = {
    "exactMatch": (SKOS.exactMatch, SKOS.exactMatch),
    "closeMatch": (SKOS.closeMatch, SKOS.closeMatch),
    "broadMatch": (SKOS.broadMatch, SKOS.narrowMatch),
    "narrowMatch": (SKOS.narrowMatch, SKOS.broadMatch),
    "exactISCO": (SKOS.exactMatch, SKOS.exactMatch),
}
CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
#: The ESCO IRIs checked against the esco graph (ISCO groups are not: a release need not list
#: every group the crosswalk's exactISCO rows name).
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
HEADER = ("O*NET Id", "ESCO or ISCO URI", "Type of Match")


def crosswalk_version(path: Path) -> str:
    """``Mapping project version`` (and date) from the preamble, else ``unknown``."""
    version, date = "unknown", ""
    if not path.is_file():  # a folder, or a FIFO whose open would block: read by the import
        return version
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            for _ in range(30):
                line = f.readline(MAX_LINE_CHARS)  # bounded: a hostile file may be one huge line
                if not line:
                    break
                cells = line.rstrip("\r\n").split(",")
                if cells[0] == "Mapping project version" and len(cells) > 1:
                    version = cells[1]
                elif cells[0] == "Mapping project version date" and len(cells) > 1:
                    date = cells[1]
    except OSError:
        return version
    return f"{version} ({date})" if date else version


def convert_crosswalk(
    path: Path,
    store: GraphStore,
    out: NTWriter,
    report: ImportReport,
    progress: Progress,
    indexes: Mapping[str, SkillIndex] | None = None,
) -> None:
    """Stream the crosswalk at ``path`` into ``out``, then the cross-source links.

    ``indexes``: skill label indexes of graphs already in ``store``, computed beforehand
    (:func:`~.skill_matching.skill_index`); the others are read from ``store`` here.
    """
    if path.is_dir():
        found = sorted(path.glob("crosswalk_esco_onet.csv")) or sorted(path.glob("*.csv"))
        if not found:
            raise InputError("no crosswalk CSV in this folder", file=path)
        path = found[0]
    files = SourceFiles(path.parent) if path.suffix.lower() != ".zip" else SourceFiles(path)
    try:
        stored = (
            path.name
            if not files.is_zip
            else next((n for n in files.names() if n.lower().endswith(".csv")), None)
        )
        if stored is None or files.find(stored) is None:
            raise InputError("no crosswalk CSV found", file=path)
        stored = files.find(stored)
        reader = TableReader(files, report, progress, "crosswalk", [stored], delimiter=",")
        tab = reader.open(stored, HEADER, skip_until=lambda row: bool(row) and row[0].strip() == "O*NET Id")
        known = _known(store)
        matched = _rows(tab, out, report, known)
        tab.finish()
        require_records(tab, matched, "crosswalk rows")
    finally:
        files.close()
    _curated_isco(store, out, report)
    matches = match_skills(store, indexes)
    write_matches(matches, out)
    report.counts["skill matches"] = len(matches)
    for method in sorted({m.method for m in matches}):
        report.counts[f"skill matches: {method}"] = sum(1 for m in matches if m.method == method)


def _known(store: GraphStore) -> tuple[set[str] | None, set[str] | None]:
    """The O*NET occupation codes and the ESCO concept IRIs the store holds (None for a source
    not imported: its links are then written unchecked)."""
    from ..namespaces import CKG, graph_iri

    codes = uris = None
    onet, esco = graph_iri("onet"), graph_iri("esco")
    if store.has_graph(onet):
        prefix = str(onet_occupation_iri(""))
        codes = {
            str(row[0])[len(prefix) :]
            for row in store.select(f"SELECT ?o WHERE {{ GRAPH <{onet}> {{ ?o a <{CKG.Career}> }} }}")
            if row[0] and str(row[0]).startswith(prefix)
        }
    if store.has_graph(esco):
        uris = {
            str(row[0])
            for row in store.select(f"SELECT DISTINCT ?e WHERE {{ GRAPH <{esco}> {{ ?e a ?t }} }}")
            if row[0]
        }
    return codes, uris


def _rows(
    tab: Table,
    out: NTWriter,
    report: ImportReport,
    known: tuple[set[str] | None, set[str] | None] = (None, None),
) -> int:
    occ_prefix = str(onet_occupation_iri(""))
    c_code, c_uri, c_type = (tab.col[h] for h in HEADER)
    props = {k: (iri(str(p)), iri(str(q))) for k, (p, q) in MATCH_TYPES.items()}
    counts: dict[str, int] = {}
    codes, uris = known
    absent = {"onet": 0, "esco": 0}
    first_absent: tuple[int, str] | None = None
    for line, row in tab:
        code, uri, kind = row[c_code].strip(), row[c_uri].strip(), row[c_type].strip()
        if not CODE.match(code):
            tab.reject(line, f"bad O*NET Id {code!r}")
            continue
        if not is_iri(uri):
            tab.reject(line, f"ESCO or ISCO URI {uri[:60]!r} is not an IRI")
            continue
        if kind not in props:
            tab.reject(line, f"unknown Type of Match {kind!r}")
            continue
        missing = "onet" if codes is not None and code not in codes else None
        if missing is None and uris is not None and uri.startswith(ESCO_OCCUPATION) and uri not in uris:
            missing = "esco"
        if missing is not None:
            absent[missing] += 1
            first_absent = first_absent or (line, code if missing == "onet" else uri)
            continue
        forward, backward = props[kind]
        o, e = f"<{occ_prefix}{code}>", f"<{uri}>"
        out.add(o, forward, e)
        out.add(e, backward, o)
        counts[kind] = counts.get(kind, 0) + 1
    for kind, n in sorted(counts.items()):
        report.counts[f"crosswalk {kind}"] = n
    skipped = sum(absent.values())
    if first_absent is not None:
        report.counts["crosswalk rows naming concepts absent from the store"] = skipped
        line, name = first_absent
        message = (
            f"{skipped} row(s) name concepts the store does not hold ({absent['onet']} O*NET "
            f"occupation(s) absent from the onet graph, {absent['esco']} ESCO occupation(s) absent "
            f"from the esco graph; first at line {line}: {name})"
        )
        if not counts:
            raise InputError(
                f"{message}: is this crosswalk for the imported O*NET and ESCO releases? "
                "nothing was imported",
                file=tab.name,
                line=line,
            )
        report.warn(f"{tab.name}: {message}: skipped")
    return sum(counts.values())


def _curated_isco(store: GraphStore, out: NTWriter, report: ImportReport) -> None:
    from ..data.build import CURATED
    from ..namespaces import graph_iri
    from .skill_matching import select

    # Joined here on the codes' text, not in SPARQL: the curated codes are xsd:string literals
    # and ESCO's are plain ones, which RDF 1.1 stores (Oxigraph) equate and rdflib's memory
    # store does not, so a SPARQL join found the links in one store and not the other.
    careers = select(
        store,
        "SELECT ?c ?code WHERE { GRAPH ?cur { ?c a ckg:Career ; ckg:iscoCode ?code } }",
        {"cur": CURATED},
        ("c", "code"),
    )
    groups: dict[str, list[str]] = {}
    for group, code in select(
        store,
        "SELECT ?g ?code WHERE { GRAPH ?esco { ?g a esco:ISCOGroup ; ckg:iscoCode ?code } }",
        {"esco": graph_iri("esco")},
        ("g", "code"),
    ):
        groups.setdefault(code, []).append(group)
    rows = sorted({(career, group) for career, code in careers for group in groups.get(code, ())})
    broad, narrow = iri(str(SKOS.broadMatch)), iri(str(SKOS.narrowMatch))
    for career, group in rows:
        out.add(f"<{career}>", broad, f"<{group}>")
        out.add(f"<{group}>", narrow, f"<{career}>")
    report.counts["curated careers linked to ISCO groups"] = len(rows)

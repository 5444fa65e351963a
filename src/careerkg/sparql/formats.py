"""Results written out: the SPARQL results formats for tables (JSON, XML, CSV, TSV), the RDF
formats for graphs, and cells compacted with the project prefixes for people.

>>> serialize(QueryResult("ASK", boolean=True), "csv").decode().split()
['_askResult', 'true']
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import PREFIXES
from .results import XSD_STRING, Cell, QueryResult

__all__ = ["FORMATS", "GRAPH_FORMATS", "TABLE_FORMATS", "compact", "iter_cells", "serialize"]

#: Result formats for SELECT / ASK: name -> media type.
TABLE_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Result formats for CONSTRUCT / DESCRIBE: name -> media type.
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
FORMATS: dict[str, str] = {**TABLE_FORMATS, **GRAPH_FORMATS}
_OX_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def _n3(cell: Cell) -> str:
    kind, value, lang, datatype = cell
    if kind == "uri":
        return str(ox.NamedNode(value))
    if kind == "bnode":
        return f"_:{value}"
    if lang:
        return str(ox.Literal(value, language=lang))
    if datatype and datatype != XSD_STRING:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


_LOCAL_NAME = re.compile(r"[\w\-.]*")


def compact(cell: Cell | None) -> str:
    """A cell for people: IRIs shortened with the project prefixes, literals as text.

    >>> compact(("uri", "https://w3id.org/careerkg/career/data-scientist", None, None))
    'career:data-scientist'
    """
    if cell is None:
        return ""
    kind, value, lang, _ = cell
    if kind == "uri":
        best = ""
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns) and len(ns) > len(best):
                local = value[len(ns) :]
                if _LOCAL_NAME.fullmatch(local):
                    best = ns
                    chosen = f"{prefix}:{local}"
        return chosen if best else f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    return f"{value}@{lang}" if lang else value


def _json_cell(cell: Cell) -> dict[str, str]:
    kind, value, lang, datatype = cell
    if kind == "literal":
        out = {"type": "literal", "value": value}
        if lang:
            out["xml:lang"] = lang
        elif datatype and datatype != XSD_STRING:
            out["datatype"] = datatype
        return out
    return {"type": kind, "value": value}


def _select_json(result: QueryResult) -> bytes:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode()
    names = result.variables
    bindings = [{names[i]: _json_cell(c) for i, c in enumerate(row) if c is not None} for row in result.rows]
    return json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode("utf-8")


def _select_xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    if result.form == "ASK":
        out.append(f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    out.append("</head>\n<results>\n")
    for row in result.rows:
        out.append("<result>")
        for name, cell in zip(result.variables, row, strict=True):
            if cell is None:
                continue
            kind, value, lang, datatype = cell
            if kind == "uri":
                inner = f"<uri>{xml_escape(value)}</uri>"
            elif kind == "bnode":
                inner = f"<bnode>{xml_escape(value)}</bnode>"
            elif lang:
                inner = f"<literal xml:lang={quoteattr(lang)}>{xml_escape(value)}</literal>"
            elif datatype and datatype != XSD_STRING:
                inner = f"<literal datatype={quoteattr(datatype)}>{xml_escape(value)}</literal>"
            else:
                inner = f"<literal>{xml_escape(value)}</literal>"
            out.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _select_csv(result: QueryResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue().encode("utf-8")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if c is None else (f"_:{c[1]}" if c[0] == "bnode" else c[1]) for c in row])
    return buffer.getvalue().encode("utf-8")


def _select_tsv(result: QueryResult) -> bytes:
    if result.form == "ASK":
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n".encode()
    lines = ["\t".join("?" + v for v in result.variables)]
    lines.extend("\t".join("" if c is None else _n3(c) for c in row) for row in result.rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Serialize ``result`` in ``fmt`` (a key of :data:`FORMATS`).

    SELECT/ASK: json, xml, csv, tsv. CONSTRUCT/DESCRIBE: turtle, jsonld, ntriples, rdfxml.

    >>> serialize(QueryResult("SELECT", ["x"], [(("uri", "urn:x", None, None),)]), "tsv")
    b'?x\\n<urn:x>\\n'
    """
    if result.returns_graph:
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"format {fmt!r} is for SELECT/ASK results; a graph can be: {', '.join(GRAPH_FORMATS)}"
            )
        if fmt == "ntriples":
            return result.ntriples
        triples = list(ox.parse(result.ntriples, format=ox.RdfFormat.N_TRIPLES))
        kwargs = {"prefixes": PREFIXES} if fmt in ("turtle", "rdfxml") else {}
        if fmt == "jsonld":
            kwargs = {"prefixes": PREFIXES}
        try:
            return ox.serialize(triples, format=_OX_GRAPH_FORMATS[fmt], **kwargs) or b""
        except TypeError:
            return ox.serialize(triples, format=_OX_GRAPH_FORMATS[fmt]) or b""
    writers = {"json": _select_json, "xml": _select_xml, "csv": _select_csv, "tsv": _select_tsv}
    if fmt not in writers:
        raise QueryError(
            f"format {fmt!r} is for CONSTRUCT/DESCRIBE results; a table can be: {', '.join(TABLE_FORMATS)}"
        )
    return writers[fmt](result)


def iter_cells(rows: Iterable[tuple[Cell | None, ...]]) -> Iterable[list[str]]:
    """Rows as compact strings for tables.

    >>> list(iter_cells([(("uri", "urn:x", None, None), None)]))
    [['<urn:x>', '']]
    """
    for row in rows:
        yield [compact(c) for c in row]

"""N-Triples terms and the writer every importer streams them into.

Terms are pre-formatted strings (``<iri>``, ``"literal"@en``, ...), written one triple a line by
:class:`NTWriter`; the terms every importer needs (``rdf:type``, SKOS labels, the ``ckg:``
vocabulary as :data:`T`) are formatted once here.

>>> lit_en('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"@en'
>>> slug("C++")
'c%2B%2B'
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib.namespace import RDF, SKOS

from ..namespaces import CKG

__all__ = [
    "ALT",
    "BROADER",
    "CONCEPT",
    "DECIMAL",
    "DEF",
    "NOTATION",
    "PREF",
    "XSD",
    "A",
    "NTWriter",
    "T",
    "decimal",
    "iri",
    "is_iri",
    "lit",
    "lit_en",
    "slug",
    "typed",
]

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
XSD = "http://www.w3.org/2001/XMLSchema#"


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
#: Every term of the careerkg vocabulary by local name: ``T["Career"]``.
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
        """Write the triple ``s p o``."""
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
        """Close the file."""
        self._file.close()

    def __enter__(self) -> NTWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

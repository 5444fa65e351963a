"""Find a career by IRI, id, O*NET-SOC code, or any of its names (case-insensitive).

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> str(kg.resolve("ml engineer"))
'https://w3id.org/careerkg/career/machine-learning-engineer'
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from rdflib import URIRef

from ..data.model import ID_PATTERN, career_iri, onet_occupation_iri
from ..errors import NotFound
from ..namespaces import BASE
from ..store import GraphStore
from ..store.cache import cache_for

__all__ = ["CAREER_LABELS", "CAREER_NAMES", "AmbiguousName", "CareerIndex", "normalize"]

_ONET = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
_CURATED = BASE + "career/"


def normalize(name: str) -> str:
    """Fold case, punctuation and spacing so that 'ML-Engineer ' == 'ml engineer'.

    >>> normalize("  Machine-Learning   ENGINEER ")
    'machine learning engineer'
    """
    return " ".join(re.sub(r"[^\w+#]+", " ", name.casefold()).split())


#: Every (career, preferred or alternative name) pair: the name index here and in the views.
CAREER_NAMES = """
SELECT ?career ?name WHERE {
  ?career a ckg:Career .
  { ?career skos:prefLabel ?name } UNION { ?career skos:altLabel ?name }
}"""

#: Every career with its preferred label and O*NET-SOC code (either unbound where it has none).
CAREER_LABELS = """
SELECT ?career ?label ?code WHERE {
  ?career a ckg:Career .
  OPTIONAL { ?career skos:prefLabel ?label }
  OPTIONAL { ?career ckg:onetCode ?code }
}"""


_SOURCES = (
    ("https://w3id.org/careerkg/onet/", "O*NET"),
    (_CURATED, "curated"),
    ("http://data.europa.eu/esco/", "ESCO"),
)


def _source(iri: str) -> str:
    return next((name for prefix, name in _SOURCES if iri.startswith(prefix)), "other")


class AmbiguousName(NotFound):
    """A name that several careers share equally (none curated, the same kind of name for
    each): ``candidates`` holds ``(label, source, id)`` of each, where ``id`` is what to type
    instead (a curated id, an O*NET-SOC code, else the IRI). A :class:`NotFound` (the name
    does not single out a career), so the CLI exits 1.

    >>> e = AmbiguousName("nurse", [("Nurse", "O*NET", "29-1141.00"), ("nurse", "ESCO", "http://x")])
    >>> print(e)
    'nurse' names 2 careers; give one of these instead:
      Nurse (O*NET) 29-1141.00
      nurse (ESCO) http://x
    """

    def __init__(self, name: str, candidates: list[tuple[str, str, str]]) -> None:
        super().__init__("career", name)
        self.candidates = candidates
        head = f"{name!r} names {len(candidates)} careers; give one of these instead:"
        lines = [f"  {label} ({source}) {ident}" for label, source, ident in candidates]
        self.args = ("\n".join([head, *lines]),)

    def __str__(self) -> str:
        return str(self.args[0])


class CareerIndex:
    """Every career's names, read once from a store.

    A name several careers share resolves to the curated one; failing that, to the one whose
    preferred label it is. When that still leaves several (an O*NET and an ESCO occupation
    with the same title, two occupations sharing an alternative title), :meth:`resolve` raises
    :class:`AmbiguousName` listing them rather than pick one silently.
    """

    # Careers carrying an O*NET-SOC code, and whether they match that occupation exactly.
    _CODES = """
        SELECT ?career ?code ?exact WHERE {
          ?career ckg:onetCode ?code .
          BIND(EXISTS { ?career skos:exactMatch ?occupation .
                        FILTER(STRENDS(STR(?occupation), CONCAT("/onet/occupation/", STR(?code)))) }
               AS ?exact)
        }"""

    def __init__(self, store: GraphStore) -> None:
        self.by_name: dict[str, set[URIRef]] = defaultdict(set)
        self.by_code: dict[str, set[URIRef]] = defaultdict(set)
        self.known: set[URIRef] = set()
        self.exact_code: set[URIRef] = set()
        for career, name in store.select(CAREER_NAMES):
            iri = URIRef(career)
            self.known.add(iri)
            self.by_name[normalize(name)].add(iri)
        for career, code, exact in store.select(self._CODES):
            self.by_code[code].add(URIRef(career))
            if exact == "true":
                self.exact_code.add(URIRef(career))
        #: career -> (preferred label, O*NET-SOC code or "")
        self.labels: dict[URIRef, tuple[str, str]] = {}
        #: normalized preferred label -> careers
        self.by_label: dict[str, set[URIRef]] = defaultdict(set)
        # Preferred labels and O*NET-SOC codes, to tell candidates apart and to name them.
        for career, label, code in store.select(CAREER_LABELS):
            iri = URIRef(career)
            held = self.labels.get(iri)
            if held is None or (not held[0] and label):
                self.labels[iri] = (label or "", code or "")
            if label:
                self.by_label[normalize(label)].add(iri)

    def __repr__(self) -> str:
        return f"<CareerIndex: {len(self.known):,} careers, {len(self.by_name):,} names>"

    #: Bump when the shape of the index changes (it is pickled with the store's views).
    FORMAT = 2

    @classmethod
    def cached(cls, store: GraphStore) -> CareerIndex:
        """The index of ``store`` for its current state, from the store's one cache (in memory,
        else ``<store>/views/``, so a new process does not re-read every name), else built."""
        return cache_for(store).get(f"career-index-f{cls.FORMAT}", lambda: cls(store))

    @staticmethod
    def _best(candidates: set[URIRef]) -> URIRef:
        # Curated careers first, then the shortest IRI, so answers are stable.
        return min(candidates, key=lambda c: (not str(c).startswith(_CURATED), len(str(c)), str(c)))

    def resolve(self, name: str) -> URIRef:
        """The career ``name`` stands for; raises :class:`NotFound` with suggestions."""
        text = name.strip()
        if text.startswith(("http://", "https://", "urn:")) and URIRef(text) in self.known:
            return URIRef(text)
        if ID_PATTERN.match(text) and career_iri(text) in self.known:
            return career_iri(text)
        if _ONET.match(text):
            code = text if "." in text else text + ".00"
            occupation = onet_occupation_iri(code)
            if occupation in self.known:  # the O*NET occupation itself, when imported
                return occupation
            exact = self.by_code.get(code, set()) & self.exact_code
            if exact or code in self.by_code:
                return self._best(exact or self.by_code[code])
        key = normalize(text)
        if key in self.by_name:
            return self._single(name, self.by_name[key], self.by_label.get(key, set()))
        raise NotFound("career", name, self.suggest(key))

    def _single(self, name: str, candidates: set[URIRef], by_label: set[URIRef]) -> URIRef:
        """The one career ``name`` names among ``candidates``: the curated one, else the one
        whose preferred label it is; else :class:`AmbiguousName`."""
        pool = {c for c in candidates if str(c).startswith(_CURATED)} or set(candidates)
        pool = (pool & by_label) or pool
        if len(pool) == 1:
            return next(iter(pool))
        order = {source: i for i, (_, source) in enumerate(sorted(_SOURCES, key=lambda t: t[1] != "curated"))}
        shown = sorted(pool, key=lambda c: (order.get(_source(str(c)), 9), str(c)))
        raise AmbiguousName(name, [self._describe(c) for c in shown])

    def _describe(self, career: URIRef) -> tuple[str, str, str]:
        label, code = self.labels.get(career, ("", ""))
        iri = str(career)
        source = _source(iri)
        if source == "curated":
            ident = iri.removeprefix(_CURATED)
        else:
            ident = code if source == "O*NET" and code else iri
        return (label or iri.rsplit("/", 1)[-1], source, ident)

    def suggest(self, key: str, n: int = 3) -> list[str]:
        """Close names for a miss, best first."""
        names = difflib.get_close_matches(key, list(self.by_name), n=n, cutoff=0.6)
        if not names:
            names = sorted(k for k in self.by_name if key and key in k)[:n]
        return names

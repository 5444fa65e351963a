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

__all__ = ["CareerIndex", "normalize"]

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


class CareerIndex:
    """Every career's names, read once from a store."""

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

    def __repr__(self) -> str:
        return f"<CareerIndex: {len(self.known):,} careers, {len(self.by_name):,} names>"

    @classmethod
    def cached(cls, store: GraphStore) -> CareerIndex:
        """The index of ``store`` for its current state, from the store's one cache (in memory,
        else ``<store>/views/``, so a new process does not re-read every name), else built."""
        return cache_for(store).get("career-index", lambda: cls(store))

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
            return self._best(self.by_name[key])
        raise NotFound("career", name, self.suggest(key))

    def suggest(self, key: str, n: int = 3) -> list[str]:
        """Close names for a miss, best first."""
        names = difflib.get_close_matches(key, list(self.by_name), n=n, cutoff=0.6)
        if not names:
            names = sorted(k for k in self.by_name if key and key in k)[:n]
        return names

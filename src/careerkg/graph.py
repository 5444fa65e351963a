"""``CareerGraph``: the Python API in one object.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("memory")          # builds the curated graph on first use
>>> kg.career("ml engineer").label
'Machine Learning Engineer'
>>> rows = kg.query("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s ckg:specializationOf ?c } GROUP BY ?c",
...                 c=kg.resolve("machine learning engineer"))
>>> int(next(iter(rows))[1])
12
"""

from __future__ import annotations

import logging
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.query import Result
from rdflib.term import Node

from .build import CURATED, BuildReport, build
from .profile import CareerProfile, career_profile
from .resolve import CareerIndex
from .store import GraphStore, open_store

__all__ = ["CareerGraph"]

log = logging.getLogger(__name__)


class CareerGraph:
    """A career knowledge graph living in a store.

    Use :meth:`open` rather than the constructor: it opens the store and builds the curated
    graph when the store does not hold it yet.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._index: CareerIndex | None = None

    @classmethod
    def open(
        cls,
        store: str | Path | GraphStore | None = None,
        *,
        autobuild: bool = True,
        read_only: bool = False,
    ) -> CareerGraph:
        """Open the graph in ``store`` (a store, or a spec for :func:`~careerkg.store.open_store`).

        With ``autobuild`` the curated data is built into the store if it is missing.
        """
        opened = store if isinstance(store, GraphStore) else open_store(store, read_only=read_only)
        kg = cls(opened)
        if autobuild and not read_only and not opened.has_graph(CURATED):
            log.info("the store at %s holds no curated graph yet: building it", opened.location)
            kg.build()
        return kg

    def build(self, data: Path | None = None) -> BuildReport:
        """Validate ``data/`` (or another data folder) and (re)write the curated graph."""
        report = build(self.store, data)
        self.invalidate()
        return report

    def invalidate(self) -> None:
        """Forget cached indexes after the store changed."""
        self._index = None

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset view of the store."""
        return self.store.dataset

    @property
    def index(self) -> CareerIndex:
        """The name index used by :meth:`resolve` (built on first use)."""
        if self._index is None:
            self._index = CareerIndex(self.store)
        return self._index

    def resolve(self, name: str) -> URIRef:
        """The IRI of the career called ``name`` (IRI, id, O*NET code, label or alt label)."""
        return self.index.resolve(name)

    def career(self, name: str) -> CareerProfile:
        """Everything the graph says about one career."""
        return career_profile(self.store, self.resolve(name))

    def query(self, sparql: str, **bindings: Node) -> Result:
        """Run SPARQL over all graphs with the project prefixes; keyword args become bindings."""
        return self.store.query(sparql, bindings)

    def stats(self) -> dict[str, int]:
        """Counts of careers, skills, duties, relations and triples, per named graph too."""
        counts = {}
        queries = {
            "careers": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ckg:Career }",
            "specializations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x ckg:specializationOf ?y }",
            "skills": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ckg:Skill }",
            "duties": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ckg:Duty }",
            "industries": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ckg:Industry }",
            "career-skill links": """SELECT (COUNT(*) AS ?n) WHERE {
                { ?c ckg:essentialSkill ?s } UNION { ?c ckg:optionalSkill ?s } }""",
            "related-career links": "SELECT (COUNT(*) AS ?n) WHERE { ?c ckg:relatedCareer ?s }",
        }
        for name, sparql in queries.items():
            counts[name] = int(next(iter(self.store.query(sparql)))[0])
        counts["triples"] = self.store.count()
        return counts

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> CareerGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""NetworkX views of a store, built fast, cached in memory and on disk.

Three views (see :mod:`careerkg.network.build` for how each is shaped):

- ``career-skill``: the bipartite career–skill graph, edges weighted by importance;
- ``career-career``: explicit career links plus links derived from shared skills;
- ``full``: the typed graph of every IRI-valued triple (large; built on demand, never persisted).

Views are keyed by :meth:`GraphStore.state`, so a write to the store makes them stale. On an
on-disk Oxigraph store they are pickled into ``<store>/views/`` so that a new process loads them
instead of rebuilding them; files from an older state are removed when new ones are written.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> views = Views(kg.store)
>>> G = views.career_skill()
>>> G.nodes["https://w3id.org/careerkg/career/software-engineer"]["kind"]
'career'
>>> views.career_skill() is G                     # cached while the store is unchanged
True
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, StoreError
from ..store import GraphStore
from .names import CAREER_NAMES

if TYPE_CHECKING:
    import networkx as nx


__all__ = ["VIEW_NAMES", "Views", "views_for"]

log = logging.getLogger(__name__)

VIEW_NAMES = ("full", "career-skill", "career-career")
_FORMAT = 1  # bump when the pickled shape changes

_CAREERS = """
SELECT ?c ?label ?code WHERE {
  ?c a ckg:Career .
  OPTIONAL { ?c skos:prefLabel ?label }
  OPTIONAL { ?c ckg:onetCode ?code }
}"""

_SKILLS = """
SELECT ?s ?label ?type WHERE {
  ?s a ckg:Skill .
  OPTIONAL { ?s skos:prefLabel ?label }
  OPTIONAL { ?s ckg:skillType ?type }
}"""

_CAREER_SKILLS = """
SELECT ?c ?k ?s WHERE {
  { ?c ckg:essentialSkill ?s BIND("e" AS ?k) }
  UNION { ?c ckg:optionalSkill ?s BIND("o" AS ?k) }
  UNION { ?c ckg:usesTechnology ?s BIND("t" AS ?k) }
}"""

# Importance of a career-skill pair, from the O*NET importer's qualified ckg:SkillRating nodes
# (importance IM on O*NET's 1-5 scale; see docs/import.md).
_IMPORTANCE = """
SELECT ?c ?s ?w WHERE {
  ?q ckg:importance ?w ; ckg:ratedSkill ?s . ?c ckg:hasSkillRating ?q .
}"""

_LINKS = """
SELECT ?a ?p ?b WHERE {
  VALUES ?p { ckg:relatedCareer ckg:collaboratesWith ckg:specializationOf
              skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch }
  ?a ?p ?b .
}"""

_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s)) } ORDER BY ?s ?p ?o"

_INVERSE = {
    "relatedCareer": "relatedCareer",
    "collaboratesWith": "collaboratesWith",
    "specializationOf": "hasSpecialization",
    "exactMatch": "exactMatch",
    "closeMatch": "closeMatch",
    "broadMatch": "narrowMatch",
    "narrowMatch": "broadMatch",
}


def _triples(store: GraphStore) -> Iterator[tuple[str, str, str, bool]]:
    """Every triple with an IRI subject as ``(s, p, o, o_is_iri)`` strings."""
    raw = getattr(store, "query_raw", None)
    if raw is not None:
        import pyoxigraph as ox

        for s, p, o in raw(_TRIPLES):
            yield s.value, p.value, o.value, isinstance(o, ox.NamedNode)
        return
    from rdflib import URIRef

    for s, p, o in store.query(_TRIPLES):
        yield str(s), str(p), str(o), isinstance(o, URIRef)


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


class RawData:
    """What the career views are built from, read from the store in a handful of queries."""

    def __init__(self, store: GraphStore) -> None:
        self.career_label: dict[str, str] = {}
        self.career_code: dict[str, str] = {}
        for c, label, code in store.select(_CAREERS):
            if label is not None and c not in self.career_label:
                self.career_label[c] = label
            self.career_label.setdefault(c, _local(c))
            if code is not None:
                self.career_code[c] = code
        self.names: list[tuple[str, str]] = list(store.select(CAREER_NAMES))
        self.skill_label: dict[str, str] = {}
        self.skill_type: dict[str, str] = {}
        for s, label, kind in store.select(_SKILLS):
            if label is not None and s not in self.skill_label:
                self.skill_label[s] = label
            self.skill_label.setdefault(s, _local(s))
            if kind is not None:
                self.skill_type[s] = kind
        rank = {"e": 2, "t": 1, "o": 0}
        self.career_skills: dict[str, dict[str, str]] = defaultdict(dict)
        for c, k, s in store.select(_CAREER_SKILLS):
            if c not in self.career_label:
                continue
            self.skill_label.setdefault(s, _local(s))
            held = self.career_skills[c].get(s)
            if held is None or rank[k] > rank[held]:
                self.career_skills[c][s] = k
        self.importance: dict[tuple[str, str], float] = {}
        try:
            for c, s, w in store.select(_IMPORTANCE):
                self.importance[(c, s)] = float(w)
        except (ValueError, TypeError) as e:  # a non-numeric importance is bad data
            raise StoreError(f"non-numeric importance in the store: {e}") from e
        self.links: list[tuple[str, str, str]] = []
        for a, p, b in store.select(_LINKS):
            if a in self.career_label and b in self.career_label and a != b:
                self.links.append((a, _local(p), b))


def edge_weight(kind: str, importance: float | None) -> float:
    """The weight of a career-skill edge in ``[0, 1]``.

    O*NET importance (1-5) is rescaled to ``importance / 5``; without one, an essential skill
    weighs 1.0, a technology 0.75 and an optional skill 0.5.

    >>> edge_weight("e", None), edge_weight("o", None), edge_weight("e", 4.0)
    (1.0, 0.5, 0.8)
    """
    if importance is not None:
        return round(max(0.0, min(importance, 5.0)) / 5.0, 4)
    return {"e": 1.0, "t": 0.75, "o": 0.5}[kind]


class Views:
    """Lazily built, cached NetworkX views of one store.

    Parameters
    ----------
    store : GraphStore
        The store to read.
    cache_dir : Path, optional
        Where pickled views live; default the store's ``cache_dir`` (``<store>/views`` for an
        on-disk Oxigraph store and its in-memory copies), nothing (memory only) otherwise.
    """

    def __init__(self, store: GraphStore, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir if cache_dir is not None else store.cache_dir
        self._state: str | None = None
        self._cache: dict[str, Any] = {}
        self.timings: dict[str, float] = {}

    # -- cache -------------------------------------------------------------------------

    def _check_state(self) -> str:
        state = self.store.state()
        if state != self._state:
            self._cache.clear()
            self._state = state
        return state

    def _file(self, name: str, state: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{name}-v{_FORMAT}-{state}.pickle"

    def _load(self, name: str, state: str) -> Any:
        file = self._file(name, state)
        if file is None or not file.is_file():
            return None
        gc.disable()  # unpickling allocates many small dicts; gc passes double the time
        try:
            with file.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as e:
            log.warning("ignoring unreadable view cache %s: %s", file, e)
            return None
        finally:
            gc.enable()

    def _save(self, name: str, state: str, value: Any) -> None:
        file = self._file(name, state)
        if file is None:
            return
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            for old in file.parent.glob(f"{name}-v*.pickle"):
                if old != file:
                    old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, file)
        except OSError as e:
            log.warning("cannot write the view cache %s: %s", file, e)

    def _get(self, name: str, build: Any, persist: bool = True) -> Any:
        state = self._check_state()
        if name in self._cache:
            return self._cache[name]
        value = self._load(name, state) if persist else None
        if value is None:
            started = time.perf_counter()
            value = build()
            self.timings[name] = time.perf_counter() - started
            log.info("built the %s view in %.2fs", name, self.timings[name])
            if persist:
                self._save(name, state, value)
        self._cache[name] = value
        return value

    def _raw(self) -> RawData:
        return self._get("raw", lambda: RawData(self.store), persist=False)

    # -- views -------------------------------------------------------------------------

    def career_skill(self) -> nx.Graph:
        """The bipartite career–skill view (see :func:`careerkg.network.career_skill_graph`)."""
        from .build import career_skill_graph

        return self._get("career-skill", lambda: career_skill_graph(self._raw()))

    def career_career(self) -> nx.DiGraph:
        """The career–career view (see :func:`careerkg.network.career_career_graph`)."""
        from .build import career_career_graph

        return self._get("career-career", lambda: career_career_graph(self.career_skill()))

    def full(self) -> nx.MultiDiGraph:
        """The full typed graph of the store (every IRI-valued triple); memory-cached only."""
        from .build import typed_graph_from_rows

        return self._get("full", lambda: typed_graph_from_rows(_triples(self.store)), persist=False)

    def view(self, name: str) -> nx.Graph:
        """One view by name: ``full``, ``career-skill`` or ``career-career``."""
        if name == "full":
            return self.full()
        if name == "career-skill":
            return self.career_skill()
        if name == "career-career":
            return self.career_career()
        raise InputError(f"unknown view {name!r}; choose one of {', '.join(VIEW_NAMES)}")

    def is_ready(self, name: str) -> bool:
        """Whether view ``name`` is in memory or on disk for the current state (no rebuild)."""
        state = self._check_state()
        if name in self._cache:
            return True
        file = self._file(name, state)
        return file is not None and file.is_file()

    def clear(self) -> None:
        """Forget the in-memory views (the files stay until the store changes)."""
        self._cache.clear()
        self._state = None


_REGISTRY: dict[int, Views] = {}


def views_for(store: GraphStore) -> Views:
    """The shared :class:`Views` of ``store`` (one per store object in this process)."""
    views = _REGISTRY.get(id(store))
    if views is None or views.store is not store:
        views = Views(store)
        _REGISTRY[id(store)] = views
    return views

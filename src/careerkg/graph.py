"""``CareerGraph``: the Python API in one object.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")          # builds the curated graph on first use
>>> kg.career("ml engineer").label
'Machine Learning Engineer'
>>> rows = kg.query("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s ckg:specializationOf ?c } GROUP BY ?c",
...                 c=kg.resolve("machine learning engineer"))
>>> int(next(iter(rows))[1])
12
"""

from __future__ import annotations

import contextlib
import difflib
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, URIRef
from rdflib.query import Result
from rdflib.term import Node

from .data.build import CURATED, BuildReport, build
from .errors import InputError, NotFound
from .network.names import CareerIndex
from .network.profile import CareerProfile, career_profile
from .store import GraphStore, open_store
from .store.cache import cache_for

if TYPE_CHECKING:
    from .network.traverse import Neighbor, Ranked, SimilarCareer, SkillGap, Transition
    from .network.traverse import Path as CareerPath
    from .network.views import Views
    from .quality.skills import SkillResolver

__all__ = ["SKILL_CONFIDENCE", "CareerGraph", "UnusedSkill"]

log = logging.getLogger(__name__)

#: The least resolver confidence that makes a phrase a known skill: a preferred or alternative
#: label of some source (a label that only names an example product, 0.5, or a TF-IDF neighbour,
#: at most 0.89, is offered as a suggestion instead).
SKILL_CONFIDENCE = 0.9


class UnusedSkill(NotFound):
    """A phrase names a known skill that no career in the graph needs (so it reaches none).

    >>> print(UnusedSkill("quilting", "Quilting"))
    'quilting' is the skill 'Quilting', which no career in the graph needs
    """

    def __init__(self, phrase: str, label: str) -> None:
        super().__init__("skill", phrase)
        self.args = (f"{phrase!r} is the skill {label!r}, which no career in the graph needs",)

    def __str__(self) -> str:
        return str(self.args[0])


class CareerGraph:
    """A career knowledge graph living in a store.

    Use :meth:`open` rather than the constructor: it opens the store and builds the curated
    graph when the store does not hold it yet.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    @classmethod
    def open(
        cls,
        store: str | Path | GraphStore | None = None,
        *,
        autobuild: bool = True,
        read_only: bool = False,
        in_memory: bool = False,
        read_only_if_busy: bool | None = None,
        while_building: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> CareerGraph:
        """Open the graph in ``store`` (a store, or a spec for :func:`~careerkg.store.open_store`).

        With ``autobuild`` the curated data is built into the store if it is missing (then
        :attr:`built` holds the report; ``while_building()`` is entered around the build, for
        a progress display). With ``in_memory`` the graph answers from a read-only in-memory
        copy of the store (:func:`careerkg.store.replica.memory_replica`): lookups run two to
        four times faster, at the cost of RAM and a few seconds to load a large graph; changes
        need a new copy. ``read_only_if_busy`` (default: ``in_memory``) opens a store that
        another process holds (a running ``careerkg serve``) read-only instead of failing.

        >>> # kg = CareerGraph.open(in_memory=True)   # the default store, copied into memory
        """
        given = isinstance(store, GraphStore)
        if read_only_if_busy is None:
            read_only_if_busy = in_memory  # a store held elsewhere can still be copied
        opened = (
            store if given else open_store(store, read_only=read_only, read_only_if_busy=read_only_if_busy)
        )
        read_only = read_only or getattr(opened, "read_only", False)
        kg = cls(opened)
        if autobuild and not read_only and not opened.has_graph(CURATED):
            log.info("the store at %s holds no curated graph yet: building it", opened.location)
            with while_building() if while_building is not None else contextlib.nullcontext():
                kg.built = kg.build()
        if in_memory:
            from .store.replica import memory_replica

            copy = memory_replica(opened)
            if not given:  # a store the caller passed in stays theirs to close
                opened.close()
            built, kg = kg.built, cls(copy)
            kg.built = built
        return kg

    #: The report of the build :meth:`open` made, when it had to build the curated graph.
    built: BuildReport | None = None

    def build(self, data: Path | None = None) -> BuildReport:
        """Validate ``data/`` (or another data folder) and (re)write the curated graph."""
        report = build(self.store, data)
        return report

    def import_source(self, kind: str, path_or_url: str | Path, *, progress: bool = False):
        """Import O*NET, ESCO or the crosswalk (see :func:`careerkg.imports.import_source`)."""
        from .imports import import_source

        report = import_source(self.store, kind, path_or_url, progress=progress)
        return report

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset view of the store."""
        return self.store.dataset

    @property
    def index(self) -> CareerIndex:
        """The one name index (:class:`~careerkg.network.names.CareerIndex`) of the store's
        current state, used by :meth:`resolve` and so by every method that takes a name."""
        return CareerIndex.cached(self.store)

    def resolve(self, name: str) -> URIRef:
        """The IRI of the career called ``name`` (IRI, id, O*NET code, label or alt label)."""
        return self.index.resolve(name)

    def career(self, name: str) -> CareerProfile:
        """Everything the graph says about one career."""
        return career_profile(self.store, self.resolve(name))

    def query(self, sparql: str, **bindings: Node) -> Result:
        """Run SPARQL over all graphs with the project prefixes; keyword args become bindings."""
        return self.store.query(sparql, bindings)

    def visualize(
        self,
        name: str | None = None,
        *,
        depth: int = 1,
        kinds: list[str] | None = None,
        to: str | None = None,
        limit: int | None = None,
    ):
        """An interactive, offline view (:class:`careerkg.web.viz.GraphView`): displays inline in
        Jupyter, ``.save(path)`` writes the HTML page.

        ``name`` alone: the career's neighbourhood within ``depth`` hops (``kinds`` filters node
        kinds); with ``to``: the path between the two careers and the skill gap; no name: all
        careers and their links.
        """
        from .web import viz

        limit = viz.DEFAULT_LIMIT if limit is None else limit
        if name is None:
            return viz.careers_view(self.store, limit=limit)
        source = self.resolve(name)
        if to is not None:
            return viz.path_view(self.store, source, self.resolve(to))
        return viz.neighbourhood_view(self.store, source, depth=depth, kinds=kinds, limit=limit)

    def stats(self) -> dict[str, int]:
        """Counts of careers, skills, duties, relations and triples.

        Counted once per store state and kept with the store's other derived data
        (:mod:`careerkg.store.cache`), so asking again, from any process, reads them.
        """
        return dict(cache_for(self.store).get("stats", self._count))

    def graph_sizes(self) -> dict[str, int]:
        """Triples in each named graph (IRI -> count), kept like :meth:`stats`."""
        store = self.store

        def sizes() -> dict[str, int]:
            return {str(g): store.count(g) for g in store.graphs()}

        return dict(cache_for(store).get("graph-sizes", sizes))

    def _count(self) -> dict[str, int]:
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

    # -- traversal (see careerkg.network.traverse; views are cached per store state) --------------

    @property
    def views(self) -> Views:
        """The NetworkX views of this store (:class:`careerkg.network.views.Views`)."""
        from .network.views import views_for

        return views_for(self.store)

    def _node(self, name: str) -> str:
        return str(self.resolve(name))

    def related(self, career: str, depth: int = 1, kinds: Sequence[str] | None = None) -> list[Neighbor]:
        """Careers linked to ``career`` (see :func:`careerkg.network.traverse.related`)."""
        from .network.traverse import related

        return related(self.views.career_career(), self._node(career), depth, kinds)

    def similar(self, career: str, k: int = 10) -> list[SimilarCareer]:
        """Careers with the most similar skills (see :func:`careerkg.network.traverse.similar`)."""
        from .network.traverse import similar

        return similar(self.views.career_skill(), self._node(career), k)

    def skill_gap(self, source: str, target: str) -> SkillGap:
        """Skills to learn and skills that transfer (see :func:`careerkg.network.traverse.skill_gap`)."""
        from .network.traverse import skill_gap

        return skill_gap(self.views.career_skill(), self._node(source), self._node(target))

    def paths(self, source: str, target: str, k: int = 3) -> list[CareerPath]:
        """The ``k`` cheapest transition paths (see :func:`careerkg.network.traverse.paths`)."""
        from .network.traverse import paths

        views = self.views
        return paths(
            views.career_career(), self._node(source), self._node(target), k, skills=views.career_skill()
        )

    def transitions(
        self, career: str | None = None, skills: Sequence[str] = (), k: int = 10
    ) -> list[Transition]:
        """Careers most reachable from a skill set (see :func:`careerkg.network.traverse.transitions`).

        Each of ``skills`` is free text, resolved by :meth:`resolve_skill` to canonical skills
        (one skill space across curated, O*NET and ESCO); an unknown phrase raises
        :class:`~careerkg.errors.NotFound` with close names.

        >>> kg = CareerGraph.open("oxigraph-memory")
        >>> [t.coverage > 0 for t in kg.transitions(skills=["torch", "python"], k=2)]
        [True, True]
        """
        from .network.traverse import transitions

        node = self._node(career) if career is not None else None
        nodes = [n for phrase in skills for n in self.resolve_skill(phrase)]
        return transitions(self.views.career_skill(), node, skills=list(dict.fromkeys(nodes)), k=k)

    def resolve_skill(self, phrase: str) -> list[str]:
        """The canonical skills (nodes of the career-skill view) that free text ``phrase`` names.

        An exact name of a skill in the view (its id, label or a member's label) is taken as
        it is; anything else goes through :class:`~careerkg.quality.skills.SkillResolver`,
        which reads every source's preferred and alternative labels and groups skills into
        canonical skills. A phrase counts as known when it is a preferred or alternative label
        (confidence >= :data:`SKILL_CONFIDENCE`); when it names several canonical skills
        equally, all of them are returned. Otherwise :class:`~careerkg.errors.NotFound` names
        the closest labels; a known skill that no career needs raises :class:`UnusedSkill`.

        >>> kg = CareerGraph.open("oxigraph-memory")
        >>> kg.resolve_skill("torch")              # a curated alias of PyTorch
        ['https://w3id.org/careerkg/skill/pytorch']
        """
        from .network.names import normalize
        from .network.traverse import find_skill

        G = self.views.career_skill()
        try:
            return [find_skill(G, phrase)]
        except NotFound:
            pass
        found = self._skill_resolver().resolve(phrase, k=10)
        known = [r for r in found if r.confidence >= SKILL_CONFIDENCE]
        if not known:
            close = [r.label for r in found[:3]] or difflib.get_close_matches(
                normalize(phrase), list(self._skill_resolver().by_label), n=3, cutoff=0.6
            )
            raise NotFound("skill", phrase, close)
        canonical = G.graph.get("canonical", {})
        best = known[0].confidence
        nodes = [
            next((canonical.get(m, m) for _, m, _ in r.members if canonical.get(m, m) in G), None)
            for r in known
            if r.confidence == best
        ]
        if not any(nodes):
            raise UnusedSkill(phrase, known[0].label)
        return list(dict.fromkeys(n for n in nodes if n is not None))

    def _skill_resolver(self) -> SkillResolver:
        from .quality.skills import SkillResolver

        store = self.store
        # Kept with the store's views (18 MB on the full store): building it reads every skill
        # label (~3 s there); reading it back takes well under one. "-r1": the class's format.
        return cache_for(store).get("skill-resolver-r1", lambda: SkillResolver(store))

    def bridges(self, k: int = 10) -> list[Ranked]:
        """Careers that connect the graph most (see :func:`careerkg.network.traverse.bridges`).

        The whole ranking is computed once per store state and kept with the views."""
        from .network.traverse import bridges

        return self._ranking("bridges", self.views.career_career, bridges, k)

    def central_skills(self, k: int = 10) -> list[Ranked]:
        """Skills shared by the most careers (see :func:`careerkg.network.traverse.central_skills`).

        The whole ranking is computed once per store state and kept with the views."""
        from .network.traverse import central_skills

        return self._ranking("central-skills", self.views.career_skill, central_skills, k)

    def _ranking(
        self, name: str, view: Callable[[], Any], rank: Callable[..., list[Ranked]], k: int
    ) -> list[Ranked]:
        if k < 1:
            raise InputError(f"must be at least 1, not {k}", parameter="k")

        def whole() -> list[Ranked]:
            graph = view()
            return rank(graph, k=max(1, graph.number_of_nodes()))

        from .network.views import entry  # named with the views' format, as it is built from them

        return cache_for(self.store).get(entry(name), whole)[:k]

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> CareerGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

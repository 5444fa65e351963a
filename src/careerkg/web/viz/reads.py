"""What the views read from the store: node labels and kinds, the relations around nodes, careers.

The relations around nodes come from :class:`LinkIndex`: every drawn relation of the store
(:data:`~careerkg.web.viz.vocab.RELATIONS`) as compressed adjacency arrays, with each node's
label and kind, built in a handful of whole-store queries once per store state and kept in the
store's one cache (:func:`careerkg.store.cache.cache_for`: in memory, and pickled under
``<store>/views`` for an on-disk store), so a neighbourhood costs no query per node. Node
details (definitions) are one SPARQL query per :data:`CHUNK` nodes of the finished view (IRIs
are checked or come from the store, so they are safe to write as ``<iri>``).

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> mle = "https://w3id.org/careerkg/career/machine-learning-engineer"
>>> node_info(kg.store, [mle])[mle]["kind"]
'career'
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ...namespaces import CKG
from ...store import GraphStore
from ...store.cache import cache_for
from .vocab import RELATIONS

__all__ = [
    "CAREER_LINKS",
    "CHUNK",
    "LinkIndex",
    "career_iris",
    "career_links",
    "edges_around",
    "link_index",
    "local_name",
    "node_info",
]

#: Nodes per query.
CHUNK = 400

#: The career-to-career relations of a view of all careers.
CAREER_LINKS = ("relatedCareer", "collaboratesWith", "specializationOf")

_CKG = str(CKG._NS)
_SKILL_CLASSES = {_CKG + c for c in ("Technology", "Knowledge", "Competence")}


def _chunks(iris: Sequence[str]) -> Iterator[str]:
    """``iris`` as SPARQL ``VALUES`` bodies of at most :data:`CHUNK` IRIs."""
    for start in range(0, len(iris), CHUNK):
        yield " ".join(f"<{i}>" for i in iris[start : start + CHUNK])


def _relation_values(relations: Iterable[str]) -> str:
    return " ".join(f"ckg:{r}" for r in relations)


def local_name(iri: str) -> str:
    """The last segment of ``iri``: the label of a node that has none.

    >>> local_name("https://w3id.org/careerkg/skill/python/")
    'python'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def edges_around(store: GraphStore, iris: Sequence[str]) -> list[tuple[str, str, str]]:
    """Every drawn relation (:data:`~careerkg.web.viz.vocab.RELATIONS`) into or out of ``iris``,
    as ``(subject, relation local name, object)`` between IRIs (from :func:`link_index`)."""
    return link_index(store).around(iris)


#: Node kinds in the order of the index's one-byte kind codes.
_KIND_CODES = (
    "other",
    "career",
    "duty",
    "industry",
    "setting",
    "technology",
    "knowledge",
    "competence",
    "skill",
)
_INDEX_CLASSES = (
    "Career",
    "Duty",
    "Industry",
    "WorkSetting",
    "Technology",
    "Knowledge",
    "Competence",
    "Skill",
)


class LinkIndex:
    """Every drawn relation of a store as compressed sparse rows (both directions), and each
    linked node's English label and kind: what a neighbourhood view walks.

    ``nodes[i]`` is an IRI; the out-edges of node ``i`` are ``out_node[out_start[i]:out_start[i+1]]``
    with relations ``out_rel[...]`` (indexes into ``relations``), and likewise ``in_*``.
    Built by :func:`link_index`, which keeps it in the store's cache.
    """

    def __init__(self, store: GraphStore) -> None:
        relations = tuple(RELATIONS)
        rel_of = {_CKG + r: i for i, r in enumerate(relations)}
        index: dict[str, int] = {}
        triples: set[tuple[int, int, int]] = set()
        rows = store.select(
            f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_relation_values(relations)} }}
            ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) }}"""
        )
        for s, p, o in rows:
            a = index.setdefault(s, len(index))
            b = index.setdefault(o, len(index))
            triples.add((a, rel_of[p], b))
        nodes = list(index)
        types: dict[int, set[str]] = {}
        for x, t in store.select(
            f"SELECT ?x ?t WHERE {{ VALUES ?t {{ {_relation_values(_INDEX_CLASSES)} }} ?x a ?t }}"
        ):
            i = index.get(x)
            if i is not None:
                types.setdefault(i, set()).add(t)
        stype: dict[int, str] = {}
        for x, st in store.select("SELECT ?x ?st WHERE { ?x ckg:skillType ?st }"):
            i = index.get(x)
            if i is not None:
                stype.setdefault(i, st)
        labels: list[str | None] = [None] * len(nodes)
        for x, label in store.select(
            """SELECT ?x ?l WHERE { ?x skos:prefLabel ?l
            FILTER(lang(?l) = "" || langMatches(lang(?l), "en")) }"""
        ):
            i = index.get(x)
            if i is not None and labels[i] is None:
                labels[i] = label
        self.nodes = nodes
        self.relations = relations
        self.labels = [label or local_name(x) for label, x in zip(labels, nodes, strict=True)]
        code = {k: i for i, k in enumerate(_KIND_CODES)}
        self.kinds = bytes(code[_kind(types.get(i, set()), stype.get(i))] for i in range(len(nodes)))
        self.out_start, self.out_node, self.out_rel = _csr(len(nodes), sorted(triples))
        self.in_start, self.in_node, self.in_rel = _csr(len(nodes), sorted((b, r, a) for a, r, b in triples))
        self._index: dict[str, int] | None = index

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_index"] = None  # rebuilt on load: cheaper than unpickling a dict
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def index(self) -> dict[str, int]:
        """IRI -> position in :attr:`nodes`."""
        if self._index is None:
            self._index = {x: i for i, x in enumerate(self.nodes)}
        return self._index

    def info(self, iri: str) -> dict[str, Any] | None:
        """``label`` and ``kind`` of a linked node (None for a node with no drawn relation)."""
        i = self.index.get(iri)
        if i is None:
            return None
        return {"label": self.labels[i], "definition": None, "kind": _KIND_CODES[self.kinds[i]]}

    def around(self, iris: Iterable[str]) -> list[tuple[str, str, str]]:
        """Every relation into or out of ``iris``, as ``(subject, relation, object)``."""
        index, nodes, rels = self.index, self.nodes, self.relations
        found: list[tuple[str, str, str]] = []
        for x in dict.fromkeys(iris):
            i = index.get(x)
            if i is None:
                continue
            for k in range(self.out_start[i], self.out_start[i + 1]):
                found.append((x, rels[self.out_rel[k]], nodes[self.out_node[k]]))
            for k in range(self.in_start[i], self.in_start[i + 1]):
                found.append((nodes[self.in_node[k]], rels[self.in_rel[k]], x))
        return found


def _csr(n: int, rows: Sequence[tuple[int, int, int]]) -> tuple[array, array, array]:
    """Compressed rows of sorted ``(from, relation, to)`` triples over ``n`` nodes."""
    start = array("l", [0]) * (n + 1)
    for a, _, _ in rows:
        start[a + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    return start, array("l", (b for _, _, b in rows)), array("b", (r for _, r, _ in rows))


def link_index(store: GraphStore) -> LinkIndex:
    """The :class:`LinkIndex` of ``store``'s current state, from its cache (built once)."""
    return cache_for(store).get("viz-links", lambda: LinkIndex(store))


def _kind(types: set[str], skill_type: str | None) -> str:
    """A node's kind (a key of :data:`~careerkg.web.viz.vocab.KINDS`) from its classes."""
    if _CKG + "Career" in types:
        return "career"
    if _CKG + "Duty" in types:
        return "duty"
    if _CKG + "Industry" in types:
        return "industry"
    if _CKG + "WorkSetting" in types:
        return "setting"
    if skill_type in ("technology", "knowledge", "competence"):
        return skill_type
    named = sorted(types & _SKILL_CLASSES)
    if named:
        return named[0].rsplit("#", 1)[-1].lower()
    if _CKG + "Skill" in types:
        return "skill"
    return "other"


def node_info(store: GraphStore, iris: Sequence[str]) -> dict[str, dict[str, Any]]:
    """For each of ``iris`` found in the store: its English ``label`` (or :func:`local_name`),
    ``definition`` (or ``None``), ``kind`` and ``parent`` (the career it specializes, or ``None``).

    A node with no triples at all is missing from the answer.
    """
    info: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(iris):
        sparql = f"""SELECT ?x (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types)
              (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?def) (SAMPLE(?st) AS ?stype)
              (SAMPLE(?par) AS ?parent) WHERE {{
            VALUES ?x {{ {chunk} }}
            OPTIONAL {{ ?x a ?t }}
            OPTIONAL {{ ?x skos:prefLabel ?l FILTER(lang(?l) = "" || langMatches(lang(?l), "en")) }}
            OPTIONAL {{ ?x skos:definition ?d FILTER(lang(?d) = "" || langMatches(lang(?d), "en")) }}
            OPTIONAL {{ ?x ckg:skillType ?st }}
            OPTIONAL {{ ?x ckg:specializationOf ?par }}
        }} GROUP BY ?x"""
        for x, types, label, definition, stype, parent in store.select(sparql):
            info[x] = {
                "label": label or local_name(x),
                "definition": definition,
                "kind": _kind(set((types or "").split()), stype),
                "parent": parent,
            }
    return info


def career_iris(store: GraphStore) -> list[str]:
    """Every career in the store."""
    return [r[0] for r in store.select("SELECT DISTINCT ?c WHERE { ?c a ckg:Career }")]


def career_links(store: GraphStore) -> list[tuple[str, str, str]]:
    """Every :data:`CAREER_LINKS` triple, as ``(career, relation local name, career)``."""
    rows = store.select(
        f"""SELECT ?a ?p ?b WHERE {{
        VALUES ?p {{ {_relation_values(CAREER_LINKS)} }} ?a ?p ?b }}""",
    )
    return [(a, p.rsplit("#", 1)[-1], b) for a, p, b in rows]

"""Match skills that are the same thing across sources (curated, O*NET, ESCO) by their labels.

Labels are normalised (:func:`normalise`): Unicode NFKC, case-folded, ``&`` read as ``and``,
punctuation other than ``+`` and ``#`` (C++, C#) dropped, whitespace collapsed. For each pair of
sources (curated-O*NET, curated-ESCO, O*NET-ESCO), a skill is matched to the skills of the other
source by the first rule that finds something:

==========  ==========================================================  ==========  ===============
confidence  rule (method)                                               min length  link
==========  ==========================================================  ==========  ===============
1.0         same normalised preferred label (``same-label``)            1           skos:exactMatch
0.9         same preferred label once a trailing parenthetical           2           skos:exactMatch
            qualifier is dropped, e.g. "Python" and "Python (computer
            programming)" (``label-without-qualifier``)
0.6         a preferred label of one equals an alternative label of     3           skos:closeMatch
            the other, naming exactly one skill (``alternative-label``)
==========  ==========================================================  ==========  ===============

A label that names more than :data:`MAX_CANDIDATES` skills of the other source is ambiguous and
matches nothing. Each match is written as the plain SKOS link in both directions plus a
qualified ``ckg:SkillMatch`` node with ``ckg:matchConfidence`` and ``ckg:matchMethod``.

>>> normalise("Python (computer programming)"), core("python (computer programming)")
('python (computer programming)', 'python')
>>> normalise("C++ & C#")
'c++ and c#'
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib.namespace import RDF, SKOS

from ..data.model import skill_match_iri
from ..namespaces import CKG
from ..store import GraphStore, OxigraphStore
from .terms import NTWriter, decimal, iri, lit

__all__ = [
    "MAX_CANDIDATES",
    "SkillIndex",
    "SkillMatch",
    "core",
    "match_skills",
    "normalise",
    "skill_index",
    "write_matches",
]

MAX_CANDIDATES = 3
SOURCES = ("curated", "onet", "esco")
_PUNCT = re.compile(r"[^\w\s+#()]")
_SPACE = re.compile(r"\s+")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


def normalise(label: str) -> str:
    """The form labels are compared in."""
    text = unicodedata.normalize("NFKC", label).casefold().replace("&", " and ")
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def core(normalised: str) -> str:
    """A normalised label without its trailing parenthetical qualifier."""
    return _QUALIFIER.sub("", normalised).strip()


@dataclass(frozen=True, order=True)
class SkillMatch:
    """Two skills of different sources found to be the same thing."""

    a: str
    b: str
    confidence: float
    method: str


def select(
    store: GraphStore,
    sparql: str,
    graphs: Mapping[str, object] | None = None,
    columns: tuple[str, ...] = (),
) -> list[tuple[str, ...]]:
    """Rows of a SELECT as tuples of strings; ``graphs`` names ``GRAPH ?var`` IRIs to use.

    The graph IRIs are careerkg's own (never user input); they are written into the query
    text because Oxigraph only substitutes variables that are projected.
    """
    for name, value in (graphs or {}).items():
        sparql = sparql.replace(f"?{name} ", f"<{value}> ")
    if isinstance(store, OxigraphStore):
        # Serialising to SPARQL CSV in Rust and splitting with the csv module is ~2x faster
        # than touching every solution object; CSV gives IRIs and literals' lexical forms, and
        # "" for unbound, which is what the rows below hold too.
        import pyoxigraph as ox

        result = store.query_raw(sparql)
        data = result.serialize(format=ox.QueryResultsFormat.CSV)  # type: ignore[union-attr]
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        header = next(reader, [])
        picks = [header.index(c) for c in columns]
        return [tuple(row[i] for i in picks) for row in reader if row]
    return [tuple(str(row[c]) if row[c] is not None else "" for c in columns) for row in store.query(sparql)]


def _labels(store: GraphStore, source: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    from ..namespaces import graph_iri

    g = {"g": graph_iri(source)}
    prefs = select(
        store, "SELECT ?s ?l WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:prefLabel ?l } }", g, ("s", "l")
    )
    alts = select(
        store, "SELECT ?s ?l WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:altLabel ?l } }", g, ("s", "l")
    )
    pref: dict[str, str] = {}
    for s, label in prefs:
        pref.setdefault(s, label)
    return pref, alts


class SkillIndex:
    """The normalised preferred and alternative labels of one source's skills."""

    def __init__(self, pref: dict[str, str], alts: Iterable[tuple[str, str]]) -> None:
        self.pref = {s: normalise(label) for s, label in pref.items()}
        self.by_pref: dict[str, set[str]] = defaultdict(set)
        self.by_core: dict[str, set[str]] = defaultdict(set)
        self.by_alt: dict[str, set[str]] = defaultdict(set)
        self.alts: dict[str, set[str]] = defaultdict(set)
        for s, key in self.pref.items():
            self.by_pref[key].add(s)
            self.by_core[core(key)].add(s)
        for s, label in alts:
            key = normalise(label)
            if key and key != self.pref.get(s):
                self.by_alt[key].add(s)
                self.alts[s].add(key)


def _pair(left: SkillIndex, right: SkillIndex) -> list[SkillMatch]:
    found: list[SkillMatch] = []
    for s, key in left.pref.items():
        if not key:
            continue
        hits = right.by_pref.get(key, set())
        method, confidence = "same-label", 1.0
        if not hits and len(core(key)) >= 2:
            hits = right.by_core.get(core(key), set())
            method, confidence = "label-without-qualifier", 0.9
        if not hits:
            alt_hits: set[str] = set()
            if len(key) >= 3:
                alt_hits |= right.by_alt.get(key, set())
            for alt in left.alts.get(s, ()):
                if len(alt) >= 3:
                    alt_hits |= right.by_pref.get(alt, set())
            hits, method, confidence = alt_hits, "alternative-label", 0.6
            if len(hits) > 1:
                continue
        if 0 < len(hits) <= MAX_CANDIDATES:
            found.extend(SkillMatch(s, t, confidence, method) for t in sorted(hits))
    return found


def skill_index(store: GraphStore, source: str) -> SkillIndex:
    """The label index of the skills in ``source``'s named graph (``curated``, ``onet``, ...)."""
    return SkillIndex(*_labels(store, source))


def match_skills(store: GraphStore, indexes: Mapping[str, SkillIndex] | None = None) -> list[SkillMatch]:
    """Every cross-source skill match between the graphs present in ``store``.

    ``indexes`` may hold :func:`skill_index` results computed earlier (an importer builds them
    while another graph loads); they must describe the graphs as they are in ``store`` now.
    """
    from ..namespaces import graph_iri

    present = [s for s in SOURCES if store.has_graph(graph_iri(s))]
    given = dict(indexes or {})
    indexes = {s: given[s] if s in given else skill_index(store, s) for s in present}
    best: dict[tuple[str, str], SkillMatch] = {}
    for i, a in enumerate(present):
        for b in present[i + 1 :]:
            for match in _pair(indexes[a], indexes[b]) + [
                SkillMatch(m.b, m.a, m.confidence, m.method) for m in _pair(indexes[b], indexes[a])
            ]:
                key = (match.a, match.b)
                if key not in best or best[key].confidence < match.confidence:
                    best[key] = match
    return sorted(best.values())


def write_matches(matches: Iterable[SkillMatch], out: NTWriter) -> None:
    """Write each match as SKOS links both ways and a qualified ``ckg:SkillMatch`` node."""
    a_type, cls = iri(str(RDF.type)), iri(str(CKG.SkillMatch))
    matched, conf, method = (
        iri(str(CKG.matchedSkill)),
        iri(str(CKG.matchConfidence)),
        iri(str(CKG.matchMethod)),
    )
    exact, close = iri(str(SKOS.exactMatch)), iri(str(SKOS.closeMatch))
    for m in matches:
        s, o = f"<{m.a}>", f"<{m.b}>"
        link = exact if m.confidence >= 0.9 else close
        out.add(s, link, o)
        out.add(o, link, s)
        digest = hashlib.sha1(f"{m.a} {m.b}".encode()).hexdigest()[:16]
        node = iri(str(skill_match_iri(digest)))
        out.add(node, a_type, cls)
        out.add(node, matched, s)
        out.add(node, matched, o)
        out.add(node, conf, decimal(f"{m.confidence:.1f}"))
        out.add(node, method, lit(m.method))

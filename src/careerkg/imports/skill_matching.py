"""Match skills that are the same thing across sources (curated, O*NET, ESCO) by their labels.

Labels are normalised (:func:`normalise`): Unicode NFKC, case-folded, ``&`` read as ``and``,
punctuation other than ``+`` and ``#`` (C++, C#) dropped, whitespace collapsed. For each pair of
sources (curated-O*NET, curated-ESCO, O*NET-ESCO), a skill is matched to the skills of the other
source by the first rule that finds something:

==========  ==========================================================  ==========  ================
confidence  rule (method)                                               min length  link
==========  ==========================================================  ==========  ================
1.0         same normalised preferred label (``same-label``)            1           skos:exactMatch
0.9         same preferred label once a trailing parenthetical           2           skos:exactMatch
            qualifier is dropped, e.g. "Python" and "Python (computer
            programming)" (``label-without-qualifier``)
0.8         a preferred label of one equals a curated alias of the      3           skos:closeMatch
            other (``curated-alias``: curated aliases are reviewed
            synonyms), or an alternative label of a named product, e.g.
            ESCO "SQL Server" (alt "Microsoft SQL Server")
            (``product-alias``)
0.8         ... or an alternative label of a generic skill whose preferred label has the same
            content words, cut to five letters, e.g. "listen actively" (alt "active
            listening") and "Active listening" (``same-words``)
0.6         a preferred label of one equals another alternative label   3           skos:relatedMatch
            of the other (``alternative-label``: ESCO alternative
            labels mix synonyms with broader, narrower and related
            terms)
==========  ==========================================================  ==========  ================

Traversal uses the links of confidence >= :data:`TRAVERSAL_CONFIDENCE` (``exactMatch`` and
``closeMatch``); a ``relatedMatch`` is kept for people and queries, and ignored by traversal.

Not a match at all:

- an alternative label that names more than one skill of its own source, or a label that names
  more than :data:`MAX_CANDIDATES` skills of the other source (ambiguous);
- an *example product*: an alternative label of a generic skill (its preferred label has no
  capital letter, ESCO's convention for common nouns) that names a product, e.g. ESCO "use
  spreadsheets software" lists "Google Sheets" and "computer vision" lists "tensorflow". The
  alternative label is taken for a product when it has a capital letter, or when the skill it
  equals is a technology and the two preferred labels share no content word.

Each match is written as the SKOS link in both directions plus a qualified ``ckg:SkillMatch``
node with ``ckg:matchConfidence`` and ``ckg:matchMethod``. docs/quality.md measures the rules
against a labelled sample (tests/data/skill_pairs.csv).

>>> normalise("Python (computer programming)"), core("python (computer programming)")
('python (computer programming)', 'python')
>>> normalise("C++ & C#")
'c++ and c#'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib.namespace import RDF, SKOS

from ..data.model import skill_match_iri
from ..namespaces import CKG
from ..store import GraphStore
from .terms import NTWriter, decimal, iri, lit

__all__ = [
    "MAX_CANDIDATES",
    "TRAVERSAL_CONFIDENCE",
    "SkillIndex",
    "SkillMatch",
    "core",
    "match_skills",
    "normalise",
    "skill_index",
    "write_matches",
]

MAX_CANDIDATES = 3
#: Matches at or above this confidence are exactMatch/closeMatch, which traversal follows.
TRAVERSAL_CONFIDENCE = 0.8
#: Words that say what kind of thing a skill is, not what it is about.
_GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "to",
        "with",
        "use",
        "using",
        "software",
        "tool",
        "tools",
        "system",
        "systems",
        "application",
        "applications",
        "program",
        "programs",
        "programme",
        "technology",
        "technologies",
    ]
)
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
    return store.select_table(sparql, columns)


def _labels(
    store: GraphStore, source: str
) -> tuple[dict[str, str], list[tuple[str, str]], dict[str, str], str]:
    from ..namespaces import graph_iri

    g = {"g": graph_iri(source)}
    prefs = select(
        store,
        "SELECT ?s ?l ?t WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:prefLabel ?l "
        "OPTIONAL { ?s ckg:skillType ?t } } }",
        g,
        ("s", "l", "t"),
    )
    alts = select(
        store, "SELECT ?s ?l WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:altLabel ?l } }", g, ("s", "l")
    )
    pref: dict[str, str] = {}
    types: dict[str, str] = {}
    for s, label, kind in prefs:
        pref.setdefault(s, label)
        if kind:
            types.setdefault(s, kind)
    return pref, alts, types, source


def _words(normalised: str) -> set[str]:
    return {w for w in core(normalised).split() if w not in _GENERIC_WORDS}


def _stems(normalised: str) -> frozenset[str]:
    """Content words cut to five letters: "listen actively" and "active listening" agree."""
    return frozenset(w[:5] for w in _words(normalised))


def _capitalised(label: str) -> bool:
    """Whether a label has a capital letter (ESCO writes common nouns in lower case)."""
    return any(ch.isupper() for ch in label)


def _named(label: str) -> bool:
    """Whether a preferred label names a product: a word in mixed case ("SQL Server", "iOS"),
    or only upper-case words ("DB2", "SAP R3"); an acronym among common words ("tools for ICT
    test automation") does not make a name."""
    words = [w for w in label.split() if any(ch.isalpha() for ch in w)]
    mixed = any(any(c.isupper() for c in w) and any(c.islower() for c in w) for w in words)
    return mixed or (bool(words) and not any(any(c.islower() for c in w) for w in words))


class SkillIndex:
    """The normalised preferred and alternative labels of one source's skills.

    ``types`` maps a skill to its ``ckg:skillType`` (``technology`` marks products); ``source``
    names the source (``curated`` aliases are reviewed synonyms, others are not).
    """

    def __init__(
        self,
        pref: dict[str, str],
        alts: Iterable[tuple[str, str]],
        types: Mapping[str, str] | None = None,
        source: str = "",
    ) -> None:
        self.source = source
        self.raw = dict(pref)
        self.types = dict(types or {})
        self.pref = {s: normalise(label) for s, label in pref.items()}
        self.by_pref: dict[str, set[str]] = defaultdict(set)
        self.by_core: dict[str, set[str]] = defaultdict(set)
        self.by_alt: dict[str, set[str]] = defaultdict(set)
        self.alts: dict[str, set[str]] = defaultdict(set)
        self.raw_alts: dict[tuple[str, str], str] = {}
        for s, key in self.pref.items():
            self.by_pref[key].add(s)
            self.by_core[core(key)].add(s)
        for s, label in alts:
            key = normalise(label)
            if key and key != self.pref.get(s):
                self.by_alt[key].add(s)
                self.alts[s].add(key)
                self.raw_alts.setdefault((s, key), label)

    def unique_alt(self, key: str) -> str | None:
        """The one skill whose alternative label ``key`` is, unless another skill has it too."""
        owners = self.by_alt.get(key, set())
        if len(owners) != 1 or key in self.by_pref:
            return None
        return next(iter(owners))

    def is_technology(self, s: str) -> bool:
        return self.types.get(s) == "technology"


def _alt_match(owner: SkillIndex, s: str, key: str, other: SkillIndex, t: str) -> tuple[str, float] | None:
    """How skill ``s`` of ``owner``, whose alternative label ``key`` is ``t``'s preferred label,
    matches ``t``: (method, confidence), or None when the label names an example product."""
    if owner.source == "curated":
        return "curated-alias", 0.8
    raw_pref = owner.raw.get(s, "")
    if _named(raw_pref):
        return "product-alias", 0.8
    raw_alt = owner.raw_alts.get((s, key), key)
    if _capitalised(raw_alt):
        return None  # a generic skill listing a product by name
    mine, theirs = owner.pref.get(s, ""), other.pref.get(t, "")
    if (other.is_technology(t) or owner.is_technology(s)) and not (_words(mine) & _words(theirs)):
        return None  # ... or in lower case ("tensorflow" for "computer vision")
    if _stems(mine) and _stems(mine) == _stems(theirs):
        return "same-words", 0.8
    return "alternative-label", 0.6


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
        if hits:
            if len(hits) <= MAX_CANDIDATES:
                found.extend(SkillMatch(s, t, confidence, method) for t in sorted(hits))
            continue
        candidates: dict[str, tuple[str, float] | None] = {}
        if len(key) >= 3 and (t := right.unique_alt(key)) is not None:
            candidates[t] = _alt_match(right, t, key, left, s)
        for alt in left.alts.get(s, ()):
            if len(alt) >= 3 and left.unique_alt(alt) == s:
                for t in right.by_pref.get(alt, ()):
                    candidates[t] = _alt_match(left, s, alt, right, t)
        if len(candidates) == 1:
            t, how = next(iter(candidates.items()))
            if how is not None:
                found.append(SkillMatch(s, t, how[1], how[0]))
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
    """Write each match as SKOS links both ways and a qualified ``ckg:SkillMatch`` node.

    The link is ``skos:exactMatch`` from confidence 0.9, ``skos:closeMatch`` from
    :data:`TRAVERSAL_CONFIDENCE`, below it ``skos:relatedMatch`` (which traversal ignores).
    """
    a_type, cls = iri(str(RDF.type)), iri(str(CKG.SkillMatch))
    matched, conf, method = (
        iri(str(CKG.matchedSkill)),
        iri(str(CKG.matchConfidence)),
        iri(str(CKG.matchMethod)),
    )
    exact, close = iri(str(SKOS.exactMatch)), iri(str(SKOS.closeMatch))
    related = iri(str(SKOS.relatedMatch))
    for m in matches:
        s, o = f"<{m.a}>", f"<{m.b}>"
        link = exact if m.confidence >= 0.9 else close if m.confidence >= TRAVERSAL_CONFIDENCE else related
        out.add(s, link, o)
        out.add(o, link, s)
        digest = hashlib.sha1(f"{m.a} {m.b}".encode()).hexdigest()[:16]
        node = iri(str(skill_match_iri(digest)))
        out.add(node, a_type, cls)
        out.add(node, matched, s)
        out.add(node, matched, o)
        out.add(node, conf, decimal(f"{m.confidence:.1f}"))
        out.add(node, method, lit(m.method))

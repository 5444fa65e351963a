"""Skill quality: the labelled skill-pair sample, and skills from free text.

**Skill pairs** (:func:`evaluate_pairs`): ``tests/data/skill_pairs.csv`` holds skill pairs
across curated, O*NET and ESCO, each judged ``same``, ``related`` or ``different`` with a
one-line reason, drawn from the matches the importer made before the match rules were revised
and from near misses. For the links the store holds now, it reports precision (share judged
``same``) per match method and confidence, and for the links traversal uses (``exactMatch``
or ``closeMatch``, from the importer or from a curated ``esco:``) precision and recall of the
pairs judged ``same``. Baseline: the importer before the revision (every match it made was
``exactMatch`` or ``closeMatch``), read from the sample's ``drawn_from`` column.

**Free text** (:func:`evaluate_free_text`): every ESCO skill's alternative and hidden labels are
held out of the index and resolved to a skill; recall@1 and recall@5 count the label's own
skill. Baseline: TF-IDF over the preferred labels. The combination adds the descriptions;
its weight is tuned on the dev half of the skills and reported on the test half.

**Resolver** (:class:`SkillResolver`): what ``careerkg skills`` uses. Each phrase is looked up
by its normalised label (preferred or alternative, any source), else by TF-IDF over labels; the
hits are grouped into canonical skills (skills joined by the links traversal uses).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..imports.skill_matching import TRAVERSAL_CONFIDENCE, normalise, select
from ..namespaces import graph_iri
from ..network.build import skill_groups
from ..store import GraphStore
from .data import traversal_skill_links
from .text import TfIdf, in_dev, tokens

__all__ = [
    "FreeTextResult",
    "PairResult",
    "ResolvedSkill",
    "SkillResolver",
    "evaluate_free_text",
    "evaluate_pairs",
    "read_pairs",
]

SOURCES = ("curated", "onet", "esco")


def read_pairs(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def stored_links(store: GraphStore) -> dict[tuple[str, str], tuple[str, float]]:
    """Skill pair -> (method, confidence) of the links the store holds between skills: the
    importer's qualified matches, and curated ``esco:`` exact matches (method ``curated-link``)."""
    found: dict[tuple[str, str], tuple[str, float]] = {}
    for a, b, method, conf in select(
        store,
        "SELECT ?a ?b ?m ?c WHERE { ?n a ckg:SkillMatch ; ckg:matchedSkill ?a, ?b ; "
        "ckg:matchMethod ?m ; ckg:matchConfidence ?c FILTER(STR(?a) < STR(?b)) }",
        None,
        ("a", "b", "m", "c"),
    ):
        found[(a, b)] = (method, float(conf))
    for a, b in select(
        store,
        "SELECT ?a ?b WHERE { GRAPH ?cur { ?a a ckg:Skill ; skos:exactMatch ?b } }",
        {"cur": graph_iri("curated")},
        ("a", "b"),
    ):
        found.setdefault(_key(a, b), ("curated-link", 1.0))
    return found


@dataclass
class PairResult:
    """Precision and recall on the labelled sample; ``by_method`` rows are (method, confidence,
    link, pairs, judged same, precision on dev, precision on test)."""

    pairs: int
    labels: dict[str, int]
    by_method: list[tuple[str, float, str, int, int, float | None, float | None]]
    used: dict[str, dict[str, float]] = field(default_factory=dict)
    baseline: dict[str, dict[str, float]] = field(default_factory=dict)


def _pr(rows: Sequence[dict[str, str]], used: Iterable[bool]) -> dict[str, float]:
    flags = list(used)
    chosen = [r for r, u in zip(rows, flags, strict=True) if u]
    same = [r for r in rows if r["label"] == "same"]
    hit = sum(1 for r, u in zip(rows, flags, strict=True) if u and r["label"] == "same")
    return {
        "links": float(len(chosen)),
        "precision": hit / len(chosen) if chosen else 0.0,
        "recall": hit / len(same) if same else 0.0,
    }


def _link_of(conf: float) -> str:
    return "exactMatch" if conf >= 0.9 else "closeMatch" if conf >= TRAVERSAL_CONFIDENCE else "relatedMatch"


def evaluate_pairs(store: GraphStore, pairs: Sequence[dict[str, str]]) -> PairResult:
    links = stored_links(store)
    got = [links.get(_key(r["a"], r["b"])) for r in pairs]
    groups: dict[tuple[str, float], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r, link in zip(pairs, got, strict=True):
        if link is not None:
            groups[link]["all"].append(r["label"])
            groups[link]["dev" if in_dev(r["a"] + " " + r["b"]) else "test"].append(r["label"])

    def share(labels: list[str]) -> float | None:
        return labels.count("same") / len(labels) if labels else None

    by_method = [
        (m, c, _link_of(c), len(g["all"]), g["all"].count("same"), share(g["dev"]), share(g["test"]))
        for (m, c), g in sorted(groups.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    ]
    result = PairResult(len(pairs), dict(Counter(r["label"] for r in pairs)), by_method)
    for part, keep in (("dev", True), ("test", False), ("all", None)):
        idx = [i for i, r in enumerate(pairs) if keep is None or in_dev(r["a"] + " " + r["b"]) == keep]
        rows = [pairs[i] for i in idx]
        result.used[part] = _pr(rows, (got[i] is not None and got[i][1] >= TRAVERSAL_CONFIDENCE for i in idx))
        result.baseline[part] = _pr(
            rows,
            (
                pairs[i]["drawn_from"].startswith("match:")
                or pairs[i]["drawn_from"] == "near-miss:curated-esco-field"
                for i in idx
            ),
        )
    return result


# --- free text ---------------------------------------------------------------------------


@dataclass
class FreeTextResult:
    queries: dict[str, int]
    baseline: dict[str, dict[str, float]]
    tuned: dict[str, dict[str, float]]
    weights: dict[str, float]


def _esco_skill_texts(store: GraphStore) -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]]]:
    g = {"g": graph_iri("esco")}
    pref = dict(
        select(store, "SELECT ?s ?l WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:prefLabel ?l } }", g, ("s", "l"))
    )
    desc = dict(
        select(
            store, "SELECT ?s ?d WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:definition ?d } }", g, ("s", "d")
        )
    )
    held = select(
        store,
        "SELECT ?s ?l WHERE { GRAPH ?g { ?s a ckg:Skill . "
        "{ ?s skos:altLabel ?l } UNION { ?s skos:hiddenLabel ?l } } }",
        g,
        ("s", "l"),
    )
    return pref, desc, sorted(set(held))


def evaluate_free_text(store: GraphStore, *, sample: int | None = 2000) -> FreeTextResult:
    """Recall@1/@5 of resolving held-out ESCO alternative/hidden labels to their skill.

    ``sample``: how many labels per half (dev, test), chosen by a hash of the label; None for all.
    """
    pref, desc, held = _esco_skill_texts(store)
    skills = sorted(pref)
    at = {s: i for i, s in enumerate(skills)}
    pref_index = TfIdf([tokens(pref[s]) for s in skills], max_df=0.2)
    desc_index = TfIdf([tokens(pref[s] + " " + desc.get(s, "")) for s in skills], max_df=0.2)
    queries = [(s, label) for s, label in held if s in at and normalise(label) != normalise(pref[s])]
    parts: dict[str, list[tuple[str, str]]] = {"dev": [], "test": []}
    for s, label in queries:
        parts["dev" if in_dev(s) else "test"].append((s, label))
    if sample is not None:
        import hashlib

        for name in parts:
            parts[name].sort(key=lambda q: hashlib.sha1(f"{q[0]} {q[1]}".encode()).hexdigest())
            parts[name] = parts[name][:sample]
    cache: dict[tuple[str, str], tuple[dict[int, float], dict[int, float]]] = {}
    for name in parts:
        for s, label in parts[name]:
            toks = tokens(label)
            cache[(s, label)] = (
                pref_index.scores(pref_index.vector(toks)),
                desc_index.scores(desc_index.vector(toks)),
            )

    def evaluate(items: Sequence[tuple[str, str]], w_pref: float, w_desc: float) -> dict[str, float]:
        r1 = r5 = 0
        for s, label in items:
            a, b = cache[(s, label)]
            score: dict[int, float] = defaultdict(float)
            for i, v in a.items():
                score[i] += w_pref * v
            if w_desc:
                for i, v in b.items():
                    score[i] += w_desc * v
            top = sorted(score, key=lambda i: (-score[i], i))[:5]
            r1 += int(bool(top) and top[0] == at[s])
            r5 += int(at[s] in top)
        n = max(1, len(items))
        return {"recall@1": r1 / n, "recall@5": r5 / n}

    best, weights = -1.0, (1.0, 0.0)
    for w in (0.0, 0.25, 0.5, 1.0, 2.0, 4.0):
        got = evaluate(parts["dev"], 1.0, w)
        if got["recall@1"] + got["recall@5"] > best:
            best, weights = got["recall@1"] + got["recall@5"], (1.0, w)
    return FreeTextResult(
        queries={k: len(v) for k, v in parts.items()} | {"held-out labels": len(queries)},
        baseline={k: evaluate(v, 1.0, 0.0) for k, v in parts.items()},
        tuned={k: evaluate(v, *weights) for k, v in parts.items()},
        weights={"preferred label": weights[0], "preferred label + description": weights[1]},
    )


# --- resolver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedSkill:
    """A canonical skill a phrase resolves to: its label, confidence, how, and its members
    as (source, IRI, label)."""

    phrase: str
    label: str
    confidence: float
    method: str
    members: tuple[tuple[str, str, str], ...]


def _source(iri: str) -> str:
    if "/onet/" in iri:
        return "onet"
    if "data.europa.eu/esco" in iri:
        return "esco"
    return "curated"


class SkillResolver:
    """Resolve free-text skill phrases to canonical skills across curated, O*NET and ESCO."""

    def __init__(self, store: GraphStore) -> None:
        rows = select(
            store,
            "SELECT ?s ?l ?kind WHERE { ?s a ckg:Skill . "
            "{ ?s skos:prefLabel ?l BIND('pref' AS ?kind) } "
            "UNION { ?s skos:altLabel ?l BIND('alt' AS ?kind) } }",
            None,
            ("s", "l", "kind"),
        )
        self.pref: dict[str, str] = {}
        self.alt_cased: dict[tuple[str, str], str] = {}
        self.by_label: dict[str, dict[str, str]] = defaultdict(dict)
        docs: dict[str, list[str]] = defaultdict(list)
        for s, label, kind in rows:
            if kind == "pref":
                self.pref.setdefault(s, label)
            key = normalise(label)
            if key:
                self.by_label[key][s] = "preferred label" if kind == "pref" else "alternative label"
                if kind == "alt" and any(c.isupper() for c in label):
                    self.alt_cased[(s, key)] = label
            docs[s].extend(tokens(label))
        self.skills = sorted(docs)
        self.index = TfIdf([docs[s] for s in self.skills], max_df=0.2)
        self.canon = skill_groups(traversal_skill_links(store))
        self.members: dict[str, list[str]] = defaultdict(list)
        for s, c in self.canon.items():
            self.members[c].append(s)

    def _group(self, s: str) -> list[str]:
        return sorted(self.members.get(self.canon.get(s, s), [s]))

    def _name(self, group: Sequence[str]) -> str:
        order = {src: i for i, src in enumerate(SOURCES)}
        best = min(group, key=lambda s: (order[_source(s)], s))
        return self.pref.get(best, best)

    def resolve(self, phrase: str, k: int = 3) -> list[ResolvedSkill]:
        """The ``k`` most likely canonical skills for ``phrase``, best first."""
        key = normalise(phrase)
        scored: dict[str, tuple[float, str]] = {}
        for s, how in self.by_label.get(key, {}).items():
            conf, how = (1.0, f"same {how}") if how == "preferred label" else (0.9, f"same {how}")
            generic = not any(c.isupper() for c in self.pref.get(s, ""))
            if (s, key) in self.alt_cased and generic and _source(s) == "esco":
                conf, how = 0.5, "a product its alternative labels list as an example"
            scored[s] = max(scored.get(s, (0.0, "")), (conf, how))
        if not scored:
            for i, score in self.index.search(self.index.vector(tokens(phrase)), 20):
                s = self.skills[i]
                scored[s] = (round(min(score, 0.89), 2), "similar label (TF-IDF)")
        groups: dict[str, tuple[float, str]] = {}
        for s, (conf, how) in scored.items():
            c = self.canon.get(s, s)
            if c not in groups or groups[c][0] < conf:
                groups[c] = (conf, how)
        ranked = sorted(groups.items(), key=lambda kv: (-kv[1][0], -len(self._group(kv[0])), kv[0]))[:k]
        found = []
        for c, (conf, how) in ranked:
            group = self._group(c)
            members = tuple((_source(s), s, self.pref.get(s, s)) for s in group)
            found.append(ResolvedSkill(phrase, self._name(group), conf, how, members))
        return found

    def resolve_all(self, text: str, k: int = 3) -> dict[str, list[ResolvedSkill]]:
        """Each comma- or semicolon-separated phrase of ``text`` resolved."""
        phrases = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        return {p: self.resolve(p, k) for p in phrases}


def labels_by_source(resolved: Mapping[str, list[ResolvedSkill]]) -> dict[str, list[str]]:
    """For display: phrase -> "label (sources)" strings."""
    return {
        p: [f"{r.label} ({', '.join(sorted({m[0] for m in r.members}))})" for r in rs]
        for p, rs in resolved.items()
    }

"""Occupations across taxonomies, and whether the same job has the same skills.

**Matching** (:func:`evaluate_matching`): with the official ESCO-O*NET crosswalk withheld from
the inputs, rank the O*NET occupations for each ESCO occupation the crosswalk covers; hit@k is
the share of them whose top k holds an O*NET occupation the crosswalk links to it (any match
type). Baseline: one TF-IDF over labels + alternate titles + descriptions. The combination
adds separate title (with bigrams and exact titles), parent-occupation, description and
skill-text similarities, ISCO -> SOC priors (to the SOC broad group and to the occupation
itself) and how often the crosswalk links an occupation at all, all learnt from the dev half
of the crosswalk only (leaving each dev query's own links out), and lifts O*NET's residual
"All Other" occupations by the best score in the group they stand for (:func:`add_catch_all`);
its weights are tuned on the dev half of the ESCO occupations and reported on the test half.

**Same job, same skills** (:func:`evaluate_gap_coverage`, the measure of ``careerkg evaluate``):
for each crosswalk ``exactMatch`` pair, the coverage ``careerkg gap`` reports from the O*NET
to the ESCO occupation: the share of the ESCO occupation's skill weight the O*NET occupation
holds, itself or through the careers the store declares its same occupation, in the one skill
space (skills joined by the ``exactMatch``/``closeMatch`` links traversal uses). The pair's own
occupation link is *not* counted, otherwise every pair would cover itself.
:func:`evaluate_coverage` is the narrower count of the skill-mapping study
(``benchmarks/study_skill_mapping.py``): the ESCO essential skills the O*NET occupation itself
holds, through given skill links.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..imports.skill_matching import normalise
from ..network.build import skill_groups
from ..network.traverse import skill_gap
from .data import Occupation
from .text import TfIdf, in_dev, tokens

__all__ = [
    "FEATURES",
    "CoverageResult",
    "GapCoverageResult",
    "MatchResult",
    "OccupationMatcher",
    "add_catch_all",
    "add_priors",
    "catch_all_cover",
    "combine",
    "esco_skill_text",
    "evaluate_coverage",
    "evaluate_gap_coverage",
    "evaluate_matching",
    "group_prior",
    "occupation_prior",
    "onet_skill_text",
    "parent_labels",
]

FEATURES = (
    "titles",
    "title_bigrams",
    "label_bigrams",
    "exact_title",
    "parent_label",
    "description",
    "description_only",
    "skills",
    "isco4_prior",
    "isco3_prior",
    "isco2_prior",
    "occ4_prior",
    "occ3_prior",
    "occ2_prior",
    "popularity",
    "all_other",
)
BASELINE = {"all_text": 1.0}
_GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
#: Where the coordinate ascent starts: the weights it found (from ``titles`` 1.0 alone) for
#: the features before the occupation priors, popularity and "All Other" were added.
START_WEIGHTS = {
    "titles": 2.0,
    "title_bigrams": 4.0,
    "label_bigrams": 1.0,
    "exact_title": 1.0,
    "description": 4.0,
    "description_only": 1.0,
    "skills": 4.0,
    "isco4_prior": 2.0,
    "isco2_prior": 0.25,
}


@dataclass
class MatchResult:
    queries: dict[str, int]
    baseline: dict[str, dict[str, float]]
    tuned: dict[str, dict[str, float]]
    weights: dict[str, float]


def _hits(ranked: Sequence[int], gold: set[int]) -> tuple[float, float]:
    return float(bool(gold & set(ranked[:1]))), float(bool(gold & set(ranked[:5])))


def _bigrams(text: str) -> list[str]:
    words = tokens(text)
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


def _titles(o: Occupation) -> str:
    return " ".join([o.label, *o.alt_labels])


def onet_skill_text(o: Occupation, skill_labels: Mapping[str, str]) -> str:
    """An O*NET occupation's skill text for the ``skills`` feature: tasks + technology labels."""
    return " ".join([*o.tasks, *(skill_labels.get(t, "") for t in sorted(o.technologies))])


def esco_skill_text(o: Occupation, skill_labels: Mapping[str, str]) -> str:
    """An occupation's skill text: the labels of its essential and optional skills."""
    return " ".join(skill_labels.get(s, "") for s in sorted(o.essential | o.optional))


def parent_labels(o: Occupation, occupations: Mapping[str, Occupation]) -> str:
    """The labels of the occupation's broader occupations that ``occupations`` holds."""
    return " ".join(occupations[b].label for b in sorted(o.broader) if b in occupations)


def _text_of(o: Occupation) -> str:
    return " ".join([o.label, *o.alt_labels, o.definition])


class OccupationMatcher:
    """The text features of a query occupation against every occupation of one taxonomy.

    ``targets`` are the occupations to rank (their index in the list names them in the
    feature rows); ``skill_text`` gives each target's skill text (O*NET: tasks + technology
    labels). The features (cosines of TF-IDF vectors, or 1.0 for the same title) are those
    :func:`evaluate_matching` tunes: ``all_text`` (the baseline), ``titles``,
    ``title_bigrams``, ``label_bigrams``, ``exact_title``, ``parent_label``, ``description``,
    ``description_only`` and ``skills``; the priors come from the caller.

    >>> target = Occupation("o", label="Data Scientist", definition="Analyse data.")
    >>> m = OccupationMatcher([target], lambda o: "")
    >>> m.features(Occupation("e", label="data scientist"), skills="", parents="")["exact_title"]
    {0: 1.0}
    """

    def __init__(self, targets: Sequence[Occupation], skill_text: Callable[[Occupation], str]) -> None:
        self.targets = list(targets)
        ts = self.targets
        self.indexes = {
            "all_text": TfIdf([tokens(_text_of(o)) for o in ts]),
            "titles": TfIdf([tokens(_titles(o)) for o in ts]),
            "title_bigrams": TfIdf([_bigrams(_titles(o)) for o in ts]),
            "description": TfIdf([tokens(" ".join([o.definition, *o.tasks])) for o in ts]),
            "description_only": TfIdf([tokens(o.definition) for o in ts]),
            "skills": TfIdf([tokens(skill_text(o)) for o in ts]),
        }
        self.by_title: dict[str, set[int]] = defaultdict(set)
        for i, o in enumerate(ts):
            for label in (o.label, *o.alt_labels):
                self.by_title[normalise(label)].add(i)

    def features(self, query: Occupation, *, skills: str, parents: str) -> dict[str, dict[int, float]]:
        """Feature -> {target index: value} for ``query``, given its skills' text and the
        labels of its parent occupations (empty when it has none)."""
        docs = {
            "all_text": tokens(_text_of(query)),
            "titles": tokens(_titles(query)),
            "title_bigrams": _bigrams(_titles(query)),
            "description": tokens(query.definition),
            "description_only": tokens(query.definition),
            "skills": tokens(skills),
        }
        row = {f: index.scores(index.vector(docs[f])) for f, index in self.indexes.items()}
        title_index = self.indexes["title_bigrams"]
        row["label_bigrams"] = title_index.scores(title_index.vector(_bigrams(query.label)))
        row["parent_label"] = title_index.scores(title_index.vector(_bigrams(parents))) if parents else {}
        titles = (normalise(label) for label in (query.label, *query.alt_labels))
        row["exact_title"] = {i: 1.0 for t in titles for i in self.by_title.get(t, ())}
        return row


def group_prior(counts: Mapping[str, int], groups: Sequence[str]) -> dict[int, float]:
    """{target index: share of ``counts``} for targets whose group (``groups[i]``) was counted.

    >>> group_prior({"15-205": 3, "15-125": 1}, ["15-125", "11-101", "15-205"])
    {0: 0.25, 2: 0.75}
    """
    total = sum(counts.values())
    if not total:
        return {}
    return {i: counts[g] / total for i, g in enumerate(groups) if counts.get(g)}


def occupation_prior(counts: Mapping[int, int], *, relative_to_max: bool = False) -> dict[int, float]:
    """{target index: its share of ``counts``} (or its count over the largest count).

    >>> occupation_prior({4: 3, 7: 1})
    {4: 0.75, 7: 0.25}
    >>> occupation_prior({4: 3, 7: 1}, relative_to_max=True)
    {4: 1.0, 7: 0.3333333333333333}
    """
    counts = {i: c for i, c in counts.items() if c > 0}
    if not counts:
        return {}
    total = max(counts.values()) if relative_to_max else sum(counts.values())
    return {i: c / total for i, c in counts.items()}


def add_priors(
    row: dict[str, dict[int, float]],
    code: str,
    own: Counter[int],
    *,
    to_group: Mapping[int, Mapping[str, Counter[str]]],
    to_target: Mapping[int, Mapping[str, Counter[int]]],
    linked: Counter[int],
    groups: Sequence[str],
) -> None:
    """Add the structure features of a query with ISCO ``code`` against O*NET targets to
    ``row``: ``isco{n}_prior`` (:func:`group_prior` of the SOC broad groups, ``groups[i]``, that
    links from the query's ISCO group at ``n`` digits go to), ``occ{n}_prior`` (the same to the
    targets themselves) and ``popularity`` (each target's links over the most-linked one's).
    ``own``: the query's own links (target index -> count), left out of every count.

    >>> row = {}
    >>> add_priors(row, "2511", Counter(), to_group={4: {"2511": Counter({"15-205": 1})}},
    ...            to_target={4: {"2511": Counter({0: 1})}}, linked=Counter({0: 2}), groups=["15-205"])
    >>> row
    {'isco4_prior': {0: 1.0}, 'occ4_prior': {0: 1.0}, 'popularity': {0: 1.0}}
    """
    own_groups: Counter[str] = Counter()
    for i, c in own.items():
        own_groups[groups[i]] += c
    for n, prior in to_group.items():
        group = code[:n]
        counts = Counter(prior.get(group, Counter()))
        counts.subtract(own_groups)
        row[f"isco{n}_prior"] = group_prior(+counts, groups)
        occ_counts = Counter(to_target[n].get(group, Counter()))
        occ_counts.subtract(own)
        row[f"occ{n}_prior"] = occupation_prior(occ_counts)
    row["popularity"] = occupation_prior(linked - own, relative_to_max=True)


def catch_all_cover(targets: Sequence[Occupation]) -> dict[int, list[int]]:
    """{target index: the O*NET "All Other" occupations whose residual group holds it}.

    An "All Other" occupation stands for what its group's named occupations leave out: the
    SOC minor group for a code ending in 99 (``17-2199`` Engineers, All Other: ``17-2``),
    else the broad group (``17-3019`` Drafters, All Other: ``17-301``).

    >>> ts = [Occupation("a", code="17-2199.00", label="Engineers, All Other"),
    ...       Occupation("b", code="17-2051.00", label="Civil Engineers"),
    ...       Occupation("c", code="17-3011.00", label="Architectural and Civil Drafters")]
    >>> catch_all_cover(ts)
    {1: [0]}
    """
    cover: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(targets):
        if "All Other" not in o.label:
            continue
        group = o.code[:4] if o.code[5:7] == "99" else o.code[:6]
        for j, t in enumerate(targets):
            if j != i and t.code.startswith(group):
                cover[j].append(i)
    return dict(cover)


def combine(row: Mapping[str, Mapping[int, float]], weights: Mapping[str, float]) -> dict[int, float]:
    """The weighted sum of a feature row: {target index: score}."""
    score: dict[int, float] = defaultdict(float)
    for f, w in weights.items():
        if w:
            for i, s in row.get(f, {}).items():
                score[i] += w * s
    return score


def add_catch_all(
    row: dict[str, dict[int, float]], weights: Mapping[str, float], cover: Mapping[int, Sequence[int]]
) -> dict[str, dict[int, float]]:
    """Set ``row["all_other"]``: for each "All Other" occupation, the best score (by
    ``weights``, without this feature) of the occupations it covers over the best score of
    all, so that a query whose nearest occupations share a group also sees the group's residual
    occupation (the crosswalk often links there when no named occupation fits).

    >>> row = {"titles": {1: 0.8, 2: 0.4}}
    >>> add_catch_all(row, {"titles": 1.0, "all_other": 1.0}, {1: [0]})["all_other"]
    {0: 1.0}
    """
    row["all_other"] = {}
    if weights.get("all_other") and cover:
        row["all_other"] = catch_all_scores(
            combine(row, {f: w for f, w in weights.items() if f != "all_other"}), cover
        )
    return row


def catch_all_scores(score: Mapping[int, float], cover: Mapping[int, Sequence[int]]) -> dict[int, float]:
    """{"All Other" occupation: best ``score`` of the occupations it covers / best score of all}."""
    top = max(score.values(), default=0.0)
    if top <= 0:
        return {}
    best: dict[int, float] = {}
    for j, s in score.items():
        for i in cover.get(j, ()):
            if s > best.get(i, 0.0):
                best[i] = s
    return {i: s / top for i, s in best.items()}


def evaluate_matching(
    esco: Mapping[str, Occupation],
    onet: Mapping[str, Occupation],
    links: Iterable[tuple[str, str, str]],
    esco_skill_labels: Mapping[str, str],
    onet_skill_labels: Mapping[str, str],
) -> MatchResult:
    """Hit@1 and hit@5 of the baseline and of the tuned combination, on dev and test.

    Features of an (ESCO occupation, O*NET occupation) pair: TF-IDF cosines of their titles
    (stems; stems and bigrams; the ESCO preferred label alone), the same normalised title, the
    ESCO parent occupation's label against the O*NET titles, the ESCO description against the
    O*NET description + tasks and against the description alone, the ESCO skills' labels against
    the O*NET tasks + technology; from the dev half of the crosswalk only, the share of links
    from the ESCO occupation's ISCO group (4, 3 and 2 digits) to the O*NET occupation's SOC
    broad group and to the O*NET occupation itself, and the O*NET occupation's links over the
    most-linked one's; and, for an "All Other" occupation, the best score of the group it
    stands for (:func:`add_catch_all`).
    """
    targets = sorted(onet.values(), key=lambda o: o.iri)
    at = {o.iri: i for i, o in enumerate(targets)}
    gold: dict[str, set[int]] = defaultdict(set)
    for o, e, _ in links:
        if o in at and e in esco:
            gold[e].add(at[o])
    queries = sorted(gold)
    dev = [e for e in queries if in_dev(e)]
    dev_set = set(dev)
    test = [e for e in queries if not in_dev(e)]
    matcher = OccupationMatcher(targets, lambda o: onet_skill_text(o, onet_skill_labels))
    groups = [t.code[:6] for t in targets]
    cover = catch_all_cover(targets)

    # The structure priors: P(SOC broad group | ISCO group), P(O*NET occupation | ISCO group)
    # and how often each O*NET occupation is linked, counted on the dev half only.
    priors: dict[int, dict[str, Counter[str]]] = {n: defaultdict(Counter) for n in (4, 3, 2)}
    occ_priors: dict[int, dict[str, Counter[int]]] = {n: defaultdict(Counter) for n in (4, 3, 2)}
    linked: Counter[int] = Counter()
    for e in dev:
        linked.update(gold[e])
        for n, prior in priors.items():
            for i in gold[e]:
                prior[esco[e].code.strip()[:n]][targets[i].code[:6]] += 1
                occ_priors[n][esco[e].code.strip()[:n]][i] += 1

    feats: dict[str, dict[str, dict[int, float]]] = {}
    pooled_feats: dict[str, dict[str, dict[int, float]]] = {}
    for e in queries:
        occ = esco[e]
        own = Counter(gold[e] if e in dev_set else ())  # a dev query's own links leave its priors
        row = matcher.features(
            occ, skills=esco_skill_text(occ, esco_skill_labels), parents=parent_labels(occ, esco)
        )
        add_priors(
            row, occ.code.strip(), own, to_group=priors, to_target=occ_priors, linked=linked, groups=groups
        )
        row["all_other"] = {}
        feats[e] = row
        if e in dev_set:  # tuning ranks only the pool: each feature's 40 best targets
            pool = {i for r in row.values() for i in sorted(r, key=lambda i, r=r: -r[i])[:40]}
            pool.update([i for j in pool for i in cover.get(j, ())])
            pooled_feats[e] = {f: {i: s for i, s in r.items() if i in pool} for f, r in row.items()}

    def evaluate(items: Sequence[str], weights: Mapping[str, float]) -> dict[str, float]:
        h1 = h5 = 0.0
        for e in items:
            row = add_catch_all(feats[e], weights, cover)
            score = combine(row, weights)
            ranked = heapq.nsmallest(5, score, key=lambda i: (-score[i], i))
            a, b = _hits(ranked, gold[e])
            h1, h5 = h1 + a, h5 + b
        n = max(1, len(items))
        return {"hit@1": h1 / n, "hit@5": h5 / n}

    def tuning_hits(f: str, trial: Mapping[str, float], bases: Mapping[str, dict[int, float]]) -> float:
        """hit@1 + hit@5 on the dev pools of ``trial``, which differs from the weights that
        gave ``bases`` (each query's score without ``f`` and ``all_other``) in ``f`` only."""
        total = 0.0
        w, w_other = trial[f], trial["all_other"]
        for e in dev:
            score = dict(bases[e])
            if w and f != "all_other":
                for i, s in pooled_feats[e][f].items():
                    score[i] = score.get(i, 0.0) + w * s
            if w_other:
                for i, s in catch_all_scores(score, cover).items():
                    score[i] = score.get(i, 0.0) + w_other * s
            ranked = heapq.nsmallest(5, score, key=lambda i: (-score[i], i))
            total += sum(_hits(ranked, gold[e]))
        return total / max(1, len(dev))

    # Coordinate ascent on dev hit@1 + hit@5, from the weights tuned for the earlier features.
    weights = dict.fromkeys(FEATURES, 0.0) | START_WEIGHTS
    best = -1.0
    for _ in range(2):
        for f in FEATURES:
            rest = {g: w for g, w in weights.items() if g not in (f, "all_other")}
            bases = {e: combine(pooled_feats[e], rest) for e in dev}
            for w in _GRID:
                trial = weights | {f: w}
                if not any(trial.values()):
                    continue
                got = tuning_hits(f, trial, bases)
                if got > best + 1e-9:
                    best, weights = got, trial
    return MatchResult(
        queries={"dev": len(dev), "test": len(test)},
        baseline={"dev": evaluate(dev, BASELINE), "test": evaluate(test, BASELINE)},
        tuned={"dev": evaluate(dev, weights), "test": evaluate(test, weights)},
        weights={f: w for f, w in weights.items() if w},
    )


@dataclass
class CoverageResult:
    pairs: int
    median: float
    quartiles: tuple[float, float, float]
    share_above_half: float
    baseline_median: float


def _coverage(onet: Occupation, esco: Occupation, canon: Mapping[str, str]) -> float:
    wanted = esco.essential
    if not wanted:
        return 0.0
    held = {canon.get(s, s) for s in onet.essential | onet.optional}
    return sum(1 for s in wanted if canon.get(s, s) in held) / len(wanted)


def evaluate_coverage(
    esco: Mapping[str, Occupation],
    onet: Mapping[str, Occupation],
    links: Iterable[tuple[str, str, str]],
    skill_links: Iterable[tuple[str, str]],
    baseline_links: Iterable[tuple[str, str]] = (),
) -> CoverageResult:
    """Coverage of each crosswalk exactMatch pair's ESCO essential skills by the O*NET side."""
    canon, base = skill_groups(skill_links), skill_groups(baseline_links)
    pairs = [(onet[o], esco[e]) for o, e, kind in links if kind == "exactMatch" and o in onet and e in esco]
    baseline = _median(_coverage(o, e, base) for o, e in pairs)
    return CoverageResult(**_summary([_coverage(o, e, canon) for o, e in pairs]), baseline_median=baseline)


def _median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else 0.0


def _summary(values: Sequence[float]) -> dict[str, Any]:
    """How many coverage values, their median, quartiles and share at 0.5 or more."""
    if not values:
        return {"pairs": 0, "median": 0.0, "quartiles": (0.0, 0.0, 0.0), "share_above_half": 0.0}
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return {
        "pairs": len(values),
        "median": statistics.median(values),
        "quartiles": (q[0], q[1], q[2]),
        "share_above_half": sum(1 for v in values if v >= 0.5) / len(values),
    }


@dataclass
class GapCoverageResult(CoverageResult):
    """The ``gap`` coverage of each crosswalk exactMatch pair (O*NET -> ESCO), its summary, and
    the same for two references: ``baseline_median``, the O*NET occupation's own skills only
    (``gap`` before it counted the skills of the occupation's other declared matches), and
    ``control_median``, each ESCO occupation against an O*NET occupation that is *not* its match
    (chosen by a hash): a measure that rose as much there would say nothing about the job."""

    control_median: float = 0.0


def _own_coverage(skills: Any, a: str, b: str) -> float:
    held, wanted = skills._adj[a], skills._adj[b]
    total = skills.nodes[b].get("total", 0.0)
    return sum(d["weight"] for s, d in wanted.items() if s in held) / total if total > 0 else 0.0


def evaluate_gap_coverage(skills: Any, links: Iterable[tuple[str, str, str]]) -> GapCoverageResult:
    """``skill_gap(skills, onet, esco).coverage`` for each crosswalk ``exactMatch`` pair, as a user
    gets it from ``careerkg gap``: the share of the ESCO occupation's skill weight the O*NET
    occupation holds, itself or through the careers the store declares its same occupation.
    The pair's own link is withheld (``skill_gap`` never counts the target's own skills as held).

    >>> import networkx as nx
    >>> g = nx.Graph(equivalents={})
    >>> g.add_node("o", kind="career", total=1.0); g.add_node("e", kind="career", total=2.0)
    >>> g.add_node("s1", kind="skill", label="s1"); g.add_node("s2", kind="skill", label="s2")
    >>> g.add_edges_from([("o", "s1"), ("e", "s1"), ("e", "s2")], weight=1.0)
    >>> evaluate_gap_coverage(g, [("o", "e", "exactMatch")]).median
    0.5
    """
    pairs = sorted((o, e) for o, e, kind in links if kind == "exactMatch" and o in skills and e in skills)
    onets = sorted({o for o, _ in pairs})
    control = []
    for o, e in pairs:
        other = onets[int(hashlib.sha1(e.encode()).hexdigest()[:8], 16) % len(onets)]
        if other != o:
            control.append(skill_gap(skills, other, e).coverage)
    return GapCoverageResult(
        **_summary([skill_gap(skills, o, e).coverage for o, e in pairs]),
        baseline_median=_median(_own_coverage(skills, o, e) for o, e in pairs),
        control_median=_median(control),
    )

"""Related careers against O*NET's experts.

Ground truth: O*NET's Related Occupations (tiers Primary-Short, Primary-Long, Supplemental),
read only to score. The similarity never sees it: it is built from each occupation's Skills and
Knowledge importance ratings, task statements, technology, titles and alternate titles,
description, SOC structure and job zone.

Measures, over the occupations that have related occupations: **recall@10** of the
Primary-Short tier, **recall@20** of Primary-Short + Primary-Long, and **MRR** (mean reciprocal
rank of the first Primary-Short occupation). Baseline: centred cosine of the Skills + Knowledge
importance vectors alone (each vector centred on its own mean). The weights of the combination
are tuned on the dev half of the occupations (:func:`~.text.in_dev` of the O*NET code) and
reported on the test half.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .data import Occupation
from .text import TfIdf, in_dev, tokens

__all__ = ["FEATURES", "RelatedResult", "evaluate_related", "feature_rows", "rank_metrics"]

FEATURES = ("skills", "tasks", "technology", "titles", "description", "soc", "job_zone")
BASELINE = {"skills": 1.0}
_GRID = (0.0, 0.25, 0.5, 1.0, 2.0)
_POOL = 60


@dataclass
class RelatedResult:
    queries: dict[str, int]
    baseline: dict[str, dict[str, float]]
    tuned: dict[str, dict[str, float]]
    weights: dict[str, float]


def _centred_cosines(occs: Sequence[Occupation]) -> list[dict[int, float]]:
    """Cosine of the importance vectors, each centred on its own mean (Pearson correlation)."""
    elements = sorted({e for o in occs for e in o.importance})
    vecs = []
    for o in occs:
        if not o.importance:
            vecs.append([])
            continue
        raw = [o.importance.get(e, 0.0) for e in elements]
        mean = sum(raw) / len(raw)
        v = [x - mean for x in raw]
        norm = math.sqrt(sum(x * x for x in v)) or 1.0
        vecs.append([x / norm for x in v])
    rows = []
    for i, a in enumerate(vecs):
        row: dict[int, float] = {}
        if a:
            for j, b in enumerate(vecs):
                if b and j != i:
                    row[j] = sum(x * y for x, y in zip(a, b, strict=True))
        rows.append(row)
    return rows


def _tfidf_rows(docs: Sequence[list[str]], max_df: float = 0.5) -> list[dict[int, float]]:
    index = TfIdf(docs, max_df=max_df)
    rows = []
    for i, vec in enumerate(index.vectors):
        row = dict(index.scores(vec))
        row.pop(i, None)
        rows.append(row)
    return rows


def _soc(a: str, b: str) -> float:
    if a[:7] == b[:7]:
        return 1.0
    if a[:6] == b[:6]:
        return 0.6
    if a[:4] == b[:4]:
        return 0.3
    return 0.1 if a[:2] == b[:2] else 0.0


def feature_rows(occs: Sequence[Occupation], needed: Sequence[int]) -> dict[str, list[dict[int, float]]]:
    """Per feature, per occupation index: similarity to the other occupations (sparse)."""
    rows = {
        "skills": _centred_cosines(occs),
        "tasks": _tfidf_rows([tokens(" ".join(o.tasks)) for o in occs]),
        "technology": _tfidf_rows([sorted(o.technologies) for o in occs], max_df=0.3),
        "titles": _tfidf_rows([tokens(" ".join([o.label, *o.alt_labels])) for o in occs]),
        "description": _tfidf_rows([tokens(o.definition) for o in occs]),
    }
    soc: list[dict[int, float]] = [{} for _ in occs]
    zone: list[dict[int, float]] = [{} for _ in occs]
    for i in needed:
        a = occs[i]
        for j, b in enumerate(occs):
            if j == i:
                continue
            if s := _soc(a.code, b.code):
                soc[i][j] = s
            if a.job_zone and b.job_zone:
                zone[i][j] = 1.0 - abs(a.job_zone - b.job_zone) / 4.0
    rows["soc"], rows["job_zone"] = soc, zone
    return rows


def _ranking(row: Mapping[str, Mapping[int, float]], weights: Mapping[str, float]) -> list[int]:
    """Candidates by their weighted feature sum, best first; ``row`` is one query's features."""
    score: dict[int, float] = {}
    for f, w in weights.items():
        if not w:
            continue
        for j, s in row[f].items():
            score[j] = score.get(j, 0.0) + w * s
    return sorted(score, key=lambda j: (-score[j], j))


def rank_metrics(ranked: Sequence[int], short: set[int], long: set[int]) -> tuple[float, float, float]:
    """(recall@10 of ``short``, recall@20 of ``short | long``, reciprocal rank of the first of ``short``)."""
    both = short | long
    r10 = len(short & set(ranked[:10])) / len(short) if short else 0.0
    r20 = len(both & set(ranked[:20])) / len(both) if both else 0.0
    rr = next((1.0 / (k + 1) for k, j in enumerate(ranked) if j in short), 0.0)
    return r10, r20, rr


def _evaluate(rows, queries, truth, weights, pooled=None) -> dict[str, float]:
    """The three metrics over ``queries``; ``pooled`` (query -> its features restricted to its
    pool) ranks only the pool, as tuning does."""
    sums = [0.0, 0.0, 0.0]
    for i in queries:
        short, long = truth[i]
        row = pooled[i] if pooled else {f: rows[f][i] for f in weights}
        m = rank_metrics(_ranking(row, weights), short, long)
        sums = [s + x for s, x in zip(sums, m, strict=True)]
    n = max(1, len(queries))
    return {"recall@10": sums[0] / n, "recall@20": sums[1] / n, "MRR": sums[2] / n}


def evaluate_related(
    occupations: Mapping[str, Occupation], related: Mapping[str, Mapping[str, str]]
) -> RelatedResult:
    occs = sorted(occupations.values(), key=lambda o: o.iri)
    at = {o.iri: i for i, o in enumerate(occs)}
    truth: dict[int, tuple[set[int], set[int]]] = {}
    for o, targets in related.items():
        if o not in at:
            continue
        short = {at[t] for t, tier in targets.items() if tier == "Primary-Short" and t in at}
        long = {at[t] for t, tier in targets.items() if tier == "Primary-Long" and t in at}
        if short:
            truth[at[o]] = (short, long)
    dev = sorted(i for i in truth if in_dev(occs[i].code))
    test = sorted(i for i in truth if not in_dev(occs[i].code))
    rows = feature_rows(occs, sorted(truth))
    # Tuning ranks among a pool: each feature's best candidates (the test half is never scored).
    pools: dict[int, dict[str, dict[int, float]]] = {}
    for i in dev:
        pool: set[int] = set()
        for f in FEATURES:
            pool.update(sorted(rows[f][i], key=lambda j, r=rows[f][i]: -r[j])[:_POOL])
        pools[i] = {f: {j: s for j, s in rows[f][i].items() if j in pool} for f in FEATURES}
    weights = dict.fromkeys(FEATURES, 0.0) | {"skills": 1.0}
    best = _evaluate(rows, dev, truth, weights, pools)["recall@10"]
    for _ in range(2):
        for f in FEATURES:
            for w in _GRID:
                trial = weights | {f: w}
                if not any(trial.values()):
                    continue
                got = _evaluate(rows, dev, truth, trial, pools)["recall@10"]
                if got > best + 1e-9:
                    best, weights = got, trial
    return RelatedResult(
        queries={"dev": len(dev), "test": len(test)},
        baseline={
            "dev": _evaluate(rows, dev, truth, BASELINE),
            "test": _evaluate(rows, test, truth, BASELINE),
        },
        tuned={"dev": _evaluate(rows, dev, truth, weights), "test": _evaluate(rows, test, truth, weights)},
        weights={f: w for f, w in weights.items() if w},
    )

"""Suggested matches (``careerkg suggest-matches``): time, counts and how good they are.

Prints, for a store holding curated + O*NET + ESCO + the crosswalk (docs/quality.md, section 3):

- seconds and suggestions per direction (nothing is written: the store is opened read-only);
- curated careers: how often the top (and top 3) suggestion is the career's own curated
  ``onet:``/``esco:`` link, which the predictor never reads, by the link's kind and by the top
  suggestion's (calibrated) confidence; the same without the ISCO/SOC priors (a curated ISCO code was
  probably written from the same ESCO occupation as the curated ``esco:`` link);
- the O*NET -> ESCO direction on the crosswalk itself: every O*NET occupation the crosswalk
  links to ESCO occupations, ranked with its own links left out of the priors; hit@1 and hit@5
  (any linked ESCO occupation counts), beside the one-TF-IDF baseline, for all of them and for
  the dev and test halves (:func:`careerkg.quality.text.in_dev`). ``suggest.ESCO_WEIGHTS`` were
  tuned on the dev half (with priors counted on the dev half's links only; here they come from
  the whole crosswalk less each query's own links, as for a suggestion).

Run on a copy of the full store::

    flock /tmp/ckg-bench.lock python benchmarks/bench_suggest.py --store COPY
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from careerkg.imports.skill_matching import select
from careerkg.namespaces import graph_iri
from careerkg.quality import suggest
from careerkg.quality.crosswalk import onet_skill_text
from careerkg.quality.text import in_dev
from careerkg.store import OxigraphStore


def _curated_links(store) -> dict[str, dict[str, tuple[str, str]]]:
    found: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for c, p, m in select(
        store,
        "SELECT ?c ?p ?m WHERE { GRAPH ?g { ?c a ckg:Career . "
        "VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch } ?c ?p ?m } }",
        {"g": graph_iri("curated")},
        ("c", "p", "m"),
    ):
        taxonomy = "onet" if "/onet/occupation/" in m else "esco" if "/esco/occupation/" in m else None
        if taxonomy:
            found[c][taxonomy] = (m, p.rsplit("#", 1)[-1])
    return found


def _agreement(
    report: suggest.SuggestionReport, links: dict[str, dict[str, tuple[str, str]]], title: str
) -> None:
    by: dict[tuple[str, str], list[suggest.Suggestion]] = defaultdict(list)
    for s in report.suggestions:
        by[(s.career, s.taxonomy)].append(s)
    print(f"\n{title}")
    for taxonomy in ("onet", "esco"):
        for kind in ("all", "exactMatch", "closeMatch", "broadMatch", "narrowMatch"):
            items = [
                (c, d[taxonomy][0])
                for c, d in links.items()
                if taxonomy in d and kind in ("all", d[taxonomy][1])
            ]
            if not items:
                continue
            top1 = sum(1 for c, m in items if by[(c, taxonomy)][:1] and by[(c, taxonomy)][0].occupation == m)
            top3 = sum(1 for c, m in items if any(s.occupation == m for s in by[(c, taxonomy)]))
            print(
                f"  curated -> {taxonomy:4s} vs the curated {kind:11s}: {len(items):3d} careers, "
                f"top-1 {top1} ({top1 / len(items):.3f}), top-3 {top3} ({top3 / len(items):.3f})"
            )
        bands: dict[float, list[int]] = defaultdict(lambda: [0, 0])
        for c, d in links.items():
            if taxonomy in d and by[(c, taxonomy)]:
                s = by[(c, taxonomy)][0]
                band = bands[min(int(s.confidence * 10), 9) / 10]
                band[0] += 1
                band[1] += int(s.occupation == d[taxonomy][0])
        print(
            f"  {taxonomy} top-1 by confidence (band: careers, agreeing): "
            + "; ".join(f"{b:.1f}: {n}, {a}" for b, (n, a) in sorted(bands.items()))
        )


def _onet_to_esco(suggester: suggest.Suggester) -> None:
    gold: dict[str, set[int]] = defaultdict(set)
    at = {o.iri: i for i, o in enumerate(suggester.esco_targets)}
    for o, e in suggester.links:
        gold[o].add(at[e])
    labels = suggester.labels["onet"]
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for o in sorted(gold):
        q = suggester.onet[o]
        row = suggester.esco_row(
            q,
            onet_skill_text(q, labels),
            "",
            same_isco=False,
            leave_out=[suggester.esco_targets[i].iri for i in gold[o]],
        )
        for name, weights in (("tuned", suggest.ESCO_WEIGHTS), ("baseline", {"all_text": 1.0})):
            ranked = [i for i, _, _ in suggest.rank_targets(row, weights, 5)]
            for half in ("all", "dev" if in_dev(o) else "test"):
                got = hits[(name, half)]
                got[0] += bool(gold[o] & set(ranked[:1]))
                got[1] += bool(gold[o] & set(ranked))
                got[2] += 1
    n = len(gold)
    print(f"\nO*NET -> ESCO on the crosswalk ({n} O*NET occupations, own links left out of the priors)")
    for (name, half), (h1, h5, n) in hits.items():
        print(f"  {name:8s} {half:4s} ({n:3d}) hit@1 {h1 / n:.3f}  hit@5 {h5 / n:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True)
    args = ap.parse_args()
    store = OxigraphStore(args.store, read_only=True)
    started = time.perf_counter()
    report = suggest.suggest_matches(store)
    print(f"suggest_matches: {time.perf_counter() - started:.1f}s, {len(report.suggestions):,} suggestions")
    for name, n in report.counts().items():
        print(f"  {name}: {n:,}")
    links = _curated_links(store)
    _agreement(report, links, "Against the curated links (never read by the predictor)")
    saved = [(d, dict(d)) for d in (suggest.WEIGHTS, suggest.ESCO_WEIGHTS)]
    try:
        for d, weights in saved:
            d.update({f: 0.0 for f in weights if f.endswith("_prior")})
        _agreement(suggest.suggest_matches(store), links, "The same without the ISCO/SOC priors")
    finally:
        for d, weights in saved:
            d.clear()
            d.update(weights)
    _onet_to_esco(suggest.Suggester(store))


if __name__ == "__main__":
    main()

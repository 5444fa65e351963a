"""The calibrated confidence of ``careerkg suggest-matches``: fit it on dev, measure it on test.

A suggestion's ``ckg:matchConfidence`` is the probability that the occupation is one the
official crosswalk would link (``careerkg.quality.suggest.calibrated``). Its ground truth is
the crosswalk itself: every occupation it links, ranked as a suggestion would be with its own
links left out of the priors (``Suggester.held_out``), ESCO -> O*NET with ``suggest.WEIGHTS``
and O*NET -> ESCO with ``suggest.ESCO_WEIGHTS``; each of its 3 best suggestions is right when
the crosswalk links it (any match type). The queries split into dev and test halves by
``careerkg.quality.text.in_dev``, as ``careerkg evaluate`` splits them.

- ``--fit``: fit the isotonic maps on the dev half (``suggest.fit_calibration``) and write
  ``src/careerkg/quality/calibration.json``; prints the dev figures.
- otherwise (``--half test`` by default): the reliability table (bins of predicted confidence:
  count, mean predicted, share right), expected calibration error and Brier score of the
  calibrated confidence beside the raw score, per direction and over both; and the curated
  careers' top suggestion against their curated link, by calibrated-confidence bin.

Run on a copy of the full store (read-only here; ~2 min)::

    flock -s /tmp/ckg-bench.lock python benchmarks/calibrate_suggestions.py --store COPY --fit
    flock -s /tmp/ckg-bench.lock python benchmarks/calibrate_suggestions.py --store COPY
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from careerkg.quality import suggest
from careerkg.quality.calibration import brier, ece, reliability
from careerkg.store import OxigraphStore

sys.path.insert(0, str(Path(__file__).parent))
from bench_suggest import _curated_links

NAMES = {"onet": "ESCO -> O*NET", "esco": "O*NET -> ESCO"}


def _dumps(fit: dict) -> str:
    """JSON with each list of numbers on one line (a map per line pair, easy to diff)."""
    text = json.dumps(fit, indent=1)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text) + "\n"


def _table(title: str, pairs: list[tuple[float, float]]) -> None:
    print(f"  {title}: ECE {ece(pairs):.3f}  Brier {brier(pairs):.3f}  (n {len(pairs)})")
    print("    bin        count  mean predicted  share right")
    for r in reliability(pairs):
        print(f"    {r.lo:.1f}-{r.hi:.1f}  {r.count:6d}  {r.predicted:14.3f}  {r.observed:11.3f}")


def measure(samples: dict[str, list[tuple[int, float, bool]]], half: str) -> None:
    both_raw: list[tuple[float, float]] = []
    both_cal: list[tuple[float, float]] = []
    for taxonomy, rows in samples.items():
        raw = [(score, float(right)) for _, score, right in rows]
        cal = [(suggest.calibrated(taxonomy, rank, score), float(right)) for rank, score, right in rows]
        both_raw += raw
        both_cal += cal
        queries = sum(1 for rank, _, _ in rows if rank == 1)
        print(f"\n{NAMES[taxonomy]}, {half} half: {queries} queries, top {suggest.CALIBRATION_SETTINGS['k']}")
        _table("raw score", raw)
        _table("calibrated", cal)
        for group, ranks in suggest.CALIBRATION_SETTINGS["rank_groups"].items():
            part = [(p, y) for (p, y), (rank, _, _) in zip(cal, rows, strict=True) if rank in ranks]
            part_raw = [(p, y) for (p, y), (rank, _, _) in zip(raw, rows, strict=True) if rank in ranks]
            print(
                f"    rank {group}: n {len(part)}, ECE raw {ece(part_raw):.3f} calibrated {ece(part):.3f}, "
                f"Brier raw {brier(part_raw):.3f} calibrated {brier(part):.3f}"
            )
    print(f"\nboth directions, {half} half")
    _table("raw score", both_raw)
    _table("calibrated", both_cal)


def curated_agreement(store) -> None:
    """The curated careers' top suggestion against their curated link, by confidence bin."""
    report = suggest.suggest_matches(store)
    links = _curated_links(store)
    top = {(s.career, s.taxonomy): s for s in report.suggestions if s.rank == 1}
    print("\ncurated careers: top suggestion = the curated link, by confidence bin (careers, agreeing)")
    for taxonomy in ("onet", "esco"):
        for name, value in (("calibrated", lambda s: s.confidence), ("raw", lambda s: s.score)):
            bins: dict[float, list[int]] = defaultdict(lambda: [0, 0])
            for c, d in links.items():
                s = top.get((c, taxonomy))
                if taxonomy in d and s:
                    b = bins[min(int(value(s) * 10), 9) / 10]
                    b[0] += 1
                    b[1] += int(s.occupation == d[taxonomy][0])
            n, a = sum(b[0] for b in bins.values()), sum(b[1] for b in bins.values())
            mean = sum(
                value(top[(c, taxonomy)]) for c, d in links.items() if taxonomy in d and (c, taxonomy) in top
            )
            print(
                f"  {taxonomy} by {name}: {a}/{n} agree, mean {name} {mean / max(1, n):.3f}; "
                + "; ".join(f"{b:.1f}: {k}, {g}" for b, (k, g) in sorted(bins.items()))
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--fit", action="store_true", help="fit on dev and write calibration.json")
    ap.add_argument("--half", choices=("dev", "test"), default="test", help="the half to measure")
    args = ap.parse_args()
    store = OxigraphStore(args.store, read_only=True)
    started = time.perf_counter()
    suggester = suggest.Suggester(store)
    half = "dev" if args.fit else args.half
    k = suggest.CALIBRATION_SETTINGS["k"]
    samples = {t: suggest.calibration_sample(suggester, t, dev=half == "dev", k=k) for t in ("onet", "esco")}
    print(f"samples: {time.perf_counter() - started:.1f}s")
    if args.fit:
        fit = suggest.fit_calibration(samples)
        suggest.CALIBRATION.write_text(_dumps(fit), encoding="utf-8")
        suggest._calibrations.cache_clear()
        for taxonomy, maps in fit["maps"].items():
            for group, m in maps.items():
                knots = ", ".join(
                    f"{x:.3f}:{y:.3f}" for x, y in zip(m["score"], m["probability"], strict=True)
                )
                print(f"{NAMES[taxonomy]} rank {group} (n {m['n']}): {knots}")
        print(f"wrote {suggest.CALIBRATION}")
    measure(samples, half)
    if not args.fit:
        curated_agreement(store)


if __name__ == "__main__":
    main()

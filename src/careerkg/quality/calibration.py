"""Calibration: a monotone map from a score to the probability that what it ranks is right.

:func:`fit_isotonic` is isotonic regression by pool-adjacent-violators, in plain Python: the
non-decreasing step function of the score that is closest (least squares) to the outcomes
(1 right, 0 wrong), with blocks of at least ``min_count`` samples and each block's share
shrunk toward the sample's overall share by ``prior`` pseudo-samples (so that no block of a
small sample says 0 or 1). :class:`Calibration` holds the result as a few (score, probability)
knots and reads it by linear interpolation between them, clamped at both ends, as
scikit-learn's ``IsotonicRegression`` does. :func:`reliability`, :func:`ece` and :func:`brier`
measure how well a confidence reads as a probability.

>>> cal = fit_isotonic([(0.1, 0), (0.2, 0), (0.3, 1), (0.4, 0), (0.8, 1), (0.9, 1)])
>>> [round(cal(s), 3) for s in (0.0, 0.1, 0.35, 0.9, 1.0)]
[0.0, 0.0, 0.5, 1.0, 1.0]
>>> round(ece([(0.9, 1), (0.9, 0)]), 3), round(brier([(0.9, 1), (0.9, 0)]), 3)
(0.4, 0.41)
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Calibration", "ReliabilityRow", "brier", "ece", "fit_isotonic", "pav", "reliability"]

Sample = tuple[float, float]  # (confidence or score, outcome: 1 right, 0 wrong)


def pav(values: Sequence[float], weights: Sequence[float]) -> list[tuple[int, int, float, float]]:
    """Pool adjacent violators: the blocks (first, last index, mean, weight) of the weighted
    least-squares non-decreasing fit to ``values`` (in their order); equal neighbours pool.

    >>> pav([1.0, 0.0, 0.5, 2.0], [1, 1, 2, 1])
    [(0, 2, 0.5, 4), (3, 3, 2.0, 1)]
    """
    blocks: list[list[Any]] = []
    for i, (v, w) in enumerate(zip(values, weights, strict=True)):
        blocks.append([i, i, v, w])
        while len(blocks) > 1 and blocks[-2][2] >= blocks[-1][2]:
            b = blocks.pop()
            a = blocks[-1]
            total = a[3] + b[3]
            a[1], a[2], a[3] = b[1], (a[2] * a[3] + b[2] * b[3]) / total if total else a[2], total
    return [(a, b, v, w) for a, b, v, w in blocks]


@dataclass(frozen=True)
class Calibration:
    """A monotone map score -> probability: knots ``xs`` (increasing) and ``ys``
    (non-decreasing), read by linear interpolation, clamped outside ``xs``; ``n``: the samples
    it was fitted on.

    >>> cal = Calibration((0.2, 0.4), (0.1, 0.5))
    >>> [round(cal(s), 3) for s in (0.0, 0.3, 0.9)]
    [0.1, 0.3, 0.5]
    """

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    n: int = 0

    def __post_init__(self) -> None:
        if not self.xs or len(self.xs) != len(self.ys):
            raise ValueError("a calibration needs as many probabilities as scores, at least one")
        if any(b <= a for a, b in itertools.pairwise(self.xs)) or any(
            b < a for a, b in itertools.pairwise(self.ys)
        ):
            raise ValueError("a calibration's scores must increase and its probabilities not fall")
        if not all(0.0 <= y <= 1.0 for y in self.ys):
            raise ValueError("a calibration's probabilities must lie in [0, 1]")

    def __call__(self, score: float) -> float:
        xs, ys = self.xs, self.ys
        if score <= xs[0]:
            return ys[0]
        if score >= xs[-1]:
            return ys[-1]
        j = bisect.bisect_right(xs, score)
        x0, x1, y0, y1 = xs[j - 1], xs[j], ys[j - 1], ys[j]
        return y0 + (y1 - y0) * (score - x0) / (x1 - x0)

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "score": list(self.xs), "probability": list(self.ys)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibration:
        return cls(tuple(data["score"]), tuple(data["probability"]), int(data.get("n", 0)))


def fit_isotonic(samples: Iterable[Sample], *, min_count: int = 1, prior: float = 0.0) -> Calibration:
    """Isotonic regression of outcome on score (see the module docstring).

    ``min_count``: a block of fewer samples pools with the neighbour nearer in probability
    (pooling neighbours keeps the fit monotone). ``prior``: pseudo-samples at the overall
    share added to each block (0: the plain fit). Each block gives two knots, at its lowest and
    highest score (one when they are equal), so the fit is exact on the scores it saw and
    linear between blocks.

    >>> sample = [(0.1, 0), (0.2, 0), (0.3, 1), (0.4, 0), (0.5, 1), (0.6, 1)]
    >>> fit_isotonic(sample).ys
    (0.0, 0.0, 0.5, 0.5, 1.0, 1.0)
    >>> fit_isotonic(sample, prior=2).ys
    (0.25, 0.25, 0.5, 0.5, 0.75, 0.75)
    """
    by_score: dict[float, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for score, outcome in samples:
        got = by_score[float(score)]
        got[0] += float(outcome)
        got[1] += 1.0
    if not by_score:
        raise ValueError("no samples to calibrate on")
    xs = sorted(by_score)
    blocks = [
        [xs[a], xs[b], v, w]
        for a, b, v, w in pav([by_score[x][0] / by_score[x][1] for x in xs], [by_score[x][1] for x in xs])
    ]
    while len(blocks) > 1:
        small = min(range(len(blocks)), key=lambda i: (blocks[i][3], i))
        if blocks[small][3] >= min_count:
            break
        if small == 0:
            other = 1
        elif small == len(blocks) - 1:
            other = small - 1
        else:
            gaps = [abs(blocks[small][2] - blocks[j][2]) for j in (small - 1, small + 1)]
            other = small - 1 if gaps[0] <= gaps[1] else small + 1
        a, b = sorted((small, other))
        w = blocks[a][3] + blocks[b][3]
        blocks[a] = [
            blocks[a][0],
            blocks[b][1],
            (blocks[a][2] * blocks[a][3] + blocks[b][2] * blocks[b][3]) / w,
            w,
        ]
        del blocks[b]
    total = sum(b[3] for b in blocks)
    share = sum(b[2] * b[3] for b in blocks) / total
    if prior:
        shrunk = [(b[2] * b[3] + share * prior) / (b[3] + prior) for b in blocks]
        pooled = pav(shrunk, [b[3] + prior for b in blocks])  # shrinking can unsort neighbours
        blocks = [[blocks[i][0], blocks[j][1], v, w - prior * (j - i + 1)] for i, j, v, w in pooled]
    knots_x: list[float] = []
    knots_y: list[float] = []
    for lo, hi, v, _ in blocks:
        for x in (lo, hi) if hi > lo else (lo,):
            knots_x.append(x)
            knots_y.append(min(1.0, max(0.0, v)))
    return Calibration(tuple(knots_x), tuple(knots_y), int(total))


@dataclass(frozen=True)
class ReliabilityRow:
    """One bin of predicted confidence: [lo, hi), its samples, mean confidence, share right."""

    lo: float
    hi: float
    count: int
    predicted: float
    observed: float


def reliability(samples: Iterable[Sample], bins: int = 10) -> list[ReliabilityRow]:
    """The reliability table: ``bins`` equal-width bins of confidence over [0, 1] (1.0 in the
    last), the empty ones left out.

    >>> [(r.lo, r.count, r.predicted, r.observed) for r in reliability([(0.05, 0), (0.15, 1), (0.95, 1)], 2)]
    [(0.0, 2, 0.1, 0.5), (0.5, 1, 0.95, 1.0)]
    """
    acc: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for p, y in samples:
        got = acc[min(bins - 1, max(0, int(p * bins)))]
        got[0] += 1
        got[1] += p
        got[2] += y
    return [
        ReliabilityRow(b / bins, (b + 1) / bins, int(n), s / n, r / n) for b, (n, s, r) in sorted(acc.items())
    ]


def ece(samples: Iterable[Sample], bins: int = 10) -> float:
    """Expected calibration error: the count-weighted mean |mean confidence - share right| over
    the bins of :func:`reliability`."""
    rows = reliability(samples, bins)
    n = sum(r.count for r in rows)
    return sum(r.count * abs(r.predicted - r.observed) for r in rows) / n if n else 0.0


def brier(samples: Iterable[Sample]) -> float:
    """The mean squared difference between confidence and outcome (0 best)."""
    pairs = list(samples)
    return sum((p - y) ** 2 for p, y in pairs) / len(pairs) if pairs else 0.0

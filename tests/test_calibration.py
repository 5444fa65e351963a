"""Calibration of the suggested matches' confidence (``careerkg.quality.calibration`` and the
fitted map ``suggest.calibrated`` reads): isotonic regression by pool-adjacent-violators on
made-up samples small enough to check by hand, the reliability measures, and the shipped map."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from careerkg.quality import suggest
from careerkg.quality.calibration import Calibration, brier, ece, fit_isotonic, pav, reliability


def test_pav_pools_the_violators_into_their_weighted_mean() -> None:
    assert pav([0.0, 1.0, 0.0, 1.0], [1, 1, 1, 1]) == [(0, 0, 0.0, 1), (1, 2, 0.5, 2), (3, 3, 1.0, 1)]
    assert pav([3.0, 2.0, 1.0], [1, 1, 2]) == [(0, 2, 1.75, 4)]
    assert pav([], []) == []


def test_a_tiny_sample_gives_the_expected_map() -> None:
    # scores 0.1..0.6; right: no, no, yes, no, yes, yes -> blocks {0.1, 0.2}: 0, {0.3, 0.4}: 1/2,
    # {0.5, 0.6}: 1; between blocks the map is linear, outside it is clamped
    sample = [(0.1, 0), (0.2, 0), (0.3, 1), (0.4, 0), (0.5, 1), (0.6, 1)]
    cal = fit_isotonic(sample)
    assert cal.xs == (0.1, 0.2, 0.3, 0.4, 0.5, 0.6) and cal.ys == (0.0, 0.0, 0.5, 0.5, 1.0, 1.0)
    assert cal.n == 6
    assert [cal(s) for s in (0.0, 0.15, 0.25, 0.35, 0.45, 0.9)] == pytest.approx([0, 0, 0.25, 0.5, 0.75, 1])
    # two pseudo-samples at the overall share (1/2) per block keep it off 0 and 1
    assert fit_isotonic(sample, prior=2).ys == (0.25, 0.25, 0.5, 0.5, 0.75, 0.75)
    # blocks of fewer than 4 pool with their nearer neighbour: all six into one
    assert fit_isotonic(sample, min_count=4).ys == (0.5, 0.5)


def test_ties_in_score_share_one_value() -> None:
    cal = fit_isotonic([(0.3, 1), (0.3, 0), (0.3, 0), (0.7, 1)])
    assert cal.xs == (0.3, 0.7) and cal.ys == pytest.approx((1 / 3, 1.0))


@pytest.mark.parametrize("seed", range(5))
def test_the_fit_is_monotone_and_a_probability(seed: int) -> None:
    rng = random.Random(seed)
    sample = [(s, float(rng.random() < s)) for s in (rng.random() for _ in range(300))]
    for min_count, prior in ((1, 0), (20, 4)):
        cal = fit_isotonic(sample, min_count=min_count, prior=prior)
        grid = [i / 200 for i in range(201)]
        values = [cal(s) for s in grid]
        assert all(0.0 <= v <= 1.0 for v in values)
        assert all(b >= a for a, b in itertools.pairwise(values))
        # the fit keeps the overall share right (least squares keeps each block's mean)
        if not prior:
            mean = sum(cal(s) for s, _ in sample) / len(sample)
            assert mean == pytest.approx(sum(y for _, y in sample) / len(sample))


def test_a_map_that_is_not_monotone_is_refused() -> None:
    with pytest.raises(ValueError, match="must increase"):
        Calibration((0.2, 0.1), (0.1, 0.2))
    with pytest.raises(ValueError, match="not fall"):
        Calibration((0.1, 0.2), (0.5, 0.4))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Calibration((0.1,), (1.5,))
    with pytest.raises(ValueError, match="no samples"):
        fit_isotonic([])


def test_reliability_ece_and_brier_by_hand() -> None:
    sample = [(0.05, 0), (0.15, 1), (0.15, 0), (0.95, 1)]
    rows = reliability(sample, bins=2)
    assert [(r.lo, r.hi, r.count) for r in rows] == [(0.0, 0.5, 3), (0.5, 1.0, 1)]
    assert rows[0].predicted == pytest.approx(0.35 / 3) and rows[0].observed == pytest.approx(1 / 3)
    # ECE: 3/4 * |0.1167 - 0.3333| + 1/4 * |0.95 - 1|
    assert ece(sample, bins=2) == pytest.approx(0.75 * (1 / 3 - 0.35 / 3) + 0.25 * 0.05)
    assert brier(sample) == pytest.approx((0.05**2 + 0.85**2 + 0.15**2 + 0.05**2) / 4)
    assert reliability([(1.0, 1)], bins=10)[0].lo == 0.9  # 1.0 falls in the last bin
    assert ece([]) == 0.0 and brier([]) == 0.0


def test_fit_calibration_fits_one_map_per_taxonomy_and_rank_group() -> None:
    rows = [(1, 0.2, False), (1, 0.6, True), (2, 0.3, True), (3, 0.1, False), (4, 0.9, True)]
    settings = {"rank_groups": {"1": [1], "2+": [2, 3]}, "min_count": 1, "prior": 0}
    fit = suggest.fit_calibration({"esco": rows}, settings)
    assert fit["maps"]["esco"]["1"] == {"n": 2, "score": [0.2, 0.6], "probability": [0.0, 1.0]}
    assert fit["maps"]["esco"]["2+"] == {"n": 2, "score": [0.1, 0.3], "probability": [0.0, 1.0]}


def test_the_shipped_calibration_reads_as_a_probability() -> None:
    data = json.loads(suggest.CALIBRATION.read_text(encoding="utf-8"))
    assert data["settings"] == suggest.CALIBRATION_SETTINGS
    assert set(data["maps"]) == {"onet", "esco"}
    grid = [i / 100 for i in range(101)]
    for taxonomy in ("onet", "esco"):
        for rank in (1, 2, 3, 5):
            values = [suggest.calibrated(taxonomy, rank, s) for s in grid]
            assert all(0.0 <= v <= 1.0 for v in values)
            assert all(b >= a for a, b in itertools.pairwise(values))  # rises with the score
        for s in grid:  # and does not rise with the rank
            assert suggest.calibrated(taxonomy, 2, s) <= suggest.calibrated(taxonomy, 1, s)
        # a top suggestion with a strong score is likely right, a weak third one is not
        assert suggest.calibrated(taxonomy, 1, 0.4) > 0.9 > 0.2 > suggest.calibrated(taxonomy, 3, 0.08)

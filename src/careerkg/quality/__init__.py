"""Answer quality against independent ground truth (``careerkg evaluate``).

Each measure withholds its ground truth from the inputs of what it measures, tunes any weights
on a dev half and reports the test half beside a simple baseline (docs/quality.md):

- ``pairs``: skill matches against the labelled sample in ``tests/data/skill_pairs.csv``;
- ``related``: related careers against O*NET's Related Occupations (:mod:`.related`);
- ``crosswalk``: ESCO -> O*NET occupation matching against the official crosswalk
  (:mod:`.crosswalk`);
- ``free-text``: ESCO alternative labels resolved to their skill (:mod:`.skills`);
- ``coverage``: skill coverage between crosswalk ``exactMatch`` pairs (:mod:`.crosswalk`).

A measure whose sources are not in the store is skipped (its row says so).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..namespaces import graph_iri
from ..store import GraphStore

__all__ = ["MEASURES", "Row", "evaluate", "targets"]

MEASURES = ("pairs", "related", "crosswalk", "free-text", "coverage")

#: The targets of issue 12, by (measure, metric).
targets = {
    ("pairs", "precision (links traversal uses)"): 0.95,
    ("pairs", "recall of pairs judged same"): 0.80,
    ("related", "recall@10 Primary-Short"): 0.60,
    ("crosswalk", "hit@1"): 0.70,
    ("crosswalk", "hit@5"): 0.92,
    ("coverage", "median coverage"): 0.5,
}


@dataclass
class Row:
    """One line of the table: a metric of a measure, with its baseline, on dev and test."""

    measure: str
    metric: str
    baseline_dev: float | None = None
    baseline_test: float | None = None
    dev: float | None = None
    test: float | None = None
    note: str = ""
    target: float | None = field(default=None)

    def met(self) -> bool | None:
        if self.target is None or self.test is None:
            return None
        return self.test >= self.target


def _needs(store: GraphStore, *sources: str) -> str | None:
    missing = [s for s in sources if not store.has_graph(graph_iri(s))]
    return f"skipped: no {', '.join(missing)} graph in the store" if missing else None


def _pairs(store: GraphStore, pairs_file: Path | None) -> list[Row]:
    from .skills import evaluate_pairs, read_pairs

    path = pairs_file or Path(__file__).resolve().parents[3] / "tests" / "data" / "skill_pairs.csv"
    if not path.is_file():
        return [Row("pairs", "precision (links traversal uses)", note=f"skipped: no {path}")]
    r = evaluate_pairs(store, read_pairs(path))
    metrics = (
        (
            "precision",
            "precision (links traversal uses)",
            f"{int(r.used['all']['links'])} of {r.pairs} labelled pairs linked; baseline: the "
            "importer before the revised rules",
        ),
        ("recall", "recall of pairs judged same", f"{r.labels.get('same', 0)} pairs judged same"),
    )
    rows = _split_rows("pairs", r.baseline, r.used, metrics)
    for method, conf, link, n, same, dev, test in r.by_method:
        rows.append(
            Row(
                "pairs", f"precision: {method} {conf:.1f} {link}", dev=dev, test=test, note=f"{same}/{n} same"
            )
        )
    return rows


def _related(store: GraphStore) -> list[Row]:
    from .data import onet_occupations, onet_related
    from .related import evaluate_related

    r = evaluate_related(onet_occupations(store), onet_related(store))
    note = f"{r.queries['dev']}/{r.queries['test']} occupations dev/test; weights {r.weights}"
    labels = {
        "recall@10": "recall@10 Primary-Short",
        "recall@20": "recall@20 Primary-Short+Long",
        "MRR": "MRR (first Primary-Short)",
    }
    return _tuned_rows("related", r, labels, note)


def _crosswalk(store: GraphStore) -> list[Row]:
    from .crosswalk import evaluate_matching
    from .data import crosswalk_links, esco_occupations, onet_occupations, skill_labels

    r = evaluate_matching(
        esco_occupations(store),
        onet_occupations(store),
        crosswalk_links(store),
        skill_labels(store, "esco"),
        skill_labels(store, "onet"),
    )
    note = f"{r.queries['dev']}/{r.queries['test']} ESCO occupations dev/test; weights {r.weights}"
    return _tuned_rows("crosswalk", r, {"hit@1": "hit@1", "hit@5": "hit@5"}, note)


def _free_text(store: GraphStore, sample: int | None) -> list[Row]:
    from .skills import evaluate_free_text

    r = evaluate_free_text(store, sample=sample)
    q = r.queries
    note = f"{q['dev']}/{q['test']} of {q['held-out labels']} held-out labels dev/test; weights {r.weights}"
    return _tuned_rows("free-text", r, {"recall@1": "recall@1", "recall@5": "recall@5"}, note)


def _tuned_rows(measure: str, result: Any, labels: dict[str, str], note: str) -> list[Row]:
    """Rows for a measure tuned on dev: each metric (key -> shown label) with its baseline and
    tuned figure on dev and on test (``result.baseline`` / ``result.tuned`` by split)."""
    metrics = [(key, label, note) for key, label in labels.items()]
    return _split_rows(measure, result.baseline, result.tuned, metrics)


def _split_rows(
    measure: str,
    baseline: dict[str, dict[str, float]],
    figures: dict[str, dict[str, float]],
    metrics: Sequence[tuple[str, str, str]],
) -> list[Row]:
    """One row per metric (key, shown label, note): the baseline and the figure on dev and test."""
    rows = []
    for key, label, note in metrics:
        dev, test = figures["dev"][key], figures["test"][key]
        rows.append(Row(measure, label, baseline["dev"][key], baseline["test"][key], dev, test, note))
    return rows


def _coverage(store: GraphStore) -> list[Row]:
    from ..network.views import views_for
    from .crosswalk import evaluate_gap_coverage
    from .data import crosswalk_links

    r = evaluate_gap_coverage(views_for(store).career_skill(), crosswalk_links(store))
    q1, _, q3 = r.quartiles
    return [
        Row(
            "coverage",
            "median coverage",
            None,
            r.baseline_median,
            None,
            r.median,
            f"{r.pairs} exactMatch pairs, O*NET -> ESCO, as `gap` says; quartiles {q1:.2f}/{q3:.2f}; "
            f"{r.share_above_half:.0%} >= 0.5; a non-matching O*NET occupation: median "
            f"{r.control_median:.3f}; baseline: the O*NET occupation's own skills only",
        )
    ]


def evaluate(
    store: GraphStore,
    measures: Sequence[str] = MEASURES,
    *,
    pairs_file: Path | None = None,
    free_text_sample: int | None = 2000,
    progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """The table of ``careerkg evaluate``: rows of the chosen measures."""
    runs: dict[str, tuple[tuple[str, ...], Callable[[], list[Row]]]] = {
        "pairs": (("curated",), lambda: _pairs(store, pairs_file)),
        "related": (("onet",), lambda: _related(store)),
        "crosswalk": (("onet", "esco", "crosswalk"), lambda: _crosswalk(store)),
        "free-text": (("esco",), lambda: _free_text(store, free_text_sample)),
        "coverage": (("onet", "esco", "crosswalk"), lambda: _coverage(store)),
    }
    rows: list[Row] = []
    for name in measures:
        if name not in runs:
            raise ValueError(f"unknown measure {name!r}; choose from {', '.join(MEASURES)}")
        sources, run = runs[name]
        if progress:
            progress(name)
        skipped = _needs(store, *sources)
        got = [Row(name, "-", note=skipped)] if skipped else run()
        for row in got:
            row.target = targets.get((row.measure, row.metric))
        rows.extend(got)
    return rows

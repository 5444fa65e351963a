"""Suggested occupation matches for careers the official ESCO-O*NET crosswalk does not cover.

The occupation predictor of :mod:`.crosswalk` (measured there with the crosswalk withheld:
docs/quality.md, section 3) ranks the occupations of one taxonomy for a career of another.
:func:`suggest_matches` uses it, with weights tuned on the crosswalk's dev half for each
direction (:data:`WEIGHTS` with O*NET occupations as targets, :data:`ESCO_WEIGHTS` with ESCO
occupations as targets), for:

- every curated career -> O*NET and -> ESCO (the crosswalk knows no curated career; their own
  ``onet:``/``esco:`` links are *not* read, so the suggestions can be checked against them);
- every ESCO occupation that no crosswalk link names -> O*NET;
- every O*NET occupation that no crosswalk link names -> ESCO (an O*NET occupation the
  crosswalk maps to an ISCO group only, ``exactISCO``, is covered: the crosswalk decided that
  no ESCO occupation fits).

The ISCO -> SOC priors are counted on the whole crosswalk here (a suggestion is never for an
occupation the crosswalk covers, so none sees its own links). :func:`write_suggestions`
replaces the ``suggested`` named graph (:data:`SUGGESTED`) atomically, with provenance, never
the crosswalk graph: ``ckg:suggestedMatch`` edges (not skos mappings, so traversal never
treats the two as one career) and a qualified ``ckg:SuggestedMatch`` node for each, with
``ckg:matchRank``, ``ckg:matchConfidence`` and ``ckg:matchMethod``.

The confidence is a calibrated probability that the occupation is one the crosswalk would link
(:func:`calibrated`): the predictor's raw score (:func:`confidence`, the combined score over its
largest possible value) read through a monotone map per taxonomy and rank group, fitted by
isotonic regression on the crosswalk's dev half (:func:`fit_calibration`, stored in
``calibration.json`` beside this module; refit with ``benchmarks/calibrate_suggestions.py
--fit``). The raw score stays in the method text and in :attr:`Suggestion.score`.

>>> round(confidence({"titles": 1.0, "exact_title": 1.0}, {"titles": 1.0, "exact_title": 1.0}), 3)
1.0
>>> calibrated("onet", 1, 0.0) <= calibrated("onet", 1, 0.5) <= calibrated("onet", 1, 1.0) <= 1.0
True
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from ..data.build import LICENSE, provenance
from ..data.model import suggested_match_iri
from ..errors import InputError
from ..imports import ATTRIBUTION
from ..imports.terms import NTWriter, decimal, iri, lit, typed
from ..namespaces import CKG, graph_iri
from ..network.build import source_of
from ..store import GraphStore
from .calibration import Calibration, fit_isotonic
from .crosswalk import (
    OccupationMatcher,
    add_catch_all,
    add_priors,
    catch_all_cover,
    esco_skill_text,
    group_prior,
    occupation_prior,
    onet_skill_text,
    parent_labels,
)
from .data import (
    Occupation,
    covered_by_crosswalk,
    crosswalk_links,
    curated_occupations,
    esco_occupations,
    onet_occupations,
    skill_labels,
)
from .text import in_dev

__all__ = [
    "CALIBRATION",
    "CALIBRATION_SETTINGS",
    "ESCO_WEIGHTS",
    "EVIDENCE",
    "METHOD",
    "SUGGESTED",
    "WEIGHTS",
    "Suggester",
    "Suggestion",
    "SuggestionReport",
    "calibrated",
    "calibration_sample",
    "confidence",
    "fit_calibration",
    "rank_targets",
    "suggest_matches",
    "write_suggestions",
]

#: The named graph of the suggestions: never the crosswalk graph.
SUGGESTED = graph_iri("suggested")
METHOD = "occupation-predictor"
#: How each feature of :class:`~.crosswalk.OccupationMatcher` reads in a suggestion's method.
EVIDENCE = {
    "all_text": "all text",
    "titles": "title words",
    "title_bigrams": "title phrases",
    "label_bigrams": "preferred title",
    "exact_title": "same title",
    "parent_label": "parent occupation's title",
    "description": "description (and tasks)",
    "description_only": "descriptions",
    "skills": "skills",
    "isco4_prior": "ISCO/SOC group (4-digit)",
    "isco3_prior": "ISCO/SOC group (3-digit)",
    "isco2_prior": "ISCO/SOC group (2-digit)",
    "occ4_prior": "ISCO group -> occupation (4-digit)",
    "occ3_prior": "ISCO group -> occupation (3-digit)",
    "occ2_prior": "ISCO group -> occupation (2-digit)",
    "popularity": "often linked",
    "all_other": "residual 'All Other' of the best group",
}
#: The weights with O*NET occupations as targets (curated careers and ESCO occupations ->
#: O*NET): those ``careerkg evaluate --only crosswalk`` tuned on the crosswalk's dev half (full
#: store, O*NET 29.3 + ESCO v1.1.1; docs/quality.md, section 3). Features without weight are
#: not computed into the score; ``all_other`` is computed from the others with these weights.
WEIGHTS: dict[str, float] = {
    "titles": 2.0,
    "title_bigrams": 8.0,
    "exact_title": 1.0,
    "description": 4.0,
    "description_only": 2.0,
    "skills": 4.0,
    "isco4_prior": 1.0,
    "isco2_prior": 1.0,
    "occ4_prior": 1.0,
    "occ3_prior": 1.0,
    "occ2_prior": 0.5,
    "all_other": 1.0,
}
#: The weights with ESCO occupations as targets (curated careers and O*NET occupations ->
#: ESCO), tuned the same way on that direction's own dev half: the crosswalk's O*NET
#: occupations as queries (split by :func:`~.text.in_dev`), priors counted on the dev half's
#: links with each query's own links left out, coordinate ascent on hit@1 + hit@5 over the
#: grid of :mod:`.crosswalk` (docs/quality.md, section 3). The curated careers' own links are
#: not read. ``all_other`` has no ESCO counterpart.
ESCO_WEIGHTS: dict[str, float] = {
    "titles": 1.0,
    "title_bigrams": 4.0,
    "label_bigrams": 2.0,
    "exact_title": 1.0,
    "description": 4.0,
    "description_only": 0.25,
    "skills": 8.0,
    "isco4_prior": 1.0,
    "isco3_prior": 0.25,
    "occ2_prior": 1.0,
}
#: The fitted calibration (:func:`fit_calibration`): written by
#: ``benchmarks/calibrate_suggestions.py --fit``, read once on first use.
CALIBRATION = Path(__file__).with_name("calibration.json")
#: How the calibration is fitted: the suggestions a query gets (as ``suggest-matches`` makes
#: them), the rank groups with a map of their own, and :func:`~.calibration.fit_isotonic`'s
#: settings. Chosen by 2-fold cross-validation within the dev half (docs/quality.md, section 3).
CALIBRATION_SETTINGS: dict[str, Any] = {
    "k": 3,
    "rank_groups": {"1": [1], "2+": [2, 3]},
    "min_count": 20,
    "prior": 4,
}


@dataclass(frozen=True)
class Suggestion:
    """One suggested match: ``career`` (the query) -> ``occupation`` of ``taxonomy``, with the
    calibrated ``confidence`` (the probability it is right) and the predictor's raw ``score``."""

    career: str
    occupation: str
    taxonomy: str
    rank: int
    confidence: float
    method: str
    label: str = ""
    score: float = 0.0


@dataclass
class SuggestionReport:
    """What :func:`suggest_matches` did: queries and suggestions per direction, seconds."""

    suggestions: list[Suggestion] = field(default_factory=list)
    queries: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    triples: int = 0
    graph: str = str(SUGGESTED)

    def counts(self) -> dict[str, int]:
        """Careers that got suggestions and suggestions, per direction."""
        found: dict[str, int] = {}
        for direction, n in self.queries.items():
            got = [s for s in self.suggestions if _direction(s) == direction]
            found[f"{direction}: careers asked"] = n
            found[f"{direction}: careers with suggestions"] = len({s.career for s in got})
            found[f"{direction}: suggestions"] = len(got)
        return found

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "graph": self.graph,
            "seconds": round(self.seconds, 2),
            "triples": self.triples,
            "counts": self.counts(),
            "suggestions": [asdict(s) for s in self.suggestions],
        }


def _direction(s: Suggestion) -> str:
    return f"{source_of(s.career)} -> {s.taxonomy}"


def confidence(row: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The combined score of one candidate (feature -> value) over its largest possible value
    (every feature 1.0), in [0, 1]: the raw score. A normalised score, not a probability:
    :func:`calibrated` turns it into one."""
    top = sum(w for w in weights.values() if w > 0)
    score = sum(w * row.get(f, 0.0) for f, w in weights.items())
    return max(0.0, min(1.0, score / top)) if top else 0.0


def rank_targets(
    row: Mapping[str, Mapping[int, float]], weights: Mapping[str, float], k: int
) -> list[tuple[int, float, list[str]]]:
    """The ``k`` best targets of a feature row: (index, confidence, the three features that
    gave most, strongest first); ties by index.

    >>> row = {"titles": {0: 0.5, 1: 1.0}, "exact_title": {1: 1.0}}
    >>> rank_targets(row, {"titles": 1, "exact_title": 1}, 2)
    [(1, 1.0, ['exact_title', 'titles']), (0, 0.25, ['titles'])]
    """
    per: dict[int, dict[str, float]] = defaultdict(dict)
    for f, w in weights.items():
        if w:
            for i, v in row.get(f, {}).items():
                if v > 0:
                    per[i][f] = v
    scored = sorted(((confidence(fs, weights), i) for i, fs in per.items()), key=lambda t: (-t[0], t[1]))
    best = []
    for conf, i in scored[:k]:
        why = sorted(per[i], key=lambda f: (-weights[f] * per[i][f], f))[:3]
        best.append((i, conf, why))
    return best


def _rank_group(rank: int) -> str:
    groups: dict[str, list[int]] = CALIBRATION_SETTINGS["rank_groups"]
    return next((g for g, ranks in groups.items() if rank in ranks), list(groups)[-1])


@functools.cache
def _calibrations(path: Path = CALIBRATION) -> dict[str, dict[str, Calibration]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            taxonomy: {group: Calibration.from_dict(fit) for group, fit in maps.items()}
            for taxonomy, maps in data["maps"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"{path}: not a calibration of suggested matches ({e})") from e


def calibrated(taxonomy: str, rank: int, score: float) -> float:
    """The probability that a suggestion of ``taxonomy`` ("onet" or "esco") at ``rank`` with raw
    ``score`` (:func:`confidence`) is an occupation the crosswalk would link: the map of its rank
    group (rank 1; ranks 2 and below, fitted on ranks 2-3, so a guess below rank 3), capped by
    the rank-1 map at the same score, so that it falls with the rank as it rises with the score.

    >>> calibrated("esco", 2, 0.4) <= calibrated("esco", 1, 0.4)
    True
    """
    maps = _calibrations()[taxonomy]
    p = maps[_rank_group(rank)](score)
    return min(p, maps[_rank_group(1)](score))


def _priors(
    pairs: Iterable[tuple[str, str]], n_digits: Sequence[int], target_group: Callable[[str], str]
) -> dict[int, dict[str, Counter[str]]]:
    """query group at n digits -> Counter of target groups, from (query code, target) pairs."""
    priors: dict[int, dict[str, Counter[str]]] = {n: defaultdict(Counter) for n in n_digits}
    for code, target in pairs:
        for n, prior in priors.items():
            if code.strip():
                prior[code.strip()[:n]][target_group(target)] += 1
    return priors


Row = dict[str, dict[int, float]]


class Suggester:
    """The occupation predictor set up on one store, both ways: O*NET occupations and ESCO
    occupations as targets, with the ISCO/SOC priors counted on the whole crosswalk.

    ``onet_row`` and ``esco_row`` give a query's feature row against each taxonomy;
    ``leave_out`` takes links out of the priors (to measure an occupation the crosswalk
    covers without its own links, as ``benchmarks/bench_suggest.py`` does).

    Raises
    ------
    InputError
        When the store lacks the curated, onet, esco or crosswalk graph.
    """

    def __init__(self, store: GraphStore, progress: Callable[[str], None] | None = None) -> None:
        missing = [s for s in ("curated", "onet", "esco", "crosswalk") if not store.has_graph(graph_iri(s))]
        if missing:
            raise InputError(
                f"suggest-matches needs the {', '.join(missing)} graph(s): import them first "
                "(careerkg import all DATASETS); nothing was written"
            )
        say = progress or (lambda _: None)
        say("reading occupations (curated, O*NET, ESCO) and the crosswalk")
        self.curated = curated_occupations(store)
        self.onet, self.esco = onet_occupations(store), esco_occupations(store)
        self.links = [(o, e) for o, e, _ in crosswalk_links(store) if o in self.onet and e in self.esco]
        self.covered = covered_by_crosswalk(store)
        self.labels = {source: skill_labels(store, source) for source in ("curated", "onet", "esco")}
        self.onet_targets = sorted(self.onet.values(), key=lambda o: o.iri)
        self.esco_targets = sorted(self.esco.values(), key=lambda o: o.iri)
        say(f"indexing {len(self.onet_targets):,} O*NET and {len(self.esco_targets):,} ESCO occupations")
        onet_labels, esco_labels = self.labels["onet"], self.labels["esco"]
        self.to_onet = OccupationMatcher(self.onet_targets, lambda o: onet_skill_text(o, onet_labels))
        self.to_esco = OccupationMatcher(self.esco_targets, lambda o: esco_skill_text(o, esco_labels))
        self.soc = [t.code[:6] for t in self.onet_targets]
        self.isco = {n: [t.code.strip()[:n] for t in self.esco_targets] for n in (4, 3, 2)}
        # P(SOC broad group | ISCO group) and P(ISCO group | SOC broad group), from every link.
        self.isco_to_soc = _priors(
            ((self.esco[e].code, o) for o, e in self.links), (4, 3, 2), lambda o: self.onet[o].code[:6]
        )
        # P(occupation | the query's group) and how often each occupation is linked, both ways:
        # ISCO 4/3/2 digits -> O*NET occupation; SOC broad/minor/major group -> ESCO occupation
        # (kept under the same feature names, occ4/occ3/occ2).
        self.onet_at = {o.iri: i for i, o in enumerate(self.onet_targets)}
        self.esco_at = {o.iri: i for i, o in enumerate(self.esco_targets)}
        self.isco_to_occ = _priors(
            ((self.esco[e].code, self.onet_at[o]) for o, e in self.links), (4, 3, 2), lambda i: i
        )
        self.soc_to_occ = {
            n: _priors(((self.onet[o].code, self.esco_at[e]) for o, e in self.links), (k,), lambda i: i)[k]
            for n, k in ((4, 6), (3, 4), (2, 2))
        }
        self.onet_linked: Counter[int] = Counter(self.onet_at[o] for o, _ in self.links)
        self.esco_linked: Counter[int] = Counter(self.esco_at[e] for _, e in self.links)
        self.onet_cover = catch_all_cover(self.onet_targets)
        self.soc_to_isco = {
            n: _priors(
                ((self.onet[o].code[:6], e) for o, e in self.links),
                (6,),
                lambda e, n=n: self.esco[e].code.strip()[:n],
            )[6]
            for n in (4, 3, 2)
        }

    def onet_row(self, q: Occupation, skills: str, parents: str, leave_out: Iterable[str] = ()) -> Row:
        """``q`` (with an ISCO code, or none) against every O*NET occupation; ``leave_out``:
        O*NET occupations whose links from ``q``'s ISCO group the priors do not count."""
        row = self.to_onet.features(q, skills=skills, parents=parents)
        add_priors(
            row,
            q.code.strip(),  # no code: no link is counted under "", so both priors are empty
            Counter(self.onet_at[o] for o in leave_out),
            to_group=self.isco_to_soc,
            to_target=self.isco_to_occ,
            linked=self.onet_linked,
            groups=self.soc,
        )
        return add_catch_all(row, WEIGHTS, self.onet_cover)

    def esco_row(
        self, q: Occupation, skills: str, parents: str, *, same_isco: bool, leave_out: Iterable[str] = ()
    ) -> Row:
        """``q`` against every ESCO occupation. The prior: with ``same_isco`` (a curated career)
        the ESCO occupations of ``q``'s own ISCO group; else (an O*NET occupation) where the
        crosswalk sends ``q``'s SOC broad group, less the links to ``leave_out``."""
        row = self.to_esco.features(q, skills=skills, parents=parents)
        left = list(leave_out)
        for n in (4, 3, 2):
            if same_isco:
                code = q.code.strip()[:n]
                row[f"isco{n}_prior"] = {i: 1.0 for i, g in enumerate(self.isco[n]) if code and g == code}
            else:
                counts = Counter(self.soc_to_isco[n].get(q.code[:6], Counter()))
                counts.subtract(Counter(self.esco[e].code.strip()[:n] for e in left))
                row[f"isco{n}_prior"] = group_prior(+counts, self.isco[n])
        own = Counter(self.esco_at[e] for e in left)
        for n, prior in self.soc_to_occ.items():
            occ_counts = Counter(prior.get(q.code[: {4: 6, 3: 4, 2: 2}[n]], Counter()))
            occ_counts.subtract(own)
            row[f"occ{n}_prior"] = {} if same_isco else occupation_prior(occ_counts)
        row["popularity"] = occupation_prior(self.esco_linked - own, relative_to_max=True)
        row["all_other"] = {}
        return row

    def held_out(self, taxonomy: str, *, dev: bool | None = None) -> Iterable[tuple[str, Row, set[int]]]:
        """(query, feature row, indexes of its crosswalk links among the targets) for every
        occupation of the other taxonomy that the crosswalk links to ``taxonomy`` ("onet" or
        "esco"), each ranked as a suggestion would be but with its own links left out of the
        priors: what the predictor would say of it, were it not in the crosswalk. ``dev``: only
        the queries of the dev (True) or test half (False) of :func:`~.text.in_dev`."""
        gold: dict[str, set[str]] = defaultdict(set)
        for o, e in self.links:
            if taxonomy == "onet":
                gold[e].add(o)
            else:
                gold[o].add(e)
        at = self.onet_at if taxonomy == "onet" else self.esco_at
        for key in sorted(gold):
            if dev is not None and in_dev(key) != dev:
                continue
            if taxonomy == "onet":
                q = self.esco[key]
                text, parents = esco_skill_text(q, self.labels["esco"]), parent_labels(q, self.esco)
                row = self.onet_row(q, text, parents, leave_out=gold[key])
            else:
                q = self.onet[key]
                text = onet_skill_text(q, self.labels["onet"])
                row = self.esco_row(q, text, "", same_isco=False, leave_out=gold[key])
            yield key, row, {at[t] for t in gold[key]}

    def jobs(self) -> list[tuple[str, list[Occupation], str, Callable[[Occupation], Row], list[Occupation]]]:
        """(direction, queries, taxonomy, feature row of a query, targets) of each direction."""
        curated = sorted(self.curated.values(), key=lambda o: o.iri)
        labels = self.labels
        return [
            (
                "curated -> onet",
                curated,
                "onet",
                lambda q: self.onet_row(
                    q, esco_skill_text(q, labels["curated"]), parent_labels(q, self.curated)
                ),
                self.onet_targets,
            ),
            (
                "curated -> esco",
                curated,
                "esco",
                lambda q: self.esco_row(
                    q, esco_skill_text(q, labels["curated"]), parent_labels(q, self.curated), same_isco=True
                ),
                self.esco_targets,
            ),
            (
                "esco -> onet",
                [o for o in self.esco_targets if o.iri not in self.covered],
                "onet",
                lambda q: self.onet_row(q, esco_skill_text(q, labels["esco"]), parent_labels(q, self.esco)),
                self.onet_targets,
            ),
            (
                "onet -> esco",
                [o for o in self.onet_targets if o.iri not in self.covered],
                "esco",
                lambda q: self.esco_row(q, onet_skill_text(q, labels["onet"]), "", same_isco=False),
                self.esco_targets,
            ),
        ]


def calibration_sample(
    suggester: Suggester, taxonomy: str, *, dev: bool, k: int = 3
) -> list[tuple[int, float, bool]]:
    """(rank, raw score, right) of the ``k`` best suggestions of ``taxonomy`` for each query of
    :meth:`Suggester.held_out` in the dev (``dev``) or test half (:func:`~.text.in_dev`), ranked
    with that taxonomy's weights; right: the crosswalk links the query to it (any match type,
    as hit@k counts)."""
    weights = ESCO_WEIGHTS if taxonomy == "esco" else WEIGHTS
    found = []
    for _, row, gold in suggester.held_out(taxonomy, dev=dev):
        for rank, (i, score, _) in enumerate(rank_targets(row, weights, k), 1):
            found.append((rank, score, i in gold))
    return found


def fit_calibration(
    samples: Mapping[str, Sequence[tuple[int, float, bool]]],
    settings: Mapping[str, Any] = CALIBRATION_SETTINGS,
) -> dict[str, Any]:
    """The calibration of :func:`calibrated`, fitted on ``samples`` (taxonomy -> the dev half's
    :func:`calibration_sample`): one isotonic map per taxonomy and rank group, JSON-ready
    (what :data:`CALIBRATION` holds).

    >>> settings = {"rank_groups": {"1": [1], "2+": [2, 3]}, "min_count": 1, "prior": 0}
    >>> fit = fit_calibration({"onet": [(1, 0.2, False), (1, 0.6, True), (2, 0.3, False)]}, settings)
    >>> fit["maps"]["onet"]["1"]["probability"], fit["maps"]["onet"]["2+"]["probability"]
    ([0.0, 1.0], [0.0])
    """
    maps: dict[str, dict[str, Any]] = {}
    for taxonomy, rows in samples.items():
        maps[taxonomy] = {}
        for group, ranks in settings["rank_groups"].items():
            points = [(round(score, 6), int(right)) for rank, score, right in rows if rank in ranks]
            cal = fit_isotonic(points, min_count=settings["min_count"], prior=settings["prior"])
            maps[taxonomy][group] = {
                "n": cal.n,
                "score": [round(x, 6) for x in cal.xs],
                "probability": [round(y, 4) for y in cal.ys],
            }
    return {
        "about": (
            "P(the crosswalk links the suggested occupation | taxonomy, rank group, raw score): "
            "isotonic regression on the crosswalk's dev half (careerkg.quality.suggest."
            "fit_calibration; refit with benchmarks/calibrate_suggestions.py --fit)"
        ),
        "settings": dict(settings),
        "maps": maps,
    }


def suggest_matches(
    store: GraphStore, *, k: int = 3, progress: Callable[[str], None] | None = None
) -> SuggestionReport:
    """Rank O*NET and ESCO occupations for the careers the crosswalk does not cover (see the
    module docstring); the ``k`` best of each taxonomy per career, best first.

    Raises
    ------
    InputError
        When the store lacks the curated, onet, esco or crosswalk graph (nothing is computed).

    Examples
    --------
    >>> # report = suggest_matches(CareerGraph.open("/tmp/kg").store, k=3)
    >>> # write_suggestions(store, report)
    """
    if k < 1:
        raise InputError(f"must be at least 1, not {k}", parameter="top")
    started = time.perf_counter()
    say = progress or (lambda _: None)
    suggester = Suggester(store, say)
    report = SuggestionReport()
    for direction, queries, taxonomy, features, targets in suggester.jobs():
        say(f"{direction}: ranking for {len(queries):,} careers")
        report.queries[direction] = len(queries)
        weights = ESCO_WEIGHTS if taxonomy == "esco" else WEIGHTS
        for q in queries:
            for rank, (i, score, why) in enumerate(rank_targets(features(q), weights, k), 1):
                target = targets[i]
                report.suggestions.append(
                    Suggestion(
                        q.iri,
                        target.iri,
                        taxonomy,
                        rank,
                        round(calibrated(taxonomy, rank, score), 3),
                        f"{METHOD}: {', '.join(EVIDENCE[f] for f in why)}",
                        target.label,
                        round(score, 3),
                    )
                )
    report.seconds = time.perf_counter() - started
    return report


def write_suggestions(store: GraphStore, report: SuggestionReport) -> int:
    """Replace the ``suggested`` named graph by ``report``'s suggestions, with provenance, in
    one atomic load (a failure leaves the store as it was). Returns the triples loaded."""
    a_type = iri(str(RDF.type))
    cls, edge, has, occ = (
        iri(str(CKG.SuggestedMatch)),
        iri(str(CKG.suggestedMatch)),
        iri(str(CKG.hasSuggestedMatch)),
        iri(str(CKG.suggestedOccupation)),
    )
    conf, method, rank = iri(str(CKG.matchConfidence)), iri(str(CKG.matchMethod)), iri(str(CKG.matchRank))
    rights = " ".join(ATTRIBUTION[k] for k in ("onet", "esco", "crosswalk"))
    with store.scratch() as tmp:
        nt = Path(tmp) / "suggested.nt"
        with NTWriter(nt) as out:
            for s in report.suggestions:
                c, o = f"<{s.career}>", f"<{s.occupation}>"
                key = hashlib.sha1(f"{s.career} {s.occupation}".encode()).hexdigest()[:16]
                node = iri(str(suggested_match_iri(key)))
                out.add(c, edge, o)
                out.add(c, has, node)
                out.add(node, a_type, cls)
                out.add(node, occ, o)
                out.add(node, rank, typed(str(s.rank), "integer"))
                out.add(node, conf, decimal(f"{s.confidence:.3f}"))
                # the raw score rides in the method text, before the evidence
                head, _, evidence = s.method.partition(": ")
                out.add(node, method, lit(f"{head} (raw score {s.score:.3f}): {evidence}"))
            g = provenance(
                SUGGESTED,
                title="Suggested occupation matches (careerkg's predictor, not the official crosswalk)",
                source="careerkg suggest-matches over this store's curated, onet, esco, crosswalk graphs",
                version=(
                    f"{METHOD} weights to O*NET {sorted(WEIGHTS.items())}, "
                    f"to ESCO {sorted(ESCO_WEIGHTS.items())}"
                ),
                license=LICENSE,
                generated=datetime.now(UTC).replace(microsecond=0),
            )
            g.add((SUGGESTED, DCTERMS.rights, Literal(rights.replace("{version}", "(the imported release)"))))
            out.raw(g.serialize(format="nt"))
        report.triples = store.load_ntriples(URIRef(SUGGESTED), nt, triples=out.distinct, checked=True)
    return report.triples

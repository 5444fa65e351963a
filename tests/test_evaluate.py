"""``careerkg evaluate`` and ``careerkg skills``: the measures on small fixtures, and the targets
on the real data (``shared``, skipped without ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerkg import CareerGraph
from careerkg.cli import app
from careerkg.imports import import_source
from careerkg.network.build import skill_groups
from careerkg.quality import MEASURES, evaluate
from careerkg.quality.crosswalk import evaluate_coverage, evaluate_gap_coverage
from careerkg.quality.data import Occupation
from careerkg.quality.related import rank_metrics
from careerkg.quality.skills import SkillResolver
from careerkg.quality.text import TfIdf, in_dev, tokens
from careerkg.store import OxigraphStore

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evaluate") / "store"
    kg = CareerGraph.open(OxigraphStore(path))
    import_source(kg.store, "onet", DATA / "onet" / "db_29_3_text", progress=False)
    import_source(kg.store, "esco", DATA / "esco" / "v1.1.1", progress=False)
    import_source(kg.store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
    kg.close()
    return path


@pytest.fixture(scope="module")
def fixture_kg(fixture_store: Path):
    kg = CareerGraph.open(OxigraphStore(fixture_store, read_only=True))
    yield kg
    kg.close()


def test_rank_metrics() -> None:
    assert rank_metrics([5, 1, 2], {1, 9}, {2}) == (0.5, 2 / 3, 0.5)
    assert rank_metrics([], {1}, set()) == (0.0, 0.0, 0.0)


def test_tfidf_and_split_are_deterministic() -> None:
    index = TfIdf([tokens("data scientist"), tokens("nurse"), tokens("data engineer")], max_df=1.0)
    best = index.search(index.vector(tokens("scientists of data")), 1)
    assert best[0][0] == 0
    assert in_dev("15-1252.00") == in_dev("15-1252.00")
    assert {in_dev(str(i)) for i in range(20)} == {True, False}


def test_skill_groups_join_transitively() -> None:
    canon = skill_groups([("a", "b"), ("b", "c"), ("x", "y")])
    assert canon["a"] == canon["b"] == canon["c"] != canon["x"]


def test_coverage_counts_matched_skills_only() -> None:
    onet = {"o": Occupation("o", essential={"s1"}, optional={"s2"})}
    esco = {"e": Occupation("e", essential={"e1", "e2", "e3", "e4"})}
    got = evaluate_coverage(esco, onet, [("o", "e", "exactMatch")], [("s1", "e1"), ("s2", "e2")])
    assert (got.pairs, got.median, got.baseline_median) == (1, 0.5, 0.0)


def test_gap_coverage_counts_the_other_matches_and_never_the_pairs_own_link() -> None:
    import networkx as nx

    g = nx.Graph(equivalents={"o": ["e", "e2"], "e": ["o"], "e2": ["o"]})
    for career, total in (("o", 1.0), ("other", 1.0), ("e", 4.0), ("e2", 2.0)):
        g.add_node(career, kind="career", total=total)
    for skill in ("own", "s1", "s2", "s3", "s4"):
        g.add_node(skill, kind="skill", label=skill)
    g.add_edges_from([("o", "s1"), ("e2", "s2"), ("e2", "s3"), ("other", "s4")], weight=1.0)
    g.add_edges_from([("e", s) for s in ("s1", "s2", "own", "s4")], weight=1.0)
    links = [("o", "e", "exactMatch"), ("o", "e2", "closeMatch"), ("other", "x", "exactMatch")]
    got = evaluate_gap_coverage(g, links)
    # s1 (its own) and s2 (through its closeMatch e2) of e's four; never "own", e's alone
    assert (got.pairs, got.median, got.baseline_median) == (1, 0.5, 0.25)


def test_every_measure_runs_on_the_fixtures(fixture_kg) -> None:
    rows = evaluate(fixture_kg.store, free_text_sample=50)
    assert {r.measure for r in rows} == set(MEASURES)
    for r in rows:
        for value in (r.baseline_dev, r.baseline_test, r.dev, r.test):
            assert value is None or 0.0 <= value <= 1.0, r
    related = [r for r in rows if r.measure == "related"]
    assert related and all(r.test is not None for r in related)


def test_a_missing_source_is_skipped(curated_kg) -> None:
    rows = evaluate(curated_kg.store, ["related"])
    assert rows[0].note.startswith("skipped: no onet graph")


def test_resolver_groups_sources(fixture_kg) -> None:
    found = SkillResolver(fixture_kg.store).resolve_all("python, zzzz qqqq")
    top = found["python"][0]
    assert top.confidence == 1.0
    assert {"onet", "esco"} <= {source for source, _, _ in top.members}
    assert found["zzzz qqqq"] == []


def test_cli(fixture_store: Path) -> None:
    runner = CliRunner()
    got = runner.invoke(app, ["skills", "python, sql", "--store", str(fixture_store)])
    assert got.exit_code == 0, got.output
    assert "Python" in got.output
    got = runner.invoke(app, ["evaluate", "--only", "pairs,related", "--store", str(fixture_store)])
    assert got.exit_code == 0, got.output
    assert "recall@10" in got.output and "precision" in got.output


@pytest.fixture(scope="module")
def real_rows(full_kg) -> dict:
    """Every measure on the real data, computed once for the tests below (minutes of CPU)."""
    return {(r.measure, r.metric): r for r in evaluate(full_kg.store, free_text_sample=500)}


@pytest.mark.shared
def test_targets_on_the_real_data(real_rows) -> None:
    rows = real_rows
    related = rows[("related", "recall@10 Primary-Short")]
    assert related.test >= 0.60 > related.baseline_test
    assert rows[("pairs", "precision (links traversal uses)")].test >= 0.95
    crosswalk = rows[("crosswalk", "hit@1")], rows[("crosswalk", "hit@5")]
    assert all(r.test > r.baseline_test for r in crosswalk)
    assert crosswalk[0].test >= 0.70
    free = rows[("free-text", "recall@5")]
    assert free.test >= free.baseline_test
    coverage = rows[("coverage", "median coverage")]  # gap counts the O*NET side's other matches
    assert coverage.test > coverage.baseline_test


@pytest.mark.shared
@pytest.mark.xfail(strict=True, reason="issue 12 targets not met yet (docs/quality.md)")
def test_open_targets_on_the_real_data(real_rows) -> None:
    assert real_rows[("crosswalk", "hit@5")].test >= 0.92
    assert real_rows[("coverage", "median coverage")].test >= 0.5

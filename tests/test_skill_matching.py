"""Cross-source skill matching rules, and the labelled skill-pair sample (tests/data/skill_pairs.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from careerkg.imports.skill_matching import (
    TRAVERSAL_CONFIDENCE,
    SkillIndex,
    SkillMatch,
    match_skills,
    write_matches,
)
from careerkg.namespaces import graph_iri

PAIRS = Path(__file__).parent / "data" / "skill_pairs.csv"


class _Present:
    """A stand-in store in which every source graph is present (indexes are given)."""

    def has_graph(self, iri: object) -> bool:
        return True


def _index(source: str, skills: dict[str, tuple[str, list[str], str]]) -> SkillIndex:
    pref = {s: label for s, (label, _, _) in skills.items()}
    alts = [(s, a) for s, (_, aliases, _) in skills.items() for a in aliases]
    types = {s: kind for s, (_, _, kind) in skills.items()}
    return SkillIndex(pref, alts, types, source)


def _matches(curated=None, onet=None, esco=None) -> dict[tuple[str, str], SkillMatch]:
    indexes = {
        "curated": _index("curated", curated or {}),
        "onet": _index("onet", onet or {}),
        "esco": _index("esco", esco or {}),
    }
    return {(m.a, m.b): m for m in match_skills(_Present(), indexes)}  # type: ignore[arg-type]


def test_same_label_and_qualifier_are_exact() -> None:
    got = _matches(
        onet={"o:py": ("Python", [], "technology")}, esco={"e:py": ("Python (computer programming)", [], "")}
    )
    assert got[("o:py", "e:py")].method == "label-without-qualifier"
    assert got[("o:py", "e:py")].confidence == 0.9


def test_a_curated_alias_is_a_close_match() -> None:
    got = _matches(
        curated={"c:hadoop": ("Apache Hadoop", ["Hadoop"], "technology")},
        esco={"e:h": ("Hadoop", [], "knowledge")},
    )
    m = got[("c:hadoop", "e:h")]
    assert (m.method, m.confidence) == ("curated-alias", 0.8)


@pytest.mark.parametrize(
    ("esco_label", "alt", "onet_label"),
    [
        ("use spreadsheets software", "Google Sheets", "Google Sheets"),  # capitalised product
        ("computer vision", "tensorflow", "TensorFlow"),  # lower-case product, no shared word
        ("tools for software configuration management", "git", "Git"),
    ],
)
def test_an_example_product_is_no_synonym(esco_label: str, alt: str, onet_label: str) -> None:
    got = _matches(
        onet={"o:x": (onet_label, [], "technology")}, esco={"e:x": (esco_label, [alt], "knowledge")}
    )
    assert got == {}


def test_a_named_product_keeps_its_other_names() -> None:
    got = _matches(
        onet={"o:ms": ("Microsoft SQL Server", [], "technology")},
        esco={"e:ms": ("SQL Server", ["Microsoft SQL Server"], "knowledge")},
    )
    assert (got[("o:ms", "e:ms")].method, got[("o:ms", "e:ms")].confidence) == ("product-alias", 0.8)


def test_same_words_in_another_order_are_close() -> None:
    got = _matches(
        onet={"o:al": ("Active Listening", [], "competence")},
        esco={"e:al": ("listen actively", ["active listening"], "competence")},
    )
    assert (got[("o:al", "e:al")].method, got[("o:al", "e:al")].confidence) == ("same-words", 0.8)


def test_other_alternative_labels_are_only_related() -> None:
    got = _matches(
        onet={"o:c": ("Coordination", [], "competence")},
        esco={"e:l": ("logistics", ["coordination"], "knowledge")},
    )
    m = got[("o:c", "e:l")]
    assert (m.method, m.confidence) == ("alternative-label", 0.6)
    assert m.confidence < TRAVERSAL_CONFIDENCE


def test_an_alternative_label_of_two_skills_matches_nothing() -> None:
    got = _matches(
        curated={"c:el": ("Electronics", [], "knowledge")},
        esco={
            "e:1": ("consumer electronics", ["electronics"], "knowledge"),
            "e:2": ("battery components", ["electronics"], "knowledge"),
        },
    )
    assert got == {}


class _Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str]] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append((s, p, o))


def test_low_confidence_is_written_as_related_match() -> None:
    out = _Lines()
    write_matches([SkillMatch("http://x/a", "http://x/b", 0.6, "alternative-label")], out)  # type: ignore[arg-type]
    predicates = {p for _, p, _ in out.lines}
    assert "<http://www.w3.org/2004/02/skos/core#relatedMatch>" in predicates
    assert not any("exactMatch" in p or "closeMatch" in p for p in predicates)


def test_the_labelled_sample_is_complete() -> None:
    with open(PAIRS, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 300
    assert {r["label"] for r in rows} <= {"same", "related", "different"}
    assert all(r["reason"].strip() and r["a"] != r["b"] for r in rows)
    assert len({tuple(sorted((r["a"], r["b"]))) for r in rows}) == len(rows)
    sources = {r["sources"] for r in rows}
    assert {"curated-esco", "curated-onet", "onet-esco"} <= sources


@pytest.mark.shared
def test_traversal_links_meet_the_precision_target(full_kg) -> None:
    from careerkg.quality.skills import evaluate_pairs, read_pairs

    result = evaluate_pairs(full_kg.store, read_pairs(PAIRS))
    assert result.used["all"]["precision"] >= 0.95
    assert result.used["all"]["recall"] >= 0.80
    assert full_kg.store.has_graph(graph_iri("crosswalk"))

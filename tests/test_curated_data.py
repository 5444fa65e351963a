"""The shipped curated data: valid, deep enough, true to the seed page, codes that exist."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from careerkg.data.build import validate_data
from careerkg.data.model import CuratedData
from careerkg.data.quality import careers_in_depth, depth_problems
from careerkg.network.names import normalize
from seed_facts import SEED_DUTIES


@pytest.fixture(scope="module")
def data() -> CuratedData:
    curated, _ = validate_data()
    return curated


def test_shipped_data_validates_and_conforms(data: CuratedData) -> None:
    assert len(data.careers) >= 100
    assert len(data.skills) >= 100


def test_every_career_is_described_in_depth(data: CuratedData) -> None:
    thin = {cid: depth_problems(c) for cid, c in data.careers.items() if depth_problems(c)}
    assert thin == {}
    assert len(careers_in_depth(data)) >= 100


def test_machine_learning_engineer_holds_the_seed_facts(data: CuratedData) -> None:
    mle = data.careers["machine-learning-engineer"]
    assert "ML Engineer" in mle.alt_labels
    assert [d.label for d in mle.duties] == SEED_DUTIES
    assert all(d.skills for d in mle.duties), "every duty names the skills it needs"
    specs = sorted(c.label for c in data.careers.values() if c.specialization_of == mle.id)
    assert len(specs) == 12
    assert "Federated Learning Engineer" in specs and "AI Research Scientist" in specs
    skills = set(mle.essential_skills + mle.optional_skills)
    labels = {data.skills[s].label.casefold() for s in skills}
    for named in ("python", "r", "tensorflow", "pytorch", "apache spark", "apache hadoop"):
        assert named in labels, named
    assert {"accuracy", "precision", "recall", "f1 score"} <= labels
    metric_types = {
        data.skills[s].type
        for s in skills
        if data.skills[s].label.casefold() in {"accuracy", "precision", "recall", "f1 score"}
    }
    assert metric_types == {"knowledge"}
    assert set(mle.collaborates_with) >= {
        "data-scientist",
        "software-engineer",
        "business-analyst",
        "domain-expert",
        "project-manager",
        "devops-engineer",
    }
    assert set(mle.industries) >= {"technology", "finance", "healthcare", "e-commerce", "research"}


def test_every_see_also_title_of_the_seed_is_listed_with(data: CuratedData, seed_page: Path) -> None:
    from careerkg.pages.parse import read_page

    record, _ = read_page(seed_page)
    titles = list(record.see_also)
    listed = {normalize(data.careers[r].label) for r in data.careers["machine-learning-engineer"].listed_with}
    missing = [t for t in titles if normalize(t) not in listed]
    assert len(titles) == 77
    assert missing == []


def test_machine_learning_engineer_related_careers_are_judged_not_the_see_also_list(
    data: CuratedData,
) -> None:
    mle = data.careers["machine-learning-engineer"]
    related = set(mle.related)
    assert {"data-scientist", "mlops-engineer", "data-engineer", "ai-research-scientist"} <= related
    assert {"software-engineer"} <= related
    assert 6 <= len(related) <= 10
    assert len(mle.listed_with) == 77
    # the engineering index of the See Also block is listed alongside, not related
    for unrelated in (
        "locomotive-engineer",
        "mixing-engineer",
        "ship-engineer",
        "live-sound-engineer",
        "stationary-engineer",
        "civil-engineer",
        "petroleum-engineer",
        "wind-energy-engineer",
    ):
        assert unrelated in mle.listed_with and unrelated not in related, unrelated
    assert len(related & set(mle.listed_with)) <= 5


def test_every_related_entry_has_its_own_reason(data: CuratedData) -> None:
    from careerkg.data.yamlio import LineDict, load_yaml
    from careerkg.resources import data_dir

    missing, plain, short = [], [], []
    for career in data.careers.values():
        missing += [f"{career.id} -> {r}" for r in career.related if r not in career.reasons]
        short += [f"{career.id} -> {r}" for r, why in career.reasons.items() if len(why) < 20]
        # every curated file writes the new form, {career: id, reason: "..."}
        doc = load_yaml(data_dir().parent / career.file)  # career.file is data/careers/<id>.yaml
        plain += [f"{career.id}: {e!r}" for e in doc.value.get("related", []) if not isinstance(e, LineDict)]
    assert missing == [] and plain == [] and short == []
    reasons = [why for c in data.careers.values() for why in c.reasons.values()]
    assert len(set(reasons)) >= 0.9 * len(reasons), "reasons are written per pair, not pasted"


def test_skill_names_are_unambiguous(data: CuratedData) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for skill in data.skills.values():
        for name in (skill.label, *skill.aliases):
            owners[normalize(name)].add(skill.id)
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def _onet_codes(shared: Path) -> set[str]:
    path = shared / "datasets/onet/db_29_3_text/Occupation Data.txt"
    with path.open(encoding="utf-8") as f:
        return {line.split("\t", 1)[0] for line in f if re.match(r"\d{2}-\d{4}\.\d{2}\t", line)}


def _esco(shared: Path, name: str) -> dict[str, str]:
    with (shared / "datasets/esco/v1.1.1" / name).open(encoding="utf-8", newline="") as f:
        return {row["conceptUri"]: row.get("iscoGroup", "") for row in csv.DictReader(f)}


def test_onet_codes_and_esco_iris_exist_in_the_real_data(data: CuratedData, shared_dir: Path) -> None:
    onet = _onet_codes(shared_dir)
    occupations = _esco(shared_dir, "occupations_en.csv")
    skills = _esco(shared_dir, "skills_en.csv")
    bad = []
    for career in data.careers.values():
        if career.onet and career.onet not in onet:
            bad.append(f"{career.file}: O*NET {career.onet}")
        if career.esco and career.esco not in occupations:
            bad.append(f"{career.file}: ESCO {career.esco}")
        if career.esco and career.isco and occupations.get(career.esco) != career.isco:
            bad.append(f"{career.file}: ISCO {career.isco} != ESCO's {occupations.get(career.esco)}")
    for skill in data.skills.values():
        if skill.esco and skill.esco not in skills:
            bad.append(f"{skill.file}: ESCO skill {skill.esco}")
    assert bad == []
    with_codes = [c for c in data.careers.values() if c.onet or c.esco]
    assert len(with_codes) >= 90

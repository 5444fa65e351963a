"""``transitions --skill`` takes free text: phrases resolve through the skill resolver into the
canonical skills of the one skill space, and an unknown phrase is one line with exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careerkg import CareerGraph
from careerkg.cli import app
from careerkg.errors import NotFound
from careerkg.graph import UnusedSkill
from careerkg.imports import import_source

DATA = Path(__file__).parent / "data"
ESCO_DEBUG = "http://data.europa.eu/esco/skill/07e5f5d8-25a6-47fa-a5b6-2b9d7a2b7a5a"
ESCO_SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"

runner = CliRunner()


@pytest.fixture(scope="module")
def curated_store(copy_of_built_store) -> str:
    return str(copy_of_built_store("transitions-skill"))


@pytest.fixture(scope="module")
def sources_kg() -> CareerGraph:
    """Curated + the O*NET, ESCO and crosswalk fixtures, in memory."""
    kg = CareerGraph.open("oxigraph-memory")
    import_source(kg.store, "onet", DATA / "onet" / "db_29_3_text", progress=False)
    import_source(kg.store, "esco", DATA / "esco" / "v1.1.1", progress=False)
    import_source(kg.store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
    return kg


def run(store: str, *args: str):
    return runner.invoke(app, [*args, "--store", store], terminal_width=200)


def test_an_alias_resolves_to_its_skill(curated_store: str) -> None:
    # "torch" is a curated alias of PyTorch (skos:altLabel), not a name in the career-skill
    # view: the exact lookup transitions used before said "no skill named 'torch'".
    result = run(curated_store, "transitions", "--skill", "torch", "-k", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 3
    assert all("PyTorch" in [s["label"] for s in t["have"]] for t in data)
    assert "skill 'torch' -> PyTorch (curated)" in result.stderr


def test_a_phrase_and_the_skills_own_name_give_the_same_answer(curated_store: str) -> None:
    kg = CareerGraph.open(curated_store, read_only=True)
    try:
        assert kg.resolve_skill("torch") == kg.resolve_skill("PyTorch")
        assert kg.transitions(skills=["torch", "RC design"]) == kg.transitions(
            skills=["pytorch", "reinforced concrete design"]
        )
    finally:
        kg.close()


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("pythn", "no skill named 'pythn' (did you mean 'python'"),
        # a TF-IDF neighbour is offered, not taken: precision first
        ("pytorch library", "no skill named 'pytorch library' (did you mean 'PyTorch'"),
        ("zzzz qqqq", "no skill named 'zzzz qqqq'"),
    ],
)
def test_an_unknown_phrase_is_one_line_and_exit_1(curated_store: str, phrase: str, message: str) -> None:
    result = run(curated_store, "transitions", "--skill", phrase)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_esco_alternative_label_reaches_esco_careers(sources_kg: CareerGraph) -> None:
    # "fix software bugs" is only an ESCO alternative label of "debug software"
    nodes = sources_kg.resolve_skill("fix software bugs")
    canonical = sources_kg.views.career_skill().graph.get("canonical", {})
    assert nodes == [canonical.get(ESCO_DEBUG, ESCO_DEBUG)]
    found = sources_kg.transitions(skills=["fix software bugs"], k=20)
    assert ESCO_SOFTWARE_DEVELOPER in [t.career for t in found]


def test_the_python_api_raises_not_found_with_suggestions(sources_kg: CareerGraph) -> None:
    with pytest.raises(NotFound, match=r"no skill named 'pythn' \(did you mean 'python'"):
        sources_kg.transitions(skills=["pythn"])
    assert issubclass(UnusedSkill, NotFound)

"""The traversal commands as a user runs them: tables, --json, errors and exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from careerkg.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(copy_of_built_store) -> str:
    return str(copy_of_built_store("traverse-cli"))


def run(store: str, *args: str):
    return runner.invoke(app, [*args, "--store", store], terminal_width=200)


def test_path_software_to_ml_engineer_prints_explained_steps(store_dir: str) -> None:
    result = run(store_dir, "path", "software engineer", "machine learning engineer")
    assert result.exit_code == 0, result.output
    assert "Path 1: Software Engineer -> " in result.output
    assert "Path 3:" in result.output
    assert "Skills carried over" in result.output and "Skills to learn" in result.output


def test_path_json(store_dir: str) -> None:
    result = run(store_dir, "path", "software engineer", "ml engineer", "-k", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == 2
    assert data[0]["labels"][0] == "Software Engineer"
    assert data[0]["labels"][-1] == "Machine Learning Engineer"
    assert data[0]["steps"][0]["relation"]
    assert data[0]["cost"] <= data[1]["cost"]


def test_gap_lists_ml_frameworks_to_learn(store_dir: str) -> None:
    result = run(store_dir, "gap", "software engineer", "machine learning engineer")
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") > 3}
    for framework in ("PyTorch", "TensorFlow", "scikit-learn"):
        assert "to learn" in lines[framework]
    assert "transfers" in lines["Python"]


def test_gap_json(store_dir: str) -> None:
    result = run(store_dir, "gap", "software engineer", "machine learning engineer", "--json")
    data = json.loads(result.output)
    assert {"PyTorch", "TensorFlow"} <= {s["label"] for s in data["to_learn"]}
    assert 0 < data["coverage"] < 1


def test_similar_related_transitions_tables(store_dir: str) -> None:
    similar = run(store_dir, "similar", "software engineer", "-k", "3")
    assert similar.exit_code == 0, similar.output
    assert "Software Developer" in similar.output
    related = run(store_dir, "related", "ml engineer", "--kind", "specializationOf", "--json")
    assert json.loads(related.output)[0]["label"] == "Artificial Intelligence Engineer"
    trans = run(store_dir, "transitions", "--skill", "python", "--skill", "pytorch", "--json")
    data = json.loads(trans.output)
    assert len(data) == 10 and data[0]["coverage"] >= data[-1]["coverage"]
    skills = run(store_dir, "central-skills", "-k", "1", "--json")
    assert json.loads(skills.output)[0]["label"] == "Python"
    bridges = run(store_dir, "bridges", "-k", "2", "--json")
    assert bridges.exit_code == 0 and len(json.loads(bridges.output)) == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("similar", "softwre engineer"),
            1,
            "no career named 'softwre engineer' (did you mean 'software engineer'",
        ),
        (("gap", "software engineer", "astronaut"), 1, "no career named 'astronaut'"),
        (("transitions",), 2, "give a career or at least one --skill"),
        (("transitions", "--skill", "pythn"), 1, "no skill named 'pythn' (did you mean 'python'"),
        (("related", "ml engineer", "--kind", "friendOf"), 2, "unknown relation kind 'friendOf'"),
        (("path", "ml engineer", "Machine Learning Engineer"), 2, "is both the start and the goal"),
    ],
)
def test_errors_are_one_line_with_exit_codes(store_dir: str, args, code: int, message: str) -> None:
    result = run(store_dir, *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_export_view_option(store_dir: str, tmp_path) -> None:
    out = tmp_path / "cc.gexf"
    result = run(store_dir, "export", "-f", "gexf", "--view", "career-career", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "<gexf" in out.read_text(encoding="utf-8")
    bad = run(store_dir, "export", "-f", "gexf", "--view", "skills", "-o", str(out))
    assert bad.exit_code == 2 and "unknown view 'skills'" in bad.output

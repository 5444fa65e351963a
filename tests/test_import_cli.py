"""``careerkg import ...``: exit codes, messages, summary table."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from careerkg.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_import_onet_prints_summary(store_copy: Path) -> None:
    store = str(store_copy)  # a curated store, as a user has one: this command need not build it
    result = runner.invoke(
        app, ["import", "onet", str(DATA / "onet" / "db_29_3_text"), "--store", store, "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "Occupation Data.txt" in result.output
    assert "related-occupation links" in result.output
    result = runner.invoke(
        app,
        ["import", "onet", str(DATA / "onet" / "db_20_1_text"), "--store", store, "--json", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    assert (report["kind"], report["version"], report["rows_rejected"]) == ("onet", "20.1", 0)
    assert report["counts"]["occupations"] == 2


def test_import_error_is_one_line_exit_2(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    result = runner.invoke(
        app, ["import", "onet", str(DATA / "onet" / "malformed"), "--store", store, "--no-progress"]
    )
    assert result.exit_code == 2
    assert "Occupation Data.txt:3: bad O*NET-SOC code '15-12X2.00'" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["import", "esco", str(tmp_path / "nowhere"), "--store", store])
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.output


def test_help_has_example() -> None:
    for sub in ("onet", "esco", "crosswalk", "all"):
        result = runner.invoke(app, ["import", sub, "--help"])
        assert result.exit_code == 0
        assert "Example: careerkg import" in result.output


def test_career_graph_import_source_method(store_copy: Path) -> None:
    from careerkg import CareerGraph

    kg = CareerGraph.open(store_copy)
    report = kg.import_source("onet", DATA / "onet" / "db_20_1_text")
    assert report.counts["occupations"] == 2
    assert str(kg.resolve("15-1132.00")) == "https://w3id.org/careerkg/onet/occupation/15-1132.00"


def test_a_failing_import_prints_its_error_alone(tmp_path: Path) -> None:
    """Regression (issue 14, item 15): warnings about the files read before the failing one
    (an absent file, a tolerated bad row) were printed before the error itself."""
    import shutil
    import subprocess
    import sys

    release = tmp_path / "db_29_3_text"
    shutil.copytree(DATA / "onet" / "db_29_3_text", release)
    (release / "Alternate Titles.txt").unlink()  # a warning: file absent
    (release / "Job Zones.txt").write_text("x\n", encoding="utf-8")  # the error
    careerkg = Path(sys.executable).with_name("careerkg")
    result = subprocess.run(
        [str(careerkg), "import", "onet", str(release), "--store", str(tmp_path / "store"), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {release / 'Job Zones.txt'}:1: missing column(s) 'O*NET-SOC Code', 'Job Zone'; found 'x': "
        "is this the right file?"
    ]

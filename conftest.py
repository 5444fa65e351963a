"""Shared by the test suite and the doctests in ``src/careerkg`` (run with ``--doctest-modules``).

Every test and doctest runs with ``CAREERKG_STORE`` pointing into a temporary folder, so neither
touches the user's real store; doctests see ``CareerGraph`` without importing it.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_default_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["CAREERKG_STORE"] = str(tmp_path_factory.mktemp("default-store") / "store")


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    from careerkg import CareerGraph

    doctest_namespace["CareerGraph"] = CareerGraph


# -- suite reports ----------------------------------------------------------------------------
# Suites that measure something (hostile inputs, crash tests, server abuse) add a line here; the
# lines are printed at the end of the run, so `.ci/run` shows them without `pytest -s`. A line
# travels on the test's report (``user_properties``), so it reaches the terminal also when the
# test ran in a pytest-xdist worker process.

_REPORTS: list[str] = []
_KEY = "careerkg suite report"


@pytest.fixture()
def suite_report(request: pytest.FixtureRequest):
    """Call ``suite_report("hostile inputs: 64 tried / 64 clean errors / 64 store unchanged")``
    to print that line in the summary at the end of the test run."""

    def report(line: str) -> None:
        request.node.user_properties.append((_KEY, line))

    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "teardown":
        _REPORTS.extend(line for key, line in report.user_properties if key == _KEY)


def pytest_terminal_summary(terminalreporter) -> None:
    if _REPORTS:
        terminalreporter.section("careerkg suite reports")
        for line in _REPORTS:
            terminalreporter.write_line(line)

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

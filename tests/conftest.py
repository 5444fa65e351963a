"""Session fixtures shared by the whole suite.

- ``SHARED``: the ``shared/`` folder beside the checkout (real datasets and the seed page);
  tests that need it use the ``shared_dir`` fixture and skip cleanly when it is absent.
- ``curated_kg``: the curated graph built once into an embedded Oxigraph store.
- ``memory_kg``: the same in rdflib's memory store.
- ``store_copy``: a private copy of the curated store built once per test run (``built_store``;
  the pytest-xdist workers share one build, see ``built_once``).
- The repository's ``conftest.py`` points ``CAREERKG_STORE`` into a temporary folder for every
  test and doctest, so the suite never touches the user's real store.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

# Rich sizes its consoles when careerkg.cli is imported; give CLI output room in tests.
os.environ.setdefault("COLUMNS", "200")

from careerkg import CareerGraph
from careerkg.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; skips the test when it is absent."""
    if not (SHARED / "datasets").is_dir():
        pytest.skip("../shared is absent (real datasets and seed page not available)")
    return SHARED


@pytest.fixture(scope="session")
def seed_page(shared_dir: Path) -> Path:
    """The real seed career page from ../shared/seeds."""
    pages = sorted((shared_dir / "seeds").glob("*.txt"))
    if not pages:
        pytest.skip("no seed page in ../shared/seeds")
    return pages[0]


@pytest.fixture(scope="session")
def curated_kg(copy_of_built_store) -> CareerGraph:
    """The curated graph in an embedded Oxigraph store on disk (a copy of ``built_store``)."""
    return CareerGraph.open(OxigraphStore(copy_of_built_store("curated")))


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder ``build`` fills once per test run, shared by the pytest-xdist workers: the first
    to ask builds it under a file lock, the others wait and reuse it. Treat it as read-only
    (copy it to write): several processes read it at once."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker's base lies in the run's folder
        base = base.parent
    folder = base / f"once-{name}"
    with open(base / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder / "store")
            (folder / "complete").touch()
    return folder / "store"


def _build_curated(path: Path) -> None:
    CareerGraph.open(OxigraphStore(path)).close()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the curated graph, built once per test run (whatever the number
    of xdist workers). Do not write to it: take :func:`store_copy` for a store of your own."""
    return built_once(tmp_path_factory, "curated", _build_curated)


@pytest.fixture(scope="session")
def copy_of_built_store(built_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """A function that makes a fresh copy of :func:`built_store` and returns its folder: a
    curated store in milliseconds, where building one takes seconds."""

    def copy(name: str = "copy") -> Path:
        target = tmp_path_factory.mktemp(name) / "store"
        shutil.copytree(built_store, target)
        return target

    return copy


@pytest.fixture()
def store_copy(built_store: Path, tmp_path: Path) -> Path:
    """A private copy of :func:`built_store`, for a test that writes to or damages its store."""
    target = tmp_path / "store"
    shutil.copytree(built_store, target)
    return target


@pytest.fixture(scope="session")
def memory_kg() -> CareerGraph:
    """The curated graph in rdflib's memory store (built once per session)."""
    return CareerGraph.open("memory")


@pytest.fixture(scope="session")
def full_kg(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> CareerGraph:
    """Curated + O*NET 29.3 + ESCO v1.1.1 + the ESCO-O*NET crosswalk from ../shared/datasets,
    imported once per test run into an embedded Oxigraph store on disk (skips without
    ../shared); each xdist worker opens its own copy of it.
    """
    from careerkg.imports import import_all

    def build(path: Path) -> None:
        store = OxigraphStore(path)
        import_all(store, shared_dir / "datasets", progress=False)
        store.close()

    built = built_once(tmp_path_factory, "full", build)
    target = tmp_path_factory.mktemp("full") / "store"
    shutil.copytree(built, target)
    return CareerGraph.open(OxigraphStore(target))

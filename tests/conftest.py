"""Session fixtures shared by the whole suite.

- ``SHARED``: the ``shared/`` folder beside the checkout (real datasets and the seed page);
  tests that need it use the ``shared_dir`` fixture and skip cleanly when it is absent.
- ``curated_kg``: the curated graph built once into an embedded Oxigraph store.
- ``memory_kg``: the same in rdflib's memory store.
- ``store_copy``: a private copy of the curated store built once per test run (``built_store``;
  the pytest-xdist workers share one build, see ``built_once``).
- ``suggested_store``: the curated store with the O*NET/ESCO/crosswalk fixtures and the output of
  ``careerkg suggest-matches`` (one suggested occupation with a hostile title).
- The repository's ``conftest.py`` points ``CAREERKG_STORE`` into a temporary folder for every
  test and doctest, so the suite never touches the user's real store.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
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


def _once_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker's base lies in the run's folder
        base = base.parent
    return base


def _fill_once(folder: Path, build: Callable[[Path], None]) -> None:
    """Fill ``folder`` with ``build`` unless it is complete; the caller holds its lock."""
    if not (folder / "complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        build(folder / "store")
        (folder / "complete").touch()


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder ``build`` fills once per test run, shared by the pytest-xdist workers: the first
    to ask builds it under a file lock, the others wait and reuse it (as they wait for a build
    started in the background, see :func:`_full_store_in_background`). Treat it as read-only
    (copy it to write): several processes read it at once."""
    base = _once_base(tmp_path_factory)
    folder = base / f"once-{name}"
    with open(base / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _fill_once(folder, build)
    return folder / "store"


def _build_curated(path: Path) -> None:
    CareerGraph.open(OxigraphStore(path)).close()


def _curated_key() -> str:
    """A digest of everything the curated store is made from: careerkg's source, ``data/``,
    ``ontology/``, the package's version and the versions of Python and of the libraries that
    write it. Any change to one of them gives another key, so a store kept under the key is
    the store a build would make now (but for the build time in its provenance)."""
    import hashlib
    import sys
    from importlib.metadata import version

    digest = hashlib.sha256()
    for root in (REPO / "src" / "careerkg", REPO / "data", REPO / "ontology"):
        for file in sorted(root.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(REPO)).encode() + b"\0" + file.read_bytes() + b"\0")
    for package in ("careerkg", "pyoxigraph", "rdflib", "pyshacl"):
        digest.update(f"{package} {version(package)}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:20]


def _kept_folder(config: pytest.Config) -> Path | None:
    """Where :func:`_kept_curated` keeps the curated store between runs, if anywhere."""
    cache = getattr(config, "cache", None)
    return None if cache is None else Path(cache.mkdir("careerkg-curated"))


def _kept_curated(folder: Path | None) -> Callable[[Path], None]:
    """Build the curated store, or copy the one kept in pytest's cache folder
    (``.pytest_cache/d/careerkg-curated/<key>``, see :func:`_curated_key`) when its sources are
    unchanged. The README's command runs the suite as two pytest runs, the tests that run alone
    after the others: the second takes the store the first built (~4 s of build, where nothing
    else runs, as do later runs of an unchanged tree). Without pytest's cache (``-p
    no:cacheprovider``, ``folder`` None) every run builds."""
    if folder is None:
        return _build_curated

    def build(path: Path) -> None:
        with open(folder / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # other runs in this checkout share the folder
            key = _curated_key()
            kept = folder / key
            if not (kept / "complete").exists():
                for old in folder.iterdir():
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
                _build_curated(path)
                shutil.copytree(path, kept / "store")
                (kept / "complete").touch()
            else:
                shutil.copytree(kept / "store", path)

    return build


@pytest.fixture(scope="session")
def built_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the curated graph, built once per test run (whatever the number
    of xdist workers; see :func:`_kept_curated` for the store kept between runs). Do not write
    to it: take :func:`store_copy` for a store of your own."""
    return _curated_once(_once_base(tmp_path_factory), _kept_folder(request.config))


def _curated_once(base: Path, kept: Path | None) -> Path:
    """:func:`built_once` for the curated store, with no fixture at hand (the process that
    builds the full store in the background calls it too)."""
    with open(base / "once-curated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _fill_once(base / "once-curated", _kept_curated(kept))
    return base / "once-curated" / "store"


@pytest.fixture(scope="session")
def copy_of_built_store(built_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """A function that makes a fresh copy of :func:`built_store` and returns its folder: a
    curated store in milliseconds, where building one takes seconds."""

    def copy(name: str = "copy") -> Path:
        target = tmp_path_factory.mktemp(name) / "store"
        shutil.copytree(built_store, target)
        return target

    return copy


#: The occupation title :func:`suggested_store` makes hostile.
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"


def _build_suggested(curated: Path) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        from typer.testing import CliRunner

        from careerkg.cli import app
        from careerkg.imports import import_source

        shutil.copytree(curated, path)
        store = OxigraphStore(path)
        import_source(store, "onet", TEST_DATA / "onet" / "db_29_3_text", progress=False)
        import_source(store, "esco", TEST_DATA / "esco" / "v1.1.1", progress=False)
        import_source(store, "crosswalk", TEST_DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
        store.close()
        result = CliRunner().invoke(app, ["suggest-matches", "--store", str(path)])
        assert result.exit_code == 0, result.output
        # The occupation suggested to the fewest careers, but not to the data scientist, gets a
        # hostile title (as a hostile import would bring), after the suggestions were made.
        store = OxigraphStore(path)
        counts = store.select(
            """SELECT ?o (COUNT(DISTINCT ?c) AS ?n) WHERE {
                 ?c ckg:hasSuggestedMatch/ckg:suggestedOccupation ?o
                 FILTER NOT EXISTS { <https://w3id.org/careerkg/career/data-scientist>
                                       ckg:hasSuggestedMatch/ckg:suggestedOccupation ?o } } GROUP BY ?o"""
        )
        hostile = min(counts, key=lambda row: (int(row[1]), row[0]))[0]
        store.update(
            f"""DELETE {{ GRAPH ?g {{ <{hostile}> skos:prefLabel ?l }} }}
                INSERT {{ GRAPH ?g {{ <{hostile}> skos:prefLabel "{HOSTILE_TITLE}"@en }} }}
                WHERE {{ GRAPH ?g {{ <{hostile}> skos:prefLabel ?l }} }}"""
        )
        store.close()

    return build


@pytest.fixture(scope="session")
def suggested_store(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The curated store with the O*NET, ESCO and crosswalk fixtures imported and the matches
    ``careerkg suggest-matches`` wrote (built once per test run); one suggested occupation (not
    one suggested for the data scientist) is titled :data:`HOSTILE_TITLE`.
    Open it read-only: several processes read it at once."""
    return built_once(tmp_path_factory, "suggested", _build_suggested(built_store))


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


def _build_full(datasets: Path, curated: Callable[[], Path]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        from careerkg.imports import import_all

        # Into a copy of the run's curated store (`careerkg build`, then `careerkg import all`,
        # as a user would): import_all builds the curated graphs only where they are missing,
        # so the SHACL check and build (~3-4 s of CPU) are not done a second time.
        shutil.copytree(curated(), path)
        store = OxigraphStore(path)
        import_all(store, datasets, progress=False)
        # The name index and the career views, built by the same code the tests would run,
        # into the store's cache folder (<store>/views), which the copies take along: the
        # tests then start warm, as every command after a store's first does (on the full
        # graph they take ~16 s of CPU, which the files that need the store would each spend
        # at the very end of a parallel run, where nothing else overlaps them).
        kg = CareerGraph.open(store)
        kg.index  # noqa: B018 - built and cached on first use
        kg.views.career_career()  # with the career-skill view it is built from
        kg.close()

    return build


def _build_full_in_this_process(folder: str, datasets: str, base: str, kept: str) -> None:
    """Run by the process :func:`_full_store_in_background` starts, which holds the lock (and
    takes the curated store's after it, as :func:`full_kg` does: never the other way round)."""
    curated = lambda: _curated_once(Path(base), Path(kept) if kept else None)  # noqa: E731
    _fill_once(Path(folder), _build_full(Path(datasets), curated))


@pytest.fixture(scope="session", autouse=True)
def _full_store_in_background(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """When a selected test needs :func:`full_kg`, start its import (about 14 s of CPU) in a
    process of its own as the run starts, so it overlaps the other tests instead of one worker
    building it while another waits at the end (the files that need it hold few tests, and
    pytest-xdist hands out the files with most tests first). The process takes the build's
    lock first; ``full_kg`` then waits for it as it waits for any other builder."""
    if not (SHARED / "datasets").is_dir() or not any(
        "full_kg" in item.fixturenames for item in request.session.items
    ):
        yield
        return
    import subprocess
    import sys

    base = _once_base(tmp_path_factory)
    builder = None
    with open(base / "once-full.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another worker is building it, or started the builder
            pass
        else:
            if not (base / "once-full" / "complete").exists():
                # The child inherits the locked file: the lock is held until it exits.
                builder = subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        "import sys; sys.path.insert(0, sys.argv[1]); import conftest; "
                        "conftest._build_full_in_this_process(*sys.argv[2:])",
                        str(Path(__file__).parent),
                        str(base / "once-full"),
                        str(SHARED / "datasets"),
                        str(base),
                        str(_kept_folder(request.config) or ""),
                    ],
                    pass_fds=(lock.fileno(),),
                )
    yield
    if builder is not None:
        if request.session.shouldstop or request.session.shouldfail:
            builder.kill()
        builder.wait()  # another worker may still wait for it


@pytest.fixture(scope="session")
def full_kg(
    request: pytest.FixtureRequest, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> CareerGraph:
    """Curated + O*NET 29.3 + ESCO v1.1.1 + the ESCO-O*NET crosswalk from ../shared/datasets,
    imported once per test run into an embedded Oxigraph store on disk, with its name index
    and career views cached (skips without ../shared); each xdist worker opens its own copy.
    """
    base, kept = _once_base(tmp_path_factory), _kept_folder(request.config)
    build = _build_full(shared_dir / "datasets", lambda: _curated_once(base, kept))
    built = built_once(tmp_path_factory, "full", build)
    target = tmp_path_factory.mktemp("full") / "store"
    shutil.copytree(built, target)
    return CareerGraph.open(OxigraphStore(target))


# -- the browser ------------------------------------------------------------------------------
# Debian's Chromium driven by Playwright (never a downloaded browser), headless, with the
# flags that keep it off the network (this machine's closed network refuses its background
# connections, many at a time).

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium for one test module (skips when Debian's chromium is absent)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()

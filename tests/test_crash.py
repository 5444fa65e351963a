"""Crash tests (issue 14): ``kill -9`` during ``careerkg build`` and each import, at seeded
points, then: every graph is either as it was before or as a completed run writes it (never
half-written), the store opens, and nothing is left behind once it was opened again (no
scratch folders under ``<store>/tmp``, no ``bulk-*.sst``, no generation but the live one).

The O*NET release is generated (a few thousand rows per file) so that an import takes long
enough for kills to land during the work. Run with ``-s`` for the summary line.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from careerkg.imports import import_source
from careerkg.store import OxigraphStore
from careerkg.store.folder import BULK_FILE, GENERATION, SCRATCH, current_generation

DATA = Path(__file__).parent / "data"
CAREERKG = Path(sys.executable).with_name("careerkg")
SEED = 14
TALLY = {"kills": 0, "survived": 0, "junk": 0}


def generated_onet(folder: Path, occupations: int = 300, elements: int = 25) -> Path:
    """An O*NET text release: the fixture's files, with generated occupations, ratings and
    tasks appended (the fixture's occupations stay, so the crosswalk still matches)."""
    shutil.copytree(DATA / "onet" / "db_29_3_text", folder)
    codes = [f"{51 + i // 1000:02d}-{i % 1000:04d}.00" for i in range(occupations)]
    with open(folder / "Occupation Data.txt", "a", encoding="utf-8") as f:
        for i, code in enumerate(codes):
            f.write(f"{code}\tGenerated occupation {i}\tDoes generated work number {i}.\n")
    with open(folder / "Skills.txt", "a", encoding="utf-8") as f:
        for i, code in enumerate(codes):
            for e in range(elements):
                for scale in ("IM", "LV"):
                    value = 1 + (i * e) % 40 / 10
                    cells = (code, f"2.A.1.{e}", f"Skill {e}", scale, f"{value:.2f}", "8", "0.1")
                    f.write("\t".join((*cells, "1", "2", "N", "n/a", "08/2023", "Analyst")) + "\n")
    with open(folder / "Task Statements.txt", "a", encoding="utf-8") as f:
        for i, code in enumerate(codes):
            for t in range(8):
                task = f"Generated task {t} of occupation {i}."
                f.write(f"{code}\t{900000 + i * 10 + t}\t{task}\tCore\tn/a\t08/2023\tAnalyst\n")
    return folder


def graphs_of(store: Path, tmp: Path) -> dict[str, str]:
    """Each named graph's content (its N-Quads lines but the import time, sorted) as a hash."""
    opened = OxigraphStore(store)
    try:
        opened.dump(tmp / "dump.nq")
    finally:
        opened.close()
    lines: dict[str, list[str]] = defaultdict(list)
    with open(tmp / "dump.nq", encoding="utf-8") as f:
        for line in f:
            if "generatedAtTime" in line or not line.strip():
                continue
            graph = line.rstrip(" .\n").rsplit(" ", 1)[-1]
            lines[graph].append(line)
    (tmp / "dump.nq").unlink()
    import hashlib

    return {g: hashlib.sha256("".join(sorted(v)).encode()).hexdigest() for g, v in lines.items()}


def junk(store: Path) -> list[str]:
    """What a killed writer left that a writable open should have cleared."""
    left = [str(p) for p in (store / SCRATCH).iterdir()] if (store / SCRATCH).is_dir() else []
    left += [str(p) for p in store.rglob("*") if BULK_FILE.fullmatch(p.name)]
    live = current_generation(store).name
    left += [str(p) for p in store.iterdir() if GENERATION.fullmatch(p.name) and p.name != live]
    return left


@pytest.fixture(scope="module")
def world(copy_of_built_store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sources, a curated-only store, and a store holding every graph (the reference of
    what completed runs write)."""
    root = tmp_path_factory.mktemp("crash")
    onet = generated_onet(root / "db_29_3_text")
    curated = copy_of_built_store("crash-curated")
    full = copy_of_built_store("crash-full")
    store = OxigraphStore(full)
    try:
        import_source(store, "onet", onet, progress=False)
        import_source(store, "esco", DATA / "esco" / "v1.1.1", progress=False)
        import_source(store, "crosswalk", DATA / "crosswalk" / "crosswalk_esco_onet.csv", progress=False)
    finally:
        store.close()
    return {"onet": onet, "curated": curated, "full": full, "root": root}


@pytest.fixture(scope="module")
def reference(world: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What completed runs write: every graph of the full store."""
    return graphs_of(world["full"], tmp_path_factory.mktemp("reference"))


# (name, store to start from, command, seconds from start of the kill window): the windows
# cover start-up, reading and loading; each scenario is killed at several seeded points.
SCENARIOS = [
    ("build", "full", ["build"], (0.5, 4.0), 2),
    ("import onet, new graph (bulk load in place)", "curated", ["import", "onet", "{onet}"], (0.5, 3.0), 2),
    ("import onet, replacing the graph", "full", ["import", "onet", "{onet}"], (0.5, 3.0), 2),
    ("import esco", "full", ["import", "esco", str(DATA / "esco" / "v1.1.1")], (0.5, 3.0), 2),
    (
        "import crosswalk",
        "full",
        ["import", "crosswalk", str(DATA / "crosswalk" / "crosswalk_esco_onet.csv")],
        (0.5, 3.0),
        2,
    ),
]


@pytest.mark.parametrize(
    ("name", "start", "command", "window", "kills"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_kill_9(
    name: str,
    start: str,
    command: list[str],
    window: tuple[float, float],
    kills: int,
    world: dict[str, Path],
    reference: dict[str, str],
    tmp_path: Path,
) -> None:
    rng = random.Random(f"{SEED}-{name}")
    store = tmp_path / "store"
    shutil.copytree(world[start], store)
    args = [str(CAREERKG), *(a.format(onet=world["onet"]) for a in command), "--store", str(store)]
    if command[0] == "import":
        args.append("--no-progress")
    env = {**os.environ, "CAREERKG_STORE": str(store)}
    killed_here = attempts = 0
    low, high = window
    before = graphs_of(store, tmp_path)
    while killed_here < kills and attempts < 3 * kills:
        attempts += 1
        delay = rng.uniform(low, max(low, high))
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        started = time.monotonic()
        while time.monotonic() - started < delay and process.poll() is None:
            time.sleep(0.01)
        killed = process.poll() is None
        if killed:
            process.send_signal(signal.SIGKILL)
        else:  # it finished first: aim the next kills within the time it took
            high = min(high, 0.9 * (time.monotonic() - started))
        process.wait()
        killed_here += killed
        TALLY["kills"] += killed

        after = graphs_of(store, tmp_path)  # opens the store (writable): it must open
        for graph in set(before) | set(after):
            assert after.get(graph) in (before.get(graph), reference.get(graph)), (
                f"{name}: graph {graph} half-written after a kill at {delay:.2f}s"
            )
        left = junk(store)
        TALLY["junk"] += len(left)
        assert left == [], f"{name}: left behind after a kill at {delay:.2f}s: {left}"
        TALLY["survived"] += killed
        before = after
    assert killed_here == kills, (
        f"{name}: only {killed_here} of {attempts} runs were killed before they ended"
    )


def test_a_half_created_generation_is_removed_on_open(copy_of_built_store) -> None:
    """What a kill at the start of a generation switch leaves (seen in test_kill_9): the next
    generation's folder with RocksDB's first files only."""
    store = copy_of_built_store("half-created")
    live = current_generation(store).name
    half = store / f"gen-{int(live.split('-')[1]) + 1}"
    half.mkdir()
    for name in ("LOCK", "LOG", "000000.dbtmp"):
        (half / name).write_bytes(b"")
    OxigraphStore(store).close()
    assert not half.exists()


def test_zzz_summary(suite_report) -> None:
    suite_report(f"kills survived: {TALLY['survived']} / junk left: {TALLY['junk']} ({TALLY['kills']} kills)")
    assert TALLY["kills"] == 0 or TALLY["kills"] >= 10

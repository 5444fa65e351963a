"""Benchmark: every reading command, cold and warm, against today's code path in the same run.

    .venv/bin/python benchmarks/bench_cli.py [--quick] [--full STORE] [--datasets DIR]
                                             [--base VENV] [--repeat 5] [--base-repeat 5]
                                             [--no-export] [--cap 180]

For each store (the curated graph, and unless ``--quick`` the full graph: curated + O*NET +
ESCO + crosswalk) it times:

1. **Cold**: each reading command (``show``, ``related``, ``similar``, ``gap``, ``path``,
   ``transitions``, ``bridges``, ``central-skills``, ``stats``, ``query`` with a label lookup,
   ``viz NAME``, ``viz NAME --depth 2``) as a new ``careerkg`` process, once to let it write its
   caches and warm the OS page cache, then ``--repeat`` times: median wall time and the largest
   peak RSS (``os.wait4``'s ``ru_maxrss`` of that process). The baseline is today's code path:
   the ``careerkg`` of another checkout's venv (``--base``, default ``../base/.venv``, the code
   before this week's work), run the same way, alternating with careerkg, on its own copy of
   the store (a store it builds itself for the curated graph; a copy of the full store, which
   it opens as it is). Ratio = baseline / careerkg.
2. **Warm** in the Python API: ``CareerGraph.open`` once, then each call (lookups, skill gap,
   paths, similar, related, bridges, central_skills) once to warm, then timed: median of up to
   20 runs within 3 s (at least one).
3. **Export** (full store, unless ``--no-export``): ``careerkg export -f nt`` and ``-f nquads``
   of the whole store: wall time and peak RSS, careerkg and the baseline (each once: a slow
   baseline is stopped at ``--cap`` seconds and shown as ``>cap``).

Targets (issue 16): commands <= 1.5 s, ``viz`` <= 2 s, ``viz --depth 2`` <= 3 s on the full store
cold; warm lookups <= 20 ms, paths <= 50 ms, bridges/central_skills <= 50 ms; export peak <= 500 MB
and N-Triples >= 5x faster than the baseline. ``--quick`` runs the curated store only (about a
minute); ``--only export --no-warm`` the exports alone. What could not be measured is listed at
the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BASE = REPO.parent / "base" / ".venv"
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"
MAIN_BIN = Path(sys.executable).parent

SOURCE, TARGET = "software engineer", "machine learning engineer"
LOOKUP = "SELECT ?l WHERE { career:data-scientist skos:prefLabel ?l }"

#: (name, arguments after ``careerkg``, target seconds); ``{out}`` is a fresh output path.
COMMANDS: list[tuple[str, list[str], float]] = [
    ("--help (start-up floor, no store)", ["--help"], 1.5),
    ("show", ["show", TARGET], 1.5),
    ("related", ["related", TARGET], 1.5),
    ("similar", ["similar", SOURCE, "-k", "5"], 1.5),
    ("gap", ["gap", SOURCE, TARGET], 1.5),
    ("path", ["path", SOURCE, TARGET], 1.5),
    ("transitions", ["transitions", "--skill", "python", "--skill", "statistics"], 1.5),
    ("bridges", ["bridges", "-k", "10"], 1.5),
    ("central-skills", ["central-skills", "-k", "10"], 1.5),
    ("stats", ["stats"], 1.5),
    ("query (label lookup)", ["query", LOOKUP], 1.5),
    ("viz NAME", ["viz", TARGET, "-o", "{out}"], 2.0),
    ("viz NAME --depth 2", ["viz", TARGET, "--depth", "2", "-o", "{out}"], 3.0),
]

#: Warm API calls: (name, code run with ``kg`` bound, target ms).
API_CALLS: list[tuple[str, str, float]] = [
    ("resolve (lookup)", f"kg.resolve({TARGET!r})", 20),
    ("career profile (lookup)", f"kg.career({TARGET!r})", 20),
    ("similar", f"kg.similar({SOURCE!r}, k=5)", 50),
    ("related", f"kg.related({TARGET!r})", 50),
    ("skill_gap", f"kg.skill_gap({SOURCE!r}, {TARGET!r})", 50),
    ("paths k=3", f"kg.paths({SOURCE!r}, {TARGET!r}, k=3)", 50),
    ("bridges", "kg.bridges(k=10)", 50),
    ("central_skills", "kg.central_skills(k=10)", 50),
]

API_SCRIPT = r"""
import json, statistics, sys, time
from careerkg import CareerGraph
calls = json.loads(sys.argv[2])
started = time.perf_counter()
kg = CareerGraph.open(sys.argv[1])
out = {"open": (time.perf_counter() - started) * 1000}
for name, code, _ in calls:
    try:
        begun = time.perf_counter()
        eval(code)  # first call after open (views read from their cache on disk)
        first = (time.perf_counter() - begun) * 1000
        times = []
        budget = time.perf_counter() + 3
        while not times or (len(times) < 20 and time.perf_counter() < budget):
            begun = time.perf_counter()
            eval(code)
            times.append((time.perf_counter() - begun) * 1000)
        out[name] = [first, statistics.median(times)]
    except Exception as e:
        out[name] = str(e).splitlines()[0][:80] if str(e) else type(e).__name__
print(json.dumps(out))
"""

missing: list[str] = []


def run_once(argv: list[str], cap: float, env: dict | None = None) -> tuple[float | None, float, int]:
    """Run ``argv`` as a new process: (wall seconds or None past ``cap``, peak RSS MiB, exit code)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = started + cap
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = 0
            process.stderr.close()
            return None, usage.ru_maxrss / 1024, -9
        time.sleep(0.005)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    err = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if code != 0:
        tail = err.strip().splitlines()[-1:] or ["(no message)"]
        print(f"  ! {' '.join(argv[1:4])}... exit {code}: {tail[0][:160]}", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, code


def command_argv(bin_dir: Path, store: Path, args: list[str], out: Path) -> list[str]:
    store_args = [] if args == ["--help"] else ["--store", str(store)]
    return [str(bin_dir / "careerkg"), *[a.replace("{out}", str(out)) for a in args], *store_args]


def fmt_s(value: float | None, cap: float) -> str:
    return f">{cap:.0f}" if value is None else f"{value:.2f}"


def ratio(base: float | None, ours: float | None, cap: float) -> str:
    if ours is None or ours <= 0:
        return "–"
    if base is None:
        return f">{cap / ours:.1f}x"
    return f"{base / ours:.1f}x"


def bench_cold(label: str, ours: Path, base: Path | None, base_bin: Path | None, args) -> None:
    if not COMMANDS:
        return  # --only named no reading command (e.g. --only export)
    print(
        f"\n## Cold commands, {label} (a new process each; caches on disk, page cache warm; "
        f"median of {args.repeat}, baseline median of up to {args.base_repeat}; peak RSS the largest run)\n"
    )
    print("| command | careerkg s | today s | ratio | careerkg peak MB | today peak MB | target | met |")
    print("|---|---:|---:|---:|---:|---:|---:|:-:|")
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-out-") as out_dir:
        for name, cmd, target in COMMANDS:
            out = Path(out_dir) / "view.html"
            ours_times: list[float] = []
            base_times: list[float | None] = []
            ours_peak = base_peak = 0.0
            failed = False

            def one(bin_dir: Path, store: Path, out: Path = out, cmd: list[str] = cmd):
                out.unlink(missing_ok=True)
                return run_once(command_argv(bin_dir, store, cmd, out), args.cap)

            one(MAIN_BIN, ours)  # writes caches, warms the page cache
            if base is not None:
                one(base_bin, base)
            for i in range(args.repeat):
                wall, peak, code = one(MAIN_BIN, ours)
                failed |= code != 0
                ours_times.append(wall if wall is not None else args.cap)
                ours_peak = max(ours_peak, peak)
                if (
                    base is not None
                    and i < args.base_repeat
                    and (i == 0 or (base_times[-1] or args.cap) * i < 120)
                ):
                    wall, peak, _ = one(base_bin, base)
                    base_times.append(wall)
                    base_peak = max(base_peak, peak)
            mine = statistics.median(ours_times)
            if base_times:
                done = [t for t in base_times if t is not None]
                theirs = statistics.median(done) if len(done) == len(base_times) else None
                base_cells = f"{fmt_s(theirs, args.cap)} | {ratio(theirs, mine, args.cap)} | "
                base_peak_cell = f"{base_peak:.0f}"
                if len(base_times) < args.repeat:
                    base_cells = base_cells.replace(" |", f" (n={len(base_times)}) |", 1)
            else:
                base_cells, base_peak_cell = "– | – | ", "–"
            met = "**failed**" if failed else ("yes" if mine <= target else "**no**")
            print(
                f"| `{name}` | {mine:.2f} | {base_cells}{ours_peak:.0f} | {base_peak_cell} "
                f"| <= {target:g} s | {met} |",
                flush=True,
            )


def api_times(python: Path, store: Path) -> dict | str:
    calls = json.dumps(API_CALLS)
    try:
        done = subprocess.run(
            [str(python), "-c", API_SCRIPT, str(store), calls],
            capture_output=True,
            text=True,
            timeout=900,
        )
    except subprocess.TimeoutExpired:
        return "timed out after 900 s"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1][:160]
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_warm(label: str, ours: Path, base: Path | None, base_python: Path | None) -> None:
    print(
        f"\n## Warm Python API, {label} (`CareerGraph.open` once; first call after open, then the "
        "median of up to 20 calls within 3 s)\n"
    )
    mine = api_times(Path(sys.executable), ours)
    theirs = api_times(base_python, base) if base is not None else "no baseline"
    if isinstance(mine, str):
        missing.append(f"warm API on {label}: {mine}")
        print(f"(careerkg failed: {mine})")
        return
    if isinstance(theirs, str):
        missing.append(f"warm API baseline on {label}: {theirs}")
        theirs = {}
    print(f"open: careerkg {mine['open']:.0f} ms, today {theirs.get('open', float('nan')):.0f} ms\n")
    print(
        "| call | careerkg first ms | careerkg warm ms | today first ms | today warm ms "
        "| ratio (warm) | target | met |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|:-:|")
    for name, _, target in API_CALLS:
        got = mine.get(name)
        base_got = theirs.get(name)
        if not isinstance(got, list):
            print(f"| {name} | failed: {got} | | | | | {target:g} ms | **failed** |")
            continue
        if isinstance(base_got, list):
            base_cells = f"{base_got[0]:,.1f} | {base_got[1]:,.2f} | {base_got[1] / max(got[1], 1e-6):,.1f}x"
        else:
            base_cells = f"{base_got or '–'} | – | –"
        met = "yes" if got[1] <= target else "**no**"
        print(
            f"| {name} | {got[0]:,.1f} | {got[1]:,.2f} | {base_cells} | <= {target:g} ms | {met} |",
            flush=True,
        )


def bench_export(ours: Path, base: Path | None, base_bin: Path | None, args) -> None:
    print("\n## Export of the full store (one run each; output to a temporary file)\n")
    print(
        "| format | careerkg s | careerkg peak MB | today s | today peak MB | ratio | file MB "
        "| peak <= 500 MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|:-:|")
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-export-", dir=args.tmp) as out_dir:
        for fmt in ("nt", "nquads"):
            out = Path(out_dir) / f"all.{fmt}"
            extra = ["--graph", args.export_graph] if args.export_graph else []
            argv = [
                str(MAIN_BIN / "careerkg"),
                "export",
                "-f",
                fmt,
                "-o",
                str(out),
                "--store",
                str(ours),
                *extra,
            ]
            wall, peak, code = run_once(argv, args.cap)
            size = out.stat().st_size / 2**20 if out.exists() else 0
            out.unlink(missing_ok=True)
            base_cells = "– | – | –"
            if base is not None:
                argv = [
                    str(base_bin / "careerkg"),
                    "export",
                    "-f",
                    fmt,
                    "-o",
                    str(out),
                    "--store",
                    str(base),
                    *extra,
                ]
                base_wall, base_peak, base_code = run_once(argv, args.cap)
                out.unlink(missing_ok=True)
                if base_code not in (0, -9):
                    base_cells = f"failed (exit {base_code}) | {base_peak:.0f} | –"
                else:
                    base_cells = (
                        f"{fmt_s(base_wall, args.cap)} | {base_peak:.0f} | {ratio(base_wall, wall, args.cap)}"
                    )
            met = "**failed**" if code != 0 else ("yes" if peak <= 500 else "**no**")
            print(
                f"| {fmt} | {fmt_s(wall, args.cap)} | {peak:.0f} | {base_cells} | {size:,.0f} | {met} |",
                flush=True,
            )


def prepare(args, tmp: Path) -> list[tuple[str, Path, Path | None]]:
    """(label, careerkg's store, the baseline's store) for each store to measure."""
    base_bin = args.base / "bin" if args.base else None
    have_base = base_bin is not None and (base_bin / "careerkg").exists()
    if not have_base:
        missing.append(f"the baseline: no careerkg in {args.base}/bin (pass --base VENV)")
    stores = []
    curated = tmp / "curated"
    subprocess.run(
        [str(MAIN_BIN / "careerkg"), "build", "--store", str(curated)], check=True, stdout=subprocess.DEVNULL
    )
    base_curated = None
    if have_base:
        base_curated = tmp / "curated-base"
        built = subprocess.run(
            [str(base_bin / "careerkg"), "build", "--store", str(base_curated)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=args.base.parent,
        )
        if built.returncode != 0:
            missing.append(f"baseline curated store: build failed: {built.stderr.strip()[-200:]}")
            base_curated = None
    stores.append(("curated store", curated, base_curated))
    if args.quick:
        missing.append("the full store (--quick)")
        return stores
    full = tmp / "full"
    if args.full:
        shutil.copytree(args.full, full, symlinks=True)
    elif args.datasets.is_dir():
        started = time.perf_counter()
        subprocess.run(
            [str(MAIN_BIN / "careerkg"), "import", "all", str(args.datasets), "--store", str(full)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"imported {args.datasets} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    else:
        missing.append("the full store: neither --full nor the datasets folder is there")
        return stores
    base_full = None
    if have_base:
        base_full = tmp / "full-base"
        shutil.copytree(full, base_full, symlinks=True)
        for stale in (base_full / "views", base_full / "snapshots"):
            shutil.rmtree(stale, ignore_errors=True)  # careerkg's caches; today's code writes its own
    stores.append(("full store", full, base_full))
    return stores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the curated store only")
    parser.add_argument("--full", type=Path, help="a full store to copy (else imported from --datasets)")
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE, help="venv holding today's careerkg")
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (--quick: 3)")
    parser.add_argument("--base-repeat", type=int, default=5, help="runs of the baseline (fewer past 2 min)")
    parser.add_argument("--cap", type=float, default=180.0, help="seconds before a run is stopped")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--no-warm", action="store_true")
    parser.add_argument("--export-graph", help="export only this named graph (e.g. onet)")
    parser.add_argument("--tmp", type=Path, help="where to put the store copies (default: $TMPDIR)")
    parser.add_argument("--only", help="comma-separated command names to run (e.g. stats,bridges)")
    args = parser.parse_args()
    if args.quick and args.repeat == 5 and "--repeat" not in sys.argv:
        args.repeat = args.base_repeat = 3  # about a minute on an idle 2-core machine
    if args.only:
        wanted = set(args.only.split(","))
        COMMANDS[:] = [c for c in COMMANDS if c[0].split()[0] in wanted or c[0] in wanted]
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-cli-", dir=args.tmp) as tmp:
        stores = prepare(args, Path(tmp))
        base_bin = args.base / "bin" if args.base else None
        print(
            f"careerkg: {MAIN_BIN / 'careerkg'}; "
            f"today's code path: {base_bin / 'careerkg' if base_bin else '–'}"
        )
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
        for label, ours, base in stores:
            bench_cold(label, ours, base, base_bin, args)
            if not args.no_warm:
                bench_warm(label, ours, base, base_bin / "python" if base is not None else None)
        if not args.quick and not args.no_export and len(stores) > 1:
            _, ours, base = stores[1]
            bench_export(ours, base, base_bin, args)
        elif not args.quick and args.no_export:
            missing.append("export (--no-export)")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    if missing:
        print("\nNot measured:")
        for item in missing:
            print(f"- {item}")


if __name__ == "__main__":
    main()

"""Benchmark: how well ``careerkg ingest`` reads career pages as people save them.

Scores the parser, field by field, on the hand-written corpus in tests/data/pages/wild/ (each
page with the draft a careful reader makes of it): precision and recall of the title, the
definition (its sentences), the duties, the types, the See Also titles and the other names,
and the recall of "not placed" reports (cut-off items, unknown sections). The pages under
``heldout/`` were not used to tune the parser and are scored in a table of their own.

Beside each figure stands a baseline: the parser as it was before it learned these layouts
(``src/careerkg/pages`` at commit ``BASELINE_COMMIT``, read from git into a temporary package).
Without git history the baseline column is left out.

Run: ``python benchmarks/bench_pages.py`` (``--json`` prints the figures as JSON; ``--dev``
scores only the pages the parser may be tuned on).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WILD = ROOT / "tests" / "data" / "pages" / "wild"
BASELINE_COMMIT = "8e69b14"
FIELDS = ("title", "definition", "duties", "types", "see_also", "alt_labels")
TARGET = 0.95

Parser = Callable[[str, str, bool | None], tuple[Any, list[Any]]]


# -- the corpus ----------------------------------------------------------------------------------


def load_corpus(folder: Path = WILD) -> list[tuple[Path, dict]]:
    """(page, expected draft) for every ``NAME.json`` of ``folder`` and the page beside it."""
    pages = []
    for expected in sorted(folder.glob("*.json")):
        page = next(p for p in folder.iterdir() if p.stem == expected.stem and p != expected)
        pages.append((page, json.loads(expected.read_text(encoding="utf-8"))))
    return pages


def page_text(page: Path, expected: dict) -> str:
    """The text of a corpus page; the template of the big page grown to its size."""
    text = page.read_text(encoding="utf-8")
    spec = expected.get("generate")
    if spec:
        lines: list[str] = []
        size, n = 0, 0
        while size < spec["bytes"]:
            n += 1
            line = spec["line"].replace("{n}", str(n))
            lines.append(line)
            size += len(line.encode("utf-8")) + 1
        text = text.replace(spec["placeholder"], "\n".join(lines))
    return text


# -- scoring -------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def sentences(text: str | None) -> list[str]:
    """The sentences of a definition (split after . ! ? before a capital or a quote)."""
    if not text:
        return []
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'“(])", " ".join(text.split())) if s]


def predict(parse: Parser, page: Path, expected: dict) -> dict[str, Any]:
    """What ``parse`` makes of a page, in the fields of an expected draft."""
    html = True if page.suffix in (".html", ".htm") else None
    try:
        record, warnings = parse(page_text(page, expected), str(page), html)
    except Exception as e:  # a refused page gives no facts
        return {"title": None, "definition": [], "duties": [], "types": [], "see_also": [],
                "alt_labels": [], "warnings": [], "error": str(e)}
    return {
        "title": record.title,
        "definition": sentences(record.definition),
        "duties": [d.label for d in record.duties],
        "types": [t.label for t in record.types],
        "see_also": list(record.see_also),
        "alt_labels": list(record.alt_labels),
        "warnings": [str(w) for w in warnings],
        "error": None,
    }


def field_counts(expected: dict, got: dict, field: str) -> tuple[int, int, int]:
    """(true positives, predicted, expected) of one field of one page."""
    if field == "title":
        want = [expected["title"]] if expected["title"] else []
        have = [got["title"]] if got["title"] else []
    else:
        want, have = expected[field], got[field]
    want_n = [_norm(v) for v in want]
    have_n = [_norm(v) for v in have]
    pool = list(want_n)
    hits = 0
    for value in have_n:
        if value in pool:
            pool.remove(value)
            hits += 1
    return hits, len(have_n), len(want_n)


def not_placed_counts(expected: dict, got: dict) -> tuple[int, int]:
    """(reported, expected) of the texts a page must report as not placed."""
    said = _norm(" ".join(got["warnings"]))
    want = expected.get("not_placed", [])
    return sum(_norm(w) in said for w in want), len(want)


def score(parse: Parser, corpus: list[tuple[Path, dict]]) -> dict[str, Any]:
    """Micro-averaged precision and recall per field, and the pages that miss anything."""
    totals = {f: [0, 0, 0] for f in FIELDS}
    placed = [0, 0]
    misses: list[str] = []
    seconds = 0.0
    for page, expected in corpus:
        started = time.perf_counter()
        got = predict(parse, page, expected)
        seconds += time.perf_counter() - started
        for field in FIELDS:
            hits, have, want = field_counts(expected, got, field)
            for i, n in enumerate((hits, have, want)):
                totals[field][i] += n
            if hits != have or hits != want:
                misses.append(f"{page.name}: {field}")
        reported, wanted = not_placed_counts(expected, got)
        placed[0] += reported
        placed[1] += wanted
        if reported != wanted:
            misses.append(f"{page.name}: not placed")
    figures = {}
    for field, (hits, have, want) in totals.items():
        figures[field] = {"precision": hits / have if have else 1.0,
                          "recall": hits / want if want else 1.0}
    figures["not placed"] = {"precision": None,
                             "recall": placed[0] / placed[1] if placed[1] else 1.0}
    return {"pages": len(corpus), "figures": figures, "misses": misses, "seconds": seconds}


# -- the parsers ---------------------------------------------------------------------------------


def _adapt(module: Any) -> Parser:
    def parse(text: str, file: str, html: bool | None) -> tuple[Any, list[Any]]:
        return module.parse_page(text, file=file, html=html)

    return parse


def current_parser() -> Parser:
    sys.path.insert(0, str(ROOT / "src"))
    return _adapt(importlib.import_module("careerkg.pages"))


def baseline_parser(folder: Path) -> Parser | None:
    """The pages package at :data:`BASELINE_COMMIT`, copied from git into ``folder``."""
    package = folder / "careerkg_pages_baseline"
    package.mkdir()
    try:
        names = subprocess.run(
            ["git", "-C", str(ROOT), "ls-tree", "--name-only", BASELINE_COMMIT,
             "src/careerkg/pages/"], check=True, capture_output=True, text=True).stdout.split()
        for name in names:
            source = subprocess.run(["git", "-C", str(ROOT), "show", f"{BASELINE_COMMIT}:{name}"],
                                    check=True, capture_output=True, text=True).stdout
            source = re.sub(r"from \.\.(\w)", r"from careerkg.\1", source)
            (package / Path(name).name).write_text(source, encoding="utf-8")
    except (OSError, subprocess.CalledProcessError):
        return None
    sys.path.insert(0, str(folder))
    return _adapt(importlib.import_module("careerkg_pages_baseline"))


# -- the table -----------------------------------------------------------------------------------


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(name: str, now: dict, before: dict | None) -> str:
    head = f"{name}: {now['pages']} pages ({now['seconds']:.2f} s to parse them)"
    rows = [head, "",
            "| field | precision | recall | baseline precision | baseline recall |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for field, figures in now["figures"].items():
        old = before["figures"][field] if before else {"precision": None, "recall": None}
        rows.append(f"| {field} | {_cell(figures['precision'])} | {_cell(figures['recall'])} "
                    f"| {_cell(old['precision'])} | {_cell(old['recall'])} |")
    below = [f for f, v in now["figures"].items()
             if any(x is not None and x < TARGET for x in v.values())]
    rows.append("")
    rows.append(f"below the {TARGET} target: {', '.join(below) or 'none'}")
    if now["misses"]:
        rows.append("pages that miss anything: " + "; ".join(now["misses"]))
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    sets = {"dev": load_corpus(WILD), "held-out": load_corpus(WILD / "heldout")}
    if "--dev" in argv:  # while working on the parser: leave the held-out pages unseen
        del sets["held-out"]
    parser = current_parser()
    with tempfile.TemporaryDirectory(prefix="careerkg-bench-pages-") as tmp:
        baseline = baseline_parser(Path(tmp))
        results = {name: (score(parser, corpus), score(baseline, corpus) if baseline else None)
                   for name, corpus in sets.items()}
    if "--json" in argv:
        print(json.dumps({k: {"now": v[0], "baseline": v[1]} for k, v in results.items()},
                         indent=2))
        return 0
    for name, (now, before) in results.items():
        print(table(name, now, before))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Career pages as people save them: the corpus in tests/data/pages/wild/ (see its README).

Every page there was written for these tests, in our own words, in a layout seen on real
career sites (plain text, saved HTML, Markdown, emoji headings, cut-off excerpts, another
language); beside each page a JSON file states the draft a careful reader would make of it.
The pages under ``heldout/`` are kept aside: the parser was not tuned on them, and the
benchmark (benchmarks/bench_pages.py) scores them apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

WILD = Path(__file__).parent / "data" / "pages" / "wild"
HELDOUT = WILD / "heldout"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_4141501bf55b52d8.txt"
FIELDS = ("title", "definition", "duties", "types", "see_also", "alt_labels", "not_placed")


def corpus(folder: Path) -> list[tuple[Path, dict]]:
    pages = []
    for expected in sorted(folder.glob("*.json")):
        page = next(p for p in folder.iterdir() if p.stem == expected.stem and p != expected)
        pages.append((page, json.loads(expected.read_text(encoding="utf-8"))))
    return pages


DEV = corpus(WILD)
HELD = corpus(HELDOUT)
ALL = DEV + HELD


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


# -- the corpus itself ---------------------------------------------------------------------------


def test_corpus_size_and_layouts():
    assert len(ALL) >= 15
    assert len(HELD) >= 5
    suffixes = {page.suffix for page, _ in ALL}
    assert {".txt", ".html", ".md"} <= suffixes
    for _, expected in ALL:
        assert set(FIELDS) <= set(expected), expected.get("layout")
        assert expected["layout"]


@pytest.mark.parametrize(("page", "expected"), ALL, ids=[p.name for p, _ in ALL])
def test_expected_drafts_hold_only_what_the_page_says(page, expected):
    text = _flat(page.read_text(encoding="utf-8"))
    if expected["title"] is not None:
        assert expected["title"].casefold() in text
    for sentence in expected["definition"]:
        assert _flat(sentence) in text
    for field in ("duties", "types", "see_also", "alt_labels", "not_placed"):
        for label in expected[field]:
            words = _flat(label)
            # a singular type label may stand for a plural heading ("Residential Electricians")
            assert words in text or words.rstrip("s") in text, (field, label)


def test_corpus_copies_nothing_from_the_seed_page():
    if not SEED.is_file():
        pytest.skip("the seed page is not here")
    seed = SEED.read_text(encoding="utf-8")
    sentences = {s for s in re.split(r"(?<=[.!?])\s+", " ".join(seed.split())) if len(s) > 40}
    for page, _ in ALL:
        text = " ".join(page.read_text(encoding="utf-8").split())
        assert not [s for s in sentences if s in text], page.name

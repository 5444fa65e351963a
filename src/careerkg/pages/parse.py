"""Read a career page (plain text or saved HTML) into a record of what it says.

A career page is the kind of web page that answers "What does a X do?": a summary under
"What is a X?", a "Duties and Responsibilities" list of ``Name: text`` bullets, a "Types of X"
list, a workplace section, a "See Also" run of career titles and an "X are also known as:" list.
:func:`parse_page` walks the blocks of the page (:mod:`careerkg.pages.blocks`), places each in
the section it belongs to (:mod:`careerkg.pages.sections`), drops the page chrome and reports
every other text block it could not place as a warning at its line. Nothing is invented: every
value of a :class:`PageRecord` is text of the page, or an id of the work-setting and industry
catalogues that the page names.

>>> page = '''What is a Tide Gauge Technician?
...
... A tide gauge technician keeps sea-level sensors running.
...
... Duties and Responsibilities
...   • Calibration: Checks each sensor against a reference staff.
...
... See Also
... Engineer Coastal Engineer Hydrographic Surveyor
... '''
>>> record, warnings = parse_page(page, file="tide.txt")
>>> record.title, [d.label for d in record.duties], warnings
('Tide Gauge Technician', ['Calibration'], [])
>>> record.see_also
('Engineer', 'Coastal Engineer', 'Hydrographic Surveyor')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from .blocks import Block, page_blocks, read_page_text
from .catalogue import Catalogue, default_catalogues
from .labels import has_upper, split_titles, squash, title_case, unique
from .sections import (
    LIST_SECTIONS,
    MAX_HEADING_WORDS,
    PARAGRAPH_SECTIONS,
    TITLE_KINDS,
    holds_kept_section,
    is_caption,
    is_chrome,
    looks_like_heading,
    match_heading,
)

__all__ = ["Item", "PageRecord", "parse_page", "read_page"]

logger = logging.getLogger(__name__)

_NAME_TEXT = re.compile(r"^(?P<name>[^:]{1,80}?)\s*:\s+(?P<text>\S.*)$")
_NAME_DASH = re.compile(r"^(?P<name>[^–—]{1,80}?)\s+[–—]\s+(?P<text>\S.*)$")
_NAME_SEPARATORS = re.compile(r"\s*[,;]\s*")


@dataclass(frozen=True)
class Item:
    """A named entry of a list section: a duty or a type (specialization).

    >>> Item("Calibration", "Checks each sensor.", 12)
    Item(label='Calibration', definition='Checks each sensor.', line=12)
    """

    label: str
    definition: str | None
    line: int


@dataclass(frozen=True)
class PageRecord:
    """What a career page says, as written on the page (labels are not cleaned up here).

    >>> PageRecord("page.txt", "Tide Gauge Technician").title
    'Tide Gauge Technician'
    """

    file: str
    title: str
    title_line: int = 0
    summary: tuple[str, ...] = ()
    duties: tuple[Item, ...] = ()
    types: tuple[Item, ...] = ()
    workplace: tuple[str, ...] = ()
    work_settings: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    intros: tuple[str, ...] = field(default=(), repr=False)

    @property
    def definition(self) -> str | None:
        """The summary paragraphs, one per line; ``None`` when the page has none."""
        return "\n".join(self.summary) or None


def _excerpt(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class _PageParser:
    def __init__(self, file: str, settings: Catalogue, industries: Catalogue) -> None:
        self.file = file
        self.settings = settings
        self.industries = industries
        self.warnings: list[Problem] = []
        self.section: str | None = None
        self.titles: list[tuple[str, str, int]] = []
        self.paragraphs: dict[str, list[list[str]]] = {s: [] for s in PARAGRAPH_SECTIONS}
        self.overview_lines: list[int] = []
        self.items: dict[str, list[dict]] = {"duties": [], "types": []}
        self.intros: list[str] = []
        self.see_also: list[str] = []
        self.alt_labels: list[str] = []
        self.seen_items = False
        self.continuing = False  # the block before was a list entry (or continued one)
        self.intro_open = False  # the block before was an intro line of a list section

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.file, line, message))

    def unplaced(self, block: Block) -> None:
        self.warn(block.line, f"text not placed in the draft: {_excerpt(block.text)!r}")

    # -- the walk over blocks --

    def run(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            if is_chrome(block.text):
                logger.debug("%s:%d: page chrome ignored: %s", self.file, block.line, block.text)
                self.continuing = False
                continue
            if block.kind != "bullet" and self.heading(block):
                self.continuing = False
                continue
            self.content(block)

    def heading(self, block: Block) -> bool:
        found = match_heading(block.text)
        if found is None:
            unknown = block.kind == "heading" or (
                block.kind == "text" and self._may_open_section() and looks_like_heading(block)
                and not _NAME_TEXT.match(block.text)
            )
            if unknown:
                self.open("unknown")
                self.warn(block.line, f"section not recognized: {_excerpt(block.text)!r}")
            return unknown
        kind, match = found
        if kind in TITLE_KINDS:
            self.titles.append((kind, match["t"], block.line))
            self.open("summary" if kind == "what_is" else "overview")
            return True
        self.open(kind)
        rest = (match.groupdict().get("rest") or "").strip()
        if rest:
            self.content(Block(block.line, rest, "text", True))
        return True

    def _may_open_section(self) -> bool:
        if self.section in PARAGRAPH_SECTIONS or self.section in (None, "nav", "unknown"):
            return True
        return self.section in LIST_SECTIONS and self.seen_items

    def open(self, section: str) -> None:
        self.section = section
        self.seen_items = False
        self.continuing = False
        self.intro_open = False

    def content(self, block: Block) -> None:
        section = self.section
        if section in PARAGRAPH_SECTIONS:
            self.paragraph(section, block)
        elif section in LIST_SECTIONS:
            self.list_entry(section, block)
        elif section == "see_also":
            self.see_also_entry(block)
        elif section == "aka":
            names = [block.text] if block.kind == "item" else _NAME_SEPARATORS.split(block.text)
            self.alt_labels += [n.strip().rstrip(".") for n in names if n.strip().rstrip(".")]
        else:
            self.unplaced(block)

    def paragraph(self, section: str, block: Block) -> None:
        paragraphs = self.paragraphs[section]
        if section == "overview" and block.kind == "text" and block.gap and is_caption(block.text):
            logger.debug("%s:%d: image caption ignored", self.file, block.line)
            return
        if block.gap or block.kind == "bullet" or not paragraphs:
            paragraphs.append([block.text])
            if section == "overview":
                self.overview_lines.append(block.line)
        else:
            paragraphs[-1].append(block.text)

    def list_entry(self, section: str, block: Block) -> None:
        items = self.items[section]
        named = _NAME_TEXT.match(block.text) or _NAME_DASH.match(block.text)
        is_item = block.kind == "bullet" or (
            block.kind == "text" and named is not None and block.gap
            and len(named["name"].split()) <= MAX_HEADING_WORDS and named["name"][:1].isupper()
        )
        if is_item:
            self.seen_items = True
            self.continuing = True
            if named and len(named["name"].split()) <= MAX_HEADING_WORDS:
                items.append({"label": squash(named["name"]), "definition": named["text"],
                              "line": block.line})
            elif len(block.text.split()) <= MAX_HEADING_WORDS:
                items.append({"label": block.text.rstrip("."), "definition": None,
                              "line": block.line})
            else:
                self.continuing = False
                self.warn(block.line, "bullet has no 'Name: description' form, not placed: "
                          f"{_excerpt(block.text)!r}")
            return
        if self.continuing and not block.gap:
            # A wrapped bullet: the line continues the entry above it.
            last = items[-1]
            last["definition"] = f"{last['definition'] or ''} {block.text}".strip()
            return
        self.continuing = False
        if not self.seen_items:
            if block.gap or not self.intro_open:
                self.intros.append(block.text)
            else:
                self.intros[-1] += " " + block.text
            self.intro_open = True
            return
        self.unplaced(block)

    def see_also_entry(self, block: Block) -> None:
        if block.kind == "item" or block.kind == "bullet":
            self.see_also.append(block.text.strip(" ,;"))
            return
        titles, tail = split_titles(block.text)
        if tail and not titles:
            self.see_also.append(tail)  # one title on its own line
            return
        self.see_also += titles
        if tail:
            self.see_also.append(tail)
            self.warn(block.line, f"see-also title {tail!r} does not end in a known role word;"
                      " check how the run was split")

    # -- the result --

    def record(self) -> PageRecord:
        if not self.titles:
            raise InputError("no career title found (expected a heading 'What is a X?' or "
                             "'What does a X do?')", file=self.file)
        titles = sorted(self.titles, key=lambda t: (t[0] != "what_is", not has_upper(t[1])))
        _, title, title_line = titles[0]
        title = title_case(squash(title))
        summary = [" ".join(p) for p in self.paragraphs["summary"]]
        overview = [" ".join(p) for p in self.paragraphs["overview"]]
        if not summary:
            summary = overview
        else:
            for line, text in zip(self.overview_lines, overview, strict=True):
                self.warn(line, f"text not placed in the draft: {_excerpt(text)!r}")
        workplace = tuple(" ".join(p) for p in self.paragraphs["workplace"])
        where = " ".join(workplace)
        duties = self._unique("duty", self.items["duties"])
        types = self._unique("type", self.items["types"])
        return PageRecord(
            file=self.file,
            title=title,
            title_line=title_line,
            summary=tuple(summary),
            duties=duties,
            types=types,
            workplace=workplace,
            work_settings=self.settings.find(where),
            industries=self.industries.find(" ".join([*summary, where])),
            see_also=tuple(unique(self.see_also)),
            alt_labels=tuple(unique(self.alt_labels)),
            intros=tuple(self.intros),
        )

    def _unique(self, what: str, entries: list[dict]) -> tuple[Item, ...]:
        seen: dict[str, int] = {}
        kept: list[Item] = []
        for entry in entries:
            key = entry["label"].casefold()
            if key in seen:
                self.warn(entry["line"], f"{what} {entry['label']!r} repeats line {seen[key]};"
                          " kept the first")
                continue
            seen[key] = entry["line"]
            kept.append(Item(entry["label"], entry["definition"], entry["line"]))
        return tuple(kept)


# -- entry points --------------------------------------------------------------------------------


def parse_page(
    text: str,
    *,
    file: str | Path = "<page>",
    html: bool | None = None,
    work_settings: Catalogue | None = None,
    industries: Catalogue | None = None,
) -> tuple[PageRecord, list[Problem]]:
    """Parse the text of a career page; returns the record and the warnings.

    ``html=None`` guesses the format from the text. The catalogues default to the ones in the
    curated data folder. Raises :class:`~careerkg.errors.InputError` when the page has no
    career title, or is HTML nested too deep to read.

    >>> record, _ = parse_page("What does a hydrologist do?\\n\\nHydrologists are also known as:"
    ...                        "\\nWater Scientist")
    >>> record.title, record.alt_labels
    ('Hydrologist', ('Water Scientist',))
    """
    name = str(file)
    if work_settings is None or industries is None:
        default_settings, default_industries = default_catalogues()
        work_settings = work_settings or default_settings
        industries = industries or default_industries
    blocks = page_blocks(text, file=name, html=html, keep=holds_kept_section)
    parser = _PageParser(name, work_settings, industries)
    parser.run(blocks)
    record = parser.record()
    return record, sorted(parser.warnings, key=lambda p: p.line)


def read_page(
    path: str | Path,
    *,
    work_settings: Catalogue | None = None,
    industries: Catalogue | None = None,
) -> tuple[PageRecord, list[Problem]]:
    """Read and parse a career page file (``.html``/``.htm`` as HTML, anything else sniffed).

    Raises :class:`~careerkg.errors.InputError` naming the file when it cannot be read, is not
    text, is HTML nested too deep, or has no career title.

    >>> read_page("no/such/page.txt")
    Traceback (most recent call last):
    ...
    careerkg.errors.InputError: no/such/page.txt: cannot read page: No such file or directory
    """
    path = Path(path)
    text, html = read_page_text(path)
    return parse_page(text, file=path, html=html, work_settings=work_settings,
                      industries=industries)

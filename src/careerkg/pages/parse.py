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
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from .blocks import Block, page_blocks, read_page_text
from .catalogue import Catalogue, default_catalogues
from .labels import (
    TITLE_SEPARATORS,
    clean_item_label,
    cut_word,
    has_upper,
    is_career_title,
    singular_title,
    split_titles,
    squash,
    title_case,
    unique,
)
from .sections import (
    LIST_SECTIONS,
    MAX_HEADING_WORDS,
    PARAGRAPH_SECTIONS,
    TITLE_KINDS,
    clean_heading,
    holds_kept_section,
    is_caption,
    is_chrome,
    looks_like_heading,
    match_heading,
)

__all__ = ["Item", "PageRecord", "Skipped", "parse_page", "read_page"]

logger = logging.getLogger(__name__)

_NAME_TEXT = re.compile(r"^(?P<name>[^:]{1,80}?)\s*:\s+(?P<text>\S.*)$")
_NAME_DASH = re.compile(r"^(?P<name>[^–—]{1,80}?)\s+[–—-]\s+(?P<text>\S.*)$")
_NAME_SEPARATORS = re.compile(r"\s*[,;]\s*")
_END_PUNCT = re.compile(r"[.!?)\"'”’]$")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")
# Words a sentence does not end on: a text ending in one was cut mid-sentence.
_OPEN_WORDS = frozenset({"the", "a", "an", "of", "to", "and", "or", "with", "in", "for", "on",
                         "at", "by", "from", "their", "its", "his", "her", "that", "which", "as",
                         "is", "are", "such", "into", "than"})


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
class Skipped:
    """A block of a page that is no fact: page chrome (``why`` says which kind), or text that
    was not placed in the draft (``why`` is ``not placed``, ``cut off`` or ``unknown section``).
    """

    line: int
    text: str
    why: str


@dataclass(frozen=True)
class PageRecord:
    """What a career page says, as written on the page; labels of duties and types are
    cleaned (bullets, numbering, a trailing colon; a plural type name made singular).

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
    #: Where each value was found: (field, line, text), in page order.
    found: tuple[tuple[str, int, str], ...] = field(default=(), repr=False, compare=False)
    #: Blocks that are no fact: page chrome, and text not placed (also in the warnings).
    skipped: tuple[Skipped, ...] = field(default=(), repr=False, compare=False)

    @property
    def definition(self) -> str | None:
        """The summary paragraphs, one per line; ``None`` when the page has none."""
        return "\n".join(self.summary) or None

    @property
    def not_placed(self) -> tuple[Skipped, ...]:
        """The text blocks of the page that are in no field of the record, nor chrome."""
        return tuple(s for s in self.skipped if s.why in _NOT_PLACED)


_NOT_PLACED = frozenset({"not placed", "cut off", "unknown section"})


def _excerpt(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _cut_text(text: str) -> bool:
    """Whether a sentence was cut off: an ellipsis, or a last word no sentence ends on."""
    if _ELLIPSIS.search(text) and not re.search(r"\betc\.{3}$", text):
        return True
    words = text.rstrip().split()
    return bool(words) and words[-1].lower() in _OPEN_WORDS and len(words) > 2


class _PageParser:
    def __init__(self, file: str, settings: Catalogue, industries: Catalogue) -> None:
        self.file = file
        self.settings = settings
        self.industries = industries
        self.warnings: list[Problem] = []
        self.skipped: list[Skipped] = []
        self.found: list[tuple[str, int, str]] = []
        self.section: str | None = None
        self.section_level = 0
        self.titles: list[tuple[str, str, int]] = []
        self.paragraphs: dict[str, list[list[str]]] = {s: [] for s in PARAGRAPH_SECTIONS}
        self.paragraph_lines: dict[str, list[list[int]]] = {s: [] for s in PARAGRAPH_SECTIONS}
        self.items: dict[str, list[dict]] = {"duties": [], "types": []}
        self.intros: list[str] = []
        self.see_also: list[tuple[str, int]] = []
        self.alt_labels: list[tuple[str, int]] = []
        self.seen_items = False
        self.sub_items = False  # the entries of this section are headings with text under them
        self.continuing = False  # the block before was a list entry (or continued one)
        self.awaiting = False  # the entry before was a heading: the next paragraph is its text
        self.intro_open = False  # the block before was an intro line of a list section
        self.blocks: list[Block] = []
        self.at = 0

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.file, line, message))

    def skip(self, block: Block, why: str) -> None:
        logger.debug("%s:%d: %s: %s", self.file, block.line, why, block.text)
        self.skipped.append(Skipped(block.line, block.text, why))

    def unplaced(self, block: Block, why: str = "not placed") -> None:
        self.skipped.append(Skipped(block.line, block.text, why))
        self.warn(block.line, f"text not placed in the draft: {_excerpt(block.text)!r}")

    def cut(self, line: int, text: str, what: str) -> None:
        self.skipped.append(Skipped(line, text, "cut off"))
        self.warn(line, f"{what} cut off, not used: {_excerpt(text)!r}")

    def next_block(self) -> Block | None:
        return self.blocks[self.at + 1] if self.at + 1 < len(self.blocks) else None

    # -- the walk over blocks --

    def run(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        for at, block in enumerate(blocks):
            self.at = at
            if block.kind == "image":
                self.skip(block, "image")
                continue
            if self.section == "nav" and block.kind != "heading" and (
                    len(block.text) > 80 or not match_heading(block.text)):
                self.skip(block, "navigation")  # under "Comments", "Related articles", ...
                continue
            if is_chrome(block.text) and not (block.kind == "heading" and match_heading(
                    block.text)):
                self.skip(block, "page chrome")
                self.continuing = self.awaiting = False
                continue
            if block.kind != "bullet" and self.heading(block):
                self.continuing = False
                continue
            self.content(block)

    def heading(self, block: Block) -> bool:
        found = match_heading(block.text)
        if found is None:
            if self.section == "nav" and block.kind != "heading":
                return False
            if self.section in LIST_SECTIONS and self.sub_item(block):
                return False
            if block.kind == "heading" and block.level == 1 and is_career_title(
                    clean_heading(block.text)) and not self.titles:
                self.titles.append(("named", clean_heading(block.text), block.line))
                self.found.append(("title", block.line, block.text))
                self.open("summary", block)
                return True
            unknown = block.kind == "heading" or (
                block.kind == "text" and self._may_open_section() and looks_like_heading(block)
                and not _NAME_TEXT.match(block.text)
            )
            if unknown:
                self.open("unknown", block)
                self.skipped.append(Skipped(block.line, block.text, "unknown section"))
                self.warn(block.line, f"section not recognized: {_excerpt(block.text)!r}")
            return unknown
        kind, match = found
        if kind in TITLE_KINDS:
            self.titles.append((kind, match["t"], block.line))
            self.found.append(("title", block.line, block.text))
            self.open("summary" if kind in ("what_is", "named") else "overview", block)
            return True
        self.open(kind, block)
        if kind == "nav":
            self.skip(block, "navigation")
        else:
            self.found.append((f"{kind} heading", block.line, block.text))
        rest = (match.groupdict().get("rest") or "").strip()
        if rest:
            self.content(Block(block.line, rest, "text", True))
        return True

    def sub_item(self, block: Block) -> bool:
        """Whether a heading-like block in a list section names an entry of it: a deeper
        heading than the section's, or a short line with the entry's text on the next line."""
        if block.kind == "bullet" or _NAME_TEXT.match(block.text):
            return False
        label = clean_heading(block.text)
        if not label or len(label.split()) > MAX_HEADING_WORDS or not label[:1].isupper():
            return False
        if re.search(r"[.;,!?]$", label):
            return False
        if self.section == "types" and not is_career_title(label):
            return False
        if block.kind == "heading":
            return self.section_level > 0 and block.level > self.section_level
        if self.seen_items and not self.sub_items:
            return False  # entries so far were bullets: a line like a heading opens a section
        following = self.next_block()
        return (block.gap and following is not None and following.kind == "text"
                and not following.gap)

    def _may_open_section(self) -> bool:
        if self.section in PARAGRAPH_SECTIONS or self.section in (None, "nav", "unknown"):
            return True
        return self.section in LIST_SECTIONS and self.seen_items

    def open(self, section: str, block: Block | None = None) -> None:
        self.section = section
        self.section_level = block.level if block is not None else 0
        self.seen_items = False
        self.sub_items = False
        self.continuing = False
        self.awaiting = False
        self.intro_open = False

    def content(self, block: Block) -> None:
        section = self.section
        if section == "overview" and block.kind == "bullet" and (
                _NAME_TEXT.match(block.text) or _NAME_DASH.match(block.text)):
            self.open("duties")  # the duties, listed right under "What does a X do?"
            section = "duties"
        if section in PARAGRAPH_SECTIONS:
            self.paragraph(section, block)
        elif section in LIST_SECTIONS:
            self.list_entry(section, block)
        elif section == "see_also":
            self.see_also_entry(block)
        elif section == "aka":
            names = [block.text] if block.kind == "item" else _NAME_SEPARATORS.split(block.text)
            for name in names:
                name = clean_item_label(name)
                if name:
                    self.alt_labels.append((name, block.line))
                    self.found.append(("alt_labels", block.line, name))
        elif section == "nav":
            self.skip(block, "navigation")
        elif section == "unknown":
            self.unplaced(block, "unknown section")
        else:
            self.unplaced(block)

    def paragraph(self, section: str, block: Block) -> None:
        paragraphs = self.paragraphs[section]
        if (section == "overview" and block.kind == "text" and block.gap
                and is_caption(block.text, [t for _, t, _ in self.titles])):
            self.skip(block, "picture caption")
            return
        if block.gap or block.kind == "bullet" or not paragraphs:
            paragraphs.append([block.text])
            self.paragraph_lines[section].append([block.line])
        else:
            paragraphs[-1].append(block.text)
            self.paragraph_lines[section][-1].append(block.line)

    def list_entry(self, section: str, block: Block) -> None:
        items = self.items[section]
        if block.kind in ("heading", "text") and self.sub_item(block):
            self.seen_items = True
            self.sub_items = True
            self.continuing = True
            self.awaiting = True
            items.append({"label": clean_heading(block.text), "definition": None,
                          "line": block.line, "text": block.text, "more": []})
            return
        if self.awaiting and block.kind == "text" and items:
            # The text under an entry given as a heading ("Residential Electricians").
            self.awaiting = False
            items[-1]["definition"] = block.text
            items[-1]["text"] += " " + block.text
            items[-1]["more"].append((block.line, block.text))
            return
        self.awaiting = False
        named = _NAME_TEXT.match(block.text) or _NAME_DASH.match(block.text)
        is_item = block.kind == "bullet" or (
            block.kind == "text" and named is not None and block.gap
            and len(named["name"].split()) <= MAX_HEADING_WORDS and named["name"][:1].isupper()
        )
        if is_item:
            self.seen_items = True
            self.continuing = True
            if named and len(named["name"].split()) <= MAX_HEADING_WORDS:
                text = re.sub(r"^[–—-]\s+", "", named["text"])
                items.append({"label": squash(named["name"]), "definition": text,
                              "line": block.line, "text": block.text, "more": []})
            elif len(block.text.split()) <= MAX_HEADING_WORDS:
                items.append({"label": block.text.rstrip("."), "definition": None,
                              "line": block.line, "text": block.text, "more": []})
            else:
                self.continuing = False
                self.skipped.append(Skipped(block.line, block.text, "not placed"))
                self.warn(block.line, "bullet has no 'Name: description' form, not placed: "
                          f"{_excerpt(block.text)!r}")
            return
        if self.continuing and not block.gap and items:
            # A wrapped bullet: the line continues the entry above it.
            last = items[-1]
            last["definition"] = f"{last['definition'] or ''} {block.text}".strip()
            last["text"] += " " + block.text
            last.setdefault("more", []).append((block.line, block.text))
            return
        self.continuing = False
        if not self.seen_items:
            if block.gap or not self.intro_open:
                self.intros.append(block.text)
            else:
                self.intros[-1] += " " + block.text
            self.found.append(("intro", block.line, block.text))
            self.intro_open = True
            return
        self.unplaced(block)

    def see_also_entry(self, block: Block) -> None:
        titles: list[str] = []
        tails: set[str] = set()
        if block.kind in ("item", "bullet"):
            titles.append(clean_item_label(block.text.strip(" ,;")))
        else:
            pieces = [p.strip() for p in TITLE_SEPARATORS.split(block.text) if p.strip()]
            for piece in pieces:
                found, tail = split_titles(piece)
                titles += found
                if tail:
                    titles.append(tail)
                    if found:
                        tails.add(tail)  # a run of titles with no role word at its end
        for title in titles:
            if cut_word(title):
                self.cut(block.line, title, "see-also title")
                continue
            self.see_also.append((title, block.line))
            self.found.append(("see_also", block.line, title))
            if title in tails:
                self.warn(block.line, f"see-also title {title!r} does not end in a known role "
                          "word; check how the run was split")

    # -- the result --

    def _items(self, what: str, entries: list[dict], last_line: int) -> tuple[Item, ...]:
        """The entries of a list section, cleaned; cut-off entries are reported and left out."""
        ended = sum(1 for e in entries if e["definition"] and _END_PUNCT.search(e["definition"]))
        kept: list[Item] = []
        seen: dict[str, int] = {}
        for entry in entries:
            label = clean_item_label(entry["label"])
            if what == "type":
                label = singular_title(label)
            definition = entry["definition"]
            cut = bool(cut_word(label)) if not definition else (
                _cut_text(definition) or (
                    not _END_PUNCT.search(definition) and len(definition.split()) >= 4
                    and (ended >= 2 or entry["line"] == last_line)))
            if not label:
                continue
            if cut:
                self.cut(entry["line"], entry["text"], what)
                self.skipped += [Skipped(line, text, "cut off") for line, text in entry["more"]]
                continue
            key = label.casefold()
            if key in seen:
                self.warn(entry["line"], f"{what} {label!r} repeats line {seen[key]};"
                          " kept the first")
                continue
            seen[key] = entry["line"]
            kept.append(Item(label, definition, entry["line"]))
            field_name = "duties" if what == "duty" else "types"
            self.found.append((field_name, entry["line"], label))
            self.found += [(field_name, line, text) for line, text in entry["more"]]
        return tuple(kept)

    def record(self) -> PageRecord:
        if not self.titles:
            raise InputError("no career title found (expected a heading 'What is a X?' or "
                             "'What does a X do?')", file=self.file)
        rank = {"what_is": 0, "what_does": 1, "named": 2}
        titles = sorted(self.titles, key=lambda t: (rank[t[0]], not has_upper(t[1])))
        _, title, title_line = titles[0]
        title = title_case(squash(title))
        last_line = self.blocks[-1].line if self.blocks else 0
        summary = [" ".join(p) for p in self.paragraphs["summary"]]
        summary_lines = list(self.paragraph_lines["summary"])
        overview = [" ".join(p) for p in self.paragraphs["overview"]]
        if not summary:
            summary, summary_lines = overview, list(self.paragraph_lines["overview"])
        else:
            for lines, text in zip(self.paragraph_lines["overview"], overview, strict=True):
                self.skipped += [Skipped(line, text, "not placed") for line in lines]
                self.warn(lines[0], f"text not placed in the draft: {_excerpt(text)!r}")
        kept_summary = []
        for lines, text in zip(summary_lines, summary, strict=True):
            line = lines[0]
            self.found += [("definition", more, text) for more in lines[1:]]
            if _cut_text(text) or (lines[-1] == last_line and not _END_PUNCT.search(text)):
                # a cut-off paragraph: its whole sentences stay, the cut one is reported
                whole = re.match(r"^(.*[.!?])\s+\S[^.!?]*$", text)
                self.cut(line, text if not whole else text[whole.end(1):].strip(), "sentence")
                if whole:
                    kept_summary.append(whole[1])
                    self.found.append(("definition", line, whole[1]))
                continue
            kept_summary.append(text)
            self.found.append(("definition", line, text))
        workplace = tuple(" ".join(p) for p in self.paragraphs["workplace"])
        for lines, text in zip(self.paragraph_lines["workplace"], workplace, strict=True):
            self.found += [("workplace", line, text) for line in lines]
        where = " ".join(workplace)
        duties = self._items("duty", self.items["duties"], last_line)
        types = self._items("type", self.items["types"], last_line)
        return PageRecord(
            file=self.file,
            title=title,
            title_line=title_line,
            summary=tuple(kept_summary),
            duties=duties,
            types=types,
            workplace=workplace,
            work_settings=self.settings.find(where),
            industries=self.industries.find(" ".join([*kept_summary, where])),
            see_also=tuple(unique(t for t, _ in self.see_also)),
            alt_labels=tuple(unique(n for n, _ in self.alt_labels)),
            intros=tuple(self.intros),
            found=tuple(sorted(self.found, key=lambda f: f[1])),
            skipped=tuple(sorted(self.skipped, key=lambda s: s.line)),
        )


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
    parser.run(list(blocks))
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

"""Read a career page (plain text or saved HTML) into a draft career record.

A career page is the kind of web page that answers "What does a X do?": a summary under
"What is a X?", a "Duties and Responsibilities" list of ``Name: text`` bullets, a "Types of X"
list, a workplace section, a "See Also" run of career titles and an "X are also known as:" list.
:func:`parse_page` recognizes those sections, drops the page chrome (career-test adverts,
navigation headings, image captions) and reports every other text block it could not place as a
warning at its line. Nothing is invented: every value of a :class:`PageRecord` is text of the
page, or an id of the work-setting and industry catalogues that the page names.

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

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..data.yamlio import load_yaml
from ..errors import InputError, Problem
from ..resources import data_dir

__all__ = [
    "HTML_SUFFIXES",
    "ROLE_PREFIXES",
    "ROLE_WORDS",
    "Catalogue",
    "Item",
    "PageRecord",
    "clean_label",
    "load_catalogue",
    "load_catalogues",
    "match_catalogue",
    "parse_page",
    "read_page",
    "slugify",
    "split_titles",
]

logger = logging.getLogger(__name__)

#: Words that end a career title. A flat "See Also" run is split after each of them.
ROLE_WORDS: frozenset[str] = frozenset({
    "Engineer", "Technician", "Scientist", "Developer", "Analyst", "Manager", "Designer",
    "Architect", "Specialist", "Technologist", "Administrator", "Officer", "Consultant",
    "Researcher", "Operator", "Programmer", "Planner", "Inspector", "Mechanic", "Assistant",
    "Director", "Coordinator", "Tester", "Writer", "Editor", "Producer", "Artist", "Animator",
    "Illustrator", "Photographer", "Journalist", "Reporter", "Translator", "Interpreter",
    "Teacher", "Professor", "Instructor", "Lecturer", "Trainer", "Tutor", "Coach", "Counselor",
    "Counsellor", "Advisor", "Adviser", "Nurse", "Physician", "Surgeon", "Doctor", "Dentist",
    "Pharmacist", "Therapist", "Psychologist", "Paramedic", "Practitioner", "Veterinarian",
    "Pilot", "Navigator", "Captain", "Driver", "Electrician", "Plumber", "Welder", "Machinist",
    "Fitter", "Installer", "Repairer", "Carpenter", "Mason", "Roofer", "Painter", "Surveyor",
    "Drafter", "Draftsman", "Estimator", "Modeler", "Modeller", "Fabricator", "Geologist",
    "Geophysicist", "Chemist", "Physicist", "Biologist", "Ecologist", "Microbiologist",
    "Meteorologist", "Hydrologist", "Oceanographer", "Astronomer", "Mathematician", "Statistician",
    "Economist", "Actuary", "Accountant", "Auditor", "Lawyer", "Attorney", "Paralegal",
    "Librarian", "Archivist", "Curator", "Historian", "Archaeologist", "Anthropologist",
    "Sociologist", "Strategist", "Executive", "Supervisor", "Foreman", "Worker", "Clerk", "Agent",
    "Broker", "Representative", "Buyer", "Investigator", "Firefighter", "Forester", "Ranger",
    "Farmer", "Chef", "Cook", "Baker", "Entrepreneur", "Expert", "Midwife", "Steward", "Composer",
    "Musician", "Conductor", "Performer", "Sonographer", "Radiographer", "Dietitian",
    "Nutritionist", "Optometrist", "Audiologist", "Hygienist", "Scheduler", "Controller",
    "Dispatcher", "Examiner", "Appraiser", "Underwriter", "Trader", "Associate", "Banker",
    "Integrator",
})

#: Role words that also name the first half of a two-role title ("Nurse Practitioner").
ROLE_PREFIXES: frozenset[str] = frozenset({
    "Assistant", "Nurse", "Physician", "Executive", "Programmer", "Teacher",
})

#: File suffixes read as HTML; any other file is HTML only when it starts like an HTML document.
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm", ".xhtml"})

# Bullets: •, -, *, ▪, ●, –, —, ◦, ·, ‣, ○, ■, □, ►, ➢, ✓, or "1." / "1)".
_BULLET = re.compile(r"^(?:[•\-*▪●–—◦·‣○■□►➢✓]|\(?\d{1,2}[.)])\s+(?=\S)")
_NAME_TEXT = re.compile(r"^(?P<name>[^:]{1,80}?)\s*:\s+(?P<text>\S.*)$")
_NAME_DASH = re.compile(r"^(?P<name>[^–—]{1,80}?)\s+[–—]\s+(?P<text>\S.*)$")
_ABBREVIATION = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z0-9&./+-]{0,9})\)")
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"})
_TITLE_SEPARATORS = re.compile(r"\s*(?:[,;|•·]|\s/\s)\s*")
_NAME_SEPARATORS = re.compile(r"\s*[,;]\s*")
_MAX_HEADING_WORDS = 8
_MAX_TITLED_WORDS = 16
_ROLE_SUFFIXES = ("ist", "ician")

_ART = r"(?:an?|the)\s+"
_A_OR_AN = r"an?\s+"
_TITLE_HEADINGS = (
    ("what_is", re.compile(rf"^what\s+is\s+{_A_OR_AN}(?P<t>.+?)\s*\??$", re.I)),
    ("what_does", re.compile(rf"^what\s+does\s+{_A_OR_AN}(?P<t>.+?)\s+do\s*\??$", re.I)),
    ("what_does", re.compile(r"^what\s+do\s+(?P<t>.+?)s\s+do\s*\??$", re.I)),
)
_SECTION_HEADINGS = (
    ("workplace", re.compile(
        rf"^(?:what\s+is\s+the\s+(?:workplace|work\s+environment)\s+of\s+{_ART}.+?\s+like\s*\??"
        r"|workplace|work\s+environment|where\s+do\s+.+\s+work\s*\??)$", re.I)),
    ("duties", re.compile(
        r"^(?:(?:key\s+)?duties(?:\s+and\s+responsibilities)?|(?:key\s+)?responsibilities"
        r"|what\s+are\s+the\s+(?:duties|responsibilities)\s+of\s+.+?\??)$", re.I)),
    ("types", re.compile(r"^types\s+of\s+(?P<t>.+?)\s*:?$", re.I)),
    ("see_also", re.compile(r"^see\s+also\s*:?\s*(?P<rest>.*)$", re.I)),
    ("aka", re.compile(
        r"^(?P<t>.+?)\s+(?:are|is)\s+also\s+(?:known|called|referred\s+to)\s+as"
        r"\s*(?::\s*(?P<rest>.*))?$", re.I)),
    ("nav", re.compile(
        r"^(?:frequently\s+asked\s+questions|faqs?|careers|degrees|continue\s+reading"
        r"|.+\s+careers\s+and\s+degrees|.+\s+specializations\s+and\s+degrees|related\s+careers"
        r"|table\s+of\s+contents|contents|share|print)$", re.I)),
)
_CHROME = (
    re.compile(r"\bcareer\s+test\b", re.I),
    re.compile(r"^would\s+you\s+make\s+a\s+good\b", re.I),
    re.compile(r"\bhave\s+distinct\s+personalities\b", re.I),
    re.compile(r"^(?:continue|keep)\s+reading\b", re.I),
    re.compile(r"^learn\s+more\b", re.I),
    re.compile(r"^(?:take|start|try|begin|read|learn)\b.{0,40}\btest\b", re.I),
    re.compile(r"^(?:advertisement|sponsored|skip\s+to\s+(?:main\s+)?content)$", re.I),
)
_PARAGRAPH_SECTIONS = frozenset({"overview", "summary", "workplace"})
_LIST_SECTIONS = frozenset({"duties", "types"})

# HTML: elements that never hold page content, and elements that are one block of text.
_HTML_DROP = ["head", "script", "style", "noscript", "template", "svg", "iframe", "form", "button",
              "select", "input", "img", "picture", "video", "audio", "canvas", "figcaption"]
_HTML_CHROME = ["nav", "header", "footer", "aside"]
_KEPT_IN_CHROME = frozenset({"what_is", "what_does", "see_also", "aka"})
_HTML_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_HTML_BLOCKS = ["p", "li", "dt", "dd", "blockquote", "pre", "td", "th", "caption", "summary",
                "address", *_HTML_HEADINGS]


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


@dataclass(frozen=True)
class Catalogue:
    """Ids of a catalogue (industries, work settings) and the names each one goes by.

    >>> Catalogue({"office": ("Office", "corporate office")}).names["office"]
    ('Office', 'corporate office')
    """

    names: Mapping[str, tuple[str, ...]]

    @functools.cached_property
    def _patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        found = []
        for ident, names in self.names.items():
            alternatives = sorted(
                (r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", t.strip())) for t in names
                 if t.strip()),
                key=len, reverse=True,
            )
            body = "|".join(alternatives)
            found.append((ident, re.compile(rf"(?<![\w-])(?:{body})(?:s|es)?(?![\w-])", re.I)))
        return tuple(found)

    def find(self, text: str) -> tuple[str, ...]:
        """Ids whose label or an alias occurs in ``text`` (whole words, any case, plural too).

        >>> Catalogue({"lab": ("Research laboratory", "lab")}).find("Labs and offices.")
        ('lab',)
        """
        return tuple(ident for ident, pattern in self._patterns if pattern.search(text))


def load_catalogue(path: Path) -> Catalogue:
    """Read a catalogue YAML file (``data/industries.yaml``, ``data/work_settings.yaml``).

    >>> from careerkg.resources import data_dir
    >>> "office" in load_catalogue(data_dir() / "work_settings.yaml").names
    True
    """
    document = load_yaml(Path(path))
    if document.problems:
        first = document.problems[0]
        raise InputError(f"catalogue: {first.message}", file=first.file, line=first.line)
    raw = document.value or {}
    if not isinstance(raw, dict):
        raise InputError("a catalogue must be a mapping of id to entry", file=path, line=1)
    names: dict[str, tuple[str, ...]] = {}
    for ident, entry in raw.items():
        entry = entry if isinstance(entry, dict) else {}
        label = entry.get("label")
        aliases = entry.get("aliases") or []
        names[str(ident)] = tuple(str(n) for n in [label, *aliases] if n)
    return Catalogue(names)


def load_catalogues(root: Path | None = None) -> tuple[Catalogue, Catalogue]:
    """The work-setting and industry catalogues of a data folder (default: the shipped one).

    >>> settings, industries = load_catalogues()
    >>> "office" in settings.names and "healthcare" in industries.names
    True
    """
    if root is None:
        return _default_catalogues()
    return load_catalogue(root / "work_settings.yaml"), load_catalogue(root / "industries.yaml")


@functools.cache
def _default_catalogues() -> tuple[Catalogue, Catalogue]:
    root = data_dir()
    return load_catalogue(root / "work_settings.yaml"), load_catalogue(root / "industries.yaml")


def match_catalogue(text: str, catalogue: Catalogue) -> tuple[str, ...]:
    """Ids of ``catalogue`` that ``text`` names; see :meth:`Catalogue.find`.

    >>> match_catalogue("in hospitals and clinics", Catalogue({"hospital": ("Hospital", "clinic")}))
    ('hospital',)
    """
    return catalogue.find(text)


# -- labels and ids ------------------------------------------------------------------------------


def slugify(label: str) -> str:
    """The kebab-case id of a label; parenthesised abbreviations are left out.

    >>> slugify("Natural Language Processing (NLP) Engineer")
    'natural-language-processing-engineer'
    >>> slugify("Pulp & Paper Engineer"), slugify("C++ Developer")
    ('pulp-and-paper-engineer', 'c-plus-plus-developer')
    """
    text = _ABBREVIATION.sub("", label)
    text = text.replace("&", " and ").replace("+", " plus ").replace("#", " sharp ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean_label(label: str) -> tuple[str, str | None]:
    """Split a label with a parenthesised abbreviation into the label and the short name.

    >>> clean_label("Natural Language Processing (NLP) Engineer")
    ('Natural Language Processing Engineer', 'NLP Engineer')
    >>> clean_label("Explainable AI (XAI) Engineer")
    ('Explainable AI Engineer', 'XAI Engineer')
    >>> clean_label("Data Engineer")
    ('Data Engineer', None)
    """
    match = _ABBREVIATION.search(label)
    if not match:
        return _squash(label), None
    after = label[match.end():]
    return _squash(label[: match.start()] + after), _squash(match["abbr"] + after)


def _title_case(text: str) -> str:
    if any(c.isupper() for c in text):
        return text
    words = text.split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- "See Also" titles ---------------------------------------------------------------------------


def _is_role(token: str) -> bool:
    word = token.strip(".,;:()\"'").split("-")[-1]
    return word in ROLE_WORDS or (
        word[:1].isupper() and len(word) > 5 and word.endswith(_ROLE_SUFFIXES)
    )


def _split_run(run: str) -> tuple[list[str], str]:
    """Split after every role word; returns the titles and any tail with no role word."""
    tokens = run.split()
    titles: list[str] = []
    current: list[str] = []
    compound = False  # the title already joined a prefix role word ("Nurse Practitioner")
    connector = False  # the title goes on past a lower-case word ("Director of Photography")

    def close() -> None:
        nonlocal current, compound, connector
        titles.append(" ".join(current))
        current, compound, connector = [], False, False

    for i, token in enumerate(tokens):
        current.append(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if connector:
            # After "of"/"in"/...: the lower-case words, then one word, end the title.
            if not token[:1].islower() and (following is None or not following[:1].islower()):
                close()
            continue
        if not _is_role(token):
            continue
        if following is None:
            close()
        elif following[:1].islower():
            connector = True
        elif _is_role(following) and not compound and token.strip(".,;:") in ROLE_PREFIXES:
            compound = True
        else:
            close()
    return titles, " ".join(current)


def split_titles(run: str) -> tuple[list[str], str]:
    """Split a run of career titles, as a "See Also" line gives them, into single titles.

    Titles are separated by commas, semicolons, bullets or " / ", or by nothing but a space; in
    the last case every title ends in a word of :data:`ROLE_WORDS`. Returns the titles and any
    text left at the end that does not end in a role word (it is still returned as a title by
    :func:`parse_page`, with a warning).

    >>> split_titles("Engineer Pulp and Paper Engineer Digital Remastering Engineer")
    (['Engineer', 'Pulp and Paper Engineer', 'Digital Remastering Engineer'], '')
    >>> split_titles("Nurse Practitioner, Actuary Stunt Double")
    (['Nurse Practitioner', 'Actuary'], 'Stunt Double')
    """
    titles: list[str] = []
    rest: list[str] = []
    for piece in _TITLE_SEPARATORS.split(run):
        piece = piece.strip()
        if not piece:
            continue
        found, tail = _split_run(piece)
        titles += found
        if tail:
            rest.append(tail)
    return titles, ", ".join(rest)


# -- reading the page into blocks ----------------------------------------------------------------


@dataclass
class _Block:
    line: int
    text: str
    kind: str  # "text" | "bullet" | "heading" (an HTML h1-h6) | "item" (one of a run of HTML links)
    gap: bool  # starts a new paragraph (blank line before it, or a new HTML element)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    return re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text).strip()


def _text_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    gap = True
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = _normalize(raw)
        if not line:
            gap = True
            continue
        bullet = _BULLET.match(line)
        if bullet:
            blocks.append(_Block(number, line[bullet.end():], "bullet", gap))
        else:
            blocks.append(_Block(number, line, "text", gap))
        gap = False
    return blocks


def _looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head


def _html_blocks(text: str) -> list[_Block]:
    # bs4 is imported here, not at module level: only HTML pages need it.
    from bs4 import (
        BeautifulSoup,
        Comment,
        Declaration,
        Doctype,
        NavigableString,
        ProcessingInstruction,
        Tag,
    )

    def _is_comment(node: object) -> bool:
        return isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction)

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    for tag in [*soup.find_all(_HTML_CHROME), *soup.find_all(attrs={"role": "navigation"})]:
        # Page chrome, unless it holds a section we read (the title, a "See Also" box).
        if not tag.decomposed and not any(
            _classify(text) in _KEPT_IN_CHROME and not _is_chrome(text)
            for text in (h.get_text(" ", strip=True)
                         for h in tag.find_all([*_HTML_HEADINGS, "p", "strong", "b"]))
        ):
            tag.decompose()

    blocks: list[_Block] = []

    def emit(text: str, kind: str, line: int) -> None:
        for i, part in enumerate(text.split("\n")):
            part = _normalize(part)
            if part:
                blocks.append(_Block(line, part, kind if i == 0 or kind != "bullet" else "text",
                                     i == 0))

    def flatten(node: Tag) -> str:
        pieces: list[str] = []
        for child in node.descendants:
            if isinstance(child, Tag) and child.name == "br":
                pieces.append("\n")
            elif isinstance(child, NavigableString) and not _is_comment(child):
                pieces.append(re.sub(r"\s+", " ", str(child)))
        return "".join(pieces)

    def walk(node: Tag, line: int) -> None:
        inline: list[str] = []
        links: list[tuple[int, str]] = []
        only_links = True
        inline_line = line

        def flush() -> None:
            nonlocal inline, links, only_links
            if only_links and len(links) > 1:
                for link_line, link in links:
                    emit(link, "item", link_line)
            else:
                emit("".join(inline), "text", inline_line)
            inline, links, only_links = [], [], True

        for child in node.children:
            if isinstance(child, NavigableString):
                if _is_comment(child):
                    continue
                piece = re.sub(r"\s+", " ", str(child))
                if piece.strip() and only_links and not re.fullmatch(r"[\s,;|·•/]*", piece):
                    only_links = False
                inline.append(piece)
                continue
            if not isinstance(child, Tag):
                continue
            child_line = child.sourceline or line
            if child.name in _HTML_BLOCKS:
                flush()
                if child.name in _HTML_HEADINGS:
                    emit(flatten(child).replace("\n", " "), "heading", child_line)
                elif child.name == "li":
                    own = [c for c in child.children
                           if not (isinstance(c, Tag) and c.name in ("ul", "ol"))]
                    text = "".join(flatten(c) if isinstance(c, Tag) else
                                   re.sub(r"\s+", " ", str(c)) for c in own
                                   if not _is_comment(c))
                    emit(text, "bullet", child_line)
                    for sub in child.find_all(["ul", "ol"], recursive=False):
                        walk(sub, sub.sourceline or child_line)
                else:
                    emit(flatten(child), "text", child_line)
            elif child.name == "br":
                inline.append("\n")
                only_links = False
            elif child.name == "a" and not child.find(_HTML_BLOCKS):
                if not inline or not "".join(inline).strip():
                    inline_line = child_line
                links.append((child_line, flatten(child).replace("\n", " ")))
                inline.append(flatten(child))
            elif child.find(_HTML_BLOCKS) or child.name in ("div", "section", "article", "main",
                                                            "ul", "ol", "dl", "table", "tbody",
                                                            "thead", "tr", "body", "html",
                                                            "figure", "nav", "aside", "header",
                                                            "footer"):
                flush()
                walk(child, child_line)
            else:
                if not "".join(inline).strip():
                    inline_line = child_line
                only_links = False
                inline.append(flatten(child))
        flush()

    walk(soup, 1)
    return blocks


# -- recognizing sections ------------------------------------------------------------------------


def _classify(text: str) -> str | None:
    """The section a heading line opens, or ``None`` when it is not a known heading."""
    head = text.split(":", 1)[0]
    if len(head.split()) > _MAX_TITLED_WORDS or (":" not in text and text.endswith(".")):
        return None
    for kind, pattern in _TITLE_HEADINGS:
        match = pattern.match(text)
        if (match and not re.search(r"\blike\s*\??$", text, re.I)
                and len(match["t"].split()) <= _MAX_HEADING_WORDS):
            return kind
    for kind, pattern in _SECTION_HEADINGS:
        if pattern.match(text):
            return kind
    return None


def _is_chrome(text: str) -> bool:
    return any(p.search(text) for p in _CHROME)


def _looks_like_heading(block: _Block) -> bool:
    """A short line on its own with no closing punctuation: a section heading we do not know."""
    text = block.text
    return (block.gap and len(text.split()) <= _MAX_HEADING_WORDS and text[:1].isupper()
            and not re.search(r"[.:;,!?…]$", text))


def _is_caption(text: str) -> bool:
    """A short single sentence under "What does a X do?": the caption of the page's picture."""
    body = text.rstrip(".")
    return len(text.split()) <= 25 and not re.search(r"[.!?]\s", body)


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
        self.paragraphs: dict[str, list[list[str]]] = {s: [] for s in _PARAGRAPH_SECTIONS}
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

    def unplaced(self, block: _Block) -> None:
        self.warn(block.line, f"text not placed in the draft: {_excerpt(block.text)!r}")

    # -- the walk over blocks --

    def run(self, blocks: Iterable[_Block]) -> None:
        for block in blocks:
            if _is_chrome(block.text):
                logger.debug("%s:%d: page chrome ignored: %s", self.file, block.line, block.text)
                self.continuing = False
                continue
            if block.kind != "bullet" and self.heading(block):
                self.continuing = False
                continue
            self.content(block)

    def heading(self, block: _Block) -> bool:
        kind = _classify(block.text)
        if kind is None:
            unknown = block.kind == "heading" or (
                block.kind == "text" and self._may_open_section() and _looks_like_heading(block)
                and not _NAME_TEXT.match(block.text)
            )
            if unknown:
                self.open("unknown")
                self.warn(block.line, f"section not recognized: {_excerpt(block.text)!r}")
            return unknown
        if kind in ("what_is", "what_does"):
            for pattern_kind, pattern in _TITLE_HEADINGS:
                match = pattern.match(block.text)
                if pattern_kind == kind and match:
                    self.titles.append((kind, match["t"], block.line))
                    break
            self.open("summary" if kind == "what_is" else "overview")
            return True
        self.open(kind)
        match = dict(_SECTION_HEADINGS)[kind].match(block.text)
        rest = (match.groupdict().get("rest") or "").strip() if match else ""
        if rest:
            self.content(_Block(block.line, rest, "text", True))
        return True

    def _may_open_section(self) -> bool:
        if self.section in _PARAGRAPH_SECTIONS or self.section in (None, "nav", "unknown"):
            return True
        return self.section in _LIST_SECTIONS and self.seen_items

    def open(self, section: str) -> None:
        self.section = section
        self.seen_items = False
        self.continuing = False
        self.intro_open = False

    def content(self, block: _Block) -> None:
        section = self.section
        if section in _PARAGRAPH_SECTIONS:
            self.paragraph(section, block)
        elif section in _LIST_SECTIONS:
            self.list_entry(section, block)
        elif section == "see_also":
            self.see_also_entry(block)
        elif section == "aka":
            names = [block.text] if block.kind == "item" else _NAME_SEPARATORS.split(block.text)
            self.alt_labels += [n.strip().rstrip(".") for n in names if n.strip().rstrip(".")]
        else:
            self.unplaced(block)

    def paragraph(self, section: str, block: _Block) -> None:
        paragraphs = self.paragraphs[section]
        if section == "overview" and block.kind == "text" and block.gap and _is_caption(block.text):
            logger.debug("%s:%d: image caption ignored", self.file, block.line)
            return
        if block.gap or block.kind == "bullet" or not paragraphs:
            paragraphs.append([block.text])
            if section == "overview":
                self.overview_lines.append(block.line)
        else:
            paragraphs[-1].append(block.text)

    def list_entry(self, section: str, block: _Block) -> None:
        items = self.items[section]
        named = _NAME_TEXT.match(block.text) or _NAME_DASH.match(block.text)
        is_item = block.kind == "bullet" or (
            block.kind == "text" and named is not None and block.gap
            and len(named["name"].split()) <= _MAX_HEADING_WORDS and named["name"][:1].isupper()
        )
        if is_item:
            self.seen_items = True
            self.continuing = True
            if named and len(named["name"].split()) <= _MAX_HEADING_WORDS:
                items.append({"label": _squash(named["name"]), "definition": named["text"],
                              "line": block.line})
            elif len(block.text.split()) <= _MAX_HEADING_WORDS:
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

    def see_also_entry(self, block: _Block) -> None:
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
        titles = sorted(self.titles, key=lambda t: (t[0] != "what_is", not _has_upper(t[1])))
        _, title, title_line = titles[0]
        title = _title_case(_squash(title))
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
            see_also=tuple(_dedupe(self.see_also)),
            alt_labels=tuple(_dedupe(self.alt_labels)),
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


def _has_upper(text: str) -> bool:
    return any(c.isupper() for c in text)


def _dedupe(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


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
    career title.

    >>> record, _ = parse_page("What does a hydrologist do?\\n\\nHydrologists are also known as:"
    ...                        "\\nWater Scientist")
    >>> record.title, record.alt_labels
    ('Hydrologist', ('Water Scientist',))
    """
    name = str(file)
    if work_settings is None or industries is None:
        default_settings, default_industries = _default_catalogues()
        work_settings = work_settings or default_settings
        industries = industries or default_industries
    is_html = _looks_like_html(text) if html is None else html
    blocks = _html_blocks(text) if is_html else _text_blocks(text)
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
    text, or has no career title.

    >>> read_page("no/such/page.txt")
    Traceback (most recent call last):
    ...
    careerkg.errors.InputError: no/such/page.txt: cannot read page: No such file or directory
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read page: {e.strerror or e}", file=path) from e
    html = True if path.suffix.lower() in HTML_SUFFIXES else None
    if b"\x00" in data:
        raise InputError("not a text page (binary data)", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if not (html or _looks_like_html(data[:512].decode("ascii", "replace"))):
            raise InputError(f"not a text page (not UTF-8 at byte {e.start})", file=path) from e
        from bs4 import UnicodeDammit  # a saved web page: its <meta charset> or a good guess

        decoded = UnicodeDammit(data, is_html=True).unicode_markup
        if decoded is None:
            raise InputError("cannot tell the encoding of this page", file=path) from e
        text = decoded
    return parse_page(text, file=path, html=html, work_settings=work_settings,
                      industries=industries)

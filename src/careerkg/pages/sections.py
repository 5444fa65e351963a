"""Recognising the parts of a career page: which line opens which section, and what is chrome.

A career page has a title heading ("What is a X?", "What does a X do?") and section headings
("Duties and Responsibilities", "Types of X", "See Also", "X are also known as:", ...); page
chrome (career-test adverts, "Continue reading") is text to drop. These are the rules;
:mod:`careerkg.pages.parse` applies them to the blocks of a page.

>>> match_heading("What is a Tide Gauge Technician?")[0]
'what_is'
>>> match_heading("See also: Hydrologist")[1]["rest"]
'Hydrologist'
>>> is_chrome("Take the free career test")
True
"""

from __future__ import annotations

import re

from .blocks import Block

__all__ = [
    "KEPT_IN_CHROME",
    "LIST_SECTIONS",
    "MAX_HEADING_WORDS",
    "PARAGRAPH_SECTIONS",
    "TITLE_KINDS",
    "holds_kept_section",
    "is_caption",
    "is_chrome",
    "looks_like_heading",
    "match_heading",
]

#: At most this many words in a heading we do not know, in a title, and in an entry's name.
MAX_HEADING_WORDS = 8
_MAX_TITLED_WORDS = 16

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

#: The kinds of heading that name the career: their match has the title as group ``t``.
TITLE_KINDS: frozenset[str] = frozenset({"what_is", "what_does"})
#: Sections made of paragraphs, and sections made of ``Name: text`` entries.
PARAGRAPH_SECTIONS: frozenset[str] = frozenset({"overview", "summary", "workplace"})
LIST_SECTIONS: frozenset[str] = frozenset({"duties", "types"})
#: Headings that keep an HTML navigation box (``<nav>``, ``<aside>``, ...) that holds them.
KEPT_IN_CHROME: frozenset[str] = frozenset({"what_is", "what_does", "see_also", "aka"})


def match_heading(text: str) -> tuple[str, re.Match[str]] | None:
    """The kind of heading ``text`` is and its match, or ``None`` when it is no known heading.

    A title heading's match has the title as group ``t``; a section heading may have text
    after it on the same line as group ``rest``.

    >>> kind, match = match_heading("What do hydrologists do?")
    >>> kind, match["t"]
    ('what_does', 'hydrologist')
    >>> match_heading("Duties and Responsibilities")[0], match_heading("It is done.")
    ('duties', None)
    """
    head = text.split(":", 1)[0]
    if len(head.split()) > _MAX_TITLED_WORDS or (":" not in text and text.endswith(".")):
        return None
    for kind, pattern in _TITLE_HEADINGS:
        match = pattern.match(text)
        if (match and not re.search(r"\blike\s*\??$", text, re.I)
                and len(match["t"].split()) <= MAX_HEADING_WORDS):
            return kind, match
    for kind, pattern in _SECTION_HEADINGS:
        match = pattern.match(text)
        if match:
            return kind, match
    return None


def is_chrome(text: str) -> bool:
    """Whether ``text`` is page chrome: a career-test advert, "Continue reading", ...

    >>> is_chrome("Would you make a good hydrologist?"), is_chrome("Hydrologists study water.")
    (True, False)
    """
    return any(p.search(text) for p in _CHROME)


def holds_kept_section(text: str) -> bool:
    """Whether ``text`` opens a section that an HTML navigation box is kept for.

    >>> holds_kept_section("See Also"), holds_kept_section("Careers")
    (True, False)
    """
    found = match_heading(text)
    return found is not None and found[0] in KEPT_IN_CHROME and not is_chrome(text)


def looks_like_heading(block: Block) -> bool:
    """A short line on its own with no closing punctuation: a section heading we do not know.

    >>> looks_like_heading(Block(3, "Salary Outlook", "text", True))
    True
    """
    text = block.text
    return (block.gap and len(text.split()) <= MAX_HEADING_WORDS and text[:1].isupper()
            and not re.search(r"[.:;,!?…]$", text))


def is_caption(text: str) -> bool:
    """A short single sentence under "What does a X do?": the caption of the page's picture.

    >>> is_caption("A hydrologist takes a water sample."), is_caption("One. Two.")
    (True, False)
    """
    body = text.rstrip(".")
    return len(text.split()) <= 25 and not re.search(r"[.!?]\s", body)

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
from collections.abc import Iterable

from .blocks import Block

__all__ = [
    "KEPT_IN_CHROME",
    "LIST_SECTIONS",
    "MAX_HEADING_WORDS",
    "PARAGRAPH_SECTIONS",
    "TITLE_KINDS",
    "clean_heading",
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
    ("named", re.compile(
        r"^(?P<t>.+?)\s*[:|–—-]?\s+(?:job\s+description|career\s+(?:overview|profile|guide)"
        r"|job\s+profile)$", re.I)),
)
_QUALIFIERS = r"(?:(?:key|main|core|primary|typical|daily|day-to-day|common|essential|major|job)\s+)*"
_SECTION_HEADINGS = (
    ("workplace", re.compile(
        rf"^(?:what\s+is\s+the\s+(?:workplace|work\s+environment)\s+of\s+{_ART}.+?\s+like\s*\??"
        r"|workplace|work\s+environment|where\s+do\s+.+\s+work\s*\??)$", re.I)),
    ("duties", re.compile(
        rf"^(?:{_QUALIFIERS}(?:duties|responsibilities|tasks)"
        r"(?:\s+(?:and|&)\s+(?:duties|responsibilities|tasks))?(?:\s+of\s+(?:an?|the)\s+.+?)?"
        r"|what\s+are\s+the\s+(?:duties|responsibilities)\s+of\s+.+?\??)$", re.I)),
    ("types", re.compile(
        r"^(?:(?:types|kinds)\s+of\s+(?P<t>.+?)|(?:common\s+|main\s+)?speciali[sz]ations?"
        r"(?:\s+(?:of|for|within)\s+.+?)?|specialt(?:y|ies)|specialit(?:y|ies))\s*:?$", re.I)),
    ("see_also", re.compile(
        r"^(?:see\s+also|(?:related|similar)\s+(?:careers|jobs|occupations|roles)"
        r"|careers\s+like\s+this|other\s+careers\s+to\s+consider)\s*:?\s*(?P<rest>.*)$", re.I)),
    ("aka", re.compile(
        r"^(?P<t>.+?)\s+(?:are|is)\s+also\s+(?:known\s+as|called|referred\s+to\s+as)"
        r"\s*(?::\s*(?P<rest>.*))?$", re.I)),
    ("aka", re.compile(
        r"^(?:also\s+known\s+as|also\s+called|other\s+names|other\s+(?:job\s+)?titles"
        r"|alternative\s+(?:job\s+)?titles|alternative\s+names|job\s+titles)"
        r"\s*(?::\s*(?P<rest>.*))?$", re.I)),
    ("nav", re.compile(
        r"^(?:frequently\s+asked\s+questions|faqs?|careers|degrees|continue\s+reading"
        r"|.+\s+careers\s+and\s+degrees|.+\s+specializations\s+and\s+degrees"
        r"|table\s+of\s+contents|contents|share|print|related\s+(?:articles|posts|reading)"
        r"|you\s+(?:may|might)\s+also\s+like|popular\s+careers|recommended\s+(?:reading|articles)"
        r"|(?:\d+\s+)?(?:reader\s+)?comments?|leave\s+a\s+(?:reply|comment))$", re.I)),
)
_CHROME = (
    re.compile(r"\bcareer\s+test\b", re.I),
    re.compile(r"^would\s+you\s+make\s+a\s+good\b", re.I),
    re.compile(r"\bhave\s+distinct\s+personalities\b", re.I),
    re.compile(r"^(?:continue|keep)\s+reading\b", re.I),
    re.compile(r"^(?:learn|read)\s+more\b", re.I),
    re.compile(r"\bread\s+more\s*[.!…]?$", re.I),
    re.compile(r"^(?:take|start|try|begin|read|learn)\b.{0,40}\b(?:test|quiz)\b", re.I),
    re.compile(r"^(?:advertisement|advert|sponsored|ad|skip\s+to\s+(?:main\s+)?content)$", re.I),
    # adverts and calls to action
    re.compile(r"\b(?:through|from|with)\s+our\s+(?:partners?|sponsors?)\b", re.I),
    re.compile(r"^sponsored\b|\bsponsored\s+(?:content|post|link)\b", re.I),
    re.compile(r"\benrol+\s+(?:now|today)\b|\bsign\s+up\s+(?:now|today|for\s+(?:our|free))\b",
               re.I),
    re.compile(r"\b(?:subscribe\s+to|sign\s+up\s+for)\s+our\b|\bnewsletter\b", re.I),
    re.compile(r"\b\d+\s*%\s+off\b|\bpromo\s+code\b|\bfree\s+(?:trial|quiz)\b", re.I),
    re.compile(r"^download\s+(?:our|the|a)\b.{0,40}\b(?:guide|ebook|pdf|report)\b", re.I),
    re.compile(r"\b(?:try|take)\s+our\s+(?:free\s+)?(?:quiz|test|assessment)\b", re.I),
    # sharing and comments
    re.compile(r"^(?:share|tweet|pin|email|print)(?:\s+(?:this|it|on|via)\b.*)?[:!.]?$", re.I),
    re.compile(r"\bshare\s+(?:this|it)\b|\blike\s+this\s+(?:post|article)\b"
               r"|\benjoyed\s+this\s+(?:post|article)\b", re.I),
    # site furniture: cookies, legal lines, bylines, breadcrumbs
    re.compile(r"\bcookies?\b.{0,60}\b(?:accept|consent|policy|settings|experience)\b"
               r"|^cookie\s+settings$", re.I),
    re.compile(r"©|\bcopyright\s+\d{4}\b|\ball\s+rights\s+reserved\b|\bprivacy\s+policy\b"
               r"|\bterms\s+of\s+(?:use|service)\b", re.I),
    re.compile(r"^(?:updated|published|posted|last\s+updated)\b.{0,60}$|\b\d+\s+min(?:ute)?s?\s+read\b",
               re.I),
    re.compile(r"^home\s*[>›»/|]", re.I),
)
_CHROME_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _CHROME), re.I)
# A bar of navigation links: three or more short pieces between | or · separators.
_NAV_BAR = re.compile(r"^[^|·]{1,30}(?:\s[|·]\s[^|·]{1,30}){2,}$")

#: The kinds of heading that name the career: their match has the title as group ``t``.
TITLE_KINDS: frozenset[str] = frozenset({"what_is", "what_does", "named"})
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
    text = clean_heading(text)
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
    """Whether ``text`` is page chrome: an advert, a call to action, share buttons, a cookie
    notice, a byline, a breadcrumb or a bar of navigation links.

    >>> is_chrome("Would you make a good hydrologist?"), is_chrome("Hydrologists study water.")
    (True, False)
    >>> is_chrome("Get online training through our partner:"), is_chrome("Home > Careers > Chef")
    (True, True)
    """
    return bool(_CHROME_ANY.search(text) or _NAV_BAR.match(text))


# Emoji and pictographs, their modifiers and joiners; bullets and numbering before a heading.
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0E\uFE0F\u200D\u20E3"
    "\U000E0020-\U000E007F]+")
_HEADING_LEAD = re.compile(r"^(?:[•▪●◦·‣○■□►➢✓#*|>\-–—]+\s*|(?:step\s+)?\d{1,2}[.):]\s+)+", re.I)


def clean_heading(text: str) -> str:
    """A heading without its decoration: emoji, Markdown marks, bullets, numbering, a trailing
    colon.

    >>> clean_heading("🛠️ Types of Data Scientists:"), clean_heading("2. **Duties**")
    ('Types of Data Scientists', 'Duties')
    """
    text = _EMOJI.sub(" ", text).replace("**", "").replace("__", "")
    text = _HEADING_LEAD.sub("", " ".join(text.split()))
    return text.strip().rstrip(":").strip()


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


def is_caption(text: str, titles: Iterable[str] = ()) -> bool:
    """A picture's caption: one short sentence naming the career, then a participle and no
    verb ("A hydrologist taking a water sample."). A short sentence that says what the career
    does ("A plumber repairs pipes.") is no caption.

    >>> is_caption("A hydrologist taking a water sample.", ["hydrologist"])
    True
    >>> is_caption("A hydrologist takes water samples.", ["hydrologist"])
    False
    """
    body = text.rstrip(".")
    if len(text.split()) > 25 or re.search(r"[.!?;]\s", body):
        return False
    for title in titles:
        words = r"\s+".join(re.escape(w) for w in title.split())
        if re.match(rf"^(?:(?:an?|the|two|three|several)\s+)?{words}s?\s+(?:\w+ly\s+)?"
                    r"[a-z]+(?:ing|ed)\b", body, re.I):
            return True
    return False

"""Reading a career page, plain text or saved HTML, into located blocks of text.

A :class:`Block` is one line of a text page or one block element of an HTML page, with its
line in the file, its kind (text, bullet, heading, link item) and whether it starts a new
paragraph. Blocks know nothing of sections: :mod:`careerkg.pages.parse` reads them.

HTML is walked without recursion, and an element nested deeper than :data:`MAX_HTML_DEPTH` is
refused with an :class:`~careerkg.errors.InputError` naming the file, before the rest of the
page is parsed.

>>> [(b.line, b.kind, b.text) for b in text_blocks("What is a Pilot?\\n\\n• Flying: Flies.")]
[(1, 'text', 'What is a Pilot?'), (3, 'bullet', 'Flying: Flies.')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from bs4 import PageElement, Tag

__all__ = [
    "CHROME_CLASSES",
    "HTML_SUFFIXES",
    "MAX_HTML_DEPTH",
    "Block",
    "html_blocks",
    "looks_like_html",
    "normalize",
    "page_blocks",
    "read_page_text",
    "strip_markdown",
    "text_blocks",
]

#: File suffixes read as HTML; any other file is HTML only when it starts like an HTML document.
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm", ".xhtml"})

#: The deepest an HTML element may be nested (Chromium builds no deeper DOM trees either).
MAX_HTML_DEPTH = 512

# Bullets: •, -, *, ▪, ●, –, —, ◦, ·, ‣, ○, ■, □, ►, ➢, ✓, or "1." / "1)".
_BULLET = re.compile(r"^(?:[•\-*▪●–—◦·‣○■□►➢✓]|\(?\d{1,2}[.)])\s+(?=\S)")

# HTML: elements that never hold page content, and elements that are one block of text.
_HTML_DROP = ["head", "script", "style", "noscript", "template", "svg", "iframe", "form", "button",
              "select", "input", "img", "picture", "video", "audio", "canvas", "figcaption"]
_HTML_CHROME = ["nav", "header", "footer", "aside"]
_HTML_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_HTML_BLOCKS = ["p", "li", "dt", "dd", "blockquote", "pre", "td", "th", "caption", "summary",
                "address", *_HTML_HEADINGS]
_HTML_CONTAINERS = frozenset({"div", "section", "article", "main", "ul", "ol", "dl", "table",
                              "tbody", "thead", "tr", "body", "html", "figure", "nav", "aside",
                              "header", "footer"})


@dataclass
class Block:
    """One located block of a page.

    ``kind`` is ``text``, ``bullet``, ``heading`` (an HTML h1-h6) or ``item`` (one of a run of
    HTML links); ``gap`` is true when the block starts a new paragraph (a blank line before it,
    or a new HTML element).
    """

    line: int
    text: str
    kind: str
    gap: bool
    #: The level of a heading: 1-6 for HTML ``<h1>``-``<h6>`` and Markdown ``#``-``######``,
    #: 6 for a line that is only bold text; 0 for any other block.
    level: int = 0


def normalize(text: str) -> str:
    """``text`` in NFC, without zero-width characters, its runs of spaces made one space.

    >>> normalize("  Data\\u00a0\\u00a0Engineer\\u200b ")
    'Data Engineer'
    """
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    return re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text).strip()


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?$")
_MD_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<t>[^*_].*?)\1\s*:?$")
_MD_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\([^)\s]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=\S)\*(?!\w)")
_MD_RULE = re.compile(r"^(?:[-*_=]\s*){3,}$")
# A second bullet inside an item ("• • Name", "• ▪ Name"), left by pasting a list twice.
_EXTRA_BULLET = re.compile(r"^[•▪●◦·‣○■□►➢✓]\s*")


def strip_markdown(line: str) -> str:
    """``line`` without Markdown emphasis and link targets.

    >>> strip_markdown("1. **Cleaning Data:** Fixes [bad rows](/rows).")
    '1. Cleaning Data: Fixes bad rows.'
    """
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", line)


def text_blocks(text: str) -> list[Block]:
    """The blocks of a plain-text or Markdown page: one per non-blank line.

    Bullets and numbered items are recognized, and so are Markdown headings (``#`` to
    ``######``) and lines that are only bold text (level 6). Markdown emphasis, link targets,
    block-quote marks and rules are dropped; an image line is kept as an ``image`` block.

    >>> [(b.kind, b.level, b.text) for b in text_blocks("## 🔍 Duties\\n1. **Reading:** Reads.")]
    [('heading', 2, '🔍 Duties'), ('bullet', 0, 'Reading: Reads.')]
    """
    blocks: list[Block] = []
    gap = True
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = normalize(raw)
        while line.startswith(">"):  # a Markdown block quote
            line = line[1:].strip()
        if not line or _MD_RULE.match(line):
            gap = True
            continue
        heading = _MD_HEADING.match(line)
        bold = _MD_BOLD_LINE.match(line)
        if heading:
            blocks.append(Block(number, strip_markdown(heading[2]), "heading", True,
                                len(heading[1])))
            gap = True
            continue
        if bold and "**" not in bold["t"]:
            blocks.append(Block(number, strip_markdown(bold["t"]), "heading", True, 6))
            gap = True
            continue
        if _MD_IMAGE.match(line):
            blocks.append(Block(number, line, "image", gap))
            gap = False
            continue
        bullet = _BULLET.match(line)
        if bullet:
            rest = line[bullet.end():]
            rest = _EXTRA_BULLET.sub("", rest)
            blocks.append(Block(number, strip_markdown(rest), "bullet", gap))
        else:
            blocks.append(Block(number, strip_markdown(line), "text", gap))
        gap = False
    return blocks


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts like an HTML document.

    >>> looks_like_html("<!DOCTYPE html><html>"), looks_like_html("What is a Pilot?")
    (True, False)
    """
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head


def page_blocks(
    text: str, *, file: str, html: bool | None, keep: Callable[[str], bool]
) -> list[Block]:
    """The blocks of a page; ``html=None`` tells the format from the text. See
    :func:`html_blocks` for ``keep``."""
    is_html = looks_like_html(text) if html is None else html
    return html_blocks(text, file=file, keep=keep) if is_html else text_blocks(text)


# -- HTML ----------------------------------------------------------------------------------------


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _parse_html(text: str, file: str) -> Tag:
    """The tree of an HTML page; an element deeper than :data:`MAX_HTML_DEPTH` is an error."""
    # bs4 is imported here, not at module level: only HTML pages need it.
    from bs4 import BeautifulSoup

    class _BoundedSoup(BeautifulSoup):
        def pushTag(self, tag: Tag) -> None:  # bs4 calls it for every element it opens
            if len(self.tagStack) > MAX_HTML_DEPTH:  # the stack holds the document too
                raise InputError(f"HTML nested deeper than {MAX_HTML_DEPTH} elements; not read",
                                 file=file, line=tag.sourceline or 0)
            super().pushTag(tag)

    return _BoundedSoup(text, "html.parser")


def _is_comment(node: PageElement) -> bool:
    from bs4 import Comment, Declaration, Doctype, ProcessingInstruction

    return isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction)


#: Words of an element's class or id that mark it as page chrome (adverts, cookie banners,
#: share buttons, navigation, comments ...).
CHROME_CLASSES: frozenset[str] = frozenset({
    "ad", "ads", "adsbygoogle", "advert", "adverts", "advertisement", "banner", "breadcrumb",
    "breadcrumbs", "caption", "comment", "comments", "consent", "cookie", "cookies", "footer",
    "gdpr", "header", "masthead", "menu", "modal", "nav", "navbar", "navigation", "newsletter",
    "popup", "promo", "related-posts", "share", "sharing", "sidebar", "signup", "social",
    "sponsor", "sponsored", "subscribe", "toc", "topbar",
})


def _chrome_by_name(tag: Tag) -> bool:
    names = [*(tag.get("class") or []), tag.get("id") or ""]
    words = {w for n in names for w in re.split(r"[-_\s]+", str(n).lower()) if w}
    return bool(words & CHROME_CLASSES) or any(str(n).lower() in CHROME_CLASSES for n in names)


def _drop_chrome(soup: Tag, keep: Callable[[str], bool]) -> None:
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    chrome = [*soup.find_all(_HTML_CHROME), *soup.find_all(attrs={"role": "navigation"}),
              *soup.find_all(_chrome_by_name)]
    for tag in chrome:
        if tag.decomposed or tag.name in ("html", "body", "main", "article"):
            continue
        # Page chrome, unless it holds a section we read (the title, a "See Also" box).
        if not any(
            keep(h.get_text(" ", strip=True))
            for h in tag.find_all([*_HTML_HEADINGS, "p", "strong", "b"])
        ):
            tag.decompose()


def _holding_blocks(soup: Tag) -> set[int]:
    """The ids of the elements that hold a block element: one pass, whatever the depth."""
    holders: set[int] = set()
    for block in soup.find_all(_HTML_BLOCKS):
        parent = block.parent
        while parent is not None and id(parent) not in holders:
            holders.add(id(parent))
            parent = parent.parent
    return holders


def _flatten(node: Tag) -> str:
    from bs4 import NavigableString, Tag

    pieces: list[str] = []
    for child in node.descendants:
        if isinstance(child, Tag) and child.name == "br":
            pieces.append("\n")
        elif isinstance(child, NavigableString) and not _is_comment(child):
            pieces.append(_space(str(child)))
    return "".join(pieces)


def _bold_only(node: Tag) -> bool:
    """Whether a paragraph is only bold text: a heading in pages that use no ``<h2>``."""
    from bs4 import NavigableString, Tag

    bold = False
    for child in node.children:
        if isinstance(child, NavigableString):
            if str(child).strip() and not _is_comment(child):
                return False
        elif isinstance(child, Tag):
            if child.name not in ("b", "strong") or not child.get_text(strip=True):
                return False
            bold = True
    return bold


class _Run:
    """The children of one element being walked, and the inline text gathered from them."""

    def __init__(self, node: Tag, line: int) -> None:
        self.children: Iterator[PageElement] = iter(node.children)
        self.line = line
        self.inline: list[str] = []
        self.links: list[tuple[int, str]] = []
        self.only_links = True
        self.inline_line = line


class _Walker:
    def __init__(self, holders: set[int]) -> None:
        self.holders = holders
        self.blocks: list[Block] = []

    def emit(self, text: str, kind: str, line: int, level: int = 0, gap: bool = True) -> None:
        for i, part in enumerate(text.split("\n")):
            part = normalize(part)
            if kind == "bullet" and i == 0:
                part = _EXTRA_BULLET.sub("", part)
            if part:
                self.blocks.append(Block(line, part, kind if i == 0 or kind != "bullet" else "text",
                                         gap and i == 0, level if i == 0 else 0))

    def flush(self, run: _Run) -> None:
        if run.only_links and len(run.links) > 1:
            for link_line, link in run.links:
                self.emit(link, "item", link_line)
        else:
            self.emit("".join(run.inline), "text", run.inline_line)
        run.inline, run.links, run.only_links = [], [], True

    def walk(self, root: Tag) -> list[Block]:
        from bs4 import NavigableString, Tag

        stack = [_Run(root, 1)]
        while stack:
            run = stack[-1]
            child = next(run.children, None)
            if child is None:
                self.flush(run)
                stack.pop()
                continue
            if isinstance(child, NavigableString):
                if _is_comment(child):
                    continue
                piece = _space(str(child))
                if piece.strip() and run.only_links and not re.fullmatch(r"[\s,;|·•/]*", piece):
                    run.only_links = False
                run.inline.append(piece)
                continue
            if not isinstance(child, Tag):
                continue
            child_line = child.sourceline or run.line
            holds_blocks = id(child) in self.holders
            if child.name in _HTML_BLOCKS:
                self.flush(run)
                if child.name in _HTML_HEADINGS:
                    self.emit(_flatten(child).replace("\n", " "), "heading", child_line,
                              int(child.name[1]))
                elif child.name == "p" and _bold_only(child):
                    self.emit(_flatten(child).replace("\n", " "), "heading", child_line, 6)
                elif child.name == "dt":
                    self.emit(_flatten(child), "bullet", child_line)
                elif child.name == "dd":  # the text of the <dt> before it
                    self.emit(_flatten(child), "text", child_line, gap=False)
                elif child.name == "li":
                    own = [c for c in child.children
                           if not (isinstance(c, Tag) and c.name in ("ul", "ol"))]
                    text = "".join(_flatten(c) if isinstance(c, Tag) else _space(str(c))
                                   for c in own if not _is_comment(c))
                    self.emit(text, "bullet", child_line)
                    subs = child.find_all(["ul", "ol"], recursive=False)
                    stack += [_Run(sub, sub.sourceline or child_line) for sub in reversed(subs)]
                else:
                    self.emit(_flatten(child), "text", child_line)
            elif child.name == "br":
                run.inline.append("\n")
                run.only_links = False
            elif child.name == "a" and not holds_blocks:
                if not run.inline or not "".join(run.inline).strip():
                    run.inline_line = child_line
                run.links.append((child_line, _flatten(child).replace("\n", " ")))
                run.inline.append(_flatten(child))
            elif holds_blocks or child.name in _HTML_CONTAINERS:
                self.flush(run)
                stack.append(_Run(child, child_line))
            else:
                if not "".join(run.inline).strip():
                    run.inline_line = child_line
                run.only_links = False
                run.inline.append(_flatten(child))
        return self.blocks


def html_blocks(text: str, *, file: str, keep: Callable[[str], bool]) -> list[Block]:
    """The blocks of an HTML page: one per block element (``<p>``, ``<li>``, ``<h2>``, ...).

    Scripts, forms, images and the like are dropped, and so are navigation boxes (``<nav>``,
    ``<header>``, ``<footer>``, ``<aside>``) unless ``keep`` is true for the text of a heading
    or paragraph in them. Raises :class:`~careerkg.errors.InputError` naming ``file`` when an
    element is nested deeper than :data:`MAX_HTML_DEPTH`.

    >>> page = "<body><h1>What is a Pilot?</h1><nav><p>Careers</p></nav><p>Flies.</p></body>"
    >>> [(b.kind, b.text) for b in html_blocks(page, file="p.html", keep=lambda t: False)]
    [('heading', 'What is a Pilot?'), ('text', 'Flies.')]
    """
    soup = _parse_html(text, file)
    _drop_chrome(soup, keep)
    return _Walker(_holding_blocks(soup)).walk(soup)


# -- files ---------------------------------------------------------------------------------------


def read_page_text(path: Path) -> tuple[str, bool | None]:
    """The text of a page file, and ``True`` when its suffix says HTML (``None``: sniff it).

    Raises :class:`~careerkg.errors.InputError` naming the file when it cannot be read or is
    not text. A saved HTML page that is not UTF-8 is decoded by its ``<meta charset>``.
    """
    if path.exists() and not path.is_file():  # a FIFO would block the read for ever
        raise InputError("not a regular file: careerkg reads only files", file=path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read page: {e.strerror or e}", file=path) from e
    html = True if path.suffix.lower() in HTML_SUFFIXES else None
    if b"\x00" in data:
        raise InputError("not a text page (binary data)", file=path)
    try:
        return data.decode("utf-8-sig"), html
    except UnicodeDecodeError as e:
        if not (html or looks_like_html(data[:512].decode("ascii", "replace"))):
            raise InputError(f"not a text page (not UTF-8 at byte {e.start})", file=path) from e
        from bs4 import UnicodeDammit  # a saved web page: its <meta charset> or a good guess

        decoded = UnicodeDammit(data, is_html=True).unicode_markup
        if decoded is None:
            raise InputError("cannot tell the encoding of this page", file=path) from e
        return decoded, html

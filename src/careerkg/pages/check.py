"""Checking draft career files: the depth rules of curated data, and text copied from a page.

A draft made by ``careerkg ingest`` holds the page's facts and nothing more; before it joins
``data/`` a person adds skills, related careers with reasons, industries and codes, and
rewrites the page's sentences in their own words. :func:`check_drafts` says what is missing by
the depth rules of :mod:`careerkg.data.quality`, and which definitions are still the page's
text (the page is found through the draft's ``# draft ingested from`` comment).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "pilot.yaml").write_text("label: Pilot\\n")
>>> report = check_drafts(folder)
>>> report.label_only, [p.message for p in report.problems][:2]
(['pilot'], ['definition shorter than 100 characters', '0 skills, needs at least 5'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.model import Career
from ..data.quality import depth_problems
from ..data.yamlio import LineDict, load_yaml
from ..errors import Problem

__all__ = ["DraftReport", "career_from_data", "check_drafts", "code_problems", "copied_sentences",
           "source_pages"]

_SOURCE = re.compile(r"^#\s*draft ingested from\s+(?P<files>.+?)\s*$", re.M)
#: A sentence shorter than this many words is not counted as copied (names, short phrases).
MIN_COPIED_WORDS = 6


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str | int | float))
    return ()


def career_from_data(ident: str, data: Mapping[str, Any], file: str = "") -> Career:
    """A :class:`~careerkg.data.model.Career` from the mapping of a (draft) career file; what
    is malformed is left out, so the depth rules report it missing.

    >>> career_from_data("x", {"label": "X", "skills": {"essential": ["a", "b"]}}).essential_skills
    ('a', 'b')
    """
    skills = data.get("skills")
    essential = optional = ()
    if isinstance(skills, Mapping):
        essential, optional = _texts(skills.get("essential")), _texts(skills.get("optional"))
    related: list[str] = []
    reasons: dict[str, str] = {}
    for entry in data.get("related") or []:
        if isinstance(entry, str):
            related.append(entry)
        elif isinstance(entry, Mapping) and isinstance(entry.get("career"), str):
            related.append(entry["career"])
            if isinstance(entry.get("reason"), str) and entry["reason"].strip():
                reasons[entry["career"]] = entry["reason"]
    definition = data.get("definition")
    return Career(
        id=ident,
        label=str(data.get("label") or ident),
        alt_labels=_texts(data.get("alt_labels")),
        definition=definition if isinstance(definition, str) else None,
        onet=str(data["onet"]) if data.get("onet") else None,
        esco=str(data["esco"]) if data.get("esco") else None,
        isco=str(data["isco"]) if data.get("isco") else None,
        essential_skills=essential,
        optional_skills=optional,
        related=tuple(related),
        reasons=reasons,
        industries=_texts(data.get("industries")),
        file=file,
        line=1,
    )


def code_problems(career: Career) -> list[str]:
    """The code rule: an O*NET or ESCO code where one exists (only a person can tell whether
    one does, so this is a reminder, not an error).

    >>> code_problems(career_from_data("x", {"label": "X"}))
    ['no O*NET or ESCO code: add one where one exists']
    """
    if career.onet or career.esco:
        return []
    return ["no O*NET or ESCO code: add one where one exists"]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s]


def _flat(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


def copied_sentences(text: str, page: str) -> list[str]:
    """The sentences of ``text`` (of at least :data:`MIN_COPIED_WORDS` words) that ``page``
    holds word for word, whatever the spacing, case and punctuation.

    >>> copied_sentences("Flies planes. A pilot flies aircraft for an airline.",
    ...                  "<p>A pilot  flies aircraft for an airline!</p>")
    ['A pilot flies aircraft for an airline.']
    """
    flat_page = f" {_flat(page)} "
    return [s for s in _sentences(text)
            if len(s.split()) >= MIN_COPIED_WORDS and f" {_flat(s)} " in flat_page]


def source_pages(text: str, base: Path) -> list[Path]:
    """The pages a draft file says it was ingested from (its ``# draft ingested from`` line),
    relative paths read from ``base`` and from the working folder."""
    found: list[Path] = []
    for match in _SOURCE.finditer(text):
        for name in match["files"].split(", "):
            path = Path(name)
            for candidate in (path, base / path):
                if candidate.is_file():
                    found.append(candidate)
                    break
    return found


@dataclass
class DraftReport:
    """What checking drafts found: warnings (each ``file:line: message``), the drafts that
    hold nothing but a label, and the files that could not be read."""

    problems: list[Problem] = field(default_factory=list)
    label_only: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    checked: int = 0


def _draft_files(folder: Path) -> list[Path]:
    careers = folder / "careers"
    return sorted((careers if careers.is_dir() else folder).glob("*.yaml"))


def _is_label_only(data: Mapping[str, Any]) -> bool:
    return not any(v not in (None, "", [], {}) for k, v in data.items() if k != "label")


def check_drafts(folder: Path, files: Iterable[Path] | None = None) -> DraftReport:
    """Check every career file of ``folder`` (or of ``folder/careers``) by the depth rules, the
    code rule and for sentences copied from its source page."""
    report = DraftReport()
    for path in files if files is not None else _draft_files(Path(folder)):
        document = load_yaml(path)
        if document.problems:
            report.errors += document.problems
            continue
        data = document.value
        if not isinstance(data, dict):
            report.errors.append(Problem(str(path), 1, "a career file must be a YAML mapping"))
            continue
        report.checked += 1
        name = str(path)
        career = career_from_data(path.stem, data, name)
        if _is_label_only(data):
            report.label_only.append(path.stem)
        line = data.line_of("label") if isinstance(data, LineDict) else 1
        for message in depth_problems(career) + code_problems(career):
            report.problems.append(Problem(name, line, message))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for page in source_pages(text, path.parent):
            page_text = page.read_text(encoding="utf-8", errors="replace")
            where = data.line_of("definition") if isinstance(data, LineDict) else line
            for sentence in copied_sentences(career.definition or "", page_text):
                report.problems.append(Problem(name, where, (
                    f"definition copied word for word from {page}: rewrite it in your own "
                    f"words: {sentence[:60]!r}")))
            for duty in data.get("duties") or []:
                if (isinstance(duty, Mapping) and isinstance(duty.get("definition"), str)
                        and copied_sentences(duty["definition"], page_text)):
                        report.problems.append(Problem(name, where, (
                            f"duty {duty.get('label')!r}: definition copied word for word from "
                            f"{page}: rewrite it in your own words")))
    return report

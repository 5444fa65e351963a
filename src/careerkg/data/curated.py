"""Read and check the curated data folder (``data/``).

Every problem in the whole folder is collected before anything is raised, so one run of
``careerkg validate`` shows them all:

>>> from careerkg.resources import data_dir
>>> data = load_curated(data_dir())
>>> data.careers["machine-learning-engineer"].label
'Machine Learning Engineer'
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from .model import (
    ID_PATTERN,
    MATCH_TYPES,
    SKILL_TYPES,
    Career,
    Concept,
    CuratedData,
    Duty,
    Skill,
)
from .yamlio import LineDict, LineList, load_yaml

__all__ = ["data_files", "load_curated"]

_ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_ESCO_OCCUPATION = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$")
_ESCO_SKILL = re.compile(r"^http://data\.europa\.eu/esco/skill/[0-9a-f-]{36}$")
_ISCO_CODE = re.compile(r"^\d{1,4}$")

_CAREER_KEYS = {
    "label",
    "alt_labels",
    "definition",
    "specialization_of",
    "onet",
    "onet_match",
    "esco",
    "esco_match",
    "isco",
    "skills",
    "duties",
    "related",
    "listed_with",
    "collaborates_with",
    "industries",
    "work_settings",
}
_SKILL_KEYS = {"label", "type", "aliases", "definition", "esco"}
_CONCEPT_KEYS = {"label", "aliases", "definition"}
_DUTY_KEYS = {"label", "definition", "skills"}
_RELATED_KEYS = {"career", "reason"}


def data_files(root: Path) -> list[Path]:
    """The files of a data folder that ``load_curated`` reads, in a stable order."""
    files = sorted((root / "skills").glob("*.yaml"))
    files += [root / "industries.yaml", root / "work_settings.yaml"]
    files += sorted((root / "careers").glob("*.yaml"))
    return [f for f in files if f.is_file()]


class _Checker:
    """Collects problems while turning YAML values into records."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        #: Catalogues ("skill", "industry", "work setting") with a file that could not be read,
        #: and careers (ids) whose file could not be read: references to them are not checked,
        #: so the one root cause is reported, not a knock-on "unknown ..." per reference.
        self.broken: set[str] = set()
        self.unreadable_careers: set[str] = set()

    def name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    # -- small typed getters -------------------------------------------------------------

    def text(self, file: str, node: LineDict, key: str, *, required: bool = False) -> str | None:
        value = node.get(key)
        if value is None:
            if required:
                self.add(file, node.line_of(key), f"missing required field {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(file, node.line_of(key), f"{key!r} must be text")
            return None
        text = " ".join(str(value).split())
        if not text:
            if required:
                self.add(file, node.line_of(key), f"{key!r} must not be empty")
            return None
        return text

    def texts(self, file: str, node: LineDict, key: str) -> list[tuple[str, int]]:
        """A list of strings with their lines; a single string is accepted as a list of one."""
        value = node.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(value.strip(), node.line_of(key))]
        if not isinstance(value, LineList):
            self.add(file, node.line_of(key), f"{key!r} must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, (str, int)) or isinstance(item, bool) or not str(item).strip():
                self.add(file, value.line_of(i), f"{key!r} items must be non-empty text")
                continue
            out.append((" ".join(str(item).split()), value.line_of(i)))
        return out

    def unknown_keys(self, file: str, node: LineDict, allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.add(file, node.line_of(key), f"unknown field {key!r} in {what}{extra}")

    def check_id(self, file: str, line: int, ident: str, what: str) -> bool:
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            self.add(file, line, f"bad {what} id {ident!r}: use lowercase words joined by '-'")
            return False
        return True

    # -- catalogues ------------------------------------------------------------------------

    def catalogue(self, path: Path, what: str) -> Iterable[tuple[str, str, LineDict]]:
        file = self.name(path)
        doc = load_yaml(path, file)
        self.problems.extend(doc.problems)
        if doc.value is None or not isinstance(doc.value, LineDict):
            self.broken.add(what)
        if doc.value is None:
            if not doc.problems:
                self.add(file, 0, "file is empty")
            return
        if not isinstance(doc.value, LineDict):
            self.add(file, 1, "expected a mapping of id -> entry")
            return
        for ident, entry in doc.value.items():
            line = doc.value.line_of(ident)
            if not self.check_id(file, line, ident, "entry"):
                continue
            if not isinstance(entry, LineDict):
                self.add(file, line, f"entry {ident!r} must be a mapping with at least a label")
                continue
            yield file, ident, entry

    def skills(self, paths: Iterable[Path], into: dict[str, Skill]) -> None:
        for path in paths:
            for file, ident, entry in self.catalogue(path, "skill"):
                self.unknown_keys(file, entry, _SKILL_KEYS, f"skill {ident!r}")
                label = self.text(file, entry, "label", required=True)
                kind = self.text(file, entry, "type", required=True)
                if kind is not None and kind not in SKILL_TYPES:
                    allowed = ", ".join(SKILL_TYPES)
                    self.add(file, entry.line_of("type"), f"skill type {kind!r} is not one of {allowed}")
                esco = self.text(file, entry, "esco")
                if esco is not None and not _ESCO_SKILL.match(esco):
                    self.add(file, entry.line_of("esco"), f"not an ESCO skill IRI: {esco!r}")
                if ident in into:
                    first = into[ident]
                    self.add(
                        file,
                        entry.line,
                        f"duplicate skill id {ident!r} (also {first.file}:{first.line})",
                    )
                    continue
                if label is None or kind not in SKILL_TYPES:
                    continue
                into[ident] = Skill(
                    id=ident,
                    label=label,
                    type=kind,
                    aliases=tuple(a for a, _ in self.texts(file, entry, "aliases")),
                    definition=self.text(file, entry, "definition"),
                    esco=esco,
                    file=file,
                    line=entry.line,
                )

    def concepts(self, path: Path, into: dict[str, Concept], what: str) -> None:
        if not path.is_file():
            self.add(self.name(path), 0, f"missing {what} catalogue")
            self.broken.add(what)
            return
        for file, ident, entry in self.catalogue(path, what):
            self.unknown_keys(file, entry, _CONCEPT_KEYS, f"{what} {ident!r}")
            label = self.text(file, entry, "label", required=True)
            if label is None:
                continue
            into[ident] = Concept(
                id=ident,
                label=label,
                aliases=tuple(a for a, _ in self.texts(file, entry, "aliases")),
                definition=self.text(file, entry, "definition"),
                file=file,
                line=entry.line,
            )

    # -- careers ---------------------------------------------------------------------------

    def career(self, path: Path) -> Career | None:
        file = self.name(path)
        ident = path.stem
        if not self.check_id(file, 0, ident, "career (file name)"):
            return None
        doc = load_yaml(path, file)
        self.problems.extend(doc.problems)
        node = doc.value
        if not isinstance(node, LineDict):
            self.unreadable_careers.add(ident)
        if node is None and not doc.problems:
            self.add(file, 0, "file is empty")
        if not isinstance(node, LineDict):
            if node is not None:
                self.add(file, 1, "a career file must be a mapping of fields")
            return None
        self.unknown_keys(file, node, _CAREER_KEYS, "a career")
        label = self.text(file, node, "label", required=True)
        onet = self.text(file, node, "onet")
        if onet is not None and not _ONET_CODE.match(onet):
            self.add(file, node.line_of("onet"), f"O*NET-SOC code {onet!r} must look like 15-2051.00")
        esco = self.text(file, node, "esco")
        if esco is not None and not _ESCO_OCCUPATION.match(esco):
            self.add(file, node.line_of("esco"), f"not an ESCO occupation IRI: {esco!r}")
        isco = self.text(file, node, "isco")
        if isco is not None and not _ISCO_CODE.match(isco):
            self.add(file, node.line_of("isco"), f"ISCO-08 code {isco!r} must be 1 to 4 digits")
        matches = {}
        for key in ("onet_match", "esco_match"):
            value = self.text(file, node, key) or "close"
            if value not in MATCH_TYPES:
                self.add(
                    file,
                    node.line_of(key),
                    f"{key} {value!r} is not one of {', '.join(MATCH_TYPES)}",
                )
            matches[key] = value
        essential, optional = self.career_skills(file, node)
        refs: dict[tuple[str, str], int] = {}
        related = self.related(file, node)
        for ref, _, line in related:
            refs.setdefault(("related", ref), line)
        for key in ("listed_with", "collaborates_with", "industries", "work_settings"):
            for ref, line in self.texts(file, node, key):
                refs.setdefault((key, ref), line)
        if isinstance(node.get("skills"), LineDict):
            for key in ("essential", "optional"):
                for ref, line in self.texts(file, node["skills"], key):
                    refs.setdefault(("skills", ref), line)
        refs[("specialization_of", str(node.get("specialization_of")))] = node.line_of("specialization_of")
        if label is None:
            return None
        return Career(
            id=ident,
            label=label,
            alt_labels=tuple(a for a, _ in self.texts(file, node, "alt_labels")),
            definition=self.text(file, node, "definition"),
            specialization_of=self.text(file, node, "specialization_of"),
            onet=onet,
            onet_match=matches["onet_match"],
            esco=esco,
            esco_match=matches["esco_match"],
            isco=isco,
            essential_skills=essential,
            optional_skills=optional,
            duties=self.duties(file, node),
            related=tuple(dict.fromkeys(r for r, _, _ in related)),
            reasons={r: why for r, why, _ in related if why},
            listed_with=tuple(dict.fromkeys(r for r, _ in self.texts(file, node, "listed_with"))),
            collaborates_with=tuple(r for r, _ in self.texts(file, node, "collaborates_with")),
            industries=tuple(r for r, _ in self.texts(file, node, "industries")),
            work_settings=tuple(r for r, _ in self.texts(file, node, "work_settings")),
            file=file,
            line=node.line,
            ref_lines=refs,
        )

    def related(self, file: str, node: LineDict) -> list[tuple[str, str | None, int]]:
        """``related:`` as (career id, reason or None, line).

        An entry is ``{career: id, reason: "..."}``; a plain id (the older form) is accepted and
        has no reason. A career named twice is a problem.
        """
        value = node.get("related")
        if value is None:
            return []
        if isinstance(value, str):
            value_list = LineList()
            value_list.append(value)
            value_list.lines.append(node.line_of("related"))
            value = value_list
        if not isinstance(value, LineList):
            self.add(file, node.line_of("related"), "'related' must be a list")
            return []
        out: list[tuple[str, str | None, int]] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(value):
            line = value.line_of(i)
            if isinstance(item, LineDict):
                self.unknown_keys(file, item, _RELATED_KEYS, "a related career")
                ident = self.text(file, item, "career", required=True)
                reason = self.text(file, item, "reason")
                if ident is None:
                    continue
                line = item.line_of("career")
            elif isinstance(item, str) and item.strip():
                ident, reason = " ".join(item.split()), None
            else:
                self.add(
                    file,
                    line,
                    'a related career is an id or a mapping {career: id, reason: "..."}',
                )
                continue
            if ident in seen:
                self.add(file, line, f"related career {ident!r} named twice (first at line {seen[ident]})")
                continue
            seen[ident] = line
            out.append((ident, reason, line))
        return out

    def career_skills(self, file: str, node: LineDict) -> tuple[tuple[str, ...], tuple[str, ...]]:
        skills = node.get("skills")
        if skills is None:
            return (), ()
        if not isinstance(skills, LineDict):
            self.add(file, node.line_of("skills"), "'skills' must map essential/optional to lists")
            return (), ()
        self.unknown_keys(file, skills, {"essential", "optional"}, "'skills'")
        essential = [s for s, _ in self.texts(file, skills, "essential")]
        optional = [s for s, _ in self.texts(file, skills, "optional")]
        for both in sorted(set(essential) & set(optional)):
            self.add(file, skills.line_of("optional"), f"skill {both!r} is both essential and optional")
        return tuple(dict.fromkeys(essential)), tuple(dict.fromkeys(optional))

    def duties(self, file: str, node: LineDict) -> tuple[Duty, ...]:
        value = node.get("duties")
        if value is None:
            return ()
        if not isinstance(value, LineList):
            self.add(file, node.line_of("duties"), "'duties' must be a list")
            return ()
        duties = []
        for i, item in enumerate(value):
            if not isinstance(item, LineDict):
                self.add(file, value.line_of(i), "a duty must be a mapping with a label")
                continue
            self.unknown_keys(file, item, _DUTY_KEYS, "a duty")
            label = self.text(file, item, "label", required=True)
            if label is None:
                continue
            duties.append(
                Duty(
                    label=label,
                    definition=self.text(file, item, "definition"),
                    skills=tuple(s for s, _ in self.texts(file, item, "skills")),
                    line=item.line,
                )
            )
        return tuple(duties)


def _suggest(name: str, choices: dict[str, str]) -> str:
    """`` (did you mean 'x'?)`` from ids and aliases (alias -> id), or an empty string."""
    lowered = name.lower()
    if lowered in choices:
        return f" (did you mean {choices[lowered]!r}?)"
    close = difflib.get_close_matches(lowered, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {choices[close[0]]!r}?)" if close else ""


def _alias_index(items: dict[str, Any]) -> dict[str, str]:
    index: dict[str, str] = {}
    for ident, item in items.items():
        index.setdefault(ident, ident)
        for name in (item.label, *item.aliases):
            index.setdefault(name.lower(), ident)
            index.setdefault(re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), ident)
    return index


def _check_references(
    data: CuratedData,
    problems: list[Problem],
    broken: set[str] = frozenset(),  # type: ignore[assignment]
    unreadable: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    skill_names = _alias_index(data.skills)
    industry_names = _alias_index(data.industries)
    setting_names = _alias_index(data.work_settings)
    career_names = {c.id: c.id for c in data.careers.values()}
    career_names.update({c.label.lower(): c.id for c in data.careers.values()})

    def check(career: Career, key: str, ids: Iterable[str], known: dict, names: dict, what: str) -> None:
        if what in broken:
            return  # its catalogue could not be read: that is the problem reported
        for ident in ids:
            if ident not in known and not (what == "career" and ident in unreadable):
                message = f"unknown {what} {ident!r}{_suggest(ident, names)}"
                problems.append(Problem(career.file, career.line_of(key, ident), message))

    for career in data.careers.values():
        check(
            career,
            "skills",
            career.essential_skills + career.optional_skills,
            data.skills,
            skill_names,
            "skill",
        )
        for duty in career.duties:
            for ident in duty.skills:
                if ident not in data.skills and "skill" not in broken:
                    message = f"unknown skill {ident!r}{_suggest(ident, skill_names)} in duty {duty.label!r}"
                    problems.append(Problem(career.file, duty.line, message))
        check(career, "industries", career.industries, data.industries, industry_names, "industry")
        check(
            career,
            "work_settings",
            career.work_settings,
            data.work_settings,
            setting_names,
            "work setting",
        )
        parents = (career.specialization_of,) if career.specialization_of else ()
        check(career, "specialization_of", parents, data.careers, career_names, "career")
        check(career, "related", career.related, data.careers, career_names, "career")
        check(career, "listed_with", career.listed_with, data.careers, career_names, "career")
        check(
            career,
            "collaborates_with",
            career.collaborates_with,
            data.careers,
            career_names,
            "career",
        )
        if career.id in (*career.related, *career.collaborates_with, *career.listed_with):
            problems.append(Problem(career.file, career.line, "a career cannot be related to itself"))
    _check_specialization_cycles(data, problems)


def _check_specialization_cycles(data: CuratedData, problems: list[Problem]) -> None:
    for career in data.careers.values():
        seen = {career.id}
        parent = career.specialization_of
        while parent in data.careers:
            if parent in seen:
                problems.append(Problem(career.file, career.line, f"specialization cycle through {parent!r}"))
                break
            seen.add(parent)
            parent = data.careers[parent].specialization_of


def _checksum(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_curated(root: Path) -> CuratedData:
    """Read, check and cross-reference the curated data under ``root``.

    Raises
    ------
    DataError
        With every problem found, each as ``file:line: message``.
    """
    root = Path(root)
    checker = _Checker(root)
    if not (root / "careers").is_dir():
        raise DataError([Problem(str(root), 0, "not a careerkg data folder (no careers/ inside)")])
    data = CuratedData()
    checker.skills(sorted((root / "skills").glob("*.yaml")), data.skills)
    checker.concepts(root / "industries.yaml", data.industries, "industry")
    checker.concepts(root / "work_settings.yaml", data.work_settings, "work setting")
    for path in sorted((root / "careers").glob("*.yaml")):
        career = checker.career(path)
        if career is not None:
            data.careers[career.id] = career
    _check_references(data, checker.problems, checker.broken, checker.unreadable_careers)
    if checker.problems:
        raise DataError(checker.problems)
    data.checksum = _checksum(data_files(root))
    return data

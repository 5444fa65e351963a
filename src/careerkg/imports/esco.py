"""ESCO CSV download -> N-Triples in the shared careerkg vocabulary.

Reads the English CSV package as a folder or zip, in the v1.1.x naming (language-neutral
relation files without ``_en``: ``occupationSkillRelations.csv``) and the v1.2.x naming (``_en``
suffix, extra label columns) alike; columns are found by header name.

===================================  ================================================
file                                 becomes
===================================  ================================================
occupations_en.csv (required)        ``ckg:Career`` + ``esco:Occupation`` at the ESCO IRI:
                                     prefLabel, altLabel, hiddenLabel, definition
                                     (``description``), ``ckg:iscoCode``, ``skos:notation``
skills_en.csv (required)             ``ckg:Skill`` + ``esco:Skill`` + ``ckg:Knowledge``
                                     (skillType knowledge) or ``ckg:Competence`` (skill/
                                     competence, or none given), ``ckg:reuseLevel``
occupationSkillRelations[_en].csv    ``ckg:essentialSkill`` / ``ckg:optionalSkill``
  (required)
broaderRelationsOccPillar[_en].csv   ``skos:broader`` (+ ``ckg:specializationOf`` between
                                     occupations)
broaderRelationsSkillPillar[_en]     ``skos:broader``
ISCOGroups_en.csv                    ``esco:ISCOGroup`` concepts with ``ckg:iscoCode``
skillGroups_en.csv                   ``esco:SkillGroup`` concepts
skillSkillRelations[_en].csv         ``ckg:essentialRelatedSkill`` / ``ckg:optionalRelatedSkill``
conceptSchemes_en.csv                ``skos:ConceptScheme`` with ``skos:hasTopConcept``
\\*Collection_en.csv                 ``skos:Collection`` (``esco_collection_iri``) with
                                     ``skos:member``
===================================  ================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rdflib.namespace import SKOS
from rich.progress import Progress

from ..data.model import esco_collection_iri
from ..errors import InputError
from ..namespaces import ESCO
from .files import SourceFiles, bounded_lines
from .report import ImportReport
from .tables import READ_ERRORS, Table, TableReader, require_records
from .terms import (
    ALT,
    BROADER,
    CONCEPT,
    DEF,
    NOTATION,
    PREF,
    A,
    NTWriter,
    T,
    iri,
    is_iri,
    lit,
    lit_en,
)

__all__ = ["convert_esco", "esco_version", "read_checklists", "source_files"]

HIDDEN = iri(str(SKOS.hiddenLabel))
NOTE = iri(str(SKOS.note))
SCOPE = iri(str(SKOS.scopeNote))
IN_SCHEME = iri(str(SKOS.inScheme))
TOP = iri(str(SKOS.hasTopConcept))
MEMBER = iri(str(SKOS.member))
SCHEME = iri(str(SKOS.ConceptScheme))
COLLECTION = iri(str(SKOS.Collection))
E_OCC, E_SKILL = iri(str(ESCO.Occupation)), iri(str(ESCO.Skill))
E_ISCO, E_GROUP = iri(str(ESCO.ISCOGroup)), iri(str(ESCO.SkillGroup))

_SPLIT_LINES = re.compile(r"\s*\n\s*")
_SPLIT_LIST = re.compile(r"\s*(?:\n|,\s*\n|\s\|\s)\s*")
_SKILL_TYPES = {
    "knowledge": ("knowledge", T["Knowledge"]),
    "skill/competence": ("competence", T["Competence"]),
    "skill": ("competence", T["Competence"]),
    "competence": ("competence", T["Competence"]),
    "": ("competence", T["Competence"]),
}
#: Label columns -> the property each line of them becomes.
_LABELS = (("altLabels", ALT), ("hiddenLabels", HIDDEN))
#: Text columns -> the property the text becomes.
_TEXTS = (("description", DEF), ("definition", NOTE), ("scopeNote", SCOPE))


def esco_version(path: Path) -> str:
    """The ESCO version named in the path (``v1.1.1``), else ``unknown``."""
    found = re.search(r"v(\d+\.\d+(?:\.\d+)?)", str(path))
    return found.group(1) if found else "unknown"


def _labels(text: str, separator: re.Pattern[str] = _SPLIT_LINES) -> list[str]:
    return [part for part in separator.split(text.strip()) if part]


_CHECKLIST_LINE = re.compile(r"^MD5 \((?P<name>[^)]+)\) = (?P<md5>[0-9a-fA-F]{32})\s*$")


def read_checklists(files: SourceFiles) -> dict[str, tuple[str, str]]:
    """The MD5s stated by the release's ``checklist*.chk`` files: file name -> (MD5, checklist).

    ESCO downloads ship them (``MD5 (skills_en.csv) = 1f3b...``); a release without them is
    imported unchecked.
    """
    stated: dict[str, tuple[str, str]] = {}
    for name in _checklists(files):
        stored = files.find(name)
        if stored is None:
            continue
        label = files.label(stored)
        with files.open_text(stored) as (text, _):
            number = 0
            try:
                for number, line in enumerate(bounded_lines(text, label), 1):  # noqa: B007
                    match = _CHECKLIST_LINE.match(line.strip())
                    if match:
                        stated[match["name"]] = (match["md5"].lower(), name)
            except (UnicodeDecodeError, *READ_ERRORS) as e:
                raise InputError(f"cannot read the checklist: {e}", file=label, line=number + 1) from e
    return stated


#: The kind of concept an ESCO IRI names (its path's first segment) -> the files that define
#: that kind: a reference to a concept of a kind whose files were all read, and that none of
#: them holds, names a concept absent from the release.
_DEFINED_BY = {"occupation": ("occupations",), "skill": ("skills", "skill groups"), "isco": ("ISCO groups",)}
_KIND = re.compile(r"^<http://data\.europa\.eu/esco/([a-z]+)/")


@dataclass
class _Run:
    """What the files of one import share: the writer, the report, the concepts defined so far
    (as terms) and the files read."""

    add: Callable[[str, str, str], None]
    report: ImportReport
    known: set[str] = field(default_factory=set)
    read: set[str] = field(default_factory=set)

    def absent(self, term: str) -> bool:
        """Whether ``term`` names a concept of a kind this release defines, that it lacks."""
        if term in self.known:
            return False
        kind = _KIND.match(term)
        files = _DEFINED_BY.get(kind.group(1)) if kind else None
        return files is not None and all(f in self.read for f in files)

    def dangling(self, tab: Table, rows: list[tuple[int, str]], key: str) -> None:
        """Tell, with counts, the rows of ``tab`` skipped for naming absent concepts."""
        if not rows:
            return
        self.report.counts[f"{key}: rows naming concepts absent from this release"] = len(rows)
        line, term = rows[0]
        self.report.warn(
            f"{tab.name}: {len(rows)} row(s) name concepts absent from this release (first at line "
            f"{line}: {term[1:-1]}): skipped"
        )

    def new(self, tab: Table, line: int, row: list[str], column: str) -> str | None:
        """The IRI in ``column`` when it is one and not defined before, else None (rejected)."""
        s = self.uri(tab, line, row, column)
        if s is not None and s in self.known:
            tab.reject(line, f"duplicate {column} {s[1:-1]}")
            return None
        return s

    def uri(self, tab: Table, line: int, row: list[str], column: str) -> str | None:
        """The IRI in ``column`` as a term, or None (the row rejected) when it is not an IRI."""
        value = row[tab.col[column]].strip()
        if not is_iri(value):
            tab.reject(line, f"{column} {value[:60]!r} is not an IRI")
            return None
        return f"<{value}>"

    def pair(self, tab: Table, line: int, row: list[str], first: str, second: str) -> tuple[str, str] | None:
        """The IRIs in the columns ``first`` and ``second``, or None (the row rejected)."""
        s = self.uri(tab, line, row, first)
        o = self.uri(tab, line, row, second) if s else None
        return None if s is None or o is None else (s, o)

    def iris(self, tab: Table, s: str, row: list[str], column: str, prop: str) -> None:
        """``s prop iri`` for every IRI listed in ``column`` (lines, ``|`` or ``,``); others skipped."""
        for value in _labels(tab.cell(row, column), _SPLIT_LIST):
            value = value.rstrip(",")
            if is_iri(value):
                self.add(s, prop, f"<{value}>")

    def concept(self, tab: Table, s: str, row: list[str]) -> None:
        """The labels, texts and schemes of concept ``s`` that ``row`` has columns for."""
        for column, prop in _LABELS:
            for label in _labels(tab.cell(row, column)):
                self.add(s, prop, lit_en(label))
        for column, prop in _TEXTS:
            if text := tab.cell(row, column):
                self.add(s, prop, lit_en(text))
        self.iris(tab, s, row, "inScheme", IN_SCHEME)


def _occupations(run: _Run, tab: Table) -> None:
    add = run.add
    n = 0
    for line, row, s in tab.subjects(partial(run.new, column="conceptUri")):
        label = tab.cell(row, "preferredLabel")
        if not label:
            tab.reject(line, "empty preferredLabel")
            continue
        n += 1
        run.known.add(s)
        add(s, A, T["Career"])
        add(s, A, E_OCC)
        add(s, PREF, lit_en(label))
        run.concept(tab, s, row)
        if group := tab.cell(row, "iscoGroup"):
            add(s, T["iscoCode"], lit(group))
        if code := tab.cell(row, "code"):
            add(s, NOTATION, lit(code))
    tab.finish()
    require_records(tab, n, "occupations")
    run.report.counts["occupations"] = n


def _skills(run: _Run, tab: Table) -> None:
    add = run.add
    n = untyped = 0
    for line, row, s in tab.subjects(partial(run.new, column="conceptUri")):
        label, stype = tab.cell(row, "preferredLabel"), tab.cell(row, "skillType")
        if not label:
            tab.reject(line, "empty preferredLabel")
            continue
        if stype not in _SKILL_TYPES:
            tab.reject(line, f"unknown skillType {stype!r}")
            continue
        untyped += not stype
        word, cls = _SKILL_TYPES[stype]
        n += 1
        run.known.add(s)
        add(s, A, T["Skill"])
        add(s, A, E_SKILL)
        add(s, A, cls)
        add(s, T["skillType"], lit(word))
        add(s, PREF, lit_en(label))
        run.concept(tab, s, row)
        if level := tab.cell(row, "reuseLevel"):
            add(s, T["reuseLevel"], lit(level))
    tab.finish()
    require_records(tab, n, "skills")
    run.report.counts["skills"] = n
    if untyped:
        run.report.warn(f"{tab.name}: {untyped} skill(s) without skillType: typed as competences")


def _links(run: _Run, tab: Table, *, key: str, props: Mapping[str, str]) -> None:
    """``s prop o`` for each row naming s, a relation type (a key of ``props``) and o, in the
    file's three required columns."""
    first, relation, second = tab.required
    c_rel = tab.col[relation]
    n = 0
    dangling: list[tuple[int, str]] = []
    for line, row, (s, o) in tab.subjects(partial(run.pair, first=first, second=second)):
        prop = props.get(row[c_rel].strip())
        if prop is None:
            tab.reject(line, f"unknown relationType {row[c_rel].strip()!r}")
            continue
        if absent := next((term for term in (s, o) if run.absent(term)), None):
            dangling.append((line, absent))
            continue
        run.add(s, prop, o)
        n += 1
    tab.finish()
    run.report.counts[key] = n
    run.dangling(tab, dangling, key)


def _hierarchy(run: _Run, tab: Table, *, key: str) -> None:
    n = 0
    dangling: list[tuple[int, str]] = []
    for line, row, (s, o) in tab.subjects(partial(run.pair, first="conceptUri", second="broaderUri")):
        if absent := next((term for term in (s, o) if run.absent(term)), None):
            dangling.append((line, absent))
            continue
        run.add(s, BROADER, o)
        if tab.cell(row, "conceptType") == "Occupation" and tab.cell(row, "broaderType") == "Occupation":
            run.add(s, T["specializationOf"], o)
        n += 1
    tab.finish()
    run.report.counts[f"{key} links"] = n
    run.dangling(tab, dangling, key)


def _groups(run: _Run, tab: Table, *, key: str, cls: str) -> None:
    n = 0
    for _line, row, s in tab.subjects(partial(run.uri, column="conceptUri")):
        run.known.add(s)
        run.add(s, A, cls)
        run.add(s, A, CONCEPT)
        run.add(s, PREF, lit_en(tab.cell(row, "preferredLabel")))
        run.concept(tab, s, row)
        if code := tab.cell(row, "code"):
            run.add(s, NOTATION, lit(code))
            if cls == E_ISCO:
                run.add(s, T["iscoCode"], lit(code))
        n += 1
    tab.finish()
    run.report.counts[key] = n


def _schemes(run: _Run, tab: Table) -> None:
    for _line, row, s in tab.subjects(partial(run.uri, column="conceptSchemeUri")):
        run.add(s, A, SCHEME)
        run.add(s, PREF, lit_en(tab.cell(row, "preferredLabel")))
        if text := tab.cell(row, "description"):
            run.add(s, DEF, lit_en(text))
        run.iris(tab, s, row, "hasTopConcept", TOP)
    tab.finish()


def _collection(run: _Run, tab: Table, name: str) -> None:
    """A ``*Collection_en.csv`` file: a ``skos:Collection`` named after it, with its members."""
    stem = re.sub(r"(_en)?\.csv$", "", name, flags=re.IGNORECASE)
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem).lower().split()
    c = iri(str(esco_collection_iri("-".join(words))))
    run.add(c, A, COLLECTION)
    run.add(c, PREF, lit_en("ESCO " + " ".join(words)))
    n = 0
    for _line, _row, s in tab.subjects(partial(run.uri, column="conceptUri")):
        run.add(c, MEMBER, s)
        n += 1
    tab.finish()
    run.report.counts[f"{' '.join(words)} members"] = n


@dataclass(frozen=True)
class _File:
    """One ESCO file: how messages name it, its names (v1.1 and v1.2), the columns it must and
    may have, the function that reads it, and whether the import needs it."""

    key: str
    names: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    read: Callable[[_Run, Table], None]
    needed: bool = False


def _pillar(name: str) -> tuple[str, str]:
    """A file named with and without the ``_en`` of v1.2.x."""
    return f"{name}.csv", f"{name}_en.csv"


#: The files in the order they are read; ``*Collection_en.csv`` files follow.
_FILES = (
    _File(
        "occupations",
        ("occupations_en.csv",),
        ("conceptUri", "preferredLabel"),
        ("altLabels", "hiddenLabels", "iscoGroup", "code"),
        _occupations,
        needed=True,
    ),
    _File(
        "skills",
        ("skills_en.csv",),
        ("conceptUri", "preferredLabel", "skillType"),
        ("reuseLevel",),
        _skills,
        needed=True,
    ),
    _File(
        "ISCO groups",
        ("ISCOGroups_en.csv",),
        ("conceptUri", "preferredLabel"),
        ("code",),
        partial(_groups, key="ISCO groups", cls=E_ISCO),
    ),
    _File(
        "skill groups",
        ("skillGroups_en.csv",),
        ("conceptUri", "preferredLabel"),
        ("code",),
        partial(_groups, key="skill groups", cls=E_GROUP),
    ),
    _File(
        "relations",
        _pillar("occupationSkillRelations"),
        ("occupationUri", "relationType", "skillUri"),
        (),
        partial(
            _links,
            key="occupation-skill relations",
            props={"essential": T["essentialSkill"], "optional": T["optionalSkill"]},
        ),
        needed=True,
    ),
    _File(
        "occupation hierarchy",
        _pillar("broaderRelationsOccPillar"),
        ("conceptUri", "broaderUri"),
        ("conceptType", "broaderType"),
        partial(_hierarchy, key="occupation hierarchy"),
    ),
    _File(
        "skill hierarchy",
        _pillar("broaderRelationsSkillPillar"),
        ("conceptUri", "broaderUri"),
        ("conceptType", "broaderType"),
        partial(_hierarchy, key="skill hierarchy"),
    ),
    _File(
        "skill-skill relations",
        _pillar("skillSkillRelations"),
        ("originalSkillUri", "relationType", "relatedSkillUri"),
        (),
        partial(
            _links,
            key="skill-skill relations",
            props={"essential": T["essentialRelatedSkill"], "optional": T["optionalRelatedSkill"]},
        ),
    ),
    _File(
        "concept schemes",
        ("conceptSchemes_en.csv",),
        ("conceptSchemeUri", "preferredLabel"),
        ("hasTopConcept",),
        _schemes,
    ),
)


def _collections(files: SourceFiles) -> list[tuple[str, str | None]]:
    """The ``*Collection_en.csv`` files: (base name, as stored)."""
    return [
        (name, files.find(name))
        for name in files.names()
        if re.fullmatch(r"\w+Collection(_en)?\.csv", name, flags=re.IGNORECASE)
    ]


def _checklists(files: SourceFiles) -> list[str]:
    return [name for name in files.names() if re.fullmatch(r"checklist.*\.chk", name, flags=re.IGNORECASE)]


def source_files(files: SourceFiles) -> list[str]:
    """The files of ``files`` an import reads (as stored)."""
    found = [files.find(*spec.names) for spec in _FILES]
    found += [stored for _, stored in _collections(files)]
    found += [files.find(name) for name in _checklists(files)]
    return [stored for stored in found if stored is not None]


def convert_esco(files: SourceFiles, out: NTWriter, report: ImportReport, progress: Progress) -> None:
    """Stream the ESCO files of ``files`` into ``out``; fill ``report``."""
    stored = {spec.key: files.find(*spec.names) for spec in _FILES}
    missing = next((spec.key for spec in _FILES if spec.needed and stored[spec.key] is None), None)
    if missing is not None:
        raise InputError(
            f"no {missing} file (occupations_en.csv, skills_en.csv, occupationSkillRelations[_en].csv):"
            " is this the ESCO CSV download?",
            file=files.path,
        )
    for key, name in stored.items():
        if name is None:
            report.warn(f"{files.path}: no {key} file: skipped")
    collections = _collections(files)
    reader = TableReader(
        files,
        report,
        progress,
        "ESCO",
        [*stored.values(), *(s for _, s in collections)],
        delimiter=",",
        checklists=read_checklists(files),
    )
    run = _Run(out.add, report)
    for spec in _FILES:
        name = stored[spec.key]
        if name is not None:
            spec.read(run, reader.open(name, spec.required, spec.optional))
            run.read.add(spec.key)
    for name, found in collections:
        if found is not None:
            _collection(run, reader.open(found, ("conceptUri",)), name)

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
from pathlib import Path

from rdflib.namespace import SKOS

from ..data.model import esco_collection_iri
from ..errors import InputError
from ..namespaces import ESCO
from .common import (
    ALT,
    BROADER,
    CONCEPT,
    DEF,
    NOTATION,
    PREF,
    A,
    ImportReport,
    NTWriter,
    SourceFiles,
    T,
    Table,
    iri,
    is_iri,
    lit,
    lit_en,
    require_records,
)

__all__ = ["convert_esco", "esco_version"]

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
    for stored in files.names():
        name = Path(stored).name
        if not re.fullmatch(r"checklist.*\.chk", name, flags=re.IGNORECASE):
            continue
        with files.open_text(stored) as (text, _):
            for line in text:
                match = _CHECKLIST_LINE.match(line.strip())
                if match:
                    stated[match["name"]] = (match["md5"].lower(), name)
    return stated


def convert_esco(files: SourceFiles, out: NTWriter, report: ImportReport, progress) -> None:
    """Stream the ESCO files of ``files`` into ``out``; fill ``report``."""
    names = {
        "occupations": files.find("occupations_en.csv"),
        "skills": files.find("skills_en.csv"),
        "relations": files.find("occupationSkillRelations.csv", "occupationSkillRelations_en.csv"),
        "occupation hierarchy": files.find(
            "broaderRelationsOccPillar.csv", "broaderRelationsOccPillar_en.csv"
        ),
        "skill hierarchy": files.find(
            "broaderRelationsSkillPillar.csv", "broaderRelationsSkillPillar_en.csv"
        ),
        "ISCO groups": files.find("ISCOGroups_en.csv"),
        "skill groups": files.find("skillGroups_en.csv"),
        "skill-skill relations": files.find("skillSkillRelations.csv", "skillSkillRelations_en.csv"),
        "concept schemes": files.find("conceptSchemes_en.csv"),
    }
    for key in ("occupations", "skills", "relations"):
        if names[key] is None:
            raise InputError(
                f"no {key} file (occupations_en.csv, skills_en.csv, occupationSkillRelations[_en].csv):"
                " is this the ESCO CSV download?",
                file=files.path,
            )
    for key, stored in names.items():
        if stored is None:
            report.warn(f"{files.path}: no {key} file: skipped")
    collections = [
        (name, files.find(name))
        for name in files.names()
        if re.fullmatch(r"\w+Collection(_en)?\.csv", name, flags=re.IGNORECASE)
    ]
    checklists = read_checklists(files)
    total = sum(files.size(s) for s in names.values() if s) + sum(files.size(s) for _, s in collections if s)
    task = progress.add_task("ESCO", total=total)

    def on_bytes(n: int) -> None:
        progress.advance(task, n)

    def table(stored: str, required: list[str], optional: list[str] = ()) -> Table:  # type: ignore[assignment]
        return Table(
            files,
            stored,
            delimiter=",",
            required=required,
            optional=optional,
            on_bytes=on_bytes,
            import_report=report,
            checklist=checklists.get(Path(stored).name),
        ).start()

    add = out.add

    def uri_of(tab: Table, line: int, value: str, column: str) -> str | None:
        value = value.strip()
        if not is_iri(value):
            tab.reject(line, f"{column} {value[:60]!r} is not an IRI")
            return None
        return f"<{value}>"

    def concept_labels(tab: Table, s: str, row: list[str]) -> None:
        col = tab.col
        if "altLabels" in col:
            for label in _labels(row[col["altLabels"]]):
                add(s, ALT, lit_en(label))
        if "hiddenLabels" in col:
            for label in _labels(row[col["hiddenLabels"]]):
                add(s, HIDDEN, lit_en(label))
        if "description" in col:
            text = row[col["description"]].strip()
            if text:
                add(s, DEF, lit_en(text))
        if "definition" in col:
            text = row[col["definition"]].strip()
            if text:
                add(s, NOTE, lit_en(text))
        if "scopeNote" in col:
            text = row[col["scopeNote"]].strip()
            if text:
                add(s, SCOPE, lit_en(text))
        if "inScheme" in col:
            for scheme in _labels(row[col["inScheme"]], _SPLIT_LIST):
                scheme = scheme.rstrip(",")
                if is_iri(scheme):
                    add(s, IN_SCHEME, f"<{scheme}>")

    # -- occupations
    tab = table(
        names["occupations"],
        ["conceptUri", "preferredLabel"],
        ["altLabels", "hiddenLabels", "iscoGroup", "code"],
    )
    occupations = 0
    for line, row in tab:
        s = uri_of(tab, line, row[tab.col["conceptUri"]], "conceptUri")
        label = row[tab.col["preferredLabel"]].strip()
        if s is None:
            continue
        if not label:
            tab.reject(line, "empty preferredLabel")
            continue
        occupations += 1
        add(s, A, T["Career"])
        add(s, A, E_OCC)
        add(s, PREF, lit_en(label))
        concept_labels(tab, s, row)
        if "iscoGroup" in tab.col and row[tab.col["iscoGroup"]].strip():
            add(s, T["iscoCode"], lit(row[tab.col["iscoGroup"]].strip()))
        if "code" in tab.col and row[tab.col["code"]].strip():
            add(s, NOTATION, lit(row[tab.col["code"]].strip()))
    tab.finish()
    require_records(tab, occupations, "occupations")
    report.counts["occupations"] = occupations

    # -- skills
    tab = table(names["skills"], ["conceptUri", "preferredLabel", "skillType"], ["reuseLevel"])
    skills = 0
    untyped = 0
    for line, row in tab:
        s = uri_of(tab, line, row[tab.col["conceptUri"]], "conceptUri")
        label = row[tab.col["preferredLabel"]].strip()
        stype = row[tab.col["skillType"]].strip()
        if s is None:
            continue
        if not label:
            tab.reject(line, "empty preferredLabel")
            continue
        if stype not in _SKILL_TYPES:
            tab.reject(line, f"unknown skillType {stype!r}")
            continue
        untyped += not stype
        word, cls = _SKILL_TYPES[stype]
        skills += 1
        add(s, A, T["Skill"])
        add(s, A, E_SKILL)
        add(s, A, cls)
        add(s, T["skillType"], lit(word))
        add(s, PREF, lit_en(label))
        concept_labels(tab, s, row)
        if "reuseLevel" in tab.col and row[tab.col["reuseLevel"]].strip():
            add(s, T["reuseLevel"], lit(row[tab.col["reuseLevel"]].strip()))
    tab.finish()
    require_records(tab, skills, "skills")
    report.counts["skills"] = skills
    if untyped:
        report.warn(f"{tab.name}: {untyped} skill(s) without skillType: typed as competences")

    # -- occupation-skill relations
    tab = table(names["relations"], ["occupationUri", "relationType", "skillUri"])
    c_occ, c_rel, c_skill = tab.col["occupationUri"], tab.col["relationType"], tab.col["skillUri"]
    props = {"essential": T["essentialSkill"], "optional": T["optionalSkill"]}
    relations = 0
    for line, row in tab:
        o = uri_of(tab, line, row[c_occ], "occupationUri")
        k = uri_of(tab, line, row[c_skill], "skillUri") if o else None
        if k is None:
            continue
        prop = props.get(row[c_rel].strip())
        if prop is None:
            tab.reject(line, f"unknown relationType {row[c_rel].strip()!r}")
            continue
        add(o, prop, k)
        relations += 1
    tab.finish()
    report.counts["occupation-skill relations"] = relations

    # -- hierarchies
    for key in ("occupation hierarchy", "skill hierarchy"):
        if names[key] is None:
            continue
        tab = table(names[key], ["conceptUri", "broaderUri"], ["conceptType", "broaderType"])
        c_type, b_type = tab.col.get("conceptType"), tab.col.get("broaderType")
        n = 0
        for line, row in tab:
            s = uri_of(tab, line, row[tab.col["conceptUri"]], "conceptUri")
            b = uri_of(tab, line, row[tab.col["broaderUri"]], "broaderUri") if s else None
            if b is None:
                continue
            add(s, BROADER, b)
            if (
                c_type is not None
                and b_type is not None
                and row[c_type].strip() == "Occupation"
                and row[b_type].strip() == "Occupation"
            ):
                add(s, T["specializationOf"], b)
            n += 1
        tab.finish()
        report.counts[f"{key} links"] = n

    # -- ISCO groups and skill groups
    for key, cls in (("ISCO groups", E_ISCO), ("skill groups", E_GROUP)):
        if names[key] is None:
            continue
        tab = table(names[key], ["conceptUri", "preferredLabel"], ["code"])
        n = 0
        for line, row in tab:
            s = uri_of(tab, line, row[tab.col["conceptUri"]], "conceptUri")
            if s is None:
                continue
            add(s, A, cls)
            add(s, A, CONCEPT)
            add(s, PREF, lit_en(row[tab.col["preferredLabel"]].strip()))
            concept_labels(tab, s, row)
            code = row[tab.col["code"]].strip() if "code" in tab.col else ""
            if code:
                add(s, NOTATION, lit(code))
                if cls == E_ISCO:
                    add(s, T["iscoCode"], lit(code))
            n += 1
        tab.finish()
        report.counts[key] = n

    # -- skill-skill relations
    if names["skill-skill relations"] is not None:
        tab = table(names["skill-skill relations"], ["originalSkillUri", "relationType", "relatedSkillUri"])
        props = {"essential": T["essentialRelatedSkill"], "optional": T["optionalRelatedSkill"]}
        n = 0
        for line, row in tab:
            s = uri_of(tab, line, row[tab.col["originalSkillUri"]], "originalSkillUri")
            o = uri_of(tab, line, row[tab.col["relatedSkillUri"]], "relatedSkillUri") if s else None
            if o is None:
                continue
            prop = props.get(row[tab.col["relationType"]].strip())
            if prop is None:
                tab.reject(line, f"unknown relationType {row[tab.col['relationType']].strip()!r}")
                continue
            add(s, prop, o)
            n += 1
        tab.finish()
        report.counts["skill-skill relations"] = n

    # -- concept schemes
    if names["concept schemes"] is not None:
        tab = table(names["concept schemes"], ["conceptSchemeUri", "preferredLabel"], ["hasTopConcept"])
        for line, row in tab:
            s = uri_of(tab, line, row[tab.col["conceptSchemeUri"]], "conceptSchemeUri")
            if s is None:
                continue
            add(s, A, SCHEME)
            add(s, PREF, lit_en(row[tab.col["preferredLabel"]].strip()))
            if "description" in tab.col and row[tab.col["description"]].strip():
                add(s, DEF, lit_en(row[tab.col["description"]].strip()))
            if "hasTopConcept" in tab.col:
                for top in _labels(row[tab.col["hasTopConcept"]], _SPLIT_LIST):
                    top = top.rstrip(",")
                    if is_iri(top):
                        add(s, TOP, f"<{top}>")
        tab.finish()

    # -- collections
    for name, stored in collections:
        if stored is None:
            continue
        stem = re.sub(r"(_en)?\.csv$", "", name, flags=re.IGNORECASE)
        words = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem).lower().split()
        c = iri(str(esco_collection_iri("-".join(words))))
        add(c, A, COLLECTION)
        add(c, PREF, lit_en("ESCO " + " ".join(words)))
        tab = table(stored, ["conceptUri"])
        n = 0
        for line, row in tab:
            s = uri_of(tab, line, row[tab.col["conceptUri"]], "conceptUri")
            if s is None:
                continue
            add(c, MEMBER, s)
            n += 1
        tab.finish()
        report.counts[f"{' '.join(words)} members"] = n

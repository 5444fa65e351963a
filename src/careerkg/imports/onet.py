"""O*NET text database -> N-Triples in the shared careerkg vocabulary.

Reads the official tab-delimited text release (``db_XX_X_text`` folder or zip). Files and the
columns used (older releases may lack files or optional columns: a warning, then the rest):

================================  ====================================================
file                              becomes
================================  ====================================================
Occupation Data.txt (required)    ``ckg:Career`` at ``onet_occupation_iri(code)``: prefLabel,
                                  definition, ``ckg:onetCode``; ``.NN`` codes
                                  ``ckg:specializationOf`` (+ ``skos:broader``) their ``.00``
Alternate Titles.txt              ``skos:altLabel`` (alternate and short titles)
Task Statements.txt               ``ckg:hasDuty`` -> ``ckg:Duty`` (``ckg:dutyType`` core |
                                  supplemental, ``schema:position``)
Content Model Reference.txt       every element as ``skos:Concept`` with its ``skos:broader``
Skills.txt / Knowledge.txt        elements as ``ckg:Competence`` / ``ckg:Knowledge``; one
                                  ``ckg:SkillRating`` per occupation x element (importance IM,
                                  level LV); ``ckg:essentialSkill`` when IM >= 3.5,
                                  ``ckg:optionalSkill`` when 3.0 <= IM < 3.5
Technology Skills.txt             examples as ``ckg:Technology`` (``skos:broader`` their
                                  commodity); ``ckg:usesTechnology``; ``ckg:TechnologyUse``
                                  with Hot Technology / In Demand flags; in-demand examples are
                                  essential skills, the others optional
Related Occupations.txt           ``ckg:relatedCareer`` (both directions) and one
                                  ``ckg:CareerRelation`` per row (tier, rank)
Job Zones.txt                     ``ckg:jobZone``
================================  ====================================================
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rich.progress import Progress

from ..data.model import (
    onet_commodity_iri,
    onet_element_iri,
    onet_occupation_iri,
    onet_technology_iri,
)
from ..errors import InputError
from ..namespaces import SCHEMA
from .files import SourceFiles
from .report import ImportReport
from .tables import Table, TableReader, require_records
from .terms import (
    ALT,
    BROADER,
    CONCEPT,
    DECIMAL,
    DEF,
    NOTATION,
    PREF,
    A,
    NTWriter,
    T,
    decimal,
    iri,
    lit,
    lit_en,
    slug,
    typed,
)

__all__ = ["ESSENTIAL_IMPORTANCE", "OPTIONAL_IMPORTANCE", "convert_onet", "onet_version", "source_files"]

#: O*NET importance (IM, 1-5) from which a skill or knowledge area is an essential skill.
ESSENTIAL_IMPORTANCE = 3.5
#: ... and from which (below the essential threshold) it is an optional skill.
OPTIONAL_IMPORTANCE = 3.0

CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
SOC = "O*NET-SOC Code"

# Pre-formatted terms of the hot loops.
POSITION = iri(str(SCHEMA.position))
TRUE, FALSE = typed("true", "boolean"), typed("false", "boolean")
OCCUPATION = str(onet_occupation_iri(""))
ELEMENT = str(onet_element_iri(""))
TECHNOLOGY = str(onet_technology_iri(""))
COMMODITY = str(onet_commodity_iri(""))


def onet_version(path: Path, files: SourceFiles) -> str:
    """The release number, from ``Read Me.txt`` or a name like ``db_29_3_text``."""
    stored = files.find("Read Me.txt")
    if stored is not None:
        with files.open_text(stored) as (text, _):
            head = text.read(2000)
        found = re.search(r"O\*NET\s+(\d+\.\d+)\s+Database", head)
        if found:
            return found.group(1)
    found = re.search(r"db_(\d+)_(\d+)", path.name)
    return f"{found.group(1)}.{found.group(2)}" if found else "unknown"


@dataclass
class _Run:
    """What the files of one import share: the writer, the report, what was read so far."""

    add: Callable[[str, str, str], None]
    report: ImportReport
    occupations: set[str] = field(default_factory=set)
    elements: set[str] = field(default_factory=set)
    essential: int = 0
    optional: int = 0

    def occupation(self, tab: Table, line: int, row: list[str]) -> str | None:
        """The occupation of a row as a term, or None (the row rejected) when it is unknown."""
        code = row[tab.col[SOC]].strip()
        if code not in self.occupations:
            tab.reject(line, f"unknown O*NET-SOC code {code!r}")
            return None
        return f"<{OCCUPATION}{code}>"


def _occupations(run: _Run, tab: Table) -> None:
    add = run.add
    first: dict[str, int] = {}  # code -> its line
    for line, row in tab:
        code, title = tab.cell(row, SOC), tab.cell(row, "Title")
        if not CODE.match(code):
            tab.reject(line, f"bad O*NET-SOC code {code!r}")
            continue
        if not title:
            tab.reject(line, "empty title")
            continue
        if code in first:
            tab.reject(line, f"duplicate O*NET-SOC code {code!r} (first at line {first[code]})")
            continue
        first[code] = line
        run.occupations.add(code)
        o = f"<{OCCUPATION}{code}>"
        add(o, A, T["Career"])
        add(o, PREF, lit_en(title))
        add(o, T["onetCode"], lit(code))
        text = tab.cell(row, "Description")
        if text and text != "n/a":
            add(o, DEF, lit_en(text))
    tab.finish()
    require_records(tab, len(run.occupations), "occupations")
    _specializations(run)
    run.report.counts["occupations"] = len(run.occupations)


def _specializations(run: _Run) -> None:
    """A ``.NN`` occupation is a specialization of its ``.00`` parent, when there is one."""
    for code in sorted(run.occupations):  # sorted: the same file in every process
        parent = code[:-2] + "00"
        if not code.endswith(".00") and parent in run.occupations:
            run.add(f"<{OCCUPATION}{code}>", T["specializationOf"], f"<{OCCUPATION}{parent}>")
            run.add(f"<{OCCUPATION}{code}>", BROADER, f"<{OCCUPATION}{parent}>")


def _alternate_titles(run: _Run, tab: Table) -> None:
    n = 0
    written: set[tuple[str, str]] = set()  # a title may repeat, or equal a short title
    for _line, row, o in tab.subjects(run.occupation):
        title = tab.cell(row, "Alternate Title")
        if title and title != "n/a":
            n += 1
        for label in (title, tab.cell(row, "Short Title")):
            if label and label != "n/a" and (o, label) not in written:
                written.add((o, label))
                run.add(o, ALT, lit_en(label))
    tab.finish()
    run.report.counts["alternate titles"] = n


def _tasks(run: _Run, tab: Table) -> None:
    add = run.add
    positions: dict[str, int] = {}
    for line, row, o in tab.subjects(run.occupation):
        task_id, text = tab.cell(row, "Task ID"), tab.cell(row, "Task")
        if not task_id.isdigit():
            tab.reject(line, f"bad Task ID {task_id!r}")
            continue
        if not text:
            tab.reject(line, "empty task statement")
            continue
        d = f"{o[:-1]}/task/{task_id}>"
        position = positions[o] = positions.get(o, 0) + 1
        add(o, T["hasDuty"], d)
        add(d, A, T["Duty"])
        add(d, PREF, lit_en(text))
        add(d, POSITION, typed(str(position), "integer"))
        kind = tab.cell(row, "Task Type").casefold()
        if kind in ("core", "supplemental"):
            add(d, T["dutyType"], lit(kind))
    tab.finish()
    run.report.counts["tasks"] = tab.report.rows - tab.report.rejected


def _content_model(run: _Run, tab: Table) -> None:
    rows = []
    for line, row in tab:
        eid, name = tab.cell(row, "Element ID"), tab.cell(row, "Element Name")
        if not eid or not re.fullmatch(r"[0-9A-Za-z.]+", eid) or not name:
            tab.reject(line, f"bad element {eid!r}")
            continue
        run.elements.add(eid)
        rows.append((eid, name, tab.cell(row, "Description")))
    tab.finish()
    for eid, name, desc in rows:  # once all are read: a parent may come after its child
        e = f"<{ELEMENT}{eid}>"
        run.add(e, A, CONCEPT)
        run.add(e, PREF, lit_en(name))
        run.add(e, NOTATION, lit(eid))
        if desc and desc != "n/a":
            run.add(e, DEF, lit_en(desc))
        parent = eid.rsplit(".", 1)[0]
        if parent != eid and parent in run.elements:
            run.add(e, BROADER, f"<{ELEMENT}{parent}>")
    run.report.counts["content model elements"] = len(run.elements)


def _ratings(run: _Run, tab: Table, *, key: str, cls: str, stype: str) -> None:
    """Skills.txt or Knowledge.txt: the rated elements, and a rating per occupation x element."""
    ratings: dict[tuple[str, str], list[str | None]] = {}
    labels: dict[str, str] = {}
    c_code, c_eid, c_name = tab.col[SOC], tab.col["Element ID"], tab.col["Element Name"]
    c_scale, c_value = tab.col["Scale ID"], tab.col["Data Value"]
    for line, row, _ in tab.subjects(run.occupation):
        scale = row[c_scale].strip()
        if scale not in ("IM", "LV"):
            continue
        value = row[c_value].strip()
        if not DECIMAL.fullmatch(value):
            tab.reject(line, f"Data Value {value!r} is not a number")
            continue
        if not (0.0 <= float(value) <= 7.0):
            tab.reject(line, f"Data Value {value!r} out of range")
            continue
        eid = row[c_eid].strip()
        labels.setdefault(eid, row[c_name].strip())
        slot = ratings.setdefault((row[c_code].strip(), eid), [None, None])
        slot[0 if scale == "IM" else 1] = value
    tab.finish()
    for eid, name in labels.items():
        e = f"<{ELEMENT}{eid}>"
        run.add(e, A, T["Skill"])
        run.add(e, A, cls)
        run.add(e, T["skillType"], lit(stype))
        if eid not in run.elements:
            run.add(e, PREF, lit_en(name))
    for (code, eid), (im, lv) in ratings.items():
        _rating(run, code, eid, im, lv)
    run.report.counts[f"{key} ratings"] = len(ratings)


def _rating(run: _Run, code: str, eid: str, im: str | None, lv: str | None) -> None:
    """One ``ckg:SkillRating``, and the essential or optional skill link its importance gives."""
    add = run.add
    o, e, r = f"<{OCCUPATION}{code}>", f"<{ELEMENT}{eid}>", f"<{OCCUPATION}{code}/rating/{eid}>"
    add(o, T["hasSkillRating"], r)
    add(r, A, T["SkillRating"])
    add(r, T["ratedSkill"], e)
    if im is not None:
        add(r, T["importance"], decimal(im))
        importance = float(im)
        if importance >= ESSENTIAL_IMPORTANCE:
            add(o, T["essentialSkill"], e)
            run.essential += 1
        elif importance >= OPTIONAL_IMPORTANCE:
            add(o, T["optionalSkill"], e)
            run.optional += 1
    if lv is not None:
        add(r, T["level"], decimal(lv))


def _skill_links(run: _Run) -> None:
    """The essential and optional skill links the ratings gave (0 without ratings files)."""
    run.report.counts["essential skill links"] = run.essential
    run.report.counts["optional skill links"] = run.optional


def _technology(run: _Run, tab: Table) -> None:
    add = run.add
    techs: dict[str, tuple[str, str]] = {}
    commodities: dict[str, str] = {}
    uses = 0
    for line, row, o in tab.subjects(run.occupation):
        example, commodity = tab.cell(row, "Example"), tab.cell(row, "Commodity Code")
        if not example:
            tab.reject(line, "empty Example")
            continue
        if not commodity.isdigit():
            tab.reject(line, f"bad Commodity Code {commodity!r}")
            continue
        key = slug(example)
        techs.setdefault(key, (example, commodity))
        commodities.setdefault(commodity, tab.cell(row, "Commodity Title"))
        t, u = f"<{TECHNOLOGY}{key}>", f"{o[:-1]}/technology/{key}>"
        demand = tab.cell(row, "In Demand") == "Y"
        add(o, T["usesTechnology"], t)
        add(o, T["essentialSkill"] if demand else T["optionalSkill"], t)
        add(o, T["hasTechnologyUse"], u)
        add(u, A, T["TechnologyUse"])
        add(u, T["technology"], t)
        for column, prop in (("Hot Technology", T["hotTechnology"]), ("In Demand", T["inDemand"])):
            if tab.has(column):
                add(u, prop, TRUE if tab.cell(row, column) == "Y" else FALSE)
        uses += 1
    tab.finish()
    _technologies(run, techs, commodities)
    run.report.counts["technologies"] = len(techs)
    run.report.counts["technology uses"] = uses


def _technologies(run: _Run, techs: dict[str, tuple[str, str]], commodities: dict[str, str]) -> None:
    """The technologies (by slug: example, commodity code) and their commodities (code: title)."""
    add = run.add
    for key, (example, commodity) in techs.items():
        t = f"<{TECHNOLOGY}{key}>"
        add(t, A, T["Skill"])
        add(t, A, T["Technology"])
        add(t, T["skillType"], lit("technology"))
        add(t, PREF, lit_en(example))
        add(t, BROADER, f"<{COMMODITY}{commodity}>")
    for commodity, title in commodities.items():
        c = f"<{COMMODITY}{commodity}>"
        add(c, A, CONCEPT)
        add(c, PREF, lit_en(title))
        add(c, NOTATION, lit(commodity))


def _related(run: _Run, tab: Table) -> None:
    add = run.add
    links = 0
    linked: set[tuple[str, str]] = set()  # most links are listed from both ends
    for line, row, o in tab.subjects(run.occupation):
        other, rank = tab.cell(row, "Related O*NET-SOC Code"), tab.cell(row, "Index")
        if other not in run.occupations:
            tab.reject(line, f"unknown related O*NET-SOC code {other!r}")
            continue
        if rank and not rank.isdigit():
            tab.reject(line, f"bad Index {rank!r}")
            continue
        t, r = f"<{OCCUPATION}{other}>", f"{o[:-1]}/related/{other}>"
        pair = (o, t) if o < t else (t, o)
        if pair not in linked:
            linked.add(pair)
            add(o, T["relatedCareer"], t)
            add(t, T["relatedCareer"], o)
        add(o, T["hasCareerRelation"], r)
        add(r, A, T["CareerRelation"])
        add(r, T["relationTarget"], t)
        if tier := tab.cell(row, "Relatedness Tier"):
            add(r, T["relatednessTier"], lit(tier))
        if rank:
            add(r, T["relatednessRank"], typed(str(int(rank)), "integer"))
        links += 1
    tab.finish()
    run.report.counts["related-occupation links"] = links


def _job_zones(run: _Run, tab: Table) -> None:
    for line, row, o in tab.subjects(run.occupation):
        zone = tab.cell(row, "Job Zone")
        if zone not in ("1", "2", "3", "4", "5"):
            tab.reject(line, f"bad Job Zone {zone!r}")
            continue
        run.add(o, T["jobZone"], typed(zone, "integer"))
    tab.finish()


@dataclass(frozen=True)
class _File:
    """One O*NET file: how warnings name it, its name, the columns it must and may have, the
    function that reads it, and one that runs after it whether the file is there or not."""

    key: str
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    read: Callable[[_Run, Table], None]
    then: Callable[[_Run], None] | None = None


_RATED = (SOC, "Element ID", "Element Name", "Scale ID", "Data Value")

#: The files in the order they are read (later ones use what earlier ones found).
_FILES = (
    _File("occupations", "Occupation Data.txt", (SOC, "Title"), ("Description",), _occupations),
    _File("alternate", "Alternate Titles.txt", (SOC, "Alternate Title"), ("Short Title",), _alternate_titles),
    _File("tasks", "Task Statements.txt", (SOC, "Task ID", "Task"), ("Task Type",), _tasks),
    _File(
        "content",
        "Content Model Reference.txt",
        ("Element ID", "Element Name"),
        ("Description",),
        _content_model,
    ),
    _File(
        "skills",
        "Skills.txt",
        _RATED,
        (),
        partial(_ratings, key="skills", cls=T["Competence"], stype="competence"),
    ),
    _File(
        "knowledge",
        "Knowledge.txt",
        _RATED,
        (),
        partial(_ratings, key="knowledge", cls=T["Knowledge"], stype="knowledge"),
        then=_skill_links,
    ),
    _File(
        "technology",
        "Technology Skills.txt",
        (SOC, "Example", "Commodity Code", "Commodity Title"),
        ("Hot Technology", "In Demand"),
        _technology,
    ),
    _File(
        "related",
        "Related Occupations.txt",
        (SOC, "Related O*NET-SOC Code"),
        ("Relatedness Tier", "Index"),
        _related,
    ),
    _File("zones", "Job Zones.txt", (SOC, "Job Zone"), (), _job_zones),
)


def source_files(files: SourceFiles) -> list[str]:
    """The files of ``files`` an import reads (as stored)."""
    found = (files.find(name) for name in ("Read Me.txt", *(spec.name for spec in _FILES)))
    return [stored for stored in found if stored is not None]


def convert_onet(files: SourceFiles, out: NTWriter, report: ImportReport, progress: Progress) -> None:
    """Stream every known file of ``files`` into ``out``; fill ``report``."""
    stored = {spec.key: files.find(spec.name) for spec in _FILES}
    if stored["occupations"] is None:
        raise InputError(
            "no 'Occupation Data.txt': is this an O*NET text database (db_XX_X_text)?",
            file=files.path,
        )
    for key, name in stored.items():
        if name is None:
            report.warn(f"{files.path}: no {key} file in this release: skipped")
    reader = TableReader(
        files, report, progress, "O*NET", stored.values(), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    run = _Run(out.add, report)
    for spec in _FILES:
        name = stored[spec.key]
        if name is not None:
            spec.read(run, reader.open(name, spec.required, spec.optional))
        if spec.then is not None:
            spec.then(run)

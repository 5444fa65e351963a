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
from pathlib import Path

from ..data.model import (
    onet_commodity_iri,
    onet_element_iri,
    onet_occupation_iri,
    onet_technology_iri,
)
from ..namespaces import SCHEMA
from .common import (
    ALT,
    BROADER,
    CONCEPT,
    DECIMAL,
    DEF,
    NOTATION,
    PREF,
    A,
    ImportReport,
    NTWriter,
    SourceFiles,
    T,
    Table,
    decimal,
    iri,
    lit,
    lit_en,
    require_records,
    slug,
    typed,
)

__all__ = ["ESSENTIAL_IMPORTANCE", "OPTIONAL_IMPORTANCE", "convert_onet", "onet_version"]

#: O*NET importance (IM, 1-5) from which a skill or knowledge area is an essential skill.
ESSENTIAL_IMPORTANCE = 3.5
#: ... and from which (below the essential threshold) it is an optional skill.
OPTIONAL_IMPORTANCE = 3.0

CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_TAB = {"delimiter": "\t", "quoting": csv.QUOTE_NONE}

# Pre-formatted terms of the hot loops.
POSITION = iri(str(SCHEMA.position))
TRUE, FALSE = typed("true", "boolean"), typed("false", "boolean")


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


def convert_onet(files: SourceFiles, out: NTWriter, report: ImportReport, progress) -> None:
    """Stream every known file of ``files`` into ``out``; fill ``report``."""
    names = {
        "occupations": files.find("Occupation Data.txt"),
        "alternate": files.find("Alternate Titles.txt"),
        "tasks": files.find("Task Statements.txt"),
        "content": files.find("Content Model Reference.txt"),
        "skills": files.find("Skills.txt"),
        "knowledge": files.find("Knowledge.txt"),
        "technology": files.find("Technology Skills.txt"),
        "related": files.find("Related Occupations.txt"),
        "zones": files.find("Job Zones.txt"),
    }
    if names["occupations"] is None:
        from ..errors import InputError

        raise InputError(
            "no 'Occupation Data.txt': is this an O*NET text database (db_XX_X_text)?",
            file=files.path,
        )
    for key, stored in names.items():
        if stored is None:
            report.warn(f"{files.path}: no {key} file in this release: skipped")
    total = sum(files.size(s) for s in names.values() if s)
    task = progress.add_task("O*NET", total=total)

    def on_bytes(n: int) -> None:
        progress.advance(task, n)

    def table(key: str, required: list[str], optional: list[str] = ()) -> Table | None:  # type: ignore[assignment]
        stored = names[key]
        if stored is None:
            return None
        return Table(
            files,
            stored,
            required=required,
            optional=optional,
            on_bytes=on_bytes,
            import_report=report,
            **_TAB,
        ).start()

    add = out.add
    occ_prefix = str(onet_occupation_iri(""))
    occupations: set[str] = set()

    # -- occupations
    tab = table("occupations", ["O*NET-SOC Code", "Title"], ["Description"])
    assert tab is not None
    for line, row in tab:
        code = row[tab.col["O*NET-SOC Code"]].strip()
        title = row[tab.col["Title"]].strip()
        if not CODE.match(code):
            tab.reject(line, f"bad O*NET-SOC code {code!r}")
            continue
        if not title:
            tab.reject(line, "empty title")
            continue
        occupations.add(code)
        o = f"<{occ_prefix}{code}>"
        add(o, A, T["Career"])
        add(o, PREF, lit_en(title))
        add(o, T["onetCode"], lit(code))
        if tab.has("Description"):
            text = row[tab.col["Description"]].strip()
            if text and text != "n/a":
                add(o, DEF, lit_en(text))
    tab.finish()
    require_records(tab, len(occupations), "occupations")
    for code in occupations:
        parent = code[:-2] + "00"
        if not code.endswith(".00") and parent in occupations:
            add(f"<{occ_prefix}{code}>", T["specializationOf"], f"<{occ_prefix}{parent}>")
            add(f"<{occ_prefix}{code}>", BROADER, f"<{occ_prefix}{parent}>")
    report.counts["occupations"] = len(occupations)

    def occupation(tab: Table, line: int, row: list[str]) -> str | None:
        code = row[tab.col["O*NET-SOC Code"]].strip()
        if code not in occupations:
            tab.reject(line, f"unknown O*NET-SOC code {code!r}")
            return None
        return f"<{occ_prefix}{code}>"

    # -- alternate titles
    tab = table("alternate", ["O*NET-SOC Code", "Alternate Title"], ["Short Title"])
    if tab is not None:
        short = tab.col.get("Short Title")
        n = 0
        written: set[tuple[str, str]] = set()  # a title may repeat, or equal a short title
        for line, row in tab:
            o = occupation(tab, line, row)
            if o is None:
                continue
            title = row[tab.col["Alternate Title"]].strip()
            if title and title != "n/a":
                n += 1
                if (o, title) not in written:
                    written.add((o, title))
                    add(o, ALT, lit_en(title))
            if short is not None:
                s = row[short].strip()
                if s and s != "n/a" and (o, s) not in written:
                    written.add((o, s))
                    add(o, ALT, lit_en(s))
        del written
        tab.finish()
        report.counts["alternate titles"] = n

    # -- tasks
    tab = table("tasks", ["O*NET-SOC Code", "Task ID", "Task"], ["Task Type"])
    if tab is not None:
        ttype = tab.col.get("Task Type")
        positions: dict[str, int] = {}
        for line, row in tab:
            o = occupation(tab, line, row)
            if o is None:
                continue
            task_id = row[tab.col["Task ID"]].strip()
            text = row[tab.col["Task"]].strip()
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
            if ttype is not None:
                kind = row[ttype].strip().casefold()
                if kind in ("core", "supplemental"):
                    add(d, T["dutyType"], lit(kind))
        tab.finish()
        report.counts["tasks"] = tab.report.rows - tab.report.rejected

    # -- content model
    element_prefix = str(onet_element_iri(""))
    elements: set[str] = set()
    tab = table("content", ["Element ID", "Element Name"], ["Description"])
    if tab is not None:
        rows = []
        for line, row in tab:
            eid = row[tab.col["Element ID"]].strip()
            name = row[tab.col["Element Name"]].strip()
            if not eid or not re.fullmatch(r"[0-9A-Za-z.]+", eid) or not name:
                tab.reject(line, f"bad element {eid!r}")
                continue
            elements.add(eid)
            desc = row[tab.col["Description"]].strip() if tab.has("Description") else ""
            rows.append((eid, name, desc))
        tab.finish()
        for eid, name, desc in rows:
            e = f"<{element_prefix}{eid}>"
            add(e, A, CONCEPT)
            add(e, PREF, lit_en(name))
            add(e, NOTATION, lit(eid))
            if desc and desc != "n/a":
                add(e, DEF, lit_en(desc))
            parent = eid.rsplit(".", 1)[0]
            if parent != eid and parent in elements:
                add(e, BROADER, f"<{element_prefix}{parent}>")
        report.counts["content model elements"] = len(elements)

    # -- skills and knowledge ratings
    essential = optional = 0
    for key, cls, stype in (
        ("skills", T["Competence"], "competence"),
        ("knowledge", T["Knowledge"], "knowledge"),
    ):
        tab = table(key, ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value"])
        if tab is None:
            continue
        ratings: dict[tuple[str, str], list[str | None]] = {}
        labels: dict[str, str] = {}
        c_code, c_eid, c_name = tab.col["O*NET-SOC Code"], tab.col["Element ID"], tab.col["Element Name"]
        c_scale, c_value = tab.col["Scale ID"], tab.col["Data Value"]
        for line, row in tab:
            o = occupation(tab, line, row)
            if o is None:
                continue
            scale = row[c_scale].strip()
            if scale not in ("IM", "LV"):
                continue
            value = row[c_value].strip()
            if not DECIMAL.fullmatch(value):
                tab.reject(line, f"Data Value {value!r} is not a number")
                continue
            number = float(value)
            if not (0.0 <= number <= 7.0):
                tab.reject(line, f"Data Value {value!r} out of range")
                continue
            eid = row[c_eid].strip()
            labels.setdefault(eid, row[c_name].strip())
            slot = ratings.setdefault((row[c_code].strip(), eid), [None, None])
            slot[0 if scale == "IM" else 1] = value
        tab.finish()
        for eid, name in labels.items():
            e = f"<{element_prefix}{eid}>"
            add(e, A, T["Skill"])
            add(e, A, cls)
            add(e, T["skillType"], lit(stype))
            if eid not in elements:
                add(e, PREF, lit_en(name))
        for (code, eid), (im, lv) in ratings.items():
            o = f"<{occ_prefix}{code}>"
            e = f"<{element_prefix}{eid}>"
            r = f"<{occ_prefix}{code}/rating/{eid}>"
            add(o, T["hasSkillRating"], r)
            add(r, A, T["SkillRating"])
            add(r, T["ratedSkill"], e)
            if im is not None:
                add(r, T["importance"], decimal(im))
                importance = float(im)
                if importance >= ESSENTIAL_IMPORTANCE:
                    add(o, T["essentialSkill"], e)
                    essential += 1
                elif importance >= OPTIONAL_IMPORTANCE:
                    add(o, T["optionalSkill"], e)
                    optional += 1
            if lv is not None:
                add(r, T["level"], decimal(lv))
        report.counts[f"{key} ratings"] = len(ratings)
    report.counts["essential skill links"] = essential
    report.counts["optional skill links"] = optional

    # -- technology skills
    tab = table(
        "technology",
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title"],
        ["Hot Technology", "In Demand"],
    )
    if tab is not None:
        tech_prefix = str(onet_technology_iri(""))
        commodity_prefix = str(onet_commodity_iri(""))
        hot_col, demand_col = tab.col.get("Hot Technology"), tab.col.get("In Demand")
        techs: dict[str, tuple[str, str]] = {}
        commodities: dict[str, str] = {}
        uses = 0
        for line, row in tab:
            o = occupation(tab, line, row)
            if o is None:
                continue
            example = row[tab.col["Example"]].strip()
            commodity = row[tab.col["Commodity Code"]].strip()
            if not example:
                tab.reject(line, "empty Example")
                continue
            if not commodity.isdigit():
                tab.reject(line, f"bad Commodity Code {commodity!r}")
                continue
            key = slug(example)
            techs.setdefault(key, (example, commodity))
            commodities.setdefault(commodity, row[tab.col["Commodity Title"]].strip())
            t = f"<{tech_prefix}{key}>"
            u = f"{o[:-1]}/technology/{key}>"
            hot = hot_col is not None and row[hot_col].strip() == "Y"
            demand = demand_col is not None and row[demand_col].strip() == "Y"
            add(o, T["usesTechnology"], t)
            add(o, T["essentialSkill"] if demand else T["optionalSkill"], t)
            add(o, T["hasTechnologyUse"], u)
            add(u, A, T["TechnologyUse"])
            add(u, T["technology"], t)
            if hot_col is not None:
                add(u, T["hotTechnology"], TRUE if hot else FALSE)
            if demand_col is not None:
                add(u, T["inDemand"], TRUE if demand else FALSE)
            uses += 1
        tab.finish()
        for key, (example, commodity) in techs.items():
            t = f"<{tech_prefix}{key}>"
            add(t, A, T["Skill"])
            add(t, A, T["Technology"])
            add(t, T["skillType"], lit("technology"))
            add(t, PREF, lit_en(example))
            add(t, BROADER, f"<{commodity_prefix}{commodity}>")
        for commodity, title in commodities.items():
            c = f"<{commodity_prefix}{commodity}>"
            add(c, A, CONCEPT)
            add(c, PREF, lit_en(title))
            add(c, NOTATION, lit(commodity))
        report.counts["technologies"] = len(techs)
        report.counts["technology uses"] = uses

    # -- related occupations
    tab = table("related", ["O*NET-SOC Code", "Related O*NET-SOC Code"], ["Relatedness Tier", "Index"])
    if tab is not None:
        tier_col, index_col = tab.col.get("Relatedness Tier"), tab.col.get("Index")
        links = 0
        linked: set[tuple[str, str]] = set()  # most links are listed from both ends
        for line, row in tab:
            o = occupation(tab, line, row)
            if o is None:
                continue
            other = row[tab.col["Related O*NET-SOC Code"]].strip()
            if other not in occupations:
                tab.reject(line, f"unknown related O*NET-SOC code {other!r}")
                continue
            rank = row[index_col].strip() if index_col is not None else ""
            if rank and not rank.isdigit():
                tab.reject(line, f"bad Index {rank!r}")
                continue
            t = f"<{occ_prefix}{other}>"
            r = f"{o[:-1]}/related/{other}>"
            pair = (o, t) if o < t else (t, o)
            if pair not in linked:
                linked.add(pair)
                add(o, T["relatedCareer"], t)
                add(t, T["relatedCareer"], o)
            add(o, T["hasCareerRelation"], r)
            add(r, A, T["CareerRelation"])
            add(r, T["relationTarget"], t)
            if tier_col is not None and row[tier_col].strip():
                add(r, T["relatednessTier"], lit(row[tier_col].strip()))
            if rank:
                add(r, T["relatednessRank"], typed(str(int(rank)), "integer"))
            links += 1
        tab.finish()
        report.counts["related-occupation links"] = links

    # -- job zones
    tab = table("zones", ["O*NET-SOC Code", "Job Zone"])
    if tab is not None:
        for line, row in tab:
            o = occupation(tab, line, row)
            if o is None:
                continue
            zone = row[tab.col["Job Zone"]].strip()
            if zone not in ("1", "2", "3", "4", "5"):
                tab.reject(line, f"bad Job Zone {zone!r}")
                continue
            add(o, T["jobZone"], typed(zone, "integer"))
        tab.finish()

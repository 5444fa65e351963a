"""Tests of the career-page ingester: ``careerkg.pages`` (reading pages, drafting, merging and
writing files) and ``careerkg ingest``. The fixture pages (tests/data/pages/, see its README)
were written for these tests; the real seed page is read from ../shared when it is there."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml

from careerkg.errors import DataError, InputError
from careerkg.pages import (
    COPIED_NOTE,
    KEY_ORDER,
    MAX_HTML_DEPTH,
    Catalogue,
    Draft,
    PageRecord,
    clean_label,
    combine_drafts,
    drafts_from_record,
    load_catalogues,
    merge_text,
    parse_page,
    plan_files,
    read_page,
    render_draft,
    slugify,
    split_titles,
    write_plans,
)
from seed_facts import SEED_DUTIES, SEED_SEE_ALSO, SEED_TYPES

PAGES = Path(__file__).parent / "data" / "pages"
CATALOGUES = PAGES / "catalogues"
WIND_TXT = PAGES / "wind_turbine_technician.txt"
WIND_HTML = PAGES / "wind_turbine_technician.html"
HYDROLOGIST = PAGES / "crlf_hydrologist.txt"
UNUSUAL = PAGES / "unusual_see_also.txt"
NO_TITLE = PAGES / "no_title.txt"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_4141501bf55b52d8.txt"

WIND_DUTIES = [
    "Climbing Safety",
    "Scheduled Maintenance",
    "Fault Diagnosis",
    "Blade Inspection",
    "Component Replacement",
    "Reporting",
]
WIND_TYPES = [
    "Offshore Wind Technician",
    "Blade Repair Technician",
    "Supervisory Control and Data Acquisition (SCADA) Technician",
    "Gearbox and Drivetrain Specialist",
]
WIND_SEE_ALSO = [
    "Technician",
    "Solar Photovoltaic Installer",
    "Wind Energy Engineer",
    "Power Plant Operator",
    "Mining and Geological Engineer",
    "Pulp and Paper Engineer",
    "Electrical and Electronics Repairer",
    "Natural Language Processing Engineer",
    "Digital Remastering Engineer",
    "Director of Photography",
    "Physician Assistant",
    "Hydrologist",
    "Nurse Practitioner",
    "Climatologist",
    "Drone Pilot",
    "Fuel Cell Technician",
]
WIND_ALT = ["Wind Tech", "Windsmith", "Wind Turbine Service Technician"]


@pytest.fixture(scope="module")
def catalogues() -> tuple[Catalogue, Catalogue]:
    return load_catalogues(CATALOGUES)


def read(path: Path, catalogues: tuple[Catalogue, Catalogue]):
    settings, industries = catalogues
    return read_page(path, work_settings=settings, industries=industries)


@pytest.fixture(scope="module")
def wind(catalogues) -> PageRecord:
    record, warnings = read(WIND_TXT, catalogues)
    assert warnings == []
    return record


# -- the plain-text page -------------------------------------------------------------------------


def test_title_and_summary(wind):
    assert wind.title == "Wind Turbine Technician"
    assert wind.title_line == 7
    assert len(wind.summary) == 2
    assert wind.summary[0].startswith("A wind turbine technician installs, inspects and repairs")
    assert wind.summary[1].endswith("travel from one site to the next.")


def test_duties_are_the_bullets_in_order(wind):
    assert [d.label for d in wind.duties] == WIND_DUTIES
    assert wind.duties[2].definition == (
        "Reads alarm logs and uses multimeters and laptops to trace electrical and control faults."
    )
    assert [d.line for d in wind.duties] == list(range(20, 26))


def test_types_are_the_type_bullets(wind):
    assert [t.label for t in wind.types] == WIND_TYPES
    assert wind.types[0].definition.startswith("Works on turbines at sea")


def test_see_also_run_is_split_into_whole_titles(wind):
    assert list(wind.see_also) == WIND_SEE_ALSO


def test_other_names(wind):
    assert list(wind.alt_labels) == WIND_ALT


def test_workplace_text_and_catalogue_matches(wind):
    assert len(wind.workplace) == 2
    assert wind.workplace[0].startswith("Most of the week is field work at wind farms")
    # "site office", "field work", "plant control room"; in catalogue order
    assert wind.work_settings == ("office", "field-site", "power-plant")
    # "utilities" and "renewable energy" in the summary
    assert wind.industries == ("energy", "renewable-energy")


def test_chrome_and_caption_are_ignored(wind):
    placed = " ".join([*wind.summary, *wind.workplace, *wind.intros,
                       *(d.definition for d in wind.duties), *(t.definition for t in wind.types)])
    for chrome in ("career test", "distinct personalities", "Continue reading",
                   "Frequently Asked Questions", "clipped to a safety line", "Degrees"):
        assert chrome not in placed
    assert "Energy Technician" not in " ".join(wind.see_also)


# -- the same page saved as HTML -----------------------------------------------------------------


def test_html_page_gives_the_same_record(wind, catalogues):
    html, warnings = read(WIND_HTML, catalogues)
    assert warnings == []
    assert html.title == wind.title
    assert html.summary == wind.summary
    assert [(d.label, d.definition) for d in html.duties] == [
        (d.label, d.definition) for d in wind.duties
    ]
    assert [(t.label, t.definition) for t in html.types] == [
        (t.label, t.definition) for t in wind.types
    ]
    assert html.see_also == wind.see_also
    assert html.alt_labels == wind.alt_labels
    assert html.workplace == wind.workplace
    assert (html.work_settings, html.industries) == (wind.work_settings, wind.industries)


def test_html_chrome_is_dropped(catalogues):
    html, _ = read(WIND_HTML, catalogues)
    text = json.dumps([html.summary, html.workplace, html.intros, html.see_also,
                       [d.definition for d in html.duties]])
    for chrome in ("Log in", "Privacy", "dataLayer", "enable JavaScript", "Example Careers",
                   "clipped to a safety line", "Start the test"):
        assert chrome not in text
    assert [d.line for d in html.duties] == [52, 54, 56, 58, 60, 62]


def test_html_is_recognized_without_the_suffix(catalogues):
    settings, industries = catalogues
    record, _ = parse_page(WIND_HTML.read_text(encoding="utf-8"), work_settings=settings,
                           industries=industries)
    assert record.title == "Wind Turbine Technician"
    assert len(record.duties) == 6


# -- awkward pages -------------------------------------------------------------------------------


def test_crlf_bom_unicode_bullets_and_missing_sections(catalogues):
    raw = HYDROLOGIST.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw  # the fixture really is CRLF
    record, warnings = read(HYDROLOGIST, catalogues)
    assert record.title == "Hydrologist"
    assert record.summary == (
        "A hydrologist studies how water moves through rivers, soils, aquifers and the air, and "
        "turns those measurements into forecasts that planners can use.",
    )
    assert [d.label for d in record.duties] == [
        "Field Sampling", "Flood Modelling", "Reporting", "Stakeholder Liaison",
        "Data Stewardship", "Instrument Care",
    ]
    assert record.duties[0].definition == (
        "Collects water and sediment samples from streams and wells, logging each one with its "
        "place and time."
    )
    assert record.duties[1].definition.startswith("Builds computer models")
    assert record.types == () and record.workplace == ()
    assert record.see_also == ("Climatologist", "Water Resources Engineer",
                               "Director of Photography", "Environmental Scientist")
    assert record.alt_labels == ("Water Scientist", "Hydrogeologist", "Watershed Analyst")
    assert [(w.line, w.message) for w in warnings] == [
        (20, "section not recognized: 'Salary Outlook'"),
        (21, "text not placed in the draft: "
             "'Pay for hydrologists depends on the employer and the region.'"),
    ]
    assert all(w.file == str(HYDROLOGIST) for w in warnings)


def test_unusual_see_also_run(catalogues):
    record, warnings = read(UNUSUAL, catalogues)
    assert list(record.see_also) == [
        "Engineer", "Foley Artist", "Boom Operator", "Mixing and Mastering Engineer",
        "Research and Development Engineer", "Game Audio Engineer", "Digital Remastering Engineer",
        "Natural Language Processing Engineer", "Acoustic Consultant", "Music Producer",
        "Chief Executive Officer", "Stunt Double",
    ]
    assert [str(w) for w in warnings] == [
        f"{UNUSUAL}:8: see-also title 'Stunt Double' does not end in a known role word; "
        "check how the run was split"
    ]


@pytest.mark.parametrize(
    ("run", "titles", "rest"),
    [
        ("Engineer Aerospace Engineer", ["Engineer", "Aerospace Engineer"], ""),
        ("Mining and Geological Engineer Pulp and Paper Engineer",
         ["Mining and Geological Engineer", "Pulp and Paper Engineer"], ""),
        ("Physician Assistant Hydrologist Nurse Practitioner",
         ["Physician Assistant", "Hydrologist", "Nurse Practitioner"], ""),
        ("Director of Photography Boom Operator", ["Director of Photography", "Boom Operator"], ""),
        ("Industrial Engineering Technician Data Engineer",
         ["Industrial Engineering Technician", "Data Engineer"], ""),
        ("Climatologist Statistician", ["Climatologist", "Statistician"], ""),
        ("Sound Engineer, Composer; Music Producer", ["Sound Engineer", "Composer",
                                                     "Music Producer"], ""),
        ("Software Developer / Software Engineer", ["Software Developer", "Software Engineer"], ""),
        ("Engineer in Training", ["Engineer in Training"], ""),
        ("Stunt Double", [], "Stunt Double"),
    ],
)
def test_split_titles(run, titles, rest):
    assert split_titles(run) == (titles, rest)


def test_see_also_one_title_per_line_is_not_split(catalogues):
    page = "What is a Surveyor?\n\nSee Also\nEngineer in Training\nLand Surveyor\nCartographer\n"
    settings, industries = catalogues
    record, warnings = parse_page(page, work_settings=settings, industries=industries)
    assert record.see_also == ("Engineer in Training", "Land Surveyor", "Cartographer")
    assert warnings == []


def test_page_without_title_is_an_error(catalogues):
    with pytest.raises(InputError, match=r"no_title\.txt: no career title found"):
        read(NO_TITLE, catalogues)


def test_missing_and_binary_files_are_errors(tmp_path, catalogues):
    with pytest.raises(InputError, match=r"nope\.txt: cannot read page: No such file"):
        read(tmp_path / "nope.txt", catalogues)
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(InputError, match=r"photo\.txt: not a text page"):
        read(binary, catalogues)


def test_saved_html_in_its_declared_charset(tmp_path, catalogues):
    page = tmp_path / "cafe.html"
    page.write_bytes(
        '<html><head><meta charset="windows-1252"></head><body><header><h1>What is a Caf\xe9 '
        "Manager?</h1><nav><a>What is a career test?</a> <a>Home</a></nav></header>"
        "<p>Runs a caf\xe9 \u2013 from opening to close.</p></body></html>".encode("cp1252")
    )
    record, warnings = read(page, catalogues)
    assert record.title == "Café Manager"
    assert record.summary == ("Runs a café – from opening to close.",)
    assert warnings == []



def _nested_page(path: Path, depth: int, tag: str = "div") -> Path:
    path.write_text("<html><body><h1>What is a Pilot?</h1>\n" + f"<{tag}>" * depth
                    + "<p>Flies aircraft.</p>" + f"</{tag}>" * depth + "</body></html>",
                    encoding="utf-8")
    return path


@pytest.mark.serial  # asserts a time bound: runs alone
@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("tag", ["div", "span", "nav", "li"])
def test_html_nested_too_deep_is_one_clear_error_at_once(tmp_path, catalogues, depth, tag):
    # 1,000 levels used to end in a RecursionError and 100,000 in a walk that never ended.
    page = _nested_page(tmp_path / "deep.html", depth, tag)
    start = time.monotonic()
    with pytest.raises(InputError) as caught:
        read(page, catalogues)
    assert time.monotonic() - start < 3
    assert str(caught.value) == (
        f"{page}:2: HTML nested deeper than {MAX_HTML_DEPTH} elements; not read"
    )


def test_html_nested_within_the_bound_is_read(tmp_path, catalogues):
    page = _nested_page(tmp_path / "deep.html", MAX_HTML_DEPTH - 3)  # html, body and p too
    record, warnings = read(page, catalogues)
    assert (record.title, record.summary, warnings) == ("Pilot", ("Flies aircraft.",), [])

def test_unknown_text_is_warned_not_dropped(catalogues):
    page = ("Notes from the editors\n\nWhat is a Tide Gauge Technician?\n\nKeeps sea-level sensors "
            "running.\n\nDuties\n  • Calibration: Checks sensors.\n\nA closing remark that "
            "fits nowhere in particular.\n")
    settings, industries = catalogues
    record, warnings = parse_page(page, file="tide.txt", work_settings=settings,
                                  industries=industries)
    assert [d.label for d in record.duties] == ["Calibration"]
    assert [str(w) for w in warnings] == [
        "tide.txt:1: section not recognized: 'Notes from the editors'",
        "tide.txt:10: text not placed in the draft: "
        "'A closing remark that fits nowhere in particular.'",
    ]


def test_catalogue_matching_is_by_whole_words():
    catalogue = Catalogue({"lab": ("Research laboratory", "lab"),
                           "environment": ("Environmental Services",)})
    assert catalogue.find("They collaborate on labels.") == ()
    assert catalogue.find("They share two labs.") == ("lab",)
    assert catalogue.find("a calm work environment") == ()
    assert catalogue.find("in ENVIRONMENTAL SERVICES firms") == ("environment",)


@pytest.mark.parametrize(
    ("label", "ident", "clean", "short"),
    [
        ("Natural Language Processing (NLP) Engineer", "natural-language-processing-engineer",
         "Natural Language Processing Engineer", "NLP Engineer"),
        ("Explainable AI (XAI) Engineer", "explainable-ai-engineer", "Explainable AI Engineer",
         "XAI Engineer"),
        ("Mining and Geological Engineer", "mining-and-geological-engineer",
         "Mining and Geological Engineer", None),
        ("Météo Analyst", "meteo-analyst", "Météo Analyst", None),
    ],
)
def test_ids_and_abbreviations(label, ident, clean, short):
    assert slugify(label) == ident
    assert clean_label(label) == (clean, short)


# -- drafts --------------------------------------------------------------------------------------


def test_drafts_of_a_page(wind):
    drafts = drafts_from_record(wind)
    career = drafts[0]
    assert (career.id, career.kind) == ("wind-turbine-technician", "career")
    assert list(career.data) == ["label", "alt_labels", "definition", "duties", "listed_with",
                                 "industries", "work_settings"]
    assert career.data["alt_labels"] == WIND_ALT
    assert [d["label"] for d in career.data["duties"]] == WIND_DUTIES
    # See Also titles are listed_with: never related, which is a judgement with a reason
    assert career.data["listed_with"][:3] == ["technician", "solar-photovoltaic-installer",
                                              "wind-energy-engineer"]
    assert len(career.data["listed_with"]) == len(WIND_SEE_ALSO)
    assert "related" not in career.data
    types = [d for d in drafts if d.kind == "specialization"]
    assert [d.data["label"] for d in types] == [
        "Offshore Wind Technician", "Blade Repair Technician",
        "Supervisory Control and Data Acquisition Technician", "Gearbox and Drivetrain Specialist",
    ]
    scada = types[2]
    assert scada.id == "supervisory-control-and-data-acquisition-technician"
    assert scada.data["alt_labels"] == ["SCADA Technician"]
    assert scada.data["specialization_of"] == "wind-turbine-technician"
    see_also = [d for d in drafts if d.kind == "see-also"]
    assert [d.data for d in see_also][:2] == [{"label": "Technician"},
                                               {"label": "Solar Photovoltaic Installer"}]


def test_rendered_draft_is_readable_yaml(wind):
    draft = drafts_from_record(wind)[0]
    text = render_draft(draft, path_comment=True)
    assert text.startswith("# data/careers/wind-turbine-technician.yaml\n"
                           f"# draft ingested from {WIND_TXT}\n{COPIED_NOTE}"
                           "label: Wind Turbine Technician\n")
    assert "definition: >-\n" in text and "  - label: Climbing Safety\n" in text
    data = yaml.safe_load(text)
    assert data == draft.data
    assert list(data) == [k for k in KEY_ORDER if k in data]
    assert data["definition"] == "\n".join(wind.summary)


def test_same_id_from_type_and_see_also_is_one_draft():
    record = PageRecord("p.txt", "Machine Learning Engineer",
                        see_also=("Natural Language Processing Engineer",),
                        types=(_item("Natural Language Processing (NLP) Engineer", "Text."),))
    drafts, warnings = combine_drafts(drafts_from_record(record))
    assert warnings == []
    assert [(d.id, d.kind) for d in drafts] == [
        ("machine-learning-engineer", "career"),
        ("natural-language-processing-engineer", "specialization"),
    ]
    assert drafts[1].data["alt_labels"] == ["NLP Engineer"]


def test_two_pages_disagreeing_are_warned():
    a = Draft("x", {"label": "X", "definition": "One."}, ["a.txt"], "career")
    b = Draft("x", {"label": "X", "definition": "Two.", "alt_labels": ["Ex"]}, ["b.txt"],
              "career")
    (merged,), warnings = combine_drafts([a, b])
    assert merged.data == {"label": "X", "alt_labels": ["Ex"], "definition": "One."}
    assert merged.sources == ["a.txt", "b.txt"]
    assert [str(w) for w in warnings] == [
        "b.txt: x: definition differs from the career draft's; kept the career draft's"
    ]


def _item(label: str, definition: str):
    from careerkg.pages import Item

    return Item(label, definition, 1)


# -- writing and merging -------------------------------------------------------------------------

CURATED = """\
# Wind Turbine Technician: curated by hand. Format: docs/data-format.md
label: Wind Turbine Technician
alt_labels: [Wind Tech]   # the short name crews use
definition: >-
  Keeps wind turbines turning: climbs them, finds faults and fixes them.
duties:
  - label: Climbing Safety
    definition: >-
      Our own words about harnesses and rescue plans.
    skills: [working-at-height]
  # more duties below

# related careers, checked by hand
related:
  - electrician   # same trade roots
work_settings: [field-site]
"""


def _plans(wind, out: Path, *, merge: bool):
    drafts, _ = combine_drafts(drafts_from_record(wind))
    return plan_files(drafts, out, merge=merge)


def test_writing_creates_one_file_per_career_type_and_title(wind, tmp_path):
    plans = _plans(wind, tmp_path, merge=False)
    assert {p.action for p in plans} == {"create"}
    written = write_plans(plans)
    careers = tmp_path / "careers"
    assert len(written) == 1 + len(WIND_TYPES) + len(WIND_SEE_ALSO)
    assert sorted(p.name for p in careers.iterdir()) == sorted(p.name for p in written)
    main = yaml.safe_load((careers / "wind-turbine-technician.yaml").read_text())
    assert [d["label"] for d in main["duties"]] == WIND_DUTIES
    assert (careers / "hydrologist.yaml").read_text() == (
        f"# draft ingested from {WIND_TXT}\nlabel: Hydrologist\n"
    )
    assert yaml.safe_load((careers / "blade-repair-technician.yaml").read_text())[
        "specialization_of"] == "wind-turbine-technician"
    # written through a temporary file, but readable like any other file of the data folder
    umask = os.umask(0)
    os.umask(umask)
    assert (careers / "hydrologist.yaml").stat().st_mode & 0o777 == 0o666 & ~umask
    assert not list(careers.glob(".*"))


def test_merge_keeps_curated_values_and_reports_conflicts(wind, tmp_path):
    target = tmp_path / "careers" / "wind-turbine-technician.yaml"
    target.parent.mkdir()
    target.write_text(CURATED)
    (tmp_path / "careers" / "hydrologist.yaml").write_text("label: Hydrologist  # mine\n")
    plans = _plans(wind, tmp_path, merge=True)
    plan = next(p for p in plans if p.path == target)
    assert plan.action == "merge"
    assert plan.added == ["alt_labels +2", "5 duties", "listed_with +16", "industries +2",
                          "work_settings +2"]
    assert [(c.line, c.message) for c in plan.conflicts] == [
        (4, "definition differs from the page's; kept the file's"),
        (7, "duty 'Climbing Safety': definition differs from the page's; kept the file's"),
        *[(6, f"duty {label!r} added without the page's definition: write one in your own "
              "words") for label in WIND_DUTIES[1:]],
    ]
    assert next(p for p in plans if p.path.name == "hydrologist.yaml").action == "exists"
    write_plans(plans)

    text = target.read_text()
    grown = {  # the two flow lists grew in place; every other line is kept, in order
        "alt_labels: [Wind Tech]   # the short name crews use":
            "alt_labels: [Wind Tech, Windsmith, Wind Turbine Service Technician]"
            "   # the short name crews use",
        "work_settings: [field-site]": "work_settings: [field-site, office, power-plant]",
    }
    lines = iter(text.splitlines())
    assert all(grown.get(line, line) in lines for line in CURATED.splitlines())
    data = yaml.safe_load(text)
    assert data["definition"] == (
        "Keeps wind turbines turning: climbs them, finds faults and fixes them."
    )
    assert data["alt_labels"] == WIND_ALT
    assert data["duties"][0] == {"label": "Climbing Safety",
                                 "definition": "Our own words about harnesses and rescue plans.",
                                 "skills": ["working-at-height"]}
    assert [d["label"] for d in data["duties"]] == WIND_DUTIES
    assert data["related"] == ["electrician"]  # the judged list is left alone
    assert len(data["listed_with"]) == 16
    assert data["work_settings"] == ["field-site", "office", "power-plant"]
    assert data["industries"] == ["energy", "renewable-energy"]
    assert list(data) == [k for k in KEY_ORDER if k in data]
    assert (tmp_path / "careers" / "hydrologist.yaml").read_text() == "label: Hydrologist  # mine\n"

    again = next(p for p in _plans(wind, tmp_path, merge=True) if p.path == target)
    assert again.action == "unchanged" and again.added == []


def test_without_merge_an_existing_file_is_not_touched(wind, tmp_path):
    target = tmp_path / "careers" / "wind-turbine-technician.yaml"
    target.parent.mkdir()
    target.write_text(CURATED)
    plans = _plans(wind, tmp_path, merge=False)
    plan = next(p for p in plans if p.path == target)
    assert plan.action == "skip" and "5 duties" in plan.added
    write_plans(plans)
    assert target.read_text() == CURATED


def test_merge_into_multiline_flow_list_keeps_its_layout():
    text = "label: X\nalt_labels: [\n  A, B,\n  C]  # names\nrelated: []\n"
    result = merge_text(text, {"label": "X", "alt_labels": ["D"], "related": ["y", "z"]})
    assert result.text == "label: X\nalt_labels: [\n  A, B,\n  C, D]  # names\nrelated: [y, z]\n"


def test_merge_into_empty_and_comment_only_files():
    assert merge_text("", {"label": "X"}).text == "label: X\n"
    result = merge_text("# draft ingested from p.txt", {"label": "X", "definition": "Does x."})
    assert result.text == "# draft ingested from p.txt\nlabel: X\ndefinition: Does x.\n"
    # a curated file (no draft mark) takes no sentence of a page
    result = merge_text("# only a comment", {"label": "X", "definition": "Does x."})
    assert result.text == "# only a comment\nlabel: X\n"
    assert [c.message for c in result.conflicts] == [
        "definition not added: a curated file takes no sentence of the page's; write one in "
        "your own words"]


def test_merge_puts_new_keys_in_format_order():
    text = "label: X\nduties:\n  - label: A\nwork_settings: [office]\n"
    result = merge_text(text, {"label": "X", "alt_labels": ["Y"], "related": ["z"]})
    assert result.text == ("label: X\nalt_labels: [Y]\nduties:\n  - label: A\nrelated: [z]\n"
                           "work_settings: [office]\n")


def test_broken_target_file_is_reported_and_nothing_written(wind, tmp_path):
    careers = tmp_path / "careers"
    careers.mkdir()
    (careers / "wind-turbine-technician.yaml").write_text("label: [unclosed\n")
    with pytest.raises(DataError, match=r"wind-turbine-technician\.yaml:2: bad YAML"):
        _plans(wind, tmp_path, merge=True)
    assert [p.name for p in careers.iterdir()] == ["wind-turbine-technician.yaml"]


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli():
    try:
        from careerkg.cli import app
    except ImportError as e:  # the rest of the CLI is not there yet
        pytest.skip(f"careerkg.cli does not import: {e}")
    from typer.testing import CliRunner

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, ["ingest", *args, "--data", str(CATALOGUES)],
                             env={"COLUMNS": "200"})

    return run


def test_cli_prints_yaml_drafts(cli):
    result = cli(str(WIND_TXT))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# data/careers/wind-turbine-technician.yaml\n")
    documents = list(yaml.safe_load_all(result.stdout))
    assert [d["label"] for d in documents] == [
        "Wind Turbine Technician", "Offshore Wind Technician", "Blade Repair Technician",
        "Supervisory Control and Data Acquisition Technician", "Gearbox and Drivetrain Specialist",
    ]
    assert "careerkg ingest" in result.stderr
    (row,) = [line for line in result.stderr.splitlines() if "Wind Turbine Technician" in line]
    assert row.split("│")[3:8] == [" 6 ", " 4 ", " 16 ", " 3 ", " 0 "] or [
        cell.strip() for cell in row.split("│")[3:8]] == ["6", "4", "16", "3", "0"]


def test_cli_writes_files_and_then_merges(cli, tmp_path):
    result = cli(str(WIND_TXT), str(HYDROLOGIST), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"created {tmp_path / 'careers' / 'wind-turbine-technician.yaml'}" in result.stderr
    assert f"warning: {HYDROLOGIST}:20: section not recognized" in result.stderr
    hydrologist = yaml.safe_load((tmp_path / "careers" / "hydrologist.yaml").read_text())
    assert hydrologist["label"] == "Hydrologist" and len(hydrologist["duties"]) == 6

    target = tmp_path / "careers" / "wind-turbine-technician.yaml"
    target.write_text(CURATED)
    result = cli(str(WIND_TXT), "-o", str(tmp_path))
    assert result.exit_code == 0
    assert f"not changed (pass --merge to add) {target}" in result.stderr
    assert target.read_text() == CURATED
    result = cli(str(WIND_TXT), "-o", str(tmp_path), "--merge")
    assert result.exit_code == 0
    assert f"merged {target}: alt_labels +2, 5 duties" in result.stderr
    assert f"conflict: {target}:4: definition differs from the page's" in result.stderr
    assert yaml.safe_load(target.read_text())["definition"].startswith("Keeps wind turbines")


def test_cli_dry_run_writes_nothing(cli, tmp_path):
    result = cli(str(WIND_HTML), "-o", str(tmp_path / "out"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would create" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_json(cli):
    result = cli(str(WIND_HTML), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    (page,) = report["pages"]
    assert page["title"] == "Wind Turbine Technician" and page["id"] == "wind-turbine-technician"
    assert [d["label"] for d in page["duties"]] == WIND_DUTIES
    assert page["see_also"] == WIND_SEE_ALSO and page["warnings"] == []
    assert report["drafts"][0]["path"] == "careers/wind-turbine-technician.yaml"


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("missing.txt", "cannot read page: No such file or directory"),
        (str(NO_TITLE), "no career title found"),
    ],
)
def test_cli_bad_page_exits_2_naming_the_file(cli, tmp_path, page, message):
    path = page if "/" in page else str(tmp_path / page)
    result = cli(path, str(WIND_TXT), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {path}: {message}" or (
        result.stderr.startswith(f"error: {path}: {message}")
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()



def test_cli_html_nested_too_deep_exits_2_on_one_line(cli, tmp_path):
    page = _nested_page(tmp_path / "deep.html", 100_000)
    result = cli(str(page), str(WIND_TXT), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {page}:2: HTML nested deeper than {MAX_HTML_DEPTH} elements; not read\n"
    )
    assert not (tmp_path / "out").exists()

def test_cli_help_has_an_example(cli):
    from typer.testing import CliRunner

    from careerkg.cli import app

    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "careerkg ingest page.txt -o data --merge" in result.stdout


# -- the real seed page --------------------------------------------------------------------------



@pytest.fixture(scope="module")
def seed():
    if not SEED.is_file():
        pytest.skip(f"the seed page is not here: {SEED}")
    record, warnings = read_page(SEED)  # the shipped catalogues
    return record, warnings, SEED.read_text(encoding="utf-8")


def test_seed_page(seed):
    record, warnings, _ = seed
    assert record.title == "Machine Learning Engineer"
    assert [d.label for d in record.duties] == SEED_DUTIES
    assert [t.label for t in record.types] == SEED_TYPES
    assert len(SEED_SEE_ALSO) == 77
    assert list(record.see_also) == SEED_SEE_ALSO
    assert "ML Engineer" in record.alt_labels
    assert warnings == []  # nothing lost


def test_seed_page_invents_nothing(seed):
    record, _, text = seed
    flat = " ".join(text.split())
    for item in (*record.duties, *record.types):
        assert item.label in text
        assert f"{item.label}: {item.definition}" in flat
    for paragraph in record.summary:
        assert paragraph in flat
    for title in record.see_also:
        assert title in text
    assert "career test" not in (record.definition or "")
    settings, industries = load_catalogues()  # matched ids are named on the page
    workplace = " ".join(record.workplace).lower()
    for ident in record.work_settings:
        assert any(n.lower() in workplace for n in settings.names[ident])
    described = " ".join([*record.summary, *record.workplace]).lower()
    for ident in record.industries:
        assert any(n.lower() in described for n in industries.names[ident])


def test_seed_drafts(seed):
    record, _, _ = seed
    drafts, _ = combine_drafts(drafts_from_record(record))
    by_id = {d.id: d for d in drafts}
    career = by_id["machine-learning-engineer"]
    assert career.data["alt_labels"] == ["ML Engineer"]
    assert len(career.data["duties"]) == 14
    assert len(career.data["listed_with"]) == 77
    nlp = by_id["natural-language-processing-engineer"]
    assert nlp.kind == "specialization"
    assert nlp.data["alt_labels"] == ["NLP Engineer"]
    assert nlp.data["specialization_of"] == "machine-learning-engineer"
    assert by_id["engineer"].data == {"label": "Engineer"}

"""Career pages in, draft career files out: the ``careerkg ingest`` machinery.

One job a module, in the order a page goes through them:

- :mod:`~careerkg.pages.blocks`: a page file, plain text or saved HTML, into located blocks;
- :mod:`~careerkg.pages.sections`: which block opens which section, and what is page chrome;
- :mod:`~careerkg.pages.labels`: cleaning labels, ids, splitting runs of "See Also" titles;
- :mod:`~careerkg.pages.catalogue`: the work-setting and industry catalogues;
- :mod:`~careerkg.pages.parse`: the blocks of a page into a :class:`PageRecord`;
- :mod:`~careerkg.pages.drafts`: a record into career drafts, and a draft's file text;
- :mod:`~careerkg.pages.merge`: the merge rules (drafts with drafts, drafts into files);
- :mod:`~careerkg.pages.yamlwrite`: dumping YAML, and adding to a YAML file in place;
- :mod:`~careerkg.pages.write`: a plan per file, then atomic writes;
- :mod:`~careerkg.pages.check`: drafts held to the depth rules, and text copied from a page.

Callers import from here:

>>> from careerkg.pages import combine_drafts, drafts_from_record, parse_page
>>> record, _ = parse_page("What is a Pilot?\\n\\nA pilot flies aircraft.")
>>> [d.id for d in combine_drafts(drafts_from_record(record))[0]]
['pilot']
"""

from .blocks import HTML_SUFFIXES, MAX_HTML_DEPTH
from .catalogue import Catalogue, load_catalogue, load_catalogues, match_catalogue
from .drafts import COPIED_NOTE, KEY_ORDER, Draft, drafts_from_record, render_draft
from .labels import ROLE_PREFIXES, ROLE_WORDS, clean_label, slugify, split_titles
from .merge import DRAFT_MARK, MergeResult, combine_drafts, is_curated, merge_data, merge_text
from .parse import Item, PageRecord, Skipped, parse_page, read_page
from .similar import near_duplicate
from .write import FilePlan, plan_files, write_plans
from .yamlwrite import dump_yaml

__all__ = [
    "COPIED_NOTE",
    "DRAFT_MARK",
    "HTML_SUFFIXES",
    "KEY_ORDER",
    "MAX_HTML_DEPTH",
    "ROLE_PREFIXES",
    "ROLE_WORDS",
    "Catalogue",
    "Draft",
    "FilePlan",
    "Item",
    "MergeResult",
    "PageRecord",
    "Skipped",
    "clean_label",
    "combine_drafts",
    "drafts_from_record",
    "dump_yaml",
    "is_curated",
    "load_catalogue",
    "load_catalogues",
    "match_catalogue",
    "merge_data",
    "merge_text",
    "near_duplicate",
    "parse_page",
    "plan_files",
    "read_page",
    "render_draft",
    "slugify",
    "split_titles",
    "write_plans",
]

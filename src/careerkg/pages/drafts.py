"""Drafts of career files made from a parsed page, and the text of a draft file.

A page gives one draft for its career, one per "Types of X" entry (``specialization_of`` the
career) and a minimal ``{label}`` draft per "See Also" title (``listed_with`` the career).
Drafts hold the page's facts only; a draft holding the page's sentences says so in a comment.

>>> from careerkg.pages import Item, PageRecord
>>> record = PageRecord("tide.txt", "Tide Gauge Technician", duties=(Item("Calibration", None, 5),))
>>> [d.id for d in drafts_from_record(record)]
['tide-gauge-technician']
>>> print(render_draft(drafts_from_record(record)[0]), end="")
# draft ingested from tide.txt
label: Tide Gauge Technician
duties:
  - label: Calibration
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .labels import clean_label, slugify, unique
from .parse import PageRecord
from .yamlwrite import dump_yaml

__all__ = ["COPIED_NOTE", "KEY_ORDER", "Draft", "copied_from_page", "drafts_from_record",
           "ordered", "render_draft"]

#: The order of the keys of a career file (docs/data-format.md).
KEY_ORDER: tuple[str, ...] = (
    "label", "alt_labels", "definition", "specialization_of", "onet", "onet_match", "esco",
    "esco_match", "isco", "skills", "duties", "related", "listed_with", "collaborates_with",
    "industries", "work_settings",
)


@dataclass
class Draft:
    """A draft career file: its id, its data (keys in :data:`KEY_ORDER`) and where it came from.

    ``kind`` is ``career`` (the page's own career), ``specialization`` (a "Types of X" entry)
    or ``see-also`` (a title named under "See Also").
    """

    id: str
    data: dict[str, Any]
    sources: list[str]
    kind: str = "career"

    @property
    def relpath(self) -> str:
        """The file of this draft inside a data folder.

        >>> Draft("data-engineer", {"label": "Data Engineer"}, ["p.txt"]).relpath
        'careers/data-engineer.yaml'
        """
        return f"careers/{self.id}.yaml"


def ordered(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with its keys in :data:`KEY_ORDER` (others after them) and no empty values.

    >>> ordered({"related": [], "definition": "Does x.", "label": "X", "extra": 1})
    {'label': 'X', 'definition': 'Does x.', 'extra': 1}
    """
    known = {k: data[k] for k in KEY_ORDER if k in data and data[k] not in (None, [], "")}
    known.update({k: v for k, v in data.items() if k not in KEY_ORDER})
    return known


def drafts_from_record(record: PageRecord) -> list[Draft]:
    """The drafts a parsed page gives: its career, its types, its "See Also" titles.

    >>> from careerkg.pages import Item
    >>> record = PageRecord("p.txt", "Data Engineer", see_also=("Big Data Engineer",),
    ...                     types=(Item("Streaming (RT) Engineer", "Builds pipelines.", 9),))
    >>> [(d.id, d.kind) for d in drafts_from_record(record)]
    [('data-engineer', 'career'), ('streaming-engineer', 'specialization'), \
('big-data-engineer', 'see-also')]
    """
    source = record.file
    label, short = clean_label(record.title)
    career_id = slugify(label)
    # "See Also" titles are only listed beside the career: listed_with, never related (a
    # related career is a judgement, with a reason, that a person makes).
    listed = unique((slugify(clean_label(t)[0]) for t in record.see_also), skip=[career_id],
                    fold=False)
    data = ordered({
        "label": label,
        "alt_labels": unique([short or "", *record.alt_labels], skip=[label]),
        "definition": record.definition,
        "duties": [ordered({"label": d.label, "definition": d.definition})
                   for d in record.duties],
        "listed_with": listed,
        "industries": list(record.industries),
        "work_settings": list(record.work_settings),
    })
    drafts = [Draft(career_id, data, [source], "career")]
    for item in record.types:
        type_label, type_short = clean_label(item.label)
        type_id = slugify(type_label)
        if type_id == career_id:
            continue
        drafts.append(Draft(type_id, ordered({
            "label": type_label,
            "alt_labels": [type_short] if type_short else [],
            "definition": item.definition,
            "specialization_of": career_id,
        }), [source], "specialization"))
    for title in record.see_also:
        title_label, _ = clean_label(title)
        title_id = slugify(title_label)
        if title_id != career_id:
            drafts.append(Draft(title_id, {"label": title_label}, [source], "see-also"))
    return drafts


def render_draft(draft: Draft, *, path_comment: bool = False) -> str:
    """The text of a draft file, with its ``# draft ingested from`` comment.

    >>> print(render_draft(Draft("x", {"label": "X"}, ["p.txt"]), path_comment=True), end="")
    # data/careers/x.yaml
    # draft ingested from p.txt
    label: X
    """
    head = f"# data/{draft.relpath}\n" if path_comment else ""
    head += f"# draft ingested from {', '.join(draft.sources)}\n"
    if copied_from_page(draft.data):
        head += COPIED_NOTE
    return head + dump_yaml(ordered(draft.data))


#: The line a draft carries when it holds sentences of its page (``careerkg validate --drafts``
#: finds them again): they must be rewritten before the file joins ``data/``.
COPIED_NOTE = ("# COPIED FROM THE PAGE: the definitions below are the page's own words; rewrite "
               "them in yours before this file joins data/\n")


def copied_from_page(data: Mapping[str, Any]) -> bool:
    """Whether draft data holds page sentences: a definition, or a duty's definition.

    >>> copied_from_page({"label": "X"}), copied_from_page({"definition": "Does x."})
    (False, True)
    """
    duties = data.get("duties") or []
    return bool(data.get("definition")) or any(
        isinstance(d, Mapping) and d.get("definition") for d in duties)

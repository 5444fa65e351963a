"""The merge rules: what a draft adds to existing data, and where the two disagree.

Merging never overwrites a curated edit: existing data only ever gains what is new (duties by
label, alternative names, related ids, ...), and every value that differs is kept and reported
as a conflict. :func:`merge_data` applies the rules to data, :func:`combine_drafts` to drafts
that share an id, and :func:`merge_text` to the text of a career file, through the
comment-keeping editor of :mod:`careerkg.pages.yamlwrite`.

>>> merge_data({"label": "X", "alt_labels": ["A"]}, {"label": "X", "alt_labels": ["a", "B"]})
({'alt_labels': ['B']}, [])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..data.yamlio import LineDict, LineList, load_yaml_text
from ..errors import InputError, Problem
from .drafts import KEY_ORDER, Draft, ordered
from .labels import unique
from .similar import closest, near_duplicate
from .yamlwrite import insert_into_mapping

__all__ = ["DRAFT_MARK", "MergeResult", "combine_drafts", "is_curated", "merge_data",
           "merge_text"]

_LIST_KEYS = frozenset({"alt_labels", "related", "listed_with", "collaborates_with",
                        "industries", "work_settings"})
#: The mark of a file written by ``careerkg ingest``: any other file is curated by a person.
DRAFT_MARK = "# draft ingested from"
_SCALAR_KEYS = frozenset({"label", "definition", "specialization_of"})
_KIND_RANK = {"career": 0, "specialization": 1, "see-also": 2}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


def _ident(value: Any) -> str:
    """The id of a list entry: a plain id, or the ``career`` of a ``{career, reason}`` entry."""
    if isinstance(value, Mapping):
        return str(value.get("career", ""))
    return str(value)


def is_curated(text: str) -> bool:
    """Whether the text of a career file is curated (not a draft written by ingest).

    >>> is_curated("label: X\\n"), is_curated("# draft ingested from p.txt\\nlabel: X\\n")
    (True, False)
    """
    return DRAFT_MARK not in text


def _line(container: Any, key: Any) -> int:
    if isinstance(container, LineDict | LineList):
        return container.line_of(key)
    return 0


def merge_data(
    existing: Mapping[str, Any],
    new: Mapping[str, Any],
    file: str = "",
    *,
    theirs: str = "the page's",
    kept: str = "the file's",
    curated: bool = False,
) -> tuple[dict[str, Any], list[Problem]]:
    """What ``new`` adds to ``existing``, and where the two disagree.

    Returns the additions (key to the new value for a missing scalar, or to the list of new
    items) and the conflicts; ``existing`` wins every conflict and is never changed. A duty or
    an alternative name that is a near-duplicate of one the file has
    (:func:`~careerkg.pages.similar.near_duplicate`) is reported, not added. When ``curated``,
    no sentence of ``new`` goes into the file: its definition is not added, and new duties
    come without their definitions (both are reported).

    >>> merge_data({"label": "X", "alt_labels": ["A"]}, {"label": "X", "alt_labels": ["a", "B"],
    ...            "definition": "New."})
    ({'alt_labels': ['B'], 'definition': 'New.'}, [])
    >>> _, conflicts = merge_data({"label": "X", "definition": "Mine."}, {"definition": "Page."},
    ...                           "x.yaml")
    >>> print(conflicts[0])
    x.yaml: definition differs from the page's; kept the file's
    """
    additions: dict[str, Any] = {}
    conflicts: list[Problem] = []

    def conflict(line: int, message: str) -> None:
        conflicts.append(Problem(file, line, message))

    for key in KEY_ORDER:
        if key not in new or new[key] in (None, [], ""):
            continue
        value = new[key]
        old = existing.get(key)
        line = _line(existing, key)
        if curated and key == "definition":
            if old in (None, [], ""):
                conflict(line, f"definition not added: a curated file takes no sentence of "
                         f"{theirs}; write one in your own words")
            elif not _same(old, value):
                conflict(line, f"definition differs from {theirs}; kept {kept}")
            continue
        if old in (None, [], ""):
            if key not in ("duties", "alt_labels"):
                additions[key] = value
                continue
            old = []  # checked item by item: near-duplicates, curated definitions
        if key in _SCALAR_KEYS:
            if not _same(old, value):
                what = f"{key} {old!r} differs from {theirs} {value!r}" if key != "definition" \
                    else f"definition differs from {theirs}"
                conflict(line, f"{what}; kept {kept}")
        elif key in _LIST_KEYS:
            if not isinstance(old, list):
                conflict(line, f"{key} is not a list; not changed")
                continue
            skip = [_ident(v) for v in old]
            fold = key == "alt_labels"
            if fold and isinstance(existing.get("label"), str):
                skip.append(existing["label"])
            fresh = unique(value, skip=skip, fold=fold)
            if fold:
                names = list(skip)
                kept_names = []
                for name in fresh:
                    twin = next((n for n in names if near_duplicate(name, n, strict=True)), None)
                    if twin is not None:
                        conflict(line, f"alt name {name!r} is a near-duplicate of {twin!r}; "
                                 "not added")
                        continue
                    kept_names.append(name)
                    names.append(name)
                fresh = kept_names
            if fresh:
                additions[key] = fresh
        elif key == "duties":
            if not isinstance(old, list):
                conflict(line, "duties is not a list; not changed")
                continue
            by_label = {str(d.get("label", "")).casefold(): (i, d) for i, d in enumerate(old)
                        if isinstance(d, dict)}
            labels = {str(d.get("label", "")): i for i, d in enumerate(old) if isinstance(d, dict)}
            fresh = []
            for duty in value:
                found = by_label.get(duty["label"].casefold())
                if found is None:
                    twin = closest(duty["label"], [*labels, *(d["label"] for d in fresh)])
                    if twin is not None:
                        where = _line(old, labels[twin]) if twin in labels else line
                        conflict(where, f"duty {duty['label']!r} is a near-duplicate of "
                                 f"{twin!r}; not added")
                        continue
                    if curated and duty.get("definition"):
                        conflict(line, f"duty {duty['label']!r} added without {theirs} "
                                 "definition: write one in your own words")
                        duty = {k: v for k, v in duty.items() if k != "definition"}
                    fresh.append(duty)
                    continue
                i, mine = found
                page = duty.get("definition")
                if page and not mine.get("definition"):
                    conflict(_line(old, i), f"duty {duty['label']!r} has no definition, "
                             f"{theirs} has one; not added")
                elif page and not _same(mine.get("definition"), page):
                    conflict(_line(old, i), f"duty {duty['label']!r}: definition differs from "
                             f"{theirs}; kept {kept}")
            if fresh:
                additions["duties"] = fresh
    return additions, conflicts


def _apply(data: Mapping[str, Any], additions: Mapping[str, Any]) -> dict[str, Any]:
    merged = {k: (list(v) if isinstance(v, list) else v) for k, v in data.items()}
    for key, value in additions.items():
        if isinstance(merged.get(key), list):
            merged[key] = merged[key] + list(value)
        else:
            merged[key] = value
    return merged


def combine_drafts(drafts: Iterable[Draft]) -> tuple[list[Draft], list[Problem]]:
    """Merge drafts that share an id (a type also named under "See Also", two pages...).

    The page's own career wins over a specialization, which wins over a "See Also" title;
    among equals the first wins. Disagreements are returned as warnings.

    >>> a = Draft("x", {"label": "X"}, ["b.txt"], "see-also")
    >>> b = Draft("x", {"label": "X", "definition": "Does x."}, ["a.txt"], "specialization")
    >>> merged, _ = combine_drafts([a, b])
    >>> merged[0].kind, merged[0].data, merged[0].sources
    ('specialization', {'label': 'X', 'definition': 'Does x.'}, ['a.txt', 'b.txt'])
    """
    groups: dict[str, list[Draft]] = {}
    for draft in drafts:
        groups.setdefault(draft.id, []).append(draft)
    combined: list[Draft] = []
    warnings: list[Problem] = []
    for ident, group in groups.items():
        ranked = sorted(group, key=lambda d: _KIND_RANK.get(d.kind, 9))
        base = ranked[0]
        data = dict(base.data)
        sources = list(base.sources)
        for other in ranked[1:]:
            additions, conflicts = merge_data(
                data, other.data, ", ".join(other.sources),
                theirs=f"the {other.kind} draft's", kept=f"the {base.kind} draft's",
            )
            data = ordered(_apply(data, additions))
            warnings += [Problem(c.file, c.line, f"{ident}: {c.message}") for c in conflicts]
            sources += [s for s in other.sources if s not in sources]
        combined.append(Draft(ident, data, sources, base.kind))
    return combined, warnings


@dataclass
class MergeResult:
    """The merged text of a file, what was added (readable) and the conflicts."""

    text: str
    added: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


def _describe(key: str, value: Any) -> str:
    if key == "duties":
        return f"{len(value)} duties" if len(value) != 1 else "1 duty"
    if isinstance(value, list):
        return f"{key} +{len(value)}"
    return key


def merge_text(text: str, new: Mapping[str, Any], file: str = "") -> MergeResult:
    """Add to the YAML ``text`` of a career file what ``new`` has and it lacks.

    Nothing is removed or rewritten: new keys and list items are inserted as text, so comments
    and layout stay. Raises :class:`~careerkg.errors.InputError` when ``text`` is not a YAML
    mapping, or when the additions could not be made without rewriting it. A file without the
    ``# draft ingested from`` mark is curated: it takes no sentence of the page
    (:func:`merge_data` with ``curated=True``).

    >>> before = "# draft ingested from p.txt\\nlabel: X\\nalt_labels: [A]\\n"
    >>> result = merge_text(before, {"label": "X", "alt_labels": ["B"], "definition": "Does x."})
    >>> print(result.text, end="")
    # draft ingested from p.txt
    label: X
    alt_labels: [A, B]
    definition: Does x.
    >>> result.added
    ['alt_labels +1', 'definition']
    >>> merge_text("label: X  # curated\\n", {"label": "X", "definition": "Does x."}).text
    'label: X  # curated\\n'
    """
    document = load_yaml_text(text, file)
    if document.problems:
        first = document.problems[0]
        raise InputError(first.message, file=first.file, line=first.line)
    existing = document.value if document.value is not None else LineDict()
    if not isinstance(existing, dict):
        raise InputError("a career file must be a YAML mapping", file=file, line=1)
    additions, conflicts = merge_data(existing, new, file, curated=is_curated(text))
    if not additions:
        return MergeResult(text, [], conflicts)

    new_text, inserted, not_added = insert_into_mapping(text, additions, order=KEY_ORDER,
                                                        file=file)
    expected = _apply(yaml.safe_load(text) or {}, additions)
    if yaml.safe_load(new_text) != expected:
        raise InputError("could not add to this file without rewriting it; left unchanged",
                         file=file)
    return MergeResult(new_text, [_describe(k, additions[k]) for k in inserted],
                       conflicts + not_added)

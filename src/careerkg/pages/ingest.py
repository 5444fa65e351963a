"""Turn parsed career pages into draft data files, and write or merge them into a data folder.

A page gives one draft for its career, one per "Types of X" entry (``specialization_of`` the
career) and a minimal ``{label}`` draft per "See Also" title. Drafts hold the page's facts only.
Writing never overwrites a curated edit: an existing file only ever gains what is new (duties by
label, alternative names, related ids, ...), inserted as text so its comments and layout stay;
every value that differs from the page is kept and reported as a conflict.

>>> from careerkg.pages.parse import PageRecord, Item
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

import logging
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..data.yamlio import LineDict, LineList, load_yaml_text
from ..errors import DataError, InputError, Problem
from .parse import PageRecord, clean_label, slugify

__all__ = [
    "KEY_ORDER",
    "Draft",
    "FilePlan",
    "MergeResult",
    "combine_drafts",
    "drafts_from_record",
    "dump_yaml",
    "merge_data",
    "merge_text",
    "plan_files",
    "render_draft",
    "write_plans",
]

logger = logging.getLogger(__name__)

#: The order of the keys of a career file (docs/data-format.md).
KEY_ORDER: tuple[str, ...] = (
    "label", "alt_labels", "definition", "specialization_of", "onet", "onet_match", "esco",
    "esco_match", "isco", "skills", "duties", "related", "collaborates_with", "industries",
    "work_settings",
)
_LIST_KEYS = frozenset({"alt_labels", "related", "collaborates_with", "industries",
                        "work_settings"})
_SCALAR_KEYS = frozenset({"label", "definition", "specialization_of"})
_KIND_RANK = {"career": 0, "specialization": 1, "see-also": 2}
_FOLD_AT = 60
_WIDTH = 80


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


def _ordered(data: Mapping[str, Any]) -> dict[str, Any]:
    known = {k: data[k] for k in KEY_ORDER if k in data and data[k] not in (None, [], "")}
    known.update({k: v for k, v in data.items() if k not in KEY_ORDER})
    return known


def _unique(values: Iterable[str], *, skip: Iterable[str] = (), fold: bool = True) -> list[str]:
    seen = {(s.casefold() if fold else s) for s in skip}
    kept = []
    for value in values:
        key = value.casefold() if fold else value
        if value and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def drafts_from_record(record: PageRecord) -> list[Draft]:
    """The drafts a parsed page gives: its career, its types, its "See Also" titles.

    >>> from careerkg.pages.parse import PageRecord, Item
    >>> record = PageRecord("p.txt", "Data Engineer", see_also=("Big Data Engineer",),
    ...                     types=(Item("Streaming (RT) Engineer", "Builds pipelines.", 9),))
    >>> [(d.id, d.kind) for d in drafts_from_record(record)]
    [('data-engineer', 'career'), ('streaming-engineer', 'specialization'), \
('big-data-engineer', 'see-also')]
    """
    source = record.file
    label, short = clean_label(record.title)
    career_id = slugify(label)
    related = _unique((slugify(clean_label(t)[0]) for t in record.see_also), skip=[career_id],
                      fold=False)
    data = _ordered({
        "label": label,
        "alt_labels": _unique([short or "", *record.alt_labels], skip=[label]),
        "definition": record.definition,
        "duties": [_ordered({"label": d.label, "definition": d.definition})
                   for d in record.duties],
        "related": related,
        "industries": list(record.industries),
        "work_settings": list(record.work_settings),
    })
    drafts = [Draft(career_id, data, [source], "career")]
    for item in record.types:
        type_label, type_short = clean_label(item.label)
        type_id = slugify(type_label)
        if type_id == career_id:
            continue
        drafts.append(Draft(type_id, _ordered({
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


# -- merging -------------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


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
) -> tuple[dict[str, Any], list[Problem]]:
    """What ``new`` adds to ``existing``, and where the two disagree.

    Returns the additions (key to the new value for a missing scalar, or to the list of new
    items) and the conflicts; ``existing`` wins every conflict and is never changed.

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
        if old in (None, [], ""):
            additions[key] = value
        elif key in _SCALAR_KEYS:
            if not _same(old, value):
                what = f"{key} {old!r} differs from {theirs} {value!r}" if key != "definition" \
                    else f"definition differs from {theirs}"
                conflict(line, f"{what}; kept {kept}")
        elif key in _LIST_KEYS:
            if not isinstance(old, list):
                conflict(line, f"{key} is not a list; not changed")
                continue
            skip = [str(v) for v in old]
            fold = key == "alt_labels"
            if fold and isinstance(existing.get("label"), str):
                skip.append(existing["label"])
            fresh = _unique(value, skip=skip, fold=fold)
            if fresh:
                additions[key] = fresh
        elif key == "duties":
            if not isinstance(old, list):
                conflict(line, "duties is not a list; not changed")
                continue
            by_label = {str(d.get("label", "")).casefold(): (i, d) for i, d in enumerate(old)
                        if isinstance(d, dict)}
            fresh = []
            for duty in value:
                found = by_label.get(duty["label"].casefold())
                if found is None:
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
            data = _ordered(_apply(data, additions))
            warnings += [Problem(c.file, c.line, f"{ident}: {c.message}") for c in conflicts]
            sources += [s for s in other.sources if s not in sources]
        combined.append(Draft(ident, data, sources, base.kind))
    return combined, warnings


def _apply(data: Mapping[str, Any], additions: Mapping[str, Any]) -> dict[str, Any]:
    merged = {k: (list(v) if isinstance(v, list) else v) for k, v in data.items()}
    for key, value in additions.items():
        if isinstance(merged.get(key), list):
            merged[key] = merged[key] + list(value)
        else:
            merged[key] = value
    return merged


# -- YAML out ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists, ``>-`` for long text, flow style for short id lists."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if "\n" in value or len(value) > _FOLD_AT else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    flow = all(isinstance(v, str) for v in value) and len(", ".join(value)) <= _FOLD_AT
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: Any) -> str:
    """YAML text of ``data`` as careerkg writes it: readable, keys in the order given.

    >>> print(dump_yaml({"label": "Data Engineer", "related": ["data-scientist"]}), end="")
    label: Data Engineer
    related: [data-scientist]
    """
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH)


def render_draft(draft: Draft, *, path_comment: bool = False) -> str:
    """The text of a draft file, with its ``# draft ingested from`` comment.

    >>> print(render_draft(Draft("x", {"label": "X"}, ["p.txt"]), path_comment=True), end="")
    # data/careers/x.yaml
    # draft ingested from p.txt
    label: X
    """
    head = f"# data/{draft.relpath}\n" if path_comment else ""
    head += f"# draft ingested from {', '.join(draft.sources)}\n"
    return head + dump_yaml(_ordered(draft.data))


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


def _last_line(node: yaml.Node, lines: Sequence[str]) -> int:
    """The last line (0-based) holding text of ``node``, past no trailing comment or blank."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        line = end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
        while line > node.start_mark.line and not lines[line].strip():
            line -= 1
        return line
    if node.flow_style:
        return node.end_mark.line
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        for k, v in node.value:
            children += [k, v]
    return max((_last_line(c, lines) for c in children), default=node.start_mark.line)


def _dash_column(seq: yaml.SequenceNode, lines: Sequence[str]) -> int:
    first = seq.value[0]
    before = lines[first.start_mark.line][: first.start_mark.column].rstrip()
    if before.endswith("-"):
        return len(before) - 1
    return seq.start_mark.column


def _flow_item(value: Any) -> str:
    text = yaml.dump([value], Dumper=yaml.SafeDumper, default_flow_style=True,
                     allow_unicode=True, width=10**6).strip()
    return text[1:-1]


def merge_text(text: str, new: Mapping[str, Any], file: str = "") -> MergeResult:
    """Add to the YAML ``text`` of a career file what ``new`` has and it lacks.

    Nothing is removed or rewritten: new keys and list items are inserted as text, so comments
    and layout stay. Raises :class:`~careerkg.errors.InputError` when ``text`` is not a YAML
    mapping.

    >>> before = "label: X  # curated\\nalt_labels: [A]\\n"
    >>> result = merge_text(before, {"label": "X", "alt_labels": ["B"], "definition": "Does x."})
    >>> print(result.text, end="")
    label: X  # curated
    alt_labels: [A, B]
    definition: Does x.
    >>> result.added
    ['alt_labels +1', 'definition']
    """
    document = load_yaml_text(text, file)
    if document.problems:
        first = document.problems[0]
        raise InputError(first.message, file=first.file, line=first.line)
    existing = document.value if document.value is not None else LineDict()
    if not isinstance(existing, dict):
        raise InputError("a career file must be a YAML mapping", file=file, line=1)
    additions, conflicts = merge_data(existing, new, file)
    if not additions:
        return MergeResult(text, [], conflicts)

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    pairs: list[tuple[yaml.Node, yaml.Node]] = list(root.value) if root is not None else []
    keys = {k.value: (k, v) for k, v in pairs if isinstance(k, yaml.ScalarNode)}
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def line_start(n: int) -> int:
        return min(starts[n], len(text)) if n < len(starts) else len(text)

    edits: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def edit(start: int, end: int, order: int, replacement: str) -> None:
        edits.setdefault((start, end), []).append((order, replacement))

    added: list[str] = []
    for key, value in additions.items():
        order = KEY_ORDER.index(key)
        block = dump_yaml({key: value})
        if key not in keys:
            before = [keys[k] for k in KEY_ORDER[:order] if k in keys]
            if before:
                anchor = max(before, key=lambda kv: _last_line(kv[1], lines))
                at = line_start(_last_line(anchor[1], lines) + 1)
            elif pairs:
                at = line_start(pairs[0][0].start_mark.line)
            else:
                at = len(text)
            edit(at, at, order, block)
        else:
            key_node, node = keys[key]
            if isinstance(node, yaml.ScalarNode):  # "key:" with no value
                edit(key_node.start_mark.index, node.end_mark.index, order, block.rstrip("\n"))
            elif isinstance(node, yaml.SequenceNode) and node.flow_style:
                if key == "duties":
                    conflicts.append(Problem(file, key_node.start_mark.line + 1,
                                             "duties is written in flow style; new duties "
                                             "not added"))
                    continue
                items = ", ".join(_flow_item(v) for v in value)
                if node.value:  # after the last item, so the list keeps its layout
                    at = node.value[-1].end_mark.index
                    edit(at, at, order, ", " + items)
                else:
                    at = node.start_mark.index + 1
                    edit(at, at, order, items)
            elif isinstance(node, yaml.SequenceNode) and node.value:
                pad = " " * _dash_column(node, lines)
                rendered = "".join(pad + ln if ln else ln
                                   for ln in dump_yaml(list(value)).splitlines(keepends=True))
                at = line_start(_last_line(node, lines) + 1)
                edit(at, at, order, rendered)
            else:
                continue
        added.append(_describe(key, value))

    new_text = text
    for (start, end), parts in sorted(edits.items(), reverse=True):
        replacement = "".join(p for _, p in sorted(parts))
        if start == end and start == len(new_text) and new_text and not new_text.endswith("\n"):
            replacement = "\n" + replacement
        new_text = new_text[:start] + replacement + new_text[end:]

    expected = _apply(yaml.safe_load(text) or {}, additions)
    if yaml.safe_load(new_text) != expected:
        raise InputError("could not add to this file without rewriting it; left unchanged",
                         file=file)
    return MergeResult(new_text, added, conflicts)


# -- files ---------------------------------------------------------------------------------------


@dataclass
class FilePlan:
    """What writing one draft does to its file.

    ``action`` is ``create`` (new file), ``merge`` (new facts added to an existing file),
    ``unchanged`` (the file already has everything), ``skip`` (an existing file that would gain
    something, written only with ``merge=True``) or ``exists`` (a "See Also" title whose file
    exists: left alone).
    """

    path: Path
    draft: Draft
    action: str
    text: str | None = None
    added: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


def plan_files(drafts: Iterable[Draft], out_dir: Path, *, merge: bool = False) -> list[FilePlan]:
    """Decide, for every draft, what to write under ``out_dir/careers``; writes nothing.

    Every existing file that cannot be read or merged is reported at once in a
    :class:`~careerkg.errors.DataError`.
    """
    plans: list[FilePlan] = []
    problems: list[Problem] = []
    for draft in drafts:
        path = out_dir / draft.relpath
        if not path.exists():
            plans.append(FilePlan(path, draft, "create", render_draft(draft)))
            continue
        if draft.kind == "see-also":
            plans.append(FilePlan(path, draft, "exists"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
            result = merge_text(text, draft.data, str(path))
        except InputError as e:
            problems.append(Problem(e.file or str(path), e.line, e.reason))
            continue
        except (OSError, UnicodeDecodeError) as e:
            problems.append(Problem(str(path), 0, f"cannot read: {e}"))
            continue
        if not result.added:
            plans.append(FilePlan(path, draft, "unchanged", None, [], result.conflicts))
        else:
            action = "merge" if merge else "skip"
            plans.append(FilePlan(path, draft, action, result.text, result.added,
                                  result.conflicts))
    if problems:
        raise DataError(problems)
    return plans


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_plans(plans: Iterable[FilePlan]) -> list[Path]:
    """Write the files whose action is ``create`` or ``merge``; returns their paths."""
    written = []
    for plan in plans:
        if plan.action in ("create", "merge") and plan.text is not None:
            _write_atomic(plan.path, plan.text)
            logger.info("%s %s", "created" if plan.action == "create" else "merged", plan.path)
            written.append(plan.path)
    return written

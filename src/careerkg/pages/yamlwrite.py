"""YAML text out: dumping data as careerkg writes it, and adding to a YAML file in place.

:func:`dump_yaml` writes new files. :func:`insert_into_mapping` adds keys and list items to the
text of an existing YAML mapping without rewriting it, so its comments and layout stay. What
to add is decided elsewhere (:mod:`careerkg.pages.merge`); this module only edits text.

>>> print(dump_yaml({"label": "Data Engineer", "related": ["data-scientist"]}), end="")
label: Data Engineer
related: [data-scientist]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from ..errors import Problem

__all__ = ["dump_yaml", "insert_into_mapping"]

_FOLD_AT = 60
_WIDTH = 80


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

    >>> print(dump_yaml({"definition": "Builds pipelines.", "alt_labels": ["DE"]}), end="")
    definition: Builds pipelines.
    alt_labels: [DE]
    """
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH)


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


def insert_into_mapping(
    text: str, additions: Mapping[str, Any], *, order: Sequence[str], file: str = ""
) -> tuple[str, list[str], list[Problem]]:
    """Add ``additions`` (key to a new value, or to the items a list gains) to the YAML mapping
    ``text``, inserted as text; returns the new text, the keys added and what was not added.

    A new key goes after the last key before it in ``order`` (every key of ``additions`` is
    in ``order``); new list items go after the last item, inside a flow list ``[...]`` too. A
    list of mappings is never added to a flow list: it is reported instead.

    >>> new, keys, _ = insert_into_mapping("label: X  # mine\\nrelated: [a]\\n",
    ...                                    {"related": ["b"], "alt_labels": ["Y"]},
    ...                                    order=["label", "alt_labels", "related"])
    >>> print(new, end=""); keys
    label: X  # mine
    alt_labels: [Y]
    related: [a, b]
    ['related', 'alt_labels']
    """
    problems: list[Problem] = []
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

    def edit(start: int, end: int, position: int, replacement: str) -> None:
        edits.setdefault((start, end), []).append((position, replacement))

    inserted: list[str] = []
    for key, value in additions.items():
        position = order.index(key)
        block = dump_yaml({key: value})
        if key not in keys:
            before = [keys[k] for k in order[:position] if k in keys]
            if before:
                anchor = max(before, key=lambda kv: _last_line(kv[1], lines))
                at = line_start(_last_line(anchor[1], lines) + 1)
            elif pairs:
                at = line_start(pairs[0][0].start_mark.line)
            else:
                at = len(text)
            edit(at, at, position, block)
        else:
            key_node, node = keys[key]
            if isinstance(node, yaml.ScalarNode):  # "key:" with no value
                edit(key_node.start_mark.index, node.end_mark.index, position, block.rstrip("\n"))
            elif isinstance(node, yaml.SequenceNode) and node.flow_style:
                if any(isinstance(v, Mapping) for v in value):
                    problems.append(Problem(file, key_node.start_mark.line + 1,
                                            f"{key} is written in flow style; new {key} "
                                            "not added"))
                    continue
                items = ", ".join(_flow_item(v) for v in value)
                if node.value:  # after the last item, so the list keeps its layout
                    at = node.value[-1].end_mark.index
                    edit(at, at, position, ", " + items)
                else:
                    at = node.start_mark.index + 1
                    edit(at, at, position, items)
            elif isinstance(node, yaml.SequenceNode) and node.value:
                pad = " " * _dash_column(node, lines)
                rendered = "".join(pad + ln if ln else ln
                                   for ln in dump_yaml(list(value)).splitlines(keepends=True))
                at = line_start(_last_line(node, lines) + 1)
                edit(at, at, position, rendered)
            else:
                continue
        inserted.append(key)

    new_text = text
    for (start, end), parts in sorted(edits.items(), reverse=True):
        replacement = "".join(p for _, p in sorted(parts))
        if start == end and start == len(new_text) and new_text and not new_text.endswith("\n"):
            replacement = "\n" + replacement
        new_text = new_text[:start] + replacement + new_text[end:]
    return new_text, inserted, problems

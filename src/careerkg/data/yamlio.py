"""Read YAML while remembering the line every key and list item came from.

Curated data errors must say ``file:line``; PyYAML's node marks know the lines, so this loader
keeps them on the mappings and lists it builds. Duplicate keys, which PyYAML accepts silently,
are reported.

>>> doc = load_yaml_text("a: 1\\nb:\\n  - x\\n  - y\\n", "f.yaml")
>>> doc.value["b"], doc.value.line_of("b"), doc.value["b"].line_of(1)
(['x', 'y'], 2, 4)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

__all__ = ["LineDict", "LineList", "YamlDocument", "load_yaml", "load_yaml_text"]


class LineDict(dict):
    """A dict that knows the line of each key (1-based) and of itself."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of ``key``, or of the mapping when the key is absent."""
        return self.lines.get(key, self.line)


class LineList(list):
    """A list that knows the line of each item (1-based) and of itself."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        """The line of item ``index``."""
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass
class YamlDocument:
    """A parsed YAML file: its value, and the problems met while reading it."""

    path: str
    value: Any
    problems: list[Problem] = field(default_factory=list)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~5x faster


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader building :class:`LineDict`/:class:`LineList` and noting duplicate keys."""

    def __init__(self, stream: str, path: str) -> None:
        super().__init__(stream)
        self.path = path
        self.problems: list[Problem] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            loader.problems.append(Problem(loader.path, line, "a key must be a plain value"))
            continue
        if key in mapping:
            first = mapping.lines[key]
            loader.problems.append(
                Problem(loader.path, line, f"duplicate key {key!r} (first at line {first})")
            )
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList()
    items.line = node.start_mark.line + 1
    for child in node.value:
        items.append(loader.construct_object(child, deep=True))
        items.lines.append(child.start_mark.line + 1)
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_text(text: str, path: str) -> YamlDocument:
    """Parse YAML ``text``; syntax errors become a problem at their line, not an exception."""
    loader = _LineLoader(text, path)
    try:
        value = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        reason = e.problem or e.context or "malformed YAML"
        return YamlDocument(path, None, [Problem(path, line, f"bad YAML: {reason}")])
    except yaml.YAMLError as e:
        return YamlDocument(path, None, [Problem(path, 0, f"bad YAML: {e}")])
    finally:
        loader.dispose()
    return YamlDocument(path, value, loader.problems)


def load_yaml(path: Path, display: str | None = None) -> YamlDocument:
    """Read and parse one YAML file; ``display`` is the name used in problems."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        return YamlDocument(name, None, [Problem(name, 0, f"not UTF-8 text ({e.reason})")])
    except OSError as e:
        return YamlDocument(name, None, [Problem(name, 0, f"cannot read: {e.strerror}")])
    return load_yaml_text(text, name)

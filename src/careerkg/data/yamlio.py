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


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def _alias_problem(text: str, path: str) -> Problem | None:
    """careerkg's data files use no anchors or aliases: refusing them keeps a file from
    expanding into billions of items when it is read or merged ("billion laughs")."""
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return Problem(
                    path, event.start_mark.line + 1, "YAML anchors and aliases (&, *) are not allowed here"
                )
    except yaml.YAMLError:
        return None  # the loader reports the syntax error with its line
    return None


def load_yaml_text(text: str, path: str) -> YamlDocument:
    """Parse YAML ``text``; syntax errors become a problem at their line, not an exception.

    >>> load_yaml_text("a: &x [1]\\nb: *x\\n", "f.yaml").problems[0].line
    1
    >>> str(load_yaml_text("a: 1\\nb: x" + chr(0) + "y\\n", "f.yaml").problems[0])
    'f.yaml:2: bad YAML: unacceptable character #x0000: control characters are not allowed'
    """
    if "&" in text or "*" in text:
        alias = _alias_problem(text, path)
        if alias is not None:
            return YamlDocument(path, None, [alias])
    loader = _LineLoader(text, path)
    try:
        value = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        reason = e.problem or e.context or "malformed YAML"
        return YamlDocument(path, None, [Problem(path, line, f"bad YAML: {reason}")])
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (NUL, controls)
        where = _line_at(text, e.position)
        code = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "?")
        reason = f"unacceptable character #x{code:04x}: {e.reason}"
        return YamlDocument(path, None, [Problem(path, where, f"bad YAML: {reason}")])
    except yaml.YAMLError as e:
        first = str(e).splitlines()[0] if str(e) else "malformed YAML"
        return YamlDocument(path, None, [Problem(path, 0, f"bad YAML: {first}")])
    finally:
        loader.dispose()
    return YamlDocument(path, value, loader.problems)


def load_yaml(path: Path, display: str | None = None) -> YamlDocument:
    """Read and parse one YAML file; ``display`` is the name used in problems."""
    name = display or str(path)
    if not path.is_file():  # a FIFO would block the read forever; a folder cannot be read
        return YamlDocument(name, None, [Problem(name, 0, "not a regular file: careerkg reads only files")])
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        problem = Problem(name, line, f"not UTF-8 text ({e.reason} at byte {e.start})")
        return YamlDocument(name, None, [problem])
    except OSError as e:
        return YamlDocument(name, None, [Problem(name, 0, f"cannot read: {e.strerror}")])
    return load_yaml_text(text, name)

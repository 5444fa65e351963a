"""The work-setting and industry catalogues, and finding the ids they name in a page's text.

>>> Catalogue({"lab": ("Research laboratory", "lab")}).find("Labs and offices.")
('lab',)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..data.yamlio import load_yaml
from ..errors import InputError
from ..resources import data_dir

__all__ = [
    "Catalogue",
    "default_catalogues",
    "load_catalogue",
    "load_catalogues",
    "match_catalogue",
]


@dataclass(frozen=True)
class Catalogue:
    """Ids of a catalogue (industries, work settings) and the names each one goes by.

    >>> Catalogue({"office": ("Office", "corporate office")}).names["office"]
    ('Office', 'corporate office')
    """

    names: Mapping[str, tuple[str, ...]]

    @functools.cached_property
    def _patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        found = []
        for ident, names in self.names.items():
            alternatives = sorted(
                (r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", t.strip())) for t in names
                 if t.strip()),
                key=len, reverse=True,
            )
            body = "|".join(alternatives)
            found.append((ident, re.compile(rf"(?<![\w-])(?:{body})(?:s|es)?(?![\w-])", re.I)))
        return tuple(found)

    def find(self, text: str) -> tuple[str, ...]:
        """Ids whose label or an alias occurs in ``text`` (whole words, any case, plural too).

        >>> Catalogue({"lab": ("Research laboratory", "lab")}).find("Labs and offices.")
        ('lab',)
        """
        return tuple(ident for ident, pattern in self._patterns if pattern.search(text))


def load_catalogue(path: Path) -> Catalogue:
    """Read a catalogue YAML file (``data/industries.yaml``, ``data/work_settings.yaml``).

    >>> from careerkg.resources import data_dir
    >>> "office" in load_catalogue(data_dir() / "work_settings.yaml").names
    True
    """
    document = load_yaml(Path(path))
    if document.problems:
        first = document.problems[0]
        raise InputError(f"catalogue: {first.message}", file=first.file, line=first.line)
    raw = document.value or {}
    if not isinstance(raw, dict):
        raise InputError("a catalogue must be a mapping of id to entry", file=path, line=1)
    names: dict[str, tuple[str, ...]] = {}
    for ident, entry in raw.items():
        entry = entry if isinstance(entry, dict) else {}
        label = entry.get("label")
        aliases = entry.get("aliases") or []
        names[str(ident)] = tuple(str(n) for n in [label, *aliases] if n)
    return Catalogue(names)


def load_catalogues(root: Path | None = None) -> tuple[Catalogue, Catalogue]:
    """The work-setting and industry catalogues of a data folder (default: the shipped one).

    >>> settings, industries = load_catalogues()
    >>> "office" in settings.names and "healthcare" in industries.names
    True
    """
    if root is None:
        return default_catalogues()
    return load_catalogue(root / "work_settings.yaml"), load_catalogue(root / "industries.yaml")


@functools.cache
def default_catalogues() -> tuple[Catalogue, Catalogue]:
    """The work-setting and industry catalogues of the shipped data folder, read once."""
    return load_catalogues(data_dir())


def match_catalogue(text: str, catalogue: Catalogue) -> tuple[str, ...]:
    """Ids of ``catalogue`` that ``text`` names; see :meth:`Catalogue.find`.

    >>> match_catalogue("in hospitals and clinics", Catalogue({"hospital": ("Hospital", "clinic")}))
    ('hospital',)
    """
    return catalogue.find(text)

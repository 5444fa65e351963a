"""Where the files shipped with careerkg live: the ontology and the curated data.

In a wheel they are package data (``careerkg/_ontology``, ``careerkg/_data``); in a source
checkout they are the ``ontology/`` and ``data/`` folders at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "examples_dir", "ontology_dir"]

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _locate(packaged: str, checkout: str) -> Path:
    inside = _PACKAGE / packaged
    if inside.is_dir():
        return inside
    return _CHECKOUT / checkout


def data_dir() -> Path:
    """The curated data folder shipped with careerkg.

    >>> (data_dir() / "skills").is_dir()
    True
    """
    return _locate("_data", "data")


def ontology_dir() -> Path:
    """The folder holding ``careerkg.ttl`` (OWL) and ``shapes.ttl`` (SHACL).

    >>> (ontology_dir() / "careerkg.ttl").is_file()
    True
    """
    return _locate("_ontology", "ontology")


def examples_dir() -> Path:
    """The folder holding the example SPARQL queries (``*.rq``).

    >>> sorted(examples_dir().glob("*.rq"))[0].name
    '01-skills-of-a-career.rq'
    """
    return _locate("_examples/queries", "examples/queries")

"""The names ``careerkg.imports.common`` exported before it was split; kept for code outside
:mod:`careerkg.imports` that imports them from here (``tests/test_store_safety.py`` does).

New code imports from the module that holds each name: :mod:`.terms` (N-Triples terms,
:class:`~.terms.NTWriter`), :mod:`.files` (:class:`~.files.SourceFiles`, bounded line reading),
:mod:`.tables` (:class:`~.tables.Table`, :func:`~.tables.require_records`), :mod:`.report`
(:class:`~.report.ImportReport`, progress) and :mod:`.download`.
"""

from __future__ import annotations

from .download import download
from .files import MAX_LINE_CHARS, SourceFiles
from .report import FileReport, ImportReport, make_progress
from .tables import MAX_REJECTED_FRACTION, MAX_REJECTED_ROWS, Table, require_records
from .terms import DECIMAL, NTWriter, decimal, iri, lit, lit_en, slug, typed

__all__ = [
    "DECIMAL",
    "MAX_LINE_CHARS",
    "MAX_REJECTED_FRACTION",
    "MAX_REJECTED_ROWS",
    "FileReport",
    "ImportReport",
    "NTWriter",
    "SourceFiles",
    "Table",
    "decimal",
    "download",
    "iri",
    "lit",
    "lit_en",
    "make_progress",
    "require_records",
    "slug",
    "typed",
]

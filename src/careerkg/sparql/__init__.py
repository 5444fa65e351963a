"""Run SPARQL against any careerkg store: prefixes pre-bound, parameters bound as RDF terms,
results in the standard formats, syntax errors located by line and column, real timeouts.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> result = run_query(kg.store, "SELECT ?l WHERE { ?c skos:prefLabel ?l }",
...                    {"c": kg.resolve("ml engineer")})
>>> result.values()
[('Machine Learning Engineer',)]
>>> serialize(result, "csv").decode().splitlines()
['l', 'Machine Learning Engineer']

One module per job, each importing only those listed before it:

- :mod:`.text`: reading a request without running it (lexing, query form, FROM / SERVICE / LOAD,
  the WHERE group, prefixes used, syntax errors located)
- :mod:`.bindings`: parameters made RDF terms and bound in a ``VALUES`` block
- :mod:`.results`: :class:`QueryResult` and its cells
- :mod:`.formats`: the results and graph formats, cells compacted for people
- :mod:`.run`: the policy, deadline and row limit; :func:`run_query`, :func:`run_update`
- :mod:`.examples`: the example queries

Callers import from ``careerkg.sparql``, which re-exports the public names of all six.
"""

from __future__ import annotations

from .bindings import bind_values, parse_param
from .examples import example_queries
from .formats import FORMATS, GRAPH_FORMATS, TABLE_FORMATS, compact, iter_cells, serialize
from .results import Cell, QueryResult, cell_from_ox, cell_from_rdflib
from .run import Deadline, Refused, Timeout, check_policy, run_query, run_update, take
from .text import (
    CACHED_TEXT_LIMIT,
    Analysis,
    analyse,
    cached_for_short_text,
    located_syntax_error,
    prefixes_used,
    syntax_check,
)

__all__ = [
    "CACHED_TEXT_LIMIT",
    "FORMATS",
    "GRAPH_FORMATS",
    "TABLE_FORMATS",
    "Analysis",
    "Cell",
    "Deadline",
    "QueryResult",
    "Refused",
    "Timeout",
    "analyse",
    "bind_values",
    "cached_for_short_text",
    "cell_from_ox",
    "cell_from_rdflib",
    "check_policy",
    "compact",
    "example_queries",
    "iter_cells",
    "located_syntax_error",
    "parse_param",
    "prefixes_used",
    "run_query",
    "run_update",
    "serialize",
    "syntax_check",
    "take",
]

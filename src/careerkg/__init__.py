"""careerkg: a knowledge graph of careers.

>>> from careerkg import CareerGraph
>>> kg = CareerGraph.open("oxigraph-memory")
>>> "ML Engineer" in kg.career("machine learning engineer").alt_labels
True
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import CareerKGError, DataError, InputError, NotFound, QueryError, StoreError
from .graph import CareerGraph
from .store import open_store

try:
    __version__ = version("careerkg")
except PackageNotFoundError:  # pragma: no cover - source tree not installed
    __version__ = "0+unknown"

__all__ = [
    "CareerGraph",
    "CareerKGError",
    "DataError",
    "InputError",
    "NotFound",
    "QueryError",
    "StoreError",
    "__version__",
    "open_store",
]

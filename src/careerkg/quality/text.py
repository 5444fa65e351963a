"""Plain-Python text similarity: tokens, TF-IDF vectors and a top-k search by inverted index.

No numerical library is needed: vectors are dicts of term -> weight, L2-normalised, and a
search walks the postings of the query's terms only.

>>> tokens("Designing data-pipelines for Machine Learning")
['desig', 'data', 'pipel', 'machi', 'learn']
>>> index = TfIdf([["python", "code"], ["data", "code"]])
>>> [round(s, 3) for _, s in index.search(index.vector(["python"]), 2)]
[1.0]
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["STOP_WORDS", "TfIdf", "cosine", "in_dev", "normalise_vector", "tokens"]

STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "other",
        "such",
        "that",
        "the",
        "their",
        "them",
        "these",
        "this",
        "those",
        "to",
        "using",
        "use",
        "used",
        "with",
        "within",
        "without",
        "which",
        "who",
        "whose",
        "e",
        "g",
        "etc",
        "including",
        "include",
        "includes",
        "may",
        "can",
        "all",
        "any",
        "each",
        "per",
        "via",
    }
)
_WORD = re.compile(r"[a-z0-9+#]+")


def tokens(text: str, *, stem: int = 5) -> list[str]:
    """Lower-case words without stop words, cut to ``stem`` letters (a crude stemmer)."""
    return [w[:stem] for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS]


def in_dev(key: str) -> bool:
    """The fixed split of items into dev (tuning) and test (reporting) halves, by a hash."""
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 2 == 0


def normalise_vector(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


class TfIdf:
    """TF-IDF vectors (sublinear tf, smooth idf, L2-normalised) of documents given as token lists.

    ``max_df`` drops terms in more than that share of documents (they say nothing).
    """

    def __init__(self, documents: Sequence[Iterable[str]], *, max_df: float = 0.5) -> None:
        counts = [Counter(doc) for doc in documents]
        n = len(counts)
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        limit = max(1.0, max_df * n)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items() if d <= limit}
        self.vectors = [self._weigh(c) for c in counts]
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, vec in enumerate(self.vectors):
            for t, w in vec.items():
                self.postings[t].append((i, w))

    def _weigh(self, counts: Mapping[str, int]) -> dict[str, float]:
        return normalise_vector(
            {t: (1.0 + math.log(c)) * self.idf[t] for t, c in counts.items() if t in self.idf}
        )

    def vector(self, doc: Iterable[str]) -> dict[str, float]:
        """The vector of a new document in this index's weighting."""
        return self._weigh(Counter(doc))

    def scores(self, vector: Mapping[str, float]) -> dict[int, float]:
        """Cosine of ``vector`` with every document that shares a term with it."""
        acc: dict[int, float] = defaultdict(float)
        for t, w in vector.items():
            for i, v in self.postings.get(t, ()):
                acc[i] += w * v
        return acc

    def search(self, vector: Mapping[str, float], k: int) -> list[tuple[int, float]]:
        """The ``k`` best (document index, cosine), best first; ties by index."""
        return heapq.nsmallest(
            k, ((i, s) for i, s in self.scores(vector).items()), key=lambda p: (-p[1], p[0])
        )

"""Near-duplicate names: "Communicating Insights" and "Communicate insights" are one duty.

Two labels are near-duplicates when their normalized texts are equal, or when their content
words, cut to a rough stem, mostly agree (Jaccard similarity of the stems at least
:data:`MIN_JACCARD`), or when their normalized texts differ only by a typo or two.

>>> near_duplicate("Communicating Insights", "Communicate insights")
True
>>> near_duplicate("Data Collection and Analysis", "Collecting and analysing data")
True
>>> near_duplicate("Model Development", "Model Evaluation")
False
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

__all__ = ["MIN_JACCARD", "closest", "near_duplicate", "normalized", "stems"]

#: The least share of stems two labels have in common to be near-duplicates.
MIN_JACCARD = 0.75
_MIN_RATIO = 0.92
_STOP = frozenset({"a", "an", "and", "the", "of", "to", "for", "with", "in", "on", "at", "by",
                   "or", "from", "their", "its", "your", "our", "&"})
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ments", "ment", "ies", "es", "ed",
             "ers", "er", "is", "s", "e", "y")


def normalized(text: str) -> str:
    """``text`` folded: accents off, lower case, punctuation made space, abbreviations kept.

    >>> normalized("  Front-End  Développeur (FED) ")
    'front end developpeur fed'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def _stem(word: str) -> str:
    word = re.sub(r"ys(is|e|es|ed|ing)$", r"yz\1", word)  # British and American spelling
    word = re.sub(r"is(e|es|ed|ing|ation|ations)$", r"iz\1", word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> frozenset[str]:
    """The rough stems of the content words of ``text``.

    >>> sorted(stems("Analysing the data collections"))
    ['analyz', 'collect', 'data']
    """
    return frozenset(_stem(w) for w in normalized(text).split() if w not in _STOP)


def near_duplicate(a: str, b: str, *, strict: bool = False) -> bool:
    """Whether labels ``a`` and ``b`` name the same thing in other words (see the module).

    ``strict`` (for names of careers) asks for the same stems, not most of them, so that
    "Machine Learning Engineer" and "Machine Learning Infrastructure Engineer" stay two.

    >>> near_duplicate("Computer Vision Engineers", "Computer Vision Engineer", strict=True)
    True
    >>> near_duplicate("Machine Learning Engineer", "Machine Learning Infrastructure Engineer",
    ...                strict=True)
    False
    """
    na, nb = normalized(a), normalized(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    sa, sb = stems(a), stems(b)
    least = 1.0 if strict else MIN_JACCARD
    if sa and sb and len(sa & sb) / len(sa | sb) >= least:
        return True
    return min(len(na), len(nb)) >= 8 and SequenceMatcher(None, na, nb).ratio() >= _MIN_RATIO


def closest(label: str, candidates: Iterable[str]) -> str | None:
    """The first of ``candidates`` that is a near-duplicate of ``label``, or ``None``.

    >>> closest("Building Dashboards", ["Clean data", "Build dashboards"])
    'Build dashboards'
    """
    return next((c for c in candidates if near_duplicate(label, c)), None)

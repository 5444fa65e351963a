"""The example queries shipped with careerkg (``examples/queries/*.rq``), each with its question.

>>> all(question for _stem, question, _text in example_queries())
True
"""

from __future__ import annotations

from pathlib import Path

from ..resources import examples_dir

__all__ = ["example_queries"]


def example_queries(folder: Path | None = None) -> list[tuple[str, str, str]]:
    """The example queries: (file stem, question (first comment line), text), sorted by name.

    They live in ``examples/queries`` of the checkout (``careerkg/_examples`` in a wheel).
    """
    if folder is None:
        folder = examples_dir()
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        question = next((c for c in comments if c), "")
        out.append((path.stem, question, text))
    return out

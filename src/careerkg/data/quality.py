"""Depth rules for curated careers: what "described in depth" means, checked in one place.

``careerkg stats`` reports how many careers meet them, and a test holds every file in
``data/careers/`` to them, so later edits cannot quietly thin the data out.

>>> from careerkg.resources import data_dir
>>> from careerkg.data.curated import load_curated
>>> data = load_curated(data_dir())
>>> depth_problems(data.careers["machine-learning-engineer"])
[]
"""

from __future__ import annotations

from .model import Career, CuratedData

__all__ = ["MIN_DEFINITION", "MIN_RELATED", "MIN_SKILLS", "careers_in_depth", "depth_problems"]

MIN_DEFINITION = 100  # characters
MIN_SKILLS = 5  # essential + optional
MIN_RELATED = 3  # related careers named in the file, each with a reason


def depth_problems(career: Career) -> list[str]:
    """What ``career`` lacks to count as described in depth (empty when it is complete)."""
    problems = []
    if not career.definition or len(career.definition) < MIN_DEFINITION:
        problems.append(f"definition shorter than {MIN_DEFINITION} characters")
    skills = len(career.essential_skills) + len(career.optional_skills)
    if skills < MIN_SKILLS:
        problems.append(f"{skills} skills, needs at least {MIN_SKILLS}")
    if len(career.related) < MIN_RELATED:
        problems.append(f"{len(career.related)} related careers, needs at least {MIN_RELATED}")
    unexplained = [r for r in career.related if not career.reasons.get(r)]
    if unexplained:
        problems.append(f"related careers without a reason: {', '.join(unexplained)}")
    if not career.alt_labels:
        problems.append("no alternative names")
    if not career.industries:
        problems.append("no industries")
    return problems


def careers_in_depth(data: CuratedData) -> list[str]:
    """Ids of the careers that meet every depth rule."""
    return sorted(c.id for c in data.careers.values() if not depth_problems(c))

"""Labels of careers: cleaning them, turning them into ids, and splitting runs of titles.

A label is cleaned by :func:`clean_label` (a parenthesised abbreviation becomes a short name),
named by :func:`slugify` (its kebab-case id), and a "See Also" run of titles given with nothing
but spaces between them is cut into titles by :func:`split_titles`, after each word of
:data:`ROLE_WORDS`.

>>> clean_label("Natural Language Processing (NLP) Engineer")
('Natural Language Processing Engineer', 'NLP Engineer')
>>> split_titles("Engineer Coastal Engineer Hydrographic Surveyor")
(['Engineer', 'Coastal Engineer', 'Hydrographic Surveyor'], '')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "ROLE_PREFIXES",
    "ROLE_WORDS",
    "clean_label",
    "has_upper",
    "slugify",
    "split_titles",
    "squash",
    "title_case",
    "unique",
]

#: Words that end a career title. A flat "See Also" run is split after each of them.
ROLE_WORDS: frozenset[str] = frozenset({
    "Engineer", "Technician", "Scientist", "Developer", "Analyst", "Manager", "Designer",
    "Architect", "Specialist", "Technologist", "Administrator", "Officer", "Consultant",
    "Researcher", "Operator", "Programmer", "Planner", "Inspector", "Mechanic", "Assistant",
    "Director", "Coordinator", "Tester", "Writer", "Editor", "Producer", "Artist", "Animator",
    "Illustrator", "Photographer", "Journalist", "Reporter", "Translator", "Interpreter",
    "Teacher", "Professor", "Instructor", "Lecturer", "Trainer", "Tutor", "Coach", "Counselor",
    "Counsellor", "Advisor", "Adviser", "Nurse", "Physician", "Surgeon", "Doctor", "Dentist",
    "Pharmacist", "Therapist", "Psychologist", "Paramedic", "Practitioner", "Veterinarian",
    "Pilot", "Navigator", "Captain", "Driver", "Electrician", "Plumber", "Welder", "Machinist",
    "Fitter", "Installer", "Repairer", "Carpenter", "Mason", "Roofer", "Painter", "Surveyor",
    "Drafter", "Draftsman", "Estimator", "Modeler", "Modeller", "Fabricator", "Geologist",
    "Geophysicist", "Chemist", "Physicist", "Biologist", "Ecologist", "Microbiologist",
    "Meteorologist", "Hydrologist", "Oceanographer", "Astronomer", "Mathematician", "Statistician",
    "Economist", "Actuary", "Accountant", "Auditor", "Lawyer", "Attorney", "Paralegal",
    "Librarian", "Archivist", "Curator", "Historian", "Archaeologist", "Anthropologist",
    "Sociologist", "Strategist", "Executive", "Supervisor", "Foreman", "Worker", "Clerk", "Agent",
    "Broker", "Representative", "Buyer", "Investigator", "Firefighter", "Forester", "Ranger",
    "Farmer", "Chef", "Cook", "Baker", "Entrepreneur", "Expert", "Midwife", "Steward", "Composer",
    "Musician", "Conductor", "Performer", "Sonographer", "Radiographer", "Dietitian",
    "Nutritionist", "Optometrist", "Audiologist", "Hygienist", "Scheduler", "Controller",
    "Dispatcher", "Examiner", "Appraiser", "Underwriter", "Trader", "Associate", "Banker",
    "Integrator",
})

#: Role words that also name the first half of a two-role title ("Nurse Practitioner").
ROLE_PREFIXES: frozenset[str] = frozenset({
    "Assistant", "Nurse", "Physician", "Executive", "Programmer", "Teacher",
})

_ABBREVIATION = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z0-9&./+-]{0,9})\)")
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"})
_TITLE_SEPARATORS = re.compile(r"\s*(?:[,;|•·]|\s/\s)\s*")
_ROLE_SUFFIXES = ("ist", "ician")


# -- labels and ids ------------------------------------------------------------------------------


def slugify(label: str) -> str:
    """The kebab-case id of a label; parenthesised abbreviations are left out.

    >>> slugify("Natural Language Processing (NLP) Engineer")
    'natural-language-processing-engineer'
    >>> slugify("Pulp & Paper Engineer"), slugify("C++ Developer")
    ('pulp-and-paper-engineer', 'c-plus-plus-developer')
    """
    text = _ABBREVIATION.sub("", label)
    text = text.replace("&", " and ").replace("+", " plus ").replace("#", " sharp ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean_label(label: str) -> tuple[str, str | None]:
    """Split a label with a parenthesised abbreviation into the label and the short name.

    >>> clean_label("Explainable AI (XAI) Engineer")
    ('Explainable AI Engineer', 'XAI Engineer')
    >>> clean_label("Data Engineer")
    ('Data Engineer', None)
    """
    match = _ABBREVIATION.search(label)
    if not match:
        return squash(label), None
    after = label[match.end():]
    return squash(label[: match.start()] + after), squash(match["abbr"] + after)


def squash(text: str) -> str:
    """``text`` with each run of white space made one space, and none at either end.

    >>> squash("  Data \\n Engineer ")
    'Data Engineer'
    """
    return re.sub(r"\s+", " ", text).strip()


def has_upper(text: str) -> bool:
    """Whether ``text`` has an upper-case letter.

    >>> has_upper("hydrologist"), has_upper("Hydrologist")
    (False, True)
    """
    return any(c.isupper() for c in text)


def title_case(text: str) -> str:
    """``text`` with its words capitalised (small words after the first left), when it is all
    lower case; otherwise ``text`` as it is.

    >>> title_case("director of photography"), title_case("eCommerce Manager")
    ('Director of Photography', 'eCommerce Manager')
    """
    if has_upper(text):
        return text
    words = text.split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def unique(values: Iterable[str], *, skip: Iterable[str] = (), fold: bool = True) -> list[str]:
    """The non-empty ``values`` in order, each once and none of ``skip``; ``fold`` compares
    without regard to case.

    >>> unique(["A", "b", "a", "", "B", "c"], skip=["C"])
    ['A', 'b']
    >>> unique(["A", "a"], fold=False)
    ['A', 'a']
    """
    seen = {(s.casefold() if fold else s) for s in skip}
    kept = []
    for value in values:
        key = value.casefold() if fold else value
        if value and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


# -- "See Also" titles ---------------------------------------------------------------------------


def _is_role(token: str) -> bool:
    word = token.strip(".,;:()\"'").split("-")[-1]
    return word in ROLE_WORDS or (
        word[:1].isupper() and len(word) > 5 and word.endswith(_ROLE_SUFFIXES)
    )


def _split_run(run: str) -> tuple[list[str], str]:
    """Split after every role word; returns the titles and any tail with no role word."""
    tokens = run.split()
    titles: list[str] = []
    current: list[str] = []
    compound = False  # the title already joined a prefix role word ("Nurse Practitioner")
    connector = False  # the title goes on past a lower-case word ("Director of Photography")

    def close() -> None:
        nonlocal current, compound, connector
        titles.append(" ".join(current))
        current, compound, connector = [], False, False

    for i, token in enumerate(tokens):
        current.append(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if connector:
            # After "of"/"in"/...: the lower-case words, then one word, end the title.
            if not token[:1].islower() and (following is None or not following[:1].islower()):
                close()
            continue
        if not _is_role(token):
            continue
        if following is None:
            close()
        elif following[:1].islower():
            connector = True
        elif _is_role(following) and not compound and token.strip(".,;:") in ROLE_PREFIXES:
            compound = True
        else:
            close()
    return titles, " ".join(current)


def split_titles(run: str) -> tuple[list[str], str]:
    """Split a run of career titles, as a "See Also" line gives them, into single titles.

    Titles are separated by commas, semicolons, bullets or " / ", or by nothing but a space; in
    the last case every title ends in a word of :data:`ROLE_WORDS`. Returns the titles and any
    text left at the end that does not end in a role word (it is still returned as a title by
    :func:`~careerkg.pages.parse_page`, with a warning).

    >>> split_titles("Engineer Pulp and Paper Engineer Digital Remastering Engineer")
    (['Engineer', 'Pulp and Paper Engineer', 'Digital Remastering Engineer'], '')
    >>> split_titles("Nurse Practitioner, Actuary Stunt Double")
    (['Nurse Practitioner', 'Actuary'], 'Stunt Double')
    """
    titles: list[str] = []
    rest: list[str] = []
    for piece in _TITLE_SEPARATORS.split(run):
        piece = piece.strip()
        if not piece:
            continue
        found, tail = _split_run(piece)
        titles += found
        if tail:
            rest.append(tail)
    return titles, ", ".join(rest)

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
    "TITLE_SEPARATORS",
    "clean_item_label",
    "clean_label",
    "cut_word",
    "has_upper",
    "is_career_title",
    "singular_title",
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
#: What separates the titles of a "See Also" line: commas, semicolons, bullets, " / ".
TITLE_SEPARATORS = re.compile(r"\s*(?:[,;|•·]|\s/\s)\s*")
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
    for piece in TITLE_SEPARATORS.split(run):
        piece = piece.strip()
        if not piece:
            continue
        found, tail = _split_run(piece)
        titles += found
        if tail:
            rest.append(tail)
    return titles, ", ".join(rest)


# -- labels of items: cleaning, plurals, cut-off words -------------------------------------------

_LABEL_LEAD = re.compile(
    r"^(?:[•▪●◦·‣○■□►➢✓*#>\-–—|]+\s*|\(?\d{1,2}[.):]\s*|step\s+\d{1,2}\s*[.:)-]?\s*)+", re.I)
_LABEL_TAIL = re.compile(r"[\s:;,.–—\-*•|]+$")
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0E\uFE0F\u200D\u20E3"
    "\U000E0020-\U000E007F]+")
_AGENT_SUFFIXES = ("ist", "ician", "er", "or", "ant", "ent", "ian", "ee", "ic")
#: Short forms that begin like a role word but are whole words of a title ("Wind Tech").
_SHORT_FORMS = frozenset({
    "Tech", "Rep", "Admin", "Dev", "Exec", "Vet", "Doc", "Art", "Plan", "Design", "Research",
    "Program", "Manage", "Develop", "Inspect", "Counsel", "Coach", "Drive", "Paint", "Direct",
    "Edit", "Produce", "Train", "Account", "Consult", "Operate", "Sale", "Man", "Care", "Chem",
    "Bio", "Geo", "Photo", "Engine", "Trade", "Bank", "Cook", "Bake", "Farm", "Agent", "Office",
    "Control", "Dispatch", "Audit", "Artist", "Pro", "Lab", "Data", "Web", "Assist",
    "Nurs", "Surge", "Interpret", "Translat", "Illustrat", "Practice", "Mechanic",
    "Engineering", "Technic", "Paralegal", "Writ", "Analytic",
})


def clean_item_label(label: str) -> str:
    """A duty's or a type's label without bullets, numbering, emoji, Markdown marks, or a
    trailing colon, dash or full stop.

    >>> clean_item_label("• ▪ Nuclear Pharmacist:"), clean_item_label("3. **Fault Finding** –")
    ('Nuclear Pharmacist', 'Fault Finding')
    """
    text = _EMOJI.sub(" ", label).replace("**", "").replace("__", "")
    text = _LABEL_LEAD.sub("", squash(text))
    return squash(_LABEL_TAIL.sub("", text))


def _role_like(word: str) -> bool:
    word = word.strip(".,;:()\"'").split("-")[-1]
    return word in ROLE_WORDS or (
        word[:1].isupper() and len(word) > 4 and word.lower().endswith(_AGENT_SUFFIXES))


def is_career_title(label: str) -> bool:
    """Whether ``label`` reads like a career title: a few words ending in a role word, or in
    a word shaped like one (…ist, …ician, …er, …or), in the singular or the plural.

    >>> is_career_title("Residential Electricians"), is_career_title("Salary Outlook")
    (True, False)
    """
    words = label.split()
    if not words or len(words) > 8 or not label[:1].isupper():
        return False
    last = words[-1]
    return _role_like(last) or _role_like(singular_title(last))


def singular_title(label: str) -> str:
    """``label`` with its last word in the singular when it is the plural of a role word
    ("Residential Electricians"); any other label as it is ("Sales", "Logistics", "Physics").

    >>> singular_title("Residential Electricians"), singular_title("Actuaries")
    ('Residential Electrician', 'Actuary')
    >>> singular_title("Electronics"), singular_title("Data Analytics"), singular_title("Nurses")
    ('Electronics', 'Data Analytics', 'Nurse')
    """
    head, _, last = label.rpartition(" ")
    if not last[:1].isupper() or not last.endswith("s") or last.endswith("ss"):
        return label
    candidates = [last[:-1]]
    if last.endswith("ies"):
        candidates.insert(0, last[:-3] + "y")
    if last.endswith(("ches", "shes", "xes")):
        candidates.insert(0, last[:-2])
    for word in candidates:
        bare = word.split("-")[-1]
        if bare in ROLE_WORDS or (len(bare) > 4 and bare.lower().endswith(
                ("ist", "ician", "er", "or", "ant", "ian", "ee", "ary", "ic", "eur"))):
            if bare.lower().endswith("ic") and bare not in ROLE_WORDS:
                continue  # "Electronics", "Analytics": not the plural of a person
            return f"{head} {word}".strip()
    return label


def cut_word(label: str) -> str | None:
    """The last word of ``label`` when it is a role word cut short ("Data Sc", "Risk Anal"),
    as a saved excerpt leaves a title it cuts off; ``None`` otherwise.

    >>> cut_word("E-commerce Data Sc"), cut_word("Tactical Param"), cut_word("Wind Tech")
    ('Sc', 'Param', None)
    """
    words = label.split()
    if len(words) < 2:
        return None
    last = words[-1].strip(".,;:")
    if not last[:1].isupper() or last in ROLE_WORDS or last in _SHORT_FORMS or last.isupper():
        return None
    if any(role.startswith(last) and len(role) > len(last) + 1 for role in ROLE_WORDS):
        return last
    return None

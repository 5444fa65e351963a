"""What would mapping ESCO skills onto O*NET's elements and technology give the "same job, same
skills" measure (docs/quality.md, section 5)? A study, not a change: the measure is
:func:`careerkg.quality.crosswalk.evaluate_coverage` as it is, fed the store's skill links plus
the links of each candidate mapping. No mapping reads the occupation crosswalk (the measure's
ground truth); the crosswalk only names the pairs measured, as in ``careerkg evaluate``.

Each mapping is also measured on **control pairs**: every ESCO occupation of an exactMatch
pair paired with an O*NET occupation that is not its match (chosen by a hash). A mapping that
raises the control as much as the true pairs says nothing about the job: it only makes every
occupation cover every other.

Mappings (each on top of the store's traversal links):

- ``products``: an ESCO skill whose alternative or hidden label is, normalised, the label of an
  O*NET technology (ESCO "use spreadsheets software", alt "Microsoft Excel") is held by an
  occupation that uses that technology: the product is narrower than the skill, so holding it
  implies the skill (the skill-matching rules refuse these as synonyms, rightly).
- ``elements@t``: each ESCO skill's nearest O*NET Skills/Knowledge element (TF-IDF of ESCO label +
  alternative labels + description against element label + definition), when the cosine is at
  least ``t``: the element is *broader* than the skill (a skos:broadMatch, not the same skill).
- ``elements-typed@t``: the same, ESCO knowledge only to O*NET Knowledge elements and ESCO
  skills/competences only to O*NET Skills elements.
- ``groups (hand)``: ESCO's own skill hierarchy, mapped by hand: the 156 skill groups that hold
  most of the pairs' essential skills (``data/esco_skill_groups_to_onet.csv``; 129 to one O*NET
  element, 27 to none), each skill getting the element of its nearest mapped group;
  ``groups, knowledge only`` keeps the links to O*NET Knowledge elements.
- ``oracle``: each ESCO skill linked to the element or technology most true pairs hold; it
  reads the answers, so it is a ceiling, not a mapping.

40 links of ``elements@0.2`` and 40 of ``groups (hand)`` are judged by hand in
``data/esco_skill_to_onet_tfidf_judged.csv`` and ``data/esco_skill_to_onet_groups_judged.csv``
(``right``: the element is a correct broader category of the skill).

Run on a copy of the full store (7 s)::

    flock -s /tmp/ckg-bench.lock python benchmarks/study_skill_mapping.py --store COPY
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import time
from collections import Counter
from pathlib import Path

from careerkg.imports.skill_matching import normalise, select
from careerkg.namespaces import graph_iri
from careerkg.quality.crosswalk import evaluate_coverage
from careerkg.quality.data import crosswalk_links, esco_occupations, onet_occupations, traversal_skill_links
from careerkg.quality.text import TfIdf, tokens
from careerkg.store import OxigraphStore

ELEMENT = "https://w3id.org/careerkg/onet/element/"
TECHNOLOGY = "https://w3id.org/careerkg/onet/technology/"


def _esco_skills(store) -> dict[str, dict]:
    g = {"g": graph_iri("esco")}
    skills: dict[str, dict] = {}
    for s, label, kind in select(
        store,
        "SELECT ?s ?l ?t WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:prefLabel ?l "
        "OPTIONAL { ?s ckg:skillType ?t } } }",
        g,
        ("s", "l", "t"),
    ):
        skills.setdefault(s, {"label": label, "type": kind, "alts": [], "definition": ""})
    for s, label in select(
        store,
        "SELECT ?s ?l WHERE { GRAPH ?g { ?s a ckg:Skill . "
        "{ ?s skos:altLabel ?l } UNION { ?s skos:hiddenLabel ?l } } }",
        g,
        ("s", "l"),
    ):
        if s in skills:
            skills[s]["alts"].append(label)
    for s, d in select(
        store, "SELECT ?s ?d WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:definition ?d } }", g, ("s", "d")
    ):
        if s in skills:
            skills[s]["definition"] = d
    return skills


def _onet_skills(store) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for s, label, kind, d in select(
        store,
        "SELECT ?s ?l ?t ?d WHERE { GRAPH ?g { ?s a ckg:Skill ; skos:prefLabel ?l "
        "OPTIONAL { ?s ckg:skillType ?t } OPTIONAL { ?s skos:definition ?d } } }",
        {"g": graph_iri("onet")},
        ("s", "l", "t", "d"),
    ):
        found.setdefault(s, {"label": label, "type": kind, "definition": d})
    return found


GROUP_MAP = Path(__file__).parent / "data" / "esco_skill_groups_to_onet.csv"


def _group_links(store, esco_skills: dict[str, dict], onet_skills: dict[str, dict]) -> list[tuple[str, str]]:
    """``groups (hand)``: each ESCO skill gets the O*NET element that the hand mapping
    (``data/esco_skill_groups_to_onet.csv``: the 156 ESCO skill groups, by label, that hold most
    of the pairs' essential skills) gives its nearest mapped skill group, climbing ESCO's
    ``skos:broader`` from the skill (through broader skills and groups) breadth first. An
    element is broader than the skill: this is a broadMatch, read as one only to measure."""
    g = {"g": graph_iri("esco")}
    broader: dict[str, list[str]] = {}
    for a, b in select(store, "SELECT ?a ?b WHERE { GRAPH ?g { ?a skos:broader ?b } }", g, ("a", "b")):
        broader.setdefault(a, []).append(b)
    group_label = dict(
        select(
            store,
            "SELECT ?x ?l WHERE { GRAPH ?g { ?x a esco:SkillGroup ; skos:prefLabel ?l } }",
            g,
            ("x", "l"),
        )
    )
    element = {d["label"]: s for s, d in onet_skills.items() if s.startswith(ELEMENT)}
    element["Mathematics (skill)"] = ELEMENT + "2.A.1.e"
    element["Mathematics (knowledge)"] = ELEMENT + "2.C.4.a"
    with open(GROUP_MAP, encoding="utf-8", newline="") as f:
        by_label = {r["esco_group_label"]: r["onet_element_label"] for r in csv.DictReader(f)}
    mapped = {x: element[by_label[label]] for x, label in group_label.items() if by_label.get(label)}
    unmapped = {x for x, label in group_label.items() if label in by_label and not by_label[label]}
    links = []
    for skill in esco_skills:
        frontier, seen = list(broader.get(skill, ())), set()
        while frontier:
            hits = [x for x in frontier if x in mapped]
            if hits or all(x in unmapped for x in frontier):
                links.extend((skill, mapped[x]) for x in sorted(set(hits)))
                break
            seen.update(frontier)
            frontier = [b for x in frontier for b in broader.get(x, ()) if b not in seen]
    return sorted(set(links))


def _control(
    pairs: list[tuple[str, str]], onet_ids: list[str], codes: dict[str, str], siblings: bool = False
) -> list[tuple[str, str, str]]:
    """Each pair's ESCO occupation with an O*NET occupation that is not its match, by a hash:
    any occupation, or (``siblings``) one of the same SOC minor group (the first 4 digits)."""
    out = []
    for o, e in pairs:
        pool = [x for x in onet_ids if x != o and (not siblings or codes[x][:5] == codes[o][:5])]
        if not pool:
            continue
        i = int(hashlib.sha1(e.encode()).hexdigest()[:8], 16)
        out.append((pool[i % len(pool)], e, "exactMatch"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--sample-out", type=Path, default=None, help="write 40 elements@0.2 links to judge")
    ap.add_argument(
        "--groups-sample-out", type=Path, default=None, help="write 40 'groups (hand)' links to judge"
    )
    args = ap.parse_args()
    started = time.perf_counter()
    store = OxigraphStore(args.store, read_only=True)
    esco, onet = esco_occupations(store), onet_occupations(store)
    links = crosswalk_links(store)
    pairs = [(o, e) for o, e, kind in links if kind == "exactMatch" and o in onet and e in esco]
    codes = {o: occ.code for o, occ in onet.items()}
    control = _control(pairs, sorted(onet), codes)
    sibling = _control(pairs, sorted(onet), codes, siblings=True)
    base = traversal_skill_links(store)
    esco_skills, onet_skills = _esco_skills(store), _onet_skills(store)
    wanted = {s for _, e in pairs for s in esco[e].essential}
    print(
        f"{len(pairs)} exactMatch pairs; {len(wanted):,} distinct ESCO essential skills in them; "
        f"{len(esco_skills):,} ESCO skills; {len(base)} traversal links in the store"
    )

    # products: ESCO alt/hidden label == O*NET technology label
    tech_by_label: dict[str, list[str]] = {}
    for s, d in onet_skills.items():
        if s.startswith(TECHNOLOGY):
            tech_by_label.setdefault(normalise(d["label"]), []).append(s)
    products = sorted(
        {
            (s, t)
            for s, d in esco_skills.items()
            for a in d["alts"]
            for t in tech_by_label.get(normalise(a), ())
        }
    )

    # elements: nearest O*NET element by TF-IDF
    elements = sorted(s for s in onet_skills if s.startswith(ELEMENT))
    docs = [
        tokens(f"{onet_skills[s]['label']} {onet_skills[s]['label']} {onet_skills[s]['definition'] or ''}")
        for s in elements
    ]
    index = TfIdf(docs, max_df=0.5)
    kinds = {s: onet_skills[s]["type"] for s in elements}
    nearest: dict[str, tuple[str, float]] = {}
    nearest_typed: dict[str, tuple[str, float]] = {}
    for s, d in esco_skills.items():
        vec = index.vector(tokens(" ".join([d["label"], d["label"], *d["alts"], d["definition"]])))
        ranked = index.search(vec, 68)
        if ranked:
            nearest[s] = (elements[ranked[0][0]], ranked[0][1])
        want = "knowledge" if d["type"] == "knowledge" else "competence"
        typed_ = [(i, c) for i, c in ranked if kinds[elements[i]] == want]
        if typed_:
            nearest_typed[s] = (elements[typed_[0][0]], typed_[0][1])

    def measure(name: str, extra: list[tuple[str, str]]) -> None:
        every = base + extra
        r = evaluate_coverage(esco, onet, [(o, e, "exactMatch") for o, e in pairs], every)
        c = evaluate_coverage(esco, onet, control, every)
        sib = evaluate_coverage(esco, onet, sibling, every)
        mapped = len({s for s, _ in extra if s in wanted})
        print(
            f"{name:22s} links {len(extra):6,}  mapped {mapped:5,}/{len(wanted):,}"
            f"  median {r.median:.3f} (q1 {r.quartiles[0]:.3f}, q3 {r.quartiles[2]:.3f},"
            f" >=0.5 {r.share_above_half:.0%})  | random: median {c.median:.3f}"
            f" (>=0.5 {c.share_above_half:.0%})  | sibling: median {sib.median:.3f}"
            f" (>=0.5 {sib.share_above_half:.0%})"
        )

    measure("store links only", [])
    measure("products", products)
    for t in (0.1, 0.2, 0.3, 0.4):
        measure(f"elements@{t}", [(s, e) for s, (e, c) in nearest.items() if c >= t])
    for t in (0.1, 0.2, 0.3):
        measure(f"elements-typed@{t}", [(s, e) for s, (e, c) in nearest_typed.items() if c >= t])
    measure("products+elements@0.2", products + [(s, e) for s, (e, c) in nearest.items() if c >= 0.2])
    groups = _group_links(store, esco_skills, onet_skills)
    measure("groups (hand)", groups)
    measure("products+groups (hand)", products + groups)
    knowledge = [(a, b) for a, b in groups if onet_skills[b]["type"] == "knowledge"]
    measure("groups, knowledge only", knowledge)
    held_by = Counter(x for o, _ in pairs for x in onet[o].essential | onet[o].optional)
    shares = {b: held_by[b] / len(pairs) for _, b in groups}
    common = sorted({b for b, v in shares.items() if v >= 0.5}, key=lambda b: -shares[b])
    print(
        "elements of the hand mapping that over half of the pairs' O*NET occupations hold: "
        + ", ".join(f"{onet_skills[b]['label']} {shares[b]:.0%}" for b in common)
    )
    # the ceiling of any mapping onto what the O*NET side holds: an ESCO skill counts when *some*
    # element or technology the O*NET occupation holds is linked to it (here: all of them)
    # The ceiling of a one-target-per-skill mapping: each ESCO skill linked to the O*NET element
    # or technology that the most true pairs needing it hold. It reads the crosswalk, so it is
    # an oracle (what no honest mapping can beat), not a mapping to use.
    votes: dict[str, Counter[str]] = {}
    for o, e in pairs:
        held = onet[o].essential | onet[o].optional
        for sk in esco[e].essential:
            votes.setdefault(sk, Counter()).update(held)
    oracle = [(sk, max(sorted(v), key=lambda t, v=v: v[t])) for sk, v in sorted(votes.items()) if v]
    measure("oracle (reads answers)", oracle)
    held = [len(onet[o].essential | onet[o].optional) for o, _ in pairs]
    print(
        f"O*NET side of the pairs holds {min(held)}-{max(held)} elements/technologies (median "
        f"{sorted(held)[len(held) // 2]}); ESCO side needs "
        f"{sorted(len(esco[e].essential) for _, e in pairs)[len(pairs) // 2]} essential skills (median)"
    )
    top = Counter(e for s, (e, c) in nearest.items() if c >= 0.2 and s in wanted)
    print(
        "most used elements@0.2 among the pairs' skills:",
        ", ".join(f"{onet_skills[e]['label']} {n}" for e, n in top.most_common(8)),
    )
    if args.groups_sample_out:
        rng = random.Random(12)
        chosen = rng.sample(sorted({(a, b) for a, b in groups if a in wanted}), 40)
        with open(args.groups_sample_out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["esco_skill", "esco_label", "onet_element", "onet_label", "label", "reason"])
            for a, b in chosen:
                w.writerow([a, esco_skills[a]["label"], b, onet_skills[b]["label"], "", ""])
    if args.sample_out:
        rng = random.Random(12)
        chosen = rng.sample(sorted(s for s, (e, c) in nearest.items() if c >= 0.2 and s in wanted), 40)
        with open(args.sample_out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(
                ["esco_skill", "esco_label", "onet_element", "onet_label", "cosine", "label", "reason"]
            )
            for s in chosen:
                e, c = nearest[s]
                w.writerow([s, esco_skills[s]["label"], e, onet_skills[e]["label"], f"{c:.3f}", "", ""])
    print(f"{time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()

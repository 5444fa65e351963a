"""The view model and the written page (no browser): contents, escaping, offline, cuts, CLI."""

from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path

import networkx as nx
import pytest
import typer
from rdflib import Graph
from typer.testing import CliRunner

from careerkg.cli import viz as viz_cli
from careerkg.errors import InputError, NotFound
from careerkg.web.viz import (
    GraphView,
    expand_id,
    graph_view,
    neighbourhood_view,
    path_view,
    short_id,
    view_from_networkx,
)

DATA = Path(__file__).parent / "data" / "viz"


@pytest.fixture(scope="module")
def mle(curated_kg):
    return curated_kg.visualize("machine learning engineer")


def _page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="ckg-data">(.*?)</script>', page, re.S)
    assert m, "the page carries its data"
    return json.loads(m.group(1))


def test_mle_view_holds_the_profile(curated_kg, mle: GraphView) -> None:
    profile = curated_kg.career("machine learning engineer")
    assert mle.focus_node["label"] == "Machine Learning Engineer"
    assert mle.focus_node["id"] == "career:machine-learning-engineer"
    assert mle.labels("specialization") == sorted(s.label for s in profile.specializations)
    assert len(mle.labels("specialization")) == 12
    assert mle.labels("duty") == sorted(d.label for d in profile.duties)
    for kind in ("technology", "knowledge", "competence"):
        assert mle.labels(kind) == sorted(s.label for s in profile.skills if s.type == kind)
    careers = set(mle.labels("career")) | set(mle.labels("specialization"))
    assert {r.label for r in profile.related} <= careers
    assert profile.parent.label in careers
    assert set(mle.labels("industry")) == {i.label for i in profile.industries}
    assert set(mle.labels("setting")) == {w.label for w in profile.work_settings}
    assert mle.notice is None and mle.cut == {}


def test_edges_point_at_nodes_and_are_typed(mle: GraphView) -> None:
    ids = {n["id"] for n in mle.nodes}
    assert all(e["from"] in ids and e["to"] in ids for e in mle.edges)
    rels = {(e["from"], e["relation"], e["to"]) for e in mle.edges}
    assert ("career:machine-learning-engineer", "essentialSkill", "skill:python") in rels
    assert (
        "career:machine-learning-engineer",
        "specializationOf",
        "career:artificial-intelligence-engineer",
    ) in rels
    # symmetric relations are drawn once
    related = [(e["from"], e["to"]) for e in mle.edges if e["relation"] == "relatedCareer"]
    assert len(related) == len({frozenset(p) for p in related})


def test_kinds_filter(curated_kg) -> None:
    view = curated_kg.visualize("ml engineer", kinds=["career,specialization"])
    assert {n["kind"] for n in view.nodes} == {"career", "specialization"}
    skills = curated_kg.visualize("ml engineer", kinds=["skill"])
    assert {n["kind"] for n in skills.nodes} - {"career"} == {"technology", "knowledge", "competence"}
    assert len(skills.nodes) == 1 + len(curated_kg.career("ml engineer").skills)


def test_unknown_kind_is_a_clear_error(curated_kg) -> None:
    with pytest.raises(InputError, match="unknown node kind 'skils'"):
        curated_kg.visualize("ml engineer", kinds=["skils"])


def test_above_the_limit_the_view_says_what_was_cut(curated_kg) -> None:
    view = curated_kg.visualize("ml engineer", depth=2, limit=150)
    assert len(view.nodes) == 150
    assert view.total_nodes > 150
    assert sum(view.cut.values()) == view.total_nodes - 150
    assert view.notice.startswith(f"Showing 150 of {view.total_nodes:,} nodes (limit 150); cut: ")
    assert "--depth" in view.notice and "--kinds" in view.notice
    # careers are kept before duties
    assert view.count("specialization") == 12
    assert _page_data(view.html())["notice"] == view.notice


def test_page_is_offline_and_self_contained(mle: GraphView, tmp_path: Path) -> None:
    path = mle.save(tmp_path / "mle.html")
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=", page)
    # The one <link> is the empty inline favicon (without it the browser asks the server for one).
    assert re.findall(r"<link\b[^>]*>", page) == ['<link rel="icon" href="data:,">']
    assert not re.search(r"url\(\s*['\"]?https?:", page)
    assert "@import" not in page
    assert "new vis.Network" in page  # vis-network itself is inlined
    data = _page_data(page)
    assert len(data["nodes"]) == len(mle.nodes) and len(data["edges"]) == len(mle.edges)
    assert list(tmp_path.iterdir()) == [path]  # writes that one file, nothing else
    assert len(page) < 1_500_000


def test_labels_cannot_break_out_of_the_page() -> None:
    g = Graph().parse(DATA / "xss.ttl")
    view = graph_view(g, title="<b>t</b>")
    page = view.html()
    assert "<img src=x" not in page
    assert "</script><script>window.pwned" not in page
    assert "<title><b>" not in page
    data = _page_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert "<img src=x onerror=alert(1)>" in labels  # intact once parsed back
    iframe = view._repr_html_()
    assert iframe.startswith('<iframe srcdoc="') and "<script" not in iframe.split('srcdoc="', 1)[1]
    assert html.unescape(iframe.split('srcdoc="', 1)[1].rsplit('" style=', 1)[0]) == page


#: Labels that once blanked a page (a placeholder pasted script source into the JSON) or could
#: break out of the data block (issue 14, item 10).
HOSTILE_LABELS = [
    "{{vis}}",
    "{{app}}",
    "{{data}}",
    "{{style}}",
    "{{title}}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "$vis",
    "${app}",
    "\u2028",
    "a\u2029b & c",
]
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
_DATA_BLOCK = re.compile(r'(<script type="application/json" id="ckg-data">)(.*?)(</script>)', re.S)
_TITLE = re.compile(r"(<title>)(.*?)( · careerkg</title>)", re.S)


def _labelled_view(label: str) -> GraphView:
    g = nx.DiGraph()
    g.add_node("urn:x:hostile", label=label, type="career", definition=label)
    g.add_node("urn:x:plain", label="Plain", type="career")
    g.add_edge("urn:x:hostile", "urn:x:plain", relation="relatedCareer")
    return view_from_networkx(g, title=label, focus="urn:x:hostile")


@pytest.mark.parametrize("asset_base", [None, "/explore/static"])
@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_hostile_labels_keep_every_node_and_appear_only_escaped(label: str, asset_base: str | None) -> None:
    page = _labelled_view(label).html(asset_base=asset_base)
    plain = _labelled_view("Safe").html(asset_base=asset_base)

    # Nothing outside the data block and the title depends on the label: no script pasted in,
    # no tag broken out of.
    def skeleton(p: str) -> str:
        return _TITLE.sub(r"\1\3", _DATA_BLOCK.sub(r"\1\3", p, count=1), count=1)

    assert skeleton(page) == skeleton(plain)
    assert page.count("<script") == plain.count("<script")
    data = _page_data(page)
    assert {n["id"] for n in data["nodes"]} == {"urn:x:hostile", "urn:x:plain"}
    hostile = next(n for n in data["nodes"] if n["id"] == "urn:x:hostile")
    assert hostile["label"] == hostile["definition"] == data["title"] == label
    assert len(data["edges"]) == 1
    # The label stands only escaped: \u escapes in the JSON, HTML entities in <title>.
    block = _DATA_BLOCK.search(page).group(2)
    assert not set("<>&\u2028\u2029") & set(block)
    assert json.dumps(label, ensure_ascii=False)[1:-1].translate(_SCRIPT_ESCAPES) in block
    assert _TITLE.search(page).group(2) == html.escape(label)


def test_ids_are_short_and_reversible() -> None:
    iri = "https://w3id.org/careerkg/career/machine-learning-engineer/duty/3"
    assert short_id(iri) == "career:machine-learning-engineer/duty/3"
    assert expand_id(short_id(iri)) == iri
    assert expand_id("http://example.org/x") == "http://example.org/x"


def test_save_errors_name_the_path(mle: GraphView, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        mle.save(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        mle.save(tmp_path / "missing" / "x.html")


def test_unknown_node(curated_kg) -> None:
    with pytest.raises(NotFound, match="no node named 'career:nobody'"):
        neighbourhood_view(curated_kg.store, expand_id("career:nobody"))
    with pytest.raises(InputError, match="not a node IRI"):
        neighbourhood_view(curated_kg.store, "<bad iri>")


def test_path_view_is_the_traversal_answer(curated_kg) -> None:
    a, b = curated_kg.resolve("data analyst"), curated_kg.resolve("machine learning engineer")
    view = path_view(curated_kg.store, a, b)
    best = curated_kg.paths("data analyst", "machine learning engineer", k=1)[0]
    gap = curated_kg.skill_gap("data analyst", "machine learning engineer")
    path = view.extra["path"]
    assert (
        [s["label"] for s in path]
        == best.labels
        == ["Data Analyst", "Data Scientist", "Machine Learning Engineer"]
    )
    assert [(s["relation"], s["cost"]) for s in path[1:]] == [(s.relation, s.cost) for s in best.steps]
    assert [s["to_learn"] for s in path[1:]] == [[r.label for r in s.to_learn] for s in best.steps]
    assert view.extra["cost"] == best.cost and view.extra["coverage"] == gap.coverage
    assert [g["label"] for g in view.extra["gap"]] == [r.label for r in gap.to_learn]
    assert [g["label"] for g in view.extra["transfer"]] == [r.label for r in gap.transfer]
    # Drawn: the path's careers, then the 18 most important skills to learn hanging off the target.
    careers = [n for n in view.nodes if n["kind"] == "career"]
    skills = [n for n in view.nodes if n["kind"] != "career"]
    assert [n["label"] for n in careers] == best.labels
    assert [n["label"] for n in skills] == [r.label for r in gap.to_learn[:18]]
    assert view.focus_node["label"] == "Data Analyst"
    steps = [e for e in view.edges if "label" in e]
    assert [e["label"] for e in steps] == [
        "1. related career · cost 0.61",
        "2. related career · cost 0.79",  # judged related since the data commit 0b51d21
    ]
    assert {e["from"] for e in view.edges if "label" not in e} == {"career:machine-learning-engineer"}
    assert (
        view.notice == "Drawing the 18 most important of 50 skills to learn; the side panel lists them all."
    )
    assert view.cut == {"skill": 32}


def test_path_layout_reads_left_to_right(curated_kg) -> None:
    view = path_view(curated_kg.store, curated_kg.resolve("data analyst"), curated_kg.resolve("ml engineer"))
    data = _page_data(view.html())
    assert data["layout"] == "path" and data["options"]["physics"] == {"enabled": False}
    nodes = {n["id"]: n for n in data["nodes"]}
    xs = [nodes[s["id"]]["x"] for s in data["path"]]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)  # careers left to right, apart
    assert {nodes[s["id"]]["y"] for s in data["path"]} == {0}
    goal = xs[-1]
    skills = [n for n in data["nodes"] if n["kind"] != "career"]
    assert {n["x"] for n in skills} == {goal + 300}  # one column right of the target
    ys = sorted(n["y"] for n in skills)
    assert min(b - a for a, b in itertools.pairwise(ys)) >= 40  # room for each label
    assert abs(ys[0] + ys[-1]) < 1  # centred on the path's line


def test_path_between_one_career_and_itself_is_an_error(curated_kg) -> None:
    a = curated_kg.resolve("data analyst")
    with pytest.raises(InputError, match="'Data Analyst' is both the start and the goal"):
        path_view(curated_kg.store, a, a)


def test_whole_graph_starts_as_a_spiral_of_career_families(curated_kg) -> None:
    import math
    import statistics

    from careerkg.web.viz import careers_view

    data = careers_view(curated_kg.store).payload()
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert len(set(pos.values())) == len(pos)  # no two nodes start on the same spot
    radii = sorted(math.hypot(*p) for p in pos.values())
    assert radii[-1] > 1.6 * radii[len(radii) // 4]  # a filled disc, not one ring
    family = [
        math.dist(pos[e["from"]], pos[e["to"]]) for e in data["edges"] if e["relation"] == "specializationOf"
    ]
    ids = sorted(pos)
    anywhere = statistics.median(math.dist(pos[a], pos[b]) for a, b in itertools.combinations(ids, 2))
    assert (
        len(family) == 80 and statistics.median(family) < 0.6 * anywhere
    )  # specializations start by their career


def test_networkx_view_and_cut() -> None:
    g = nx.MultiDiGraph()
    for i in range(30):
        g.add_node(f"urn:c{i}", label=f"C{i}", type="Career")
        if i:
            g.add_edge(f"urn:c{i - 1}", f"urn:c{i}", relation="relatedCareer")
    view = view_from_networkx(g, limit=10)
    assert len(view.nodes) == 10 and len(view.edges) == 9
    assert view.notice.startswith("Showing 10 of 30 nodes")


def _cli() -> typer.Typer:
    app = typer.Typer()
    viz_cli.register(app)
    app.command("noop")(lambda: None)  # keep "viz" a sub-command
    return app


@pytest.fixture(scope="module")
def cli_store(copy_of_built_store) -> str:
    """A store of its own: the session's curated store is held open (and locked) by curated_kg."""
    return str(copy_of_built_store("viz-cli"))


def test_cli_writes_the_view(cli_store: str, tmp_path: Path) -> None:
    out = tmp_path / "mle.html"
    store = cli_store
    result = CliRunner().invoke(_cli(), ["viz", "ml engineer", "-o", str(out), "--store", store, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["kinds"]["specialization"] == 12 and summary["title"] == "Machine Learning Engineer"
    assert out.is_file() and _page_data(out.read_text())["title"] == "Machine Learning Engineer"


def test_cli_path_view_shows_what_path_and_gap_print(cli_store: str, tmp_path: Path) -> None:
    from careerkg.cli import app

    out = tmp_path / "path.html"
    runner = CliRunner()
    args = ["--store", cli_store, "--json"]
    result = runner.invoke(app, ["viz", "data scientist", "--to", "ml engineer", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    data = _page_data(out.read_text(encoding="utf-8"))
    paths = runner.invoke(app, ["path", "data scientist", "ml engineer", "-k", "1", *args])
    gap = runner.invoke(app, ["gap", "data scientist", "ml engineer", *args])
    assert paths.exit_code == 0 and gap.exit_code == 0, paths.output + gap.output
    best, gap_json = json.loads(paths.stdout)[0], json.loads(gap.stdout)
    assert [s["label"] for s in data["path"]] == best["labels"]
    assert [s["relation"] for s in data["path"][1:]] == [s["relation"] for s in best["steps"]]
    assert [g["label"] for g in data["gap"]] == [r["label"] for r in gap_json["to_learn"]]
    assert [g["label"] for g in data["transfer"]] == [r["label"] for r in gap_json["transfer"]]
    assert data["coverage"] == gap_json["coverage"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["viz", "ml enginer"], 1, "no career named 'ml enginer' (did you mean 'ml engineer'"),
        (["viz", "ml engineer", "--kinds", "bogus"], 2, "unknown node kind 'bogus'"),
        (["viz"], 2, "give a career NAME, or --all"),
        (["viz", "data analyst", "--to", "data analyst"], 2, "'Data Analyst' is both the start and the goal"),
        (["viz", "data analyst", "--to", "ml enginer"], 1, "no career named 'ml enginer'"),
    ],
)
def test_cli_errors(cli_store: str, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    store = cli_store
    result = CliRunner().invoke(_cli(), [*args, "-o", str(tmp_path / "x.html"), "--store", store])
    assert result.exit_code == code
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_neighbourhoods_walk_the_cached_link_index(curated_kg) -> None:
    """The index holds exactly the drawn relations the store holds, is kept in the store's one
    cache, and a new process (a fresh StateCache) loads it from disk instead of querying."""
    from careerkg.store.cache import StateCache
    from careerkg.web.viz.reads import LinkIndex, link_index
    from careerkg.web.viz.vocab import RELATIONS

    store = curated_kg.store
    index = link_index(store)
    assert link_index(store) is index
    mle = "https://w3id.org/careerkg/career/machine-learning-engineer"
    values = " ".join(f"ckg:{r}" for r in RELATIONS)
    rows = store.select(
        f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }}
        {{ <{mle}> ?p ?o BIND(<{mle}> AS ?s) }} UNION {{ ?s ?p <{mle}> BIND(<{mle}> AS ?o) }}
        FILTER(isIRI(?s) && isIRI(?o)) }}"""
    )
    assert set(index.around([mle])) == {(s, p.rsplit("#", 1)[-1], o) for s, p, o in rows} != set()
    assert index.info(mle) == {"label": "Machine Learning Engineer", "definition": None, "kind": "career"}
    fresh = StateCache(store)
    if fresh.folder is not None:
        assert fresh.has("viz-links")
        loaded = fresh.get("viz-links", lambda: pytest.fail("rebuilt instead of loaded"))
        assert isinstance(loaded, LinkIndex) and loaded.around([mle]) == index.around([mle])

"""The pages in a real browser: Debian's Chromium driven by Playwright, network blocked.

Skipped (with the reason) when /usr/bin/chromium or the playwright package is absent; CI
installs both. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph

from browsing import BrowserSession
from careerkg.web.viz import GraphView, graph_view
from local_servers import serving_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
DATA = Path(__file__).parent / "data" / "viz"


class Session(BrowserSession):
    """A page with every non-local request aborted and recorded, and console errors collected."""

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_function("window.careerkg && window.careerkg.stabilized", timeout=30_000)

    def js(self, code: str, arg=None):
        return self.page.evaluate(code, arg)


@pytest.fixture
def session(browser) -> Iterator[Session]:
    s = Session(browser)
    yield s
    s.close()


@pytest.fixture(scope="module")
def mle_file(curated_kg, tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphView, Path]:
    view = curated_kg.visualize("machine learning engineer")
    return view, view.save(tmp_path_factory.mktemp("viz") / "mle.html")


VISIBLE = "window.careerkg.visibleNodeIds()"


def test_mle_page_offline(session: Session, mle_file) -> None:
    view, path = mle_file
    session.open(path.as_uri())
    ARTIFACTS.mkdir(exist_ok=True)
    session.page.screenshot(path=str(ARTIFACTS / "viz-machine-learning-engineer.png"))
    assert session.errors == [] and session.blocked == [] and session.dialogs == []
    ids = session.js("window.careerkg.nodes.getIds()")
    assert sorted(ids) == sorted(n["id"] for n in view.nodes)
    assert session.js("window.careerkg.edges.length") == len(view.edges)
    kinds = session.js(
        "Object.fromEntries(['specialization','duty','technology'].map(k => "
        "[k, window.careerkg.nodes.get({filter: n => "
        "window.careerkg.records.get(n.id).kind === k}).length]))"
    )
    assert kinds == {"specialization": 12, "duty": view.count("duty"), "technology": view.count("technology")}
    # The ML engineer is drawn in the middle of the canvas.
    x, y, w, h = session.js("""(() => { const k = window.careerkg, id = 'career:machine-learning-engineer';
        const p = k.network.canvasToDOM(k.network.getPosition(id)), c = document.getElementById('ckg-graph');
        return [p.x, p.y, c.clientWidth, c.clientHeight]; })()""")
    assert abs(x - w / 2) < w * 0.1 and abs(y - h / 2) < h * 0.1
    # Legend: one row per kind drawn, with its count; the title is the career.
    legend = session.page.locator("#ckg-legend-nodes li").all_inner_texts()
    assert any(t.split() == ["Specialization", "12"] for t in legend)
    assert session.page.locator("#ckg-title").inner_text() == "Machine Learning Engineer"
    # Physics stopped after settling.
    assert session.js("window.careerkg.network.physics.physicsEnabled") is False


def test_search_and_filters_change_what_is_visible(session: Session, mle_file) -> None:
    view, path = mle_file
    session.open(path.as_uri())
    total = len(view.nodes)
    assert len(session.js(VISIBLE)) == total
    session.page.fill("#ckg-search-input", "pytorch")
    session.page.press("#ckg-search-input", "Enter")
    visible = set(session.js(VISIBLE))
    assert "skill:pytorch" in visible and "career:machine-learning-engineer" in visible
    assert len(visible) < total / 2
    assert session.page.locator("#ckg-status").inner_text().startswith("1 match for “pytorch”")
    session.page.click("#ckg-search-clear")
    assert len(session.js(VISIBLE)) == total
    # Uncheck the "Duty" kind in the legend: every duty disappears, nothing else.
    session.page.click("input[data-kind=duty]")
    visible = set(session.js(VISIBLE))
    duties = {n["id"] for n in view.nodes if n["kind"] == "duty"}
    assert visible == {n["id"] for n in view.nodes} - duties
    # Uncheck a relation: its edges are hidden.
    session.page.click("input[data-relation=hasDuty]")
    hidden = session.js("window.careerkg.edges.get({filter: e => e.hidden}).map(e => e.id)")
    assert len(hidden) == sum(1 for e in view.edges if e["relation"] == "hasDuty") > 0
    # Click the centre node: its details show.
    session.js("window.careerkg.network.selectNodes(['career:machine-learning-engineer'])")
    pos = session.js("""(() => { const k = window.careerkg;
        return k.network.canvasToDOM(k.network.getPosition('career:machine-learning-engineer')); })()""")
    box = session.page.locator("#ckg-graph").bounding_box()
    session.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    assert "Designs, builds and runs software" in session.page.locator("#ckg-details").inner_text()
    assert session.errors == [] and session.blocked == []


def test_a_hostile_label_shows_as_text_and_runs_nothing(session: Session, tmp_path: Path) -> None:
    view = graph_view(
        Graph().parse(DATA / "xss.ttl"),
        title="<img src=x onerror=alert(1)>",
        focus="https://w3id.org/careerkg/career/evil",
    )
    session.open(view.save(tmp_path / "xss.html").as_uri())
    assert session.page.locator("#ckg-title").inner_text() == "<img src=x onerror=alert(1)>"
    assert session.js("document.querySelectorAll('img').length") == 0
    session.page.fill("#ckg-search-input", "onerror")
    session.page.press("#ckg-search-input", "Enter")
    # Hover (tooltip) and click (details) the hostile node: text only.
    pos = session.js("""(() => { const k = window.careerkg;
        return k.network.canvasToDOM(k.network.getPosition('career:evil')); })()""")
    box = session.page.locator("#ckg-graph").bounding_box()
    session.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    session.page.wait_for_selector("div.vis-tooltip", state="visible")  # the tooltip is drawn
    session.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    details = session.page.locator("#ckg-details").inner_text()
    assert "<img src=x onerror=alert(1)>" in details
    assert "</script><script>window.pwned = 1</script>" in details
    assert session.js("document.querySelectorAll('img, b, #ckg-details script').length") == 0
    assert session.js("typeof window.pwned") == "undefined"
    session.page.screenshot(path=str(ARTIFACTS / "viz-hostile-label.png"))
    assert session.dialogs == [] and session.blocked == [] and session.errors == []


def test_placeholder_labels_draw_as_text(session: Session, tmp_path: Path) -> None:
    """A label naming a template placeholder is text on a working page (issue 14, item 10)."""
    import networkx as nx

    from careerkg.web.viz import view_from_networkx

    labels = ["{{vis}}", "{{app}}", "{{data}}", "$vis", "</script><script>alert(1)</script>", "a\u2028b"]
    g = nx.DiGraph()
    for i, label in enumerate(labels):
        g.add_node(f"urn:x:{i}", label=label, type="career")
        if i:
            g.add_edge(f"urn:x:{i - 1}", f"urn:x:{i}", relation="relatedCareer")
    view = view_from_networkx(g, title="{{vis}}", focus="urn:x:0")
    session.open(view.save(tmp_path / "placeholders.html").as_uri())
    assert session.page.locator("#ckg-title").inner_text() == "{{vis}}"
    drawn = session.js("window.careerkg.nodes.get().map(n => [n.id, n.label])")
    assert sorted(drawn) == sorted([f"urn:x:{i}", label] for i, label in enumerate(labels))
    assert session.js("window.careerkg.edges.length") == len(labels) - 1
    assert session.dialogs == [] and session.blocked == [] and session.errors == []


def _serve(kg) -> Iterator[str]:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from careerkg.web.explorer import explorer_routes

    with serving_app(Starlette(routes=[Mount("/explore", routes=explorer_routes(kg))])) as url:
        yield url


@pytest.fixture(scope="module")
def explorer_url(curated_kg) -> Iterator[str]:
    yield from _serve(curated_kg)


def test_explorer_search_view_expand_path(browser, explorer_url: str) -> None:
    s = Session(browser, allow=explorer_url)
    try:
        s.page.goto(explorer_url + "/explore/?q=ml+engineer")
        s.page.click("#results a >> nth=0")
        s.page.wait_for_function("window.careerkg && window.careerkg.stabilized", timeout=30_000)
        assert s.page.locator("#ckg-title").inner_text() == "Machine Learning Engineer"
        before = s.js("window.careerkg.nodes.length")
        fits = s.js("window.careerkg.fits")
        added = s.js("window.careerkg.expand('skill:pytorch')")
        assert added > 0 and s.js("window.careerkg.nodes.length") == before + added
        # Expanding says what it added, and re-fits; expanding again adds nothing, and says so.
        assert s.page.locator("#ckg-status").inner_text() == f"Added {added} nodes around PyTorch."
        assert s.js("window.careerkg.fits") > fits
        assert s.js("window.careerkg.expand('skill:pytorch')") == 0
        assert s.page.locator("#ckg-status").inner_text().startswith("Nothing new around PyTorch")
        sparql = s.page.locator("#ckg-nav a", has_text="SPARQL about").get_attribute("href")
        assert sparql.startswith("/?query=SELECT") and "machine-learning-engineer" in sparql
        related = s.page.locator("#ckg-extra a", has_text="Data Scientist")
        related.click()
        s.page.wait_for_function("window.careerkg && window.careerkg.stabilized", timeout=30_000)
        assert s.page.locator("#ckg-title").inner_text() == "Data Scientist"
        s.page.fill("input[name=to]", "machine learning engineer")
        s.page.click("text=Path & skill gap")
        s.page.wait_for_function("window.careerkg && window.careerkg.stabilized", timeout=30_000)
        assert s.page.locator("#ckg-title").inner_text() == "Data Scientist → Machine Learning Engineer"
        assert "skill gap: 45 to learn, 26% covered" in s.page.locator("#ckg-extra").inner_text().lower()
        s.page.screenshot(path=str(ARTIFACTS / "explorer-path.png"))
        _assert_path_is_readable(s)
        assert s.errors == [] and s.blocked == []
    finally:
        s.close()


def _assert_path_is_readable(s: Session) -> None:
    """Careers left to right, skills in a column right of the target, no two nodes (with their
    labels) overlapping on screen, all of it inside the canvas."""
    boxes = s.js("""(() => { const k = window.careerkg, net = k.network;
        return k.nodes.getIds().map(id => { const b = net.getBoundingBox(id),
            a = net.canvasToDOM({x: b.left, y: b.top}), c = net.canvasToDOM({x: b.right, y: b.bottom});
            return [id, k.records.get(id).kind, a.x, a.y, c.x, c.y]; }); })()""")
    path = [step["id"] for step in s.js("window.careerkg.data.path")]
    where = {b[0]: b for b in boxes}
    centres = [
        tuple(
            s.js(f"window.careerkg.network.canvasToDOM(window.careerkg.network.getPosition({c!r}))").values()
        )
        for c in path
    ]
    assert [x for x, _ in centres] == sorted(x for x, _ in centres)
    assert max(y for _, y in centres) - min(y for _, y in centres) < 1
    skills = [b for b in boxes if b[1] != "career"]
    assert skills and min(b[2] for b in skills) > where[path[-1]][4]  # right of the target
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[4] <= b[2] or b[4] <= a[2] or a[5] <= b[3] or b[5] <= a[3]
            assert apart, f"{a[0]} and {b[0]} overlap on screen: {a[2:]} {b[2:]}"
    w, h = s.js("(g => [g.clientWidth, g.clientHeight])(document.getElementById('ckg-graph'))")
    assert all(b[2] >= 0 and b[3] >= 0 and b[4] <= w and b[5] <= h for b in boxes)


# -- calm neighbourhoods (issue 15, item 1) ---------------------------------------------------

#: In the page: every node drawn (group nodes included), its shape box and its label box (when
#: its label is drawn), and which labels overlap another drawn label or another node's shape.
OVERLAP = """() => { const k = window.careerkg, body = k.network.body, items = [];
  for (const id of k.shownIds()) {
    const n = body.nodes[id], lm = n.labelModule, text = lm.elementOptions.label, s = lm.size;
    const shape = n.options.shape === 'box'
      ? [n.x - n.shape.width / 2, n.y - n.shape.height / 2, n.x + n.shape.width / 2, n.y + n.shape.height / 2]
      : [n.x - n.options.size, n.y - n.options.size, n.x + n.options.size, n.y + n.options.size];
    const label = text && String(text).length && s.width > 0
      ? [s.left, s.top, s.left + s.width, s.top + s.height] : null;
    items.push({id, shape, label});
  }
  const hit = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  const labelled = items.filter(i => i.label), bad = [];
  for (const a of labelled)
    if (items.some(b => b !== a && ((b.label && hit(a.label, b.label)) || hit(a.label, b.shape))))
      bad.push(a.id);
  return {shown: items.length, labels: labelled.length, overlapping: bad,
          share: bad.length / Math.max(1, labelled.length)};
}"""

FOCUS_CENTRED = """() => { const k = window.careerkg, f = k.data.nodes.find(n => n.focus);
  const p = k.network.canvasToDOM(k.network.getPosition(f.id)), c = document.getElementById('ckg-graph');
  return {shown: k.shownIds().includes(f.id), dx: Math.abs(p.x - c.clientWidth / 2) / c.clientWidth,
          dy: Math.abs(p.y - c.clientHeight / 2) / c.clientHeight}; }"""


def _settle(s: Session) -> None:
    s.page.wait_for_function("!window.careerkg.fitting", timeout=5_000)


def _assert_calm(s: Session, name: str) -> dict:
    _settle(s)
    s.page.screenshot(path=str(ARTIFACTS / f"calm-{name}.png"))
    report = s.js(OVERLAP)
    assert report["labels"] >= 4
    assert report["share"] <= 0.02, f"{name}: labels overlap: {report}"
    focus = s.js(FOCUS_CENTRED)
    assert focus["shown"] and focus["dx"] < 0.02 and focus["dy"] < 0.02, focus
    return report


def _big_occupation() -> GraphView:
    """An O*NET-sized occupation: 68 related careers, 426 technologies, 19 duties."""
    import networkx as nx

    from careerkg.web.viz import view_from_networkx

    g = nx.DiGraph()
    g.add_node("urn:o:focus", label="Software Developers", kind="career")
    for kind, relation, count, name in [
        ("career", "relatedCareer", 68, "Related Occupation Number"),
        ("technology", "optionalSkill", 426, "Some Technology Product"),
        ("duty", "hasDuty", 19, "Develop and direct software system testing and validation procedures"),
    ]:
        for i in range(count):
            g.add_node(f"urn:o:{kind}{i}", label=f"{name} {i}", kind=kind)
            g.add_edge("urn:o:focus", f"urn:o:{kind}{i}", relation=relation)
    return view_from_networkx(g, title="Software Developers", focus="urn:o:focus")


@pytest.mark.parametrize("name", ["machine learning engineer", "data scientist", "big occupation"])
def test_neighbourhoods_are_calm(session: Session, curated_kg, tmp_path: Path, name: str) -> None:
    view = _big_occupation() if name == "big occupation" else curated_kg.visualize(name)
    session.open(view.save(tmp_path / "v.html").as_uri())
    report = _assert_calm(session, name.replace(" ", "-"))
    assert report["shown"] < len(view.nodes)  # grouped
    assert session.errors == [] and session.blocked == []


def test_a_full_graph_occupation_is_calm(session: Session, tmp_path: Path) -> None:
    """On the full store (curated + O*NET + ESCO) when CAREERKG_FULL_STORE names one (a copy:
    the view caches its link index there)."""
    import os

    from careerkg import CareerGraph

    where = os.environ.get("CAREERKG_FULL_STORE")
    if not where:
        pytest.skip("set CAREERKG_FULL_STORE to a copy of a full store")
    kg = CareerGraph.open(where)
    for code in ("15-1252.00", "machine learning engineer"):
        session.open(kg.visualize(code).save(tmp_path / "v.html").as_uri())
        _assert_calm(session, "full-" + code.replace(" ", "-"))
    assert session.errors == [] and session.blocked == []


def test_focus_stays_centred_under_every_filter_and_groups_open(session: Session, mle_file) -> None:
    view, path = mle_file
    session.open(path.as_uri())
    _settle(session)
    for kind in sorted({n["kind"] for n in view.nodes}):
        fits = session.js("window.careerkg.fits")
        session.page.click(f"input[data-kind={kind}]")
        _settle(session)
        focus = session.js(FOCUS_CENTRED)
        assert focus["shown"] and focus["dx"] < 0.02 and focus["dy"] < 0.02, (kind, focus)
        assert session.js("window.careerkg.fits") > fits, f"no re-fit after hiding {kind}"
        assert session.js(OVERLAP)["share"] <= 0.02
        session.page.click(f"input[data-kind={kind}]")
    _settle(session)
    # A group node opens on click: its members are drawn, the view re-fits and says so.
    group = session.js("window.careerkg.groups.find(g => g.id === 'group:competence')")
    assert group and group["label"] == f"{view.count('competence')} competences"
    fits = session.js("window.careerkg.fits")
    pos = session.js(
        f"window.careerkg.network.canvasToDOM(window.careerkg.network.getPosition({group['id']!r}))"
    )
    box = session.page.locator("#ckg-graph").bounding_box()
    session.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    _settle(session)
    shown = set(session.js("window.careerkg.shownIds()"))
    assert set(group["members"]) <= shown and group["id"] not in shown
    assert session.js("window.careerkg.fits") > fits
    assert session.page.locator("#ckg-status").inner_text() == f"Showing the {group['label']}."
    session.page.screenshot(path=str(ARTIFACTS / "calm-group-opened.png"))
    # Edge labels: none until a node is selected, then on that node's edges only.
    labelled = "window.careerkg.edges.get({filter: e => !!e.label}).length"
    assert session.js(labelled) == 0
    focus = session.js(FOCUS_CENTRED)
    session.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert focus["shown"] and 0 < session.js(labelled) < len(view.edges)
    session.page.click("#ckg-regroup")
    _settle(session)
    assert group["id"] in set(session.js("window.careerkg.shownIds()"))
    assert session.errors == [] and session.blocked == []


# -- the explorer, with its Content-Security-Policy on (issue 15, item 2) -------------------------


def _wait_drawn(s: Session) -> None:
    s.page.wait_for_selector("body[data-stabilized=true]", timeout=30_000)
    s.page.wait_for_selector("#ckg-graph[data-fitting=false]", timeout=5_000)


def test_explorer_search_profile_keyboard_with_csp(browser, explorer_url: str) -> None:
    s = Session(browser, allow=explorer_url, csp=True, viewport=(1366, 768))
    try:
        s.page.goto(explorer_url + "/explore/")
        s.page.locator("#ckg-q").press_sequentially("machine learn", delay=20)
        # The suggestions for the whole text (a pause while typing may show a prefix's first).
        s.page.wait_for_selector(
            "#ckg-home[data-suggestions-for='machine learn']:not([data-suggestions='0'])"
        )
        first = s.page.locator("#ckg-suggest li").first
        assert first.locator(".ckg-label").inner_text() == "Machine Learning Engineer"
        assert first.locator(".ckg-source").inner_text() == "careerkg"
        s.page.screenshot(path=str(ARTIFACTS / "explorer-home-1366.png"))
        s.page.keyboard.press("ArrowDown")
        s.page.keyboard.press("Enter")
        _wait_drawn(s)
        assert s.page.locator("#ckg-title").inner_text() == "Machine Learning Engineer"
        profile = s.page.locator("#ckg-profile")
        assert "Designs, builds and runs software" in profile.inner_text()
        text = profile.inner_text()
        assert "Skills: technologies" in text and "importance" in text
        s.page.screenshot(path=str(ARTIFACTS / "explorer-career-1366.png"))
        # Keyboard: a skill in the profile opens its group in the graph and shows its details.
        fits = int(s.page.locator("#ckg-graph").get_attribute("data-fits"))
        s.page.locator("#ckg-profile button[data-node='skill:pytorch']").focus()
        s.page.keyboard.press("Enter")
        s.page.wait_for_selector("#ckg-graph[data-fitting=false]")
        assert "skill:pytorch" in s.page.locator("#ckg-graph").get_attribute("data-shown").split()
        assert "PyTorch" in s.page.locator("#ckg-details").inner_text()
        # Expand from the details, by keyboard: it says how many nodes it added and re-fits.
        s.page.locator("#ckg-details button[data-expand]").focus()
        s.page.keyboard.press("Enter")
        s.page.wait_for_selector("#ckg-status:text-matches('^Added \\\\d+ nodes? around PyTorch')")
        s.page.wait_for_selector("#ckg-graph[data-fitting=false]")
        assert int(s.page.locator("#ckg-graph").get_attribute("data-fits")) > fits
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()


def test_explorer_reads_on_a_phone(browser, explorer_url: str) -> None:
    s = Session(browser, allow=explorer_url, csp=True, viewport=(390, 844))
    try:
        s.page.goto(explorer_url + "/explore/?q=data")
        s.page.screenshot(path=str(ARTIFACTS / "explorer-home-390.png"))
        assert s.page.locator("#results li").count() > 3
        s.page.goto(explorer_url + "/explore/view?c=data+scientist")
        _wait_drawn(s)
        graph = s.page.locator("#ckg-graph").bounding_box()
        side = s.page.locator("#ckg-side").bounding_box()
        assert graph["width"] >= 380 and graph["height"] >= 400
        assert side["y"] >= graph["y"] + graph["height"] - 1 and side["width"] >= 380  # below, full width
        s.page.screenshot(path=str(ARTIFACTS / "explorer-career-390.png"), full_page=True)
        assert s.errors == [] and s.blocked == []
    finally:
        s.close()


@pytest.fixture(scope="module")
def hostile_url() -> Iterator[str]:
    from rdflib import URIRef

    from careerkg import CareerGraph

    # Oxigraph in memory: no folder, so the explorer builds views in threads, as for rdflib's
    # memory store, but in a second rather than the 5 s (15 s on a busy machine, past the
    # explorer's 10 s timeout) that rdflib's SPARQL takes over the curated graph.
    kg = CareerGraph.open("oxigraph-memory")
    kg.store.replace_graph(URIRef("https://w3id.org/careerkg/graph/xss"), Graph().parse(DATA / "xss.ttl"))
    yield from _serve(kg)


def test_explorer_hostile_labels_are_text_with_csp(browser, hostile_url: str) -> None:
    s = Session(browser, allow=hostile_url, csp=True, viewport=(1366, 768))
    try:
        s.page.goto(hostile_url + "/explore/")
        s.page.locator("#ckg-q").press_sequentially("onerror", delay=20)
        # The suggestions for the whole text (a pause while typing may show a prefix's first).
        s.page.wait_for_selector("#ckg-home[data-suggestions-for='onerror']:not([data-suggestions='0'])")
        assert (
            s.page.locator("#ckg-suggest li .ckg-label").first.inner_text() == "<img src=x onerror=alert(1)>"
        )
        s.page.goto(hostile_url + "/explore/?q=onerror")
        assert "<img src=x onerror=alert(1)>" in s.page.locator("#results").inner_text()
        s.page.locator("#results a").first.click()
        _wait_drawn(s)
        assert s.page.locator("#ckg-title").inner_text() == "<img src=x onerror=alert(1)>"
        assert "</script><script>window.pwned = 1</script>" in s.page.locator("#ckg-profile").inner_text()
        assert s.page.locator("img, b, #ckg-profile script").count() == 0
        s.page.screenshot(path=str(ARTIFACTS / "explorer-hostile.png"))
        assert s.dialogs == [] and s.blocked == [] and s.errors == []
    finally:
        s.close()


HOSTILE = "<img src=x onerror=alert(1)>"  # the title conftest's suggested_store gives one occupation


@pytest.fixture(scope="module")
def suggested_url(suggested_store) -> Iterator[tuple[str, str]]:
    """The explorer over curated + the O*NET/ESCO/crosswalk fixtures + suggest-matches, and a
    career one of whose suggested occupations has a hostile title."""
    from careerkg import CareerGraph
    from careerkg.store import OxigraphStore

    kg = CareerGraph.open(OxigraphStore(suggested_store, read_only=True))
    [(career,)] = kg.store.select(
        f"""SELECT ?c WHERE {{ ?c ckg:hasSuggestedMatch/ckg:suggestedOccupation ?o .
              ?o skos:prefLabel "{HOSTILE}"@en }} ORDER BY ?c LIMIT 1"""
    )
    for url in _serve(kg):
        yield url, career
    kg.close()


def test_explorer_suggested_matches_are_a_block_of_their_own_with_csp(browser, suggested_url) -> None:
    """Issue 12: the matches `careerkg suggest-matches` predicted show as suggested, in a block
    of their own; a career without any shows none; a hostile occupation title stays text."""
    url, hostile_career = suggested_url
    s = Session(browser, allow=url, csp=True, viewport=(1366, 768))
    try:
        s.page.goto(url + "/explore/view?c=data+scientist")
        _wait_drawn(s)
        block = s.page.locator("#ckg-profile #ckg-suggested")
        assert block.locator("h3").inner_text() == "Suggested matches (6)"
        assert "Predicted by careerkg, not by O*NET, ESCO or the official crosswalk." in block.inner_text()
        assert "Confidence: the estimated probability that the official crosswalk" in block.inner_text()
        rows = block.locator("tbody tr[data-status]")
        assert rows.count() == 6 and block.locator("tbody tr[data-status=suggested]").count() == 6
        assert block.locator("tbody tr.ckg-evidence td.ckg-hint").first.inner_text().startswith("evidence: ")
        assert block.locator(".ckg-tag-suggested").all_inner_texts() == ["suggested"] * 6
        first = rows.first.locator("td").all_inner_texts()
        assert first[:3] == ["suggested", "ESCO", "1"] and 0 < float(first[4]) <= 1
        top = block.locator("a", has_text="Data Scientists")
        onet = "https://w3id.org/careerkg/onet/occupation/15-2051.00"
        assert top.get_attribute("href") == "/explore/view?c=" + quote(onet, safe="")
        block.scroll_into_view_if_needed()
        s.page.screenshot(path=str(ARTIFACTS / "explorer-suggested-1366.png"))
        # The O*NET occupation's own page: the crosswalk covers it, so no suggestions, no block.
        top.click()
        _wait_drawn(s)
        assert s.page.locator("#ckg-title").inner_text() == "Data Scientists"
        assert s.page.locator("#ckg-profile").count() == 1 and s.page.locator("#ckg-suggested").count() == 0
        # A hostile occupation title in another career's block is text, and runs nothing.
        s.page.goto(url + "/explore/view?c=" + quote(hostile_career, safe=""))
        _wait_drawn(s)
        assert HOSTILE in s.page.locator("#ckg-suggested tbody").inner_text()
        assert s.page.locator("img, #ckg-profile script").count() == 0
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()

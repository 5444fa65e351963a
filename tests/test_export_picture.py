"""Pictures users can share (issue 15, item 4): every view's PNG and SVG buttons, in a real
browser (Debian's Chromium driven by Playwright, every request outside the page's own origin
aborted and counted), on the offline neighbourhood and path pages, the explorer's career page
and map (with the explorer's Content-Security-Policy on), and the offline WebGL map.

A download is checked as a user would look at it: the PNG is a PNG of the canvas's pixel size
whose drawing matches a screenshot of the page (compared pixel by pixel in a blank page of the
browser); the SVG parses as XML, names each node on screen once, holds the labels as ``<text>``
(a hostile label as literal text) and no script. The files and screenshots go to
tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import base64
import random
import struct
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from browsing import BrowserSession
from careerkg.web.viz import graph_view
from careerkg.web.viz.mapview import CareerMap, map_from_edges
from local_servers import serving_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
DATA = Path(__file__).parent / "data" / "viz"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<img src=x onerror=alert(1)>"  # the label of tests/data/viz/xss.ttl's career


# -- reading what was saved ---------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height, from its header; asserts it is a whole PNG (signature, IHDR
    first, IDAT that decompresses to one filter byte and ``width`` pixels per row, IEND last)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append((data[at + 4 : at + 8], data[at + 8 : at + 8 + length]))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    channels = {2: 3, 6: 4}[colour]  # RGB or RGBA, 8 bits a channel
    raw = zlib.decompress(b"".join(body for name, body in chunks if name == b"IDAT"))
    assert depth == 8 and len(raw) == height * (1 + width * channels)
    return width, height


#: In a blank page: how much of what the screenshot shows (its pixels unlike the background,
#: the "ink") the PNG shows at the same place (within a pixel, as antialiasing may shift it).
COMPARE = """async ([png, shot]) => {
  const load = src => new Promise((ok, bad) => {
    const i = new Image(); i.onload = () => ok(i); i.onerror = bad; i.src = src; });
  const [a, b] = await Promise.all([load(png), load(shot)]);
  const w = a.width, h = a.height;
  const pixels = img => { const c = new OffscreenCanvas(w, h), g = c.getContext('2d');
    g.drawImage(img, 0, 0, w, h); return g.getImageData(0, 0, w, h).data; };
  const p = pixels(a), q = pixels(b);
  const near = (i, j) => Math.abs(p[i] - q[j]) + Math.abs(p[i + 1] - q[j + 1])
    + Math.abs(p[i + 2] - q[j + 2]) <= 60;
  let ink = 0, shown = 0, pngInk = 0, opaque = true;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const j = 4 * (y * w + x);
    if (p[j + 3] !== 255) opaque = false;
    if (Math.abs(p[j] - p[0]) + Math.abs(p[j + 1] - p[1]) + Math.abs(p[j + 2] - p[2]) > 60) pngInk++;
    if (Math.abs(q[j] - q[0]) + Math.abs(q[j + 1] - q[1]) + Math.abs(q[j + 2] - q[2]) <= 60) continue;
    ink++;
    search: for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const yy = y + dy, xx = x + dx;
      if (yy >= 0 && yy < h && xx >= 0 && xx < w && near(4 * (yy * w + xx), j)) { shown++; break search; }
    }
  }
  return {ink, pngInk, shown: ink ? shown / ink : 0, opaque, background: [p[0], p[1], p[2]]};
}"""


def compare_with_screenshot(browser, png: bytes, shot: bytes) -> dict:
    page = browser.new_page()
    try:
        return page.evaluate(
            COMPARE,
            [f"data:image/png;base64,{base64.b64encode(x).decode()}" for x in (png, shot)],
        )
    finally:
        page.close()


def svg_tree(text: str) -> ET.Element:
    """The SVG parsed as XML: one root ``<svg>``, no script, no foreign element anywhere."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == SVG + "svg"
    tags = {e.tag for e in root.iter()}
    assert all(t.startswith(SVG) for t in tags), tags
    assert not {SVG + "script", SVG + "foreignObject", SVG + "image", SVG + "a"} & tags
    assert not any(k.lower().startswith("on") for e in root.iter() for k in e.attrib)
    return root


def node_ids(root: ET.Element) -> list[str]:
    """The nodes an SVG draws: one ``g.ckg-node`` each, holding one shape."""
    nodes = [g for g in root.iter(SVG + "g") if g.get("class") == "ckg-node"]
    assert all(sum(1 for e in g if e.get("class") == "ckg-shape") == 1 for g in nodes)
    return [g.get("data-id") for g in nodes]


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(SVG + "text")]


def export(page, kind: str, *, keyboard: bool = False) -> tuple[str, bytes]:
    """Click the page's PNG or SVG button (or focus it and press Enter); the file's suggested
    name and its bytes."""
    button = page.locator(f"#ckg-export-{kind}")
    with page.expect_download() as download:
        if keyboard:
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()
    path = download.value.path()
    return download.value.suggested_filename, Path(path).read_bytes()


def export_both(s: BrowserSession, area: str, name: str, *, keyboard: bool = False) -> dict:
    """Screenshot ``area`` (the drawing), then export a PNG and an SVG; each saved under
    tests/artifacts/export-NAME.*. The PNG is checked against the screenshot."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = s.page.locator(area).screenshot(path=str(ARTIFACTS / f"export-{name}-screen.png"))
    png_name, png = export(s.page, "png", keyboard=keyboard)
    svg_name, svg = export(s.page, "svg", keyboard=keyboard)
    (ARTIFACTS / f"export-{name}.png").write_bytes(png)
    (ARTIFACTS / f"export-{name}.svg").write_bytes(svg)
    return {"png_name": png_name, "png": png, "svg_name": svg_name, "svg": svg.decode("utf-8"), "shot": shot}


def assert_png_shows_the_page(browser, got: dict, canvas_size: tuple[int, int]) -> dict:
    assert png_size(got["png"]) == canvas_size  # the canvas's pixels: CSS size × devicePixelRatio
    seen = compare_with_screenshot(browser, got["png"], got["shot"])
    assert seen["opaque"], "the PNG has transparent pixels"
    assert seen["ink"] > 300 and seen["pngInk"] > 0.7 * seen["ink"], seen  # not blank
    assert seen["shown"] >= 0.9, f"the PNG misses what the page shows: {seen}"
    return seen


def canvas_size(page, selector: str) -> tuple[int, int]:
    """A canvas's pixel size, from its attributes (readable with the page's CSP on)."""
    c = page.locator(selector)
    return int(c.get_attribute("width")), int(c.get_attribute("height"))


# -- the vis-network pages (careerkg viz NAME, careerkg viz A --to B) ---------------------------


class ViewSession(BrowserSession):
    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-stabilized=true]", timeout=30_000)
        self.page.wait_for_selector("#ckg-graph[data-fitting=false]", timeout=5_000)

    def shown(self) -> list[str]:
        return self.page.locator("#ckg-graph").get_attribute("data-shown").split()


class _Scaled:
    """A browser whose new contexts draw at ``scale`` device pixels per CSS pixel."""

    def __init__(self, browser, scale: float) -> None:
        self.browser, self.scale = browser, scale

    def new_context(self, **options):
        return self.browser.new_context(device_scale_factor=self.scale, **options)


@pytest.fixture(scope="module")
def mle_page(curated_kg, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return curated_kg.visualize("machine learning engineer").save(
        tmp_path_factory.mktemp("export") / "mle.html"
    )


@pytest.mark.parametrize("scale", [1, 2])
def test_neighbourhood_page_exports_png_and_svg(browser, mle_page: Path, scale: int) -> None:
    s = ViewSession(_Scaled(browser, scale))
    try:
        s.open(mle_page.as_uri())
        got = export_both(s, "#ckg-graph", f"mle-x{scale}", keyboard=scale == 2)
        assert (got["png_name"], got["svg_name"]) == (
            "machine-learning-engineer.png",
            "machine-learning-engineer.svg",
        )
        width, height = canvas_size(s.page, "#ckg-graph canvas")
        box = s.page.locator("#ckg-graph").bounding_box()
        assert (width, height) == (round(box["width"] * scale), round(box["height"] * scale))
        assert_png_shows_the_page(browser, got, (width, height))
        root = svg_tree(got["svg"])
        assert root.get("viewBox") == f"0 0 {width // scale} {height // scale}"
        assert sorted(node_ids(root)) == sorted(s.shown())  # every node on screen, once
        words = texts(root)
        assert "Machine Learning Engineer" in words and "11 specializations" in words
        assert root.find(SVG + "title").text == "Machine Learning Engineer"
        assert (
            s.page.locator("#ckg-status").inner_text()
            == "Saved the picture as machine-learning-engineer.svg."
        )
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()


def test_path_page_exports_png_and_svg(browser, curated_kg, tmp_path: Path) -> None:
    view = curated_kg.visualize("data analyst", to="machine learning engineer")
    s = ViewSession(browser)
    try:
        s.open(view.save(tmp_path / "path.html").as_uri())
        # A filter first: the pictures show what the page shows, not what the view holds.
        s.page.click("input[data-kind=knowledge]")
        s.page.wait_for_selector("#ckg-graph[data-fitting=false]")
        got = export_both(s, "#ckg-graph", "path")
        assert got["png_name"] == "data-analyst-to-machine-learning-engineer.png"
        assert_png_shows_the_page(browser, got, canvas_size(s.page, "#ckg-graph canvas"))
        root = svg_tree(got["svg"])
        shown = s.shown()
        assert sorted(node_ids(root)) == sorted(shown) and len(shown) < len(view.nodes)
        words = " ".join(texts(root))  # long career names wrap: one <text> a line
        assert "Data Analyst" in words and "Machine Learning Engineer" in words
        assert "1. related career · cost" in words  # the steps' edge labels
        edges = [g for g in root.iter(SVG + "g") if g.get("class") == "ckg-edge"]
        assert edges and all(g.find(SVG + "path") is not None for g in edges)
        assert s.errors == [] and s.blocked == []
    finally:
        s.close()


def test_hostile_labels_are_text_in_the_pictures_with_the_csp_on(browser, tmp_path: Path) -> None:
    view = graph_view(
        Graph().parse(DATA / "xss.ttl"), title=HOSTILE, focus="https://w3id.org/careerkg/career/evil"
    )
    s = ViewSession(browser, csp=True)
    try:
        s.open(view.save(tmp_path / "xss.html").as_uri())
        got = export_both(s, "#ckg-graph", "hostile")
        assert got["svg_name"] == "img-src-x-onerror-alert-1.svg"
        assert_png_shows_the_page(browser, got, canvas_size(s.page, "#ckg-graph canvas"))
        assert "<img" not in got["svg"] and "&lt;img src=x onerror=alert(1)&gt;" in got["svg"]
        root = svg_tree(got["svg"])
        assert root.find(SVG + "title").text == HOSTILE
        assert {HOSTILE, 'Plain "quoted" & <b>career</b>', "Quoting'); alert(3); ('"} <= set(texts(root))
        assert sorted(node_ids(root)) == sorted(s.shown())
        assert s.page.locator("img, svg").count() == 0  # nothing of it reached the page
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()


def test_placeholder_and_control_characters_make_a_well_formed_svg(browser, tmp_path: Path) -> None:
    """Labels naming the page's placeholders are text; characters XML forbids are replaced."""
    import networkx as nx

    from careerkg.web.viz import view_from_networkx

    labels = ["{{vis}}", "{{app}}", "</script><script>alert(1)</script>", "a\u2028b", "bell\x07 & <tab>"]
    g = nx.DiGraph()
    for i, label in enumerate(labels):
        g.add_node(f"urn:x:{i}", label=label, type="career")
        if i:
            g.add_edge("urn:x:0", f"urn:x:{i}", relation="relatedCareer")
    s = ViewSession(browser)
    try:
        s.open(view_from_networkx(g, title="{{vis}}", focus="urn:x:0").save(tmp_path / "p.html").as_uri())
        _, svg = export(s.page, "svg")
        root = svg_tree(svg.decode("utf-8"))
        assert set(labels[:4]) | {"bell\ufffd & <tab>"} <= set(texts(root))
        assert len(node_ids(root)) == len(labels)
        assert s.errors == [] and s.blocked == []
    finally:
        s.close()


# -- the explorer (careerkg serve), its Content-Security-Policy on ------------------------------


@pytest.fixture(scope="module")
def explorer_url(curated_kg) -> Iterator[str]:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from careerkg.web.explorer import explorer_routes

    app = Starlette(routes=[Mount("/explore", routes=explorer_routes(curated_kg, workers=0))])
    with serving_app(app) as url:
        yield url


def test_explorer_career_page_exports_with_its_csp(browser, explorer_url: str) -> None:
    s = ViewSession(browser, allow=explorer_url, csp=True, viewport=(1366, 768))
    try:
        s.open(explorer_url + "/explore/view?c=data+scientist")
        got = export_both(s, "#ckg-graph", "explorer-career")
        assert (got["png_name"], got["svg_name"]) == ("data-scientist.png", "data-scientist.svg")
        assert_png_shows_the_page(browser, got, canvas_size(s.page, "#ckg-graph canvas"))
        root = svg_tree(got["svg"])
        assert sorted(node_ids(root)) == sorted(s.shown())
        assert "Data Scientist" in texts(root)
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()


# -- the whole-graph map (WebGL) ---------------------------------------------------------------


class MapSession(BrowserSession):
    def open(self, url: str) -> None:
        self.page.goto(url)
        self.complete()

    def complete(self) -> None:
        """Every link drawn (the picture on screen is whole)."""
        self.page.wait_for_selector("#ckg-map[data-complete='1']", state="attached", timeout=20_000)

    def find(self, text: str, selected: str) -> None:
        self.page.fill("#ckg-search-input", text)
        self.page.press("#ckg-search-input", "Enter")
        self.page.wait_for_selector(f"#ckg-map[data-selected='{selected}']", state="attached")
        self.complete()


def grid_map(careers: int = 1600, skills: int = 900, links: int = 11000, seed: int = 4) -> CareerMap:
    """A map with positions of its own (no layout: milliseconds): careers on a jittered grid,
    linked mostly to near ones, each skill beside a career; more links than an SVG holds."""
    rng = random.Random(seed)
    side = int(careers**0.5)
    xy = [
        (10.0 * (i % side) + rng.random() * 4, 10.0 * (i // side) + rng.random() * 4) for i in range(careers)
    ]
    xy += [
        (x + rng.uniform(-3, 3), y + rng.uniform(-3, 3))
        for x, y in (xy[rng.randrange(careers)] for _ in range(skills))
    ]
    edges: set[tuple[int, int]] = set()
    while len(edges) < links:
        a = rng.randrange(careers)
        b = a + rng.randint(-3, 3) + side * rng.randint(-3, 3)  # a career near it
        b = min(careers - 1, max(0, b))
        if a != b:
            edges.add((min(a, b), max(a, b)))
    edges |= {(careers + j, rng.randrange(careers)) for j in range(skills)}
    return CareerMap(
        title="Grid careers",
        ids=[f"c{i}" for i in range(careers)] + [f"s{j}" for j in range(skills)],
        labels=[f"career {i}" for i in range(careers)] + [f"skill {j}" for j in range(skills)],
        groups=[i % 3 for i in range(careers + skills)],
        xy=xy,
        edges=sorted(edges),
        kinds=[0] * careers + [1 + j % 3 for j in range(skills)],
    )


#: With the page's CSP off (this test's session): the nodes whose centre is on the map, and those
#: within 12 px of it (a point whose centre is just outside may still show).
IN_VIEW = """() => { const m = window.careerkgMap, box = document.getElementById('ckg-map');
  const w = box.clientWidth, h = box.clientHeight;
  const within = (p, d) => p[0] >= -d && p[0] <= w + d && p[1] >= -d && p[1] <= h + d;
  const at = m.ids.map(id => m.screenOf(id));
  return [at.filter(p => within(p, 0)).length, at.filter(p => within(p, 12)).length]; }"""


def test_map_exports_png_and_a_capped_svg(browser, tmp_path: Path) -> None:
    m = grid_map()
    s = MapSession(browser)
    try:
        s.open(m.save(tmp_path / "grid.html").as_uri())
        got = export_both(s, "#ckg-map", "map-grid")
        assert (got["png_name"], got["svg_name"]) == ("grid-careers.png", "grid-careers.svg")
        width, height = canvas_size(s.page, "#ckg-canvas")
        box = s.page.locator("#ckg-map").bounding_box()
        assert (width, height) == (round(box["width"]), round(box["height"]))
        seen = assert_png_shows_the_page(browser, got, (width, height))
        assert seen["background"] == [252, 252, 253]  # the map's own background, not transparent
        root = svg_tree(got["svg"])
        # The whole map is in view: every point, the labels shown, and 10,000 of its links.
        assert len(node_ids(root)) == int(s.page.locator("#ckg-map").get_attribute("data-nodes")) == m.nodes
        assert len(list(root.iter(SVG + "line"))) == 10_000 < m.edge_count
        desc = root.find(SVG + "desc").text
        assert f"of {m.edge_count:,} links in view: an even sample, the first 10,000" in desc
        assert f"links capped: 10000 of the {m.edge_count} links in view" in got["svg"].split("<svg")[0]
        shown = s.page.locator(".ckg-label:not([hidden])").all_inner_texts()
        assert shown and set(shown) <= set(texts(root))
        # Zoomed in on one career: the points in view, its label, its links in orange.
        s.find("career 777", "c777")
        got = export_both(s, "#ckg-map", "map-grid-zoomed")
        assert got["png_name"] == "grid-careers-career-777.png"
        assert_png_shows_the_page(browser, got, (width, height))
        root = svg_tree(got["svg"])
        inside, near = s.page.evaluate(IN_VIEW)
        assert inside <= len(node_ids(root)) <= near < m.nodes
        assert "career 777" in texts(root)
        assert any(g.get("class") == "ckg-picked" and len(g) > 0 for g in root.iter(SVG + "g"))
        assert "capped" not in got["svg"].split("<svg")[0]
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()


def test_map_pictures_keep_hostile_labels_as_text_with_the_hash_csp(browser, tmp_path: Path) -> None:
    nodes = [
        {"id": "x1", "label": HOSTILE, "group": "esco"},
        {"id": "x2", "label": "</script><script>alert(2)</script>", "group": "onet"},
        {"id": "x3", "label": "{{app}} {{data}}", "group": "curated"},
        {"id": "s1", "label": '<svg onload="alert(3)">', "group": "esco", "kind": "skill"},
    ]
    edges = [("x1", "x2"), ("x2", "x3"), ("s1", "x1")]
    path = map_from_edges(nodes, edges, title="Hostile & <odd> map").save(tmp_path / "x.html")
    s = MapSession(browser, csp=True)
    try:
        s.open(path.as_uri())
        s.find("onerror", "x1")
        got = export_both(s, "#ckg-map", "map-hostile")
        assert got["svg_name"] == "hostile-odd-map-img-src-x-onerror-alert-1.svg"
        assert_png_shows_the_page(browser, got, canvas_size(s.page, "#ckg-canvas"))
        root = svg_tree(got["svg"])
        assert root.find(SVG + "title").text == "Hostile & <odd> map"
        assert HOSTILE in texts(root) and got["svg"].count("<svg") == 1  # '<svg onload=...>' is text
        assert HOSTILE in {t.text for t in root.iter(SVG + "title")}  # the node's own title
        assert s.page.locator("img, svg, #ckg-app script").count() == 0
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()


def test_explorer_map_exports_with_its_csp(browser, explorer_url: str) -> None:
    s = MapSession(browser, allow=explorer_url, csp=True)
    try:
        s.open(explorer_url + "/explore/map")
        s.find("data scientist", "career:data-scientist")
        got = export_both(s, "#ckg-map", "map-explorer")
        assert got["png_name"] == "all-careers-and-skills-data-scientist.png"
        assert_png_shows_the_page(browser, got, canvas_size(s.page, "#ckg-canvas"))
        root = svg_tree(got["svg"])
        assert "Data Scientist" in texts(root)
        assert "career:data-scientist" in node_ids(root)
        assert s.errors == [] and s.blocked == [] and s.dialogs == []
    finally:
        s.close()

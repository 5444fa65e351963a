"""The explorer routes over HTTP (Starlette TestClient; the browser test is in test_viz_browser)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from careerkg import CareerGraph
from careerkg.store import OxigraphStore
from careerkg.web.explorer import CSP, explorer_routes


@pytest.fixture(scope="module")
def client(curated_kg) -> TestClient:
    return TestClient(Starlette(routes=[Mount("/explore", routes=explorer_routes(curated_kg))]))


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="ckg-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def test_search_by_any_name(client: TestClient) -> None:
    hits = client.get("/explore/api/search", params={"q": "ML Engineer"}).json()
    assert hits[0] == {
        "iri": "https://w3id.org/careerkg/career/machine-learning-engineer",
        "id": "career:machine-learning-engineer",
        "label": "Machine Learning Engineer",
        "source": "careerkg",
    }
    assert client.get("/explore/api/search", params={"q": "15-2051"}).json()[0]["label"] in {
        "Machine Learning Engineer",
        "Data Scientist",
    }
    page = client.get("/explore/", params={"q": "engineer"})
    assert page.status_code == 200 and 'id="results"' in page.text
    assert "/explore/view?c=https%3A%2F%2Fw3id.org%2Fcareerkg%2Fcareer%2F" in page.text


def test_unknown_name_suggests(client: TestClient) -> None:
    page = client.get("/explore/", params={"q": "ml enginer"})
    assert page.status_code == 404
    assert "No career named &#x27;ml enginer&#x27;" in page.text and "ml engineer" in page.text


def test_view_page_serves_assets_from_the_explorer(client: TestClient) -> None:
    page = client.get("/explore/view", params={"c": "machine learning engineer"})
    assert page.status_code == 200
    assert '<script src="/explore/static/vis-network.min.js"></script>' in page.text
    data = _data(page.text)
    assert data["explorer"] == {"base": "/explore", "sparql": "/"}
    assert sum(1 for n in data["nodes"] if n["kind"] == "specialization") == 12
    js = client.get("/explore/static/vis-network.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    # The PNG and SVG buttons' script, before the page's own.
    scripts = re.findall(r'<script src="/explore/static/([^"]+)"></script>', page.text)
    assert scripts == ["vis-network.min.js", "export.js", "viz.js"]
    pictures = client.get("/explore/static/export.js")
    assert pictures.status_code == 200 and "careerkgPicture" in pictures.text
    assert client.get("/explore/static/../../etc/passwd").status_code == 404
    assert client.get("/explore/view", params={"c": "nobody at all"}).status_code == 404


def test_expand_returns_neighbours(client: TestClient) -> None:
    body = client.get("/explore/api/expand", params={"node": "skill:pytorch"}).json()
    ids = {n["id"] for n in body["nodes"]}
    assert "skill:pytorch" in ids and "career:machine-learning-engineer" in ids
    assert {
        "from": "career:machine-learning-engineer",
        "to": "skill:pytorch",
        "relation": "essentialSkill",
    } in body["edges"]
    bad = client.get("/explore/api/expand", params={"node": "<script>"})
    assert bad.status_code == 400 and bad.json() == {"error": "not a node IRI or id: '<script>'"}
    assert client.get("/explore/api/expand", params={"node": "skill:nope"}).status_code == 404


def test_path_page_has_the_gap(client: TestClient, curated_kg) -> None:
    page = client.get("/explore/path", params={"from": "data analyst", "to": "ml engineer"})
    assert page.status_code == 200
    data = _data(page.text)
    assert data["path"][0]["label"] == "Data Analyst"
    assert data["path"][-1]["label"] == "Machine Learning Engineer"
    assert [s["label"] for s in data["path"]] == curated_kg.paths("data analyst", "ml engineer", k=1)[
        0
    ].labels
    gap = curated_kg.skill_gap("data analyst", "ml engineer")
    assert [g["label"] for g in data["gap"]] == [r.label for r in gap.to_learn]
    assert client.get("/explore/path", params={"from": "data analyst"}).status_code == 400
    same = client.get("/explore/path", params={"from": "data analyst", "to": "Data Analyst"})
    assert same.status_code == 400 and "is both the start and the goal" in html.unescape(same.text)
    assert client.get("/explore/path", params={"from": "data analyst", "to": "nobody"}).status_code == 404


def test_pages_carry_a_strict_csp_and_the_career_profile(client: TestClient) -> None:
    from careerkg.web.explorer import CSP

    for url in ("/explore/", "/explore/?q=engineer", "/explore/view?c=ml+engineer"):
        page = client.get(url)
        assert page.headers["content-security-policy"] == CSP
        assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP.split("script-src")[1].split(";")[0]
        assert "<script>" not in page.text  # no inline script: only src= and the JSON data block
    profile = _data(client.get("/explore/view", params={"c": "ml engineer"}).text)["profile"]
    assert profile["label"] == "Machine Learning Engineer" and profile["source"] == "careerkg"
    assert set(profile["skills"]) == {"technology", "knowledge", "competence"}
    pytorch = next(s for s in profile["skills"]["technology"] if s["id"] == "skill:pytorch")
    assert pytorch["need"] == "essential" and 0 < pytorch["weight"] <= 1
    assert any(r["label"] == "Data Scientist" and r["reason"] for r in profile["related"])
    assert client.get("/explore/static/explorer.js").status_code == 200
    assert client.get("/explore/static/explorer.css").headers["content-type"].startswith("text/css")


@pytest.mark.serial  # asserts a time bound: runs alone
def test_a_slow_view_in_a_thread_answers_503_while_other_requests_are_served(curated_kg, monkeypatch) -> None:
    """Without worker processes (``workers=0``, or a store that is not on disk, which a worker
    cannot open) views run in threads: a slow one still answers 503 at the timeout."""
    import threading
    import time

    from careerkg.web import viz

    release = threading.Event()
    real = viz.neighbourhood_view

    def stuck(*args, **kwargs):
        release.wait(10)  # a view that takes far too long (a huge neighbourhood, say)
        return real(*args, **kwargs)

    monkeypatch.setattr(viz, "neighbourhood_view", stuck)
    app = Starlette(routes=[Mount("/explore", routes=explorer_routes(curated_kg, timeout=0.5, workers=0))])
    with TestClient(app) as client:
        started = time.monotonic()
        slow = client.get("/explore/view", params={"c": "data scientist", "depth": 9})
        assert slow.status_code == 503 and "took longer than 0.5 s" in slow.text
        assert time.monotonic() - started < 3
        fast = client.get("/explore/api/search", params={"q": "data sci"})
        assert fast.status_code == 200 and fast.json()
    release.set()


def _explorer_workers() -> dict[int, object]:
    import multiprocessing

    return {p.pid: p for p in multiprocessing.active_children() if p.name == "careerkg-explorer"}


def _gone(pid: int, within: float = 3.0) -> bool:
    """Whether process ``pid`` has ended and been reaped (no zombie left) within ``within`` s."""
    import os
    import time

    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def _status(pid: int) -> str:
    from pathlib import Path

    try:
        return f"the runaway worker {pid} still runs: " + Path(f"/proc/{pid}/stat").read_text()
    except OSError as e:
        return str(e)


@pytest.mark.serial  # asserts a time bound: runs alone
def test_a_runaway_view_is_killed_at_the_timeout_while_the_server_answers(curated_kg, monkeypatch) -> None:
    """Issue 14.6: a deep view stopped at the time limit while other requests are answered.

    The test hook makes the worker spin (burn CPU) for a minute on 'data scientist'; the view
    must answer 503 at the timeout, its worker process must be gone (not spinning on in an
    abandoned thread), and the explorer and /sparql must answer meanwhile and afterwards."""
    import threading
    import time

    from careerkg.web.explorer import SLOW_ENV
    from careerkg.web.server import ServerConfig, create_app

    monkeypatch.setenv(SLOW_ENV, "data scientist")  # read by the workers, spawned below
    timeout = 3.0
    config = ServerConfig(timeout=timeout, in_memory=False, workers=1, quick_workers=0)
    others = set(_explorer_workers())  # other tests' workers
    with TestClient(create_app(curated_kg, config)) as client:
        end = time.monotonic() + 30  # the workers warm up (open the store, read the views)
        while client.get("/explore/api/expand", params={"node": "skill:pytorch"}).status_code != 200:
            assert time.monotonic() < end, "the explorer workers did not start"
        before = set(_explorer_workers()) - others
        assert len(before) == 2

        slow: dict = {}

        def ask_slow() -> None:
            started = time.monotonic()
            slow["response"] = client.get("/explore/view", params={"c": "data scientist", "depth": 2})
            slow["seconds"] = time.monotonic() - started

        asker = threading.Thread(target=ask_slow)
        asker.start()
        time.sleep(0.3)  # the slow view is running in one worker now
        started = time.monotonic()
        cheap = client.get("/explore/api/expand", params={"node": "skill:pytorch"})
        assert cheap.status_code == 200 and cheap.json()["nodes"]
        sparql = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert sparql.status_code == 200 and sparql.json()["boolean"] is True
        assert time.monotonic() - started < 2.0, "other requests waited for the slow view"
        assert asker.is_alive()  # still spinning: the cheap answers did not wait for it

        asker.join(timeout + 5)
        got = slow["response"]
        assert got.status_code == 503 and "took longer than 3 s" in html.unescape(got.text)
        assert timeout <= slow["seconds"] < timeout + 1.5

        end = time.monotonic() + 3  # killed at once, reaped in the background
        while not (killed := sorted(before - set(_explorer_workers()))) and time.monotonic() < end:
            time.sleep(0.02)
        assert len(killed) == 1 and _gone(killed[0]), _status(killed[0])

        # A replacement takes its place; the explorer answers as before.
        end = time.monotonic() + 30
        while len(set(_explorer_workers()) - others) < 2:
            assert time.monotonic() < end, "no replacement worker"
            time.sleep(0.05)
        page = client.get("/explore/view", params={"c": "machine learning engineer"})
        assert page.status_code == 200
        assert sum(1 for n in _data(page.text)["nodes"] if n["kind"] == "specialization") == 12
        path = client.get("/explore/path", params={"from": "data analyst", "to": "ml engineer"})
        assert path.status_code == 200 and _data(path.text)["path"][0]["label"] == "Data Analyst"


def test_control_characters_in_a_node_id_are_a_clean_400(client) -> None:
    got = client.get("/explore/api/expand", params={"node": "career:\x01\x02<x>"})
    assert got.status_code in (400, 404), got.text
    assert "error" in got.json()


# -- suggested matches (careerkg suggest-matches, issue 12): their own block, never official ------

ESCO_SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"


@pytest.fixture(scope="module")
def suggested(suggested_store) -> Iterator[tuple[TestClient, CareerGraph]]:
    kg = CareerGraph.open(OxigraphStore(suggested_store, read_only=True))
    yield TestClient(Starlette(routes=[Mount("/explore", routes=explorer_routes(kg))])), kg
    kg.close()


def _suggested_in_store(kg: CareerGraph, career: str) -> list[tuple[str, int, str]]:
    rows = kg.store.query(
        """SELECT ?o ?r WHERE { GRAPH ckgraph:suggested {
             ?c ckg:hasSuggestedMatch ?m . ?m ckg:suggestedOccupation ?o ; ckg:matchRank ?r } }""",
        {"c": kg.resolve(career)},
    )
    return sorted((str(o), int(r)) for o, r in rows)


def test_a_career_page_lists_its_suggested_matches_apart_from_the_official_ones(suggested) -> None:
    client, kg = suggested
    page = client.get("/explore/view", params={"c": "data scientist"})
    assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
    profile = _data(page.text)["profile"]
    block = profile["suggested"]
    # exactly the suggested graph's matches, each marked suggested, by taxonomy and rank
    assert sorted((m["iri"], m["rank"]) for m in block) == _suggested_in_store(kg, "data scientist")
    assert {m["status"] for m in block} == {"suggested"}
    by_taxonomy = [(m["taxonomy"], m["rank"]) for m in block]
    assert by_taxonomy == [(t, r) for t in ("ESCO", "O*NET") for r in (1, 2, 3)]
    top = next(m for m in block if m["taxonomy"] == "O*NET" and m["rank"] == 1)
    assert top["label"] == "Data Scientists" and top["id"] == "onet:15-2051.00"
    assert 0 < top["confidence"] <= 1 and top["evidence"] and top["career"] is True  # has its own page
    # The curated data's official links that the predictor did not propose are not in the block.
    official = {m for _, m in kg.career("data scientist").matches}
    only_official = {
        "http://data.europa.eu/esco/isco/C2511",
        "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30",
    }
    assert only_official <= official and not only_official & {m["iri"] for m in block}


def test_a_career_without_suggestions_has_no_block(suggested) -> None:
    client, kg = suggested
    # The ESCO software developer: the crosswalk covers it (official matches, no suggestion).
    assert kg.career(ESCO_SOFTWARE_DEVELOPER).matches
    page = client.get("/explore/view", params={"c": ESCO_SOFTWARE_DEVELOPER})
    assert page.status_code == 200
    assert _data(page.text)["profile"]["suggested"] == []


HOSTILE = "<img src=x onerror=alert(1)>"  # the title conftest's suggested_store gives one occupation


def test_a_hostile_suggested_occupation_title_is_escaped(suggested) -> None:
    client, kg = suggested
    [(career,)] = kg.store.select(
        f"""SELECT ?c WHERE {{ ?c ckg:hasSuggestedMatch/ckg:suggestedOccupation ?o .
              ?o skos:prefLabel "{HOSTILE}"@en }} ORDER BY ?c LIMIT 1"""
    )
    page = client.get("/explore/view", params={"c": career})
    assert page.status_code == 200 and "<script>" not in page.text and "<img" not in page.text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page.text  # JSON with < and > escaped
    hostile = [m for m in _data(page.text)["profile"]["suggested"] if m["label"] == HOSTILE]
    assert len(hostile) == 1 and hostile[0]["status"] == "suggested"

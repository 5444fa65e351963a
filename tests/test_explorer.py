"""The explorer routes over HTTP (Starlette TestClient; the browser test is in test_viz_browser)."""

from __future__ import annotations

import html
import json
import re

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from careerkg.web.explorer import explorer_routes


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

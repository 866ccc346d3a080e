"""Stored XSS through `kg serve`'s pages, tried in headless Chromium (Debian's, offline).

A store holds the seed article, an article whose URL is ``javascript://%0a...`` (built by
`kg build`, so the mapping decides what it becomes), and a graph written straight into the
store with a ``javascript:`` IRI and a label that is markup. The query page shows them; no
link may point anywhere but http(s), nothing injected may run, and the browser requests
nothing but this server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest

from tests.browser import chromium_or_skip, quit_chromium, requested_urls, start_chromium
from tests.conftest import SEEDS
from tests.test_server import free_port, http, kg_serve_cmd, running

EVIL_URL = "javascript://%0awindow.__xss='url'"
EVIL_IRI = "javascript:window.__xss='iri'"
EVIL_LABEL = "<img src=x onerror=\"window.__xss='label'\">"
ARTICLE = f"""---
title: Talks in Moscow
date: 2025-09-05
source: Example News
url: "{EVIL_URL}"
---
Russian President Vladimir Putin met North Korean leader Kim Jong Un in Moscow on Thursday.
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from kg.pipeline import build
    from kg.store import Store

    root = tmp_path_factory.mktemp("xss")
    (root / "articles").mkdir()
    (root / "articles" / "evil.md").write_text(ARTICLE, encoding="utf-8")
    store = Store(root / "store")
    build(store, [SEEDS, root / "articles"])
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.replace_graph("http://example.org/planted", [(ox.NamedNode(EVIL_IRI), label, ox.Literal(EVIL_LABEL))])
    store.close()
    port = free_port()
    with running(kg_serve_cmd(root / "store", port), f"http://127.0.0.1:{port}/health"):
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium_or_skip()
    driver = start_chromium()
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["https://*", "ws://*", "wss://*"]})  # loopback http only
    yield driver
    quit_chromium(driver)


def run_query(driver: Any, base: str, query: str) -> None:
    driver.get(base + "query")
    driver.execute_script("document.getElementById('q').value = arguments[0]; document.getElementById('run').click();", query)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = driver.execute_script("return document.getElementById('status').textContent")
        if "row(s)" in status or "graph in" in status:
            return
        time.sleep(0.05)
    raise TimeoutError(f"the query page did not answer: {status!r}")


def test_serve_browser_a_javascript_url_is_never_an_iri(hostile: str) -> None:
    query = "SELECT ?u WHERE { ?a schema:url ?u }"
    status, _, body = http(hostile + "sparql?query=" + query.replace(" ", "%20"),
                           headers={"Accept": "application/sparql-results+json"})
    values = [row["u"] for row in json.loads(body)["results"]["bindings"]]
    evil = [v for v in values if v["value"] == EVIL_URL]
    assert status == 200 and evil and all(v["type"] == "literal" for v in evil)


def test_serve_browser_query_page_links_only_http_and_runs_nothing(hostile: str, browser: Any) -> None:
    requested_urls(browser)  # drain
    run_query(browser, hostile, "SELECT ?s ?l ?u WHERE { { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), 'javascript')) } "
                                "UNION { ?s schema:url ?u } }")
    hrefs = browser.execute_script("return [...document.querySelectorAll('#out a')].map(a => a.getAttribute('href'))")
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    text = browser.execute_script("return document.getElementById('out').textContent")
    assert EVIL_IRI in text and EVIL_LABEL in text  # shown as text, not taken as markup
    assert "article:" in text  # IRIs shortened with the prefixes the server declares (/prefixes)
    for cell in browser.find_elements("css selector", "#out td span, #out td a[href^='javascript']"):
        cell.click()
    time.sleep(0.3)
    assert browser.execute_script("return window.__xss") is None
    assert not browser.find_elements("css selector", "#out img")
    assert all(u.startswith(hostile) or u.startswith("data:") for u in requested_urls(browser))


def test_serve_browser_csp_stops_injected_markup_from_running(hostile: str, browser: Any) -> None:
    """Even markup that did reach the DOM (an injected handler) cannot run: the CSP allows hashed scripts only."""
    for page in ("query", ""):
        browser.get(hostile + page)
        browser.execute_script("document.body.insertAdjacentHTML('beforeend', arguments[0]);"
                               "const s = document.createElement('script'); s.textContent = \"window.__xss = 'script'\";"
                               "document.body.appendChild(s);", EVIL_LABEL)
        time.sleep(0.3)
        assert browser.execute_script("return window.__xss") is None, page


def test_serve_browser_graph_page_has_no_javascript_links(hostile: str, browser: Any) -> None:
    browser.get(hostile)
    deadline = time.monotonic() + 30
    while not browser.execute_script("return window.kgReady === true") and time.monotonic() < deadline:
        time.sleep(0.05)
    hrefs = browser.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().lstrip().startswith(("javascript", "data", "vbscript"))]
    assert browser.execute_script("return window.__xss") is None

"""kg.visualize: RDF -> networkx, selection and folding, exports, and the offline page.

Browser tests open pages from file:// in headless Chromium with http(s) blocked and logged
(tests/browser.py); they skip only when Chromium is missing outside CI. With
``KG_SCREENSHOTS=1`` they also save docs/img/seed-graph.png and docs/img/focus-putin.png.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.errors import ExportError
from kg.visualize import (
    notebook_view,
    select,
    to_gexf,
    to_graphml,
    to_networkx,
    write_page,
)
from kg.viz.layout import layout_positions
from tests.browser import (
    chromium_or_skip,
    open_page,
    quit_chromium,
    remote_urls,
    requested_urls,
    severe_console_errors,
    start_chromium,
    wait_ready,
)

DATA = Path(__file__).parent / "data" / "viz"
DOCS_IMG = Path(__file__).parents[1] / "docs" / "img"
ID = "https://w3id.org/newskg/id/"
PUTIN = ID + "person/vladimir-putin"
KIM = ID + "person/kim-jong-un"
RUSSIA = ID + "country/russia"
NK = ID + "country/north-korea"
REVNIVTSEV = ID + "person/andrey-revnivtsev"
DRONES_COOP = ID + "cooperation/a8523d2531779793/drones"
MEETING = ID + "event/a8523d2531779793/meeting-1"
EVIL = ID + "person/evil"


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return Graph().parse(DATA / "seed.ttl")


@pytest.fixture(scope="module")
def seed(rdf: Graph) -> nx.MultiDiGraph:
    return to_networkx(rdf)


@pytest.fixture(scope="module")
def hostile() -> nx.MultiDiGraph:
    return to_networkx(Graph().parse(DATA / "hostile.ttl"))


def labels(graph: nx.MultiDiGraph) -> set[str]:
    return {str(label) for _, label in graph.nodes(data="label")}


# ---------------------------------------------------------------- to_networkx


def test_visualize_to_networkx_nodes_are_entities_events_claims_topics(seed: nx.MultiDiGraph) -> None:
    classes = {str(cls) for _, cls in seed.nodes(data="cls")}
    assert {"Leader", "Expert", "Country", "Meeting", "Summit", "Cooperation", "Claim", "Topic"} <= classes
    assert not classes & {"Article", "Evidence", "ConceptScheme"}
    assert seed.number_of_nodes() == 38
    assert all(node.startswith(ID) for node in seed)


def test_visualize_to_networkx_node_attributes(seed: nx.MultiDiGraph) -> None:
    putin = seed.nodes[PUTIN]
    assert putin["label"] == "Vladimir Putin"
    assert putin["cls"] == "Leader"
    assert set(putin["aliases"]) == {"Putin", "Владимир Путин"}
    assert putin["wikidata"] == "Q7747"
    assert putin["role"] == "President"
    assert putin["iri"] == PUTIN
    assert seed.nodes[MEETING]["date"] == "2025-09"
    assert (putin["mentions"], seed.nodes[ID + "country/mongolia"]["mentions"]) == (2, 0)
    assert seed.nodes[ID + "topic/drones"]["label"] == "drones"


def test_visualize_to_networkx_edges_keyed_by_relation(seed: nx.MultiDiGraph) -> None:
    assert seed.has_edge(MEETING, PUTIN, key="participant")
    assert seed.edges[MEETING, PUTIN, "participant"]["label"] == "participant"
    assert seed.has_edge(DRONES_COOP, ID + "topic/drones", key="topic")
    assert seed.has_edge(ID + "region/kursk-oblast", RUSSIA, key="locatedIn")
    assert seed.has_edge(PUTIN, RUSSIA, key="affiliation")
    keys = {key for _, _, key in seed.edges(keys=True)}
    assert not keys & {"type", "sameAs", "evidence", "wasDerivedFrom", "mentions", "inScheme"}


def test_visualize_to_networkx_literals_are_attributes(seed: nx.MultiDiGraph) -> None:
    claim = seed.nodes[ID + "claim/a8523d2531779793/1"]
    assert claim["quote"].startswith("North Korean soldiers")
    assert all(str(node).startswith("http") for node in seed)  # no literal became a node


def test_visualize_to_networkx_evidence_carries_article(seed: nx.MultiDiGraph) -> None:
    evidence = seed.nodes[DRONES_COOP]["evidence"]
    assert len(evidence) == 2
    assert {e["article"] for e in evidence} == {"Putin and Kim Jong Un Held Private Talks at SCO Summit in China"}
    assert {e["date"] for e in evidence} == {"2025-09-05"}
    assert any("Alabuga complex" in e["text"] for e in evidence)
    assert seed.nodes[DRONES_COOP]["reported"] == "2025-09-05"


def test_visualize_to_networkx_articles_optional(rdf: Graph, seed: nx.MultiDiGraph) -> None:
    with_articles = to_networkx(rdf, articles=True)
    articles = [n for n, cls in with_articles.nodes(data="cls") if cls == "Article"]
    assert len(articles) == 2
    assert with_articles.number_of_nodes() == seed.number_of_nodes() + 2
    assert with_articles.has_edge(ID + "article/a8523d2531779793", PUTIN, key="mentions")
    assert with_articles.has_edge(MEETING, ID + "article/a8523d2531779793", key="wasDerivedFrom")


def test_visualize_to_networkx_reads_dataset_named_graphs(seed: nx.MultiDiGraph) -> None:
    dataset = Dataset()  # default_union off: named graphs must still be read
    dataset.graph(URIRef(ID + "article/a8523d2531779793")).parse(DATA / "seed.ttl")
    nxg = to_networkx(dataset)
    assert nxg.number_of_nodes() == seed.number_of_nodes()
    assert nxg.number_of_edges() == seed.number_of_edges()
    assert nxg.nodes[DRONES_COOP]["evidence"] == seed.nodes[DRONES_COOP]["evidence"]


def test_visualize_to_networkx_most_specific_class_and_new_subclasses() -> None:
    graph = Graph().parse(
        data="""
        @prefix nkg: <https://w3id.org/newskg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        nkg:Spokesperson rdfs:subClassOf nkg:Official .
        <https://w3id.org/newskg/id/person/a> a nkg:Person, nkg:Agent, nkg:Leader ; rdfs:label "A" .
        <https://w3id.org/newskg/id/person/b> a nkg:Spokesperson, nkg:Person ; rdfs:label "B" ;
            nkg:affiliation <https://w3id.org/newskg/id/country/x> .
        """,
        format="turtle",
    )
    nxg = to_networkx(graph)
    assert nxg.nodes[ID + "person/a"]["cls"] == "Leader"
    assert nxg.nodes[ID + "person/b"]["cls"] == "Spokesperson"
    assert nxg.nodes[ID + "country/x"]["cls"] == "Resource"  # untyped target kept, marked
    assert labels(select(nxg, types=["Person"])) == {"A", "B"}


# ---------------------------------------------------------------- select


@pytest.mark.parametrize("name", ["Kim Jong Un", "kim jong-un", "KIM-JONG-UN", "Kím Jóng Un", "김정은"])
def test_visualize_select_focus_ignores_case_accents_hyphens(seed: nx.MultiDiGraph, name: str) -> None:
    assert KIM in select(seed, focus=name, depth=0)


def test_visualize_select_focus_depth_one_shows_whom_he_met(seed: nx.MultiDiGraph) -> None:
    part = select(seed, focus="Putin", depth=1)
    assert {PUTIN, KIM, MEETING, RUSSIA} <= set(part)
    assert part.graph["focus"] == PUTIN
    assert "Ukraine" not in labels(part) and "Tsargrad" not in labels(part)
    assert set(select(seed, focus="Putin", depth=0)) == {PUTIN}
    assert len(select(seed, focus="Putin", depth=2)) > len(part)


def test_visualize_select_focus_not_found_lists_close_matches(seed: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError, match=r"'Vladimir Putn'.*Vladimir Putin \(Leader\)"):
        select(seed, focus="Vladimir Putn")
    with pytest.raises(ExportError, match="nothing close"):
        select(seed, focus="Zzyzx")


def test_visualize_select_types_include_subclasses(seed: nx.MultiDiGraph) -> None:
    people = select(seed, types=["Person"])
    assert labels(people) == {"Vladimir Putin", "Kim Jong Un", "Andrey Revnivtsev", "Andrey Dmitriev"}
    places = {str(cls) for _, cls in select(seed, types=["place"]).nodes(data="cls")}
    assert places == {"Country", "Region", "City", "Facility"}
    assert {str(c) for _, c in select(seed, types=["Meeting"]).nodes(data="cls")} == {"Meeting"}


def test_visualize_select_dates_drop_facts_outside(seed: nx.MultiDiGraph) -> None:
    recent = labels(select(seed, since="2025"))
    assert "Putin's visit to Pyongyang" not in recent and "Putin–Kim talks" in recent
    assert "Vladimir Putin" in recent  # entities are never dated out
    older = labels(select(seed, until="2024-12"))
    assert "Putin's visit to Pyongyang" in older
    assert "Putin–Kim talks" not in older and "Liberation of the Kursk region" not in older
    assert "Putin–Kim talks" in labels(select(seed, since="2025-09-05"))  # 2025-09 may be the 5th


def test_visualize_select_news_only_drops_unused_reference_data(seed: nx.MultiDiGraph) -> None:
    news = labels(select(seed, news_only=True))
    assert "Mongolia" not in news and "Ulaanbaatar" not in news
    assert {"Ukraine", "Pyongyang", "drones", "Putin–Kim talks"} <= news  # mentioned or used by a fact
    assert "Ulaanbaatar" in labels(select(seed, focus="Ulan Bator", news_only=True))  # the focus stays


@pytest.mark.parametrize(
    "options",
    [{"depth": -1}, {"since": "yesterday"}, {"until": "2025/09"}, {"types": ["Persn"]}],
)
def test_visualize_select_rejects_bad_options(seed: nx.MultiDiGraph, options: dict[str, Any]) -> None:
    with pytest.raises(ExportError):
        select(seed, **options)


def test_visualize_select_does_not_change_input(seed: nx.MultiDiGraph) -> None:
    before = (seed.number_of_nodes(), seed.number_of_edges())
    select(seed, focus="Putin", fold=True, types=["Agent"], since="2025")
    assert (seed.number_of_nodes(), seed.number_of_edges()) == before


# ---------------------------------------------------------------- fold


def test_visualize_fold_replaces_nary_nodes_by_labelled_edges(seed: nx.MultiDiGraph) -> None:
    folded = select(seed, fold=True)
    assert not {"Meeting", "Summit", "Cooperation", "Claim", "Invitation", "Topic"} & {
        str(cls) for _, cls in folded.nodes(data="cls")
    }
    drones = folded.edges[NK, RUSSIA, "drones"]  # provider -> recipient
    assert drones["directed"] is True and drones["label"] == "drones"
    assert folded.has_edge(RUSSIA, NK, key="electronic warfare")
    met = folded.edges[KIM, PUTIN, "met"]  # the talks and the summit, merged
    assert met["directed"] is False and met["count"] == 2
    assert folded.has_edge(PUTIN, KIM, key="invited")
    assert folded.has_edge(REVNIVTSEV, NK, key="claims")
    assert folded.has_edge(NK, RUSSIA, key="security") or folded.has_edge(RUSSIA, NK, key="security")
    assert folded.has_edge(PUTIN, RUSSIA, key="affiliation")  # plain edges stay


def test_visualize_fold_keeps_evidence_and_focus(seed: nx.MultiDiGraph) -> None:
    folded = select(seed, fold=True)
    evidence = folded.edges[NK, RUSSIA, "drones"]["evidence"]
    assert any("drones" in e["text"] for e in evidence)
    part = select(seed, focus="Kim Jong Un", fold=True)
    assert {KIM, PUTIN, NK} <= set(part)
    assert not any(cls == "Meeting" for _, cls in part.nodes(data="cls"))


# ---------------------------------------------------------------- exports


def test_visualize_graphml_and_gexf_flatten_lists(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    to_graphml(seed, tmp_path / "g.graphml")
    to_gexf(select(seed, fold=True), tmp_path / "g.gexf")
    back = nx.read_graphml(tmp_path / "g.graphml")
    by_iri = {data["iri"]: data for _, data in back.nodes(data=True)}
    putin = by_iri[PUTIN]
    assert (putin["label"], putin["cls"], putin["weight"]) == ("Vladimir Putin", "Leader", seed.degree(PUTIN))
    assert putin["aliases"] == "Putin; Владимир Путин"
    assert back.number_of_edges() == seed.number_of_edges()
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert {data["iri"]: data for _, data in gexf.nodes(data=True)}[KIM]["cls"] == "Leader"


def test_visualize_exports_raise_export_error_for_bad_destination(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    for write in (to_graphml, to_gexf, write_page):
        with pytest.raises(ExportError, match="does not exist"):
            write(seed, tmp_path / "missing" / "out")


# ---------------------------------------------------------------- page (no browser)


def page_json(text: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_visualize_write_page_is_self_contained(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    stats = write_page(seed, tmp_path / "seed.html", title="Seed <graph>")
    text = stats.path.read_text(encoding="utf-8") if stats.path else ""
    assert (stats.nodes, stats.edges, stats.warnings, stats.physics) == (38, 69, [], True)
    assert not re.search(r"<(script|link|img|iframe|object|embed|a)\b[^>]*\b(src|href)\s*=", text, re.I)
    assert "<link" not in text and "sourceMappingURL" not in text and "@import" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "<title>Seed &lt;graph&gt;</title>" in text
    data = page_json(text)
    assert (len(data["nodes"]), len(data["edges"])) == (38, 69)
    assert {c["name"] for c in data["classes"]} == {str(c) for _, c in seed.nodes(data="cls")}


def test_visualize_write_page_escapes_untrusted_text(hostile: nx.MultiDiGraph, tmp_path: Path) -> None:
    text = write_page(hostile, tmp_path / "hostile.html").path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    block = re.search(r'id="kg-data">(.*?)</script>', text, re.S)
    assert block and "<" not in block.group(1) and ">" not in block.group(1) and "&" not in block.group(1)
    assert "\\u003cscript\\u003ewindow.pwned=1" in block.group(1)
    assert "javascript:" not in block.group(1)  # not a Wikidata IRI: dropped
    names = {n["info"]["name"] for n in page_json(text)["nodes"]}
    assert "<script>window.pwned=1</script>" in names


def test_visualize_write_page_large_graph_uses_layout_and_warns(tmp_path: Path) -> None:
    nxg = nx.MultiDiGraph(nx.gnm_random_graph(2100, 4000, seed=3, directed=True))
    nx.set_node_attributes(nxg, "Country", "cls")
    stats = write_page(nxg, tmp_path / "big.html")
    assert stats.physics is False
    assert any("--focus" in w for w in stats.warnings)
    data = page_json(stats.path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"])


def test_visualize_write_page_fans_out_parallel_edges(seed: nx.MultiDiGraph) -> None:
    from kg.viz.page import page_data

    data = page_data(select(seed, fold=True), title="t", physics=True)
    by_pair: dict[tuple[int, int], list[Any]] = {}
    for edge in data["edges"]:  # type: ignore[attr-defined]
        by_pair.setdefault((min(edge["from"], edge["to"]), max(edge["from"], edge["to"])), []).append(
            json.dumps([edge.get("smooth"), edge["from"] < edge["to"]])  # CW reversed is CCW
        )
    russia_nk = max(by_pair.values(), key=len)
    assert len(russia_nk) >= 6 and len(set(russia_nk)) == len(russia_nk)


def test_visualize_layout_is_deterministic_and_packs_isolated_nodes() -> None:
    graph = nx.gnm_random_graph(400, 700, seed=1)
    graph.add_nodes_from(range(400, 420))  # isolated
    first, second = layout_positions(graph), layout_positions(graph)
    assert first == second
    xs = [p[0] for p in first.values()]
    ys = [p[1] for p in first.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert 0 < height < 3 * width and 0 < width < 3 * height  # no outlier stretches the picture


def test_visualize_notebook_view_is_an_escaped_iframe(seed: nx.MultiDiGraph) -> None:
    view = notebook_view(select(seed, focus="Putin"))
    markup = view._repr_html_()
    assert markup.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts' in markup
    srcdoc = re.search(r'srcdoc="([^"]*)"', markup)
    assert srcdoc and html.unescape(srcdoc.group(1)) == view.page
    assert "<script" not in markup


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    chromium_or_skip()
    drv = start_chromium()
    yield drv
    quit_chromium(drv)


def open_ready(driver: Any, path: Path) -> None:
    open_page(driver, path)
    wait_ready(driver, timeout=30)


def assert_clean(driver: Any) -> None:
    assert severe_console_errors(driver) == []
    urls = requested_urls(driver)
    assert urls and urls[0].startswith("file://")
    assert remote_urls(urls) == []


def drawn_counts(driver: Any) -> list[int]:
    return driver.execute_script(  # type: ignore[no-any-return]
        "return [kgNetwork.body.data.nodes.length, kgNetwork.body.data.edges.length]"
    )


def node_id(driver: Any, iri: str) -> int:
    return driver.execute_script(  # type: ignore[no-any-return]
        "const d = JSON.parse(document.getElementById('kg-data').textContent);"
        "return d.nodes.find((n) => n.info.iri === arguments[0]).id;",
        iri,
    )


def panel_text(driver: Any) -> str:
    return driver.execute_script("return document.getElementById('kg-panel').textContent")  # type: ignore[no-any-return]


def screenshot(driver: Any, name: str) -> None:
    if os.environ.get("KG_SCREENSHOTS") == "1":
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(DOCS_IMG / name))


def test_visualize_browser_seed_page_draws_every_node_offline(
    driver: Any, seed: nx.MultiDiGraph, tmp_path: Path
) -> None:
    stats = write_page(seed, tmp_path / "seed.html", title="Putin and Kim at the SCO summit")
    open_ready(driver, tmp_path / "seed.html")
    assert drawn_counts(driver) == [stats.nodes, stats.edges] == [38, 69]
    assert driver.execute_script("return kgNetwork.physics.options.enabled") is False  # settled
    assert_clean(driver)
    screenshot(driver, "seed-graph.png")


def test_visualize_browser_focus_page_selects_focus(driver: Any, seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    part = select(seed, focus="Putin", depth=1)
    write_page(part, tmp_path / "putin.html", title="Focus: Vladimir Putin (depth 1)")
    open_ready(driver, tmp_path / "putin.html")
    assert drawn_counts(driver) == [part.number_of_nodes(), part.number_of_edges()]
    assert driver.execute_script("return kgNetwork.getSelectedNodes()") == [node_id(driver, PUTIN)]
    driver.execute_script("kgShowNode(arguments[0])", node_id(driver, PUTIN))
    assert "Vladimir Putin" in panel_text(driver)
    assert_clean(driver)
    screenshot(driver, "focus-putin.png")


def test_visualize_browser_panel_shows_details_and_evidence(
    driver: Any, seed: nx.MultiDiGraph, tmp_path: Path
) -> None:
    write_page(seed, tmp_path / "seed.html")
    open_ready(driver, tmp_path / "seed.html")
    driver.execute_script("kgShowNode(arguments[0])", node_id(driver, PUTIN))
    text = panel_text(driver)
    for expected in ("Vladimir Putin", "Leader (Person › Agent)", "Владимир Путин", "President", "Q7747"):
        assert expected in text
    link = driver.execute_script("const a = document.querySelector('#kg-panel a'); return [a.href, a.target, a.rel]")
    assert link == ["https://www.wikidata.org/wiki/Q7747", "_blank", "noopener noreferrer external"]
    driver.execute_script("kgShowNode(arguments[0])", node_id(driver, DRONES_COOP))
    text = panel_text(driver)
    assert "Alabuga complex" in text and "Held Private Talks at SCO Summit in China, 2025-09-05" in text
    assert_clean(driver)  # showing a Wikidata link requested nothing


def test_visualize_browser_type_filter_and_search(driver: Any, seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    write_page(seed, tmp_path / "seed.html")
    open_ready(driver, tmp_path / "seed.html")
    position = "return kgNetwork.getPositions([arguments[0]])[arguments[0]]"
    before = driver.execute_script(position, node_id(driver, ID + "topic/drones"))
    driver.find_element(By.CSS_SELECTOR, 'input[data-cls="Topic"]').click()
    topics = sum(1 for _, cls in seed.nodes(data="cls") if cls == "Topic")
    assert drawn_counts(driver)[0] == seed.number_of_nodes() - topics
    driver.find_element(By.CSS_SELECTOR, 'input[data-cls="Topic"]').click()
    assert driver.execute_script(position, node_id(driver, ID + "topic/drones")) == before
    driver.find_element(By.CSS_SELECTOR, 'input[data-cls="Topic"]').click()
    assert driver.execute_script("return kgFind('kim jong-un')") == node_id(driver, KIM)
    assert "Supreme Leader" in panel_text(driver)
    assert driver.execute_script("return kgFind('drones')") == node_id(driver, ID + "topic/drones")
    assert drawn_counts(driver)[0] == seed.number_of_nodes()  # finding a hidden type shows it again
    assert driver.execute_script("return kgFind('nobody at all')") is None
    assert "No node named" in driver.find_element(By.ID, "kg-status").text
    assert_clean(driver)


def test_visualize_browser_hostile_text_stays_text(driver: Any, hostile: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_page(hostile, tmp_path / "hostile.html", title="<script>window.pwned=1</script>")
    open_ready(driver, tmp_path / "hostile.html")
    assert drawn_counts(driver) == [hostile.number_of_nodes(), hostile.number_of_edges()]
    for iri in (EVIL, ID + "claim/feed/1", ID + "country/nowhere", ID + "event/feed/meeting-1"):
        assert driver.execute_script("kgShowNode(arguments[0]); return true", node_id(driver, iri))
    driver.execute_script("kgShowNode(arguments[0])", node_id(driver, EVIL))
    text = panel_text(driver)
    assert "<script>window.pwned=1</script>" in text
    assert '<img src=x onerror="window.pwned=1">' in text and "김악당" in text and "الشرير" in text
    assert driver.execute_script("return document.querySelectorAll('#kg-panel a').length") == 0  # javascript: dropped
    driver.execute_script("kgShowNode(arguments[0])", node_id(driver, ID + "claim/feed/1"))
    assert 'He said "<script>window.pwned=1</script>"' in panel_text(driver)
    assert "Путин, 김정은 and ترامب" in panel_text(driver)
    for index in range(hostile.number_of_edges()):
        driver.execute_script("kgShowEdge(arguments[0])", index)
    assert driver.execute_script("return document.querySelectorAll('body script').length") == 3
    assert driver.execute_script("return document.querySelectorAll('img, iframe, object').length") == 0
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert driver.title == "<script>window.pwned=1</script>"
    assert_clean(driver)


def test_visualize_browser_large_page_without_physics(driver: Any, tmp_path: Path) -> None:
    nxg = nx.MultiDiGraph(nx.gnm_random_graph(600, 1100, seed=5, directed=True))
    for node in nxg:
        nxg.nodes[node].update(label=f"Node {node}", cls=("Country", "Leader", "Meeting", "Claim")[node % 4])
    stats = write_page(nxg, tmp_path / "large.html")
    assert stats.physics is False
    open_ready(driver, tmp_path / "large.html")
    assert drawn_counts(driver) == [600, 1100]
    assert_clean(driver)


def test_visualize_browser_empty_and_single_node_pages(driver: Any, tmp_path: Path) -> None:
    one = nx.MultiDiGraph()
    one.add_node("x", label="Only node", cls="Country")
    for name, graph in (("empty", nx.MultiDiGraph()), ("one", one)):
        write_page(graph, tmp_path / f"{name}.html")
        open_ready(driver, tmp_path / f"{name}.html")
        assert drawn_counts(driver) == [graph.number_of_nodes(), 0]
        assert_clean(driver)


def test_visualize_browser_notebook_iframe_runs_sandboxed(
    driver: Any, hostile: nx.MultiDiGraph, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    markup = notebook_view(hostile)._repr_html_()
    (tmp_path / "notebook.html").write_text(f"<!DOCTYPE html><body>{markup}</body>", encoding="utf-8")
    open_page(driver, tmp_path / "notebook.html")
    driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
    try:
        wait_ready(driver, timeout=30)
        assert drawn_counts(driver) == [hostile.number_of_nodes(), hostile.number_of_edges()]
        assert driver.execute_script("return typeof window.pwned") == "undefined"
    finally:
        driver.switch_to.default_content()
    assert_clean(driver)


# ---------------------------------------------------------------- events across articles

@pytest.fixture(scope="module")
def events_page_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    """The invented multi-report events of tests/data/events, built and converted."""
    from kg.export import to_rdflib
    from kg.pipeline import build
    from kg.store import Store

    store = Store(tmp_path_factory.mktemp("events") / "store")
    build(store, [Path(__file__).parent / "data" / "events"])
    return to_networkx(to_rdflib(store))


def _event_node(graph: nx.MultiDiGraph, label: str, date: str) -> str:
    return next(n for n, d in graph.nodes(data=True) if d.get("label") == label and d.get("date") == date)


def test_visualize_event_lists_its_reports_in_publication_order(events_page_graph: nx.MultiDiGraph) -> None:
    node = _event_node(events_page_graph, "Phone call of Vladimir Putin and Donald Trump", "2025-03-18")
    reports = events_page_graph.nodes[node]["reports"]
    assert [r["date"] for r in reports] == ["2025-03-18", "2025-03-18", "2025-03-19"]
    assert reports[-1]["outlet"] == "Evening Courier" and "yesterday" in reports[-1]["text"]
    assert all(r["text"] and r["article"] for r in reports)
    assert all(e["article"] for e in events_page_graph.nodes[node]["evidence"])  # each sentence keeps its article


def test_visualize_browser_timeline_and_event_reports(
    driver: Any, events_page_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    write_page(events_page_graph, tmp_path / "events.html", title="Events")
    open_ready(driver, tmp_path / "events.html")
    strip = driver.execute_script(
        "return [...document.querySelectorAll('#kg-timeline .kg-event time')].map((t) => t.textContent)")
    assert strip and strip == sorted(strip) and "2025-03-18" in strip and "2025-09-01" in strip
    node = _event_node(events_page_graph, "Phone call of Vladimir Putin and Donald Trump", "2025-03-18")
    index = node_id(driver, str(node))
    driver.execute_script("document.querySelector(`#kg-timeline .kg-event[data-node='${arguments[0]}']`).click()", index)
    assert driver.execute_script("return kgNetwork.getSelectedNodes()") == [index]
    text = panel_text(driver)
    assert "Reports (3)" in text and "Evening Courier, 2025-03-19" in text and "spoke by telephone yesterday" in text
    assert_clean(driver)

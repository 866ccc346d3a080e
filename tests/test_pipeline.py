"""Across a corpus: one node per real-world thing, rebuilds that replace, the Python API."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import kg
from kg.extract.text import norm_key
from kg.store import Store
from tests.conftest import ROOT, SEEDS

CORPUS = ROOT / "tests" / "data" / "corpus12"
LABELS = "<http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel>"


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = kg.open_store(tmp_path_factory.mktemp("corpus") / "store")
    summary = kg.build(store, [CORPUS])
    assert summary.read == 12 and not summary.skipped
    return store


def _names(store: Store) -> dict[str, set[str]]:
    """Every mentioned node's folded names."""
    rows = kg.sparql(store, f"SELECT DISTINCT ?x ?n WHERE {{ ?a nkg:mentions ?x . ?x {LABELS} ?n }}").dicts()
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(str(row["x"]), set()).add(norm_key(str(row["n"])))
    return out


EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: e["label"])
def test_pipeline_one_node_per_entity_across_articles(corpus_store: Store, entry: dict) -> None:
    forms = {norm_key(f) for f in entry["forms"]}
    nodes = sorted(x for x, names in _names(corpus_store).items() if names & forms)
    assert len(nodes) <= 1, f"{entry['label']} is split over {nodes}"


def test_pipeline_finds_most_entities_of_the_corpus(corpus_store: Store) -> None:
    names = _names(corpus_store)
    found = [e["label"] for e in EXPECTED if any(n & {norm_key(f) for f in e["forms"]} for n in names.values())]
    assert len(found) >= 0.9 * len(EXPECTED), sorted({e["label"] for e in EXPECTED} - set(found))


def test_pipeline_no_two_entities_share_a_node(corpus_store: Store) -> None:
    names = _names(corpus_store)
    owner: dict[str, str] = {}
    for entry in EXPECTED:
        forms = {norm_key(f) for f in entry["forms"]}
        for node in (x for x, n in names.items() if n & forms):
            assert owner.setdefault(node, entry["label"]) == entry["label"], node


def test_pipeline_rebuild_replaces_not_appends(tmp_path: Path) -> None:
    store = kg.open_store(tmp_path / "s")
    first = kg.build(store, [SEEDS])
    count = len(store)
    again = kg.build(store, [SEEDS])
    assert (first.built, again.built, again.unchanged) == (1, 0, 1)
    forced = kg.build(store, [SEEDS], force=True)
    assert forced.built == 1 and len(store) == count


def test_pipeline_api_rows_for_pandas(seed_store: Path) -> None:
    store = kg.open_store(seed_store, read_only=True)
    rows = kg.sparql(store, "SELECT ?l WHERE { ?p a nkg:Leader ; rdfs:label ?l } ORDER BY ?l").dicts()
    assert {"l": "Vladimir Putin"} in rows
    graph = kg.networkx(store)
    assert any(d.get("label") == "Kim Jong Un" for _, d in graph.nodes(data=True))


def test_pipeline_edited_article_replaces_its_old_version(tmp_path: Path) -> None:
    source = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text(source, encoding="utf-8")
    store = kg.open_store(tmp_path / "s")
    kg.build(store, [article.parent])
    graphs = store.graphs()
    article.write_text(source + "\nPutin later met Kim Jong Un again in Vladivostok.\n", encoding="utf-8")
    summary = kg.build(store, [article.parent])
    assert summary.built == 1
    assert len(store.graphs()) == len(graphs)
    sources = kg.sparql(store, "SELECT ?g WHERE { GRAPH ?g { ?g nkg:sourceFile ?f } }").dicts()
    assert len(sources) == 1

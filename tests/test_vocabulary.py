"""What kg emits is the ontology's vocabulary: checked on the triples of a real store, not by
reading source text (a term built as ``NKG + name`` is found too), and every saved query has
something to say about a store of real-style articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import ontology
from kg import query as q
from kg.store import ONTOLOGY_GRAPH, Store
from tests.conftest import QUERIES

RDF_TYPE = ontology.RDF + "type"


def _select(store: Store, text: str) -> list[str]:
    result = q.run(store, text)
    return sorted({str(v).strip("<>") for row in result.rows for v in row if v})


def _declared(store: Store, kinds: str) -> set[str]:
    text = (f"SELECT ?t WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?t a ?k }} VALUES ?k {{ {kinds} }} "
            f"FILTER(STRSTARTS(STR(?t), \"{ontology.NKG}\")) }}")
    return set(_select(store, text))


def test_vocabulary_every_emitted_class_is_declared(eval_store: Path) -> None:
    store = Store(eval_store, read_only=True)
    used = set(_select(store, f"SELECT DISTINCT ?c WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), \"{ontology.NKG}\")) }}"))
    assert len(used) > 15  # the store really holds people, places, events, claims ...
    missing = used - _declared(store, "owl:Class rdfs:Class")
    assert not missing, f"classes emitted but not declared in ontology/: {sorted(missing)}"


def test_vocabulary_every_emitted_property_is_declared(eval_store: Path) -> None:
    store = Store(eval_store, read_only=True)
    used = set(_select(store, f"SELECT DISTINCT ?p WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), \"{ontology.NKG}\")) }}"))
    assert {ontology.NKG + "participant", ontology.NKG + "claimant", ontology.NKG + "evidence"} <= used
    declared = _declared(store, "owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty "
                                f"<{ontology.RDF}Property>")
    missing = used - declared
    assert not missing, f"properties emitted but not declared in ontology/: {sorted(missing)}"


def test_vocabulary_every_node_has_its_class_explicitly(eval_store: Path) -> None:
    """The contract: a query never needs inference to find a Leader."""
    store = Store(eval_store, read_only=True)
    untyped = _select(store, "SELECT DISTINCT ?x WHERE { { ?e nkg:participant ?x } UNION { ?c nkg:claimant ?x } "
                             "UNION { ?a nkg:mentions ?x } FILTER NOT EXISTS { ?x a ?t } }")
    assert untyped == []


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_vocabulary_each_saved_query_answers_on_real_style_articles(eval_store: Path, path: Path) -> None:
    result = q.run(Store(eval_store, read_only=True), path.read_text(encoding="utf-8"), where=path.name)
    assert result.kind == "select"
    assert result.rows, f"{path.name} found nothing in {len(list(Path(eval_store).iterdir()))}-file store"
    assert any(v for row in result.rows for v in row), f"{path.name} returned only empty cells"

"""`kg serve` as a SPARQL 1.1 Protocol citizen: service description, methods, datasets, base IRI,
SPARQLWrapper's defaults, and the same answers as `kg query` (GROUP_CONCAT order included).

Against a real `kg serve` process on the seed store (the `served` fixture of test_server.py).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.test_server import SAVED, http, served  # noqa: F401 (served is a fixture)

SD = "http://www.w3.org/ns/sparql-service-description#"
ARTICLE_GRAPH = "SELECT ?g WHERE { GRAPH ?g { ?a a nkg:Article } } LIMIT 1"
CONCAT = ("SELECT ?p (GROUP_CONCAT(?l; separator='|') AS ?labels) WHERE { ?p a nkg:Leader ; skos:altLabel ?l } "
          "GROUP BY ?p ORDER BY ?p")


def sparql(base: str, query: str, **params: str | list[str]) -> tuple[int, dict[str, str], bytes]:
    pairs: list[tuple[str, str]] = [("query", query)]
    for key, value in params.items():
        pairs += [(key.replace("_", "-"), v) for v in (value if isinstance(value, list) else [value])]
    return http(base + "sparql?" + urlencode(pairs), headers={"Accept": "application/sparql-results+json"})


def bindings(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(body)["results"]["bindings"]]


@pytest.mark.parametrize(("accept", "fmt"), [("", ox.RdfFormat.TURTLE), ("text/turtle", ox.RdfFormat.TURTLE),
                                             ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_serve_protocol_service_description(served: tuple[str, object], accept: str, fmt: ox.RdfFormat) -> None:
    status, headers, body = http(served[0] + "sparql", headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].startswith(fmt.media_type), body
    triples = list(ox.parse(body, fmt))
    types = {t.object.value for t in triples if t.predicate.value.endswith("#type")}
    endpoints = {t.object.value for t in triples if t.predicate.value == SD + "endpoint"}
    assert SD + "Service" in types and endpoints == {served[0] + "sparql"}
    assert any(t.object.value == SD + "SPARQL11Query" for t in triples)


@pytest.mark.parametrize("method", ["HEAD", "PUT", "DELETE", "PATCH", "TRACE"])
def test_serve_protocol_other_methods_get_405_with_allow(served: tuple[str, object], method: str) -> None:
    status, headers, body = http(served[0] + "sparql", method=method, data=b"" if method in ("PUT", "PATCH") else None)
    assert status == 405 and headers["Allow"] == "GET, POST, OPTIONS"
    assert headers["Content-Type"].startswith("text/plain") and b"<" not in body


@pytest.mark.parametrize("target", ["sparql?query=SELECT", "nowhere", "sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"])
def test_serve_protocol_errors_are_plain_text(served: tuple[str, object], target: str) -> None:
    status, headers, body = http(served[0] + target)
    assert 400 <= status < 500 and headers["Content-Type"].startswith("text/plain")
    assert b"<html" not in body.lower() and b"Traceback" not in body


def test_serve_protocol_construct_with_relative_iris_has_a_base(served: tuple[str, object], seed_store: Path,
                                                                runner: CliRunner) -> None:
    query = "CONSTRUCT { <person/x> <p> <o> } WHERE {}"
    status, _, body = http(served[0] + "sparql?" + urlencode({"query": query}), headers={"Accept": "application/n-triples"})
    assert status == 200, body
    served_triples = {str(t) for t in ox.parse(body, ox.RdfFormat.N_TRIPLES)}
    assert served_triples == {"<https://w3id.org/newskg/id/person/x> <https://w3id.org/newskg/id/p> "
                              "<https://w3id.org/newskg/id/o>"}
    result = runner.invoke(app, ["query", query, "--store", str(seed_store)])
    assert result.exit_code == 0 and "person:x kgid:p kgid:o ." in result.stdout
    status, _, _ = http(served[0] + "sparql?" + urlencode({"query": "BASE <http://b.example/> " + query}))
    assert status == 200  # a query's own BASE wins


def test_serve_protocol_from_and_from_named_are_honoured(served: tuple[str, object]) -> None:
    graph = bindings(sparql(served[0], ARTICLE_GRAPH)[2])[0]["g"]
    count = "SELECT (COUNT(*) AS ?n) FROM <{g}> WHERE {{ ?s ?p ?o }}"
    one = int(bindings(sparql(served[0], count.format(g=graph))[2])[0]["n"])
    union = int(bindings(sparql(served[0], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[2])[0]["n"])
    assert 0 < one < union
    named = f"SELECT DISTINCT ?g FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert bindings(sparql(served[0], named)[2]) == [{"g": graph}]
    empty_default = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ ?s ?p ?o }}"
    assert bindings(sparql(served[0], empty_default)[2]) == [{"n": "0"}]


def test_serve_protocol_named_graph_uri_alone_does_not_query_the_union(served: tuple[str, object]) -> None:
    graph = bindings(sparql(served[0], ARTICLE_GRAPH)[2])[0]["g"]
    status, _, body = sparql(served[0], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", named_graph_uri=graph)
    assert status == 200 and bindings(body) == [{"n": "0"}]
    status, _, body = sparql(served[0], "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graph_uri=graph)
    assert bindings(body) == [{"g": graph}]
    status, _, body = sparql(served[0], "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", default_graph_uri=graph)
    assert status == 200 and bindings(body) == []  # default-graph-uri alone names no named graphs


def test_serve_protocol_kg_query_honours_from_too(seed_store: Path, runner: CliRunner) -> None:
    from kg.query import run
    from kg.store import Store

    store = Store(seed_store, read_only=True)
    graph = str(run(store, ARTICLE_GRAPH).rows[0][0].value)  # type: ignore[union-attr]
    one = run(store, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}").rows[0][0]
    union = run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert one is not None and union is not None and 0 < int(one.value) < int(union.value)
    store.close()


def test_serve_protocol_group_concat_order_equals_kg_query(served: tuple[str, object], seed_store: Path,
                                                          runner: CliRunner) -> None:
    """Same engine path, same dataset: the same rows in the same order, GROUP_CONCAT's parts too."""
    result = runner.invoke(app, ["query", CONCAT, "--store", str(seed_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = [{k: v for k, v in row.items() if v is not None} for row in json.loads(result.stdout)]
    status, _, body = sparql(served[0], CONCAT)
    assert status == 200 and bindings(body) == expected
    assert any("|" in row["labels"] for row in expected)  # some leader has several aliases to order


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_serve_protocol_saved_queries_in_kg_query_order(served: tuple[str, object], seed_store: Path,
                                                       runner: CliRunner, path: Path) -> None:
    result = runner.invoke(app, ["query", str(path), "--store", str(seed_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = [{k: v for k, v in row.items() if v is not None} for row in json.loads(result.stdout)]
    status, _, body = sparql(served[0], path.read_text(encoding="utf-8"))
    assert status == 200 and bindings(body) == expected


QUERY_FORMS = {
    "SELECT": "SELECT ?l WHERE { ?p a nkg:Leader ; rdfs:label ?l } LIMIT 3",
    "ASK": "ASK { ?p a nkg:Leader }",
    "CONSTRUCT": "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a nkg:Leader ; rdfs:label ?l }",
    "DESCRIBE": "DESCRIBE ?p WHERE { ?p a nkg:Leader } LIMIT 1",
}
RETURN_FORMATS = {"SELECT": ["xml", "json", "csv", "tsv"], "ASK": ["xml", "json", "csv", "tsv"],
                  "CONSTRUCT": ["xml", "rdf+xml", "turtle", "n3", "json-ld", "json"],
                  "DESCRIBE": ["xml", "rdf+xml", "turtle", "n3", "json-ld", "json"]}
CASES = [(form, fmt, method) for form, fmts in RETURN_FORMATS.items() for fmt in fmts for method in ("GET", "POST")]


@pytest.mark.parametrize(("form", "fmt", "method"), CASES, ids=["-".join(c) for c in CASES])
def test_serve_protocol_sparqlwrapper_defaults_for_every_form(served: tuple[str, object], form: str, fmt: str,
                                                             method: str) -> None:
    """SPARQLWrapper sends `format`/`output` and its own Accept for each form; all are answered."""
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(served[0] + "sparql")
    client.setQuery(QUERY_FORMS[form])
    client.setMethod(method)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        converted = client.query().convert()
    mismatches = [str(w.message) for w in seen if "returned by the endpoint" in str(w.message)]
    assert converted is not None and not mismatches  # SPARQLWrapper warns when the answer is not what it asked for
    if form in ("CONSTRUCT", "DESCRIBE") and fmt in ("xml", "rdf+xml"):
        assert len(converted) > 0  # an rdflib Graph, parsed from RDF/XML

"""The query side of the W3C SPARQL 1.1 Protocol tests, against a real `kg serve`.

Each test is one case of w3c/rdf-tests `sparql/sparql11/protocol/manifest.ttl`, named after it
and re-expressed from its description: the same requests (method, path, body, headers) on a
store holding the three kasei.us graphs the manifest loads, and the expected status class,
boolean and result format. The paths keep the manifest's `/sparql/` (with its slash).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest

from tests.test_server import free_port, http, kg_serve_cmd, running

DATA = "http://kasei.us/2009/09/sparql/data/"
DOC = ox.NamedNode("http://xmlns.com/foaf/0.1/Document")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TABULAR = ("application/sparql-results+xml", "application/sparql-results+json", "text/csv", "text/tab-separated-values")
BOOLEAN = ("application/sparql-results+xml", "application/sparql-results+json")
RDF = ("application/rdf+xml", "text/turtle", "application/n-triples")
QUERY = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def graph(n: int) -> str:
    return f"{DATA}data{n}.rdf"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve` on a store of data1..data3 (each `<dataN.rdf> a foaf:Document` in graph <dataN.rdf>)."""
    from kg.store import Store

    path = tmp_path_factory.mktemp("w3c") / "store"
    store = Store(path)
    for n in (1, 2, 3):
        store.replace_graph(graph(n), [(ox.NamedNode(graph(n)), RDF_TYPE, DOC)])
    store.close()
    port = free_port()
    with running(kg_serve_cmd(path, port), f"http://127.0.0.1:{port}/health"):
        yield f"http://127.0.0.1:{port}/sparql/"


def ask(endpoint: str, target: str = "", *, data: bytes | None = None, headers: dict[str, str] | None = None,
        method: str | None = None) -> tuple[int, str, bool | None]:
    """``(status, content type, boolean)`` of a request to the endpoint (boolean None if not ASK)."""
    status, head, body = http(endpoint + target, data=data, headers=headers or {}, method=method)
    ctype = head.get("Content-Type", "").split(";")[0]
    value = None
    if status == 200 and ctype in BOOLEAN:
        parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON if "json" in ctype else ox.QueryResultsFormat.XML)
        value = bool(parsed) if isinstance(parsed, ox.QueryBoolean) else None
    return status, ctype, value


def params(**fields: object) -> str:
    pairs = [(k.replace("_", "-"), v) for k, vs in fields.items() for v in (vs if isinstance(vs, list) else [vs])]
    return "?" + urlencode(pairs, quote_via=quote)


def test_serve_w3c_query_post_form(endpoint: str) -> None:
    assert ask(endpoint, params(default_graph_uri=graph(0)), data=b"query=ASK%20%7B%7D", headers=FORM)[::2] == (200, True)


def test_serve_w3c_query_dataset_default_graphs_get(endpoint: str) -> None:
    q = f"ASK {{ <{graph(1)}> a ?type . <{graph(2)}> a ?type . }}"
    assert ask(endpoint, params(query=q, default_graph_uri=[graph(1), graph(2)]))[::2] == (200, True)


def test_serve_w3c_query_dataset_default_graphs_post(endpoint: str) -> None:
    q = f"ASK {{ <{graph(1)}> a ?type . <{graph(2)}> a ?type . }}"
    assert ask(endpoint, params(default_graph_uri=[graph(1), graph(2)]), data=q.encode(), headers=QUERY)[::2] == (200, True)


NAMED_ASK = f"ASK {{ GRAPH ?g1 {{ <{graph(1)}> a ?type }} GRAPH ?g2 {{ <{graph(2)}> a ?type }} }}"


def test_serve_w3c_query_dataset_named_graphs_post(endpoint: str) -> None:
    assert ask(endpoint, params(named_graph_uri=[graph(1), graph(2)]), data=NAMED_ASK.encode(), headers=QUERY)[::2] == (200, True)


def test_serve_w3c_query_dataset_named_graphs_get(endpoint: str) -> None:
    assert ask(endpoint, params(query=NAMED_ASK, named_graph_uri=[graph(1), graph(2)]))[::2] == (200, True)


def test_serve_w3c_query_dataset_full(endpoint: str) -> None:
    q = f"ASK {{ <{graph(3)}> a ?type\n GRAPH ?g1 {{ <{graph(1)}> a ?type }}\n GRAPH ?g2 {{ <{graph(2)}> a ?type }} }}"
    target = params(default_graph_uri=graph(3), named_graph_uri=[graph(1), graph(2)])
    assert ask(endpoint, target, data=q.encode(), headers=QUERY)[::2] == (200, True)


def test_serve_w3c_query_multiple_dataset(endpoint: str) -> None:
    """The protocol's dataset wins over the query's FROM."""
    q = f"ASK FROM <{graph(3)}> {{ GRAPH ?g1 {{ <{graph(1)}> a ?type }} GRAPH ?g2 {{ <{graph(2)}> a ?type }} }}"
    assert ask(endpoint, params(named_graph_uri=[graph(1), graph(2)]), data=q.encode(), headers=QUERY)[::2] == (200, True)


def test_serve_w3c_query_get(endpoint: str) -> None:
    assert ask(endpoint, params(query="ASK {}", default_graph_uri=graph(0)))[::2] == (200, True)


def test_serve_w3c_query_content_type_select(endpoint: str) -> None:
    status, ctype, _ = ask(endpoint, params(default_graph_uri=graph(0)), data=b"SELECT (1 AS ?value) {}", headers=QUERY)
    assert status == 200 and ctype in TABULAR


def test_serve_w3c_query_content_type_ask(endpoint: str) -> None:
    status, ctype, value = ask(endpoint, params(default_graph_uri=graph(0)), data=b"ASK {}", headers=QUERY)
    assert status == 200 and ctype in BOOLEAN and value is True


def test_serve_w3c_query_content_type_describe(endpoint: str) -> None:
    status, ctype, _ = ask(endpoint, params(default_graph_uri=graph(0)), data=b"DESCRIBE <http://example.org/>", headers=QUERY)
    assert status == 200 and ctype in RDF


def test_serve_w3c_query_content_type_construct(endpoint: str) -> None:
    status, ctype, _ = ask(endpoint, params(default_graph_uri=graph(0)), data=b"CONSTRUCT { <s> <p> 1 } WHERE {}", headers=QUERY)
    assert status == 200 and ctype in RDF


def test_serve_w3c_query_post_direct(endpoint: str) -> None:
    assert ask(endpoint, data=b"ASK {}", headers=QUERY)[::2] == (200, True)


def test_serve_w3c_bad_query_method(endpoint: str) -> None:
    status, head, body = http(endpoint + params(query="ASK {}", default_graph_uri=graph(0)), method="PUT", headers=FORM, data=b"")
    assert status == 405 and "GET" in head["Allow"] and head["Content-Type"].startswith("text/plain")


def test_serve_w3c_bad_multiple_queries(endpoint: str) -> None:
    assert 400 <= ask(endpoint, params(query=["ASK {}", "SELECT * {}"]))[0] < 500


def test_serve_w3c_bad_query_wrong_media_type(endpoint: str) -> None:
    assert 400 <= ask(endpoint, data=b"ASK {}", headers={"Content-Type": "text/plain"})[0] < 500


def test_serve_w3c_bad_query_missing_form_type(endpoint: str) -> None:
    assert 400 <= ask(endpoint, data=b"query=ASK%20%7B%7D", headers={"Content-Type": ""})[0] < 500


def test_serve_w3c_bad_query_missing_direct_type(endpoint: str) -> None:
    assert 400 <= ask(endpoint, data=b"ASK {}", headers={"Content-Type": ""})[0] < 500


def test_serve_w3c_bad_query_non_utf8(endpoint: str) -> None:
    body = "ASK {}".encode("utf-16")
    assert 400 <= ask(endpoint, data=body, headers={"Content-Type": "application/sparql-query; charset=UTF-16"})[0] < 500


def test_serve_w3c_bad_query_syntax(endpoint: str) -> None:
    status, head, body = http(endpoint + params(query="ASK {"))
    assert status == 400 and head["Content-Type"].startswith("text/plain") and b"<html" not in body.lower()

"""Virtuoso as the store: what its dialect does, each against a real Debian ``virtuoso-t``.

Blank nodes are skolemised on write and read back as blank nodes (SP031); large graphs are
written as several INSERT DATA parts in one request (SP030) that applies whole or not at all;
``nodeID://`` names read as blank nodes; answers past ``ResultSetMaxRows`` fail loudly for a
user's query and are paged for kg's own reads; Virtuoso's system graphs are not kg's; non-ASCII
GROUP_CONCAT separators survive; Digest auth works on its authenticated endpoint.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import StoreError
from kg.store import RemoteStore, Store, open_store
from kg.store.http import Http
from kg.store.updates import SKOLEM_BASE
from tests.stores import virtuoso_server

MAX_ROWS = 500
G = "https://w3id.org/newskg/graph/test"
P = ox.NamedNode("https://example.org/p")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso whose answers stop at MAX_ROWS rows; yields its /sparql URL."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso"), max_rows=MAX_ROWS) as (url, _):
        yield url


def _triples(n: int, graph: str = G) -> list[ox.Triple]:
    return [ox.Triple(ox.NamedNode(f"{graph}/s{i}"), P, ox.Literal(f"value {i} – é")) for i in range(n)]


def _raw(url: str, sparql: str) -> str:
    """The server's own answer (TSV), past kg's reading of it."""
    body = urllib.parse.urlencode({"query": sparql}).encode()
    resp = Http(env={}).request("POST", url, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                     "Accept": "text/tab-separated-values"})
    return resp.body.decode("utf-8")


def test_virtuoso_is_recognised_by_its_server_header_on_any_sparql_path(virtuoso: str) -> None:
    for url in (virtuoso, virtuoso + "/", virtuoso + "/news"):
        store = RemoteStore(url, env={})
        assert store.endpoints.dialect.name == "virtuoso"
        assert store.endpoints.query == store.endpoints.update == url.rstrip("/")


def test_virtuoso_blank_nodes_are_written_as_genid_iris_and_read_back_as_blank_nodes(virtuoso: str) -> None:
    store = open_store(virtuoso)
    a, b = ox.BlankNode(), ox.BlankNode()
    store.replace_graph(G + "/bnodes", [ox.Triple(a, P, b), ox.Triple(b, P, ox.Literal("leaf")),
                                        f"_:x <{P.value}> \"line\" .", f"<{G}/s> <{P.value}> _:x ."])
    quads = list(store.quads(G + "/bnodes"))
    assert len(quads) == 4 and all(not isinstance(q.subject, ox.NamedNode) or q.subject.value == f"{G}/s" for q in quads)
    by_object = {q.object: q.subject for q in quads}
    assert isinstance(by_object[ox.Literal("leaf")], ox.BlankNode)
    assert by_object[ox.Literal("leaf")] in {q.object for q in quads}  # the shared node stayed one node
    assert SKOLEM_BASE in _raw(virtuoso, f"SELECT ?s WHERE {{ GRAPH <{G}/bnodes> {{ ?s ?p ?o }} }}")


def test_virtuoso_node_ids_read_as_blank_nodes_in_every_command(virtuoso: str, runner: CliRunner, tmp_path: Path) -> None:
    store = open_store(virtuoso)
    store.update(f"INSERT {{ GRAPH <{G}/nodeid> {{ _:made <{P.value}> \"made by the server\" }} }} WHERE {{ }}")
    assert "nodeID://" in _raw(virtuoso, f"SELECT ?s WHERE {{ GRAPH <{G}/nodeid> {{ ?s ?p ?o }} }}")
    (quad,) = store.quads(G + "/nodeid")
    assert isinstance(quad.subject, ox.BlankNode)
    for command in (["export", "--format", "nquads", "--out", str(tmp_path / "x.nq")], ["validate"],
                    ["viz", "--out", str(tmp_path / "x.html")], ["query", f"SELECT ?s WHERE {{ ?s <{P.value}> ?o }}"]):
        result = runner.invoke(app, [*command, "--store", virtuoso])
        assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
        assert "nodeID" not in result.stdout
    store.drop_graphs([G + "/nodeid"])


def test_virtuoso_large_graph_one_request_applied_whole(virtuoso: str) -> None:
    store = open_store(virtuoso)
    big = _triples(5000, G + "/big")
    lines = "\n".join(f"{t} ." for t in big)
    one_part = f"INSERT DATA {{ GRAPH <{G}/big> {{\n{lines}\n}} }}"
    with pytest.raises(StoreError, match="SP030|10000 lines|exceeded"):  # what the parts avoid
        store.update(one_part)
    assert store.replace_graph(G + "/big", big) == 5000
    assert len([q for q in store.quads(G + "/big")]) == 5000
    refused = f"DROP SILENT GRAPH <{G}/big> ; " + " ; ".join(
        f"INSERT DATA {{ GRAPH <{G}/big> {{ {t} . }} }}" for t in big[:3])
    refused += f" ; INSERT DATA {{ GRAPH <{G}/big> {{ _:b <{P.value}> 1 }} }}"
    with pytest.raises(StoreError, match="SP031|[Bb]lank"):
        store.update(refused)
    assert sum(1 for _ in store.quads(G + "/big")) == 5000  # the refused request changed nothing
    store.drop_graphs([G + "/big"])


def test_virtuoso_answers_past_its_row_cap_fail_loudly_and_kg_reads_page_past_it(virtuoso: str, runner: CliRunner) -> None:
    store = open_store(virtuoso)
    store.replace_graph(G + "/rows", _triples(1200, G + "/rows"))
    result = runner.invoke(app, ["query", f"SELECT ?s WHERE {{ GRAPH <{G}/rows> {{ ?s ?p ?o }} }}", "--store", virtuoso])
    assert result.exit_code == 1 and f"limit of {MAX_ROWS} rows" in result.stderr and "Traceback" not in result.output
    paged = runner.invoke(app, ["query", f"SELECT ?s WHERE {{ GRAPH <{G}/rows> {{ ?s ?p ?o }} }} LIMIT 400", "--store", virtuoso,
                                "--format", "tsv"])
    assert paged.exit_code == 0 and len(paged.stdout.splitlines()) == 401
    assert len(list(store.quads(G + "/rows"))) == 1200 and G + "/rows" in store.graphs()
    store.drop_graphs([G + "/rows"])


def test_virtuoso_system_graphs_are_not_kg_graphs(virtuoso: str) -> None:
    store = open_store(virtuoso)
    system = _raw(virtuoso, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert "openlinksw.com/schemas/virtrdf" in system
    assert all(g.startswith("https://w3id.org/newskg/") for g in store.graphs())
    assert len(store) == sum(1 for _ in store.quads())


def test_virtuoso_group_concat_keeps_a_non_ascii_separator(virtuoso: str) -> None:
    store = open_store(virtuoso)
    store.replace_graph(G + "/sep", [ox.Triple(ox.NamedNode(f"{G}/x"), P, ox.Literal(v)) for v in ("Iran", "Russia")])
    res = store.query(f"SELECT (GROUP_CONCAT(?o; separator=\" – \") AS ?all) WHERE {{ GRAPH <{G}/sep> {{ ?s ?p ?o }} }}")
    assert isinstance(res, ox.QuerySolutions)
    assert sorted(next(iter(res))["all"].value.split(" – ")) == ["Iran", "Russia"]  # type: ignore[union-attr]
    store.drop_graphs([G + "/sep"])


def test_virtuoso_digest_auth_on_its_authenticated_endpoint(virtuoso: str) -> None:
    url = virtuoso.replace("/sparql", "/sparql-auth")
    anonymous = RemoteStore(url, env={})
    with pytest.raises(StoreError, match="refused"):
        anonymous.graphs()
    wrong = RemoteStore(url, env={"KG_STORE_USER": "dba", "KG_STORE_PASSWORD": "wrong"})
    with pytest.raises(StoreError, match="refused"):
        wrong.graphs()
    dba = RemoteStore(url, env={"KG_STORE_USER": "dba", "KG_STORE_PASSWORD": "dba"})
    assert dba.endpoints.dialect.name == "virtuoso"
    dba.replace_graph(G + "/digest", _triples(3, G + "/digest"))
    assert G + "/digest" in dba.graphs() and len(list(dba.quads(G + "/digest"))) == 3
    dba.drop_graphs([G + "/digest"])


def test_virtuoso_push_twice_keeps_one_copy(virtuoso: str, seed_store: Path, runner: CliRunner) -> None:
    local = Store(seed_store, read_only=True)
    for _ in range(2):
        result = runner.invoke(app, ["push", virtuoso, "--store", str(seed_store)])
        assert result.exit_code == 0, result.output
    remote = open_store(virtuoso)
    assert set(local.graphs()) <= set(remote.graphs())
    assert all(sum(1 for _ in remote.quads(g)) == sum(1 for _ in local.quads(g)) for g in local.graphs())

"""Remote stores: a real Oxigraph server as the store for build, query, export, stats, viz and push.

Each server is `oxigraph serve --location DIR --bind 127.0.0.1:PORT` on a free port, polled
until it answers and stopped by its process id.
"""

from __future__ import annotations

import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import query as q
from kg.cli import app
from kg.errors import StoreError
from kg.ontology import ontology_dir
from kg.store import RemoteStore, Store, auth_header, endpoints, open_store
from tests.conftest import QUERIES, SEEDS, needs
from tests.test_server import free_port, running

SAVED = sorted(QUERIES.glob("*.rq"))


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"  # the PyPI package installs it into the venv
    return str(beside) if beside.exists() else needs("oxigraph")


@pytest.fixture(scope="module", autouse=True)
def frozen_ontology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds here read one copy of ontology/, so the remote and the embedded store built
    beside it hold the same graph even while someone edits the gazetteer."""
    folder = tmp_path_factory.mktemp("ontology") / "ontology"
    shutil.copytree(ontology_dir(), folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_ONTOLOGY_DIR", str(folder))
        yield


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A factory-fresh Oxigraph server; yields its base URL."""
    yield from _oxigraph(tmp_path_factory.mktemp("oxigraph"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, runner: CliRunner) -> Iterator[tuple[str, Path]]:
    """`kg build seeds/` into an Oxigraph server and into a store folder: (URL, folder)."""
    local = tmp_path_factory.mktemp("embedded") / "store"
    for url in _oxigraph(tmp_path_factory.mktemp("oxigraph-built")):
        for store in (url, str(local)):
            result = runner.invoke(app, ["build", str(SEEDS), "--store", store, "--quiet"])
            assert result.exit_code == 0, result.output
        yield url, local


def _oxigraph(folder: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    with running(cmd, url + "/query?query=ASK%7B%7D"):
        yield url


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_remote_saved_queries_answer_as_the_embedded_store(built: tuple[str, Path], path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    remote = q.run(open_store(built[0], read_only=True), text, where=path.name)
    local = q.run(Store(built[1], read_only=True), text, where=path.name)
    assert remote.columns == local.columns
    assert sorted(map(str, remote.dicts())) == sorted(map(str, local.dicts()))
    assert remote.rows, f"{path.name} answers nothing on the seeds"


def test_remote_build_again_changes_nothing(built: tuple[str, Path], runner: CliRunner) -> None:
    built_remote = built[0]
    before = len(open_store(built_remote))
    result = runner.invoke(app, ["build", str(SEEDS), "--store", built_remote, "--force", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "built 1" in result.output and len(open_store(built_remote)) == before


def test_remote_export_and_stats_read_the_remote(built: tuple[str, Path], runner: CliRunner, tmp_path: Path) -> None:
    built_remote, local = built
    dumps = []
    for store in (built_remote, str(local)):
        out = tmp_path / f"{len(dumps)}.nq"
        result = runner.invoke(app, ["export", "--store", store, "--format", "nquads", "--out", str(out)])
        assert result.exit_code == 0, result.output
        dataset = ox.Dataset(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # blank nodes (OWL lists) get stable names
        dumps.append(set(dataset))
    assert dumps[0] == dumps[1]
    outputs = [runner.invoke(app, ["stats", "--store", store]).stdout for store in (built_remote, str(local))]
    assert outputs[0] == outputs[1] and "quads" in outputs[0]


def test_remote_viz_reads_the_remote(built: tuple[str, Path], runner: CliRunner, tmp_path: Path) -> None:
    built_remote = built[0]
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["viz", "--store", built_remote, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000


def test_remote_push_twice_keeps_one_copy(oxigraph: str, seed_store: Path, runner: CliRunner) -> None:
    local = Store(seed_store, read_only=True)
    for _ in range(2):
        result = runner.invoke(app, ["push", oxigraph, "--store", str(seed_store)])
        assert result.exit_code == 0, result.output
        assert f"pushed {len(local.graphs())} graph(s)" in result.output
        remote = open_store(oxigraph)
        assert len(remote) == len(local) and remote.graphs() == local.graphs()


def test_remote_environment_names_the_store(built: tuple[str, Path], runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    built_remote = built[0]
    monkeypatch.setenv("KG_STORE", built_remote)
    result = runner.invoke(app, ["query", "ASK { ?p a nkg:Leader }", "--format", "json"])
    assert result.exit_code == 0 and '"boolean": true' in result.stdout


@pytest.mark.parametrize("sparql", ["SELECT ?s WHERE { ?s ?p }", "DROP ALL", "INSERT DATA { <http://a> <http://b> <http://c> }"])
def test_remote_bad_query_or_update_is_one_line(built: tuple[str, Path], runner: CliRunner, sparql: str) -> None:
    built_remote = built[0]
    before = len(open_store(built_remote))
    result = runner.invoke(app, ["query", sparql, "--store", built_remote])
    assert result.exit_code == 1 and result.stderr.startswith("kg: error:") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    assert len(open_store(built_remote)) == before


def test_remote_unreachable_store_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["stats", "--store", f"http://127.0.0.1:{free_port()}"])
    assert result.exit_code == 1 and "cannot reach the store" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(("url", "server", "query", "update", "gsp", "dialect"), [
    ("http://h:7878", "", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store", "oxigraph"),
    ("http://h:7878/query", "", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store", "oxigraph"),
    ("http://h:3030/news", "", "http://h:3030/news/sparql", "http://h:3030/news/update", "http://h:3030/news/data", "fuseki"),
    ("https://h/news/sparql", "Apache Jena Fuseki (4.5.0)", "https://h/news/sparql", "https://h/news/update",
     "https://h/news/data", "fuseki"),
    ("http://h/repositories/news", "", "http://h/repositories/news", "http://h/repositories/news/statements",
     "http://h/repositories/news/rdf-graphs/service", "graphdb"),
    ("http://h/repositories/news/statements", "", "http://h/repositories/news", "http://h/repositories/news/statements",
     "http://h/repositories/news/rdf-graphs/service", "graphdb"),
    ("http://h:8890/sparql", "Virtuoso/07.20.3238 (Linux) x86_64-pc-linux-gnu", "http://h:8890/sparql",
     "http://h:8890/sparql", "http://h:8890/sparql-graph-crud", "virtuoso"),
    ("http://h:8890/sparql/", "Virtuoso/07.20.3238", "http://h:8890/sparql", "http://h:8890/sparql",
     "http://h:8890/sparql-graph-crud", "virtuoso"),
    ("http://h/a/b/c", "", "http://h/a/b/c", "http://h/a/b/c", None, "generic"),
])
def test_remote_endpoint_rule(url: str, server: str, query: str, update: str, gsp: str | None, dialect: str) -> None:
    e = endpoints(url, env={}, server=lambda: server)
    assert (e.query, e.update, e.gsp, e.dialect.name) == (query, update, gsp, dialect)


def test_remote_endpoint_overrides_and_refusals() -> None:
    env = {"KG_STORE_UPDATE_URL": "http://h/statements", "KG_STORE_GSP_URL": "http://h/rdf-graphs", "KG_STORE_UNION": "graphs"}
    e = endpoints("http://h/repositories/news", env=env)
    assert (e.update, e.gsp, e.union) == ("http://h/statements", "http://h/rdf-graphs", "graphs")
    assert endpoints("http://h:8890/sparql", env={"KG_STORE_DIALECT": "virtuoso"}).dialect.name == "virtuoso"
    with pytest.raises(StoreError, match="KG_STORE_DIALECT"):
        endpoints("http://h:7878", env={"KG_STORE_DIALECT": "mystery"})
    with pytest.raises(StoreError, match="KG_STORE_USER"):
        endpoints("http://me:secret@h:7878", env={})
    with pytest.raises(StoreError, match="KG_STORE_UNION"):
        endpoints("http://h:7878", env={"KG_STORE_UNION": "magic"})
    assert isinstance(open_store("http://h:7878"), RemoteStore)


def test_remote_credentials_come_from_the_environment() -> None:
    assert auth_header({"KG_STORE_TOKEN": "t0k"}) == {"Authorization": "Bearer t0k"}
    assert auth_header({"KG_STORE_USER": "ann", "KG_STORE_PASSWORD": "pw"}) == {"Authorization": "Basic YW5uOnB3"}
    assert auth_header({}) == {}
    seen: list[str | None] = []

    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            seen.append(self.headers.get("Authorization"))
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{server.server_address[1]}", env={"KG_STORE_TOKEN": "t0k"})
        with pytest.raises(StoreError, match=r"refused .*KG_STORE_TOKEN"):
            store.graphs()
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["Bearer t0k"]


def test_remote_read_only_store_refuses_writes(oxigraph: str) -> None:
    with pytest.raises(StoreError, match="read-only"):
        open_store(oxigraph, read_only=True).replace_graph("http://example.org/g", [])

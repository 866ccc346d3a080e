"""Remote stores: real servers (Oxigraph server, Debian's Virtuoso) as the store for every command.

Against each product, the seeds and the eval articles (and the events dev set) build, every saved query answers as the
embedded store built beside it does (up to order), export holds the same quads, validate,
viz and stats give the same answers, and a rebuild adds nothing. Servers run on free loopback
ports and are stopped by their process ids (tests/stores.py).
"""

from __future__ import annotations

import http.server
import re
import shutil
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
from tests.conftest import QUERIES, ROOT, SEEDS
from tests.stores import free_port, oxigraph_server, virtuoso_server

SAVED = sorted(QUERIES.glob("*.rq"))
ARTICLES = [SEEDS, ROOT / "eval" / "articles", ROOT / "eval" / "events" / "dev"]  # dev: events reported more than once
PRODUCTS = ("oxigraph", "virtuoso")


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
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as url:
        yield url


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory, runner: CliRunner) -> Path:
    """The seeds and eval articles built into a store folder, to compare remote stores with."""
    local = tmp_path_factory.mktemp("embedded") / "store"
    result = runner.invoke(app, ["build", *map(str, ARTICLES), "--store", str(local), "--quiet"])
    assert result.exit_code == 0, result.output
    return local


@pytest.fixture(scope="module", params=PRODUCTS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, runner: CliRunner,
          embedded: Path) -> Iterator[tuple[str, Path]]:
    """`kg build seeds/ eval/articles/` into a fresh server of each product: (URL, embedded folder)."""
    folder = tmp_path_factory.mktemp(request.param)
    server = oxigraph_server(folder / "db") if request.param == "oxigraph" else virtuoso_server(folder)
    with server as started:
        url = started if isinstance(started, str) else started[0]
        result = runner.invoke(app, ["build", *map(str, ARTICLES), "--store", url, "--quiet"])
        assert result.exit_code == 0, result.output
        yield url, embedded


def _rows(result: q.Result, sparql: str) -> list[str]:
    """Rows as sorted text, GROUP_CONCAT parts sorted (products join them in no set order).

    Two differences of Virtuoso's are not kg's to fix and compare equal: a GROUP_CONCAT over only
    unbound values is "" there (unbound in Oxigraph; SPARQL 1.1 leaves errors inside aggregates
    to the engine), and a comparison BIND to a variable gives 1/0 there, true/false elsewhere.
    A SAMPLE column is left out: SPARQL lets each engine pick any value of the group."""
    sampled = set(re.findall(r"(?i)\(\s*SAMPLE\s*\(.*?\)\s+AS\s+\?(\w+)", sparql))
    return sorted(str({k: _unordered(v) for k, v in row.items() if k not in sampled}) for row in result.dicts())


def _unordered(value: str | None) -> str:
    value = {None: "", "1": "true", "0": "false"}.get(value, value)
    return ", ".join(sorted(re.split(r", | – |; | \| ", value or "")))


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_remote_saved_queries_answer_as_the_embedded_store(built: tuple[str, Path], path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    remote = q.run(open_store(built[0], read_only=True), text, where=path.name)
    local = q.run(Store(built[1], read_only=True), text, where=path.name)
    assert remote.columns == local.columns
    assert _rows(remote, text) == _rows(local, text)
    assert remote.rows, f"{path.name} answers nothing on the seeds"


def test_remote_build_again_adds_nothing(built: tuple[str, Path], runner: CliRunner) -> None:
    url = built[0]
    before = len(open_store(url))
    again = runner.invoke(app, ["build", *map(str, ARTICLES), "--store", url, "--quiet"])
    assert again.exit_code == 0, again.output
    read = re.search(r"read (\d+) article", again.output)
    assert read and "built 0" in again.output and f"unchanged {read.group(1)}" in again.output, again.output
    forced = runner.invoke(app, ["build", str(SEEDS), "--store", url, "--force", "--quiet"])
    assert forced.exit_code == 0, forced.output
    assert "built 1" in forced.output and len(open_store(url)) == before


def test_remote_holds_what_the_embedded_store_holds(built: tuple[str, Path]) -> None:
    remote, local = open_store(built[0]), Store(built[1], read_only=True)
    assert remote.graphs() == local.graphs()
    assert len(remote) == len(local)
    keys = remote.build_keys(remote.graphs())
    assert keys == local.build_keys(local.graphs())
    assert len(keys) == sum(1 for g in local.graphs() if "/id/article/" in g) > 14


def _canonical(path: Path) -> set[ox.Quad]:
    dataset = ox.Dataset(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # blank nodes (OWL lists) get stable names
    return set(dataset)


def test_remote_export_validate_stats_and_viz_answer_as_the_embedded_store(
        built: tuple[str, Path], runner: CliRunner, tmp_path: Path) -> None:
    answers = []
    for i, store in enumerate((built[0], str(built[1]))):
        out = tmp_path / f"{i}.nq"
        export = runner.invoke(app, ["export", "--store", store, "--format", "nquads", "--out", str(out)])
        assert export.exit_code == 0, export.output
        turtle = runner.invoke(app, ["export", "--store", store, "--format", "turtle", "--out", str(tmp_path / f"{i}.ttl")])
        assert turtle.exit_code == 0, turtle.output
        validate = runner.invoke(app, ["validate", "--store", store])
        stats = runner.invoke(app, ["stats", "--store", store])
        viz = runner.invoke(app, ["viz", "--store", store, "--out", str(tmp_path / f"{i}.html")])
        assert viz.exit_code == 0 and stats.exit_code == 0, viz.output + stats.output
        answers.append((_canonical(out), validate.exit_code, validate.stdout, stats.stdout, viz.stdout.split(":", 1)[1]))
    assert answers[0] == answers[1]
    assert "conforms" in answers[0][2] and "quads" in answers[0][3]


def test_remote_push_twice_keeps_one_copy(oxigraph: str, seed_store: Path, runner: CliRunner) -> None:
    local = Store(seed_store, read_only=True)
    for _ in range(2):
        result = runner.invoke(app, ["push", oxigraph, "--store", str(seed_store)])
        assert result.exit_code == 0, result.output
        assert f"pushed {len(local.graphs())} graph(s)" in result.output
        remote = open_store(oxigraph)
        assert len(remote) == len(local) and remote.graphs() == local.graphs()


def test_remote_environment_names_the_store(oxigraph: str, runner: CliRunner, seed_store: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["push", oxigraph, "--store", str(seed_store)]).exit_code == 0
    monkeypatch.setenv("KG_STORE", oxigraph)
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
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
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
        user = RemoteStore(f"http://127.0.0.1:{server.server_address[1]}",
                           env={"KG_STORE_USER": "ann", "KG_STORE_PASSWORD": "pw"})
        with pytest.raises(StoreError, match="refused"):
            user.graphs()
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["Bearer t0k", None, "Basic YW5uOnB3"]  # a password is sent only when the server asks


def test_remote_read_only_store_refuses_writes(oxigraph: str) -> None:
    with pytest.raises(StoreError, match="read-only"):
        open_store(oxigraph, read_only=True).replace_graph("http://example.org/g", [])


@pytest.mark.slow
def test_remote_unchanged_rebuild_asks_in_batches_and_writes_nothing(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Against a real Oxigraph server, an unchanged rebuild of 12 articles planned 5 at a time
    sends a few requests per batch (not one per article) and no update: the ontology and
    reference graphs are written only when they change, as on the embedded store."""
    from kg import planning
    from kg.pipeline import build

    corpus = ROOT / "tests" / "data" / "corpus12"
    sent: list[tuple[str, str]] = []
    real = RemoteStore._http_request

    def counted(self: RemoteStore, method: str, url: str, body: bytes | None, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        sent.append((method, url))
        return real(self, method, url, body, headers)

    with oxigraph_server(tmp_path / "db") as url:
        assert build(open_store(url), [corpus], workers=1).built == 12
        monkeypatch.setattr(planning, "BATCH", 5)
        monkeypatch.setattr(RemoteStore, "_http_request", counted)
        again = build(open_store(url), [corpus], workers=1)
    assert (again.built, again.unchanged) == (0, 12)
    writes = [(m, u) for m, u in sent if not u.rstrip("/").endswith("/query")]
    assert writes == [], writes  # nothing written: no update, no graph store request
    # the stamp (+ the server's name), then keys and sources per batch of 5; one per article would be 12+
    assert len(sent) <= 2 + 2 * 3, sent

"""`kg serve`: the SPARQL 1.1 Protocol over a real server process, read-only and bounded.

The server is started as `python -m kg.cli serve` on a free port, polled until it answers,
and stopped by its process id; its answers are compared with `kg query` on the same store.
Helpers here (free_port, running, http) are shared with test_remote.py and bench/bench_serve.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import QUERIES, ROOT
from tests.stores import stop_pid

SAVED = sorted(QUERIES.glob("*.rq"))
ACCEPT = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
          "csv": "text/csv", "tsv": "text/tab-separated-values"}
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # hours on the seed store


# ---- helpers (also used by test_remote.py and bench/bench_serve.py) ----

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """``(status, headers, body)`` for any status (no exception for 4xx/5xx)."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            http(url, timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")




@contextmanager
def running(cmd: list[str], ready_url: str, **popen: object) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, up and answering ``ready_url``; stopped by its pid on exit."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)  # type: ignore[call-overload]
    try:
        wait_until_up(ready_url, proc)
        yield proc
    finally:
        stop_pid(proc)


def kg_serve_cmd(store: Path | str, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port), *extra]


def plain_rows(body: bytes, fmt: str) -> list[tuple[tuple[str, str], ...]]:
    """Any SELECT result format as sorted rows of (variable, plain value) pairs; unbound is ''."""
    if fmt == "csv":
        reader = csv.reader(io.StringIO(body.decode("utf-8")))
        head = next(reader)
        rows = [dict(zip(head, r, strict=True)) for r in reader]
    else:
        sols = ox.parse_query_results(body, {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                                             "tsv": ox.QueryResultsFormat.TSV}[fmt])
        assert isinstance(sols, ox.QuerySolutions)
        names = [v.value for v in sols.variables]
        rows = [{n: "" if s[n] is None else str(s[n].value) for n in names} for s in sols]  # type: ignore[union-attr]
    return sorted(tuple(sorted((k, v or "") for k, v in r.items())) for r in rows)


def worker_pids(server_pid: int) -> list[int]:
    """The query workers of a `kg serve` process: the children of its multiprocessing forkserver."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue

    def children(pid: int) -> list[int]:
        return [c for c, p in parents.items() if p == pid]

    def cmdline(pid: int) -> bytes:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""

    servers = [c for c in children(server_pid) if b"forkserver" in cmdline(c)]
    return sorted(w for f in servers for w in children(f) if _alive(w))


# ---- fixtures ----

@pytest.fixture(scope="module")
def served(seed_store: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`kg serve` on the seed store with a 2 s timeout: (base URL, process)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with running(kg_serve_cmd(seed_store, port, "--timeout", "2"), url + "health") as proc:
        yield url, proc


@pytest.fixture(scope="module")
def kg_query_rows(seed_store: Path) -> dict[str, list[tuple[tuple[str, str], ...]]]:
    """`kg query FILE --format csv` on the same store, per saved query."""
    runner = CliRunner()
    out = {}
    for path in SAVED:
        result = runner.invoke(app, ["query", str(path), "--store", str(seed_store), "--format", "csv"])
        assert result.exit_code == 0, result.output
        out[path.name] = plain_rows(result.stdout.encode("utf-8"), "csv")
    return out


# ---- tests ----

@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_server_sparqlwrapper_answers_equal_kg_query(served: tuple[str, object], kg_query_rows: dict, path: Path) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(served[0] + "sparql")
    client.setQuery(path.read_text(encoding="utf-8"))
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    body = json.dumps(client.queryAndConvert()).encode("utf-8")
    assert plain_rows(body, "json") == kg_query_rows[path.name]


@pytest.mark.parametrize("fmt", list(ACCEPT))
@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_server_each_result_format_equals_kg_query(served: tuple[str, object], kg_query_rows: dict, path: Path, fmt: str) -> None:
    text = path.read_text(encoding="utf-8")
    status, headers, body = http(served[0] + "sparql?" + urlencode({"query": text}), headers={"Accept": ACCEPT[fmt]})
    assert status == 200, body
    assert headers["Content-Type"].startswith(ACCEPT[fmt])
    assert plain_rows(body, fmt) == kg_query_rows[path.name]


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", ox.RdfFormat.TURTLE),
                                             ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                             ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_server_construct_formats_equal_kg_query(served: tuple[str, object], seed_store: Path, accept: str,
                                                 fmt: ox.RdfFormat) -> None:
    from kg import query as q
    from kg.store import Store

    text = "CONSTRUCT { ?p a nkg:Leader ; rdfs:label ?l } WHERE { ?p a nkg:Leader ; rdfs:label ?l }"
    status, headers, body = http(served[0] + "sparql", data=text.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept), body
    got = {ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(body, fmt)}
    expected = set(q.run(Store(seed_store, read_only=True), text).triples or [])
    assert got == expected and got


def test_server_post_form_and_ask(served: tuple[str, object]) -> None:
    form = urlencode({"query": "ASK { ?p a nkg:Leader }"}).encode()
    status, _, body = http(served[0] + "sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                                     "Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize(("data", "headers", "query"), [
    (b"INSERT DATA { <http://a> <http://b> <http://c> }", {"Content-Type": "application/sparql-update"}, ""),
    (urlencode({"update": "DROP ALL"}).encode(), {"Content-Type": "application/x-www-form-urlencoded"}, ""),
    (None, {}, urlencode({"update": "CLEAR ALL"})),
    (None, {}, urlencode({"query": "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }"})),
    (b"DROP ALL", {"Content-Type": "application/sparql-query"}, ""),
], ids=["update-body", "update-form", "update-param", "update-as-query", "drop-as-query"])
def test_server_update_is_refused_with_403(served: tuple[str, object], data: bytes | None, headers: dict, query: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = http(served[0] + "sparql?" + urlencode({"query": count}))[2]
    status, _, body = http(served[0] + "sparql" + (f"?{query}" if query else ""), data=data, headers=headers)
    assert status == 403, body
    assert b"read-only" in body
    assert http(served[0] + "sparql?" + urlencode({"query": count}))[2] == before


@pytest.mark.parametrize(("target", "data", "headers", "status", "words"), [
    ("sparql?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20%3Fp%20%7D", None, {}, 400, b"error at 1:"),
    ("sparql?format=json", None, {}, 400, b"'query' parameter"),
    ("sparql", b"SELECT * {}", {"Content-Type": "text/plain"}, 415, b"Content-Type"),
    ("sparql", b"x" * (2 << 20), {"Content-Type": "application/sparql-query"}, 413, b"bytes"),
    ("sparql?query=SELECT%20*%20%7B%7D", None, {"Accept": "image/png"}, 406, b"JSON"),
    ("sparql?query=SELECT%20*%20%7B%20SERVICE%20%3Chttp%3A%2F%2F127.0.0.1%3A9%2F%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
     None, {}, 403, b"SERVICE"),
    ("nowhere", None, {}, 404, b"no such page"),
], ids=["syntax", "missing", "content-type", "too-large", "not-acceptable", "service", "not-found"])
def test_server_bad_requests_get_a_clear_status(served: tuple[str, object], target: str, data: bytes | None,
                                                headers: dict, status: int, words: bytes) -> None:
    got, _, body = http(served[0] + target, data=data, headers=headers)
    assert got == status, body
    assert words in body and b"Traceback" not in body


def test_server_timeout_stops_the_query_and_keeps_serving(served: tuple[str, object]) -> None:
    workers = worker_pids(served[1].pid)
    assert workers
    started = time.monotonic()
    status, _, body = http(served[0] + "sparql?" + urlencode({"query": HEAVY}))
    assert status == 504 and b"timeout" in body
    assert time.monotonic() - started < 6
    assert any(not _alive(pid) for pid in workers)  # the worker running it was killed
    status, _, _ = http(served[0] + "sparql?" + urlencode({"query": "ASK {}"}))
    assert status == 200


def test_server_pages_and_health(served: tuple[str, object]) -> None:
    url = served[0]
    status, headers, body = http(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<html" in body.lower()[:2000]
    status, _, body = http(url + "query")
    assert status == 200 and b"Saved queries" in body
    assert not re.search(rb"(src|href)=[\"']?(https?:)?//", body)  # self-contained: nothing from a CDN
    names = {q["name"] for q in json.loads(http(url + "queries")[2])}
    assert names == {p.name for p in SAVED}
    status, _, body = http(url + "health")
    health = json.loads(body)
    assert health["status"] == "ok" and health["workers"] >= 2
    assert b"/" not in body and "pid" not in body.decode().lower()  # no store path, no process ids


def test_server_binds_loopback_and_sends_no_cors_by_default(served: tuple[str, object]) -> None:
    assert served[0].startswith("http://127.0.0.1:")
    _, headers, _ = http(served[0] + "sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
    assert not any(h.lower().startswith("access-control") for h in headers)


def test_server_cors_and_row_limit_when_asked(seed_store: Path) -> None:
    from kg.serve import ServeOptions, make_server

    server = make_server(seed_store, ServeOptions(port=0, cors=("https://app.example",), max_rows=3, workers=2))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        status, headers, body = http(server.url + "sparql?" + urlencode({"query": "SELECT * { ?s ?p ?o }"}),
                                     headers={"Origin": "https://app.example"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://app.example"
        assert len(json.loads(body)["results"]["bindings"]) == 3 and "X-KG-Truncated" in headers
        status, headers, _ = http(server.url + "sparql", method="OPTIONS", headers={"Origin": "https://app.example"})
        assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    finally:
        server.shutdown()
        server.server_close()


def test_server_readers_never_see_half_a_graph_while_a_writer_writes(store_copy: Path) -> None:
    """A writer process replaces 10 graphs of 200 triples (each tagged with one version) as
    fast as it can; every answer must show each graph whole and of a single version."""
    from kg.serve import ServeOptions, make_server

    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store_copy), "120"], cwd=ROOT)
    server = make_server(store_copy, ServeOptions(port=0, workers=2, refresh=0.1))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    check = urlencode({"query": "SELECT ?g (COUNT(*) AS ?n) (MIN(?v) AS ?lo) (MAX(?v) AS ?hi) "
                                "WHERE { GRAPH ?g { ?s <http://example.org/v> ?v } } GROUP BY ?g"})
    seen: set[str] = set()
    try:
        while writer.poll() is None and len(seen) < 3:  # a loaded machine re-opens snapshots slowly
            status, _, body = http(server.url + "sparql?" + check, headers={"Accept": "application/sparql-results+json"})
            assert status == 200, body
            for row in json.loads(body)["results"]["bindings"]:
                assert row["n"]["value"] == "200" and row["lo"]["value"] == row["hi"]["value"], row
                seen.add(row["hi"]["value"])
    finally:
        stop_pid(writer)  # type: ignore[arg-type]
        server.shutdown()
        server.server_close()
    assert writer.returncode in (0, -signal.SIGTERM) and len(seen) >= 2  # the readers saw the writer's progress


WRITER = """
import sys, time
import pyoxigraph as ox
from kg.store import Store
store, end, v = Store(sys.argv[1]), time.time() + float(sys.argv[2]), 0
while time.time() < end:
    v += 1
    for g in range(10):
        triples = [(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/v"), ox.Literal(str(v)))
                   for i in range(200)]
        store.replace_graph(f"http://example.org/g{g}", triples)
    time.sleep(0.1)  # about 2 MB of write-ahead log a second, which every snapshot replays
"""


def test_server_stopped_by_pid_leaves_no_workers(seed_store: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with running(kg_serve_cmd(seed_store, port), url + "health") as proc:
        workers = worker_pids(proc.pid)
        assert workers and all(_alive(p) for p in workers)
    assert proc.returncode == 0
    deadline = time.time() + 5
    while any(_alive(p) for p in workers) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in workers)


def test_server_refuses_a_remote_store_and_a_missing_one(runner: CliRunner, tmp_path: Path) -> None:
    for store in ("http://127.0.0.1:9/query", str(tmp_path / "none")):
        result = runner.invoke(app, ["serve", "--store", store, "--port", str(free_port())])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.startswith("kg: error:")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (killed, not yet reaped by its parent) counts as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False

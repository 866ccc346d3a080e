"""`kg serve` against hostile requests: no SERVICE call leaves, no foreign host or origin is
answered, every HTML page is locked down, limits hold. Each case runs against a real server
process; SERVICE cases also run a real HTTP listener that records whether anyone called it.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.test_server import free_port, http, kg_serve_cmd, running

ROWS = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://leaked.example/row"}}]}}'


class Listener:
    """A real HTTP server on loopback that answers SPARQL JSON and records every request."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(ROWS)))
                self.end_headers()
                self.wfile.write(ROWS)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def payload(self) -> str:
        """The issue's exact query: an escaped ``\\#`` that blinded the old text filter."""
        return (r"PREFIX e: <http://x/> SELECT * WHERE { BIND(e:a\# AS ?z) "
                f"SERVICE <http://127.0.0.1:{self.port}/x> {{ ?s ?p ?o }} }}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    one = Listener()
    yield one
    one.close()


@pytest.fixture(scope="module")
def guarded(seed_store: Path) -> Iterator[str]:
    """`kg serve` with an extra host name, one CORS origin, a 1 s socket timeout, a 30-node page cap."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    cmd = kg_serve_cmd(seed_store, port, "--allow-host", "kg.example", "--cors", "https://app.example",
                       "--socket-timeout", "1", "--page-nodes", "30", "--timeout", "5")
    with running(cmd, url + "health"):
        yield url


# ---- SERVICE ----

SERVICE_VARIANTS = {
    "issue-payload": "{payload}",
    "lowercase": "SELECT * {{ service <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
    "silent-in-optional": ("SELECT * {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }} }} "
                           "LIMIT 1"),
    "in-subquery": "SELECT * {{ {{ SELECT * {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }} }} }}",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("variant", list(SERVICE_VARIANTS))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_serve_guard_service_is_refused_and_never_called(guarded: str, listener: Listener, variant: str,
                                                         method: str) -> None:
    query = SERVICE_VARIANTS[variant].format(payload=listener.payload(), port=listener.port)
    if method == "GET":
        status, _, body = http(guarded + "sparql?" + urlencode({"query": query}))
    else:
        status, _, body = http(guarded + "sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 403 and b"SERVICE" in body, body
    assert listener.hits == []


def test_serve_guard_the_word_service_elsewhere_is_no_call(guarded: str) -> None:
    query = ('SELECT ?service WHERE { ?service rdfs:label "SERVICE" } # SERVICE <http://127.0.0.1:9/>')
    status, _, body = http(guarded + "sparql?" + urlencode({"query": query}))
    assert status == 200, body


def test_serve_guard_workers_have_no_network(guarded: str) -> None:
    """Even a SERVICE that got past the parser could not connect: the workers have no network."""
    health = json.loads(http(guarded + "health")[2])
    assert health["network_isolated"] is True


def test_serve_guard_kg_query_refuses_service_unless_allowed(seed_store: Path, listener: Listener,
                                                            runner: CliRunner, tmp_path: Path) -> None:
    shared = tmp_path / "shared.rq"
    shared.write_text(listener.payload(), encoding="utf-8")
    result = runner.invoke(app, ["query", str(shared), "--store", str(seed_store)])
    assert result.exit_code == 1 and "SERVICE" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and listener.hits == []
    allowed = runner.invoke(app, ["query", str(shared), "--store", str(seed_store), "--allow-service", "--format", "csv"])
    assert allowed.exit_code == 0 and "http://leaked.example/row" in allowed.stdout  # the flag really lets it through
    assert listener.hits


def test_serve_guard_kg_viz_query_refuses_service_unless_allowed(seed_store: Path, listener: Listener,
                                                                runner: CliRunner, tmp_path: Path) -> None:
    view = tmp_path / "view.rq"
    view.write_text(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}",
                    encoding="utf-8")
    result = runner.invoke(app, ["viz", "--store", str(seed_store), "--query", str(view), "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 1 and "SERVICE" in result.stderr and listener.hits == []


# ---- host names and origins ----

@pytest.mark.parametrize(("host", "status"), [("evil.example:{port}", 421), ("rebind.attacker.test", 421),
                                              ("localhost:{port}", 200), ("127.0.0.1:{port}", 200),
                                              ("kg.example:{port}", 200)])
def test_serve_guard_answers_only_its_host_names(guarded: str, host: str, status: int) -> None:
    port = guarded.rsplit(":", 1)[1].strip("/")
    for target in ("sparql?" + urlencode({"query": "ASK {}"}), "", "query", "health"):
        got, headers, body = http(guarded + target, headers={"Host": host.format(port=port)})
        assert got == status, (target, body[:200])
        if status != 200:
            assert headers["Content-Type"].startswith("text/plain") and b"host" in body


@pytest.mark.parametrize(("headers", "status"), [
    ({"Origin": "https://evil.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}, 403),
    ({"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"}, 403),
    ({"Origin": "https://app.example"}, 200),
    ({"Sec-Fetch-Site": "same-origin"}, 200),
    ({"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"}, 200),
], ids=["foreign-origin", "null-origin", "cross-site-fetch", "same-site-fetch", "cors-origin", "same-origin", "typed-url"])
def test_serve_guard_cross_origin_queries_are_refused_unless_cors(guarded: str, headers: dict, status: int) -> None:
    got, answer, body = http(guarded + "sparql?" + urlencode({"query": "ASK {}"}), headers=headers)
    assert got == status, body
    if headers.get("Origin") == "https://app.example":
        assert answer["Access-Control-Allow-Origin"] == "https://app.example"
    else:
        assert "Access-Control-Allow-Origin" not in answer


def test_serve_guard_cross_site_form_post_is_refused(guarded: str) -> None:
    form = urlencode({"query": "SELECT * { ?s ?p ?o }"}).encode()
    got, _, body = http(guarded + "sparql", data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example",
        "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
    assert got == 403 and b"cross-origin" in body
    got, _, _ = http(guarded + "sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                             "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
    assert got == 403  # no Origin, still a cross-site form


def test_serve_guard_a_link_from_elsewhere_opens_the_pages_only(guarded: str) -> None:
    nav = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert http(guarded + "query", headers=nav)[0] == 200
    assert http(guarded + "sparql?" + urlencode({"query": "ASK {}"}), headers=nav)[0] == 403


# ---- pages ----

@pytest.mark.parametrize("target", ["", "query", "?focus=Vladimir%20Putin", "?focus=nobody%20at%20all"])
def test_serve_guard_every_html_page_is_locked_down(guarded: str, target: str) -> None:
    status, headers, body = http(guarded + target)
    assert status in (200, 404) and headers["Content-Type"].startswith("text/html"), body[:200]
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert "script-src" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_serve_guard_graph_page_is_bounded_with_a_focus_prompt(guarded: str) -> None:
    status, _, body = http(guarded)  # the seed store's news graph has 44 nodes; this server draws 30
    assert status == 200 and b"name=focus" in body and b"at most 30" in body and len(body) < 50_000
    assert b"/?focus=Vladimir%20Putin" in body  # the most mentioned entities are offered
    status, _, page = http(guarded + "?focus=" + quote("Vladimir Putin"))
    assert status == 200 and b"name=focus" not in page and b"Vladimir Putin" in page


# ---- protocol edges ----

def raw(url: str, request: bytes, *, wait: float = 10) -> bytes:
    """Send bytes on a fresh connection; everything the server sends until it closes (or ``wait``)."""
    host, port = url.split("//")[1].strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(request)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


@pytest.mark.parametrize("length", [b"abc", b"-5", b"1e3", b"12, 12"])
def test_serve_guard_malformed_content_length_gets_400(guarded: str, length: bytes) -> None:
    host = guarded.split("//")[1].strip("/").encode()
    answer = raw(guarded, b"POST /sparql HTTP/1.1\r\nHost: " + host + b"\r\nContent-Type: application/sparql-query\r\n"
                 b"Content-Length: " + length + b"\r\n\r\nASK {}")
    assert answer.startswith(b"HTTP/1.1 400") and b"Content-Length" in answer and b"<html" not in answer.lower()


def test_serve_guard_invalid_default_graph_uri_gets_400(guarded: str) -> None:
    for bad in ("not an iri", "relative/graph", "http://x/<y>"):
        status, _, body = http(guarded + "sparql?" + urlencode({"query": "ASK {}", "default-graph-uri": bad}))
        assert status == 400 and b"graph IRI" in body, body


def test_serve_guard_slow_clients_are_dropped(guarded: str) -> None:
    host = guarded.split("//")[1].strip("/").encode()
    started = time.monotonic()
    answer = raw(guarded, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: " + host + b"\r\n", wait=15)
    assert time.monotonic() - started < 10 and b"200 OK" not in answer  # closed after --socket-timeout 1


def test_serve_guard_listen_backlog_is_not_5(guarded: str) -> None:
    port = guarded.rsplit(":", 1)[1].strip("/")
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    backlog = int(out.split()[2])  # for a listening socket, Send-Q is the backlog
    assert backlog >= 128


def test_serve_guard_health_shows_no_path_or_pids(guarded: str, seed_store: Path) -> None:
    status, _, body = http(guarded + "health")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok"
    assert str(seed_store) not in body.decode() and "/" not in body.decode()
    assert not any("pid" in key for key in health) and not any(isinstance(v, list) for v in health.values())


ISOLATED_SERVICE = """
import sys
import pyoxigraph as ox
from kg.serve.workers import isolate_network
assert isolate_network()
try:
    list(ox.Store().query(sys.argv[1]))
except OSError as err:
    print("refused:", err)
"""


def test_serve_guard_an_isolated_worker_cannot_call_out(listener: Listener) -> None:
    """The engine unguarded (no kg.prepare), in a worker's network namespace: the call fails."""
    import sys

    query = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
    done = subprocess.run([sys.executable, "-c", ISOLATED_SERVICE, query], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "refused:" in done.stdout and listener.hits == []


@pytest.mark.parametrize("request_line", [b"GARBAGE\r\n\r\n", b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
                                          b"GET / HTTP/9.9\r\n\r\n"], ids=["garbage", "too-long", "bad-version"])
def test_serve_guard_broken_requests_get_plain_text(guarded: str, request_line: bytes) -> None:
    answer = raw(guarded, request_line)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = head.split(b"\r\n")[0]
    assert status.startswith(b"HTTP/1.") and status.split()[1][:1] in (b"4", b"5"), status
    assert b"text/plain" in head and b"<html" not in body.lower()


def test_serve_guard_prefixes_come_from_the_one_registry(guarded: str) -> None:
    from kg.store import PREFIXES

    assert json.loads(http(guarded + "prefixes")[2]) == PREFIXES

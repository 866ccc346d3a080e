"""The SPARQL endpoint: ``kg serve`` (SPARQL 1.1 Protocol at ``/sparql``, the graph page at ``/``).

Routes: ``/sparql`` (GET, or POST with ``application/sparql-query`` or a form), ``/`` (the
graph page, rebuilt when the store changes), ``/query`` (a query page with the saved
queries of ``queries/``), ``/queries`` (those queries as JSON), ``/health``.

Safe by default: binds 127.0.0.1; read-only (queries run on read-only snapshots, so nothing
can write; SPARQL Update, the ``update`` parameter and federated ``SERVICE`` calls get 403);
each query has a timeout (its worker process is killed past it: 504) and a row limit (the
answer is cut there and says so in ``X-KG-Truncated``); request bodies are size-limited
(413); CORS headers only for the origin given with ``--cors``. A malformed request gets 400
with the parser's message. Queries run in worker processes (:mod:`kg.server_pool`), which
also explains how a build can write the folder while it is served.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg import ontology
from kg.errors import KGError, StoreError
from kg.server_pool import QueryPool, Reply, Request, open_snapshot, store_signature, text_reply

log = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("server_page.html")
QUERIES_DIR = ontology.queries_dir()
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE\b", re.I)


@dataclass(frozen=True)
class ServeOptions:
    """How ``kg serve`` listens and what it allows."""

    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10_000
    cors: str | None = None
    max_body: int = 1 << 20
    workers: int = 0  # 0: one per core, at most four
    refresh: float = 1.0  # seconds between checks of the store folder for changes
    memory_limit: int = 64 << 20  # stores up to this size on disk are answered from a copy in memory
    queries: Path = QUERIES_DIR


class Endpoint(ThreadingHTTPServer):
    """The HTTP server: a worker pool over one store folder, the pages, the options."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, location: Path, options: ServeOptions) -> None:
        if not (location / "CURRENT").exists():
            raise StoreError(f"no store at {location}: run `kg build` first, or pass --store DIR")
        self.location = location
        self.options = options
        self.pool = QueryPool(location, workers=options.workers, refresh=options.refresh,
                              memory_limit=options.memory_limit)
        self.graph_page = GraphPage(location)
        try:
            super().__init__((options.host, options.port), Handler)
        except OSError as err:
            self.pool.close()
            raise StoreError(f"cannot listen on {options.host}:{options.port}: {err.strerror or err}") from err

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """One log line, not a traceback on stderr (a client that hangs up is routine)."""
        log.info("connection from %s ended: %s", client_address[0], sys.exc_info()[1])


def make_server(location: str | Path, options: ServeOptions | None = None) -> Endpoint:
    """An endpoint bound and ready (call ``serve_forever``); StoreError for a URL or a missing store."""
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        raise StoreError(f"kg serve serves a store folder; {location} is already a SPARQL endpoint")
    return Endpoint(Path(location), options or ServeOptions())


def serve(location: str | Path, options: ServeOptions | None = None, *,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the workers and return."""
    server = make_server(location, options)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    if server.options.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("listening on %s: anyone who can reach it can query the store", server.options.host)
    try:
        if ready:
            ready(server.url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def protocol_request(method: str, target: str, content_type: str, body: bytes, *, accept: str,
                     max_rows: int) -> Request | Reply:
    """Read a SPARQL 1.1 Protocol query request; a Reply when it must be refused."""
    params = parse_qs(urlsplit(target).query, keep_blank_values=True)
    media = content_type.split(";")[0].strip().lower()
    if method == "POST":
        if media == "application/sparql-update":
            return text_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if media == "application/sparql-query":
            params.setdefault("query", []).append(_text(body))
        elif media == "application/x-www-form-urlencoded":
            for key, values in parse_qs(_text(body), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            return text_reply(415, f"unsupported Content-Type {media or '(none)'!r}: send application/sparql-query "
                                   "or application/x-www-form-urlencoded")
    if "update" in params:
        return text_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        return text_reply(400, "send exactly one non-empty 'query' parameter (or an application/sparql-query body)")
    if _SERVICE.search(_strip_literals(queries[0])):
        return text_reply(403, "federated queries (SERVICE) are disabled: this endpoint makes no outgoing requests")
    fmt = next(iter(params.get("format", []) + params.get("output", [])), None)
    return Request(queries[0], accept=accept, fmt=fmt, default_graphs=tuple(params.get("default-graph-uri", [])),
                   named_graphs=tuple(params.get("named-graph-uri", [])), max_rows=max_rows)


def _text(body: bytes) -> str:
    return body.decode("utf-8", "replace")


def _strip_literals(sparql: str) -> str:
    """The query without comments, strings and IRIs (so SERVICE is found only as a keyword)."""
    return re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*',
                  " ", sparql)


def saved_queries(folder: Path) -> list[dict[str, str]]:
    """The ``.rq`` files of ``folder``: name, title (the first comment line) and text."""
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        out.append({"name": path.name, "title": first.lstrip("# ").strip() or path.stem, "query": text})
    return out


class GraphPage:
    """The graph page of the store, rebuilt when the folder changed (at most every ``ttl`` s)."""

    def __init__(self, location: Path, *, ttl: float = 10.0) -> None:
        self.location = location
        self.ttl = ttl
        self._lock = threading.Lock()
        self._html: bytes | None = None
        self._sig: object = None
        self._built = 0.0

    def html(self) -> bytes:
        with self._lock:
            sig = store_signature(self.location)
            stale = self._html is None or (sig != self._sig and time.time() - self._built > self.ttl)
            if stale:
                self._html, self._sig, self._built = self._render(), sig, time.time()
            assert self._html is not None
            return self._html

    def _render(self) -> bytes:
        try:
            from kg import export, visualize
        except ImportError as err:
            return _placeholder(f"The graph view is not available in this installation ({err}).")
        try:
            store = open_snapshot(self.location)
            html, _ = visualize.render_page(visualize.to_networkx(export.to_rdflib(store)), title="kg graph")
        except KGError as err:
            return _placeholder(f"The graph page could not be drawn: {err}")
        return html.encode("utf-8")


def _placeholder(message: str) -> bytes:
    return (f"<!doctype html><meta charset=utf-8><title>kg</title><p>{message}</p>"
            "<p><a href='/query'>Query the store</a> &middot; <a href='/health'>health</a></p>").encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    """One connection (HTTP/1.1 keep-alive); routes to the protocol, the pages and health."""

    server: Endpoint
    protocol_version = "HTTP/1.1"
    server_version = "kg"
    disable_nagle_algorithm = True  # headers and body go out as two writes: without this, keep-alive
    # clients wait ~40 ms per answer for a delayed ACK (measured: 80 requests/s, 5x fewer)

    def do_GET(self) -> None:  # noqa: N802 (the standard library's naming)
        path = urlsplit(self.path).path
        if path == "/sparql":
            self._sparql(b"")
        elif path == "/":
            self._send(Reply(200, "text/html; charset=utf-8", self.server.graph_page.html()))
        elif path == "/query":
            self._send(Reply(200, "text/html; charset=utf-8", PAGE.read_bytes()))
        elif path == "/queries":
            self._json(saved_queries(self.server.options.queries))
        elif path == "/health":
            self._json({"status": "ok", "store": str(self.server.location), "workers": self.server.pool.pids()})
        else:
            self._send(text_reply(404, f"no such page: {path} (try /sparql, /query or /)"))

    def do_POST(self) -> None:  # noqa: N802
        if urlsplit(self.path).path != "/sparql":
            self._send(text_reply(404 if urlsplit(self.path).path not in ("/", "/query") else 405,
                                  "POST queries to /sparql"))
            return
        body = self._body()
        if body is not None:
            self._sparql(body)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._send(Reply(204, "text/plain", b"", {"Allow": "GET, POST, OPTIONS",
                                                  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                                  "Access-Control-Allow-Headers": "Content-Type, Accept",
                                                  "Access-Control-Max-Age": "600"}))

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self._send(text_reply(411, "a POST needs a Content-Length header"))
            return None
        if int(length) > self.server.options.max_body:
            self.close_connection = True
            if int(length) <= 16 * self.server.options.max_body:
                self._discard(int(length))  # a client still sending would miss the answer otherwise
            self._send(text_reply(413, f"request body over {self.server.options.max_body} bytes"))
            return None
        return self.rfile.read(int(length))

    def _discard(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)

    def _sparql(self, body: bytes) -> None:
        opts = self.server.options
        req = protocol_request(self.command, self.path, self.headers.get("Content-Type", ""), body,
                               accept=self.headers.get("Accept", ""), max_rows=opts.max_rows)
        self._send(req if isinstance(req, Reply) else self.server.pool.run(req, timeout=opts.timeout))

    def _json(self, value: object) -> None:
        self._send(Reply(200, "application/json", json.dumps(value, ensure_ascii=False).encode("utf-8")))

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            if not name.startswith("Access-Control-") or self.server.options.cors:
                self.send_header(name, value)
        if self.server.options.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.options.cors)
            self.send_header("Vary", "Origin")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        log.info("%s %s", self.address_string(), format % args)

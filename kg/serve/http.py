"""The HTTP side of ``kg serve``: routes, guards, limits, headers.

Routes: ``/sparql`` (the SPARQL 1.1 Protocol: GET, or POST with ``application/sparql-query``
or a form; GET without a query gives the service description), ``/`` (the graph page),
``/query`` (a query page with the saved queries of ``queries/``), ``/queries`` (those
queries as JSON), ``/prefixes`` (the predeclared prefixes), ``/health``. Other methods get 405
with ``Allow``; every error is plain text.

Guards, before anything else:
- the ``Host`` header must name this server (the bound address, ``localhost`` on loopback, or
  a name given with ``--allow-host``), so a DNS-rebinding page cannot reach it by its own name;
- a browser request from another origin (``Origin``, or ``Sec-Fetch-Site: cross-site`` /
  ``same-site``) is refused unless ``--cors`` names that origin; only top-level navigation to
  the two HTML pages is let through (a link from elsewhere opens them, nothing more);
- request bodies are size-limited (413), a malformed ``Content-Length`` gets 400, sockets
  time out (slow clients are dropped), and the listen backlog is 128.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg import ontology
from kg.errors import StoreError
from kg.serve.page import query_page, saved_queries, security_headers
from kg.serve.pool import QueryPool
from kg.serve.protocol import ALLOW, PageRequest, Reply, query_request, service_description, text_reply
from kg.store import PREFIXES, store_signature

log = logging.getLogger(__name__)
QUERIES_DIR = ontology.queries_dir()
LOOPBACK = ("127.0.0.1", "localhost", "::1")
PAGES = ("/", "/query")


@dataclass(frozen=True)
class ServeOptions:
    """How ``kg serve`` listens and what it allows."""

    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10_000
    cors: tuple[str, ...] = ()  # origins whose pages may query (``*``: any)
    allow_hosts: tuple[str, ...] = ()  # more names the Host header may carry
    max_body: int = 1 << 20
    workers: int = 0  # 0: one per core, at least two, at most four
    refresh: float = 1.0  # seconds between checks of the store folder for changes
    memory_limit: int = 0  # stores up to this size on disk are answered from a copy in memory
    queries: Path = QUERIES_DIR
    socket_timeout: float = 20.0
    page_timeout: float = 60.0
    page_max_nodes: int = 1500
    long_after: float = 0.5  # seconds after which a query counts as long (see kg.serve.pool)
    backlog: int = 128


class Endpoint(ThreadingHTTPServer):
    """The HTTP server: a worker pool over one store folder, the pages, the options."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, location: Path, options: ServeOptions) -> None:
        if not (location / "CURRENT").exists():
            raise StoreError(f"no store at {location}: run `kg build` first, or pass --store DIR")
        self.location = location
        self.options = options
        self.request_queue_size = options.backlog
        self.hosts = {h.lower().strip("[]") for h in (options.host, *options.allow_hosts)}
        if options.host in (*LOOPBACK, "0.0.0.0", "::"):
            self.hosts |= set(LOOPBACK)
        self.pool = QueryPool(location, workers=options.workers, refresh=options.refresh,
                              memory_limit=options.memory_limit, long_after=options.long_after)
        self.graph_page = GraphPage(self)
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


@dataclass
class GraphPage:
    """The whole-store graph page, rebuilt (in a worker) when the folder changed, at most every ``ttl`` s."""

    server: Endpoint
    ttl: float = 10.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _reply: Reply | None = None
    _sig: object = None
    _built: float = 0.0

    def reply(self, focus: str | None, client: str) -> Reply:
        """The page (around ``focus`` if given: never cached), drawn in a worker under the page timeout."""
        opts = self.server.options
        job = PageRequest(focus=focus, max_nodes=opts.page_max_nodes)
        if focus is not None:
            return self.server.pool.run(job, timeout=opts.page_timeout, client=client, shed=False)
        with self._lock:
            sig = store_signature(self.server.location)
            if self._reply is None or (sig != self._sig and time.time() - self._built > self.ttl):
                reply = self.server.pool.run(job, timeout=opts.page_timeout, client=client, shed=False)
                if reply.status != 200:
                    return reply
                self._reply, self._sig, self._built = reply, sig, time.time()
            return self._reply


def make_server(location: str | Path, options: ServeOptions | None = None) -> Endpoint:
    """An endpoint bound and ready (call ``serve_forever``); StoreError for a URL or a missing store."""
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        raise StoreError(f"kg serve serves a store folder; {location} is already a SPARQL endpoint")
    return Endpoint(Path(location), options or ServeOptions())


class Handler(BaseHTTPRequestHandler):
    """One connection (HTTP/1.1 keep-alive); guards, then routes to the protocol, pages and health."""

    server: Endpoint
    protocol_version = "HTTP/1.1"
    server_version = "kg"
    disable_nagle_algorithm = True  # headers and body go out as two writes: without this, keep-alive
    # clients wait ~40 ms per answer for a delayed ACK (measured: 80 requests/s, 5x fewer)

    def setup(self) -> None:
        self.timeout = self.server.options.socket_timeout  # type: ignore[misc]  # read by StreamRequestHandler.setup
        super().setup()

    def do_GET(self) -> None:  # noqa: N802 (the standard library's naming)
        path = urlsplit(self.path).path
        if self._refused(path):
            return
        if path in ("/sparql", "/sparql/"):
            if not urlsplit(self.path).query:
                self._send(service_description(f"http://{self.headers['Host']}/sparql",
                                               self.headers.get("Accept", ""), None))
            else:
                self._sparql(b"")
        elif path == "/":
            focus = parse_qs(urlsplit(self.path).query).get("focus", [""])[0].strip() or None
            self._send(self.server.graph_page.reply(focus, self.client_address[0]))
        elif path == "/query":
            self._send(Reply(200, "text/html; charset=utf-8", query_page()))
        elif path == "/queries":
            self._json(saved_queries(self.server.options.queries))
        elif path == "/prefixes":
            self._json(PREFIXES)
        elif path == "/health":
            self._json({"status": "ok", **self.server.pool.status()})
        else:
            self._send(text_reply(404, f"no such page: {path} (try /sparql, /query or /)"))

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if self._refused(path):
            return
        if path not in ("/sparql", "/sparql/"):
            self._send(text_reply(405 if path in PAGES else 404, "POST queries to /sparql", Allow="GET"))
            return
        body = self._body()
        if body is not None:
            self._sparql(body)

    def do_OPTIONS(self) -> None:  # noqa: N802
        if self._refused(urlsplit(self.path).path):
            return
        self._send(Reply(204, "text/plain", b"", {"Allow": ALLOW, "Access-Control-Allow-Methods": ALLOW,
                                                  "Access-Control-Allow-Headers": "Content-Type, Accept",
                                                  "Access-Control-Max-Age": "600"}))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors the standard library raises itself, as plain text; unknown methods get 405."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # an unreadable request line: answer with a status line anyway
            self.request_version = "HTTP/1.0"
        if code == 501:
            self._send(text_reply(405, f"method {self.command} is not allowed: use {ALLOW}", Allow=ALLOW))
            return
        self._send(text_reply(code, message or self.responses.get(code, ("error",))[0]))

    def _refused(self, path: str) -> bool:
        """Send 403/421 and return True when the Host or the request's origin is not allowed."""
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.lower().strip("[]") not in self.server.hosts:
            self._send(text_reply(421, f"this server does not answer for host {host or '(none)'!r} "
                                       "(kg serve --allow-host NAME adds a name)"))
            return True
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site", "")
        if origin is not None and origin != f"http://{host}" and not self._cors_allows(origin):
            self._send(text_reply(403, f"cross-origin request from {origin} refused (kg serve --cors ORIGIN allows one)"))
            return True
        navigation = self.command == "GET" and path in PAGES and self.headers.get("Sec-Fetch-Mode") == "navigate"
        if origin is None and site in ("cross-site", "same-site") and not navigation:
            self._send(text_reply(403, "cross-site request refused (kg serve --cors ORIGIN allows one origin)"))
            return True
        return False

    def _cors_allows(self, origin: str) -> bool:
        return "*" in self.server.options.cors or origin in self.server.options.cors

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            self.close_connection = True
            self._send(text_reply(411, "a POST needs a Content-Length header"))
            return None
        if not length.strip().isdigit():
            self.close_connection = True
            self._send(text_reply(400, f"malformed Content-Length {length!r}"))
            return None
        size, limit = int(length), self.server.options.max_body
        if size > limit:
            self.close_connection = True
            if size <= 16 * limit:
                self._discard(size)  # a client still sending would miss the answer otherwise
            self._send(text_reply(413, f"request body over {limit} bytes"))
            return None
        return self.rfile.read(size)

    def _discard(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)

    def _sparql(self, body: bytes) -> None:
        opts = self.server.options
        req = query_request(self.command, self.path, self.headers.get("Content-Type", ""), body,
                            accept=self.headers.get("Accept", ""), max_rows=opts.max_rows)
        if not isinstance(req, Reply):
            req = self.server.pool.run(req, timeout=opts.timeout, client=self.client_address[0])
        self._send(req)

    def _json(self, value: object) -> None:
        self._send(Reply(200, "application/json", json.dumps(value, ensure_ascii=False).encode("utf-8")))

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        headers = dict(reply.headers)
        if reply.content_type.startswith("text/html"):
            headers.update(security_headers(reply.body))
        else:
            headers.setdefault("X-Content-Type-Options", "nosniff")
        headers_in = getattr(self, "headers", None)
        origin = headers_in.get("Origin") if headers_in is not None else None
        cors = origin is not None and self._cors_allows(origin)
        for name, value in headers.items():
            if cors or not name.startswith("Access-Control-"):
                self.send_header(name, value)
        if cors:
            self.send_header("Access-Control-Allow-Origin", origin or "")
            self.send_header("Vary", "Origin")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        log.info("%s %s", self.address_string(), format % args)


def serve(location: str | Path, options: ServeOptions | None = None, *,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the workers and return."""
    server = make_server(location, options)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    if server.options.host not in LOOPBACK:
        log.warning("listening on %s: anyone who can reach it can query the store", server.options.host)
    try:
        if ready:
            ready(server.url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

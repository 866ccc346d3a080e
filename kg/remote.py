"""Any SPARQL 1.1 triple store as the store: ``--store URL`` (or ``$KG_STORE=URL``).

:class:`RemoteStore` has the interface the rest of ``kg`` uses on :class:`kg.store.Store`
(it subclasses it so every ``store: Store`` annotation holds), over HTTP:

- ``replace_graph`` sends one SPARQL Update request, ``DROP SILENT GRAPH <g> ; INSERT DATA
  {...}``, which the server applies as one transaction (Oxigraph, Fuseki/TDB2), so readers
  see an article's graph fully old or fully new, and pushing an article twice keeps it once.
- ``query`` posts the query form-encoded and parses the answer with pyoxigraph, so callers
  get the same result objects as from the embedded store.

Where the endpoints are, from the ``--store`` URL (``$KG_STORE_UPDATE_URL`` and
``$KG_STORE_GSP_URL`` override the derived ones):

- ``http://h:7878`` or ``http://h:7878/query``: Oxigraph's server, ``/query``, ``/update``
  and ``/store``; union by ``oxigraph``; exports read every graph with one GET on ``/store``.
- ``http://h:3030/ds``, ``.../ds/sparql`` or ``.../ds/query``: a Fuseki dataset,
  ``/ds/sparql``, ``/ds/update`` and ``/ds/data``; union by ``arq``.
- anything else: the URL itself for queries and updates (SPARQL 1.1 allows one endpoint
  for both), no Graph Store endpoint; union by ``graphs``.

Exports from anything but Oxigraph read every graph with ``SELECT ?s ?p ?o ?g WHERE
{ GRAPH ?g { ?s ?p ?o } }``; ``kg`` keeps nothing in the default graph.

Queries run over the union of all named graphs, which SPARQL 1.1 leaves to the server;
``$KG_STORE_UNION`` picks how to ask for it: ``oxigraph`` (the ``union-default-graph``
parameter), ``arq`` (``default-graph-uri=urn:x-arq:UnionGraph``), ``graphs`` (list every named
graph as ``default-graph-uri``: portable, one extra request per query) or ``native`` (the
server's default graph already is the union: GraphDB, Virtuoso, Fuseki with
``unionDefaultGraph``).

Credentials come from the environment only: ``$KG_STORE_TOKEN`` (a bearer token) or
``$KG_STORE_USER`` and ``$KG_STORE_PASSWORD`` (HTTP Basic). A URL with a user name or
password in it is refused, so secrets stay out of shell history and process lists.
"""

from __future__ import annotations

import base64
import http.client
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store import Store, Triple, default_location, replace_update

UNION_MODES = ("oxigraph", "arq", "graphs", "native")
ARQ_UNION = "urn:x-arq:UnionGraph"
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_RESULT_FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "text/tab-separated-values": ox.QueryResultsFormat.TSV}
_GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
                  "application/rdf+xml": ox.RdfFormat.RDF_XML}
_BATCH_BYTES = 2_000_000  # one push request carries several small graphs, up to about this much


def is_remote(location: str | Path | None) -> bool:
    """Whether a ``--store`` value names an HTTP(S) endpoint rather than a folder."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def open_store(location: str | Path | None, *, read_only: bool = False) -> Store:
    """A :class:`Store` for a folder, a :class:`RemoteStore` for an ``http(s)://`` URL.

    ``None`` means ``$KG_STORE`` or ``.kg``. Raises StoreError when the folder cannot be
    opened or the URL carries credentials.
    """
    where = location if location is not None else default_location()
    if is_remote(where):
        return RemoteStore(str(where), read_only=read_only)
    return Store(where, read_only=read_only)


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers queries, updates and Graph Store Protocol requests."""

    query: str
    update: str
    gsp: str | None
    union: str
    oxigraph: bool = False  # Oxigraph's layout: GET on its GSP endpoint returns every graph as N-Quads


def endpoints(url: str, env: Mapping[str, str] | None = None) -> Endpoints:
    """Derive the endpoints from ``url`` by the rule in the module docstring (StoreError if bad)."""
    env = os.environ if env is None else env
    parts = urlsplit(url.rstrip("/"))
    if parts.username or parts.password:
        raise StoreError("put store credentials in $KG_STORE_USER and $KG_STORE_PASSWORD (or $KG_STORE_TOKEN), "
                         "not in the URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"not an http(s) store URL: {url}")
    segments = [s for s in parts.path.split("/") if s]

    def at(*path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(path), "", ""))

    if segments in ([], ["query"]):
        query, update, gsp, union = at("query"), at("update"), at("store"), "oxigraph"
    elif len(segments) == 1 or (len(segments) == 2 and segments[1] in ("sparql", "query")):
        ds = segments[0]
        query, update, gsp, union = at(ds, segments[1] if len(segments) == 2 else "sparql"), at(ds, "update"), \
            at(ds, "data"), "arq"
    else:
        query, update, gsp, union = url, url, None, "graphs"
    layout = union
    union = env.get("KG_STORE_UNION") or union
    if union not in UNION_MODES:
        raise StoreError(f"$KG_STORE_UNION={union!r}: expected one of {', '.join(UNION_MODES)}")
    return Endpoints(query, env.get("KG_STORE_UPDATE_URL") or update, env.get("KG_STORE_GSP_URL") or gsp, union,
                     oxigraph=layout == "oxigraph")


def auth_header(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``Authorization`` header from ``$KG_STORE_TOKEN`` or ``$KG_STORE_USER``/``$KG_STORE_PASSWORD``."""
    env = os.environ if env is None else env
    if env.get("KG_STORE_TOKEN"):
        return {"Authorization": f"Bearer {env['KG_STORE_TOKEN']}"}
    if env.get("KG_STORE_USER"):
        pair = f"{env['KG_STORE_USER']}:{env.get('KG_STORE_PASSWORD', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


class _Http:
    """Keep-alive HTTP connections, one per thread and host; a dropped connection is retried once
    (safe for updates too: ``DROP`` + ``INSERT DATA`` applied twice leaves the same graph)."""

    def __init__(self, headers: dict[str, str], timeout: float) -> None:
        self._headers = headers
        self._timeout = timeout
        self._local = threading.local()

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        """``(status, content type without parameters, body)``; raises StoreError if unreachable."""
        parts = urlsplit(url)
        target = parts.path or "/"
        target += f"?{parts.query}" if parts.query else ""
        for attempt in (1, 2):
            conn = self._connection(parts.scheme, parts.netloc)
            try:
                conn.request(method, target, body=body, headers={**self._headers, **(headers or {})})
                resp = conn.getresponse()
                data = resp.read()
                return resp.status, (resp.getheader("Content-Type") or "").split(";")[0].strip().lower(), data
            except (OSError, http.client.HTTPException) as err:
                conn.close()
                self._pool().pop((parts.scheme, parts.netloc), None)
                if attempt == 2:
                    raise StoreError(f"cannot reach the store at {url}: {err or type(err).__name__}") from err
        raise AssertionError("unreachable")

    def _pool(self) -> dict[tuple[str, str], http.client.HTTPConnection]:
        if not hasattr(self._local, "pool"):
            self._local.pool = {}
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._local.pool
        return pool

    def _connection(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        pool = self._pool()
        if (scheme, netloc) not in pool:
            cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            pool[(scheme, netloc)] = cls(netloc, timeout=self._timeout)
        return pool[(scheme, netloc)]


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint used like the embedded store (see the module docstring)."""

    location: str  # type: ignore[assignment]  # a URL here, a folder in Store

    def __init__(self, url: str, *, read_only: bool = False, timeout: float = 120.0,
                 env: Mapping[str, str] | None = None) -> None:
        self.location = url.rstrip("/")
        self.endpoints = endpoints(url, env)
        self.read_only = read_only
        self._http = _Http({"User-Agent": "kg", **auth_header(env)}, timeout)

    @property
    def raw(self) -> ox.Store:
        """Not available: a remote store has no embedded database (use :meth:`query`)."""
        raise StoreError(f"{self.location} is a remote store: it has no embedded database to open")

    def query(self, sparql: str, *, union: bool = True) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query, over the union of all graphs unless ``union`` is False.

        Raises SyntaxError with the server's message when it rejects the query (HTTP 400),
        StoreError when it cannot be reached or fails otherwise.
        """
        form: list[tuple[str, str]] = [("query", sparql)]
        if union:
            form += self._union_params()
        status, ctype, data = self._http.request("POST", self.endpoints.query, urlencode(form).encode("utf-8"), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT})
        if status == 400:
            raise SyntaxError(_first_line(data) or "the store rejected the query")
        self._check(status, data, "the query")
        if ctype in _RESULT_FORMATS:
            return ox.parse_query_results(data, _RESULT_FORMATS[ctype])
        if ctype in _GRAPH_FORMATS:
            return _as_query_triples(ox.parse(data, _GRAPH_FORMATS[ctype]))
        raise StoreError(f"{self.endpoints.query} answered in an unexpected format: {ctype or 'no content type'}")

    def replace_graph(self, graph: str, triples: Iterable[Triple | ox.Triple | str], *,
                      add: Mapping[str, Iterable[Triple | ox.Triple | str]] | None = None,
                      drop: Iterable[str] = ()) -> int:
        """Atomically replace the named graph ``graph`` (one update request); returns the triple count."""
        text, count = replace_update(graph, triples, add=add, drop=drop)
        self._update(text, f"writing graph <{graph}>")
        return count

    def graphs(self) -> list[str]:
        """The names of all named graphs, sorted."""
        res = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(sol["g"].value for sol in res if isinstance(sol["g"], ox.NamedNode))

    def graph_triples(self, graph: str) -> Iterator[ox.Quad]:
        """Every quad of one named graph."""
        g = ox.NamedNode(graph)
        res = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return (ox.Quad(sol["s"], sol["p"], sol["o"], g) for sol in res)  # type: ignore[arg-type]

    def __len__(self) -> int:
        """Quads in named graphs (``kg`` keeps nothing in the default graph)."""
        res = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return next(int(sol["n"].value) for sol in res)  # type: ignore[union-attr]

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, *, union: bool = False) -> None:
        """Serialise the store, fetched whole: one Graph Store Protocol GET from Oxigraph, a SELECT elsewhere."""
        local = Store(None)
        local.raw.extend(self._dataset())
        local.dump(out, fmt, union=union)

    def flush(self) -> None:
        """Nothing to do: the server has applied every update it answered."""

    def _dataset(self) -> Iterable[ox.Quad]:
        if self.endpoints.gsp and self.endpoints.oxigraph:
            status, ctype, data = self._http.request("GET", self.endpoints.gsp, None, {"Accept": "application/n-quads"})
            if status == 200 and ctype == "application/n-quads":
                return ox.parse(data, ox.RdfFormat.N_QUADS)
        res = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [ox.Quad(sol["s"], sol["p"], sol["o"], sol["g"]) for sol in res]  # type: ignore[arg-type]

    def _select(self, sparql: str) -> ox.QuerySolutions:
        res = self.query(sparql, union=False)
        if not isinstance(res, ox.QuerySolutions):
            raise StoreError(f"{self.endpoints.query} did not answer a SELECT with solutions")
        return res

    def _union_params(self) -> list[tuple[str, str]]:
        mode = self.endpoints.union
        if mode == "oxigraph":
            return [("union-default-graph", "")]
        if mode == "arq":
            return [("default-graph-uri", ARQ_UNION)]
        if mode == "graphs":
            names = self.graphs()
            return [("default-graph-uri", g) for g in names] + [("named-graph-uri", g) for g in names]
        return []

    def _update(self, text: str, what: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.location} was opened read-only: {what} is not allowed")
        status, _, data = self._http.request("POST", self.endpoints.update, text.encode("utf-8"),
                                             {"Content-Type": "application/sparql-update"})
        if status == 400:
            raise StoreError(f"{what} failed: the store rejected the update: {_first_line(data)}")
        self._check(status, data, what)

    def _check(self, status: int, data: bytes, what: str) -> None:
        if status in (401, 403):
            raise StoreError(f"{self.location} refused {what} (HTTP {status}): set $KG_STORE_TOKEN, or "
                             "$KG_STORE_USER and $KG_STORE_PASSWORD")
        if not 200 <= status < 300:
            raise StoreError(f"{what} failed at {self.location}: HTTP {status}: {_first_line(data)}")


@dataclass
class PushSummary:
    """What ``kg push`` copied."""

    graphs: int = 0
    triples: int = 0
    requests: int = 0
    seconds: float = 0.0


def push(local: Store, remote: RemoteStore, *, progress: Callable[[str], None] | None = None) -> PushSummary:
    """Copy every named graph of ``local`` into ``remote``, replacing the remote copy of each.

    Idempotent: each graph is dropped and inserted in the same request, so a graph pushed
    twice is there once. Small graphs share a request (each request is one transaction).
    """
    started = time.perf_counter()
    summary = PushSummary()
    batch: list[str] = []
    size = 0
    for graph in local.graphs():
        text, count = replace_update(graph, (ox.Triple(q.subject, q.predicate, q.object) for q in local.graph_triples(graph)))
        batch.append(text)
        size += len(text)
        summary.graphs += 1
        summary.triples += count
        if progress:
            progress(graph)
        if size >= _BATCH_BYTES:
            remote._update(" ;\n".join(batch), f"pushing {len(batch)} graph(s)")
            summary.requests += 1
            batch, size = [], 0
    if batch:
        remote._update(" ;\n".join(batch), f"pushing {len(batch)} graph(s)")
        summary.requests += 1
    summary.seconds = time.perf_counter() - started
    return summary


def _as_query_triples(quads: Iterable[ox.Quad]) -> ox.QueryTriples:
    """Parsed CONSTRUCT/DESCRIBE triples as the embedded store's result type."""
    mem = ox.Store()
    mem.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    res = mem.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(res, ox.QueryTriples)
    return res


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:500] if text else ""

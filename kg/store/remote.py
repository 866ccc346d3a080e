"""Any SPARQL 1.1 server as the store: ``--store URL`` (or ``$KG_STORE=URL``).

:class:`RemoteStore` implements :class:`kg.store.base.GraphStore` over the SPARQL 1.1
Protocol (queries and updates) and, where the product has one, the Graph Store Protocol
(whole-dataset reads from Oxigraph). What differs between products lives in
:mod:`kg.store.dialects`; what this module does for them:

- ``replace_graph`` sends ``DROP SILENT GRAPH <g> ; INSERT DATA {...}`` as one request, which
  the server applies as one transaction (Oxigraph, Fuseki/TDB2, GraphDB, Virtuoso), so readers
  see an article's graph fully old or fully new, and writing it twice keeps it once. Where
  the product refuses blank nodes in ``INSERT DATA`` (Virtuoso) they are written as genid
  IRIs and read back as blank nodes; where its compiler overflows on large updates
  (Virtuoso) the ``INSERT DATA`` is cut into parts, sent in one request.
- ``query`` posts the query form-encoded, asks for the union of kg's graphs the product's
  way, and parses the answer with pyoxigraph (the same result objects as the embedded store).
  An answer the server cut at its row cap (``X-SPARQL-MaxRows``) raises StoreError; kg's own
  reads page past the cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlencode

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.store import updates
from kg.store.base import GraphStore, QueryResult, TripleLike
from kg.store.dialects import ARQ_UNION, Endpoints, endpoints
from kg.store.embedded import BUILD_KEY, Store
from kg.store.http import Http, Response
from kg.store.results import as_query_triples, deskolemize, first_line, first_of_each, solutions, solutions_of, with_prefixes

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_RESULT_FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "text/tab-separated-values": ox.QueryResultsFormat.TSV}
_GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                  "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
                  "application/n-quads": ox.RdfFormat.N_QUADS}
_BATCH_BYTES = 2_000_000  # one push request carries several small graphs, up to about this much
_KG_GRAPHS = "https://w3id.org/newskg/"  # graph names kg reads where a server keeps others beside them
_BATCH_GRAPHS = 200  # graphs named per VALUES in batched reads


class RemoteStore:
    """A SPARQL 1.1 endpoint used like the embedded store (see the module docstring)."""

    def __init__(self, url: str, *, read_only: bool = False, timeout: float = 120.0,
                 env: Mapping[str, str] | None = None) -> None:
        self.location = url.rstrip("/")
        self.read_only = read_only
        self._env = env
        self._http = Http(env=env, timeout=timeout)
        self._endpoints: Endpoints | None = None
        self._known: set[str] | None = None  # kg's graph names, for the "graphs" union mode
        self._page_rows = 100_000  # rows per page of kg's own reads (lowered to the server's cap when it reports one)
        endpoints(url, env, server=lambda: "")  # refuse a bad URL now, before any request

    @property
    def endpoints(self) -> Endpoints:
        """The endpoints and dialect (the server is asked for its name once, if the URL leaves it open)."""
        if self._endpoints is None:
            self._endpoints = endpoints(self.location, self._env, server=self._server_name)
            self._page_rows = self._endpoints.dialect.page_rows or self._page_rows
        return self._endpoints

    def query(self, sparql: str, *, union: bool = True, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = (), prefixes: Mapping[str, str] | None = None) -> QueryResult:
        """Run a query (see :class:`kg.store.base.GraphStore`).

        QueryError with the server's message when it rejects the query (HTTP 400), StoreError
        when it cannot be reached, fails otherwise, or cut the answer at its row cap.
        """
        if updates.query_form(sparql) not in updates.QUERY_FORMS:  # Virtuoso runs updates sent as queries
            raise QueryError("not a query (SELECT, ASK, CONSTRUCT or DESCRIBE): queries are read-only")
        result, capped = self._query(sparql, union=union, default_graphs=default_graphs,
                                     named_graphs=named_graphs, prefixes=prefixes)
        if isinstance(result, ox.QuerySolutions) and (capped is not None or (
                self.endpoints.dialect.quirks and updates.distinct_select(sparql))):
            names = [v.value for v in result.variables]
            rows = list(result)
            if capped is not None and len(rows) >= capped:
                raise StoreError(f"{self.location} cut the answer at its limit of {capped} rows "
                                 "(Virtuoso's ResultSetMaxRows): add LIMIT and OFFSET to read it in pages")
            if updates.distinct_select(sparql):  # the server may repeat rows: keep each once, in order
                rows = first_of_each(rows, names)
            return solutions(names, rows)
        return result

    def replace_graph(self, graph: str, triples: Iterable[TripleLike], *,
                      add: Mapping[str, Iterable[TripleLike]] | None = None, drop: Iterable[str] = ()) -> int:
        """Atomically replace the named graph ``graph`` (one update request); returns the triple count."""
        drop = list(drop)
        text, count = self._replace_text(graph, triples, add=add, drop=drop)
        self._update(text, f"writing graph <{graph}>")
        if self._known is not None:
            self._known.difference_update(drop)
            self._known.update([graph, *(add or {})])
        return count

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove these named graphs in one request."""
        names = list(graphs)
        text = updates.drop_update(names)
        if text:
            self._update(text, "removing graphs")
        if self._known is not None:
            self._known.difference_update(names)

    def update(self, sparql: str) -> None:
        """Send a SPARQL Update as one request."""
        self._update(sparql, "the update")
        self._known = None  # it may have made or removed any graph

    def graphs(self) -> list[str]:
        """The names of kg's named graphs, sorted."""
        self._known = set(self._graph_sizes())
        return sorted(self._known)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of kg's graphs (or of ``graph``): one GET from Oxigraph, batched SELECTs elsewhere."""
        if graph is None and self.endpoints.dialect.gsp_dump and self.endpoints.gsp:
            resp = self._http_request("GET", self.endpoints.gsp, None, {"Accept": "application/n-quads"})
            if resp.status == 200 and resp.content_type == "application/n-quads":
                return iter(list(ox.parse(resp.body, ox.RdfFormat.N_QUADS)))
        sizes = self._graph_sizes()
        names = [graph] if graph is not None else sorted(sizes)
        return iter(self._read_graphs(names, {g: sizes.get(g, 0) for g in names}))

    def graph_triples(self, graph: str) -> Iterator[ox.Quad]:
        """Every quad of one named graph (the older name of ``quads(graph)``)."""
        return self.quads(graph)

    def build_keys(self, graphs: Sequence[str]) -> dict[str, str]:
        """``{graph: build key}`` for those of ``graphs`` that hold one, ``_BATCH_GRAPHS`` per request."""
        keys: dict[str, str] = {}
        for start in range(0, len(graphs), _BATCH_GRAPHS):
            names = " ".join(f"<{g}>" for g in graphs[start:start + _BATCH_GRAPHS])
            for sol in self._select(f"SELECT ?g ?k WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?g <{BUILD_KEY}> ?k }} }}"):
                keys[sol["g"].value] = sol["k"].value
        return keys

    def __len__(self) -> int:
        """Quads in kg's named graphs (``kg`` keeps nothing in the default graph)."""
        return sum(self._graph_sizes().values())

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, *, union: bool = False) -> None:
        """Serialise kg's graphs, fetched whole into memory, then written as the embedded store does."""
        local = Store(None)
        local.load(ox.serialize(list(self.quads()), format=ox.RdfFormat.N_QUADS) or b"", ox.RdfFormat.N_QUADS)
        local.dump(out, fmt, union=union)

    def flush(self) -> None:
        """Nothing to do: the server has applied every update it answered."""

    def release_memory(self) -> None:
        """Nothing to do: the server holds the caches."""

    def close(self) -> None:
        """Close this thread's connections."""
        self._http.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------

    def _query(self, sparql: str, *, union: bool, default_graphs: Sequence[str] = (),
               named_graphs: Sequence[str] = (), prefixes: Mapping[str, str] | None = None
               ) -> tuple[QueryResult, int | None]:
        """The result and the server's row cap if it reported one."""
        e = self.endpoints
        text = with_prefixes(sparql, prefixes) if prefixes else sparql
        form: list[tuple[str, str]] = list(e.dialect.query_params)
        form += [("default-graph-uri", g) for g in default_graphs] + [("named-graph-uri", g) for g in named_graphs]
        if union and not default_graphs:
            extra, text = self._union(text, named=not named_graphs)
            form += extra
        form.insert(0, ("query", self._prepare(text)))
        resp = self._http_request("POST", e.query, urlencode(form).encode("utf-8"), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT})
        if resp.status == 400:
            raise QueryError(first_line(resp.body) or "the store rejected the query")
        self._check(resp, "the query")
        cap = resp.headers.get("x-sparql-maxrows")
        return self._parse(resp), int(cap) if cap and cap.isdigit() else None

    def _union(self, text: str, *, named: bool) -> tuple[list[tuple[str, str]], str]:
        """Protocol parameters (and for Virtuoso, a ``define`` prologue) asking for the union of kg's graphs."""
        mode = self.endpoints.union
        if mode == "oxigraph":
            return [("union-default-graph", "")], text
        if mode == "arq":
            return [("default-graph-uri", ARQ_UNION)], text
        if mode == "graphs":
            if self._known is None:
                self._known = set(self._graph_sizes())
            names = sorted(self._known)
            return [("default-graph-uri", g) for g in names] + [("named-graph-uri", g) for g in names if named], text
        return [], text

    def _parse(self, resp: Response) -> QueryResult:
        ctype, data = resp.content_type, resp.body
        if self.endpoints.dialect.skolemize:
            data = deskolemize(data, json_results=ctype in ("application/sparql-results+json", "application/json"))
        try:
            if ctype in _RESULT_FORMATS:
                return ox.parse_query_results(data, _RESULT_FORMATS[ctype])
            if ctype in _GRAPH_FORMATS:
                return as_query_triples(ox.parse(data, _GRAPH_FORMATS[ctype]))
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{self.endpoints.query} answered with malformed {ctype}: {err}") from err
        raise StoreError(f"{self.endpoints.query} answered in an unexpected format: {ctype or 'no content type'}")

    def _select(self, sparql: str, *, expect: Callable[[], int] | None = None) -> list[ox.QuerySolution]:
        """Every row of one of kg's own SELECTs (over named graphs), in pages where the server caps answers.

        Pages are read with LIMIT and OFFSET but no ORDER BY (Virtuoso refuses to sort past
        10,000 rows), so when more than one page was read, the distinct rows are counted
        against ``expect()`` and a mismatch raises StoreError: never a silently short answer.
        """
        if not self.endpoints.dialect.page_rows:
            res, _ = self._query(sparql, union=False)
            return list(solutions_of(res, self.endpoints.query))
        rows: list[ox.QuerySolution] = []
        pages = 0
        while True:
            page = self._page_rows
            res, cap = self._query(f"{sparql} LIMIT {page} OFFSET {len(rows)}", union=False)
            sols = solutions_of(res, self.endpoints.query)
            names = [v.value for v in sols.variables]
            got = list(sols)
            rows += got
            pages += 1
            if cap is not None and cap < page and len(got) == cap:
                self._page_rows = cap  # the server caps below our page: go on in pages of its size
                continue
            if len(got) < page:
                break
        if pages > 1 and expect is not None:
            distinct = len({tuple(str(sol[n]) for n in names) for sol in rows})
            if distinct != expect():
                raise StoreError(f"{self.location} answered {distinct} distinct rows in pages where {expect()} were "
                                 "expected (did the store change while kg read it?); try again")
        return rows

    def _graph_sizes(self) -> dict[str, int]:
        """``{graph: quads}`` of kg's graphs (on Virtuoso, only graphs named under kg's IRIs)."""
        only = f'FILTER(STRSTARTS(STR(?g), "{_KG_GRAPHS}"))' if self.endpoints.dialect.own_graphs_only else ""
        where = f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {only} }}"

        def count() -> int:
            return int(self._select(f"SELECT (COUNT(DISTINCT ?g) AS ?n) {where}")[0]["n"].value)

        sizes = self._select(f"SELECT ?g (COUNT(*) AS ?n) {where} GROUP BY ?g", expect=count)
        return {sol["g"].value: int(sol["n"].value) for sol in sizes
                if isinstance(sol["g"], ox.NamedNode)}

    def _read_graphs(self, names: list[str], sizes: Mapping[str, int]) -> list[ox.Quad]:
        """The quads of ``names``, several small graphs to a request; StoreError if any is read short."""
        quads: list[ox.Quad] = []
        batch: list[str] = []
        for g in [*names, None]:
            full = batch and (g is None or sum(sizes[b] for b in batch) + sizes[g] > self._page_rows
                              or len(batch) == _BATCH_GRAPHS)
            if full:
                values = " ".join(f"<{b}>" for b in batch)
                total = sum(sizes[b] for b in batch)
                rows = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}",
                                    expect=_constant(total))
                quads += [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
                batch = []
            if g is not None:
                batch.append(g)
        return quads

    def _server_name(self) -> str:
        """The ``Server`` header of the store URL (empty if it sends none)."""
        try:
            return self._http.request("GET", self.location).headers.get("server", "")
        except ConnectionError as err:
            raise StoreError(str(err)) from err

    # -- writing ---------------------------------------------------------------------------

    def _replace_text(self, graph: str, triples: Iterable[TripleLike], *,
                      add: Mapping[str, Iterable[TripleLike]] | None = None, drop: Iterable[str] = ()) -> tuple[str, int]:
        d = self.endpoints.dialect
        if not (d.skolemize or d.max_update_triples):
            return updates.replace_update(graph, triples, add=add, drop=drop)
        blocks = {graph: [updates.line(t) for t in triples]}
        for other, extra in (add or {}).items():
            blocks.setdefault(other, []).extend(updates.line(t) for t in extra)
        if d.skolemize:
            blocks = {g: [updates.skolemize(line, scope=graph) for line in lines] for g, lines in blocks.items()}
        text = updates.drop_update([*drop, graph]) + "".join(
            " ;\n" + part for part in updates.insert_parts(blocks, d.max_update_triples or 0))
        return text, len(blocks[graph])

    def write_batch(self, writes: Sequence[tuple[str, list[ox.Triple]]]) -> int:
        """Replace several graphs in one request where the product takes large updates; returns requests sent."""
        if self.endpoints.dialect.max_update_triples:
            for graph, triples in writes:
                self.replace_graph(graph, triples)
            return len(writes)
        texts = [self._replace_text(g, t)[0] for g, t in writes]
        self._update(" ;\n".join(texts), f"pushing {len(writes)} graph(s)")
        if self._known is not None:
            self._known.update(g for g, _ in writes)
        return 1

    def _prepare(self, text: str) -> str:
        """The query as this product needs it (Virtuoso: GROUP_CONCAT separators in ASCII, no empty needles)."""
        d = self.endpoints.dialect
        text = updates.ascii_separators(text) if d.ascii_separators else text
        return updates.empty_needles(text) if d.quirks else text

    def _update(self, text: str, what: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.location} was opened read-only: {what} is not allowed")
        resp = self._http_request("POST", self.endpoints.update, text.encode("utf-8"),
                                  {"Content-Type": "application/sparql-update"})
        if resp.status == 400:
            raise StoreError(f"{what} failed: the store rejected the update: {first_line(resp.body)}")
        self._check(resp, what)

    def _http_request(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Response:
        try:
            return self._http.request(method, url, body, headers)
        except ConnectionError as err:
            raise StoreError(str(err)) from err

    def _check(self, resp: Response, what: str) -> None:
        if resp.status in (401, 403):
            raise StoreError(f"{self.location} refused {what} (HTTP {resp.status}): set $KG_STORE_TOKEN, or "
                             "$KG_STORE_USER and $KG_STORE_PASSWORD")
        if not 200 <= resp.status < 300:
            raise StoreError(f"{what} failed at {self.location}: HTTP {resp.status}: {first_line(resp.body)}")


@dataclass
class PushSummary:
    """What ``kg push`` copied."""

    graphs: int = 0
    triples: int = 0
    requests: int = 0
    seconds: float = 0.0


def push(local: GraphStore, remote: RemoteStore, *, progress: Callable[[str], None] | None = None) -> PushSummary:
    """Copy every named graph of ``local`` into ``remote``, replacing the remote copy of each.

    Idempotent: each graph is dropped and inserted in the same request, so a graph pushed
    twice is there once. Small graphs share a request (each request is one transaction).
    """
    started = time.perf_counter()
    summary = PushSummary()
    batch: list[tuple[str, list[ox.Triple]]] = []
    size = 0
    for graph in [*local.graphs(), None]:
        if batch and (graph is None or size >= _BATCH_BYTES):
            summary.requests += remote.write_batch(batch)
            batch, size = [], 0
        if graph is None:
            break
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in local.quads(graph)]
        batch.append((graph, triples))
        size += sum(len(str(t)) for t in triples)
        summary.graphs += 1
        summary.triples += len(triples)
        if progress:
            progress(graph)
    summary.seconds = time.perf_counter() - started
    return summary


def _constant(n: int) -> Callable[[], int]:
    """``lambda: n`` with ``n`` read now, not when called (a loop's variable would have moved on)."""
    return lambda: n

"""What differs between SPARQL servers, one small record per product.

The endpoints come from the ``--store`` URL, and the product from ``$KG_STORE_DIALECT``,
else the URL's shape, else the server's own ``Server`` header (read once, lazily):

============  =====================================  =====================================
dialect       URL                                    endpoints (query, update, graph store)
============  =====================================  =====================================
oxigraph      ``http://h:7878`` or ``.../query``     ``/query``, ``/update``, ``/store``
fuseki        ``http://h:3030/ds[/sparql|/query]``   ``/ds/sparql``, ``/ds/update``, ``/ds/data``
graphdb       ``http://h/repositories/NAME``         ``.../NAME``, ``.../NAME/statements``,
                                                     ``.../NAME/rdf-graphs/service``
virtuoso      ``http://h:8890/sparql`` (any path     the URL for both, ``/sparql-graph-crud``
              whose server says ``Virtuoso``)
generic       anything else                          the URL for both, no graph store
============  =====================================  =====================================

``$KG_STORE_UPDATE_URL`` and ``$KG_STORE_GSP_URL`` override the derived endpoints;
``$KG_STORE_UNION`` overrides how the union of graphs is asked for (see ``UNION_MODES``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

from kg.errors import StoreError

UNION_MODES = ("oxigraph", "arq", "graphs", "native")
"""How a query is sent over the union of kg's graphs: ``oxigraph`` (the ``union-default-graph``
parameter), ``arq`` (``default-graph-uri=urn:x-arq:UnionGraph``), ``graphs`` (name every kg graph
as ``default-graph-uri`` and ``named-graph-uri``: portable; the list is read once per store
object and kept up to date by its own writes) or ``native`` (the server's default graph already
is the union)."""
ARQ_UNION = "urn:x-arq:UnionGraph"


@dataclass(frozen=True)
class Dialect:
    """How kg talks to one product."""

    name: str
    union: str  # one of UNION_MODES
    gsp_dump: bool = False  # a GET on the graph store endpoint returns every graph as N-Quads
    skolemize: bool = False  # blank nodes are refused in INSERT DATA: write them as genid IRIs
    max_update_triples: int = 0  # split INSERT DATA into parts of at most this many triples (0: never)
    page_rows: int = 0  # read kg's own SELECTs in pages of this many rows (0: the server never caps)
    query_params: tuple[tuple[str, str], ...] = ()  # sent with every query
    ascii_separators: bool = False  # a non-ASCII GROUP_CONCAT separator comes back as "?"
    quirks: bool = False  # CONTAINS(x, "") is false; SELECT DISTINCT can repeat rows (Virtuoso)
    own_graphs_only: bool = False  # the server keeps graphs of its own: read only graphs named under kg's IRIs


DIALECTS = {
    "oxigraph": Dialect("oxigraph", "oxigraph", gsp_dump=True),
    "fuseki": Dialect("fuseki", "arq"),
    # GraphDB answers with inferred statements unless asked not to
    "graphdb": Dialect("graphdb", "native", query_params=(("infer", "false"),)),
    # Measured on 07.20.3229: a dataset of 4+ graphs (FROM or default-graph-uri) makes property paths
    # (rdfs:subClassOf*) match nothing, and "define input:default-graph-exclude" empties GRAPH <g>, so
    # queries use its native union (its few system graphs included); kg's own reads name kg's graphs.
    # Also: SP031 blank nodes in INSERT DATA, SP030 "generated SQL text has exceeded 10000 lines",
    # answers cut at ResultSetMaxRows, ORDER BY with OFFSET + LIMIT past 10000 refused (SR353),
    # CONTAINS/STRSTARTS/STRENDS(x, "") false, SELECT DISTINCT with BIND + OPTIONAL repeating rows.
    "virtuoso": Dialect("virtuoso", "native", skolemize=True, max_update_triples=1000, page_rows=10_000,
                        ascii_separators=True, own_graphs_only=True, quirks=True),
    "generic": Dialect("generic", "graphs"),
}


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers queries, updates and Graph Store Protocol requests."""

    query: str
    update: str
    gsp: str | None
    dialect: Dialect

    @property
    def union(self) -> str:
        """How queries ask for the union of kg's graphs."""
        return self.dialect.union

    @property
    def oxigraph(self) -> bool:
        """Whether the graph store endpoint dumps the whole dataset (Oxigraph's layout)."""
        return self.dialect.gsp_dump


def endpoints(url: str, env: Mapping[str, str] | None = None,
              server: Callable[[], str] | None = None) -> Endpoints:
    """Derive the endpoints from ``url`` (see the module docstring); StoreError if it is bad.

    ``server`` returns the server's ``Server`` header; it is called only when the URL's
    shape leaves the product open.
    """
    env = os.environ if env is None else env
    parts = urlsplit(url.rstrip("/"))
    if parts.username or parts.password:
        raise StoreError("put store credentials in $KG_STORE_USER and $KG_STORE_PASSWORD (or $KG_STORE_TOKEN), "
                         "not in the URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"not an http(s) store URL: {url}")
    segments = [s for s in parts.path.split("/") if s]
    name = env.get("KG_STORE_DIALECT") or _by_shape(segments) or _by_server(server() if server else "") or \
        _fallback(segments)
    if name not in DIALECTS:
        raise StoreError(f"$KG_STORE_DIALECT={name!r}: expected one of {', '.join(DIALECTS)}")
    query, update, gsp = _layout(name, url.rstrip("/"), segments,
                                 lambda *p: urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(p), "", "")))
    dialect = DIALECTS[name]
    if env.get("KG_STORE_UNION"):
        if env["KG_STORE_UNION"] not in UNION_MODES:
            raise StoreError(f"$KG_STORE_UNION={env['KG_STORE_UNION']!r}: expected one of {', '.join(UNION_MODES)}")
        dialect = replace(dialect, union=env["KG_STORE_UNION"])
    return Endpoints(query, env.get("KG_STORE_UPDATE_URL") or update, env.get("KG_STORE_GSP_URL") or gsp, dialect)


def _by_shape(segments: list[str]) -> str | None:
    if segments in ([], ["query"]):
        return "oxigraph"
    if len(segments) in (2, 3) and segments[0] == "repositories" and segments[2:] in ([], ["statements"]):
        return "graphdb"
    return None


def _by_server(header: str) -> str | None:
    product = header.lower()
    for name, word in (("virtuoso", "virtuoso"), ("oxigraph", "oxigraph"), ("fuseki", "fuseki"),
                       ("graphdb", "graphdb")):
        if word in product:
            return name
    return None


def _fallback(segments: list[str]) -> str:
    if len(segments) == 1 or (len(segments) == 2 and segments[1] in ("sparql", "query")):
        return "fuseki"
    return "generic"


def _layout(name: str, url: str, segments: list[str], at: Callable[..., str]) -> tuple[str, str, str | None]:
    if name == "oxigraph":
        return at("query"), at("update"), at("store")
    if name == "graphdb":
        repo = segments[:2]
        return at(*repo), at(*repo, "statements"), at(*repo, "rdf-graphs", "service")
    if name == "fuseki" and segments:
        ds = segments[0]
        return at(ds, segments[1] if len(segments) == 2 else "sparql"), at(ds, "update"), at(ds, "data")
    if name == "virtuoso":
        return url, url, at("sparql-graph-crud")
    return url, url, None

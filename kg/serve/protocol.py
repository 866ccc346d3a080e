"""The SPARQL 1.1 Protocol's query operation: reading a request, the service description.

A query comes by GET (``?query=``), by POST as ``application/sparql-query`` (UTF-8), or by
POST as a form (``application/x-www-form-urlencoded``). ``default-graph-uri`` and
``named-graph-uri`` name the dataset (they win over the query's ``FROM``). ``format`` or
``output`` (SPARQLWrapper sends both) name the answer's format and win over ``Accept``.
Updates are refused (403): the endpoint is read-only. ``GET /sparql`` without a query answers
with a SPARQL 1.1 Service Description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg import formats
from kg.serve.formats import negotiate

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ALLOW = "GET, POST, OPTIONS"


@dataclass(frozen=True)
class Request:
    """One query, as the protocol layer read it."""

    sparql: str
    accept: str = ""
    fmt: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000


@dataclass(frozen=True)
class PageRequest:
    """The graph page, whole or around one entity, at most ``max_nodes`` nodes."""

    focus: str | None = None
    max_nodes: int = 1500
    max_bytes: int = 8 << 20


@dataclass
class Reply:
    """What goes back to the client."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_reply(status: int, message: str, **headers: str) -> Reply:
    """A plain-text reply: errors are one readable line, never HTML or a traceback."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), dict(headers))


def query_request(method: str, target: str, content_type: str, body: bytes, *, accept: str,
                  max_rows: int) -> Request | Reply:
    """Read a SPARQL 1.1 Protocol query request; a Reply when it must be refused."""
    params = parse_qs(urlsplit(target).query, keep_blank_values=True)
    if method == "POST":
        refused = _read_body(params, content_type, body)
        if refused is not None:
            return refused
    if "update" in params:
        return text_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        return text_reply(400, "send exactly one non-empty 'query' parameter (or an application/sparql-query body)")
    fmt = next(iter(params.get("format", []) + params.get("output", [])), None)
    return Request(queries[0], accept=accept, fmt=fmt, default_graphs=tuple(params.get("default-graph-uri", [])),
                   named_graphs=tuple(params.get("named-graph-uri", [])), max_rows=max_rows)


def _read_body(params: dict[str, list[str]], content_type: str, body: bytes) -> Reply | None:
    """Add a POST body's query or form fields to ``params``; a Reply when the body is refused."""
    media, _, rest = content_type.partition(";")
    media = media.strip().lower()
    charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in rest.split(";")
                    if p.strip().lower().startswith("charset=")), "utf-8")
    if media == "application/sparql-update":
        return text_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        return text_reply(415, f"unsupported Content-Type {media or '(none)'!r}: send application/sparql-query "
                               "or application/x-www-form-urlencoded")
    if charset not in ("utf-8", "utf8"):
        return text_reply(415, f"unsupported charset {charset!r}: send the query in UTF-8")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        return text_reply(400, f"the request body is not UTF-8 ({err.reason} at byte {err.start})")
    if media == "application/sparql-query":
        params.setdefault("query", []).append(text)
        return None
    for key, values in parse_qs(text, keep_blank_values=True).items():
        params.setdefault(key, []).extend(values)
    return None


def service_description(endpoint: str, accept: str, fmt: str | None) -> Reply:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle or RDF/XML (by Accept)."""
    chosen = negotiate(accept, formats.GRAPH, fmt)
    if chosen is None:
        return text_reply(406, f"the service description comes as {', '.join(formats.names(formats.GRAPH))}")
    service, node = ox.BlankNode("service"), ox.NamedNode

    def sd(name: str) -> ox.NamedNode:
        return node(SD + name)

    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [ox.Triple(service, RDF_TYPE, sd("Service")), ox.Triple(service, sd("endpoint"), node(endpoint)),
               ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
               ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
               ox.Triple(service, sd("defaultEntailmentRegime"), node("http://www.w3.org/ns/entailment/Simple")),
               ox.Triple(service, sd("defaultDataset"), dataset), ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
               ox.Triple(dataset, sd("defaultGraph"), default), ox.Triple(default, RDF_TYPE, sd("Graph"))]
    for result in formats.of_kind(formats.RESULTS, formats.GRAPH):
        if result.iri:
            triples.append(ox.Triple(service, sd("resultFormat"), node(result.iri)))
    assert chosen.rdf is not None
    body = ox.serialize(triples, format=chosen.rdf, prefixes={"sd": SD}) or b""
    return Reply(200, chosen.content_type, body, {"Vary": "Accept"})

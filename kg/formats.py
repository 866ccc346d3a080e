"""The one registry of file and wire formats: names, media types, file extensions, engines.

Export, ``kg query``, ``kg serve``'s content negotiation and the command line's choices all
read this table, so a format is declared once. A format serves one or more *kinds* of data:

- ``graph``: triples (CONSTRUCT and DESCRIBE answers, merged exports);
- ``dataset``: quads, the named graphs kept apart (TriG, N-Quads, JSON-LD);
- ``results``: SELECT and ASK answers (the W3C SPARQL result formats);
- ``network``: node-link files for graph tools (GraphML, GEXF), drawn by NetworkX.

Names are what users type (``--format``, the protocol's ``format`` parameter); aliases are
the other names clients send (SPARQLWrapper sends ``xml``, ``rdf+xml``, ``json-ld``, ``n3``).
The same alias can mean different formats for different kinds (``xml`` is SPARQL XML results
for SELECT and RDF/XML for CONSTRUCT), so lookups always name the kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

GRAPH, DATASET, RESULTS, NETWORK = "graph", "dataset", "results", "network"


@dataclass(frozen=True)
class Format:
    """One format: its name, the kinds of data it holds, and how to read and write it."""

    name: str
    label: str
    kinds: frozenset[str]
    media_types: tuple[str, ...]  # the first is the one this project sends
    extensions: tuple[str, ...]  # the first is the one this project writes
    aliases: tuple[str, ...] = ()
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    text: bool = True  # send "; charset=utf-8" with the media type
    w3c: str = ""  # its name under http://www.w3.org/ns/formats/ (service descriptions cite it)

    @property
    def media_type(self) -> str:
        """The media type sent for this format."""
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The full Content-Type header value (with the charset for text formats)."""
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    @property
    def iri(self) -> str | None:
        """The W3C's IRI for this format (``http://www.w3.org/ns/formats/Turtle``), if it has one."""
        return f"http://www.w3.org/ns/formats/{self.w3c}" if self.w3c else None

    @property
    def extension(self) -> str:
        """The file extension written for this format (with its dot)."""
        return self.extensions[0]


def _kinds(*names: str) -> frozenset[str]:
    return frozenset(names)


FORMATS: tuple[Format, ...] = (
    Format("turtle", "Turtle", _kinds(GRAPH), ("text/turtle", "application/x-turtle", "application/turtle",
                                                "text/n3", "text/rdf+n3", "application/n3"),
           (".ttl",), ("ttl", "n3"), rdf=ox.RdfFormat.TURTLE, w3c="Turtle"),
    Format("ntriples", "N-Triples", _kinds(GRAPH), ("application/n-triples", "text/plain"), (".nt",),
           ("nt", "n-triples"), rdf=ox.RdfFormat.N_TRIPLES, text=False, w3c="N-Triples"),
    Format("rdfxml", "RDF/XML", _kinds(GRAPH), ("application/rdf+xml", "application/xml", "text/xml"),
           (".rdf", ".owl", ".xml"), ("rdf+xml", "xml", "rdf", "rdf-xml"), rdf=ox.RdfFormat.RDF_XML, text=False, w3c="RDF_XML"),
    Format("jsonld", "JSON-LD", _kinds(GRAPH, DATASET), ("application/ld+json", "application/x-json+ld"),
           (".jsonld",), ("json-ld", "json"), rdf=ox.RdfFormat.JSON_LD, text=False, w3c="JSON-LD"),
    Format("trig", "TriG", _kinds(DATASET), ("application/trig",), (".trig",), (), rdf=ox.RdfFormat.TRIG, w3c="TriG"),
    Format("nquads", "N-Quads", _kinds(DATASET), ("application/n-quads",), (".nq",), ("nq", "n-quads"),
           rdf=ox.RdfFormat.N_QUADS, text=False, w3c="N-Quads"),
    Format("json", "SPARQL Results JSON", _kinds(RESULTS), ("application/sparql-results+json", "application/json",
                                                            "text/javascript", "application/javascript"),
           (".srj", ".json"), (), results=ox.QueryResultsFormat.JSON, text=False, w3c="SPARQL_Results_JSON"),
    Format("xml", "SPARQL Results XML", _kinds(RESULTS), ("application/sparql-results+xml", "application/xml",
                                                          "text/xml"),
           (".srx", ".xml"), (), results=ox.QueryResultsFormat.XML, text=False, w3c="SPARQL_Results_XML"),
    Format("csv", "SPARQL Results CSV", _kinds(RESULTS), ("text/csv",), (".csv",), (),
           results=ox.QueryResultsFormat.CSV, w3c="SPARQL_Results_CSV"),
    Format("tsv", "SPARQL Results TSV", _kinds(RESULTS), ("text/tab-separated-values",), (".tsv",), (),
           results=ox.QueryResultsFormat.TSV, w3c="SPARQL_Results_TSV"),
    Format("graphml", "GraphML", _kinds(NETWORK), ("application/graphml+xml",), (".graphml",), (), text=False),
    Format("gexf", "GEXF 1.2", _kinds(NETWORK), ("application/gexf+xml",), (".gexf",), (), text=False),
)


def of_kind(*kinds: str) -> list[Format]:
    """The formats that hold any of ``kinds``, in registry order."""
    return [f for f in FORMATS if f.kinds & set(kinds)]


def names(*kinds: str) -> list[str]:
    """The names of the formats of ``kinds`` (the command line's choices)."""
    return [f.name for f in of_kind(*kinds)]


def find(name: str, *kinds: str) -> Format | None:
    """The format of ``kinds`` called ``name``: its name, an alias or a media type (any case)."""
    key = name.strip().lower()
    candidates = of_kind(*kinds) if kinds else list(FORMATS)
    for match in (lambda f: key == f.name, lambda f: key in f.aliases, lambda f: key in f.media_types):
        for fmt in candidates:
            if match(fmt):
                return fmt
    return None


def get(name: str) -> Format:
    """The format called exactly ``name`` (KeyError if there is none)."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def for_media_type(media: str, *kinds: str) -> Format | None:
    """The format of ``kinds`` that a media type (parameters ignored) names, if any."""
    key = media.split(";")[0].strip().lower()
    for fmt in of_kind(*kinds) if kinds else FORMATS:
        if key in fmt.media_types:
            return fmt
    return None


def for_extension(path: str, *kinds: str) -> Format | None:
    """The format of ``kinds`` a file name's extension stands for, if any (``.ttl`` -> Turtle)."""
    lowered = path.lower()
    for fmt in of_kind(*kinds) if kinds else FORMATS:
        if any(lowered.endswith(ext) for ext in fmt.extensions):
            return fmt
    return None

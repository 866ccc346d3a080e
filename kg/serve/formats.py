"""Content negotiation and result encodings for ``kg serve`` (SPARQL 1.1 Protocol).

Which formats exist, their names, aliases and media types come from :mod:`kg.formats` (the
registry export and the command line read too). SELECT and ASK answers are written here, in
Python, rather than by pyoxigraph's serialiser, because the endpoint stops reading solutions
at its row limit; the encodings follow the W3C result formats (JSON, XML, CSV, TSV) and are
read back by ``pyoxigraph.parse_query_results`` in the tests. CONSTRUCT and DESCRIBE triples
go through ``pyoxigraph.serialize``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg import formats
from kg.formats import Format

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
DEFAULT = {formats.RESULTS: "json", formats.GRAPH: "turtle"}


def negotiate(accept: str, kind: str, explicit: str | None = None) -> Format | None:
    """The format for a ``kind`` (results or graph) answer, or None if none is acceptable.

    ``explicit`` (the ``format``/``output`` parameter: a name, an alias such as SPARQLWrapper's
    ``xml``, ``rdf+xml``, ``json-ld``, ``n3``, or a media type) wins over ``Accept``; an empty
    ``Accept`` or ``*/*`` gets JSON results or Turtle.
    """
    if explicit:
        return formats.find(explicit, kind)
    ranges = _accept_ranges(accept)
    if not ranges:
        return formats.get(DEFAULT[kind])
    offered = formats.of_kind(kind)
    for media in ranges:
        found = formats.for_media_type(media, kind)
        if found is not None:
            return found
        if media in ("*/*", "*"):
            return formats.get(DEFAULT[kind])
        if media.endswith("/*"):
            major = media[:-1]
            for fmt in offered:
                if any(m.startswith(major) for m in fmt.media_types):
                    return fmt
    return None


def _accept_ranges(accept: str) -> list[str]:
    """Media ranges by preference (q, then order), without those at q=0."""
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    return [m for _, _, m in sorted(ranked)]


def encode_solutions(variables: Sequence[str], rows: Sequence[Sequence[Term | None]], fmt: str) -> bytes:
    """SELECT solutions as SPARQL results in ``fmt`` (json, xml, csv or tsv)."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row, strict=True) if t is not None) + "</result>\n"
                       for row in rows)
        return _xml(f"<head>{head}</head>\n<results>\n{body}</results>")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([[_csv_term(t) for t in row] for row in rows])
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def encode_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in ``fmt``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return _xml(f"<head/>\n<boolean>{str(value).lower()}</boolean>")
    end = "\r\n" if fmt == "csv" else "\n"
    return f"_askResult{end}{str(value).lower()}{end}".encode()


def encode_triples(triples: Sequence[ox.Triple], fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT/DESCRIBE triples in ``fmt`` (a graph format of the registry)."""
    assert fmt.rdf is not None
    keep = prefixes if fmt.name in ("turtle", "rdfxml") else None
    return ox.serialize(list(triples), format=fmt.rdf, prefixes=keep) or b""


def _json_term(t: Term) -> dict[str, object]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                            "object": _json_term(t.object)}}
    out: dict[str, object] = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value not in (_XSD_STRING, _LANG_STRING):
        out["datatype"] = t.datatype.value
    return out


def _xml_term(t: Term) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
                f"<object>{_xml_term(t.object)}</object></triple>")
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def _csv_term(t: Term | None) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return str(t) if isinstance(t, ox.Triple) else t.value


def _xml(inner: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            f"{inner}\n</sparql>\n").encode()

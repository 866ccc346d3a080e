"""JSON-LD compacted with the project's prefixes: short keys and IDs, one ``@context``.

Oxigraph writes expanded JSON-LD (every IRI in full). :func:`compact` turns that document
into the compacted form a reader expects: an ``@context`` of the project's namespaces
(``kg.store.PREFIXES`` plus ``rdf``), property names, ``@id`` values and datatypes shortened to
``prefix:local``, and ``rdf:type`` links written as ``@type``. Expanding the result gives back
exactly the same quads (a test parses it with two independent readers).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kg.store import PREFIXES

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"


def context(prefixes: Mapping[str, str] = PREFIXES) -> dict[str, str]:
    """The ``@context``: every namespace as a prefix (all end in ``/`` or ``#``, so JSON-LD 1.1
    uses them to expand ``prefix:local``)."""
    return {"rdf": RDF, **dict(prefixes)}


def compact(expanded: bytes, prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """A compacted JSON-LD document for Oxigraph's expanded one (a list of nodes and graphs)."""
    ctx = context(prefixes)
    ordered = sorted(ctx.items(), key=lambda kv: -len(kv[1]))  # longest namespace first
    nodes = json.loads(expanded or b"[]")
    body = [_node(n, ordered) for n in (nodes if isinstance(nodes, list) else [nodes])]
    return json.dumps({"@context": ctx, "@graph": body}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _iri(iri: str, ordered: list[tuple[str, str]]) -> str:
    """``prefix:local`` when a namespace covers ``iri`` and the result cannot be misread."""
    for prefix, ns in ordered:
        local = iri[len(ns):]
        if iri.startswith(ns) and local and not local.startswith("//"):
            return f"{prefix}:{local}"
    return iri


def _node(node: Any, ordered: list[tuple[str, str]]) -> Any:
    """One node object (or graph object), compacted recursively."""
    if isinstance(node, list):
        return [_node(n, ordered) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@id" and isinstance(value, str):
            out[key] = _iri(value, ordered)
        elif key == "@type":  # a value's datatype (node types come from rdf:type below)
            out[key] = [_iri(v, ordered) for v in value] if isinstance(value, list) else _iri(value, ordered)
        elif key == "@graph":
            out[key] = _node(value, ordered)
        elif key.startswith("@"):
            out[key] = value
        elif key == RDF_TYPE and _all_iris(value):
            out["@type"] = [_iri(v["@id"], ordered) for v in value]
        else:
            out[_iri(key, ordered)] = _node(value, ordered)
    return out


def _all_iris(values: Any) -> bool:
    """Whether every ``rdf:type`` object is an IRI (literals and blank nodes stay as they are)."""
    return isinstance(values, list) and all(
        isinstance(v, dict) and set(v) == {"@id"} and not str(v["@id"]).startswith("_:") for v in values)

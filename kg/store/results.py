"""Reading remote answers: result documents as pyoxigraph's result objects, whatever the product sent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store import updates
from kg.store.base import QueryResult


def with_prefixes(sparql: str, prefixes: Mapping[str, str]) -> str:
    """``PREFIX`` lines for ``prefixes`` the query does not declare, after a leading ``BASE``
    (SPARQL allows either order; Virtuoso only BASE first)."""
    declared = {m.lower() for m in re.findall(r"(?i)PREFIX\s+([\w-]*):", sparql)}
    lines = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items() if p.lower() not in declared)
    base = re.match(r"(?i)\s*BASE\s*<[^>]*>\s*", sparql)
    cut = base.end() if base else 0
    return sparql[:cut] + ("\n" if cut else "") + lines + sparql[cut:]


def first_of_each(rows: list[ox.QuerySolution], names: list[str]) -> list[ox.QuerySolution]:
    seen: set[tuple[str, ...]] = set()
    kept = []
    for sol in rows:
        key = tuple(str(sol[n]) for n in names)
        if key not in seen:
            seen.add(key)
            kept.append(sol)
    return kept


def solutions_of(res: QueryResult, where: str) -> ox.QuerySolutions:
    if not isinstance(res, ox.QuerySolutions):
        raise StoreError(f"{where} did not answer a SELECT with solutions")
    return res


def solutions(variables: list[str], rows: list[ox.QuerySolution]) -> ox.QuerySolutions:
    """Rows read once, as a fresh result (a QuerySolutions can be iterated only once)."""
    bindings = [{v: json_term(sol[v]) for v in variables if sol[v] is not None} for sol in rows]
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    res = ox.parse_query_results(json.dumps(doc).encode("utf-8"), ox.QueryResultsFormat.JSON)
    assert isinstance(res, ox.QuerySolutions)
    return res


def json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def deskolemize(data: bytes, *, json_results: bool) -> bytes:
    """Virtuoso's ``nodeID://`` names and kg's genid IRIs back to blank nodes."""
    if not json_results:
        return updates.deskolemize_text(data.decode("utf-8")).encode("utf-8")
    doc = json.loads(data)
    for binding in doc.get("results", {}).get("bindings", []):
        for term in binding.values():
            kind, value = term.get("type"), term.get("value", "")
            label = updates.blank_label(value) if kind in ("uri", "bnode") else None
            if kind == "bnode" and label is None:  # a label N-Triples would not accept
                label = updates.blank_label("nodeID://" + value)
            if label is not None:
                term["type"], term["value"] = "bnode", label
    return json.dumps(doc).encode("utf-8")


def as_query_triples(quads: Iterable[ox.Quad]) -> ox.QueryTriples:
    """Parsed CONSTRUCT/DESCRIBE triples as the embedded store's result type."""
    mem = ox.Store()
    mem.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    res = mem.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(res, ox.QueryTriples)
    return res


def first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:500] if text else ""

"""Query preparation shared by ``kg query``, ``kg viz --query`` and ``kg serve``.

One function, :func:`prepare`, decides what a query text means before it reaches a store:

- **prefixes**: the project's prefixes (``nkg:``, ``schema:`` ...) are predeclared; a query's
  own ``PREFIX`` wins;
- **base IRI**: relative IRIs (``<person/vladimir-putin>``) resolve against :data:`QUERY_BASE`
  unless the query says ``BASE``, so CONSTRUCT templates with relative IRIs work;
- **dataset**: the protocol's ``default-graph-uri`` / ``named-graph-uri`` win; else the query's
  own ``FROM`` / ``FROM NAMED``; else the union of all graphs, with every named graph
  available to ``GRAPH``. Naming only named graphs gives an empty default graph (SPARQL 1.1
  Protocol, 2.1.4), never the union;
- **SERVICE**: federated calls are refused unless allowed: the engine (Oxigraph) would
  otherwise make the HTTP request and return its rows.

SERVICE is found on the parsed query: rdflib's SPARQL parser gives the algebra and a
``ServiceGraphPattern`` node there is a call. rdflib does not read every query Oxigraph
does (it rejects the escaped ``e:a\\#`` of a prefixed name, for one), so a lexer that knows
SPARQL's tokens (IRIs, strings, comments, prefixed names with their escapes, variables) also
looks for the keyword; either finding refuses. Both give the same engine answer: the
query reaches the store unchanged apart from the ``BASE`` put in front of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import QueryError

QUERY_BASE = "https://w3id.org/newskg/id/"
EMPTY_GRAPH = "urn:x-kg:empty"  # a graph kg never writes: a dataset part that must hold nothing

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<bnode>_:[\w.-]*)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%.-]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
""", re.X | re.S)


@dataclass(frozen=True)
class Prepared:
    """A query ready for a store: its text and the dataset to run it on."""

    text: str
    union: bool  # default graph = the union of all graphs (nothing else names a dataset)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)
    offset: int = 0  # characters put in front of the user's first line (error positions shift back)

    def position(self, message: str) -> str:
        """An engine message with its ``line:column`` moved back to the user's text."""
        first = message.splitlines()[0] if message else "invalid query"
        m = re.search(r"\b(\d+):(\d+)\b", first)
        if m and self.offset and m.group(1) == "1":
            first = first.replace(m.group(0), f"1:{max(1, int(m.group(2)) - self.offset)}", 1)
        return first


def tokens(sparql: str) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` for each SPARQL token, without spaces and comments."""
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield kind, m.group()


def keywords(sparql: str) -> set[str]:
    """The bare words of the query, upper-cased (keywords, function names, ``a``)."""
    return {text.upper() for kind, text in tokens(sparql) if kind == "word"}


def uses_service(sparql: str, prefixes: dict[str, str] | None = None) -> bool:
    """Whether the query calls another endpoint (``SERVICE``), on its algebra and its tokens."""
    if "service" not in sparql.lower():
        return False  # the keyword cannot be spelled without these letters (no escapes outside strings)
    return "SERVICE" in keywords(sparql) or _algebra_has_service(sparql, prefixes or {})


def _algebra_has_service(sparql: str, prefixes: dict[str, str]) -> bool:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
        algebra = translateQuery(parseQuery(prologue + sparql)).algebra
    except Exception:  # noqa: BLE001 (rdflib raises many kinds; the token check has decided already)
        return False
    return any(getattr(node, "name", None) == "ServiceGraphPattern" for node in _nodes(algebra))


def _nodes(node: object) -> Iterator[object]:
    """Every algebra node (rdflib's CompValue) below ``node``, ``node`` included."""
    stack = [node]
    while stack:
        item = stack.pop()
        if hasattr(item, "name") and isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def prepare(sparql: str, *, prefixes: dict[str, str], default_graphs: Sequence[str] = (),
            named_graphs: Sequence[str] = (), base_iri: str = QUERY_BASE, allow_service: bool = False,
            where: str = "query") -> Prepared:
    """The query with its base, prefixes and dataset decided (see the module docstring).

    Raises QueryError for a SERVICE call when not allowed and for a graph name that is not
    an absolute IRI.
    """
    sparql = sparql.lstrip("\ufeff")
    if not allow_service and uses_service(sparql, prefixes):
        raise QueryError(f"{where}: federated queries (SERVICE) are disabled: kg makes no outgoing requests "
                         "(kg query --allow-service allows them)")
    for graph in (*default_graphs, *named_graphs):
        _check_iri(graph, where)
    own_dataset = "FROM" in keywords(sparql)
    base = "" if "BASE" in keywords(sparql) else f"BASE <{base_iri}> "
    if default_graphs or named_graphs:
        return Prepared(base + sparql, False, tuple(default_graphs) or (EMPTY_GRAPH,),
                        tuple(named_graphs) or (EMPTY_GRAPH,), dict(prefixes), len(base))
    return Prepared(base + sparql, not own_dataset, (), (), dict(prefixes), len(base))


def _check_iri(iri: str, where: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as err:
        raise QueryError(f"{where}: {iri!r} is not a graph IRI: {err}") from err
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise QueryError(f"{where}: {iri!r} is not an absolute graph IRI")

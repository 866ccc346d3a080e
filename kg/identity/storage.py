"""Reading reports and the reference facts identity needs from the store, by SPARQL.

Queries only (no quad lookups), so remote stores answer them too. Each article's reports are
the event nodes of its graph that carry ``nkg:reportKey``; their account (class, participants,
places, date) is read from that graph alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.identity.report import Report, World, agent_keys
from kg.ontology import NKG, RDFS, SCHEMA
from kg.store import ONTOLOGY_GRAPH, REFERENCE_GRAPH, GraphStore

_FIELDS = f"""{{ ?e <{NKG}reportKey> ?v BIND("key" AS ?t) }} UNION {{ ?e a ?v BIND("cls" AS ?t) }}
    UNION {{ ?e <{NKG}reportLabel> ?v BIND("label" AS ?t) }}
    UNION {{ ?e <{NKG}participant>|<{NKG}initiator> ?v BIND("agent" AS ?t) }}
    UNION {{ ?e <{NKG}location>|<{NKG}destination> ?v BIND("place" AS ?t) }}
    UNION {{ ?e <{NKG}reportDate> ?v BIND("date" AS ?t) }}
    UNION {{ ?g <{SCHEMA}datePublished> ?v BIND("published" AS ?t) }}"""
# Every part is a required pattern joined inside one GRAPH block (OPTIONALs there made Oxigraph
# evaluate the descriptions of every report in the store before joining: 1 s per query at 1,000 articles).


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in sorted(set(iris))) + " }"


def _select(store: GraphStore, sparql: str) -> list[ox.QuerySolution]:
    res = store.query(sparql)
    return list(res) if isinstance(res, ox.QuerySolutions) else []


def _reports(store: GraphStore, values: str, inner: str = "") -> list[Report]:
    """Reports of the event nodes ``?e`` in graphs ``?g`` that ``values`` (outside the graph) and
    ``inner`` (a pattern inside it) select."""
    rows = _select(store, f"SELECT ?g ?e ?t ?v WHERE {{ {values} GRAPH ?g {{ {inner} ?e <{NKG}reportKey> ?k0 . {_FIELDS} }} }}")
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    for sol in rows:
        g, e, t, v = sol["g"], sol["e"], sol["t"], sol["v"]
        if isinstance(g, ox.NamedNode) and isinstance(e, ox.NamedNode) and t is not None and v is not None:
            found.setdefault((g.value, e.value), {}).setdefault(str(t.value), []).append(str(v.value))
    out = []
    for (graph, iri), f in sorted(found.items()):
        classes = sorted(c[len(NKG):] for c in f.get("cls", []) if c.startswith(NKG))
        if not f.get("key") or not classes:
            continue
        out.append(Report(key=f["key"][0], graph=graph, cls=classes[0], agents=frozenset(f.get("agent", [])),
                          places=frozenset(f.get("place", [])), date=min(f.get("date", [""])) or None,
                          published=min(f.get("published", [""])) or None, label=min(f.get("label", [""])), iri=iri))
    return out


def reports_with_agents(store: GraphStore, agents: Iterable[str], *, near: Sequence[Report] = ()) -> list[Report]:
    """Reports naming any of ``agents`` as participant or initiator; with ``near``, only those
    that share an identity key with one of those reports (an agent and a week their date
    windows touch, see :func:`kg.identity.report.identity_keys`), found by looking the keys up,
    so a leader named in hundreds of reports costs a few index lookups, not hundreds of
    descriptions."""
    agents = set(agents)
    if not agents:
        return []
    if not near:
        return _reports(store, _values("x", agents), f"?e <{NKG}participant>|<{NKG}initiator> ?x .")
    return reports_with_keys(store, agent_keys(near, agents))


def reports_with_keys(store: GraphStore, keys: Iterable[str]) -> list[Report]:
    """Reports stored with any of the identity keys ``keys`` (``nkg:identityKey``)."""
    keys = set(keys)
    if not keys:
        return []
    values = "VALUES ?k { " + " ".join(str(ox.Literal(k)) for k in sorted(keys)) + " }"
    rows = _select(store, f"SELECT DISTINCT ?g ?e WHERE {{ {values} GRAPH ?g {{ ?e <{NKG}identityKey> ?k }} }}")
    keep = sorted({(str(s["g"].value), str(s["e"].value)) for s in rows})
    if not keep:
        return []
    pairs = "VALUES (?g ?e) { " + " ".join(f"(<{g}> <{e}>)" for g, e in keep) + " }"
    return _reports(store, pairs)


def reports_at_places(store: GraphStore, places: Iterable[str]) -> list[Report]:
    """Reports placed at any of ``places`` (used for events known only by where they were)."""
    places = set(places)
    if not places:
        return []
    return _reports(store, _values("x", places), f"?e <{NKG}location>|<{NKG}destination> ?x .")


def reports_of_events(store: GraphStore, events: Iterable[str]) -> list[Report]:
    """Every report of the event nodes ``events``."""
    events = set(events)
    return _reports(store, _values("e", events)) if events else []


def reports_in_graphs(store: GraphStore, graphs: Iterable[str]) -> list[Report]:
    """The reports of the article graphs ``graphs``."""
    graphs = set(graphs)
    return _reports(store, _values("g", graphs)) if graphs else []


def all_reports(store: GraphStore) -> list[Report]:
    return _reports(store, "")


def any_reports(store: GraphStore) -> bool:
    """Whether the store holds any report."""
    res = store.query(f"ASK {{ GRAPH ?g {{ ?e <{NKG}reportKey> ?k }} }}")
    return bool(res)


def load_world(store: GraphStore) -> World:
    """Class ancestry (the ontology's ``rdfs:subClassOf``), place containment and leaders, from
    the ontology and reference graphs only: what articles teach must not make identity depend
    on which articles came first."""
    sub = _select(store, f"SELECT ?c ?d WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf> ?d }} "
                         f"FILTER(STRSTARTS(STR(?c), \"{NKG}\") && STRSTARTS(STR(?d), \"{NKG}\")) }}")
    located = _select(store, f"SELECT ?a ?b WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?a <{NKG}locatedIn> ?b }} }}")
    leaders = _select(store, f"SELECT ?p WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?p a <{NKG}Leader> }} }}")
    pairs = _select(store, f"SELECT ?c ?d WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{NKG}compatibleEventClass> ?d }} }}")
    return World.build(((str(s["c"].value)[len(NKG):], str(s["d"].value)[len(NKG):]) for s in sub),
                       ((str(s["a"].value), str(s["b"].value)) for s in located),
                       (str(s["p"].value) for s in leaders),
                       ((str(s["c"].value)[len(NKG):], str(s["d"].value)[len(NKG):]) for s in pairs))

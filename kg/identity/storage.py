"""Reading reports and the reference facts identity needs from the store, by SPARQL.

Queries only (no quad lookups), so remote stores answer them too. Each article's reports are
the event nodes of its graph that carry ``nkg:reportKey``; their account (class, participants,
places, date) is read from that graph alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.identity.report import Report, World
from kg.ontology import NKG, RDFS, SCHEMA
from kg.store import ONTOLOGY_GRAPH, REFERENCE_GRAPH, GraphStore

_REPORT = f"""SELECT ?g ?e ?key (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?cls)
  (GROUP_CONCAT(DISTINCT STR(?a); separator=" ") AS ?agents)
  (GROUP_CONCAT(DISTINCT STR(?p); separator=" ") AS ?places) (SAMPLE(?d) AS ?date) (SAMPLE(?pub) AS ?published)
WHERE {{
  {{ SELECT DISTINCT ?g ?e WHERE {{ %s }} }}
  GRAPH ?g {{
    ?e <{NKG}reportKey> ?key ; a ?c . FILTER(STRSTARTS(STR(?c), "{NKG}"))
    OPTIONAL {{ ?e <{NKG}reportLabel> ?l }}
    OPTIONAL {{ ?e <{NKG}participant>|<{NKG}initiator> ?a }}
    OPTIONAL {{ ?e <{NKG}location>|<{NKG}destination> ?p }}
    OPTIONAL {{ ?e <{NKG}reportDate> ?d }}
    OPTIONAL {{ ?g <{SCHEMA}datePublished> ?pub }}
  }}
}} GROUP BY ?g ?e ?key"""


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in sorted(set(iris))) + " }"


def _select(store: GraphStore, sparql: str) -> list[ox.QuerySolution]:
    res = store.query(sparql)
    return list(res) if isinstance(res, ox.QuerySolutions) else []


def _reports(store: GraphStore, selector: str) -> list[Report]:
    out = []
    for sol in _select(store, _REPORT % selector):
        g, e, key, cls = sol["g"], sol["e"], sol["key"], sol["cls"]
        if not (isinstance(g, ox.NamedNode) and isinstance(e, ox.NamedNode) and key is not None and cls is not None):
            continue
        text = {v: str(sol[v].value) if sol[v] is not None else "" for v in ("label", "agents", "places", "date", "published")}  # type: ignore[union-attr]
        out.append(Report(key=str(key.value), graph=g.value, cls=str(cls.value)[len(NKG):],
                          agents=frozenset(text["agents"].split()), places=frozenset(text["places"].split()),
                          date=text["date"] or None, published=text["published"] or None,
                          label=text["label"], iri=e.value))
    return out


def reports_with_agents(store: GraphStore, agents: Iterable[str]) -> list[Report]:
    """Reports naming any of ``agents`` as participant or initiator."""
    agents = set(agents)
    if not agents:
        return []
    sel = f"{_values('x', agents)} GRAPH ?g {{ ?e <{NKG}participant>|<{NKG}initiator> ?x ; <{NKG}reportKey> ?k }}"
    return _reports(store, sel)


def reports_at_places(store: GraphStore, places: Iterable[str]) -> list[Report]:
    """Reports placed at any of ``places`` (used for events known only by where they were)."""
    places = set(places)
    if not places:
        return []
    sel = f"{_values('x', places)} GRAPH ?g {{ ?e <{NKG}location>|<{NKG}destination> ?x ; <{NKG}reportKey> ?k }}"
    return _reports(store, sel)


def reports_of_events(store: GraphStore, events: Iterable[str]) -> list[Report]:
    """Every report of the event nodes ``events``."""
    events = set(events)
    if not events:
        return []
    return _reports(store, f"{_values('e', events)} GRAPH ?g {{ ?e <{NKG}reportKey> ?k }}")


def reports_in_graphs(store: GraphStore, graphs: Iterable[str]) -> list[Report]:
    """The reports of the article graphs ``graphs``."""
    graphs = set(graphs)
    if not graphs:
        return []
    return _reports(store, f"{_values('g', graphs)} GRAPH ?g {{ ?e <{NKG}reportKey> ?k }}")


def all_reports(store: GraphStore) -> list[Report]:
    return _reports(store, f"GRAPH ?g {{ ?e <{NKG}reportKey> ?k }}")


def load_world(store: GraphStore) -> World:
    """Class ancestry (the ontology's ``rdfs:subClassOf``), place containment and leaders, from
    the ontology and reference graphs only: what articles teach must not make identity depend
    on which articles came first."""
    sub = _select(store, f"SELECT ?c ?d WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf> ?d }} "
                         f"FILTER(STRSTARTS(STR(?c), \"{NKG}\") && STRSTARTS(STR(?d), \"{NKG}\")) }}")
    located = _select(store, f"SELECT ?a ?b WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?a <{NKG}locatedIn> ?b }} }}")
    leaders = _select(store, f"SELECT ?p WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?p a <{NKG}Leader> }} }}")
    return World.build(((str(s["c"].value)[len(NKG):], str(s["d"].value)[len(NKG):]) for s in sub),  # type: ignore[union-attr]
                       ((str(s["a"].value), str(s["b"].value)) for s in located),  # type: ignore[union-attr]
                       (str(s["p"].value) for s in leaders))  # type: ignore[union-attr]


def graph_lines(store: GraphStore, graph: str) -> list[str]:
    """One named graph as N-Triples lines."""
    return [f"{q.subject} {q.predicate} {q.object} ." for q in store.quads(graph)]

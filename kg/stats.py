"""Counts, per-class tallies and the most connected entities of a store."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.ontology import NKG
from kg.store import GraphStore


@dataclass
class Stats:
    quads: int = 0
    graphs: int = 0
    articles: int = 0
    classes: list[tuple[str, int]] = field(default_factory=list)
    hubs: list[tuple[str, str, int]] = field(default_factory=list)


def stats(store: GraphStore, *, top: int = 10) -> Stats:
    """Tally the store with a few SPARQL queries (Oxigraph's engine)."""
    s = Stats(quads=len(store), graphs=len(store.graphs()))
    rows = store.query(f"""SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{
        ?a a <{NKG}Article> ; <{NKG}mentions>? ?x . ?x a ?c . FILTER(STRSTARTS(STR(?c), "{NKG}")) }}
        GROUP BY ?c ORDER BY DESC(?n) ?c""")
    s.classes = [(sol["c"].value[len(NKG):], int(sol["n"].value)) for sol in rows]  # type: ignore[union-attr]
    facts = store.query(f"""SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{
        ?x <http://www.w3.org/ns/prov#wasDerivedFrom> ?a ; a ?c .
        FILTER(STRSTARTS(STR(?c), "{NKG}")) }} GROUP BY ?c ORDER BY DESC(?n) ?c""")
    s.classes += [(sol["c"].value[len(NKG):], int(sol["n"].value)) for sol in facts]  # type: ignore[union-attr]
    s.articles = dict(s.classes).get("Article", 0)
    hubs = store.query(f"""SELECT ?label (SAMPLE(?cls) AS ?c) (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
        ?fact <http://www.w3.org/ns/prov#wasDerivedFrom> ?a ; ?p ?x .
        ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label ; a ?cls .
        FILTER(?p != <{NKG}evidence> && STRSTARTS(STR(?cls), "{NKG}"))
        FILTER NOT EXISTS {{ ?x <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }} }}
        GROUP BY ?x ?label ORDER BY DESC(?n) ?label LIMIT {int(top)}""")
    s.hubs = [(sol["label"].value, sol["c"].value[len(NKG):], int(sol["n"].value)) for sol in hubs]  # type: ignore[union-attr]
    return s

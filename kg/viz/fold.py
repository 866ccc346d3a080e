"""Replace event, claim and cooperation nodes by labelled edges between their parties.

- Cooperation: ``provider -[drones]-> recipient`` when the direction is known, otherwise
  one undirected ``partner -[drones]- partner`` edge per pair.
- Claim: ``claimant -[claims]-> target`` for each ``about`` target; a target that is
  itself folded stands for its parties.
- Invitation, Visit: ``initiator -[invited|visited]-> participant`` (a Visit also to its
  destination); other events: ``party -[met]- party`` for each pair of parties, or
  ``party -[verb]-> place`` when only one party is named.

Folded edges carry ``label``, ``directed``, ``count`` (how many facts were merged into
the edge), ``via`` (the folded nodes' labels), ``date`` (the earliest) and ``evidence``.
Topics become edge labels, so topic nodes are dropped, and so are nodes that folding left
without edges (a meeting's venue, the outlet that reported a claim).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Set
from itertools import combinations

import networkx as nx

from kg.viz.style import TOPIC, fold_verb, hierarchy, is_a, is_nary

PartyEdge = tuple[Hashable, Hashable, str, bool]  # from, to, label, directed
Targets = Callable[[str], list[Hashable]]


def fold_nary(nxg: nx.MultiDiGraph[Hashable], *, keep: Set[Hashable] = frozenset()) -> nx.MultiDiGraph[Hashable]:
    """A new graph with every n-ary node folded; nodes in ``keep`` survive even if orphaned."""
    parents = hierarchy(nxg.graph)
    nary = {n for n, cls in nxg.nodes(data="cls") if is_nary(str(cls), parents)}
    out: nx.MultiDiGraph[Hashable] = nx.MultiDiGraph(**nxg.graph)
    out.add_nodes_from((n, d) for n, d in nxg.nodes(data=True) if n not in nary)
    kept = [(u, v, k, d) for u, v, k, d in nxg.edges(keys=True, data=True) if u not in nary and v not in nary]
    out.add_edges_from(kept)  # type: ignore[arg-type]  # types-networkx omits MultiGraph's (u, v, key, data) form
    for node in sorted(nary, key=str):
        for u, v, label, directed in party_edges(nxg, node, nary, parents):
            _merge(out, u, v, label=label, directed=directed, fact=nxg.nodes[node])
    orphans = [
        n
        for n, cls in out.nodes(data="cls")
        if n not in keep and (str(cls) == TOPIC or (out.degree(n) == 0 and nxg.degree(n) > 0))
    ]
    out.remove_nodes_from(orphans)
    return out


def party_edges(
    nxg: nx.MultiDiGraph[Hashable], node: Hashable, nary: Set[Hashable], parents: Mapping[str, str]
) -> list[PartyEdge]:
    """The edges one n-ary node folds into."""

    def targets(relation: str) -> list[Hashable]:
        found = [v for _, v, k in nxg.out_edges(node, keys=True) if k == relation]
        return _expand(nxg, found, nary, seen={node})

    cls = str(nxg.nodes[node].get("cls"))
    if is_a(cls, ["Cooperation"], parents):
        return _cooperation_edges(nxg, node, targets)
    if is_a(cls, ["Claim"], parents):
        return _directed(targets("claimant"), targets("about"), "claims")
    return _event_edges(cls, targets, parents)


def _cooperation_edges(nxg: nx.MultiDiGraph[Hashable], node: Hashable, targets: Targets) -> list[PartyEdge]:
    topics = [v for _, v, k in nxg.out_edges(node, keys=True) if k == "topic"]
    label = ", ".join(sorted(str(nxg.nodes[t].get("label")) for t in topics)) or "cooperation"
    providers, recipients = targets("provider"), targets("recipient")
    if providers and recipients:
        return _directed(providers, recipients, label)
    return _pairs(_unique(targets("partner") + providers + recipients), label)


def _event_edges(cls: str, targets: Targets, parents: Mapping[str, str]) -> list[PartyEdge]:
    verb = fold_verb(cls, parents)
    initiators, participants = targets("initiator"), targets("participant")
    places = targets("destination") or targets("location")
    if initiators and is_a(cls, ["Invitation", "Visit"], parents):
        others = participants + places if is_a(cls, ["Visit"], parents) else participants
        return _directed(initiators, others or places, verb)
    parties = _unique(initiators + participants)
    if len(parties) >= 2:
        return _pairs(parties, verb)
    return _directed(parties, places, verb)


def _expand(
    nxg: nx.MultiDiGraph[Hashable], nodes: Iterable[Hashable], nary: Set[Hashable], *, seen: set[Hashable]
) -> list[Hashable]:
    """Replace folded nodes among ``nodes`` by their parties (cycle-safe)."""
    found: list[Hashable] = []
    for node in nodes:
        if node not in nary:
            found.append(node)
        elif node not in seen:
            seen.add(node)
            parties = [
                v
                for _, v, k in nxg.out_edges(node, keys=True)
                if k in ("participant", "initiator", "partner", "provider", "recipient", "claimant")
            ]
            found.extend(_expand(nxg, parties, nary, seen=seen))
    return _unique(found)


def _unique(nodes: Iterable[Hashable]) -> list[Hashable]:
    return list(dict.fromkeys(nodes))


def _directed(sources: list[Hashable], targets: list[Hashable], label: str) -> list[PartyEdge]:
    return [(s, t, label, True) for s in sources for t in _unique(targets) if s != t]


def _pairs(parties: list[Hashable], label: str) -> list[PartyEdge]:
    ordered = sorted(parties, key=str)  # one canonical direction per undirected pair
    return [(a, b, label, False) for a, b in combinations(ordered, 2)]


def _merge(
    out: nx.MultiDiGraph[Hashable], u: Hashable, v: Hashable, *, label: str, directed: bool, fact: Mapping[str, object]
) -> None:
    """Add a folded edge, or merge the fact into the same edge from an earlier fact."""
    evidence = list(fact.get("evidence") or [])  # type: ignore[call-overload]
    date = fact.get("date") or fact.get("reported")
    if not out.has_edge(u, v, key=label):
        out.add_edge(
            u, v, key=label, label=label, directed=directed, count=1,
            via=[str(fact.get("label"))], date=date, evidence=evidence,
        )
        return
    data = out.edges[u, v, label]
    data["count"] += 1
    data["via"] = _unique([*data["via"], str(fact.get("label"))])
    data["evidence"] += [e for e in evidence if e not in data["evidence"]]
    if date and (not data["date"] or str(date) < str(data["date"])):
        data["date"] = date

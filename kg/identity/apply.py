"""Keeping event identity up to date as articles arrive, change and leave.

When articles are written or removed, only the events they touch are reconsidered: the
reports connected to theirs by agreement (see :mod:`kg.identity.cluster`), found by
following shared participants through the store, are clustered again. Reports whose event
node changes name are renamed in their article graphs, and the reconciled facts of every
touched event are rebuilt in the events graph, all in the same SPARQL Update as the article
itself, so the store moves from one consistent state to the next in one transaction.
Clustering a connected group gives the same result as clustering the whole store, which is
why the events never depend on the order articles were built in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kg.identity import storage
from kg.identity.cluster import Reconciled, agree, cluster, event_iri, reconcile
from kg.identity.index import Reports, StoreReports
from kg.identity.report import EVENT_BASE, Report, World
from kg.mapping import date_literal, en
from kg.ontology import NKG, RDF, RDFS
from kg.store import GRAPH_BASE, GraphStore

EVENTS_GRAPH = GRAPH_BASE + "events"  # each event's reconciled facts: class, label, date, places, first report
_EVENT_IRI = re.compile(r"<(" + re.escape(EVENT_BASE) + r"[^>]+)>")


@dataclass
class Plan:
    """What one write does to event identity."""

    renamed: dict[str, str] = field(default_factory=dict)  # new article's local IRI -> event IRI
    rewrites: dict[str, dict[str, str]] = field(default_factory=dict)  # other graph -> {old IRI: new IRI}
    stale: set[str] = field(default_factory=set)  # event IRIs whose reconciled facts are dropped
    events: list[Reconciled] = field(default_factory=list)  # reconciled facts to write

    def rename_lines(self, lines: Iterable[str]) -> list[str]:
        """The new article's lines with its events renamed to their nodes."""
        sub = self.renamed
        return [_EVENT_IRI.sub(lambda m: f"<{sub.get(m.group(1), m.group(1))}>", line) if "/event/" in line else line
                for line in lines]


def component(stored: Reports, world: World, seeds: Sequence[Report], *, excluded: set[str]) -> list[Report]:
    """``seeds`` and every stored report connected to them by agreement (reports in the
    ``excluded`` graphs do not count: they are being replaced or removed)."""
    known = {r.key: r for r in seeds}
    frontier = list(seeds)
    while frontier:
        agents = {a for r in frontier for a in r.agents}
        places = {p for r in frontier if not r.agents for p in r.places}
        found = stored.with_agents(agents, frontier) + stored.at_places(places)
        fresh = {r.key: r for r in found if r.key not in known and r.graph not in excluded}
        frontier = [r for r in fresh.values() if any(agree(r, s, world) for s in frontier)]
        known.update((r.key, r) for r in frontier)
    return sorted(known.values(), key=lambda r: r.key)


def plan(store: GraphStore, world: World, new: Sequence[Report], *, replaced: Iterable[str] = (),
         reports: Reports | None = None) -> Plan:
    """How event identity changes when the reports ``new`` arrive and the article graphs
    ``replaced`` (earlier versions, removed articles) leave. The stored reports come from
    ``reports`` (a build's :class:`kg.identity.index.ReportIndex`), else from the store."""
    stored = reports or StoreReports(store)
    excluded = set(replaced)
    leaving = stored.in_graphs(excluded)
    old_events = {r.iri for r in leaving}
    mates = [r for r in stored.of_events(old_events) if r.graph not in excluded]
    group = component(stored, world, [*new, *mates], excluded=excluded)
    out = Plan(stale=old_events | {r.iri for r in group})
    fresh = {r.key for r in new}
    for members in cluster(group, world):
        target = event_iri(members)
        out.events.append(reconcile(members, world))
        for r in members:
            if r.key in fresh:
                out.renamed[r.iri] = target
            elif r.iri != target:
                out.rewrites.setdefault(r.graph, {})[r.iri] = target
    out.stale |= {e.iri for e in out.events}
    return out


def update_text(store: GraphStore, p: Plan) -> str:
    """The SPARQL Update operations (``;``-joined, no leading separator) that carry out ``p``
    beyond writing the new article: renamed reports' graphs rewritten, events graph refreshed."""
    ops = rename_ops(p.rewrites)
    if p.stale:
        values = " ".join(f"<{e}>" for e in sorted(p.stale))
        ops.append(f"DELETE {{ GRAPH <{EVENTS_GRAPH}> {{ ?e ?p ?o }} }} WHERE {{ VALUES ?e {{ {values} }} "
                   f"GRAPH <{EVENTS_GRAPH}> {{ ?e ?p ?o }} }}")
    lines = [line for ev in p.events for line in event_lines(ev)]
    if lines:
        ops.append(f"INSERT DATA {{ GRAPH <{EVENTS_GRAPH}> {{\n" + "\n".join(lines) + "\n} }")
    return " ;\n".join(ops)


def rename_ops(rewrites: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Two updates that move every triple naming a renamed event node, as subject and then as
    object, to its new name, in the graphs ``rewrites`` gives (graph -> {old: new}); the store
    does it where the triples lie, so nothing is read back into this process."""
    rows = " ".join(f"(<{g}> <{old}> <{new}>)" for g, names in sorted(rewrites.items())
                    for old, new in sorted(names.items()))
    if not rows:
        return []
    values = f"VALUES (?g ?old ?new) {{ {rows} }}"
    return [f"DELETE {{ GRAPH ?g {{ ?old ?p ?o }} }} INSERT {{ GRAPH ?g {{ ?new ?p ?o }} }} "
            f"WHERE {{ {values} GRAPH ?g {{ ?old ?p ?o }} }}",
            f"DELETE {{ GRAPH ?g {{ ?s ?p ?old }} }} INSERT {{ GRAPH ?g {{ ?s ?p ?new }} }} "
            f"WHERE {{ {values} GRAPH ?g {{ ?s ?p ?old }} }}"]


def event_lines(ev: Reconciled) -> list[str]:
    """The reconciled facts of one event as N-Triples lines."""
    s = f"<{ev.iri}>"
    out = [f"{s} <{RDF}type> <{NKG}{ev.cls}> .", f"{s} <{NKG}firstReport> <{ev.first.graph}> ."]
    if ev.label:
        out.append(f"{s} <{RDFS}label> {en(ev.label)} .")
    if ev.date:
        out.append(f"{s} <{NKG}date> {date_literal(ev.date)} .")
    out += [f"{s} <{NKG}{ev.place_property}> <{p}> ." for p in ev.places]
    return out


def recluster_all(store: GraphStore, world: World | None = None) -> Plan:
    """Cluster every report of the store afresh (for views such as ``--as-of``) and apply it."""
    world = world or storage.load_world(store)
    reports = storage.all_reports(store)
    out = Plan(stale={r.iri for r in reports})
    for members in cluster(reports, world):
        target = event_iri(members)
        out.events.append(reconcile(members, world))
        for r in members:
            if r.iri != target:
                out.rewrites.setdefault(r.graph, {})[r.iri] = target
    text = f"DROP SILENT GRAPH <{EVENTS_GRAPH}>"
    rest = update_text(store, Plan(rewrites=out.rewrites, events=out.events))
    store.update(text + (" ;\n" + rest if rest else ""))
    return out

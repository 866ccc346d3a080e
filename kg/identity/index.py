"""The reports of a store held by the one process that writes it, so identity asks no queries.

Finding an arriving report's candidates (:func:`kg.identity.apply.component`) asks the store
for reports by identity key, place, graph and event node, several queries per article; at
10,000 articles they took most of the writer's time, and their reads filled the store's block
caches in the writer's memory. The build's writer keeps an index in step with what it writes
(:meth:`ReportIndex.apply`). Into an empty store that index is all there is to know; into a
store that holds reports already (a rebuild of the changed articles) it asks the store once for
each identity key, graph, event node or place it has not seen yet, and remembers the answer
(:meth:`ReportIndex.over`). The answers are the store's answers: :class:`StoreReports` asks the
store the same four questions, for callers that write once (``kg remove``), and a test builds
the same corpus both ways. Repeated strings (participants, places, graphs) are shared.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from kg.identity import storage
from kg.identity.report import Report, agent_keys, identity_keys
from kg.store import GraphStore


class Reports(Protocol):
    """Where :func:`kg.identity.apply.plan` finds the stored reports it compares with."""

    def in_graphs(self, graphs: Iterable[str]) -> list[Report]: ...

    def of_events(self, events: Iterable[str]) -> list[Report]: ...

    def with_agents(self, agents: Iterable[str], near: Sequence[Report]) -> list[Report]: ...

    def at_places(self, places: Iterable[str]) -> list[Report]: ...


@dataclass(frozen=True)
class StoreReports:
    """The four questions, asked of the store by SPARQL (any store, remote ones too)."""

    store: GraphStore

    def in_graphs(self, graphs: Iterable[str]) -> list[Report]:
        return storage.reports_in_graphs(self.store, graphs)

    def of_events(self, events: Iterable[str]) -> list[Report]:
        return storage.reports_of_events(self.store, events)

    def with_agents(self, agents: Iterable[str], near: Sequence[Report]) -> list[Report]:
        return storage.reports_with_agents(self.store, agents, near=near)

    def at_places(self, places: Iterable[str]) -> list[Report]:
        return storage.reports_at_places(self.store, places)


SMALL = 8  # a lookup keeps up to this many keys of one term in a tuple, more in a set
Keys = tuple[str, ...] | set[str]


def _put(table: dict[str, Keys], term: str, key: str) -> None:
    """Add ``key`` to the keys of ``term`` (most terms have one or two: a tuple costs a quarter
    of a set)."""
    have = table.get(term, ())
    if isinstance(have, set):
        have.add(key)
    elif key not in have:
        table[term] = (*have, key) if len(have) < SMALL else {*have, key}


def _drop(table: dict[str, Keys], term: str, key: str) -> None:
    """Remove ``key`` from the keys of ``term``; a term left without keys goes."""
    have = table.get(term)
    if isinstance(have, set):
        have.discard(key)
    elif have is not None:
        have = table[term] = tuple(k for k in have if k != key)
    if not have:
        table.pop(term, None)


_FETCH = {"graph": storage.reports_in_graphs, "event": storage.reports_of_events,
          "identity": storage.reports_with_keys, "place": storage.reports_at_places}


def _terms(r: Report) -> dict[str, Iterable[str]]:
    """What ``r`` is found by, for each kind of lookup (a place only for a report without
    participants: only those can agree by place alone)."""
    return {"graph": (r.graph,), "event": (r.iri,), "identity": identity_keys(r),
            "place": () if r.agents else r.places}


@dataclass
class ReportIndex:
    """Reports of the store by key, with lookups (``by``) by graph, event node, identity key and
    place. With a ``store``, terms not looked up before are first asked of it (``asked``
    remembers them)."""

    store: GraphStore | None = None
    by_key: dict[str, Report] = field(default_factory=dict)
    by: dict[str, dict[str, Keys]] = field(default_factory=lambda: {kind: {} for kind in _FETCH})
    asked: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in _FETCH})
    sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)  # one copy of each agent/place set

    @classmethod
    def over(cls, store: GraphStore) -> ReportIndex:
        """An index of ``store``'s reports: complete at once for a store without any (a first
        build), else filled from the store as terms are looked up."""
        return cls(store if storage.any_reports(store) else None)

    def add(self, r: Report) -> None:
        self.remove(r.key)
        r = self._shared(r)
        self.by_key[r.key] = r
        for kind, terms in _terms(r).items():
            for term in terms:
                _put(self.by[kind], term, r.key)

    def remove(self, key: str) -> None:
        r = self.by_key.pop(key, None)
        if r is None:
            return
        for kind, terms in _terms(r).items():
            for term in terms:
                _drop(self.by[kind], term, key)

    def _shared(self, r: Report) -> Report:
        """``r`` with its repeated strings interned (one copy for every report naming Putin) and
        its participant and place sets shared with the reports holding the same ones."""
        i = sys.intern
        agents, places = (frozenset(i(t) for t in terms) for terms in (r.agents, r.places))
        return replace(r, graph=i(r.graph), cls=i(r.cls), agents=self.sets.setdefault(agents, agents),
                       places=self.sets.setdefault(places, places), date=i(r.date) if r.date else None,
                       published=i(r.published) if r.published else None)

    def _find(self, kind: str, terms: Iterable[str]) -> list[Report]:
        """The reports found by any of ``terms`` in the ``kind`` lookup, sorted by key; the store
        is asked first for the terms it has not answered yet."""
        terms = set(terms)
        fresh = terms - self.asked[kind]
        if self.store is not None and fresh:
            for r in _FETCH[kind](self.store, fresh):
                if r.key not in self.by_key:  # what this process wrote is as new as the store
                    self.add(r)
            self.asked[kind] |= fresh
        return [self.by_key[k] for k in sorted({k for t in terms for k in self.by[kind].get(t, ())})]

    def in_graphs(self, graphs: Iterable[str]) -> list[Report]:
        return self._find("graph", graphs)

    def of_events(self, events: Iterable[str]) -> list[Report]:
        return self._find("event", events)

    def with_agents(self, agents: Iterable[str], near: Sequence[Report]) -> list[Report]:
        """Reports sharing an identity key of ``near`` whose agent is among ``agents`` (what
        :func:`kg.identity.storage.reports_with_agents` finds with ``near``)."""
        return self._find("identity", agent_keys(near, agents))

    def at_places(self, places: Iterable[str]) -> list[Report]:
        return self._find("place", places)

    def apply(self, new: Sequence[Report], renamed: Mapping[str, str], rewrites: Mapping[str, Mapping[str, str]],
              removed: Iterable[str] = ()) -> None:
        """Keep step with one write: the graphs ``removed`` leave, the reports ``new`` arrive
        under their event nodes (``renamed``: local IRI -> node), and the reports of other graphs
        move to the nodes ``rewrites`` gives them (graph -> {old node: new node})."""
        for graph in removed:
            for key in sorted(self.by["graph"].get(graph, ())):
                self.remove(key)
        for r in new:
            self.add(replace(r, iri=renamed.get(r.iri, r.iri)))
        for graph, names in rewrites.items():
            for key in sorted(self.by["graph"].get(graph, ())):
                r = self.by_key[key]
                if r.iri in names:
                    self.add(replace(r, iri=names[r.iri]))

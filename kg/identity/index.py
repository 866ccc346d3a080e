"""The reports of a store held by the one process that writes it, so identity asks no queries.

Finding an arriving report's candidates (:func:`kg.identity.apply.component`) asks the store
for reports by identity key, place, graph and event node, several queries per article; at
10,000 articles they took most of the writer's time, and their reads filled the store's block
caches in the writer's memory. A build reads every report once (:meth:`ReportIndex.load`) and
keeps the index in step with what it writes (:meth:`ReportIndex.apply`). The answers are the
store's answers: :class:`StoreReports` asks the store the same four questions, for callers
that write once (``kg remove``), and a test builds the same corpus both ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from kg.identity import storage
from kg.identity.report import Report, identity_keys
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


def _add(index: dict[str, set[str]], term: str, key: str) -> None:
    index.setdefault(term, set()).add(key)


def _discard(index: dict[str, set[str]], term: str, key: str) -> None:
    keys = index.get(term)
    if keys is not None:
        keys.discard(key)
        if not keys:
            del index[term]


@dataclass
class ReportIndex:
    """Every report of the store by key, with lookups by graph, event node, identity key and
    (for reports without participants, the only ones a place alone can match) place."""

    by_key: dict[str, Report] = field(default_factory=dict)
    by_graph: dict[str, set[str]] = field(default_factory=dict)
    by_event: dict[str, set[str]] = field(default_factory=dict)
    by_identity: dict[str, set[str]] = field(default_factory=dict)
    by_place: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: GraphStore) -> ReportIndex:
        """Every report the store holds (one query)."""
        index = cls()
        for report in storage.all_reports(store):
            index.add(report)
        return index

    def add(self, r: Report) -> None:
        self.remove(r.key)
        self.by_key[r.key] = r
        _add(self.by_graph, r.graph, r.key)
        _add(self.by_event, r.iri, r.key)
        for term in identity_keys(r):
            _add(self.by_identity, term, r.key)
        for place in () if r.agents else r.places:
            _add(self.by_place, place, r.key)

    def remove(self, key: str) -> None:
        r = self.by_key.pop(key, None)
        if r is None:
            return
        _discard(self.by_graph, r.graph, key)
        _discard(self.by_event, r.iri, key)
        for term in identity_keys(r):
            _discard(self.by_identity, term, key)
        for place in () if r.agents else r.places:
            _discard(self.by_place, place, key)

    def _reports(self, keys: Iterable[str]) -> list[Report]:
        return [self.by_key[k] for k in sorted(set(keys))]

    def _lookup(self, index: Mapping[str, set[str]], terms: Iterable[str]) -> list[Report]:
        return self._reports(k for t in set(terms) for k in index.get(t, ()))

    def in_graphs(self, graphs: Iterable[str]) -> list[Report]:
        return self._lookup(self.by_graph, graphs)

    def of_events(self, events: Iterable[str]) -> list[Report]:
        return self._lookup(self.by_event, events)

    def with_agents(self, agents: Iterable[str], near: Sequence[Report]) -> list[Report]:
        """Reports sharing an identity key of ``near`` whose agent is among ``agents`` (what
        :func:`kg.identity.storage.reports_with_agents` finds with ``near``)."""
        agents = set(agents)
        return self._lookup(self.by_identity, (k for r in near for k in identity_keys(r)
                                               if k.split(" ", 1)[0] in agents))

    def at_places(self, places: Iterable[str]) -> list[Report]:
        return self._lookup(self.by_place, places)

    def apply(self, new: Sequence[Report], renamed: Mapping[str, str], rewrites: Mapping[str, Mapping[str, str]],
              removed: Iterable[str] = ()) -> None:
        """Keep step with one write: the graphs ``removed`` leave, the reports ``new`` arrive
        under their event nodes (``renamed``: local IRI -> node), and the reports of other graphs
        move to the nodes ``rewrites`` gives them (graph -> {old node: new node})."""
        for graph in removed:
            for key in sorted(self.by_graph.get(graph, ())):
                self.remove(key)
        for r in new:
            self.add(replace(r, iri=renamed.get(r.iri, r.iri)))
        for graph, names in rewrites.items():
            for key in sorted(self.by_graph.get(graph, ())):
                r = self.by_key[key]
                if r.iri in names:
                    self.add(replace(r, iri=names[r.iri]))

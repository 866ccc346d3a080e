"""Event reports: what one article says about one event, as plain data for clustering.

A report is identified by its key, ``<article-id>-<local key>`` (``77014082e09430c1-meeting-1``),
which never changes; the event node it belongs to may (when articles join or leave its event).
:class:`World` holds what comparisons need from the reference data: class ancestry and place
containment (``nkg:locatedIn``, transitive).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox

from kg import mapping
from kg.model import Extraction
from kg.ontology import ID, NKG

EVENT_BASE = ID + "event/"
BUCKET_DAYS = 7  # the span of one identity-key bucket (see :func:`identity_keys`)
SLACK_DAYS = 2  # windows this far apart still agree (kg.identity.cluster.TOLERANCE_DAYS)


@dataclass(frozen=True, slots=True)
class Report:
    """One article's account of one event."""

    key: str  # '<article-id>-meeting-1'
    graph: str  # the article's IRI (its named graph)
    cls: str  # local class name: 'Meeting'
    agents: frozenset[str]  # participant and initiator IRIs
    places: frozenset[str]  # location and destination IRIs
    date: str | None  # the date the article gives the event, if any
    published: str | None  # the article's publication date
    label: str = ""
    iri: str = ""  # the event node the report belongs to now ('' for a new report)

    @property
    def article(self) -> str:
        return self.graph.rsplit("/", 1)[-1]


@dataclass(slots=True)
class World:
    """Class ancestry, place containment and person classes, read once per build."""

    ancestors: dict[str, set[str]] = field(default_factory=dict)  # class -> itself and its superclasses
    within: dict[str, set[str]] = field(default_factory=dict)  # place IRI -> places containing it
    leaders: set[str] = field(default_factory=set)  # IRIs typed nkg:Leader
    reported_as: set[frozenset[str]] = field(default_factory=set)  # nkg:compatibleEventClass pairs

    @classmethod
    def build(cls, subclass: Iterable[tuple[str, str]], located: Iterable[tuple[str, str]],
              leaders: Iterable[str], compatible: Iterable[tuple[str, str]] = ()) -> World:
        """From (class, superclass), (place, container) and (class, compatible class) pairs;
        containment and ancestry closed transitively."""
        return cls(_closure(subclass), _closure(located), set(leaders), {frozenset(p) for p in compatible})

    def compatible_classes(self, a: str, b: str) -> bool:
        """The same class, one a subclass of the other (a Meeting and a PhoneCall), or a pair
        the ontology declares compatible (``nkg:compatibleEventClass``: a Visit and a Meeting)."""
        return (a == b or a in self.ancestors.get(b, ()) or b in self.ancestors.get(a, ())
                or frozenset((a, b)) in self.reported_as)

    def more_specific(self, a: str, b: str) -> str:
        return a if b in self.ancestors.get(a, ()) else b if a in self.ancestors.get(b, ()) else min(a, b)

    def nested(self, a: str, b: str) -> bool:
        """The same place, or one inside the other (Anchorage and Alaska)."""
        return a == b or b in self.within.get(a, ()) or a in self.within.get(b, ())


def _closure(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    direct: dict[str, set[str]] = {}
    for child, parent in pairs:
        direct.setdefault(child, set()).add(parent)
    out: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo += direct.get(node, ())
        out[start] = seen - {start}
    return out


def local_iri(article_id: str, key: str) -> str:
    """The IRI an article's event has before identity names it (and when it stays alone)."""
    return f"{EVENT_BASE}{article_id}-{key}"


def reports_of(ex: Extraction) -> list[Report]:
    """The reports of one extraction, with their article-local IRIs."""
    graph = mapping.article_iri(ex.article)
    out = []
    for ev in ex.events:
        agents = frozenset(mapping.entity_iri(k).value for k in [*ev.participants, *ev.initiator])
        places = frozenset(mapping.entity_iri(k).value for k in [*ev.location, *ev.destination])
        out.append(Report(key=f"{ex.article.id}-{ev.key}", graph=graph, cls=ev.cls, agents=agents, places=places,
                          date=ev.date, published=ex.article.date, label=ev.label,
                          iri=local_iri(ex.article.id, ev.key)))
    return out


def identity_keys(report: Report) -> list[str]:
    """The index keys a report is stored with (``nkg:identityKey``) and looked up by:
    ``<agent IRI> <week>`` for each agent and each week (days since 0001-01-01 divided by 7:
    ``105627``) its date window, widened by the tolerance, touches. Agreeing needs a shared agent
    and windows within the tolerance, so two reports that may agree share a key, and the store
    finds an arriving report's candidates by looking keys up, without reading every report of a
    busy agent. None for a report whose window is unknown or longer than a day (a month, a
    year): it agrees with no other (see :mod:`kg.identity.cluster`)."""
    own = window(report)
    if own is None or not placeable(own):
        return []
    slack = timedelta(days=SLACK_DAYS)
    return [f"{a} {b}" for a in sorted(report.agents) for b in _weeks((own[0] - slack, own[1] + slack))]


def agent_keys(near: Iterable[Report], agents: Iterable[str]) -> set[str]:
    """The identity keys of the reports ``near`` whose agent is one of ``agents``: what finds the
    stored reports that may agree with them."""
    agents = set(agents)
    return {k for r in near for k in identity_keys(r) if k.split(" ", 1)[0] in agents}


def key_lines(reports: Iterable[Report]) -> list[str]:
    """The ``nkg:identityKey`` triples of ``reports``, as N-Triples lines for their article's graph."""
    prop = f"<{NKG}identityKey>"
    return [f"<{r.iri}> {prop} {ox.Literal(k)} ." for r in reports for k in identity_keys(r)]


def placeable(span: tuple[date, date]) -> bool:
    """Whether a window is narrow enough to tell one event from another: a day. A month or a
    year is not: a report dated "last month" agrees with every event of its leaders that month,
    and in a dense corpus such reports chained a busy leader's reports into one group (see
    :mod:`kg.identity.cluster`)."""
    return span[0] == span[1]


def _weeks(span: tuple[date, date]) -> list[str]:
    return [str(b) for b in range(span[0].toordinal() // BUCKET_DAYS, span[1].toordinal() // BUCKET_DAYS + 1)]


def window(report: Report) -> tuple[date, date] | None:
    """The days the event may have happened on: its own date at its precision, else the day the
    article was published (the tolerance covers "yesterday" and time zones); None when neither
    is known."""
    if report.date:
        return _span(report.date)
    return _span(report.published) if report.published else None


def _span(value: str) -> tuple[date, date] | None:
    parts = value.split("-")
    try:
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return day, day
        if len(parts) == 2:
            first = date(int(parts[0]), int(parts[1]), 1)
            nxt = (first + timedelta(days=32)).replace(day=1)
            return first, nxt - timedelta(days=1)
        return date(int(parts[0]), 1, 1), date(int(parts[0]), 12, 31)
    except ValueError:
        return None


def by_key(reports: Iterable[Report]) -> Mapping[str, Report]:
    return {r.key: r for r in reports}

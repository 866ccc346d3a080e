"""Which reports tell of the same real event: pairwise agreement, then deterministic clustering.

Two reports can be of one event when they come from different articles, their classes are
compatible (one the same as or a subclass of the other), their dates agree at the precision each
has (a day of its own, or the day of its dateline; a day or two apart counts as agreeing,
since datelines, time zones and "yesterday" in next-day reports shift the day read)
and their participants overlap enough: two shared agents, or all the leaders one report names
(all its agents, if it names no leader) are among the other's. Places do not veto: they are too
often read from passing mentions ("talks on Ukraine", the capital a leader flew in from), so
they only rank candidate pairs, and decide alone only for events with no participants (a
summit known by where it met), where they must nest (a city, its venue, its region). Clusters
grow from the best-agreeing pairs, and two clusters join only when every pair across them
agrees (complete linkage), so a report naming only Putin cannot bridge Putin's talks with Xi
and his talks with Modi. The result depends only on the set of reports, never on the order
they arrived in; a cluster is named by its smallest report key.

A report dated only to a month or a year, or not at all (no date, no publication date), is its
own event: it cannot say which of the many events of the same leaders that month it tells of,
and letting it agree with all of them chained every report of a busy leader into one connected
group, re-read for every new article (1,266 reports of 1,226 synthetic articles for year-dated
ones; with months, and datelines read as the week before publication, 17,540 of 64,000 reports
at 10,000 articles; with neither, at most 126).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.identity.report import EVENT_BASE, SLACK_DAYS, Report, World, placeable, window

TRIPS = frozenset({"Visit", "Invitation"})  # the members of nkg:Trip: their place is a destination
TOLERANCE_DAYS = SLACK_DAYS  # datelines, time zones and next-day reports shift the day an article gives


def dates_agree(a: Report, b: Report) -> bool:
    """Both windows are placeable (see :func:`kg.identity.report.placeable`) and within the
    tolerance of each other."""
    wa, wb = window(a), window(b)
    if wa is None or wb is None or not placeable(wa) or not placeable(wb):
        return False
    return (wa[0] - wb[1]).days <= TOLERANCE_DAYS and (wb[0] - wa[1]).days <= TOLERANCE_DAYS


def places_agree(a: Report, b: Report, world: World) -> bool:
    if not a.places or not b.places:
        return True
    return any(world.nested(p, q) for p in a.places for q in b.places)


def agents_agree(a: Report, b: Report, world: World) -> bool:
    """Enough shared participants (see the module docstring); with none named on either side,
    the places must say it (a summit known only by where it met)."""
    if not a.agents or not b.agents:
        return not a.agents and not b.agents and bool(a.places) and places_agree(a, b, world)
    common = a.agents & b.agents
    if len(common) >= 2:
        return True
    if not common:
        return False
    return _principals(a, world) <= b.agents or _principals(b, world) <= a.agents


def _principals(r: Report, world: World) -> frozenset[str]:
    leaders = r.agents & world.leaders
    return frozenset(leaders) if leaders else r.agents


def agree(a: Report, b: Report, world: World) -> bool:
    """Whether ``a`` and ``b`` may be reports of one event."""
    return (a.graph != b.graph and world.compatible_classes(a.cls, b.cls) and dates_agree(a, b)
            and agents_agree(a, b, world) and (_same_kind(a, b) or places_agree(a, b, world)))


def _same_kind(a: Report, b: Report) -> bool:
    """Whether neither or both are trips: a visit told as talks must be placed where it went
    (Putin's visit to Pyongyang is not his talks in Moscow that week), when both say where."""
    return (a.cls in TRIPS) == (b.cls in TRIPS)


def score(a: Report, b: Report, world: World) -> float:
    """How well two agreeing reports fit: shared participants, then the same date, then places."""
    union = a.agents | b.agents
    s = len(a.agents & b.agents) / len(union) if union else 0.0
    s += 0.5 if a.date and a.date == b.date else 0.0
    s += 0.25 if a.places and b.places and places_agree(a, b, world) else 0.0
    return s + (0.1 if a.cls == b.cls else 0.0)


def candidate_pairs(reports: Sequence[Report], world: World) -> list[tuple[float, str, str]]:
    """Every agreeing pair, best first (ties by key). Reports are blocked by a shared agent or
    place, so the work grows with the reports that could match, not with all pairs."""
    blocks: dict[str, list[Report]] = {}
    for r in reports:
        for term in r.agents or r.places:
            blocks.setdefault(term, []).append(r)
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[float, str, str]] = []
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                x, y = (a, b) if a.key < b.key else (b, a)
                if (x.key, y.key) not in seen:
                    seen.add((x.key, y.key))
                    if agree(x, y, world):
                        pairs.append((score(x, y, world), x.key, y.key))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def cluster(reports: Iterable[Report], world: World) -> list[list[Report]]:
    """Group reports into events (each group sorted by key, groups by their first key)."""
    items = sorted({r.key: r for r in reports}.values(), key=lambda r: r.key)
    group: dict[str, list[Report]] = {r.key: [r] for r in items}
    for _, ka, kb in candidate_pairs(items, world):
        ga, gb = group[ka], group[kb]
        if ga is gb or not all(agree(x, y, world) for x in ga for y in gb):
            continue
        merged = sorted([*ga, *gb], key=lambda r: r.key)
        for r in merged:
            group[r.key] = merged
    out = {id(g): g for g in group.values()}
    return sorted(out.values(), key=lambda g: g[0].key)


def event_iri(members: Sequence[Report]) -> str:
    """A cluster's node: named by its smallest report key, whatever order the reports came in."""
    return EVENT_BASE + min(r.key for r in members)


@dataclass(frozen=True, slots=True)
class Reconciled:
    """The facts an event's reports agree on."""

    iri: str
    cls: str
    label: str
    date: str | None
    places: tuple[str, ...]
    first: Report

    @property
    def place_property(self) -> str:
        """Where a trip goes is its destination (the ontology's nkg:Trip), elsewhere its location."""
        return "destination" if self.cls in TRIPS else "location"


def reconcile(members: Sequence[Report], world: World) -> Reconciled:
    """The most specific class and date all reports agree with, the most specific place most of
    them agree with, and the first report by publication date (ties by key), whose label the
    event takes."""
    cls = members[0].cls
    for r in members[1:]:
        cls = world.more_specific(cls, r.cls)
    first = min(members, key=lambda r: (r.published or "9999", r.key))
    return Reconciled(event_iri(members), cls, first.label, _agreed_date([r.date for r in members if r.date]),
                      _agreed_places(members, world), first)


def _agreed_date(dates: list[str]) -> str | None:
    """The longest date every given date starts with or extends (2025-08-15 and 2025-08 give
    2025-08-15; 2025-08-15 and 2025-08-16 give 2025-08)."""
    if not dates:
        return None
    best = max(dates, key=len)
    parts = best.split("-")
    for n in range(len(parts), 0, -1):
        prefix = "-".join(parts[:n])
        if all(prefix.startswith(d) or d.startswith(prefix) for d in dates):
            return prefix
    return None


def _agreed_places(members: Sequence[Report], world: World) -> tuple[str, ...]:
    """The most specific place that most reports naming a place agree with (it, or a place
    inside or around it): places are often read from passing mentions, so one stray report
    must not erase the venue the others give."""
    named = [r.places for r in members if r.places]
    support = {p: sum(1 for places in named if any(world.nested(p, q) for q in places))
               for p in sorted({p for places in named for p in places})}
    agreed = [p for p, n in support.items() if 2 * n > len(named)]
    if not agreed:
        return ()
    best = max(agreed, key=lambda p: (len(world.within.get(p, ())), support[p], p))
    return (best,)

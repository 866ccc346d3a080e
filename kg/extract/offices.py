"""Who held which office when (``ontology/offices.yaml``): titles read by the article's date.

The gazetteer gives each person one role, as of the day it was written (``former President``
for Joe Biden); a 2024 readout's ``The President`` is Biden all the same. :class:`Offices`
answers the two questions titles ask: which offices a person held on a day
(:meth:`Offices.held`), and who held a country's office on a day (:meth:`Offices.holder`,
``the leaders of France and Germany``: their leading offices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kg.errors import GazetteerError
from kg.extract.gazetteer import Gazetteer
from kg.extract.text import norm_key
from kg.model import Entity


@dataclass(frozen=True, slots=True)
class Term:
    """One holder's term in one office of one country."""

    person: str  # entity key
    country: str  # entity key
    office: str  # normalised: 'president', 'prime minister'
    start: date
    end: date | None  # the day the next holder took over; None while it runs
    leads: bool = False  # the office that speaks for the country at summits

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Offices:
    """Terms of office, looked up by person or by country and office."""

    terms: tuple[Term, ...] = ()
    by_person: dict[str, tuple[Term, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, terms: list[Term]) -> Offices:
        grouped: dict[str, list[Term]] = {}
        for t in terms:
            grouped.setdefault(t.person, []).append(t)
        return cls(tuple(terms), {k: tuple(v) for k, v in grouped.items()})

    def knows(self, person: str) -> bool:
        """Whether the data lists terms of ``person`` (then :meth:`held` is their truth)."""
        return person in self.by_person

    def held(self, person: str, day: date) -> list[str]:
        """The offices ``person`` held on ``day`` (normalised words), leading office first."""
        found = [t for t in self.by_person.get(person, ()) if t.covers(day)]
        return [t.office for t in sorted(found, key=lambda t: not t.leads)]

    def holder(self, country: str, day: date, office: str | None = None) -> str | None:
        """Who held ``office`` of ``country`` on ``day`` (its leading office when None)."""
        for t in self.terms:
            if t.country == country and t.covers(day) and (t.office == office if office else t.leads):
                return t.person
        return None


def offices_on(offices: Offices, ent: Entity, day: date | None) -> list[str]:
    """The offices ``ent`` held on ``day`` (normalised words): the terms data when it lists the
    person and the day is known, else the role's offices (``President and General Secretary``),
    none for a ``former`` one."""
    if day is not None and offices.knows(ent.key):
        return offices.held(ent.key, day)
    role = norm_key(ent.role or "")
    return [] if role.startswith("former") else [o.strip() for o in role.split(" and ") if o.strip()]


def article_day(value: str | None) -> date | None:
    """An article's publication day, when it has a full one."""
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def load_offices(path: Path | None, gazetteer: Gazetteer) -> Offices:
    """Read ``offices.yaml``; holders and countries the gazetteer does not list are skipped.

    Raises GazetteerError naming the file when it cannot be read or an entry is malformed."""
    if path is None or not path.exists():
        return Offices()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise GazetteerError(f"{path}: cannot read offices: {err}") from err
    if not isinstance(data, list):
        raise GazetteerError(f"{path}: the offices file is a YAML list of offices")
    keys = {norm_key(e.label): k for k, e in gazetteer.entities.items()}
    terms: list[Term] = []
    for i, entry in enumerate(data, 1):
        terms += _terms(path, i, entry, keys)
    return Offices.of(terms)


def _terms(path: Path, i: int, entry: Any, keys: dict[str, str]) -> list[Term]:
    if not isinstance(entry, dict) or not entry.get("office") or not isinstance(entry.get("holders"), list):
        raise GazetteerError(f"{path}: office {i} needs a country, an office and a list of holders")
    country = keys.get(norm_key(str(entry.get("country", ""))))
    out = []
    for h in entry["holders"]:
        if not isinstance(h, dict) or not isinstance(h.get("from"), date):
            raise GazetteerError(f"{path}: office {i} ({entry['office']}): each holder needs a person and a from date")
        end = h.get("to")
        person = keys.get(norm_key(str(h.get("person", ""))))
        if country and person:
            out.append(Term(person, country, norm_key(str(entry["office"])), h["from"],
                            end if isinstance(end, date) else None, bool(entry.get("leads"))))
    return out

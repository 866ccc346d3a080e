"""Reference entities from ``ontology/gazetteer/*.yaml`` and a fast matcher over them.

Names match on folded word sequences, so case, diacritics, hyphens and apostrophes do
not matter (``Kim Jong-un`` = ``Kim Jong Un``); a match must begin with a capital letter,
and aliases listed under ``case_sensitive_aliases`` (``US``, ``UN``) must match exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import GazetteerError
from kg.extract.text import entity_key, fold, norm_key, word_spans
from kg.model import Entity

CLASSES = frozenset({"Leader", "Official", "Expert", "Person", "Organization", "MediaOutlet",
                     "Country", "Region", "City", "Facility", "Place", "Agent"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster on 3,000 entries
_MAX_GAP = 3  # characters allowed between two words of one name ("Jong-un", "People’s")


@dataclass(frozen=True, slots=True)
class Hit:
    """A gazetteer match in a text: an entity name, a demonym or a seat of power."""

    start: int
    end: int
    key: str  # the entity named, or for demonyms and seats the country
    kind: str  # 'name' | 'demonym' | 'seat'


@dataclass
class Gazetteer:
    """Entities by key, plus indexes from folded word tuples to what they name."""

    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[tuple[str, ...], list[tuple[str, str, str | None]]] = field(default_factory=dict)
    seat_of: dict[str, str] = field(default_factory=dict)  # city/facility key -> country key
    max_len: int = 1

    def add_name(self, surface: str, key: str, kind: str, *, exact: bool = False) -> None:
        """Index one surface form; ``exact`` forms must match case too."""
        toks = tuple(norm_key(surface).split())
        if not toks:
            return
        entry = (key, kind, surface if exact else None)
        bucket = self.names.setdefault(toks, [])
        if entry not in bucket:
            bucket.append(entry)
        self.max_len = max(self.max_len, len(toks))

    def match(self, text: str) -> list[Hit]:
        """Longest, leftmost, non-overlapping matches of every indexed form in ``text``."""
        spans = list(word_spans(text))
        folded = [fold(w) for _, _, w in spans]
        hits: list[Hit] = []
        i = 0
        while i < len(spans):
            hit = self._match_at(text, spans, folded, i)
            if hit is None:
                i += 1
                continue
            hits.append(hit[0])
            i += hit[1]
        return hits

    def _match_at(self, text: str, spans: list[tuple[int, int, str]], folded: list[str],
                  i: int) -> tuple[Hit, int] | None:
        if not spans[i][2][:1].isupper() and not spans[i][2][:1].isdigit():
            return None
        for n in range(min(self.max_len, len(spans) - i), 0, -1):
            if n > 1 and not _joined(text, spans[i + n - 2][1], spans[i + n - 1][0]):
                continue
            words = tuple(folded[i:i + n])
            cands = self.names.get(words)
            if not cands and n > 1 and words[-1].endswith("s"):
                cands = self.names.get((*words[:-1], words[-1][:-1]))  # "People's Republics"
            if not cands or any(not _joined(text, spans[j][1], spans[j + 1][0]) for j in range(i, i + n - 1)):
                continue
            surface = text[spans[i][0]:spans[i + n - 1][1]]
            for key, kind, exact in cands:
                if exact is None or _squash(exact) == _squash(surface):
                    return Hit(spans[i][0], spans[i + n - 1][1], key, kind), n
        return None


def _squash(text: str) -> str:
    """Case kept, dots, hyphens and spaces dropped: ``U.S.`` = ``U.S`` = ``US``."""
    return "".join(c for c in text if c.isalnum())


def _joined(text: str, end: int, start: int) -> bool:
    """Two words belong to one name when only a short gap without punctuation separates them."""
    gap = text[end:start]
    if gap in {".", ". "} and end >= 1 and (end < 2 or not text[end - 2].isalpha()):
        return True  # initials: "U.S.", "Lloyd J. Austin"
    return len(gap) <= _MAX_GAP and not any(c in gap for c in "\n.,;:()[]\"“”/|")


def load_gazetteer(paths: Sequence[Path]) -> Gazetteer:
    """Read gazetteer YAML files (later files may override earlier labels' entries)."""
    raw: list[tuple[Path, dict[str, Any]]] = []
    for path in paths:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise GazetteerError(f"{path}: cannot read gazetteer: {err}") from err
        if not isinstance(data, list):
            raise GazetteerError(f"{path}: a gazetteer file is a YAML list of entries")
        raw.extend((path, item) for item in data)
    return build_gazetteer(raw)


def build_gazetteer(raw: Iterable[tuple[Path, dict[str, Any]]]) -> Gazetteer:
    """Index entries; ``affiliation``/``located_in`` name another entry's label."""
    gaz = Gazetteer()
    by_label: dict[str, str] = {}
    pending: list[tuple[Path, dict[str, Any], Entity]] = []
    for path, item in raw:
        ent = _entity(path, item)
        gaz.entities[ent.key] = ent
        by_label[norm_key(ent.label)] = ent.key
        pending.append((path, item, ent))
    places = {norm_key(a): e.key for _, _, e in pending if e.cls in {"City", "Facility"} for a in e.aliases}
    seats = {**places, **by_label}  # a seat may be a city's alias ("Washington" of "Washington, D.C.")
    for path, item, ent in pending:
        ent.affiliation = _ref(path, item, "affiliation", by_label)
        ent.located_in = _ref(path, item, "located_in", by_label)
        _index(gaz, item, ent, seats)
    return gaz


def _entity(path: Path, item: object) -> Entity:
    if not isinstance(item, dict) or not item.get("label") or not item.get("type"):
        raise GazetteerError(f"{path}: every entry needs a label and a type: {item!r}")
    cls = str(item["type"])
    if cls not in CLASSES:
        raise GazetteerError(f"{path}: {item['label']}: unknown type {cls!r} (one of {', '.join(sorted(CLASSES))})")
    label = str(item["label"])
    wikidata = item.get("wikidata")
    if wikidata is not None and not str(wikidata).startswith("Q"):
        raise GazetteerError(f"{path}: {label}: wikidata must be a Q-id, got {wikidata!r}")
    return Entity(
        key=str(item.get("id") or entity_key(label, cls)), label=label, cls=cls,
        aliases={str(a) for a in [*(item.get("aliases") or []), *(item.get("case_sensitive_aliases") or [])]},
        wikidata=str(wikidata) if wikidata else None,
        role=str(item["role"]) if item.get("role") else None,
    )


def _ref(path: Path, item: dict[str, Any], field_name: str, by_label: dict[str, str]) -> str | None:
    target = item.get(field_name)
    if not target:
        return None
    key = by_label.get(norm_key(str(target)))
    if key is None:
        raise GazetteerError(f"{path}: {item['label']}: {field_name} {target!r} is not a gazetteer label")
    return key


def _index(gaz: Gazetteer, item: dict[str, Any], ent: Entity, by_label: dict[str, str]) -> None:
    exact = bool(item.get("case_sensitive"))  # "The Times", "Dawn": ordinary words in lower case
    for name in [ent.label, *(item.get("aliases") or [])]:
        gaz.add_name(str(name), ent.key, "name", exact=exact)
    for name in item.get("case_sensitive_aliases") or []:
        gaz.add_name(str(name), ent.key, "name", exact=True)
    for name in item.get("demonyms") or []:
        gaz.add_name(str(name), ent.key, "demonym")
    for name in item.get("case_sensitive_demonyms") or []:
        gaz.add_name(str(name), ent.key, "demonym", exact=True)
    for name in item.get("seats") or []:
        seat_key = by_label.get(norm_key(str(name)))
        if seat_key is not None and seat_key != ent.key:
            gaz.seat_of[seat_key] = ent.key
        else:
            gaz.add_name(str(name), ent.key, "seat")

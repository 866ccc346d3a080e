"""Gold files: the facts a careful reader takes from one article, in the format of
``eval/gold/*.yaml`` (and ``shared/eval/seed-gold.yaml``), and the tp/fp/fn arithmetic."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from kg.errors import ValidationError

K = TypeVar("K", bound=Hashable)
CoopKey = tuple[frozenset[str], str]
InviteKey = tuple[str | None, str | None]


def normalise_label(text: object) -> str:
    """The form names are compared in: no accents, case, leading "the" or punctuation."""
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"^(the)\s+", "", folded)
    return re.sub(r"[^a-z0-9]", "", folded)



@dataclass(frozen=True)
class Score:
    """True positives, false positives and misses; precision, recall and F1 derive from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """1.0 when nothing was expected or found, 0.0 when only misses."""
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 0.0 if self.fn else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, Any]:
        """The scorer's layout: counts, then P/R/F1 rounded to three places."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "p": round(self.precision, 3),
                "r": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass(frozen=True)
class FactSet(Generic[K]):
    """Gold facts of one kind: those a system must find and those it may find."""

    required: frozenset[K]
    optional: frozenset[K]

    def score(self, system: set[K]) -> Score:
        """Found required facts are hits; facts in neither set are false positives."""
        return Score(len(system & self.required), len(system - self.required - self.optional),
                     len(self.required - system))


@dataclass(frozen=True)
class GoldEntity:
    label: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None
    optional: bool


@dataclass(frozen=True)
class GoldMeeting:
    participants: frozenset[str]
    locations: frozenset[str]  # normalised
    optional: bool


@dataclass(frozen=True)
class Gold:
    """One gold file: the facts a careful reader takes from one article."""

    file: str
    date: str
    title: str
    entities: list[GoldEntity]
    meetings: list[GoldMeeting]
    cooperation: FactSet[CoopKey]
    claims: FactSet[str]
    invitations: FactSet[InviteKey]



def load_gold(path: Path) -> Gold:
    """Read one gold YAML file.

    Raises ``ValidationError`` naming the file when it cannot be read, is not YAML, has no
    ``file:`` key, or an entry lacks a field the scorer needs.
    """
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ValidationError(f"{path}: cannot read gold file ({getattr(err, 'strerror', None) or err})") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValidationError(f"{path}: gold file is not valid YAML{where}") from err
    if not isinstance(raw, dict) or not raw.get("file"):
        raise ValidationError(f"{path}: not a gold file (no 'file:' naming the article)")
    try:
        return _parse_gold(raw)
    except KeyError as err:
        raise ValidationError(f"{path}: a gold entry lacks the field {err}") from err
    except (TypeError, ValueError) as err:
        raise ValidationError(f"{path}: malformed gold entry ({err})") from err


def _parse_gold(raw: dict[str, Any]) -> Gold:
    """Raises KeyError for a missing field and TypeError or ValueError for a malformed section."""
    return Gold(
        file=str(raw["file"]), date=str(raw.get("date")), title=str(raw.get("title", "")),
        entities=[GoldEntity(str(x["label"]), str(x["type"]), tuple(map(str, x.get("aliases") or [])),
                             str(x["wikidata"]) if x.get("wikidata") else None, bool(x.get("optional")))
                  for x in _entries(raw, "entities")],
        meetings=[GoldMeeting(frozenset(map(str, x["participants"])),
                              frozenset(map(normalise_label, x.get("location") or [])), bool(x.get("optional")))
                  for x in _entries(raw, "meetings")],
        cooperation=_facts(raw, "cooperation", lambda x: (frozenset(map(str, x["partners"])), str(x["topic"]))),
        claims=_facts(raw, "claims", lambda x: str(x["claimant"])),
        invitations=_facts(raw, "invitations", lambda x: (str(x["initiator"]), str(x["invitee"]))))


def _entries(raw: dict[str, Any], section: str) -> list[dict[str, Any]]:
    items = raw.get(section) or []
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise ValueError(f"'{section}' must be a list of mappings")
    return items


def _facts(raw: dict[str, Any], section: str, key: Callable[[dict[str, Any]], K]) -> FactSet[K]:
    items = [(key(x), bool(x.get("optional"))) for x in _entries(raw, section)]
    return FactSet(frozenset(k for k, opt in items if not opt), frozenset(k for k, opt in items if opt))

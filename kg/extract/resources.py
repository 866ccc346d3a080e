"""What the extractor reads with: the gazetteer, the lexicon and the topic triggers.

Loaded once from plain files and handed to extractors; extractors never read files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import GazetteerError
from kg.extract.gazetteer import Gazetteer, load_gazetteer
from kg.extract.offices import Offices, load_offices
from kg.extract.text import norm_key


@dataclass(frozen=True)
class PhraseSet:
    """Single words (compared to lowercase lemmas or forms) and multi-word phrases."""

    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]  # longest first

    @classmethod
    def of(cls, items: Sequence[str]) -> PhraseSet:
        keys = [tuple(norm_key(i).split()) for i in items]
        return cls(frozenset(k[0] for k in keys if len(k) == 1),
                   tuple(sorted({k for k in keys if len(k) > 1}, key=len, reverse=True)))

    def __contains__(self, word: str) -> bool:
        return word in self.words


_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class Furniture:
    """The ``furniture:`` section: datelines, bylines, captions and credits."""

    dateline: re.Pattern[str] = _NEVER
    byline: re.Pattern[str] = _NEVER
    credit: re.Pattern[str] = _NEVER
    opener: re.Pattern[str] = _NEVER  # a line opening with a listed word and a colon, dash or bracket


def _furniture(path: Path, data: Mapping[str, Any]) -> Furniture:
    def rx(key: str, flags: int = 0) -> re.Pattern[str]:
        try:
            return re.compile(str(data[key]), flags) if data.get(key) else _NEVER
        except re.error as err:
            raise GazetteerError(f"{path}: furniture.{key} is not a regular expression: {err}") from err
    alternatives = []
    for words in sorted({tuple(norm_key(w).split()) for w in _flat(data.get("line_openers"))}, key=len, reverse=True):
        body = r"\W+".join(re.escape(w) for w in words)
        alternatives.append(body + (r"\s+\S" if words[-1] == "by" else r"\s*(?:[:|)\]\-–—]|$)"))
    opener = re.compile(r"^[\s(\[]*(?:" + "|".join(alternatives) + ")", re.I) if alternatives else _NEVER
    return Furniture(rx("dateline", re.VERBOSE), rx("byline"), rx("credit"), opener)


@dataclass(frozen=True)
class Lexicon:
    """The parsed ``lexicon.yaml``."""

    roles: dict[tuple[str, ...], str]  # folded role phrase -> class
    office_titles: frozenset[str]
    claim_verbs: frozenset[str]
    claim_phrases: PhraseSet
    outlet_verbs: frozenset[str]
    hedges: frozenset[str]
    media_cues: PhraseSet
    media_name_words: frozenset[str]
    place_heads: dict[str, str]  # head word -> class
    org_words: frozenset[str]
    not_org_heads: frozenset[str]
    events: dict[tuple[str, ...], str]  # trigger phrase -> event class
    event_cues: dict[str, frozenset[str]]
    group_refs: PhraseSet
    cooperation_cues: PhraseSet
    strong_cooperation_cues: PhraseSet
    hostility: PhraseSet
    provider_verbs: frozenset[str]
    recipient_verbs: frozenset[str]
    subsumed_by: dict[str, frozenset[str]]
    metonym_cues: frozenset[str]
    max_role_len: int = 1
    cues: Mapping[str, frozenset[str]] = field(default_factory=dict)  # the ``cues:`` section, by name
    furniture: Furniture = field(default_factory=Furniture)

    def cue(self, name: str) -> frozenset[str]:
        """A named word list of the ``cues:`` section (folded words or space-joined phrases).

        Raises GazetteerError when the lexicon has no such list."""
        try:
            return self.cues[name]
        except KeyError:
            raise GazetteerError(f"lexicon.yaml: no word list cues.{name} (the extractor needs it)") from None


def _flat(value: Any) -> list[str]:
    return [str(v) for v in (value or [])]


def _by_class(mapping: Mapping[str, Any] | None) -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for cls, items in (mapping or {}).items():
        for item in _flat(items):
            out[tuple(norm_key(item).split())] = str(cls)
    return out


def load_lexicon(path: Path) -> Lexicon:
    """Parse ``lexicon.yaml``; a missing key is an empty list."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise GazetteerError(f"{path}: cannot read lexicon: {err}") from err
    roles = _by_class(data.get("roles"))
    place_heads = {" ".join(k): v for k, v in _by_class(data.get("place_heads")).items()}

    def fs(key: str) -> frozenset[str]:
        """The words listed under ``key``, normalised."""
        return frozenset(norm_key(w) for w in _flat(data.get(key)))

    return Lexicon(
        roles=roles, office_titles=fs("office_titles"), claim_verbs=fs("claim_verbs"),
        claim_phrases=PhraseSet.of(_flat(data.get("claim_phrases"))), outlet_verbs=fs("outlet_verbs"),
        hedges=fs("hedges"), media_cues=PhraseSet.of(_flat(data.get("media_cues"))),
        media_name_words=fs("media_name_words"), place_heads=place_heads, org_words=fs("org_words"),
        not_org_heads=fs("not_org_heads"),
        events=_by_class(data.get("events")),
        event_cues={k: frozenset(norm_key(w) for w in _flat(v)) for k, v in (data.get("event_cues") or {}).items()},
        group_refs=PhraseSet.of(_flat(data.get("group_refs"))),
        cooperation_cues=PhraseSet.of(_flat(data.get("cooperation_cues"))),
        strong_cooperation_cues=PhraseSet.of(_flat(data.get("strong_cooperation_cues"))),
        hostility=PhraseSet.of(_flat(data.get("hostility"))),
        provider_verbs=fs("provider_verbs"), recipient_verbs=fs("recipient_verbs"),
        subsumed_by={k: frozenset(_flat(v)) for k, v in (data.get("subsumed_by") or {}).items()},
        metonym_cues=fs("metonym_cues"),
        max_role_len=max((len(k) for k in roles), default=1),
        cues={str(k): frozenset(norm_key(w) for w in _flat(v)) for k, v in (data.get("cues") or {}).items()},
        furniture=_furniture(path, data.get("furniture") or {}),
    )


@dataclass(frozen=True)
class Resources:
    """Everything an extractor needs besides the article."""

    gazetteer: Gazetteer
    lexicon: Lexicon
    topic_triggers: dict[tuple[str, ...], str] = field(default_factory=dict)  # phrase -> slug
    weak_triggers: frozenset[tuple[str, ...]] = frozenset()
    max_trigger_len: int = 1
    offices: Offices = field(default_factory=Offices)  # who held which office when


def load_resources(*, lexicon: Path, gazetteer: Sequence[Path], topics: Mapping[str, Sequence[str]],
                   weak: Sequence[str] = (), offices: Path | None = None) -> Resources:
    """Build resources from files, a ``topic slug -> trigger words`` mapping, the weak triggers
    and the terms of office (``offices.yaml``; none when None)."""
    triggers: dict[tuple[str, ...], str] = {}
    for slug, words in sorted(topics.items()):
        for w in words:
            triggers.setdefault(tuple(norm_key(w).split()), slug)
    gaz = load_gazetteer(gazetteer)
    return Resources(
        gazetteer=gaz, lexicon=load_lexicon(lexicon), topic_triggers=triggers,
        weak_triggers=frozenset(tuple(norm_key(w).split()) for w in weak),
        max_trigger_len=max((len(k) for k in triggers), default=1), offices=load_offices(offices, gaz),
    )

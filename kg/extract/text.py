"""Text helpers shared by the extractors: normalisation, slugs, word tokens with offsets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

PERSON_CLASSES = frozenset({"Person", "Leader", "Official", "Expert"})
ORG_CLASSES = frozenset({"Organization", "MediaOutlet"})
PLACE_CLASSES = frozenset({"Place", "Country", "Region", "City", "Facility"})
AGENT_CLASSES = PERSON_CLASSES | ORG_CLASSES

_WORD = re.compile(r"\w+", re.UNICODE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Lowercase, strip diacritics and unify apostrophes: ``Zelenskyy’s`` -> ``zelenskyy's``."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """Folded word tokens; hyphens, spaces and punctuation all separate words."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, surface)`` of every word in ``text``; offsets index the original."""
    for m in _WORD.finditer(text):
        yield m.start(), m.end(), m.group()


def norm_key(text: str) -> str:
    """A comparison key: folded words joined by one space (``Kim Jong-un`` = ``Kim Jong Un``)."""
    return " ".join(words(text))


def slugify(text: str) -> str:
    """A readable IRI segment: ``Lugansk People’s Republic`` -> ``lugansk-peoples-republic``."""
    return "-".join(_WORD.findall(fold(text).replace("'", ""))) or "unnamed"


def entity_key(label: str, cls: str) -> str:
    """The stable key of an entity: its kind (person, org, place) and its slugged name."""
    if cls in PERSON_CLASSES:
        kind = "person"
    elif cls in ORG_CLASSES:
        kind = "org"
    else:
        kind = "place"
    return f"{kind}/{slugify(label)}"


def is_heading(line: str) -> bool:
    """A line that reads as a (sub)heading: short, no final punctuation, mostly Title Case."""
    stripped = line.strip()
    if not stripped or len(stripped) > 120 or stripped[-1] in ".!?:;\"'”’,)":
        return False
    tokens = stripped.split()
    if len(tokens) > 14:
        return False
    capitalised = sum(1 for t in tokens if t[:1].isupper() or not t[:1].isalpha())
    return capitalised / len(tokens) >= 0.6
